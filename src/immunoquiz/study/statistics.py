"""Numbers about a profile's progress, for the home screen, `immunoquiz stats` and the TUI.

Definitions (also in `immunoquiz stats --help`):
- an answer is a review-log row that was not undone, in study or practice mode;
- accuracy is the share of answers that earned full credit (what FSRS counts as recalled);
- "today" is the learner's local calendar day;
- due counts and mastery cover the items of the loaded banks only (a removed item
  keeps its history but is never due, nor is a suspended one); mastery is the mean
  FSRS retrievability over all items of a group, unseen items counting 0;
- the streak is the number of consecutive days with at least one answer, ending
  today (or yesterday, if nothing was answered yet today).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from fsrs import Scheduler

from immunoquiz import scheduling
from immunoquiz.banks.model import Bank
from immunoquiz.store import MAX_YEAR, MIN_YEAR, Profile, Store
from immunoquiz.store.db import from_db
from immunoquiz.study.clock import local_date
from immunoquiz.study.filters import item_steps


@dataclass(frozen=True, slots=True)
class BankOverview:
    bank: Bank
    due: int
    new: int
    total: int
    mastery: float


@dataclass(frozen=True, slots=True)
class Mastery:
    items: int
    seen: int
    mastery: float


@dataclass(frozen=True, slots=True)
class DayActivity:
    day: date
    reviews: int
    correct: int  # full credit

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.reviews if self.reviews else None


@dataclass(frozen=True, slots=True)
class DayDue:
    day: date
    due: int  # cards not due now that fall due on this day


@dataclass(frozen=True, slots=True)
class Stats:
    profile: str
    now: datetime
    reviews_today: int
    correct_today: int
    total_reviews: int
    accuracy: float | None
    due_now: int
    due_next_7_days: int
    due_by_day: tuple[DayDue, ...]  # today and the 13 days after
    days: tuple[DayActivity, ...]  # the last 14 days, oldest first
    streak: int
    items_total: int
    items_seen: int
    mastery: float
    mastery_by_topic: dict[str, Mastery]
    mastery_by_step: dict[str, Mastery]

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "now": self.now.isoformat(),
            "reviews_today": self.reviews_today,
            "correct_today": self.correct_today,
            "total_reviews": self.total_reviews,
            "accuracy": self.accuracy,
            "due_now": self.due_now,
            "due_next_7_days": self.due_next_7_days,
            "due_by_day": [{"day": d.day.isoformat(), "due": d.due} for d in self.due_by_day],
            "days": [
                {
                    "day": d.day.isoformat(),
                    "reviews": d.reviews,
                    "correct": d.correct,
                    "accuracy": d.accuracy,
                }
                for d in self.days
            ],  # fmt: skip
            "streak": self.streak,
            "items_total": self.items_total,
            "items_seen": self.items_seen,
            "mastery": self.mastery,
            "mastery_by_topic": {k: _mastery_json(v) for k, v in self.mastery_by_topic.items()},
            "mastery_by_step": {k: _mastery_json(v) for k, v in self.mastery_by_step.items()},
        }


def _mastery_json(m: Mastery) -> dict[str, Any]:
    return {"items": m.items, "seen": m.seen, "mastery": m.mastery}


Recall = dict[str, tuple[bool, datetime | None, float]]


def _recalls(
    store: Store, profile: Profile, scheduler: Scheduler, now: datetime, days: int = 0
) -> Recall:
    """card_id -> (due now, due time if within `days`, predicted recall) per studied card.

    One indexed read of five columns per card, no JSON and no time parsed but for
    the cards falling due within `days` (see `Store.recall_inputs`).
    """
    recall = scheduling.recall_function(scheduler)
    rows = store.recall_inputs(profile, now, now + timedelta(days + 1))
    return {
        card_id: (due_now == 1, from_db(soon) if soon else None, recall(stability, elapsed))
        for card_id, due_now, soon, stability, elapsed in rows
    }


def _group(values: dict[str, list[float | None]]) -> dict[str, Mastery]:
    out: dict[str, Mastery] = {}
    for key in sorted(values):
        seen = [v for v in values[key] if v is not None]
        out[key] = Mastery(len(values[key]), len(seen), scheduling.mastery(seen, len(values[key])))
    return out


def overview(
    store: Store,
    profile: Profile,
    banks: Iterable[Bank],
    now: datetime,
    *,
    scheduler: Scheduler | None = None,
) -> list[BankOverview]:
    """Per bank: cards due now, items never studied, items in all, mastery.

    A suspended card counts as neither due nor new (it is never served)."""
    scheduler = scheduler or scheduling.make_scheduler()
    rows = _recalls(store, profile, scheduler, now)
    suspended = store.suspended(profile)
    out = []
    for bank in banks:
        due = new = 0
        recalls = []
        for item in bank.questions:
            row = rows.get(bank.card_id(item))
            if bank.card_id(item) in suspended:
                if row is not None:
                    recalls.append(row[2])
                continue
            if row is None:
                new += 1
                continue
            due += row[0]
            recalls.append(row[2])
        total = len(bank.questions)
        out.append(BankOverview(bank, due, new, total, scheduling.mastery(recalls, total)))
    return out


def stats(
    store: Store,
    profile: Profile,
    banks: Iterable[Bank],
    now: datetime,
    *,
    scheduler: Scheduler | None = None,
    tz: tzinfo | None = None,
    days: int = 14,
) -> Stats:
    scheduler = scheduler or scheduling.make_scheduler()
    today = local_date(now, tz)
    total, correct, active = _activity_totals(store, profile, tz)
    per_day, correct_per_day = _recent_days(
        store, profile, now - timedelta(days + 1), now + timedelta(1), tz
    )

    rows = _recalls(store, profile, scheduler, now, days)
    by_topic: dict[str, list[float | None]] = {}
    by_step: dict[str, list[float | None]] = {}
    everything: list[float | None] = []
    due_now = 0
    due_days: Counter[date] = Counter()
    suspended = store.suspended(profile)
    for bank in banks:
        for item in bank.questions:
            row = rows.get(bank.card_id(item))
            recall = None if row is None else row[2]
            everything.append(recall)
            by_topic.setdefault(bank.topic, []).append(recall)
            for step in item_steps(item):
                by_step.setdefault(step, []).append(recall)
            if row is None or bank.card_id(item) in suspended:
                continue
            if row[0]:
                due_now += 1
            elif row[1] is not None:
                due_days[local_date(row[1], tz)] += 1
    due_by_day = tuple(
        DayDue(today + timedelta(d), due_days[today + timedelta(d)]) for d in range(days)
    )
    seen = [v for v in everything if v is not None]

    streak = 0
    day = today if active(today) else today - timedelta(1)
    while active(day):
        streak += 1
        day -= timedelta(1)

    return Stats(
        profile=profile.name,
        now=now,
        reviews_today=per_day[today],
        correct_today=correct_per_day[today],
        total_reviews=total,
        accuracy=correct / total if total else None,
        due_now=due_now,
        due_next_7_days=sum(d.due for d in due_by_day[:7]),
        due_by_day=due_by_day,
        days=tuple(
            DayActivity(
                today - timedelta(d),
                per_day[today - timedelta(d)],
                correct_per_day[today - timedelta(d)],
            )
            for d in reversed(range(days))
        ),  # fmt: skip
        streak=streak,
        items_total=len(everything),
        items_seen=len(seen),
        mastery=scheduling.mastery(seen, len(everything)),
        mastery_by_topic=_group(by_topic),
        mastery_by_step=_group(by_step),
    )


def _activity_totals(
    store: Store, profile: Profile, tz: tzinfo | None
) -> tuple[int, int, Callable[[date], bool]]:
    """All answers, full-credit answers, and a test "was this local day active?".

    Read per UTC day (first and last 15-minute slot with answers): a UTC day
    overlaps at most two local days, and every slot between its first and last
    falls on one of the local days of those two, so two conversions per UTC day
    give the exact local days. They are made lazily, newest first, as the streak
    asks, so a long history costs a sum, not a conversion per day. A day outside
    the years the store accepts means rows with a bad time: they are named once
    and left out.
    """
    rows = []
    bad = False
    for row in store.activity_by_utc_day(profile):
        if _plausible(row[0]):
            rows.append(row)
        else:
            bad = True
    if bad:
        store.report_bad_review_times(profile)
    total = sum(r[3] for r in rows)
    correct = sum(r[4] or 0 for r in rows)
    rows.sort(reverse=True)
    active: set[date] = set()
    pending = iter(rows)
    low: list[str] = []  # the oldest UTC day converted so far

    def is_active(day: date) -> bool:
        # Every UTC day that can overlap local `day` is from day - 1 on.
        need = (day - timedelta(1)).isoformat()
        while not low or low[0] >= need:
            row = next(pending, None)
            if row is None:
                break
            active.add(local_date(_slot_time(row[1]), tz))
            active.add(local_date(_slot_time(row[2]), tz))
            low[:] = [row[0]]
        return day in active

    return total, correct, is_active


def _plausible(utc_day: str) -> bool:
    """A day key ('YYYY-MM-DD') in the years the store accepts (else: rows with bad times)."""
    return f"{MIN_YEAR}-" <= utc_day < f"{MAX_YEAR + 1}-" and len(utc_day) == 10


def _slot_time(slot: str) -> datetime:
    """'YYYY-MM-DDTHH:MM' (UTC), as the store's activity table keys its 15-minute slots."""
    return datetime.fromisoformat(slot + ":00+00:00")


def _recent_days(
    store: Store, profile: Profile, since: datetime, until: datetime, tz: tzinfo | None
) -> tuple[Counter[date], Counter[date]]:
    """Answers and full-credit answers per local day, for the slots from `since` to `until`."""
    per_day: Counter[date] = Counter()
    correct_per_day: Counter[date] = Counter()
    for slot, n, full in store.activity_slots(profile, since, until):
        if not _plausible(slot[:10]):
            continue  # reported by _activity_totals
        day = local_date(_slot_time(slot), tz)
        per_day[day] += n
        correct_per_day[day] += full or 0
    return per_day, correct_per_day
