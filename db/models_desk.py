"""Tables of the desk room (see pickpack/core/desk/); imported by db.models for the metadata.

``desk_order``: what the desk decided for one order (the remark's acknowledged actions, a
supervisor's approvals, which parcel a merged order travels in, which platform order a split
parcel belongs to). ``desk_line``: where a line came from when merge, split or a gift moved or
made it. ``void_waybill``: tracking numbers voided by an address change after printing; a voided
number stays assigned in ``waybill`` for good, so it never returns to the pool.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class DeskOrder(SQLModel, table=True):
    __tablename__ = "desk_order"
    order_id: int = Field(primary_key=True, foreign_key="orders.id")
    gift_message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    """The buyer's gift message for the packing slip (never the seller's memo)."""
    no_price: bool = False
    """The packing slip prints without prices (the remark asked for no price list)."""
    invoice: bool = False
    """The packer puts the invoice in its envelope (a packing checklist item)."""
    courier: str = Field(default="", max_length=16)
    """The courier the acknowledged remark asked for ('' none)."""
    avoid: str = Field(default="", max_length=100)
    """Couriers the acknowledged remark refused, comma-separated."""
    urgent: bool = False
    acked_by: str | None = Field(default=None, max_length=32)
    acked_at: datetime | None = None
    approved: str = Field(default="", max_length=100)
    """Audit checks a supervisor waived (``bulk``, ``stock``), comma-separated."""
    parcel_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    """The order (parcel) this platform order was merged into; None when it is its own."""
    split_from: int | None = Field(default=None, foreign_key="orders.id", index=True)
    """A split parcel: the platform order it was split from."""


class DeskLine(SQLModel, table=True):
    __tablename__ = "desk_line"
    line_id: int = Field(primary_key=True, foreign_key="order_line.id")
    origin_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    """The platform order the line belongs to (merge moved it to another parcel)."""
    from_line: int | None = Field(default=None)
    """A split that cut a line's quantity: the line it was cut from."""
    gift: bool = False
    """A gift line the acknowledged remark added."""


class VoidWaybill(SQLModel, table=True):
    __tablename__ = "void_waybill"
    tracking_no: str = Field(primary_key=True, foreign_key="waybill.tracking_no", max_length=40)
    order_id: int = Field(foreign_key="orders.id", index=True)
    courier: str = Field(max_length=16)
    replaced_by: str | None = Field(default=None, max_length=40)
    reason: str = Field(default="", max_length=200)
    voided_at: datetime
