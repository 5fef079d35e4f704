"""The engine's notion of "now", and the learner's calendar day.

Everything takes a clock (a function returning an aware UTC datetime) so tests
and demos can move time. The CLI honours `IMMUNOQUIZ_NOW=2026-11-28T09:00:00Z`:
the clock starts at that instant and then runs at normal speed, so a "come back
tomorrow" demo is one environment variable away. The value needs a zone and a
year in 2000-2200; `immunoquiz` checks it before any command runs (exit 2).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo

from immunoquiz.basics import utc_now
from immunoquiz.store.times import MAX_YEAR, MIN_YEAR

Clock = Callable[[], datetime]
NOW_ENV = "IMMUNOQUIZ_NOW"


def parse_now(text: str) -> datetime:
    """An ISO 8601 date-time with its zone, in the years MIN_YEAR-MAX_YEAR.

    ValueError (a usage error: nothing has been written yet) otherwise: a typo such
    as 0026 for 2026 would store times that no later run can make sense of.
    """
    example = "e.g. 2026-11-28T09:00:00Z"
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{NOW_ENV}={text!r} is not an ISO 8601 date-time ({example})") from None
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(
            f"{NOW_ENV}={text!r} has no time zone: add Z for UTC or an offset ({example})"
        )
    if not MIN_YEAR <= when.year <= MAX_YEAR:
        raise ValueError(
            f"{NOW_ENV}={text!r}: the year must be between {MIN_YEAR} and {MAX_YEAR} ({example})"
        )
    return when.astimezone(UTC)


def check_env(environ: Mapping[str, str] | None = None) -> str | None:
    """Why $IMMUNOQUIZ_NOW is unusable, or None (also None when it is not set)."""
    try:
        clock_from_env(environ)
    except ValueError as exc:
        return str(exc)
    return None


def clock_from_env(environ: Mapping[str, str] | None = None) -> Clock:
    """The wall clock, or one started at $IMMUNOQUIZ_NOW. ValueError if that is malformed."""
    text = (os.environ if environ is None else environ).get(NOW_ENV, "").strip()
    if not text:
        return utc_now
    start = parse_now(text)
    origin = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - origin)


def local_date(when: datetime, tz: tzinfo | None = None) -> date:
    """The calendar day of `when` for the learner (the system zone unless `tz` is given)."""
    return (when.astimezone(tz) if tz is not None else when.astimezone()).date()


def day_start(when: datetime, tz: tzinfo | None = None) -> datetime:
    """Midnight (local) that began the learner's day containing `when`, in UTC."""
    local = when.astimezone(tz) if tz is not None else when.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
