"""The one remark reader: a buyer's remark and a seller's memo as suggested actions.

Pure: text in, actions out; the audit (``pickpack.core.release``), the desk screen and
``pickpack order ack`` all read remarks through :func:`read_remarks`, so they never disagree
about what a remark asks for. A remark is cut into clauses (at ，。；！、 and line ends); each
clause may suggest one action of each kind:

- ``gift``: a word of the gift catalogue (``[desk.gifts]``: word → SKU, e.g. 小毛巾 → GIFT-TOWEL)
  or a gift marker (赠品, 赠送, 附赠, gift); ``value`` is ``SKU`` or ``SKU*N`` ('' when the
  catalogue has no word for it: the clerk names the SKU when acknowledging);
- ``invoice``: 发票 / invoice (``negated`` for 不要放发票: *no* invoice);
- ``no_price``: a price list refused (不要价格单, 不放价格, no price list);
- ``courier``: a courier named (顺丰, SF…; ``value`` its code); ``negated`` for 不要发中通;
  the buyer collecting it (自提, 自取, 到店取…) is the courier ``PICKUP`` (local pickup, no
  waybill) — not a courier's own pickup point or locker (自提点, 自提柜, 驿站: still a parcel);
- ``address``: an address change (改地址, 新地址…; ``value`` the text after a colon, if any);
- ``urgent``: 加急, 尽快, urgent (``negated`` for 不急);
- ``merge``: merge with another order (合并, 一起发, 合单, merge).

A clause is negated by 不要, 别, 勿, 不用, 无需, 不需要, 不放, 不开, 不发, 不走…, no, don't, do not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from pickpack.core.couriers.rules import PICKUP

KINDS = ("gift", "invoice", "no_price", "courier", "address", "urgent", "merge")

_CLAUSE = re.compile(r"[，,。；;！!？?、\n\r]+")
_NEGATION = re.compile(r"不要|(?<![特区分级类性识告个])别|勿|不用|无需|不需要|不必|"
                       r"不放|不开|不需|不发|不走|不带|不寄|"
                       r"\bno\b|\bnot\b|don'?t|do not|without",
                       re.IGNORECASE)
_INVOICE = re.compile(r"发票|invoice", re.IGNORECASE)
_PRICE = re.compile(r"价格单|价格|价钱|价签|价目|吊牌价|price", re.IGNORECASE)
_NO_PRICE = re.compile(r"无价格|不带价|不显示价|不含价|不打价")
_ADDRESS = re.compile(r"改地址|地址改|更改地址|修改地址|换地址|新地址|地址变更|change (of )?address|"
                      r"new address", re.IGNORECASE)
_URGENT = re.compile(r"加急|急件|急用|尽快|赶紧|越快越好|urgent|asap|rush", re.IGNORECASE)
_NOT_URGENT = re.compile(r"不急|不着急|不用急|不加急|不用加急|无需加急|不需要加急|别加急|not urgent",
                         re.IGNORECASE)
_MERGE = re.compile(r"合并|一起发|一起寄|合单|一块发|一起打包|merge|ship together", re.IGNORECASE)
_PICKUP = re.compile(r"自提(?![柜点站])|自取(?![柜点件])|到店取|门店取|来店取|店里取|仓库取|"
                     r"自己(?:过)?来(?:取|拿)|self[- ]?pick[- ]?up|local pick[- ]?up|"
                     r"\bcollect (?:it )?(?:myself|in person)\b", re.IGNORECASE)
_COURIER_POINT = re.compile(r"驿站|快递柜|丰巢|菜鸟|自提点|自提柜|代收点")
"""A courier's pickup point or locker: the parcel still travels (not local pickup)."""
_GIFT_MARK = re.compile(r"赠品|赠送|附赠|送的小礼|\bgift\b", re.IGNORECASE)
_COUNT = re.compile(r"^\s*[x×*]?\s*(\d+|[一二两三四五六七八九十])")
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9, "十": 10}
_SHORT_COURIER = {"SF": ("顺丰",), "ZTO": ("中通",), "YTO": ("圆通",), "YD": ("韵达",),
                  "JD": ("京东",), "STO": ("申通",), "EMS": ("邮政", "EMS"), "JT": ("极兔",)}


@dataclass(frozen=True, slots=True)
class RemarkAction:
    """One thing a remark asks for. ``source``: ``buyer`` (the buyer's remark) or ``memo``
    (the seller's memo); ``text`` the clause it was read from."""

    kind: str
    value: str = ""
    negated: bool = False
    source: str = "buyer"
    text: str = ""

    def contract(self) -> dict[str, object]:
        """The ``remark_acked`` event's shape of an action: kind, value, negated."""
        return {"kind": self.kind, "value": self.value, "negated": self.negated}

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def read_remarks(buyer_remark: str, seller_memo: str, *, gifts: Mapping[str, str] | None = None,
                 couriers: Mapping[str, str] | None = None) -> list[RemarkAction]:
    """The actions the buyer's remark and the seller's memo suggest, in reading order, each
    (kind, value, negated) once. ``couriers``: code → name (``[couriers] names``)."""
    out: list[RemarkAction] = []
    seen: set[tuple[str, str, bool]] = set()
    for source, text in (("buyer", buyer_remark or ""), ("memo", seller_memo or "")):
        for clause in (c.strip() for c in _CLAUSE.split(text)):
            if not clause:
                continue
            for action in read_clause(clause, source, gifts or {}, couriers or {}):
                key = (action.kind, action.value, action.negated)
                if key not in seen:
                    seen.add(key)
                    out.append(action)
    return out


def read_clause(clause: str, source: str, gifts: Mapping[str, str],
                couriers: Mapping[str, str]) -> list[RemarkAction]:
    """The actions of one clause (see the module docstring)."""
    negated = _NEGATION.search(clause) is not None
    found: list[RemarkAction] = []

    def add(kind: str, value: str = "", neg: bool = False) -> None:
        found.append(RemarkAction(kind, value, neg, source, clause))

    gift = _gift(clause, gifts)
    if gift is not None and not negated:
        add("gift", gift)
    if _INVOICE.search(clause):
        add("invoice", "", negated)
    if _NO_PRICE.search(clause) or (_PRICE.search(clause) and negated):
        add("no_price")
    for code in _couriers_named(clause, couriers):
        add("courier", code, negated)
    pickup = _PICKUP.search(clause)
    if pickup and not _COURIER_POINT.search(clause):  # 不要自提 refuses it; 自提不用发快递 asks
        add("courier", PICKUP, _NEGATION.search(clause[:pickup.start()]) is not None)
    address = _ADDRESS.search(clause)
    if address:
        add("address", _after_colon(clause))
    if _NOT_URGENT.search(clause):
        add("urgent", "", True)
    elif _URGENT.search(clause):
        add("urgent")
    if _MERGE.search(clause):
        add("merge", "", negated)
    return found


def _gift(clause: str, gifts: Mapping[str, str]) -> str | None:
    """``SKU`` or ``SKU*N`` of a catalogue word in the clause; '' for a gift marker alone."""
    for word, sku in sorted(gifts.items(), key=lambda kv: -len(kv[0])):  # longest word first
        at = clause.find(word)
        if word and at >= 0:
            qty = _count(clause[at + len(word):])
            return f"{sku}*{qty}" if qty > 1 else sku
    return "" if _GIFT_MARK.search(clause) else None


def _count(after: str) -> int:
    m = _COUNT.match(after)
    if m is None:
        return 1
    raw = m.group(1)
    return int(raw) if raw.isdigit() else _NUMERALS[raw]


def _couriers_named(clause: str, couriers: Mapping[str, str]) -> list[str]:
    """Codes of the couriers the clause names. Where two couriers' names start alike (中通快递,
    中通快运), the word names the one whose own it is (中通 → ZTO), unless the clause spells the
    other's whole name (中通快运 → ZTOKY)."""
    upper = clause.upper()
    found: dict[str, set[str]] = {}
    for code, name in couriers.items():
        words = {name[:2], *_SHORT_COURIER.get(code, ())} if name else set(_SHORT_COURIER.get(code, ()))
        latin = re.search(rf"(?<![A-Z]){re.escape(code.upper())}(?![A-Z])", upper)
        hits = {w for w in words if w and w in clause}
        if latin or hits:
            found[code] = hits if not latin else {code}
    spelled = [couriers[c] for c in found if couriers.get(c) and couriers[c] in clause]
    own = {w for c in found for w in _SHORT_COURIER.get(c, ()) if w in clause}
    codes = []
    for code, hits in found.items():
        name = couriers.get(code, "")
        if hits and name not in spelled and all(any(w in n for n in spelled) for w in hits):
            continue  # its word is part of another courier's name spelled out in the clause
        if hits and name not in spelled and not set(_SHORT_COURIER.get(code, ())) & hits \
                and hits <= own:
            continue  # its name's start is another courier's own word
        codes.append(code)
    return codes


def _after_colon(clause: str) -> str:
    for sep in ("：", ":"):
        if sep in clause:
            return clause.split(sep, 1)[1].strip()
    return ""


def gift_line(value: str) -> tuple[str, int]:
    """A gift action's value as (SKU, quantity): ``GIFT*2`` → ("GIFT", 2)."""
    sku, _, qty = value.partition("*")
    if not sku.strip():
        raise ValueError("a gift names its SKU (SKU or SKU*N)")
    if qty and not (qty.isascii() and qty.isdigit() and 0 < int(qty) <= 99):
        raise ValueError(f"gift {value!r}: the quantity after * is 1–99")
    return sku.strip(), int(qty or 1)
