"""The platform's refund export on the floor (issue 18.2): a full refund cancels and
intercepts, a partial one splits off and cancels the refunded line, 退款中 holds until the
refund closes; after handover a return is expected, or the courier asked to intercept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from pickpack.config import Config
from pickpack.core.aftersales.tables import INTERCEPTS, REFUNDS, RETURNS
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.release import release
from pickpack.core.tables import EVENTS, LINES, ORDERS
from pickpack.intake.refunds import import_refunds, status_kind
from pickpack.intake.result import ImportFailed
from tests.core.floorkit import seed, ship_through

# the seller centre's refund export (退款管理 → 批量导出), its header as the shop gets it
HEADER = ("订单编号,退款编号,支付宝交易号,订单付款时间,宝贝ID,宝贝标题,商家编码,退款完结时间,"
          "买家实际支付金额,买家退款金额,手工退款/系统退款,是否需要退货,退款的申请时间,超时时间,"
          "退款状态,货物状态,退货物流信息,发货物流信息,客服介入状态,卖家真实姓名,卖家退货地址,"
          "卖家邮编,卖家电话,卖家手机,退货物流单号,退货物流公司,买家退款原因,买家退款说明,"
          "买家退货时间,责任方,售中或售后,退款备注,退款类型")
NO = "39000000000000000"


def row(order: str, refund: str, sku: str, amount: str, needs: str, status: str,
        tracking: str = "", reason: str = "不想要了") -> str:
    cells = {"订单编号": f"'{order}", "退款编号": f"'{refund}", "宝贝标题": "T恤", "商家编码": sku,
             "买家实际支付金额": "30.00", "买家退款金额": amount, "是否需要退货": needs,
             "退款状态": status, "退货物流单号": tracking, "买家退款原因": reason,
             "退款的申请时间": "2026-11-20 10:00:00"}
    return ",".join(cells.get(h, "") for h in HEADER.split(","))


def export(tmp_path: Path, *rows: str, name: str = "refunds.csv") -> Path:
    path = tmp_path / name
    path.write_text("\r\n".join([HEADER, *rows]) + "\r\n", encoding="gb18030")
    return path


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    seed(engine, orders=3)
    release(engine, config, Actor("D1", "desk"))
    return Floor(engine, config)


def states(engine: Engine) -> dict[str, tuple[str, str]]:
    with engine.connect() as conn:
        return {r.order_no: (r.state, r.hold_reason) for r in conn.execute(select(ORDERS))}


def test_refunds_before_shipping_cancel_split_and_hold(floor: Floor, tmp_path: Path) -> None:
    path = export(tmp_path,
                  row(NO + "00", "5001", "", "30.00", "否", "退款成功"),
                  row(NO + "01", "5002", "TEE-BK-XL", "10.00", "否", "退款成功"),
                  row(NO + "02", "5003", "MUG-WH", "20.00", "否", "买家已经申请退款，等待卖家同意"),
                  row("3999999999999999999", "5004", "", "9.00", "否", "退款成功"))
    res = import_refunds(floor.engine, floor.config, path, skip_bad=False)
    assert res.applied is not None and res.applied.acted == {
        "cancelled": 1, "split": 1, "held": 1, "unknown_order": 1}
    assert "no such order: 3999999999999999999" in res.summary()
    now = states(floor.engine)
    assert now[NO + "00"][0] == "cancelled"
    assert now[NO + "02"] == ("held", "refund pending (退款中) 5003")
    parcels = [no for no in now if no.startswith(NO + "01") and no != NO + "01"]
    assert len(parcels) == 1 and now[parcels[0]][0] == "cancelled"  # the refunded tee
    assert now[NO + "01"][0] != "cancelled"
    with floor.engine.connect() as conn:
        left = conn.execute(select(LINES.c.sku).join(ORDERS, ORDERS.c.id == LINES.c.order_id)
                            .where(ORDERS.c.order_no == NO + "01")).scalars().all()
        kinds = list(conn.execute(select(EVENTS.c.kind)).scalars())
    assert left == ["MUG-WH"] and "intercept_pending" in kinds and "split" in kinds
    again = import_refunds(floor.engine, floor.config, export(
        tmp_path, row(NO + "02", "5003", "MUG-WH", "20.00", "否", "退款关闭"), name="r2.csv"),
        skip_bad=False)
    assert again.applied is not None and again.applied.acted == {"released": 1}
    assert states(floor.engine)[NO + "02"][0] == "ready"


def test_after_handover_a_return_is_expected_or_the_parcel_intercepted(
        floor: Floor, tmp_path: Path) -> None:
    ship_through(floor, NO + "00", basket="B901")
    ship_through(floor, NO + "01", basket="B902")
    path = export(tmp_path,
                  row(NO + "00", "6001", "MUG-WH", "20.00", "是", "买家已经退货，等待卖家确认收货",
                      tracking="SF1300000000009", reason="质量问题"),
                  row(NO + "01", "6002", "", "30.00", "否", "退款中"))
    res = import_refunds(floor.engine, floor.config, path, skip_bad=False)
    assert res.applied is not None and res.applied.acted == {"return_expected": 1,
                                                             "intercept_requested": 1}
    with floor.engine.connect() as conn:
        ret = conn.execute(select(RETURNS)).one()
        intercept = conn.execute(select(INTERCEPTS)).one()
        acted = dict(conn.execute(select(REFUNDS.c.refund_no, REFUNDS.c.acted)).all())
    assert (ret.tracking_no, ret.refund_no, ret.reason, ret.source) == (
        "SF1300000000009", "6001", "质量问题", "refund")
    assert json.loads(ret.declared) == [{"sku": "MUG-WH", "qty": 2}]
    assert intercept.status == "requested" and acted == {"6001": "return_expected",
                                                         "6002": "intercept_requested"}
    again = import_refunds(floor.engine, floor.config, path, skip_bad=False)
    assert again.applied is not None and again.applied.acted == {"return_expected": 1,
                                                                 "intercept_requested": 1}
    with floor.engine.connect() as conn:
        assert len(conn.execute(select(RETURNS)).all()) == 1  # imported twice: one return


def test_a_bad_file_is_refused_naming_row_and_field(floor: Floor, tmp_path: Path) -> None:
    path = export(tmp_path, row(NO + "00", "7001", "", "abc", "否", "退款成功"),
                  row(NO + "01", "7002", "", "1.00", "否", "火星状态"))
    with pytest.raises(ImportFailed) as failed:
        import_refunds(floor.engine, floor.config, path, skip_bad=False)
    assert str(failed.value).splitlines() == [
        "refunds.csv row 2, amount: not an amount: 'abc'",
        "refunds.csv row 3, status: not a refund status this import knows: '火星状态' (退款成功, "
        "退款关闭, 退款中, 等待卖家同意…)"]
    assert states(floor.engine)[NO + "00"][0] == "ready"
    (tmp_path / "x.csv").write_text("订单编号,金额\r\n1,2\r\n", encoding="gb18030")
    with pytest.raises(ImportFailed, match="退款编号 or 退款单号"):
        import_refunds(floor.engine, floor.config, tmp_path / "x.csv", skip_bad=False)
    assert [status_kind(s) for s in ("退款成功", "卖家拒绝退款", "等待买家退货")] == [
        "success", "closed", "pending"]


def test_an_intercepted_parcel_comes_back_as_a_return(floor: Floor, tmp_path: Path) -> None:
    from pickpack.core.aftersales.intercepts import settle_intercept
    from pickpack.core.aftersales.returns import arrive

    ship_through(floor, NO + "01", basket="B902")
    import_refunds(floor.engine, floor.config, export(
        tmp_path, row(NO + "01", "6102", "", "30.00", "否", "退款中")), skip_bad=False)
    desk = Actor("D1", "OP2001", "clerk")
    with pytest.raises(Exception, match="No courier intercept asked for"):
        settle_intercept(floor, desk, NO + "00", "intercepted")
    view = settle_intercept(floor, desk, NO + "01", "intercepted", "已拦截，退回中")
    assert view.status == "intercepted"
    back = arrive(floor, desk, view.tracking_no)  # the parcel itself, at the returns station
    assert (back.order_no, back.source, back.case_id) == (NO + "01", "refund", None)
    assert back.declared == [{"sku": "TEE-BK-XL", "qty": 1}, {"sku": "MUG-WH", "qty": 2}]


def test_a_return_not_received_within_the_wait_is_late(floor: Floor, config: Config) -> None:
    from datetime import timedelta

    from db.engine import write_tx
    from pickpack.core.aftersales.awaited import late_returns
    from pickpack.core.aftersales.returns import register_return
    from pickpack.core.events import now

    ship_through(floor, NO + "00", basket="B901")
    with write_tx(floor.engine) as conn:
        oid = conn.execute(select(ORDERS.c.id).where(ORDERS.c.order_no == NO + "00")).scalar()
        register_return(conn, Actor("D1", "desk"), oid, tracking_no="SF1300000000100")
        register_return(conn, Actor("D1", "desk"), oid, tracking_no="SF1300000000101")
        conn.execute(RETURNS.update().where(RETURNS.c.tracking_no == "SF1300000000100")
                     .values(registered_at=now() - timedelta(days=3)))
    with floor.engine.connect() as conn:
        late = late_returns(conn, config)
        later = late_returns(conn, config, at=now() + timedelta(days=3))
    assert [r["tracking_no"] for r in late] == ["SF1300000000100"]  # [aftersales] 2 days
    assert sorted(r["tracking_no"] for r in later) == ["SF1300000000100", "SF1300000000101"]
