"""The fuzzing drill (issue 14, 12): every importer, the config loader, the classifier and the
scale parsers fed arbitrary input by hypothesis. The property is the same everywhere: never a
traceback; either a result or the project's own one-line refusal (ImportFailed, ConfigError,
a Classified of kind ``invalid``, no weight).

Fast by default (the whole folder in well under 40 s); ``PICKPACK_FUZZ_EXAMPLES`` sets how many
examples the heaviest targets try (``make soak`` runs it longer); lighter targets try more.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine

from db.engine import make_engine
from db.models import metadata

EXAMPLES = int(os.environ.get("PICKPACK_FUZZ_EXAMPLES", "25"))
"""Examples per importer target; the config loader tries 4×, the classifier and parsers 10×."""


def fuzz(weight: int = 1) -> settings:
    """Settings for one fuzz target: ``weight`` × EXAMPLES examples, no deadline (a shared CI
    machine is slow at times), no example database (each run draws afresh)."""
    return settings(max_examples=max(1, EXAMPLES * weight), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Engine]:
    """A fresh SQLite store with every table; imports of one test's examples accumulate in it."""
    engine = make_engine(f"sqlite:///{tmp_path / 'fuzz.db'}")
    metadata.create_all(engine)
    yield engine
    engine.dispose()
