"""Tables of the aftersales room (see pickpack/core/aftersales/); imported by db.models for the metadata.

Revision 0017 creates them. Item lists (what the buyer declared, what a case is about) are JSON
text: ``[{"sku": …, "qty": …}]``; times are UTC.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class AftersalesCase(SQLModel, table=True):
    """One line of the after-sales register (售后登记表): open → solved → closed."""

    __tablename__ = "aftersales_case"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24)
    """short | wrong_item | damaged | lost | exchange | quality | invoice | address |
    return_mismatch | unregistered_return | ship_short | tracking | intercept | other"""
    state: str = Field(default="open", max_length=8, index=True)
    order_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    order_no: str = Field(default="", max_length=40)
    buyer: str = Field(default="", max_length=64)
    items: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    claim: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    """What the buyer said (or what the station saw)."""
    solution: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    verdict: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    """The investigation's verdict, as reasoned from the trail."""
    tracking_no: str = Field(default="", max_length=40)
    opened_by: str = Field(default="", max_length=32)
    handler: str = Field(default="", max_length=32)
    responsible: str = Field(default="", max_length=32)
    responsible_step: str = Field(default="", max_length=16)
    """pick | verify | pack | weigh | ship | courier | buyer | supplier ('' not decided)."""
    confirmed_by: str = Field(default="", max_length=32)
    """The supervisor who confirmed the responsible person (badge + PIN)."""
    opened_at: datetime
    solved_at: datetime | None = None
    closed_at: datetime | None = None


class ReturnParcel(SQLModel, table=True):
    """A return expected (registered from a refund or by the desk) or received at the station."""

    __tablename__ = "return_parcel"
    id: int | None = Field(default=None, primary_key=True)
    order_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    refund_no: str = Field(default="", max_length=40)
    tracking_no: str = Field(default="", max_length=40, index=True)
    """The return parcel's own tracking number (the buyer's, back to the shop)."""
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    declared: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    state: str = Field(default="expected", max_length=12, index=True)
    """expected | receiving | received"""
    source: str = Field(default="desk", max_length=12)
    """refund (the platform's export) | desk (by hand) | station (arrived unregistered)"""
    registered_at: datetime
    received_at: datetime | None = None
    received_by: str = Field(default="", max_length=32)
    case_id: int | None = Field(default=None, foreign_key="aftersales_case.id")


class ReturnItem(SQLModel, table=True):
    """One unit (or several) received in a return, with its grade."""

    __tablename__ = "return_item"
    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="return_parcel.id", index=True)
    sku: str = Field(max_length=64)
    qty: int = 1
    grade: str = Field(max_length=12)
    """restock | quarantine | scrap"""
    note: str = Field(default="", max_length=200)
    operator: str = Field(default="", max_length=32)
    at: datetime


class Refund(SQLModel, table=True):
    """A line of the platform's refund export (退款报表), as last imported."""

    __tablename__ = "refund"
    refund_no: str = Field(primary_key=True, max_length=40)
    order_no: str = Field(max_length=40, index=True)
    order_id: int | None = Field(default=None, foreign_key="orders.id")
    amount: float = 0
    status: str = Field(default="", max_length=40)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    items: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    return_tracking: str = Field(default="", max_length=40)
    acted: str = Field(default="", max_length=40)
    """What the import did on the floor: cancelled | split | held | return_expected | …"""
    imported_at: datetime


class RefundInstruction(SQLModel, table=True):
    """Finance's queue: a received return to refund."""

    __tablename__ = "refund_instruction"
    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="return_parcel.id", index=True)
    order_no: str = Field(default="", max_length=40)
    refund_no: str = Field(default="", max_length=40)
    amount: float = 0
    note: str = Field(default="", max_length=200)
    created_at: datetime
    exported_at: datetime | None = None


class Reship(SQLModel, table=True):
    """A reship or exchange: a new order on the floor linked to the original (``-R1``…)."""

    __tablename__ = "reship"
    order_id: int = Field(primary_key=True, foreign_key="orders.id")
    original_id: int = Field(foreign_key="orders.id", index=True)
    kind: str = Field(default="reship", max_length=12)
    """reship | exchange"""
    case_id: int | None = Field(default=None, foreign_key="aftersales_case.id")
    created_at: datetime


class CourierClaim(SQLModel, table=True):
    """A claim on the courier for a damaged, lost or stalled parcel."""

    __tablename__ = "courier_claim"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="aftersales_case.id", index=True)
    courier: str = Field(max_length=16)
    tracking_no: str = Field(default="", max_length=40)
    value: float = 0
    photos: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    claimed: float = 0
    paid: float | None = None
    state: str = Field(default="filed", max_length=12)
    """filed | paid | refused"""
    filed_at: datetime
    settled_at: datetime | None = None


class TrackingStatus(SQLModel, table=True):
    """One tracking update of a shipped parcel, from a courier portal's or aggregator's file."""

    __tablename__ = "tracking_status"
    id: int | None = Field(default=None, primary_key=True)
    tracking_no: str = Field(max_length=40)
    at: datetime
    status: str = Field(max_length=200)
    place: str = Field(default="", max_length=100)
    state: str = Field(default="transit", max_length=12)
    """transit | delivered | returned | problem: the status read by its words"""
    imported_at: datetime
    __table_args__ = (
        UniqueConstraint("tracking_no", "at", "status", name="uq_tracking_status"),
        Index("ix_tracking_status_no_at", "tracking_no", "at"),
    )


class CourierIntercept(SQLModel, table=True):
    """快递拦截: a refund after handover asks the courier to bring the parcel back."""

    __tablename__ = "courier_intercept"
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    tracking_no: str = Field(default="", max_length=40)
    refund_no: str = Field(default="", max_length=40)
    status: str = Field(default="requested", max_length=12)
    """requested | intercepted | failed"""
    outcome: str = Field(default="", max_length=200)
    requested_at: datetime
    settled_at: datetime | None = None
