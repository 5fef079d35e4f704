"""Which times the store accepts: timezone-aware, within years the learner can live in.

A typo such as `IMMUNOQUIZ_NOW=0026-11-28T09:00:00Z` once stored times that broke
every later read, and `9999-12-31` overflowed on the first due date. Times are
now checked when written, and rows holding anything else are skipped on read.
"""

from __future__ import annotations

from datetime import UTC, datetime

MIN_YEAR = 2000
MAX_YEAR = 2200
# Due dates lie ahead of the answer that set them (fsrs allows up to 100 years).
MAX_DUE_YEAR = MAX_YEAR + 101


def check_time(when: datetime, what: str = "time", *, max_year: int = MAX_DUE_YEAR) -> datetime:
    """`when` itself; ValueError if it is naive or outside MIN_YEAR..`max_year`."""
    if not isinstance(when, datetime):
        raise ValueError(f"{what} is not a date-time")
    tz = when.tzinfo
    if tz is not UTC and (tz is None or when.utcoffset() is None):
        raise ValueError(f"{what} {when.isoformat()} has no time zone")
    if not MIN_YEAR <= when.year <= max_year:
        raise ValueError(f"{what} {when.isoformat()} is outside the years {MIN_YEAR}-{max_year}")
    return when
