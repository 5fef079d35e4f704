"""A progress store and a learner in it, for the engine and statistics tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from immunoquiz.store import Profile, Store

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # a Friday morning, the tests' "now"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path) as s:
        yield s


@pytest.fixture
def profile(store: Store) -> Profile:
    return store.create_profile("anna", T0)
