"""Lets ``pickpack print express|packing|picklist|manifest KEY`` find its slip in the store."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pickpack.cli import printing as cli_print
from pickpack.config import Config

if TYPE_CHECKING:
    from printers.compose import Layout


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

    return find


def install() -> None:
    for kind in ("express", "packing", "picklist", "manifest"):
        cli_print.set_lookup(kind, _lookup(kind))  # type: ignore[arg-type]
