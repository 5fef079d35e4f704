"""The study engine: sessions, overview and statistics. No Textual or Rich here.

Clients (the TUI, the CLI's plain line mode, tests) call `open_session(...)` and
then `next()` / `answer()` / `undo()`; every answer is on disk before `answer()`
returns.

The names below are looked up on first use: `immunoquiz stats` (statistics) and
the commands that only read the clock do not pay for the session machinery
(FSRS, scoring) by importing one of this package's modules.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from immunoquiz.basics import utc_now
    from immunoquiz.study.catalog import Card, build_catalog
    from immunoquiz.study.clock import Clock, clock_from_env, day_start, local_date
    from immunoquiz.study.filters import Filters, item_steps
    from immunoquiz.study.home import HomeSummary, home_summary
    from immunoquiz.study.session import (
        DEFAULT_NEW_LIMIT,
        NEW_LIMIT_SETTING,
        Mode,
        Outcome,
        QueueCounts,
        Rerating,
        Session,
        Summary,
        Tally,
        open_session,
    )
    from immunoquiz.study.statistics import (
        BankOverview,
        DayActivity,
        DayDue,
        Mastery,
        Stats,
        overview,
        stats,
    )

_HOME = {
    "utc_now": "immunoquiz.basics",
    **dict.fromkeys(("Card", "build_catalog"), "immunoquiz.study.catalog"),
    **dict.fromkeys(
        ("Clock", "clock_from_env", "day_start", "local_date"), "immunoquiz.study.clock"
    ),
    **dict.fromkeys(("Filters", "item_steps"), "immunoquiz.study.filters"),
    **dict.fromkeys(("HomeSummary", "home_summary"), "immunoquiz.study.home"),
    **dict.fromkeys(
        (
            "DEFAULT_NEW_LIMIT",
            "NEW_LIMIT_SETTING",
            "Mode",
            "Outcome",
            "QueueCounts",
            "Rerating",
            "Session",
            "Summary",
            "Tally",
            "open_session",
        ),
        "immunoquiz.study.session",
    ),
    **dict.fromkeys(
        ("BankOverview", "DayActivity", "DayDue", "Mastery", "Stats", "overview", "stats"),
        "immunoquiz.study.statistics",
    ),
}

__all__ = [
    "DEFAULT_NEW_LIMIT",
    "NEW_LIMIT_SETTING",
    "BankOverview",
    "Card",
    "Clock",
    "DayActivity",
    "DayDue",
    "Filters",
    "HomeSummary",
    "Mastery",
    "Mode",
    "Outcome",
    "QueueCounts",
    "Rerating",
    "Session",
    "Stats",
    "Summary",
    "Tally",
    "build_catalog",
    "clock_from_env",
    "day_start",
    "home_summary",
    "item_steps",
    "local_date",
    "open_session",
    "overview",
    "stats",
    "utc_now",
]


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # looked up once
    return value
