"""`pickpack release` works with the warehouse's policy in the store, not only config.toml."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import write_tx
from pickpack.cli import main
from pickpack.config import load_config
from pickpack.core.events import Actor
from pickpack.core.policy import set_policy
from pickpack.core.tables import ORDERS
from pickpack.store import open_store
from tests.core.floorkit import seed


def test_release_takes_the_courier_the_store_policy_names(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n[station]\nid = "D1"\n'
                   '[couriers]\ndefault = "ZTO"\nsecondary = "ZTO"\n', encoding="utf-8")
    assert main(["--config", str(cfg), "db", "upgrade"]) == 0
    config = load_config(cfg)
    engine = open_store(config)
    seed(engine, orders=2)
    # this terminal's own config.toml still says ZTO; the warehouse moved to SF (no SF numbers
    # in the pool: the audit then holds the orders for want of a waybill)
    with write_tx(engine) as conn:
        set_policy(conn, Actor("D1", "OP9001", "supervisor"), config, "couriers.default", "SF",
                   supervisor="OP9001")
        set_policy(conn, Actor("D1", "OP9001", "supervisor"), config, "couriers.secondary",
                   "SF", supervisor="OP9001")
    capsys.readouterr()
    assert main(["--config", str(cfg), "release"]) == 0
    with engine.connect() as conn:
        rows = conn.execute(select(ORDERS.c.state, ORDERS.c.courier, ORDERS.c.hold_reason)).all()
    assert rows and all(state == "held" for state, _, _ in rows), rows
    assert all("SF" in reason for _, _, reason in rows), rows
