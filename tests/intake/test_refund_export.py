"""The newer 千牛 refund export (退款报表, issue 18 §2) as public importers read it: the merchant
code in 商品编码, no 是否需要退货 column, 退款完结时间 and 退款的申请时间 twice, 部分退款 / 全部退款;
as .xlsx and as GBK CSV. Header from public code (docs/INTAKE.md); the rows are ours."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from pickpack.config import Config
from pickpack.core.aftersales.tables import REFUNDS
from pickpack.core.events import Actor
from pickpack.core.release import release
from pickpack.core.tables import LINES, ORDERS
from pickpack.intake.refunds import import_refunds
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.floorkit import seed
from tests.intake.xlsx import write_xlsx

HEADER = ["订单编号", "退款编号", "支付单号", "订单付款时间", "商品 id", "商品编码", "退款完结时间",
          "买家实际支付金额", "宝贝标题", "买家退款金额", "手工退款 / 系统退款", "售后类型",
          "退款的申请时间", "超时时间", "退款状态", "货物状态", "退货物流信息", "发货物流信息",
          "客服介入状态", "卖家真实姓名", "卖家真实姓名 (新)", "卖家退货地址", "卖家邮编", "卖家电话",
          "卖家手机", "退货物流单号", "退货物流公司", "买家退款原因", "买家退款说明", "买家退货时间",
          "责任方", "售中或售后", "备注标签", "商家备注", "完结时间", "部分退款 / 全部退款",
          "审核操作人", "举证超时", "是否零秒响应", "退款操作人", "退款原因标签", "业务类型",
          "退款完结时间", "退款的申请时间"]
NO = "39000000000000000"


def row(order: str, refund: str, code: str, amount: str, status: str,
        scope: str = "部分退款") -> list[str]:
    cells = {"订单编号": order, "退款编号": refund, "商品编码": code, "宝贝标题": "T恤",
             "买家实际支付金额": "30.00", "买家退款金额": amount, "手工退款 / 系统退款": "系统退款",
             "售后类型": "售中退款", "退款的申请时间": "2026-11-20 10:00:00", "退款状态": status,
             "货物状态": "未发货", "买家退款原因": "拍错/多拍", "买家退款说明": "颜色拍错了",
             "售中或售后": "售中", "部分退款 / 全部退款": scope, "业务类型": "淘宝"}
    return [cells.get(h, "") for h in HEADER]


@pytest.fixture
def store(tmp_path: Path) -> tuple[Engine, Config]:
    cfg = make_config(tmp_path)
    engine = open_store(cfg)
    seed(engine, orders=2)
    release(engine, cfg, Actor("D1", "desk"))
    return engine, cfg


def _lines(engine: Engine, order_no: str) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(LINES.c.sku).join(ORDERS, ORDERS.c.id == LINES.c.order_id)
                                   .where(ORDERS.c.order_no == order_no)).scalars())


def _check(engine: Engine) -> None:
    with engine.connect() as conn:
        states = {r.order_no: r.state for r in conn.execute(select(ORDERS))}
        refunds = {r.refund_no: (r.order_no, r.reason) for r in conn.execute(select(REFUNDS))}
    assert states[NO + "01"] == "cancelled"
    assert _lines(engine, NO + "00") == ["MUG-WH"]  # the refunded tee split off and cancelled
    assert refunds["7001"] == (NO + "00", "拍错/多拍 颜色拍错了")


def test_newer_refund_export_as_xlsx(store: tuple[Engine, Config], tmp_path: Path) -> None:
    engine, cfg = store
    path = write_xlsx(tmp_path / "退款导出.xlsx", {"退款明细": [
        HEADER, row(NO + "00", "7001", "TEE-BK-XL", "10.00", "退款成功"),
        row(NO + "01", "7002", "", "30.00", "退款成功", scope="全部退款")]})
    res = import_refunds(engine, cfg, path, skip_bad=False)
    assert res.applied is not None and res.applied.acted == {"split": 1, "cancelled": 1}
    _check(engine)


def test_newer_refund_export_as_gbk_csv(store: tuple[Engine, Config], tmp_path: Path) -> None:
    engine, cfg = store
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerows([HEADER, row(f"'{NO}00", "'7001", "TEE-BK-XL", "10.00", "退款成功"),
                 row(f"'{NO}01", "'7002", "", "30.00", "退款成功", scope="全部退款")])
    path = tmp_path / "refunds.csv"
    path.write_bytes(buf.getvalue().encode("gbk"))
    import_refunds(engine, cfg, path, skip_bad=False)
    _check(engine)
