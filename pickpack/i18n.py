"""Gettext for every text an operator reads. Catalogs live in ``pickpack/locale``."""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "pickpack"
_translation: gettext.NullTranslations = gettext.NullTranslations()


def set_language(language: str) -> None:
    """Switch the process to ``en`` or ``zh_CN`` (falls back to English if no catalog)."""
    global _translation
    if language == "en":
        _translation = gettext.NullTranslations()
        return
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def _(message: str) -> str:
    """Translate a message."""
    return _translation.gettext(message)


def N_(message: str) -> str:
    """Mark a message for extraction; translated later where it is shown."""
    return message
