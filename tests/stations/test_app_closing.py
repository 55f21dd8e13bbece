"""A live change that arrives while the app is closing (its last screen gone) is dropped: it once
ended a test run with ScreenStackError from the live feed's message."""

from __future__ import annotations

from sqlalchemy import Engine

from pickpack.app.messages import StoreChanged
from pickpack.config import Config
from pickpack.live import Change
from tests.stations.conftest import make_app


def test_a_store_change_after_the_last_screen_is_dropped(config: Config, engine: Engine) -> None:
    app = make_app(config, engine, "verify")
    assert not app.screen_stack  # not running: no screen, as at the end of shutdown
    app._store_changed(StoreChanged([Change("item_scanned", station="V9")]))
