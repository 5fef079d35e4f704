"""Shared fixtures. Every test runs with its own data and cache folders, so no test
reads or writes the developer's real progress or bank cache."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from immunoquiz.store import Profile, Store


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point IMMUNOQUIZ_HOME and IMMUNOQUIZ_CACHE at fresh folders under tmp_path."""
    home, cache = tmp_path / "iq-home", tmp_path / "iq-cache"
    monkeypatch.setenv("IMMUNOQUIZ_HOME", str(home))
    monkeypatch.setenv("IMMUNOQUIZ_CACHE", str(cache))
    return {"home": home, "cache": cache}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh progress store."""
    with Store.open(tmp_path) as s:
        yield s


@pytest.fixture
def profile(store: Store) -> Profile:
    """A learner in `store`, created on Friday 2026-11-27 09:00 UTC."""
    return store.create_profile("anna", datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
