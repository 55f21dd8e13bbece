"""A platform order closed (交易关闭) while it travels merged with others in one parcel: what the
order export's close does (pickpack.intake.writer). The logic lives in the core
(:mod:`pickpack.core.aftersales.merged`), where the refund export (退款报表) uses it too; the
core never imports the intake.
"""

from __future__ import annotations

from pickpack.core.aftersales.merged import (
    REFUNDED_HOLD,
    close_merged,
    give_back_merged,
    parcels_with_merged,
)

__all__ = ["REFUNDED_HOLD", "close_merged", "give_back_merged", "parcels_with_merged"]
