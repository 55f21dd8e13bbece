"""The Linux text console (``TERM=linux``): 8/16 colours, the kernel's console font — no
Chinese, no block elements, no rounded or heavy box drawing. The app draws what it can there
(ASCII borders, no scrollbar blocks: rules under ``App.-console`` in app.tcss) and says once
that Chinese needs the kiosk terminal (docs/KIOSK.md)."""

from __future__ import annotations

from pickpack.text import on_linux_console

__all__ = ["NOTICE", "on_linux_console"]

NOTICE = ("Linux console: no Chinese font here. For Chinese run the station in the kiosk "
            "terminal (docs/KIOSK.md).")
