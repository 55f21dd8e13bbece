"""Run `pickpack` on a real pseudo-terminal and answer its prompts, as a person would."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path


def on_terminal(args: list[str], cwd: Path, answers: dict[bytes, bytes]) -> tuple[int, str]:
    """``pickpack ARGS`` with a pty for stdin/stdout/stderr; each prompt ending in a key of
    ``answers`` is answered once with its value. The exit code and everything shown."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pickpack.cli import main; sys.exit(main())",
         *args], stdin=secondary, stdout=secondary, stderr=secondary, cwd=cwd,
        env={**os.environ, "PICKPACK_PIN_KDF_COST": "4"}, start_new_session=True)
    os.close(secondary)
    seen, left = b"", dict(answers)
    while True:
        try:
            chunk = os.read(primary, 1024)
        except OSError:
            break  # the child closed the terminal
        if not chunk:
            break
        seen += chunk
        for prompt in [p for p in left if seen.endswith(p)]:  # a prompt waits: answer it now
            os.write(primary, left.pop(prompt))
    code = proc.wait(timeout=30)
    os.close(primary)
    return code, seen.decode(errors="replace")
