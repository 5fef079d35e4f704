"""Where immunoquiz keeps things on disk, and where the bundled banks live."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "immunoquiz"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Progress lives here: `--data-dir`, else $IMMUNOQUIZ_HOME, else the platform's data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("IMMUNOQUIZ_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """Disposable parsed-bank cache: $IMMUNOQUIZ_CACHE, else the platform's cache dir."""
    env = os.environ.get("IMMUNOQUIZ_CACHE")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def bundled_banks_dir() -> Path:
    """The banks shipped with the project (`question_banks/` at the repository root)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "question_banks", here.parents[1] / "question_banks"):
        if candidate.is_dir():
            return candidate
    return here.parents[1] / "question_banks"
