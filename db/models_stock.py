"""Tables of the stock room (see pickpack/core/stock/); imported by db.models for the metadata.

A SKU's on hand is ``sku.on_hand``: the total in the building, read by every audit. Where it
lies is the ledger's: ``stock_bin`` keeps what lies in bins other than the SKU's home bin (the
catalog's ``bin``); the home bin holds the rest. Every change of a quantity is one
``stock_movement`` row and one event, written in the same transaction (pickpack.core.stock).

``policy`` holds the warehouse-wide settings once stations share one store (pickpack.core.policy):
one row per ``section.field`` of config.toml, its value as JSON.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel


class StockBin(SQLModel, table=True):
    """Units of a SKU in a bin that is not its home bin (never a row for the home bin)."""

    __tablename__ = "stock_bin"
    sku: str = Field(primary_key=True, foreign_key="sku.sku", max_length=64)
    bin: str = Field(primary_key=True, max_length=32)
    on_hand: int = 0


class StockMovement(SQLModel, table=True):
    """One change of a SKU's quantity in one bin, with the event that explains it."""

    __tablename__ = "stock_movement"
    id: int | None = Field(default=None, primary_key=True)
    event_uuid: str = Field(max_length=36)
    sku: str = Field(max_length=64)
    bin: str = Field(default="", max_length=32)
    delta: int
    on_hand: int
    """The SKU's total on hand after this movement."""
    kind: str = Field(max_length=16)
    """opening | import | adjust | count | shipped | returned | put_away."""
    order_id: int | None = Field(default=None, foreign_key="orders.id")
    reason: str = Field(default="", max_length=200)
    station: str = Field(default="", max_length=16)
    operator: str = Field(default="", max_length=32)
    at: datetime
    __table_args__ = (Index("ix_stock_movement_sku", "sku", "id"),
                      Index("ix_stock_movement_bin", "bin", "id"))


class Policy(SQLModel, table=True):
    """One warehouse-wide setting (``floor.safety_stock``), its value as JSON."""

    __tablename__ = "policy"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime
    updated_by: str = Field(default="", max_length=32)
