"""Tables of the waves room (see pickpack/core/waves/); imported by db.models for the metadata.

A wave is a batch of ready orders built by one rule (same courier; single-item orders of one
SKU; few-item orders; the rest), printed as slip pairs with one pick list and handed to one
picker at a time. ``wave_order`` puts each order in a slot of the wave's cart (slot 1..n, the
order the slip pairs print in). An order is in at most one wave that is not closed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class Wave(SQLModel, table=True):
    __tablename__ = "wave"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    """single (单品单件: one SKU, one unit each) | few (a few units) | multi (the rest)."""
    courier: str = Field(max_length=16)
    sku: str | None = Field(default=None, max_length=64)
    """A single-item wave's one SKU."""
    state: str = Field(default="open", max_length=16, index=True)
    """open → printed → picking → picked → closed."""
    rank: int = 0
    """Priority class of the wave's first order: 0 urgent, 1 ships today, 2 the rest."""
    due_at: datetime | None = None
    """The earliest ship-by time of its orders (72 h from payment): next after the class."""
    orders: int = 0
    units: int = 0
    picker: str | None = Field(default=None, max_length=32)
    """The picker holding the wave (claimed); never two."""
    created_at: datetime
    claimed_at: datetime | None = None
    closed_at: datetime | None = None
    __table_args__ = (Index("ix_wave_claim", "state", "picker", "rank", "due_at"),)


class WaveOrder(SQLModel, table=True):
    """No foreign keys and no unique (wave, order) index, on purpose: a build writes 100,000
    slots in one statement, and PostgreSQL's per-row key checks were most of its time. The
    builder writes only waves it just inserted and orders it just read in the same
    transaction, one slot each; orders and waves are never deleted."""

    __tablename__ = "wave_order"
    wave_id: int = Field(primary_key=True)
    slot: int = Field(primary_key=True)
    order_id: int = Field(index=True)
