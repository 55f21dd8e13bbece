"""Tables of the desk room (see pickpack/core/desk/); imported by db.models for the metadata."""

from __future__ import annotations
