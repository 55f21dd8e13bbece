"""Tables of the waves room (see pickpack/core/waves/); imported by db.models for the metadata."""

from __future__ import annotations
