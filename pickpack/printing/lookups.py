"""Lets ``pickpack print express|packing|picklist|manifest KEY`` find its slip in the store."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pickpack.cli import printing as cli_print
from pickpack.config import Config

if TYPE_CHECKING:
    from printers.compose import Layout


def _record(key: str, cfg: Config, kind: str, url: str) -> None:
    from pickpack.core.events import Actor
    from pickpack.core.orders import require_order_id
    from pickpack.printing.queue import record_printed
    from pickpack.store import open_store

    engine = open_store(cfg)
    try:
        with engine.connect() as conn:
            order_id = require_order_id(conn, key)
        record_printed(engine, Actor(cfg.station.id, "cli"), order_id, kind, url)
    finally:
        engine.dispose()


def _lookup(kind: str) -> Callable[[str, Config], Layout]:
    def find(key: str, cfg: Config) -> Layout:
        from pickpack.printing.slips import for_key  # printers load only when printing
        from pickpack.store import open_store

        engine = open_store(cfg)
        try:
            with engine.connect() as conn:
                return for_key(conn, kind, key, cfg)
        finally:
            engine.dispose()

    find.record = _record  # type: ignore[attr-defined]
    return find


def install() -> None:
    for kind in ("express", "packing", "picklist", "manifest"):
        cli_print.set_lookup(kind, _lookup(kind))  # type: ignore[arg-type]
