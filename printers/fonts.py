"""Which font draws each character of a raster line: glyph by glyph across the fonts found.

A CJK font may hold no Latin at all (Droid Sans Fallback, common on Debian, draws every digit
and letter as a box), and a Latin font holds no Han. So raster text asks each font's own
character map (fontTools reads the ``cmap``; Pillow cannot) and takes, per character, the
first font that has it: for ASCII a Latin font first, for everything else a CJK font first,
each then falling back to the others. A character no font holds is drawn with Pillow's
default font (``pickpack print check`` warns when no font has Chinese).

Fonts are found in this order: ``$PICKPACK_CJK_FONT`` / ``$PICKPACK_LATIN_FONT`` (a font file),
fontconfig (``fc-list :lang=zh``, ``fc-match sans-serif:lang=en``), then well-known paths.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError
from PIL import ImageFont

FONT_ENV = "PICKPACK_CJK_FONT"
"""Environment variable naming a CJK font file to use before searching the machine."""
LATIN_ENV = "PICKPACK_LATIN_FONT"
"""Environment variable naming a Latin font file for ASCII before searching the machine."""

KNOWN_CJK = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",  # no Latin: last
)
KNOWN_LATIN = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "C:/Windows/Fonts/arial.ttf",
    "/System/Library/Fonts/Helvetica.ttc",
)
HAN_PROBE = "中文字"
LATIN_PROBE = "0123456789AZaz"

PillowFont = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class FontFace:
    """One face of a font file and the characters its ``cmap`` maps to a glyph."""

    path: str
    index: int
    name: str = field(compare=False)
    chars: frozenset[int] = field(compare=False, repr=False)

    def has(self, char: str) -> bool:
        return ord(char) in self.chars

    @property
    def cjk(self) -> bool:
        return all(self.has(c) for c in HAN_PROBE)

    @property
    def latin(self) -> bool:
        return all(self.has(c) for c in LATIN_PROBE)

    def label(self) -> str:
        face = f" #{self.index}" if self.index else ""
        return f"{self.name} ({self.path}{face})"


@lru_cache(maxsize=32)
def read_face(path: str, index: int = 0) -> FontFace | None:
    """The face at ``path`` (``index`` in a .ttc), or None when it is not a readable font."""
    try:
        with TTFont(path, fontNumber=index, lazy=True) as font:
            cmap = font.getBestCmap() or {}
            name = font["name"].getBestFamilyName() if "name" in font else None
    except (OSError, TTLibError, KeyError, AssertionError, ValueError):
        return None
    return FontFace(path, index, name or Path(path).stem, frozenset(cmap))


def _fontconfig(tool: str, *args: str) -> list[tuple[str, int]]:
    """(file, index) pairs from ``fc-list``/``fc-match``; [] without fontconfig."""
    exe = shutil.which(tool)
    if not exe:
        return []
    result = subprocess.run(
        [exe, "-f", "%{file}|%{index}\\n", *args],
        capture_output=True, text=True, timeout=10, check=False,
    )
    found: list[tuple[str, int]] = []
    for line in result.stdout.splitlines():
        path, _, index = line.partition("|")
        if path and Path(path).is_file():
            found.append((path, int(index) if index.isdigit() else 0))
    return found


def _faces(candidates: list[tuple[str, int]], want: str) -> list[FontFace]:
    """Readable faces among ``candidates`` that are ``want`` ("cjk" or "latin"), one per file."""
    seen: set[str] = set()
    faces: list[FontFace] = []
    for path, index in candidates:
        if path in seen:
            continue
        face = read_face(path, index)
        if face is not None and getattr(face, want):
            seen.add(path)
            faces.append(face)
    return faces


@dataclass(frozen=True)
class FontChain:
    """The fonts raster text uses: CJK faces and Latin faces, each in order of preference."""

    cjk: tuple[FontFace, ...]
    latin: tuple[FontFace, ...]

    def face_for(self, char: str) -> FontFace | None:
        """The face that draws ``char``: a Latin one first for ASCII, a CJK one first otherwise."""
        order = (*self.latin, *self.cjk) if char.isascii() else (*self.cjk, *self.latin)
        return next((face for face in order if face.has(char)), None)

    def missing(self, text: str) -> str:
        """The characters of ``text`` (spaces aside) that no font found has, each once."""
        return "".join(dict.fromkeys(c for c in text if not c.isspace() and not self.face_for(c)))


@lru_cache(maxsize=4)
def _chain(cjk_env: str, latin_env: str) -> FontChain:
    cjk_found = [(cjk_env, 0)] if cjk_env and Path(cjk_env).is_file() else []
    known_cjk = [(p, 0) for p in KNOWN_CJK if Path(p).is_file()]
    by_known = {p: i for i, p in enumerate(KNOWN_CJK)}
    listed = sorted(_fontconfig("fc-list", ":lang=zh"), key=lambda f: (by_known.get(f[0], 99), f))
    cjk = _faces(cjk_found + listed + known_cjk, "cjk")
    latin_found = [(latin_env, 0)] if latin_env and Path(latin_env).is_file() else []
    matched = _fontconfig("fc-match", "sans-serif:lang=en")
    known_latin = [(p, 0) for p in KNOWN_LATIN if Path(p).is_file()]
    latin = _faces(latin_found + matched + known_latin, "latin")
    return FontChain(tuple(cjk), tuple(face for face in latin if face not in cjk))


def font_chain() -> FontChain:
    """The fonts of this machine (and of ``$PICKPACK_CJK_FONT``/``$PICKPACK_LATIN_FONT``)."""
    return _chain(os.environ.get(FONT_ENV, ""), os.environ.get(LATIN_ENV, ""))


@lru_cache(maxsize=64)
def pillow_font(face: FontFace | None, size: int) -> PillowFont:
    """The Pillow font for ``face`` at ``size`` pixels (None: Pillow's default font)."""
    if face is None:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(face.path, size, index=face.index)
