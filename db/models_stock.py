"""Tables of the stock room (see pickpack/core/stock/); imported by db.models for the metadata."""

from __future__ import annotations
