"""SQLModel tables of the store. Same models for SQLite and PostgreSQL; Alembic migrates both.

Screens never receive these objects: queries return plain data (see ``db.views``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class Sku(SQLModel, table=True):
    __tablename__ = "sku"
    sku: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    attributes: str = Field(default="", max_length=200)
    weight_g: float = 0
    bin: str = Field(default="", max_length=32)
    price: float = 0
    on_hand: int = 0
    min_shelf_days: int | None = None
    """Shortest shelf life a unit may have left at verify; ``None``: ``[barcodes] min_shelf_days``."""


class SkuComponent(SQLModel, table=True):
    """A bundle (组合商品) is a SKU made of other SKUs: ``qty`` units of ``component`` each.

    Order lines of a bundle are expanded into their components at import (revision 0010)."""

    __tablename__ = "sku_component"
    bundle: str = Field(primary_key=True, foreign_key="sku.sku", max_length=64)
    component: str = Field(primary_key=True, foreign_key="sku.sku", max_length=64)
    qty: int = 1


class Barcode(SQLModel, table=True):
    """A barcode of a SKU; a case barcode counts as ``units`` units."""

    __tablename__ = "barcode"
    code: str = Field(primary_key=True, max_length=64)
    sku: str = Field(foreign_key="sku.sku", index=True, max_length=64)
    units: int = 1


class Courier(SQLModel, table=True):
    __tablename__ = "courier"
    code: str = Field(primary_key=True, max_length=16)
    name: str = Field(default="", max_length=64)


class Waybill(SQLModel, table=True):
    """A tracking number from a courier's e-waybill account; assigned to one order at most."""

    __tablename__ = "waybill"
    tracking_no: str = Field(primary_key=True, max_length=40)
    courier: str = Field(foreign_key="courier.code", max_length=16)
    order_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    assigned_at: datetime | None = None
    platform: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})
    """The platform whose own e-waybill this is ('' = the shop's courier account, any platform
    that needs no e-waybill of its own); revision 0010."""
    __table_args__ = (Index("ix_waybill_free", "courier", "order_id"),)


class Order(SQLModel, table=True):
    __tablename__ = "orders"
    id: int | None = Field(default=None, primary_key=True)
    order_no: str = Field(max_length=40, unique=True)
    platform: str = Field(default="taobao", max_length=16)
    shop: str = Field(default="", max_length=64)
    buyer: str = Field(default="", max_length=64)
    receiver_name: str = Field(default="", max_length=64)
    receiver_phone: str = Field(default="", max_length=32)
    province: str = Field(default="", max_length=32)
    city: str = Field(default="", max_length=32)
    district: str = Field(default="", max_length=32)
    street: str = Field(default="", max_length=200)
    postcode: str = Field(default="", max_length=12)
    buyer_remark: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    seller_memo: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime | None = None
    paid_at: datetime | None = Field(default=None, index=True)
    promised_ship_at: datetime | None = None
    """The platform's promised ship time (承诺发货时间, pre-sales) where the export has one."""
    platform_status: str = Field(default="", max_length=40)
    total: float = 0
    courier: str | None = Field(default=None, max_length=16)
    tracking_no: str | None = Field(default=None, max_length=40, unique=True)
    state: str = Field(default="new", max_length=16, index=True)
    hold_reason: str = Field(default="", max_length=200)
    held_from: str | None = Field(default=None, max_length=16)
    """The state a held order returns to when a supervisor releases it."""
    basket: str | None = Field(default=None, max_length=32)
    picker: str | None = Field(default=None, max_length=32)
    verifier: str | None = Field(default=None, max_length=32)
    packer: str | None = Field(default=None, max_length=32)
    carton: str | None = Field(default=None, max_length=16)
    weight_g: float | None = None
    manifest_id: int | None = Field(default=None, index=True)
    manifested_at: datetime | None = None
    """When the parcel was scanned onto its manifest: the manifest's last parcel is the latest."""
    remark_ack: bool = False
    updated_at: datetime | None = None
    __table_args__ = (
        # the backlog lists: unshipped states paid before a time (migration 0023, issue 19 §5)
        Index("ix_orders_state_paid", "state", "paid_at"),
    )


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_line"
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    sku: str = Field(max_length=64)
    name: str = Field(default="", max_length=200)
    variant: str = Field(default="", max_length=200)
    qty: int = 1
    price: float = 0
    scanned: int = 0


class Operator(SQLModel, table=True):
    """A person at a station; ``code`` is what the badge barcode holds."""

    __tablename__ = "operator"
    code: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=64)
    role: str = Field(default="verifier", max_length=16)
    """The first of ``roles``: what the trail records with the operator's actions."""
    active: bool = True
    roles: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})
    """Every role the operator holds, comma-separated (a small shop's one person picks and
    verifies); '' before revision 0007 means just ``role``."""
    pin_hash: str | None = Field(default=None, max_length=200)
    """A supervisor's PIN, hashed with a slow KDF (pickpack.core.authority); central store only,
    never copied into a station journal."""
    failed_pins: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    locked_until: datetime | None = None
    """Five wrong PINs in a row lock the supervisor until then."""


class Station(SQLModel, table=True):
    __tablename__ = "station"
    id: str = Field(primary_key=True, max_length=16)
    mode: str = Field(max_length=16)
    operator: str | None = Field(default=None, max_length=32)
    last_seen: datetime | None = None


class Basket(SQLModel, table=True):
    __tablename__ = "basket"
    code: str = Field(primary_key=True, max_length=32)
    order_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    picker: str | None = Field(default=None, max_length=32)
    bound_at: datetime | None = None


class Manifest(SQLModel, table=True):
    """A courier handover list: parcels scanned in, closed when the courier takes them."""

    __tablename__ = "manifest"
    id: int | None = Field(default=None, primary_key=True)
    courier: str = Field(max_length=16, index=True)
    station: str = Field(max_length=16)
    operator: str = Field(max_length=32)
    opened_at: datetime
    closed_at: datetime | None = None
    count: int = 0


class Event(SQLModel, table=True):
    """Append-only trail: every state change and every scan, good or bad."""

    __tablename__ = "event"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(max_length=36)
    order_id: int | None = Field(default=None, foreign_key="orders.id")
    station: str = Field(default="", max_length=16)
    operator: str = Field(default="", max_length=32)
    kind: str = Field(max_length=32)
    payload: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    at: datetime
    __table_args__ = (
        UniqueConstraint("uuid", name="uq_event_uuid"),
        Index("ix_event_order", "order_id"),
        Index("ix_event_kind_at", "kind", "at"),
        # who has an order open at verify: PostgreSQL's count function asks it of every count
        # (migrations 0004, 0005); one small entry per opening, none for the other events
        Index("ix_event_verify_opened", "order_id", "station",
              postgresql_where=text("kind = 'verify_opened'"),
              sqlite_where=text("kind = 'verify_opened'")),
    )


class PrintJob(SQLModel, table=True):
    """A slip waiting for (or taken by) a printer. A job is a row until the printer took it."""

    __tablename__ = "print_job"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    order_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    printer: str = Field(max_length=16)
    payload: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    state: str = Field(default="queued", max_length=16, index=True)
    attempts: int = 0
    last_error: str = Field(default="", max_length=300)
    created_at: datetime
    printed_at: datetime | None = None
    station: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})
    """The station that queued it: a station prints its own jobs ('' before revision 0006)."""
    claimed_at: datetime | None = None
    """When a print loop claimed it (``sending``): a crash's leftover is stale counted from here."""
    __table_args__ = (Index("ix_print_job_station_state", "station", "state"),)


# each room of the floor keeps its tables in a module of its own
from db import models_aftersales, models_desk, models_stock, models_waves  # noqa: E402, F401

metadata = SQLModel.metadata
