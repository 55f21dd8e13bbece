"""Refusals: an action the floor must not take, with the reason an operator reads."""

from __future__ import annotations

from typing import Any

from pickpack.i18n import _


class Refusal(Exception):
    """A refused scan or action. ``code`` is stable for tools; ``text()`` is for the operator."""

    def __init__(self, code: str, template: str, /, **params: Any) -> None:
        self.code = code
        self.template = template
        self.params = params
        super().__init__(self.text())

    def text(self) -> str:
        """The reason, translated to the station's language."""
        return _(self.template).format(**self.params)
