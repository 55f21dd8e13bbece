"""Key bindings shown in the station's language (their descriptions are marked with ``N_``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import App
from textual.binding import BindingsMap
from textual.screen import Screen

from pickpack.i18n import _


def translate_bindings(node: Screen[Any] | App[Any], source: BindingsMap | None = None) -> BindingsMap:
    """Show ``node``'s binding descriptions in today's language. ``source``: the untranslated
    map, to translate again after a language switch; the untranslated map is returned."""
    source = source if source is not None else node._bindings
    keys = {key: [replace(b, description=_(b.description)) if b.description else b for b in bindings]
            for key, bindings in source.key_to_bindings.items()}
    node._bindings = BindingsMap.from_keys(keys)
    return source
