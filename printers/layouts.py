"""What goes on each slip, as plain data, with no printer language in sight.

The core fills these from the store; :mod:`printers.compose` lays them out on paper. Masking of
the receiver's name and phone happens at composition, so the data here stays true.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class ExpressSlip:
    """The courier's label: what the sorting centre and the rider need."""

    courier_code: str
    courier_name: str
    tracking_no: str
    sort_code: str | None
    """大头笔 / 三段码 from the waybill, printed large; None when the courier gave none."""
    receiver_name: str
    receiver_phone: str
    address: str
    sender: str
    order_no: str
    item_count: int
    weight_kg: float | None = None


@dataclass(frozen=True)
class PackingLine:
    """One SKU of an order as the packer checks it."""

    sku: str
    name: str
    variant: str
    qty: int
    bin: str
    price: Decimal | None = None


@dataclass(frozen=True)
class PackingSlip:
    """Goes in the parcel: what the buyer ordered, their remark and the gift note."""

    order_no: str
    lines: Sequence[PackingLine]
    buyer_remark: str = ""
    gift_note: str = ""
    show_prices: bool = True


@dataclass(frozen=True)
class PickLine:
    """One stop on the picker's walk."""

    bin: str
    sku: str
    name: str
    variant: str
    qty: int


@dataclass(frozen=True)
class PickList:
    """A batch to pick; lines print in walking order (by bin)."""

    batch_id: str
    lines: Sequence[PickLine]
    created_at: datetime | None = None
    order_count: int | None = None

    def sorted_lines(self) -> list[PickLine]:
        """Lines by bin in natural order (A-02-10 after A-02-9), then SKU."""
        return sorted(self.lines, key=lambda line: (natural_key(line.bin), line.sku))


@dataclass(frozen=True)
class Manifest:
    """The handover list a courier signs for when parcels leave."""

    courier: str
    manifest_no: str
    tracking_nos: Sequence[str]
    closed_at: datetime | None = None
    """Printed as given: the caller hands it over in the warehouse's time zone."""
    printed: int | None = None
    """The handover count: slips printed for the courier since its last manifest (None: the
    manifest was printed without one)."""
    missing: Sequence[str] = ()
    """Printed but not handed over."""
    unslipped: Sequence[str] = ()
    """Handed over without a slip."""
    supervisor: str = ""
    """Who closed it despite a difference, and why."""
    reason: str = ""
    courier_name: str = ""
    """The courier's name (中通快递) printed beside its code; empty: the code alone."""

    @property
    def count(self) -> int:
        """Parcels on the manifest (always the length of the list, never a separate figure)."""
        return len(self.tracking_nos)


@dataclass(frozen=True)
class CommandSheet:
    """Barcodes an operator scans instead of pressing keys, for one station."""

    station: str
    """Station mode or id; names the file in previews."""
    commands: Sequence[tuple[str, str]] = field(default_factory=tuple)
    """(label, code) pairs, e.g. ("完成 DONE", "CMD:DONE")."""
    title: str = ""
    """Heading printed on the sheet, as given (the station name when empty)."""
    details: Sequence[str] = field(default_factory=tuple)
    """What each command does, printed small under its label (same order as ``commands``;
    may be empty)."""


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders embedded numbers by value: B-2 < B-10."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", text)
        if part
    )


def mask_name(name: str) -> str:
    """Keep the first character: '张三' → '张*', '欧阳娜娜' → '欧***'. Masked by the name a
    person sees: control and format characters (``\x1b``, zero-width marks) are dropped first,
    so a stray escape never adds stars."""
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C")).strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


def mask_phone(phone: str) -> str:
    """Hide the middle digits: '13812341234' → '138****1234'.

    Keeps the first three and last four digits, whatever the separators; numbers with fewer
    than eight digits keep only the last two. Already-masked numbers pass unchanged.
    """
    phone = phone.strip()
    digits = [i for i, c in enumerate(phone) if c.isdigit() or c == "*"]
    if len(digits) >= 8:
        hidden = set(digits[3:-4])
    elif len(digits) >= 3:
        hidden = set(digits[:-2])
    else:
        return phone
    return "".join("*" if i in hidden else c for i, c in enumerate(phone))
