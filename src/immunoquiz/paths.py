"""Where immunoquiz keeps things on disk, and where the bundled banks live."""

from __future__ import annotations

import os
from pathlib import Path

import immunoquiz

APP = "immunoquiz"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Progress lives here: `--data-dir`, else $IMMUNOQUIZ_HOME, else the platform's data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("IMMUNOQUIZ_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs  # only when neither option nor variable names the folder

    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """Disposable parsed-bank cache: $IMMUNOQUIZ_CACHE, else the platform's cache dir."""
    env = os.environ.get("IMMUNOQUIZ_CACHE")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def _shipped(name: str) -> Path:
    """A file or folder shipped with immunoquiz, wherever this copy was installed from.

    A wheel carries it inside the package (the build maps the repository's top-level
    `question_banks/`, `schema/` and `docs/` there); an editable install or a checkout
    run with PYTHONPATH=src has only the repository's own top-level copy.
    """
    # the package's own folder (what importlib.resources.files would say for a package
    # on disk, without importing importlib.resources at every start)
    package = Path(immunoquiz.__file__ or "").parent
    inside = package / name
    if inside.exists():
        return inside
    return package.parents[1] / name


def bundled_banks_dir() -> Path:
    """The question banks shipped with immunoquiz."""
    return _shipped("question_banks")


def schema_file() -> Path:
    """The JSON Schema of the bank format, for editors."""
    return _shipped("schema/bank.schema.json")


def format_doc() -> Path:
    """The bank format, written for educators."""
    return _shipped("docs/bank-format.md")
