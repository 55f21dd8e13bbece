"""The config is validated whole at load, every bad key named in one line, for every command."""

from __future__ import annotations

from pathlib import Path

import pytest

from pickpack.config import ConfigError, load_config, parse_config


@pytest.mark.parametrize(("data", "key"), [
    ({"barcodes": {"order": "(\\d+"}}, "[barcodes.order]"),
    ({"barcodes": {"basket": "B[0-9"}}, "[barcodes.basket]"),
    ({"couriers": {"patterns": {"SF": "SF(\\d{12}"}}}, "[couriers.patterns]"),
    ({"scale": {"pattern": "(?P<weight"}}, "[scale.pattern]"),
    ({"station": {"id": "S" * 40}}, "[station.id]"),
    ({"station": {"id": ""}}, "[station.id]"),
    ({"floor": {"cutoff_paid": "25:99"}}, "[floor.cutoff_paid]"),
    ({"floor": {"cutoff_paid": "soon"}}, "[floor.cutoff_paid]"),
    ({"floor": {"cutoff_handover": "9:00"}}, "[floor.cutoff_handover]"),
    ({"floor": {"timezone": "Mars/Olympus"}}, "[floor.timezone]"),
])
def test_a_bad_value_is_refused_at_load_naming_its_key(data: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(data, "site.toml")
    text = str(err.value)
    assert text.startswith(f"site.toml: {key} ") and "\n" not in text


def test_the_couriers_pattern_error_names_the_courier() -> None:
    with pytest.raises(ConfigError, match=r"\[couriers.patterns\] ZTO: invalid regular"):
        parse_config({"couriers": {"patterns": {"SF": "SF\\d{12}", "ZTO": "7(\\d"}}})


def test_good_values_load() -> None:
    cfg = parse_config({"station": {"id": "S" * 16}, "floor": {
        "cutoff_paid": "23:59", "cutoff_handover": "00:00", "timezone": "Europe/Berlin"}})
    assert cfg.station.id == "S" * 16 and cfg.floor.timezone == "Europe/Berlin"


def test_the_example_config_loads_with_no_notice(capsys: pytest.CaptureFixture[str]) -> None:
    cfg = load_config(Path(__file__).parents[2] / "config.toml")
    assert cfg.workflow.print_at == "verify" and capsys.readouterr().err == ""


def test_a_deeply_nested_array_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: ") and "\n" not in str(err.value)


def test_a_deeply_nested_mapping_is_one_line() -> None:
    deep: object = []
    for _ in range(20_000):
        deep = [deep]
    with pytest.raises(ConfigError) as err:
        parse_config({"couriers": {"rules": deep}})
    assert "\n" not in str(err.value)


def test_print_on_verify_true_is_print_at_verify_with_one_notice(
        capsys: pytest.CaptureFixture[str]) -> None:
    cfg = parse_config({"station": {"print_on_verify": True},
                        "workflow": {"route": ["verify", "ship"]}}, "old.toml")
    assert cfg.workflow.print_at == "verify" and cfg.station.print_on_verify is None
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "[station] print_on_verify is deprecated" in err[0]


def test_print_on_verify_false_leaves_print_at_as_configured(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_config({"station": {"print_on_verify": False}}).workflow.print_at == "verify"
    desk = parse_config({"station": {"print_on_verify": False},
                         "workflow": {"print_at": "desk"}})
    assert desk.workflow.print_at == "desk"
    assert len(capsys.readouterr().err.splitlines()) == 2


def test_a_print_at_step_missing_from_the_route_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"^c.toml: \[workflow\] print_at = verify but verify "
                                          r"is not in \[workflow\] route$"):
        parse_config({"workflow": {"route": ["pick", "weigh", "ship"], "print_at": "verify"}},
                     "c.toml")
    with pytest.raises(ConfigError, match="print_at = verify but verify is not in"):
        parse_config({"station": {"print_on_verify": True}, "workflow": {"route": ["weigh"]}})
    assert parse_config({"workflow": {"route": ["weigh", "ship"], "print_at": "desk"}})


def test_every_command_refuses_a_bad_config_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pickpack.cli import main

    path = tmp_path / "bad.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n'
                    "[barcodes]\norder = '(\\d+'\n", encoding="utf-8")
    for argv in (["order", "list"], ["release"], ["report", "floor"]):
        assert main(["--config", str(path), *argv]) == 2, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "[barcodes.order] invalid regular expression" in err[0], argv
