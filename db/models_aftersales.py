"""Tables of the aftersales room (see pickpack/core/aftersales/); imported by db.models for the metadata."""

from __future__ import annotations
