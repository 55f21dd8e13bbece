"""Where the express + packing slip pair prints: ``[workflow] print_at``.

``verify`` (the default): the last good verify scan prints the pair. On a route without verify
the first station of the route prints it when it opens the order (pick: the slips go into the
basket; a ``["weigh", "ship"]`` route: at weigh), once per order. ``desk``: printed in batches
before picking (``pickpack print slips``), never at a station.

The deprecated ``[station] print_on_verify`` is read into ``print_at`` by the config loader
(with a one-line notice). Wherever it prints, the order is printed when its express
slip comes out (:mod:`pickpack.printing.queue`), and ship refuses a parcel whose express slip
never did (:func:`pickpack.core.ship.express_printed`). No printers are loaded here.
"""

from __future__ import annotations

from typing import Literal

from pickpack.config import Config

PrintAt = Literal["verify", "desk"]


def print_at(cfg: Config) -> PrintAt:
    """``[workflow] print_at`` (the loader has already read the deprecated key into it)."""
    return cfg.workflow.print_at


def print_step(cfg: Config) -> str | None:
    """The station mode that prints the pair; None when the desk prints them."""
    if print_at(cfg) == "desk":
        return None
    route = list(cfg.workflow.route)
    return "verify" if "verify" in route or not route else route[0]


def prints_here(cfg: Config, mode: str, event: str) -> bool:
    """Whether the ``mode`` station prints an order's slips on the flow ``event``: ``verified``
    (the last good verify scan) at verify, ``opened`` (the order taken in hand) at the first
    station of a route without verify."""
    if print_step(cfg) != mode:
        return False
    return event == ("verified" if mode == "verify" else "opened")
