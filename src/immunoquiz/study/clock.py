"""The engine's notion of "now", and the learner's calendar day.

Everything takes a clock (a function returning an aware UTC datetime) so tests
and demos can move time. The CLI honours `IMMUNOQUIZ_NOW=2026-11-28T09:00:00Z`:
the clock starts at that instant and then runs at normal speed, so a "come back
tomorrow" demo is one environment variable away.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo

from immunoquiz.basics import utc_now

Clock = Callable[[], datetime]
NOW_ENV = "IMMUNOQUIZ_NOW"


def parse_now(text: str) -> datetime:
    """An ISO 8601 date-time; without a zone it is taken as UTC. ValueError if unreadable."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{NOW_ENV}={text!r} is not an ISO 8601 date-time (e.g. 2026-11-28T09:00:00Z)"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


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
