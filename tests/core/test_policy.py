"""Floor policy in the store (issue 16.7): config.toml seeds it at `db upgrade`, a supervisor
changes it (each change an event), every station reads it at start and on a live change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from db.engine import make_engine, write_tx
from pickpack.cli import main
from pickpack.config import load_config
from pickpack.core.context import Floor
from pickpack.core.events import Actor, now
from pickpack.core.policy import PolicyError, set_policy
from pickpack.core.stock.ledger import POLICY
from pickpack.core.tables import EVENTS
from pickpack.store import open_store
from tests.core.floorkit import SUPERVISOR_PIN, seed

SUP = Actor("D1", "OP9001", "supervisor")


@pytest.fixture
def cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n'
                    '[station]\nid = "D1"\nmode = "desk"\nlanguage = "zh_CN"\n'
                    '[floor]\nsafety_stock = 5\ncutoff_paid = "15:30"\n', encoding="utf-8")
    monkeypatch.setenv("PICKPACK_PIN", SUPERVISOR_PIN)
    assert main(["--config", str(path), "db", "upgrade"]) == 0
    seed(open_store(load_config(path)), orders=0)
    return path


def run(cfg: Path, *args: str) -> int:
    return main(["--config", str(cfg), *args])


def station(tmp_path: Path, name: str, body: str) -> Path:
    """Another station's config.toml on the same store, with its own (stale) policy lines."""
    path = tmp_path / name
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n{body}', encoding="utf-8")
    return path


def events(cfg: Path, kind: str) -> list[dict[str, object]]:
    with open_store(load_config(cfg)).connect() as conn:
        return [{"operator": o, **json.loads(p)} for o, p in conn.execute(
            select(EVENTS.c.operator, EVENTS.c.payload).where(EVENTS.c.kind == kind))]


def test_db_upgrade_seeds_the_policy_and_stations_read_it_from_the_store(
        cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    [seeded] = events(cfg, "policy_seeded")
    assert int(str(seeded["keys"])) > 10 and str(seeded["source"]).endswith("config.toml")
    other = station(tmp_path, "v1.toml", '[station]\nid = "V1"\nmode = "verify"\n'
                    '[floor]\nsafety_stock = 1\n')
    capsys.readouterr()
    assert main(["--config", str(other), "db", "upgrade"]) == 0  # the store has one: kept
    assert "floor policy" not in capsys.readouterr().out
    cfg_v1 = load_config(other)
    floor = Floor(open_store(cfg_v1), cfg_v1)
    assert floor.config.floor.safety_stock == 5 and floor.config.floor.cutoff_paid == "15:30"
    assert floor.config.station.id == "V1" and floor.config.station.mode == "verify"  # its own
    assert run(other, "policy", "show", "floor.safety_stock", "--json") == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row == {"key": "floor.safety_stock", "value": 5, "from": "store", "config_toml": 1}
    assert run(other, "stock", "show", "MUG-WH", "--json") == 0
    assert json.loads(capsys.readouterr().out)["safety"] == 5  # the store's safety stock


def test_a_supervisor_sets_a_value_for_every_station_and_it_is_on_record(
        cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    conf = load_config(cfg)
    floor = Floor(open_store(conf), conf)
    assert not floor.refresh_policy()  # nothing changed since start
    assert run(cfg, "policy", "set", "workflow.route", '["verify","weigh","ship"]',
               "--supervisor", "OP9001", "--json") == 0
    done = json.loads(capsys.readouterr().out)
    assert done["old"] == ["pick", "verify", "pack", "weigh", "ship"]
    assert done["new"] == ["verify", "weigh", "ship"] and done["supervisor"] == "OP9001"
    assert floor.refresh_policy() and floor.route == ["verify", "weigh", "ship"]
    assert run(cfg, "policy", "set", "floor.cutoff_handover", "17:00",
               "--supervisor", "OP9001") == 0
    assert "设置 floor.cutoff_handover：16:30 → 17:00" in capsys.readouterr().out  # its language
    [ev, ev2] = events(cfg, "policy_set")
    assert (ev["key"], ev["operator"], ev2["new"]) == ("workflow.route", "OP9001", "17:00")
    monkeypatch.setenv("PICKPACK_PIN", "0000")
    assert run(cfg, "policy", "set", "floor.safety_stock", "2", "--supervisor", "OP9001") == 1
    assert "PIN 错误" in capsys.readouterr().err  # Wrong PIN, in the config's language


@pytest.mark.parametrize(("key", "value", "says"), [
    # in the config's language (zh_CN), as every CLI message (issue 20.1)
    ("floor.cutoff_paid", "25:00", "policy floor.cutoff_paid: '25:00' 不是时刻"),
    ("workflow.route", '["pick","fly"]', "policy workflow.route"),
    ("station.language", "en", "station.language 属于本工位"),
    ("printers.express", "tcp://x:9100", "属于本工位"),
    ("floor.nope", "1", "没有策略项 'floor.nope'"),
    ("floor.safety_stock", "many", "policy floor.safety_stock"),
])
def test_bad_keys_and_values_are_refused_with_one_line(
        cfg: Path, capsys: pytest.CaptureFixture[str], key: str, value: str, says: str) -> None:
    assert run(cfg, "policy", "set", key, value, "--supervisor", "OP9001") == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1 and "Traceback" not in err
    assert events(cfg, "policy_set") == []


def test_a_stored_value_this_station_cannot_take_is_left_out_and_said(cfg: Path) -> None:
    conf = load_config(cfg)
    engine = open_store(conf)
    with write_tx(engine) as conn:
        conn.execute(POLICY.update().where(POLICY.c.key == "floor.cutoff_paid")
                     .values(value='"24:61"'))
        conn.execute(insert(POLICY).values(key="floor.from_a_newer_pickpack", value="1",
                                           updated_at=now(), updated_by="x"))
        set_policy(conn, SUP, conf, "floor.bulk_units", "8", supervisor="OP9001")
    floor = Floor(engine, conf)
    assert floor.config.floor.bulk_units == 8 and floor.config.floor.cutoff_paid == "15:30"
    assert set(floor.policy_skipped) == {"floor.cutoff_paid", "floor.from_a_newer_pickpack"}
    with engine.connect() as conn, pytest.raises(PolicyError, match="must be one of 'verify', 'desk'"):
        set_policy(conn, SUP, conf, "workflow.print_at", "nowhere", supervisor="OP9001")


def test_a_store_that_cannot_be_read_leaves_config_toml_in_force(tmp_path: Path) -> None:
    conf = load_config(station(tmp_path, "x.toml", "[floor]\nsafety_stock = 9\n"))
    floor = Floor(make_engine(f"sqlite:///{tmp_path / 'journal.db'}"), conf)  # no tables
    assert floor.config.floor.safety_stock == 9
    assert "store policy not read" in floor.policy_skipped["*"]


def test_a_running_station_takes_a_change_at_its_next_action_after_the_recheck_time(
        cfg: Path) -> None:
    from pickpack.core.context import POLICY_RECHECK_S

    conf = load_config(cfg)
    engine = open_store(conf)
    floor = Floor(engine, conf)
    with write_tx(engine) as conn:
        set_policy(conn, SUP, conf, "weighing.tolerance_g", "55", supervisor="OP9001")
    floor.run(SUP, lambda conn: None)  # within the recheck time: no read
    assert floor.config.weighing.tolerance_g == 30
    floor._policy_read_at -= POLICY_RECHECK_S  # the time has come (no sleeping in tests)
    floor.run(SUP, lambda conn: None)
    assert floor.config.weighing.tolerance_g == 55


def test_a_store_never_seeded_starts_its_policy_from_the_config_that_sets_a_value(
        tmp_path: Path) -> None:
    from tests.conftest import make_config

    conf = make_config(tmp_path, floor={"cutoff_paid": "14:00"})
    engine = open_store(conf)
    assert Floor(engine, conf).config == conf  # no policy in the store: config.toml's own
    with write_tx(engine) as conn:
        done = set_policy(conn, SUP, conf, "floor.safety_stock", "6", supervisor="OP9001")
    assert (done["old"], done["new"]) == (3, 6)
    floor = Floor(engine, conf)
    assert floor.config.floor.safety_stock == 6 and floor.config.floor.cutoff_paid == "14:00"
    with engine.connect() as conn:
        kinds = list(conn.execute(select(EVENTS.c.kind).order_by(EVENTS.c.id)).scalars())
    assert kinds == ["policy_seeded", "policy_set"]


def test_a_value_of_the_wrong_type_is_said_in_the_config_language(
        cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Pydantic's own English ("Input should be a valid integer…") never reaches a zh_CN CLI."""
    assert run(cfg, "policy", "set", "floor.safety_stock", "many", "--supervisor", "OP9001") == 2
    err = capsys.readouterr().err
    assert "policy floor.safety_stock" in err and "Input should" not in err, err
    assert '"many"' in err


def test_a_stock_change_that_is_no_change_is_said_in_the_station_language() -> None:
    from pickpack.core.stock.adjust import parse_change
    from pickpack.i18n import set_language

    set_language("zh_CN")
    try:
        with pytest.raises(ValueError) as refused:
            parse_change("abc")
    finally:
        set_language("en")
    assert str(refused.value) == "不是库存变动 'abc'：应为 +N、-N 或 =N（整件）"
