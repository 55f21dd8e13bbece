"""Lets ``pickpack print express|packing|picklist|manifest KEY`` find its slip in the store."""

from __future__ import annotations

from pickpack import cli_print
from pickpack.config import Config
from pickpack.printing.slips import for_key
from pickpack.store import open_store
from printers.compose import Layout


def _lookup(kind: str):  # noqa: ANN202 - a closure per kind
    def find(key: str, cfg: Config) -> Layout:
        engine = open_store(cfg)
        try:
            with engine.connect() as conn:
                return for_key(conn, kind, key, cfg)
        finally:
            engine.dispose()

    return find


def install() -> None:
    for kind in ("express", "packing", "picklist", "manifest"):
        cli_print.set_lookup(kind, _lookup(kind))  # type: ignore[arg-type]
