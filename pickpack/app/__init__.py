"""The Textual station app shell (the only part of ``pickpack`` that imports Textual)."""

from __future__ import annotations

from pickpack.app.app import ScanTarget, StationApp

__all__ = ["ScanTarget", "StationApp"]
