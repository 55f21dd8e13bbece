"""Gettext for every text an operator reads. Catalogs live in ``pickpack/locale``."""

from __future__ import annotations

import gettext
import os
from pathlib import Path
from typing import Literal

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "pickpack"
_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def current_language() -> str:
    """The language :func:`set_language` last switched to (``en`` until then)."""
    return _language


def set_language(language: str) -> None:
    """Switch the process to ``en`` or ``zh_CN`` (falls back to English if no catalog)."""
    global _translation, _language
    _language = language
    if language == "en":
        _translation = gettext.NullTranslations()
        return
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


Language = Literal["en", "zh_CN"]


def locale_language() -> Language:
    """The language a terminal's locale asks for: English where ``LC_ALL``, ``LC_MESSAGES``
    or ``LANG`` says ``en…``, Chinese otherwise (unset, ``C``, ``POSIX``, ``zh_CN…``).
    The Linux text console (``TERM=linux``) has no Chinese font: English there."""
    if os.environ.get("TERM", "") == "linux":
        return "en"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:  # the first one set decides, as in POSIX
            return "en" if value.startswith("en") else "zh_CN"
    return "zh_CN"


def _(message: str) -> str:
    """Translate a message. The empty string stays empty: gettext would answer it with the
    catalogue's header entry (``Content-Type: text/plain…``)."""
    return _translation.gettext(message) if message else message


def N_(message: str) -> str:
    """Mark a message for extraction; translated later where it is shown."""
    return message
