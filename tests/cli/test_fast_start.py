"""Start-up (issue 20 §6): ``pickpack --help`` lists every command without importing one, and a
command imports its own module only — ``pickpack run`` starts without the rest of the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
from pickpack.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith(("pickpack", "db", "sqlalchemy",
                                                               "textual", "printers")))))
"""


def _imported(*argv: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True,
                          check=True, env={"LANG": "en_US.UTF-8", "PATH": "/usr/bin:/bin"})
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_command_list_imports_no_command() -> None:
    loaded = _imported("--help")
    assert not {m for m in loaded if m.startswith(("pickpack.core", "db", "sqlalchemy", "textual",
                                                    "printers"))}, loaded
    assert loaded <= {"pickpack", "pickpack.cli", "pickpack.cli.language", "pickpack.cli.registry",
                      "pickpack.i18n"}, loaded


def test_a_command_imports_its_own_module_and_not_the_others() -> None:
    loaded = _imported("run", "--help")
    assert "pickpack.cli.app" in loaded
    assert not {"pickpack.cli.stock", "pickpack.cli.aftersales", "pickpack.cli.store",
                "pickpack.intake.cli", "textual"} & loaded, loaded
    stock = _imported("stock", "show", "--help")
    assert "pickpack.cli.stock" in stock and "pickpack.cli.aftersales" not in stock
