"""The learner's local days as UTC intervals, so stored times are counted per day by
comparing text with a few bounds instead of converting every time to the local zone.

Stored times are fixed-width UTC text (see `store.db.to_db`); the review log's
activity is kept per 15-minute slot ('YYYY-MM-DDTHH:MM'). Every zone's offset today
is a multiple of 15 minutes, so a local day starts on a slot bound; a day whose start
is not on one (or a chain of days with a gap, as when Samoa skipped a day) is not
given a bound, and callers convert each time for it instead.
"""

from __future__ import annotations

import time as clock
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from immunoquiz.store.db import to_db
from immunoquiz.study.clock import day_start, local_date

_TICK = timedelta(microseconds=1)


def starts_day(when: datetime, day: date, tz: tzinfo | None) -> bool:
    """Whether `when` (UTC) is the first instant of local `day`, on a slot bound."""
    return (
        when.minute % 15 == 0 and when.second == 0 and when.microsecond == 0
        and local_date(when, tz) == day and local_date(when - _TICK, tz) == day - timedelta(1)
    )  # fmt: skip


def local_midnight(day: date, tz: tzinfo | None) -> datetime:
    """The instant (UTC) the clock shows 00:00 on local `day` (the first one, where it
    shows it twice; where it skips it, the instant the clock jumps)."""
    naive = datetime.combine(day, time())
    return (naive.replace(tzinfo=tz) if tz is not None else naive).astimezone(UTC)


def start_slots(day: date, count: int, tz: tzinfo | None) -> list[str | None]:
    """The activity-slot text ('YYYY-MM-DDTHH:MM', UTC) of the starts of local days `day`,
    `day` - 1, ... (`count` of them), newest first; None for a day whose start is not
    exact (`starts_day`).

    In the system zone (`tz` None, what the clients use) each day costs two `localtime`
    calls: a local midnight on a slot bound whose second before is on the day before is
    exact. The midnight tried first is 24 hours before the next day's; only where that
    is not one (a change of offset) is it asked of `mktime`, which re-reads the zone
    file's status on every call (a system call each). Anything else is worked out as
    `starts_day` does.
    """
    out: list[str | None] = []
    one = timedelta(1)
    later: int | None = None  # the exact start of the day after `day`, if known
    for _ in range(count):
        before = day - one
        slot = None
        if tz is None:
            midnight = (day.year, day.month, day.day, 0, 0, 0)
            ts = -1 if later is None else later - 86_400
            at = clock.localtime(ts) if later is not None else None
            if at is None or at[:6] != midnight:
                ts = int(clock.mktime((*midnight, 0, 0, -1)))
                at = clock.localtime(ts)
            prev = clock.localtime(ts - 1)
            later = None
            if (
                ts % 900 == 0 and at[:6] == midnight
                and prev[:3] == (before.year, before.month, before.day)
            ):  # fmt: skip
                slot = clock.strftime("%Y-%m-%dT%H:%M", clock.gmtime(ts))
                later = ts
        if slot is None:
            start = local_midnight(day, tz)
            slot = start.strftime("%Y-%m-%dT%H:%M") if starts_day(start, day, tz) else None
        out.append(slot)
        day = before
    return out


def previous_start(start: datetime, tz: tzinfo | None) -> datetime:
    """The start of the local day before the one starting at `start`."""
    return day_start(start - timedelta(hours=12), tz)


def next_start(start: datetime, tz: tzinfo | None) -> datetime:
    """The start of the local day after the one starting at `start` (days last < 36 h)."""
    return day_start(start + timedelta(hours=36), tz)


def day_bounds(now: datetime, tz: tzinfo | None, first: int, last: int) -> list[str] | None:
    """Stored-time text of the starts of local days today+`first` .. today+`last`+1.

    Day k is then the times t with bounds[k - first] <= t < bounds[k - first + 1]
    (`bisect_right(bounds, t) - 1 + first`). None if any of those days has no exact
    bound (see the module docstring). Needs `first` <= 0 <= `last`.
    """
    if first > 0 or last < 0:
        raise ValueError("the days must include today")
    today = local_date(now, tz)
    start = day_start(now, tz)
    starts = [start]
    for _ in range(first, 0):
        starts.insert(0, previous_start(starts[0], tz))
    while len(starts) < last - first + 2:
        starts.append(next_start(starts[-1], tz))
    days = (today + timedelta(k) for k in range(first, last + 2))
    if not all(starts_day(s, d, tz) for s, d in zip(starts, days, strict=True)):
        return None
    return [to_db(s) for s in starts]
