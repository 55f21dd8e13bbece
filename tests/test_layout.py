"""The house rules of DESIGN.md's Layout, checked by a machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE_MODULES = [
    "db.models", "db.engine", "db.migrate", "printers", "pickpack.config", "pickpack.scan",
    "pickpack.core.flows", "pickpack.core.release", "pickpack.core.orders", "pickpack.intake",
    "pickpack.devices.scale", "pickpack.devices.scanners", "pickpack.cli.store",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_is_reachable_without_the_tui(module: str) -> None:
    code = (f"import sys, importlib; importlib.import_module({module!r}); "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'stations'));"
            "print(','.join(bad)); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0, f"{module} pulls in {result.stdout.strip()} {result.stderr[-300:]}"


def test_import_contracts_hold() -> None:
    """import-linter's forbidden contracts in pyproject.toml (db/printers import nothing of ours)."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-500:]
