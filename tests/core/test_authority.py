"""Supervisor authority: badge + PIN, a slow hash in the central store, five wrong PINs lock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.authority import (
    MAX_TRIES,
    hash_pin,
    pin_matches,
    prove_supervisor,
    set_pin,
    verify_supervisor,
)
from pickpack.core.context import Floor
from pickpack.core.events import Actor, now
from pickpack.core.operators import add_operator, find_operator, login, parse_roles
from pickpack.core.refusal import Refusal
from pickpack.core.tables import EVENTS, OPERATORS

ACTOR = Actor("V1", "OP2001", "verifier")


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    add_operator(engine, "OP9001", "陈主管", "supervisor", pin="4321")
    add_operator(engine, "OP9002", "刘主管", "supervisor", pin="8765")
    add_operator(engine, "OP2001", "王校验", "verifier")
    return Floor(engine, config)


def kinds(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(EVENTS.c.kind).order_by(EVENTS.c.id)).scalars())


def test_pin_is_stored_as_a_salted_scrypt_hash_never_as_itself(floor: Floor) -> None:
    with floor.engine.connect() as conn:
        stored = conn.execute(select(OPERATORS.c.pin_hash)
                              .where(OPERATORS.c.code == "OP9001")).scalar_one()
    assert stored.startswith("scrypt$4$") and "4321" not in stored
    assert pin_matches("4321", stored) and not pin_matches("4322", stored)
    assert hash_pin("4321") != hash_pin("4321")  # salted
    with pytest.raises(ValueError, match="digits"):
        hash_pin("12a4")


def test_badge_and_pin_prove_a_supervisor_and_nothing_less(floor: Floor) -> None:
    assert prove_supervisor(floor, ACTOR, "OP9001", "4321").code == "OP9001"
    with pytest.raises(Refusal) as refused:
        prove_supervisor(floor, ACTOR, "OP2001", "4321")
    assert refused.value.code == "not_supervisor"
    with pytest.raises(Refusal) as refused:
        prove_supervisor(floor, ACTOR, "OP9001", "")
    assert refused.value.code == "bad_pin"
    add_operator(floor.engine, "OP9003", "新主管", "supervisor")  # no PIN yet
    with pytest.raises(Refusal) as refused:
        prove_supervisor(floor, ACTOR, "OP9003", "0000")
    assert refused.value.code == "no_pin"


def test_five_wrong_pins_lock_that_supervisor_only_and_a_reset_lifts_it(floor: Floor) -> None:
    for i in range(MAX_TRIES - 1):
        with pytest.raises(Refusal) as refused:
            prove_supervisor(floor, ACTOR, "OP9001", "0000")
        assert refused.value.code == "bad_pin" and refused.value.params["left"] == MAX_TRIES - 1 - i
    with pytest.raises(Refusal) as refused:
        prove_supervisor(floor, ACTOR, "OP9001", "0000")
    assert refused.value.code == "supervisor_locked"
    with pytest.raises(Refusal) as refused:  # the right PIN does not help while locked
        prove_supervisor(floor, ACTOR, "OP9001", "4321")
    assert refused.value.code == "supervisor_locked"
    assert prove_supervisor(floor, ACTOR, "OP9002", "8765").code == "OP9002"  # others still can
    trail = kinds(floor.engine)
    assert trail.count("pin_refused") == MAX_TRIES - 1 and trail.count("supervisor_locked") == 1
    with write_tx(floor.engine) as conn:
        by = verify_supervisor(conn, "OP9002", "8765")
        set_pin(conn, ACTOR, by, "OP9001", "1357")
    assert prove_supervisor(floor, ACTOR, "OP9001", "1357").code == "OP9001"
    assert "pin_set" in kinds(floor.engine)


def test_a_lock_runs_out(floor: Floor) -> None:
    with write_tx(floor.engine) as conn:
        conn.execute(OPERATORS.update().where(OPERATORS.c.code == "OP9001")
                     .values(locked_until=now() - timedelta(seconds=1)))
    assert prove_supervisor(floor, ACTOR, "OP9001", "4321").code == "OP9001"


def test_a_right_pin_resets_the_count_of_wrong_ones(floor: Floor) -> None:
    for _ in range(MAX_TRIES - 1):
        with pytest.raises(Refusal):
            prove_supervisor(floor, ACTOR, "OP9001", "0000")
    prove_supervisor(floor, ACTOR, "OP9001", "4321")
    with pytest.raises(Refusal) as refused:
        prove_supervisor(floor, ACTOR, "OP9001", "0000")
    assert refused.value.code == "bad_pin"


def test_operators_hold_several_roles_and_stations_serve_theirs(floor: Floor) -> None:
    assert parse_roles("picker, verifier,picker") == ("picker", "verifier")
    with pytest.raises(ValueError, match="unknown role"):
        parse_roles("boss")
    add_operator(floor.engine, "OP5001", "一人店", "picker,verifier")
    with floor.engine.connect() as conn:
        op = find_operator(conn, "OP5001")
    assert op.role == "picker" and op.holds("verifier") and not op.holds("packer")
    assert login(floor.engine, "V1", "OP5001", "verify").code == "OP5001"
    assert login(floor.engine, "P1", "OP5001", "pick").code == "OP5001"
    with pytest.raises(Refusal) as refused:
        login(floor.engine, "K1", "OP5001", "pack")
    assert refused.value.code == "wrong_role"
    assert login(floor.engine, "K1", "OP9001", "pack").code == "OP9001"  # lending a hand
    assert "refused" in kinds(floor.engine)


def test_the_station_journal_never_copies_a_pin(floor: Floor, tmp_path) -> None:  # noqa: ANN001
    from pickpack.offline.journal import open_journal, snapshot

    local = open_journal(tmp_path / "journal.db")
    snapshot(floor.engine, local, [], catalog=True)
    with local.connect() as conn:
        rows = conn.execute(select(OPERATORS.c.code, OPERATORS.c.pin_hash)).all()
    local.dispose()
    assert ("OP9001", None) in rows and all(pin is None for _code, pin in rows)


def test_the_demo_supervisor_has_a_pin_on_the_sheet(tmp_path) -> None:  # noqa: ANN001
    from pickpack.demo import DEMO_PIN, build_demo

    demo = build_demo(tmp_path / "demo")
    assert f"PIN {DEMO_PIN}" in demo.sheet()
    floor = Floor(demo.engine, demo.cfg)
    assert prove_supervisor(floor, ACTOR, "OP9001", DEMO_PIN).code == "OP9001"
    demo.engine.dispose()
