"""Every route of the board wants the token: the page, the live channel and the JSON; the
token never reaches the log; the page loads nothing from elsewhere."""

from __future__ import annotations

import http.client
import json
import logging
import re

import pytest
from sqlalchemy import Engine

from pickpack.config import Config
from tests.board.boardkit import TOKEN, floor_with_orders, serving


def get(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", path, headers=headers or {})
    return conn.getresponse()


@pytest.mark.parametrize("path", ["/", "/live", "/board.json", "/nothing"])
def test_no_token_no_board(engine: Engine, config: Config, path: str) -> None:
    floor_with_orders(engine, config)
    with serving(engine, config) as server:
        port = server.server_address[1]
        for query in ("", "?token=", "?token=wrong", f"?token={TOKEN[:-1]}"):
            res = get(port, path + query)
            assert res.status == 401, (path, query)
            assert TOKEN not in res.read().decode()
        assert get(port, path, {"Authorization": "Bearer nope"}).status == 401


def test_with_the_token(engine: Engine, config: Config, caplog: pytest.LogCaptureFixture) -> None:
    floor_with_orders(engine, config)
    caplog.set_level(logging.INFO, logger="pickpack.board.server")
    with serving(engine, config) as server:
        port = server.server_address[1]
        page = get(port, f"/?token={TOKEN}")
        assert page.status == 200
        html = page.read().decode()
        assert not re.search(r"(src|href)\s*=|@import|url\(|https?://", html)
        board = get(port, "/board.json", {"Authorization": f"Bearer {TOKEN}"})
        assert board.status == 200
        assert json.loads(board.read())["couriers"][0]["to_ship"] == 3
        live = get(port, f"/live?token={TOKEN}")
        assert live.status == 200 and live.headers["Content-Type"].startswith("text/event-stream")
        first = live.fp.readline().decode()
        assert first.startswith("data: ") and json.loads(first[6:])["at_risk_total"] == 3
        live.close()
        assert get(port, f"/nothing?token={TOKEN}").status == 404
    assert "board" in caplog.text and TOKEN not in caplog.text
