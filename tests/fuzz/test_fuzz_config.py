"""Fuzzing the config loader: arbitrary TOML-shaped mappings through ``parse_config``, the
example config.toml with one value replaced by anything, and arbitrary bytes as the config file
through ``load_config``. Either a Config or a ConfigError of one line naming the file or key."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from pickpack.config import Config, ConfigError, load_config, parse_config
from tests.fuzz.conftest import fuzz

EXAMPLE = tomllib.loads((Path(__file__).parents[2] / "config.toml").read_text(encoding="utf-8"))
SECTIONS = sorted(EXAMPLE) + ["", "unknown"]

SCALARS = st.one_of(
    st.none().map(lambda _: ""), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.text(max_size=30), st.sampled_from([
        "(", "[a-", "(?P<weight>", "(?P<weight>\\d+)", "a{99999999999}", "\\", "25:99", "soon",
        "24:00", "-1", "0", "x" * 40, "postgresql+psycopg://u:pw@h/db", "postgresql://h/db?password=x",
        "sqlite:///", "preview://", "tcp://host:notaport", "usb://zz:yy", "Mars/Olympus", "zh_CN",
        "en", "verify", "desk", "pick", "\x00", "\x1b[2J",
    ]),
    st.dates(), st.times(), st.datetimes(),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12)


def check(build: Any) -> None:  # noqa: ANN401 - a thunk of any config source
    """The property: a Config, or a ConfigError whose message is one line."""
    try:
        cfg = build()
    except ConfigError as exc:
        text = str(exc)
        assert text.strip() and "\n" not in text.strip(), text
        return
    assert isinstance(cfg, Config)


@fuzz(4)
@given(data=st.dictionaries(st.sampled_from(SECTIONS), st.one_of(
    st.dictionaries(st.text(max_size=12), VALUES, max_size=5), VALUES), max_size=4))
@example(data={"barcodes": {"\n": ""}})  # found by this test: the error was two lines
@example(data={"station": {"id": "x" * 40}, "floor": {"cutoff_paid": "25:99"}})
def test_any_mapping(data: dict[str, Any]) -> None:
    check(lambda: parse_config(data, "fuzz.toml"))


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:  # noqa: ANN401
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _paths(v, (*prefix, k))] or [prefix]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _paths(v, (*prefix, i))] or [prefix]
    return [prefix]


PATHS = _paths(EXAMPLE)


@fuzz(4)
@given(path=st.sampled_from(PATHS), value=VALUES)
def test_the_example_config_with_one_value_replaced(path: tuple[Any, ...], value: Any) -> None:  # noqa: ANN401
    data = copy.deepcopy(EXAMPLE)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    check(lambda: parse_config(data, "config.toml"))


def test_the_example_config_itself_loads() -> None:
    assert isinstance(parse_config(copy.deepcopy(EXAMPLE), "config.toml"), Config)


@fuzz(4)
@given(data=st.binary(max_size=600))
def test_arbitrary_bytes_as_the_config_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    check(lambda: load_config(path))


@fuzz(2)
@given(depth=st.integers(10, 5000), opener=st.sampled_from(["[", "{a="]))
def test_deep_nesting_as_the_config_file(tmp_path: Path, depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    path = tmp_path / "config.toml"
    path.write_text(f"[floor]\nx = {opener * depth}1{closer * depth}\n", encoding="utf-8")
    check(lambda: load_config(path))


@fuzz(2)
@given(text=st.text(max_size=300))
def test_arbitrary_text_after_a_good_config(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text((Path(__file__).parents[2] / "config.toml").read_text(encoding="utf-8")
                    + "\n" + text, encoding="utf-8", errors="surrogatepass")
    check(lambda: load_config(path))



