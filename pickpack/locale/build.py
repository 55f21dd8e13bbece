"""Keep the gettext catalogs in step with the sources, and compile them.

    python -m pickpack.locale.build            # extract, merge into each .po, compile .mo
    python -m pickpack.locale.build --check    # exit 1 if a message has no translation

Messages are found with ``ast`` (so implicitly joined literals come out whole): the first
argument of ``_()`` and ``N_()`` calls and the template of ``Refusal("code", "template", …)``,
in ``pickpack/`` and ``stations/``. No Babel needed: the .mo writer is the format's few lines.
"""

from __future__ import annotations

import argparse
import ast
import struct
import sys
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent
ROOT = LOCALE_DIR.parents[1]
SOURCES = (ROOT / "pickpack", ROOT / "stations")
LANGUAGES = ("zh_CN",)
DOMAIN = "pickpack"


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def messages_in(path: Path) -> list[str]:
    """The translatable messages in one source file, in order."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        name, args = node.func.id, node.args
        text = None
        if name in ("_", "N_") and args:
            text = _literal(args[0])
        elif name == "Refusal" and len(args) >= 2:
            text = _literal(args[1])
        if text:
            found.append(text)
    return found


def extract(sources: tuple[Path, ...] = SOURCES) -> dict[str, list[str]]:
    """msgid → the files it appears in."""
    catalog: dict[str, list[str]] = {}
    for root in sources:
        for path in sorted(root.rglob("*.py")):
            for text in messages_in(path):
                catalog.setdefault(text, []).append(str(path.relative_to(ROOT)))
    return catalog


def _unquote(s: str) -> str:
    return ast.literal_eval(s)


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def read_po(path: Path) -> dict[str, str]:
    """msgid → msgstr of a .po file (single-line or continued strings; no plurals)."""
    entries: dict[str, str] = {}
    if not path.exists():
        return entries
    msgid: list[str] = []
    msgstr: list[str] = []
    current: list[str] | None = None

    def flush() -> None:
        if msgid or msgstr:
            entries["".join(msgid)] = "".join(msgstr)

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("msgid "):
            flush()
            msgid, msgstr, current = [_unquote(line[6:])], [], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr, current = [_unquote(line[7:])], None
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(_unquote(line))
    flush()
    return entries


def write_po(path: Path, language: str, found: dict[str, list[str]], old: dict[str, str]) -> None:
    out = [
        f"# PickPack operator messages — {language}. Made by pickpack/locale/build.py; edit msgstr.",
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        f'"Language: {language}\\n"',
        "",
    ]
    for msgid, files in found.items():
        out.append(f"#: {' '.join(sorted(set(files)))}")
        out.append(f"msgid {_quote(msgid)}")
        out.append(f"msgstr {_quote(old.get(msgid, ''))}")
        out.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")


def compile_mo(entries: dict[str, str], path: Path) -> None:
    """Write a GNU .mo file (the format ``gettext.GNUTranslations`` reads)."""
    items = sorted((k, v) for k, v in entries.items() if v)
    ids = [k.encode() for k, _v in items]
    strs = [v.encode() for _k, v in items]
    n = len(items)
    key_start = 7 * 4 + 16 * n
    offsets: list[int] = []
    data = b""
    for blob in ids + strs:
        offsets += [len(blob), key_start + len(data)]
        data += blob + b"\0"
    header = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + n * 8, 0, 0)
    path.write_bytes(header + struct.pack(f"{4 * n}i", *offsets) + data)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def missing(language: str) -> list[str]:
    """Messages in the sources with no translation in ``language``."""
    have = read_po(po_path(language))
    return [m for m in extract() if not have.get(m)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report untranslated messages")
    args = parser.parse_args(argv)
    found = extract()
    status = 0
    for language in LANGUAGES:
        po = po_path(language)
        old = read_po(po)
        if not args.check:
            write_po(po, language, found, old)
            entries = {k: v for k, v in old.items() if k in found and k}
            entries[""] = f"Content-Type: text/plain; charset=UTF-8\nLanguage: {language}\n"
            compile_mo(entries, po.with_suffix(".mo"))
        gaps = [m for m in found if not old.get(m)]
        for m in gaps:
            print(f"{language}: untranslated: {m}", file=sys.stderr)
        status = status or (1 if gaps else 0)
    print(f"{len(found)} messages; {len(LANGUAGES)} catalog(s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
