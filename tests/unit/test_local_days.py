"""The starts of local days, as the streak reads them, agree with the definition
(`starts_day`: the first instant of the day, on a 15-minute bound) in every kind of zone."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from immunoquiz.study.local_days import local_midnight, start_slots, starts_day

# DST at 02:00 and at midnight (Cairo, Santiago), half-hour DST (Lord Howe), odd offsets
# (Kathmandu, Chatham), a skipped day (Samoa, 2011-12-30), no DST (UTC).
ZONES = ["America/New_York", "Africa/Cairo", "America/Santiago", "Australia/Lord_Howe",
         "Asia/Kathmandu", "Pacific/Chatham", "Pacific/Apia", "UTC"]  # fmt: skip
LAST_DAYS = [date(2012, 1, 10), date(2026, 12, 31)]


def _defined(day: date, count: int, zone: ZoneInfo | None) -> list[str | None]:
    out = []
    for k in range(count):
        start = local_midnight(day - timedelta(k), zone)
        exact = starts_day(start, day - timedelta(k), zone)
        out.append(start.strftime("%Y-%m-%dT%H:%M") if exact else None)
    return out


@pytest.mark.parametrize("zone", ZONES)
def test_start_slots_of_a_named_zone(zone: str) -> None:
    for last in LAST_DAYS:
        assert start_slots(last, 800, ZoneInfo(zone)) == _defined(last, 800, ZoneInfo(zone))


@pytest.fixture
def system_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    yield monkeypatch
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("zone", ZONES)
def test_start_slots_of_the_system_zone(zone: str, system_zone: pytest.MonkeyPatch) -> None:
    system_zone.setenv("TZ", zone)
    time.tzset()
    for last in LAST_DAYS:
        assert start_slots(last, 800, None) == _defined(last, 800, None)
    # The skipped day has no exact start, nor has the day after it (its day before is gone).
    if zone == "Pacific/Apia":
        assert start_slots(date(2011, 12, 31), 2, None) == [None, None]
