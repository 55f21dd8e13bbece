"""Remarks become actions, acknowledged (issue 16.3): one reader, the audit waits for the ack,
gifts become lines, the courier asked is taken, and the seller's memo never reaches a slip."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select

from db.engine import write_tx
from pickpack.config import Config, CouriersConfig
from pickpack.core.context import Floor
from pickpack.core.desk.ack import acknowledge
from pickpack.core.desk.remarks import RemarkAction, read_remarks
from pickpack.core.refusal import Refusal
from pickpack.core.release import release
from pickpack.core.tables import BARCODES, LINES, SKUS, WAYBILLS
from pickpack.printing.queue import PrintQueue
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.desk_kit import CLERK, events, oid, row, set_order
from tests.core.floorkit import seed
from tests.printing.test_queue import Printer

A, B, C = (f"39000000000000000{i:02d}" for i in range(3))
NAMES = CouriersConfig().names
GIFTS = {"小毛巾": "GIFT-TOWEL"}


def read(buyer: str, memo: str = "") -> list[tuple[str, str, bool]]:
    return [(a.kind, a.value, a.negated)
            for a in read_remarks(buyer, memo, gifts=GIFTS, couriers=NAMES)]


@pytest.mark.parametrize(("buyer", "memo", "want"), [
    ("送人的，请不要放价格单", "", [("no_price", "", False)]),
    ("不要放发票", "", [("invoice", "", True)]),
    ("不开发票", "", [("invoice", "", True)]),
    ("不放价格单", "", [("no_price", "", False)]),
    ("不走中通，周末不在家", "", [("courier", "ZTO", True)]),
    ("麻烦开发票，谢谢", "", [("invoice", "", False)]),
    ("特别需要发票", "", [("invoice", "", False)]),
    ("别放发票", "", [("invoice", "", True)]),
    ("周末不在家，请发顺丰", "", [("courier", "SF", False)]),
    ("不要发中通", "", [("courier", "ZTO", True)]),
    ("", "赠品：小毛巾两条", [("gift", "GIFT-TOWEL*2", False)]),
    ("", "赠品：钥匙扣", [("gift", "", False)]),
    ("", "加急", [("urgent", "", False)]),
    ("不急，慢慢发", "", [("urgent", "", True)]),
    ("", "不加急", [("urgent", "", True)]),
    ("不用加急", "", [("urgent", "", True)]),
    ("", "改地址：上海市 浦东新区 世纪大道1号", [("address", "上海市 浦东新区 世纪大道1号", False)]),
    ("和我另一单一起发", "", [("merge", "", False)]),
    ("送个小礼物", "", []),
    ("", "", []),
])
def test_the_reader_reads_requests_and_their_negations(
        buyer: str, memo: str, want: list[tuple[str, str, bool]]) -> None:
    assert read(buyer, memo) == want


def test_the_reader_keeps_where_each_action_came_from() -> None:
    acts = read_remarks("不要放发票", "赠品：小毛巾一条", gifts=GIFTS, couriers=NAMES)
    assert [(a.kind, a.source) for a in acts] == [("invoice", "buyer"), ("gift", "memo")]
    assert acts[1].contract() == {"kind": "gift", "value": "GIFT-TOWEL", "negated": False}


@pytest.fixture
def printer() -> Iterator[Printer]:
    p = Printer()
    p.on()
    yield p
    p.off()


@pytest.fixture
def config(tmp_path: Path, printer: Printer) -> Config:
    return make_config(tmp_path, desk={"gifts": GIFTS},
                       printers={"express": printer.url, "packing": printer.url})


@pytest.fixture
def engine(config: Config) -> Iterator[Engine]:
    eng = open_store(config, create=True)
    seed(eng, orders=3)
    with write_tx(eng) as conn:
        conn.execute(insert(SKUS).values(sku="GIFT-TOWEL", name="小毛巾", on_hand=100,
                                         bin="G-01-01"))
        conn.execute(insert(BARCODES).values(code="6900000000017", sku="GIFT-TOWEL"))
        conn.execute(insert(WAYBILLS).values(tracking_no="SF1000000000001", courier="SF"))
    yield eng
    eng.dispose()


def test_an_unacknowledged_remark_waits_in_the_audit_and_the_ack_releases_it(
        engine: Engine, config: Config) -> None:
    set_order(engine, A, buyer_remark="不要放发票，周末不在家请发顺丰", seller_memo="赠品：小毛巾一条")
    result = release(engine, config, CLERK)
    assert result.held == {"remark to acknowledge": 1}
    assert row(engine, A).hold_reason == "remark to acknowledge: invoice, courier, gift"
    done = acknowledge(Floor(engine, config), CLERK, oid(engine, A))
    assert (done.state, done.acked_by, done.gift_lines) == ("ready", "OP5001", ["GIFT-TOWEL*1"])
    _, payload = events(engine, A, "remark_acked")[-1]
    assert payload["actions"] == [{"kind": "invoice", "value": "", "negated": True},
                                  {"kind": "courier", "value": "SF", "negated": False},
                                  {"kind": "gift", "value": "GIFT-TOWEL", "negated": False}]
    assert payload["by"] == "OP5001"
    a = row(engine, A)
    assert (a.courier, a.tracking_no, a.remark_ack) == ("SF", "SF1000000000001", True)
    with engine.connect() as conn:
        skus = list(conn.execute(select(LINES.c.sku).where(LINES.c.order_id == a.id)
                                 .order_by(LINES.c.id)).scalars())
    assert skus == ["TEE-BK-XL", "MUG-WH", "GIFT-TOWEL"]
    # acknowledged again with an edit: the gift line is replaced, not added twice
    acknowledge(Floor(engine, config), CLERK, a.id,
                [RemarkAction("gift", "GIFT-TOWEL*3"), RemarkAction("courier", "SF")])
    with engine.connect() as conn:
        gifts = conn.execute(select(LINES.c.qty).where(LINES.c.order_id == a.id,
                                                       LINES.c.sku == "GIFT-TOWEL")).all()
    assert gifts == [(3,)]


def test_a_gift_the_catalogue_cannot_name_is_refused_until_the_clerk_names_it(
        engine: Engine, config: Config) -> None:
    set_order(engine, B, seller_memo="赠品：钥匙扣")
    release(engine, config, CLERK)
    floor = Floor(engine, config)
    with pytest.raises(Refusal, match="a gift names its SKU"):
        acknowledge(floor, CLERK, oid(engine, B))
    with pytest.raises(Refusal, match="no SKU KEYRING"):
        acknowledge(floor, CLERK, oid(engine, B), [RemarkAction("gift", "KEYRING")])
    assert acknowledge(floor, CLERK, oid(engine, B),
                       [RemarkAction("gift", "GIFT-TOWEL")]).state == "ready"


def test_with_remarks_need_ack_off_the_audit_does_not_wait(tmp_path: Path, engine: Engine,
                                                          config: Config) -> None:
    set_order(engine, A, buyer_remark="不要放发票")
    off = config.model_copy(update={"floor": config.floor.model_copy(
        update={"remarks_need_ack": False})})
    assert release(engine, off, CLERK).ready == 3


def test_the_memo_never_prints_and_no_price_leaves_the_prices_out(
        engine: Engine, config: Config, printer: Printer) -> None:
    memo = "内部：此买家差评过，小心"
    set_order(engine, A, buyer_remark="送人的，请不要放价格单", seller_memo=memo)
    set_order(engine, B, seller_memo=memo)
    release(engine, config, CLERK)
    acknowledge(Floor(engine, config), CLERK, oid(engine, A), gift_message="生日快乐，小明")
    queue = PrintQueue(engine, config, CLERK)
    queue.enqueue_slips(oid(engine, A), ("packing",))
    queue.enqueue_slips(oid(engine, B), ("packing",))
    assert queue.run_once() == 2
    slip_a, slip_b = printer.wait_jobs(2)
    for slip in (slip_a, slip_b):
        assert memo.encode("gb18030") not in slip and "差评".encode("gb18030") not in slip
        assert "礼品留言".encode("gb18030") not in slip or slip is slip_a
    assert "生日快乐，小明".encode("gb18030") in slip_a
    assert "合计".encode("gb18030") not in slip_a and b"10.00" not in slip_a
    assert "合计".encode("gb18030") in slip_b  # prices where nobody asked otherwise
