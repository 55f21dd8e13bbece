"""`pickpack courier incident|proposals|pools` and the low-pool warning of `pickpack release`
(issue 17 item 5), against a real SQLite store migrated by `db upgrade`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from db.engine import write_tx
from pickpack.cli import main
from pickpack.config import load_config
from pickpack.core.tables import COURIERS, EVENTS, ORDERS, WAYBILLS
from pickpack.store import open_store
from tests.core.floorkit import seed


@pytest.fixture
def cfg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n[station]\nid = "D1"\n'
        '[couriers]\ndefault = "ZTO"\nsecondary = "ZTO"\npool_low = 4\n'
        '[couriers.ZTO]\nout = ["西藏"]\n', encoding="utf-8")
    assert main(["--config", str(path), "db", "upgrade"]) == 0
    engine = open_store(load_config(path))
    seed(engine, orders=3)
    with write_tx(engine) as conn:
        if conn.execute(select(COURIERS).where(COURIERS.c.code == "YTO")).first() is None:
            conn.execute(insert(COURIERS).values(code="YTO", name="圆通"))
        conn.execute(insert(WAYBILLS).values(tracking_no="YT1234567890", courier="YTO"))
    engine.dispose()
    capsys.readouterr()
    return path


def _run(cfg: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--config", str(cfg), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_release_warns_once_per_low_pool_and_pools_lists_them(
        cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    engine = open_store(load_config(cfg))
    with engine.connect() as conn:
        free = conn.execute(select(WAYBILLS.c.tracking_no).where(
            WAYBILLS.c.courier == "ZTO", WAYBILLS.c.order_id.is_(None))).all()
    code, out, err = _run(cfg, capsys, "release")
    assert code == 0 and out.startswith("released 3 orders")
    left = len(free) - 3
    warnings = err.splitlines()
    assert ("waybill pool low: YTO has 1 free numbers (under 4): import waybills" in warnings)
    assert any(w.startswith("waybill pool low: ZTO") for w in warnings) == (left < 4)
    code, out, _ = _run(cfg, capsys, "courier", "pools", "--json")
    listed = {(p["courier"], p["platform"]): (p["free"], p["used"]) for p in json.loads(out)}
    assert code == 0 and listed[("ZTO", "")] == (left, 3) and listed[("YTO", "")] == (1, 0)
    code, out, _ = _run(cfg, capsys, "courier", "pools")
    assert code == 0 and any(line.startswith("YTO") and line.endswith("LOW")
                             for line in out.splitlines())


def test_incidents_then_proposals(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(cfg, capsys, "release")[0] == 0
    engine = open_store(load_config(cfg))
    with engine.connect() as conn:
        tracks = list(conn.execute(select(ORDERS.c.tracking_no).where(
            ORDERS.c.state == "ready").order_by(ORDERS.c.id)).scalars())
    code, out, _ = _run(cfg, capsys, "courier", "proposals")
    assert code == 0 and out.startswith("no proposals")
    code, out, _ = _run(cfg, capsys, "courier", "incident", tracks[0], "--action", "transferred",
                        "--region", "青海 玉树", "--new-tracking", "YT1234567890", "--json")
    assert code == 0 and json.loads(out)["new_courier"] == "YTO"
    code, out, _ = _run(cfg, capsys, "courier", "incident", tracks[1], "--action", "returned",
                        "--region", "青海 玉树", "--by", "clerk2")
    assert code == 0 and out.startswith("out of area: ") and out.rstrip().endswith("returned")
    code, out, _ = _run(cfg, capsys, "courier", "proposals", "--json")
    assert code == 0 and json.loads(out) == [{
        "courier": "ZTO", "region": "青海 玉树", "incidents": 2, "add_out": "青海 玉树",
        "instead": {"YTO": 1}, "rule": {"prefix": "青海", "city": "玉树", "courier": "YTO"}}]
    code, out, _ = _run(cfg, capsys, "courier", "proposals")
    assert out.splitlines() == ['ZTO: add "青海 玉树" to [couriers.ZTO] out '
                                '(2 incidents; delivered instead by YTO 1)']
    with engine.connect() as conn:
        who = conn.execute(select(EVENTS.c.operator).where(EVENTS.c.kind == "out_of_area")
                           .order_by(EVENTS.c.id)).scalars().all()
    assert len(who) == 2 and who[1] == "clerk2"


def test_bad_input_is_one_line(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(cfg, capsys, "courier", "incident", "NOSUCH", "--action", "returned")
    assert (code, out, err) == (1, "", "pickpack: No order with tracking number NOSUCH\n")
    assert _run(cfg, capsys, "release")[0] == 0
    engine = open_store(load_config(cfg))
    with engine.connect() as conn:
        track = conn.execute(select(ORDERS.c.tracking_no).where(ORDERS.c.state == "ready")
                             .limit(1)).scalar_one()
    code, _, err = _run(cfg, capsys, "courier", "incident", track, "--action", "returned",
                        "--region", "a b c")
    assert code == 1 and len(err.splitlines()) == 1 and "province city" in err
    code, _, err = _run(cfg, capsys, "courier", "incident", track, "--action", "returned",
                        "--region", "省" * 40)
    assert code == 1 and len(err.splitlines()) == 1 and "province city" in err


def test_the_desk_makes_an_order_local_pickup_and_back(
        cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pickpack.core.events import Actor, append_event

    assert _run(cfg, capsys, "release")[0] == 0
    engine = open_store(load_config(cfg))

    def order(no: str) -> tuple[str, str | None, str | None]:
        with engine.connect() as conn:
            r = conn.execute(select(ORDERS.c.state, ORDERS.c.courier, ORDERS.c.tracking_no)
                             .where(ORDERS.c.order_no == no)).one()
        return r.state, r.courier, r.tracking_no

    first, second = "3900000000000000000", "3900000000000000001"
    _state, _courier, tracking = order(first)
    code, out, _ = _run(cfg, capsys, "courier", "pickup", first, "--json")
    assert code == 0 and json.loads(out) == {"key": first, "pickup": True,
                                             "note": "ready PICKUP -"}
    assert order(first) == ("ready", "PICKUP", None)
    with engine.connect() as conn:  # its number went back to the pool
        assert conn.execute(select(WAYBILLS.c.order_id)
                            .where(WAYBILLS.c.tracking_no == tracking)).scalar() is None
        kinds = [k for k, in conn.execute(select(EVENTS.c.kind).join(
            ORDERS, ORDERS.c.id == EVENTS.c.order_id).where(ORDERS.c.order_no == first))]
    assert "local_pickup" in kinds and kinds[-1] == "released"
    code, out, _ = _run(cfg, capsys, "courier", "pickup", first, "--undo")
    assert code == 0 and out.startswith(f"{first}: courier parcel (ready ZTO 7")
    assert order(first)[:2] == ("ready", "ZTO")
    with write_tx(engine) as conn:  # the second's express slip printed: too late
        oid = conn.execute(select(ORDERS.c.id).where(ORDERS.c.order_no == second)).scalar_one()
        append_event(conn, Actor("D1", "clerk"), "slip_printed", oid, {"kind": "express"})
    code, out, err = _run(cfg, capsys, "courier", "pickup", second)
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert "is printed already" in err and order(second)[1] == "ZTO"
