"""Shared fixtures. Every test runs with its own data and cache folders, so no test
reads or writes the developer's real progress or bank cache."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point IMMUNOQUIZ_HOME and IMMUNOQUIZ_CACHE at fresh folders under tmp_path."""
    home, cache = tmp_path / "iq-home", tmp_path / "iq-cache"
    monkeypatch.setenv("IMMUNOQUIZ_HOME", str(home))
    monkeypatch.setenv("IMMUNOQUIZ_CACHE", str(cache))
    return {"home": home, "cache": cache}
