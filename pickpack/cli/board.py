"""`pickpack board [--host H] [--port P]`: the floor board for a wall screen, in a browser.

Listens on ``[board] host``/``port`` (127.0.0.1:8765 unless configured). The token comes from
the environment variable ``[board] token_env`` names (PICKPACK_BOARD_TOKEN); when it is unset a
token is made and printed once, in the board's address, for this run only. Ctrl+C stops it.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys

from pickpack.board.server import BoardServer
from pickpack.cli.registry import add_command
from pickpack.config import load_config
from pickpack.i18n import _, set_language
from pickpack.store import open_store
from pickpack.text import echo


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = add_command(sub, "board")
    p.add_argument("--host", help=_("address to listen on (default: [board] host, 127.0.0.1)"))
    p.add_argument("--port", type=int, help=_("port (default: [board] port, 8765)"))
    p.set_defaults(handler=cmd_board)


def cmd_board(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    set_language(cfg.station.language)
    host = args.host or cfg.board.host
    port = cfg.board.port if args.port is None else args.port
    if not 0 <= port <= 65535:
        raise ValueError(_('--port {port}: a port is 0 to 65535').format(port=port))
    token = os.environ.get(cfg.board.token_env, "").strip()
    made = not token
    if made:
        token = secrets.token_urlsafe(24)
    engine = open_store(cfg)
    try:
        server = BoardServer(engine, cfg, token, host, port)
    except OSError as exc:
        engine.dispose()
        echo(_('pickpack: board: cannot listen on {host}:{port}: {v}').format(
                 host=host, port=port, v=exc.strerror or exc),
             file=sys.stderr)
        return 2
    server.start()
    if made:
        echo(_('board: {url}?token={token}').format(url=server.url, token=token))
        echo(_('(token made for this run; set {token_env} to keep one)').format(
                 token_env=cfg.board.token_env))
    else:
        echo(_('board: {url}?token=${token_env}').format(url=server.url, token_env=cfg.board.token_env))
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        engine.dispose()
    return 0
