"""Slip layouts on paper: each layout dataclass becomes a :class:`~printers.doc.Document`.

Sizes follow what the floor reads from arm's length: the sort code and the address large, the
tracking number as a barcode the sorting centre scans, masked receiver details (privacy rules
for express waybills). 58 mm paper gets the same content with smaller large type.
"""

from __future__ import annotations

from decimal import Decimal

from printers.chinese import text_width
from printers.doc import Barcode, Cut, Document, Feed, QRCode, Rule, Text, paper, wrap
from printers.layouts import (
    CommandSheet,
    ExpressSlip,
    Manifest,
    PackingSlip,
    PickList,
    mask_name,
    mask_phone,
)

Layout = ExpressSlip | PackingSlip | PickList | Manifest | CommandSheet


def _wide(doc: Document) -> bool:
    return doc.paper.mm >= 80


def _title(doc: Document, text: str) -> None:
    doc.text(text, width=2, height=2, bold=True, align="center")


def _money(value: Decimal) -> str:
    return f"￥{value:.2f}"


def compose_express(slip: ExpressSlip, paper_mm: int = 80) -> Document:
    """The express slip (面单): courier, sort code, tracking barcode, receiver, sender, QR."""
    doc = Document(paper(paper_mm), f"express-{slip.tracking_no}")
    _title(doc, f"{slip.courier_name} {slip.courier_code}".strip())
    doc.add(Rule())
    if slip.sort_code:
        size = 3 if text_width(slip.sort_code) * 3 <= doc.paper.columns else 2
        doc.text(slip.sort_code, width=size, height=3, bold=True, align="center")
        doc.add(Rule())
    doc.add(Barcode(slip.tracking_no, height=100 if _wide(doc) else 80, module=3))
    doc.add(Rule())
    receiver = f"收件人：{mask_name(slip.receiver_name)}  {mask_phone(slip.receiver_phone)}"
    doc.text(receiver, height=2, bold=True)
    doc.text(slip.address, width=2 if _wide(doc) else 1, height=2, bold=True)
    doc.add(Rule())
    doc.text(f"寄件人：{slip.sender}", indent=8)
    doc.text(f"订单号：{slip.order_no}")
    weight = f"重量：{slip.weight_kg:.2f}kg" if slip.weight_kg is not None else ""
    doc.pair(f"件数：{slip.item_count}", weight)
    doc.add(QRCode(slip.tracking_no, module=6 if _wide(doc) else 5), Cut())
    return doc


def compose_packing(slip: PackingSlip, paper_mm: int = 80) -> Document:
    """The packing slip that goes in the parcel; prices only when ``show_prices``."""
    doc = Document(paper(paper_mm), f"packing-{slip.order_no}")
    _title(doc, "装箱单")
    doc.add(Barcode(slip.order_no, height=60, module=2))
    doc.text(f"订单号：{slip.order_no}")
    doc.add(Rule())
    for line in slip.lines:
        doc.text(f"{line.name} {line.variant}".strip(), bold=True, indent=2)
        right = f"x{line.qty}"
        if slip.show_prices and line.price is not None:
            right += f"  {_money(line.price)}"
        doc.pair(f"  {line.sku}  库位 {line.bin}", right, bold=line.qty > 1)
    doc.add(Rule())
    units = sum(line.qty for line in slip.lines)
    total = ""
    prices = [line.price * line.qty for line in slip.lines if line.price is not None]
    if slip.show_prices and prices and len(prices) == len(slip.lines):
        total = f"合计 {_money(sum(prices, Decimal(0)))}"
    doc.pair(f"共 {len(slip.lines)} 种 {units} 件", total, bold=True)
    if slip.buyer_remark:
        doc.text(f"买家留言：{slip.buyer_remark}", indent=10)
    if slip.gift_note:
        doc.add(Rule("*"))
        doc.text("礼品留言", bold=True, align="center")
        doc.text(slip.gift_note, height=2)
        doc.add(Rule("*"))
    doc.add(Feed(1), Cut())
    return doc


def compose_picklist(pick: PickList, paper_mm: int = 80) -> Document:
    """The pick list, in walking order (sorted by bin)."""
    doc = Document(paper(paper_mm), f"picklist-{pick.batch_id}")
    _title(doc, "拣货单")
    doc.add(Barcode(pick.batch_id, height=60, module=2))
    when = pick.created_at.strftime("%m-%d %H:%M") if pick.created_at else ""
    doc.pair(f"批次：{pick.batch_id}", when)
    units = sum(line.qty for line in pick.lines)
    orders = f"订单 {pick.order_count}  " if pick.order_count is not None else ""
    doc.text(f"{orders}SKU {len(pick.lines)}  件数 {units}")
    doc.add(Rule())
    doc.pair("库位  SKU", "数量")
    doc.add(Rule())
    for line in pick.sorted_lines():
        doc.pair(f"{line.bin}  {line.sku}", f"x{line.qty}", bold=True)
        for text in _between_words(f"{line.name} {line.variant}".strip(), doc.paper.columns,
                                   first=4, rest=6):
            doc.add(Text(text))
    doc.add(Rule(), Cut())
    return doc


def _between_words(text: str, columns: int, *, first: int, rest: int) -> list[str]:
    """``text`` in lines of at most ``columns`` cells, broken only at spaces (a slot mark such
    as ``29×2`` stays whole); the first line indented by ``first``, the others by ``rest`` so
    they read as the same stop. A word wider than a line is wrapped as any text is."""
    lines: list[str] = []
    line = " " * first
    for word in text.split():
        room = columns - text_width(line)
        if line.strip() and text_width(word) + 1 <= room:
            line += " " + word
            continue
        if line.strip():
            lines.append(line)
            line = " " * rest
        if text_width(line) + text_width(word) <= columns:
            line += word
            continue
        *whole, line = wrap(" " * text_width(line) + word, columns, rest)
        lines.extend(whole)
    if line.strip():
        lines.append(line)
    return lines


def compose_manifest(manifest: Manifest, paper_mm: int = 80) -> Document:
    """The handover manifest the courier signs: every tracking number, numbered."""
    doc = Document(paper(paper_mm), f"manifest-{manifest.manifest_no}")
    _title(doc, "交接单")
    doc.text(f"{manifest.courier_name} {manifest.courier}".strip()
             if manifest.courier_name != manifest.courier else manifest.courier,
             width=2, bold=True, align="center")
    doc.add(Barcode(manifest.manifest_no, height=60, module=2))
    doc.text(f"交接单号：{manifest.manifest_no}")
    if manifest.closed_at:
        doc.text(f"交接时间：{manifest.closed_at:%Y-%m-%d %H:%M}")
    doc.text(f"件数：{manifest.count}", height=2, bold=True)
    doc.add(Rule())
    entries = [f"{i:>3}. {no}" for i, no in enumerate(manifest.tracking_nos, 1)]
    cell = max((text_width(e) for e in entries), default=0) + 2
    per_line = max(1, doc.paper.columns // max(cell, 1))
    for start in range(0, len(entries), per_line):
        row = entries[start : start + per_line]
        doc.add(Text("".join(e + " " * (cell - text_width(e)) for e in row).rstrip()))
    doc.add(Rule(), Feed(1))
    if manifest.printed is not None:
        _handover_count(doc, manifest)
    doc.text("快递员签字：________________")
    doc.text("日期：________________")
    doc.add(Feed(1), Cut())
    return doc


def _handover_count(doc: Document, manifest: Manifest) -> None:
    """The count at close against the slips printed, the differences both ways, who closed it
    despite them, and the warehouse's own signature line."""
    doc.pair(f"面单已打印：{manifest.printed}", f"交接：{manifest.count}", bold=True)
    for label, parcels in (("已打印未交接", manifest.missing), ("无面单交接", manifest.unslipped)):
        if parcels:
            doc.text(f"{label}（{len(parcels)}）：", bold=True)
            for line in wrap(" ".join(parcels), doc.paper.columns, indent=2):
                doc.add(Text(line))
    if manifest.supervisor:
        doc.text(f"主管确认：{manifest.supervisor}")
        if manifest.reason:
            doc.text(f"原因：{manifest.reason}")
    doc.add(Feed(1))
    doc.text("交接人签字：________________")


def compose_commands(sheet: CommandSheet, paper_mm: int = 80) -> Document:
    """The station's command sheet: one labelled barcode per action."""
    doc = Document(paper(paper_mm), f"commands-{sheet.station}")
    _title(doc, sheet.title or f"{sheet.station} 命令条码")
    doc.add(Rule())
    for i, (label, code) in enumerate(sheet.commands):
        doc.text(label, height=2, bold=True, align="center")
        if i < len(sheet.details) and sheet.details[i]:
            doc.text(sheet.details[i], align="center")
        doc.add(Barcode(code, height=60, module=2), Feed(1))
    doc.add(Cut())
    return doc


def compose(layout: Layout, paper_mm: int = 80) -> Document:
    """The document for any slip layout."""
    if isinstance(layout, ExpressSlip):
        return compose_express(layout, paper_mm)
    if isinstance(layout, PackingSlip):
        return compose_packing(layout, paper_mm)
    if isinstance(layout, PickList):
        return compose_picklist(layout, paper_mm)
    if isinstance(layout, Manifest):
        return compose_manifest(layout, paper_mm)
    if isinstance(layout, CommandSheet):
        return compose_commands(layout, paper_mm)
    raise TypeError(f"not a slip layout: {type(layout).__name__}")
