"""What a scan means at each station: one flow per mode, fed classified scans, returning
outcomes a station renders. No Textual: a flow is tested, and driven, without a screen."""

from __future__ import annotations

from pickpack.core.flows.base import Outcome, StationFlow
from pickpack.core.flows.modes import make_flow

__all__ = ["Outcome", "StationFlow", "make_flow"]
