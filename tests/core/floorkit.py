"""A small warehouse made with plain inserts, for core tests that must not depend on intake."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert, select

from db.engine import write_tx
from pickpack.core.authority import hash_pin
from pickpack.core.context import Floor
from pickpack.core.tables import BARCODES, COURIERS, LINES, OPERATORS, ORDERS, SKUS, WAYBILLS

SUPERVISOR_PIN = "9001"
"""OP9001's PIN (supervisor authority is badge + PIN)."""
PAID = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

SKU_ROWS = [
    # sku, name, barcode, case barcode, weight_g, bin, on_hand
    ("TEE-BK-XL", "T恤 黑 XL", "6901661318609", None, 214, "A-01-02", 50),
    ("MUG-WH", "陶瓷马克杯 白", "6952890786660", "6961760313721", 350, "C-02-01", 40),
    ("SOCK-3", "袜子 3双", "6917777412155", None, 90, "B-03-04", 5),
]


def seed(engine: Engine, orders: int = 3) -> list[str]:
    """Catalog, couriers with waybills, operators and ``orders`` new orders; returns order nos."""
    with write_tx(engine) as conn:
        for sku, name, code, case, weight, bin_, on_hand in SKU_ROWS:
            conn.execute(insert(SKUS).values(sku=sku, name=name, weight_g=weight, bin=bin_,
                                             on_hand=on_hand, price=10))
            conn.execute(insert(BARCODES).values(code=code, sku=sku, units=1))
            if case:
                conn.execute(insert(BARCODES).values(code=case, sku=sku, units=6))
        for code in ("ZTO", "SF", "YTO"):
            conn.execute(insert(COURIERS).values(code=code, name=code))
        for i in range(orders + 5):
            conn.execute(insert(WAYBILLS).values(tracking_no=f"7{i:013d}", courier="ZTO"))
        for code, name, role in [("OP1001", "李拣货", "picker"), ("OP2001", "王校验", "verifier"),
                                 ("OP3001", "赵打包", "packer"), ("OP9001", "陈主管", "supervisor")]:
            conn.execute(insert(OPERATORS).values(
                code=code, name=name, role=role, roles=role, active=True,
                pin_hash=hash_pin(SUPERVISOR_PIN) if role == "supervisor" else None))
        numbers = []
        for i in range(orders):
            order_no = f"39000000000000000{i:02d}"
            numbers.append(order_no)
            oid = conn.execute(insert(ORDERS).values(
                order_no=order_no, buyer="tb1", receiver_name="张三", receiver_phone="13812341234",
                province="浙江省", city="杭州市", district="滨江区", street="长江路1号",
                postcode="310000", paid_at=PAID + timedelta(minutes=i), state="new",
                buyer_remark="送个小礼物" if i == 0 else "", platform_status="买家已付款，等待卖家发货",
            )).inserted_primary_key[0]
            conn.execute(insert(LINES).values(order_id=oid, sku="TEE-BK-XL", name="T恤", qty=1))
            conn.execute(insert(LINES).values(order_id=oid, sku="MUG-WH", name="马克杯", qty=2))
    return numbers


def ship_through(floor: Floor, order_no: str, *, weight_g: float | None = None,
                 basket: str = "B901") -> None:
    """Take a released order through pick, verify (every unit scanned), pack, weigh and ship,
    as OP1001 picks, OP2001 verifies and OP3001 packs, weighs and hands over. ``weight_g`` is
    the parcel's weight (default: the expected); out of tolerance OP9001 accepts it. Its
    express slip is recorded as printed (no printer in core tests)."""
    from pickpack.core.authority import prove_supervisor
    from pickpack.core.events import Actor, append_event
    from pickpack.core.orders import find_order_id, load_order
    from pickpack.core.overrides import override
    from pickpack.core.pack import pack_order
    from pickpack.core.pick import bind_basket, confirm_pick
    from pickpack.core.ship import close_manifest, scan_parcel
    from pickpack.core.verify import count_item
    from pickpack.core.weigh import expected_weight, record_weight

    picker, verifier = Actor("P1", "OP1001", "picker"), Actor("V1", "OP2001", "verifier")
    packer = Actor("K1", "OP3001", "packer")
    with floor.engine.connect() as conn:
        oid = find_order_id(conn, order_no)
        assert oid is not None, order_no
        view = load_order(conn, oid)
        codes = dict(conn.execute(select(BARCODES.c.sku, BARCODES.c.code)
                                  .where(BARCODES.c.units == 1)).all())
    bind_basket(floor, picker, basket, order_no)
    confirm_pick(floor, picker, oid)
    for line in view.lines:
        for _unit in range(line.qty):
            count_item(floor, verifier, oid, floor.classifier.classify(codes[line.sku]))
    pack_order(floor, packer, oid, "M")
    with floor.engine.connect() as conn:
        expected = expected_weight(conn, oid, floor.config.weighing).weight_g
    weighed = record_weight(floor, packer, oid, expected if weight_g is None else weight_g,
                            stable=True)
    if not weighed.accepted:
        sup = prove_supervisor(floor, packer, "OP9001", SUPERVISOR_PIN)
        override(floor, packer, sup, oid, "accept_weight", "R1")
    with write_tx(floor.engine) as conn:
        append_event(conn, packer, "slip_printed", oid, {"kind": "express"})
    manifest = scan_parcel(floor, Actor("S1", "OP3001", "packer"), order_no)
    close_manifest(floor, Actor("S1", "OP3001", "packer"), manifest.id)


def restamp(engine: Engine, start: datetime, step: timedelta,
            pauses: dict[int, timedelta] | None = None) -> dict[int, datetime]:
    """Put the trail on a clock of its own: event ``i`` (in id order) at ``start + i × step``,
    plus every pause whose event index ``i`` has passed (report tests; the trail's order kept).
    Returns each event id's new time."""
    from pickpack.core.tables import EVENTS

    pauses = pauses or {}
    stamped: dict[int, datetime] = {}
    with write_tx(engine) as conn:
        ids = list(conn.execute(select(EVENTS.c.id).order_by(EVENTS.c.id)).scalars())
        for i, eid in enumerate(ids):
            at = start + step * i + sum((p for k, p in pauses.items() if i >= k), timedelta())
            conn.execute(EVENTS.update().where(EVENTS.c.id == eid).values(at=at))
            stamped[eid] = at
    return stamped
