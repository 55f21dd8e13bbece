"""One Textual screen per station mode; each turns keys and scans into flow calls."""

from __future__ import annotations

import importlib

from textual.screen import Screen

from pickpack.i18n import N_

MODES: dict[str, str] = {
    "pick": N_("Pick"), "verify": N_("Verify"), "pack": N_("Pack"), "weigh": N_("Weigh"),
    "ship": N_("Ship"),
    "returns": N_("Returns"),
    "desk": N_("Desk"),
}
_CLASSES = {"returns": "ReturnsScreen",
            "pick": "PickScreen", "verify": "VerifyScreen", "pack": "PackScreen",
            "weigh": "WeighScreen", "ship": "ShipScreen",
            "desk": "DeskScreen"}


def screen_for(mode: str) -> type[Screen[None]]:
    """The screen class of a station mode."""
    if mode not in _CLASSES:
        raise ValueError(f"no station screen for mode {mode!r}: one of {', '.join(_CLASSES)}")
    module = importlib.import_module(f"stations.{mode}")
    cls: type[Screen[None]] = getattr(module, _CLASSES[mode])
    return cls
