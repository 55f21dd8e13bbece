"""Field test: verify's alerts say what to do. A wrong item is put back (as at pick); an
unknown command or a code no catalog knows is said as such, not "scan the slip first"."""

from __future__ import annotations

from sqlalchemy import Engine

from pickpack.config import Config
from tests.stations.conftest import SIZE, SOCKS, make_app, scan, settle, status
from tests.stations.test_verify import picked


async def test_verify_alerts_say_what_to_do(config: Config, engine: Engine) -> None:
    picked(config, engine)
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP2001")
        await scan(pilot, "CMD:FOO")
        assert "Unknown command" in status(pilot) and "FOO" in status(pilot), status(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await scan(pilot, "XK29QPLMZ8RT55AAQWERTYBN3")
        assert "Unknown code XK29QPLMZ8RT55AAQWERTYBN3" in status(pilot), status(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await scan(pilot, "B001")
        await scan(pilot, SOCKS)
        said = status(pilot)
        assert "WRONG ITEM" in said and "put it back" in said, said
