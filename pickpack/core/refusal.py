"""Refusals: an action the floor must not take, with the reason an operator reads.

The scan a station is handling is known here too (:func:`scanning`), so that the trail keeps the
raw code as scanned, and its symbology when the scanner said, on every refusal and count it
records (:func:`scan_fields`), whatever the code was classified as.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pickpack.i18n import _

_SCAN: ContextVar[tuple[str, str | None] | None] = ContextVar("pickpack_scan", default=None)


class Refusal(Exception):
    """A refused scan or action. ``code`` is stable for tools; ``text()`` is for the operator."""

    def __init__(self, code: str, template: str, /, **params: Any) -> None:
        self.code = code
        self.template = template
        self.params = params
        self.recorded = False
        """Set once the refusal is in the trail (an event ``refused``), so it goes in once."""
        super().__init__(self.text())

    def text(self) -> str:
        """The reason, translated to the station's language."""
        return _(self.template).format(**shown(self.params))


def shown(params: dict[str, Any]) -> dict[str, Any]:
    """A refusal's parameters as a person reads them: states, stations and reasons in words."""
    from pickpack.core.lifecycle import state_name, station_name

    words = {"state": state_name, "station": station_name, "here": station_name,
             "reason": reason_words}
    return {k: words[k](v) if k in words and isinstance(v, str) else v
            for k, v in params.items()}


def reason_words(reason: str) -> str:
    """A reason in a refusal: one of a fixed vocabulary (``N_``) or an audit hold reason in
    words; a reason a person typed as typed."""
    from pickpack.core.holdwords import hold_words

    said = _(reason)
    return said if said != reason else hold_words(reason)


@contextmanager
def scanning(raw: str, symbology: str | None = None) -> Iterator[None]:
    """While a station handles one scan: ``raw`` as the scanner sent it (AIM prefix stripped),
    ``symbology`` its AIM identifier (``]C1``…) when the scanner sent one."""
    token = _SCAN.set((raw, symbology))
    try:
        yield
    finally:
        _SCAN.reset(token)


def scan_fields(default: str | None = None) -> dict[str, str | None]:
    """``{"raw": …, "symbology": …}`` of the scan being handled, for an event's payload;
    ``raw`` is ``default`` (and symbology None) outside a scan, nothing when that is None too."""
    current = _SCAN.get()
    if current is None:
        return {} if default is None else {"raw": default, "symbology": None}
    return {"raw": current[0], "symbology": current[1]}
