"""The study engine: sessions, overview and statistics. No Textual or Rich here.

Clients (the TUI, the CLI's plain line mode, tests) call `open_session(...)` and
then `next()` / `answer()` / `undo()`; every answer is on disk before `answer()`
returns.
"""

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
