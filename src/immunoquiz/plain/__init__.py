"""Plain line mode: numbered text out, one typed line per answer in. No Textual, no ANSI.

The names below are looked up on first use: the study commands' help text
(`help_text`, read whenever their parser is built, so at every TUI start too)
does not pay for the plain runner, its renderer and the feedback it shows.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from immunoquiz.plain.runner import Console, run_plain
    from immunoquiz.plain.syntax import help_text

_HOME = {"Console": "runner", "run_plain": "runner", "help_text": "syntax"}

__all__ = ["Console", "help_text", "run_plain"]


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)
