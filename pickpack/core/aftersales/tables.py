"""SQLAlchemy Core handles on the after-sales tables (db/models_aftersales.py)."""

from __future__ import annotations

from db import models_aftersales as m
from pickpack.core.tables import _t

CASES = _t(m.AftersalesCase)
RETURNS = _t(m.ReturnParcel)
RETURN_ITEMS = _t(m.ReturnItem)
REFUNDS = _t(m.Refund)
INSTRUCTIONS = _t(m.RefundInstruction)
RESHIPS = _t(m.Reship)
CLAIMS = _t(m.CourierClaim)
TRACKING = _t(m.TrackingStatus)
INTERCEPTS = _t(m.CourierIntercept)
