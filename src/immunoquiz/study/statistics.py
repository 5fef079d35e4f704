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

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from fsrs import Scheduler

from immunoquiz import scheduling
from immunoquiz.banks.model import Bank
from immunoquiz.store import Profile, Store
from immunoquiz.store.cards import CardFigures
from immunoquiz.store.db import from_db
from immunoquiz.study.clock import day_start, local_date
from immunoquiz.study.filters import item_steps
from immunoquiz.study.local_days import day_bounds, next_start, previous_start, starts_day


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


@dataclass(frozen=True, slots=True)
class _BankIndex:
    card_ids: tuple[str, ...]
    id_set: frozenset[str]
    stepped: tuple[tuple[int, frozenset[str]], ...]  # (position, steps) of items with steps
    step_items: Counter[str]  # items per step


# Card ids and steps per loaded bank, worked out once per Bank object (banks are
# immutable and loaded once per process; the bank is kept so its id is not reused).
_INDEXES: dict[int, tuple[Bank, _BankIndex]] = {}


def _index(bank: Bank) -> _BankIndex:
    hit = _INDEXES.get(id(bank))
    if hit is not None and hit[0] is bank:
        return hit[1]
    if len(_INDEXES) >= 256:
        _INDEXES.clear()
    steps = [item_steps(q) for q in bank.questions]
    index = _BankIndex(
        tuple(bank.card_id(q) for q in bank.questions),
        frozenset(bank.card_id(q) for q in bank.questions),
        tuple((i, ss) for i, ss in enumerate(steps) if ss),
        Counter(s for ss in steps for s in ss),
    )
    _INDEXES[id(bank)] = (bank, index)
    return index


def _figures(
    store: Store, profile: Profile, scheduler: Scheduler, now: datetime, horizon: datetime
) -> CardFigures:
    """Recall per studied card worked out in SQL, and the cards due now or before
    `horizon` (see `store.cards.card_figures`): no JSON and no time parsed."""
    curve = scheduling.recall_parameters(scheduler)
    return store.card_figures(profile, now, horizon, curve)


def _mean(recalls: list[float], total: int) -> float:
    """`scheduling.mastery` of recalls already clamped to 0..1 (SQL did it), summed in
    the same order, so the figures are the same to the last bit."""
    return sum(recalls) / total if total else 0.0


def _groups(recalls: dict[str, list[float]], items: Counter[str]) -> dict[str, Mastery]:
    return {
        key: Mastery(items[key], len(recalls.get(key, ())), _mean(recalls.get(key, []), items[key]))
        for key in sorted(items)
    }


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
    figures = _figures(store, profile, scheduler, now, now)
    suspended = store.suspended(profile)
    out = []
    for bank in banks:
        index = _index(bank)
        recalls = [r for r in map(figures.recall.get, index.card_ids) if r is not None]
        unseen = index.id_set.difference(figures.recall, suspended)
        due = index.id_set.intersection(figures.due_now).difference(suspended)
        total = len(bank.questions)
        out.append(BankOverview(bank, len(due), len(unseen), total, _mean(recalls, total)))
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
    total, correct = store.activity_totals(profile)
    per_day, correct_per_day = _recent_days(store, profile, now, tz, days)

    figures = _figures(store, profile, scheduler, now, now + timedelta(days + 1))
    by_topic: dict[str, list[float]] = {}
    by_step: dict[str, list[float]] = {}
    topic_items: Counter[str] = Counter()
    step_items: Counter[str] = Counter()
    seen: list[float] = []
    due_now = 0
    due_soon: list[str] = []
    suspended = store.suspended(profile)
    for bank in banks:
        index = _index(bank)
        if not index.card_ids:
            continue  # an empty bank adds no topic
        topic_items[bank.topic] += len(index.card_ids)
        step_items.update(index.step_items)
        found = list(map(figures.recall.get, index.card_ids))
        recalls = [r for r in found if r is not None]
        seen += recalls
        by_topic.setdefault(bank.topic, []).extend(recalls)
        for i, steps in index.stepped:
            recall = found[i]
            if recall is not None:
                for step in steps:
                    by_step.setdefault(step, []).append(recall)
        due_now += len(index.id_set.intersection(figures.due_now).difference(suspended))
        soon = index.id_set.intersection(figures.due_soon).difference(suspended)
        due_soon += [figures.due_soon[card_id] for card_id in soon]
    due_days = _per_day(
        ((t, 1) for t in due_soon), day_bounds(now, tz, 0, days - 1), today,
        lambda t: local_date(from_db(t), tz),
    )  # fmt: skip
    due_by_day = tuple(
        DayDue(today + timedelta(d), due_days[today + timedelta(d)]) for d in range(days)
    )
    items_total = sum(topic_items.values())

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
        streak=_streak(store, profile, now, tz),
        items_total=items_total,
        items_seen=len(seen),
        mastery=_mean(seen, items_total),
        mastery_by_topic=_groups(by_topic, topic_items),
        mastery_by_step=_groups(by_step, step_items),
    )


def _per_day(
    pairs: Iterable[tuple[str, int]],
    bounds: list[str] | None,
    first: date,
    convert: Callable[[str], date],
) -> Counter[date]:
    """Sum of the numbers per local day of their stored time (or slot): by bisecting the
    day bounds starting with day `first` (see `local_days.day_bounds`), else converting
    each time (a day without an exact bound)."""
    out: Counter[date] = Counter()
    if bounds is None:
        for text, n in pairs:
            out[convert(text)] += n
        return out
    for text, n in pairs:
        i = bisect_right(bounds, text) - 1
        if 0 <= i < len(bounds) - 1:
            out[first + timedelta(i)] += n
    return out


def _slot_time(slot: str) -> datetime:
    """'YYYY-MM-DDTHH:MM' (UTC), as the store's activity table keys its 15-minute slots."""
    return datetime.fromisoformat(slot + ":00+00:00")


def _recent_days(
    store: Store, profile: Profile, now: datetime, tz: tzinfo | None, days: int
) -> tuple[Counter[date], Counter[date]]:
    """Answers and full-credit answers per local day, for the last `days` days.

    Plan: SEARCH activity USING PRIMARY KEY (profile_id=? AND slot>? AND slot<?).
    """
    first = local_date(now, tz) - timedelta(days - 1)
    bounds = day_bounds(now, tz, 1 - days, 0)
    if bounds is None:
        rows = store.activity_slots(profile, now - timedelta(days + 1), now + timedelta(1))
    else:
        rows = store.activity_slots(profile, from_db(bounds[0]), from_db(bounds[-1]))
    slots = None if bounds is None else [b[:16] for b in bounds]

    def convert(slot: str) -> date:
        return local_date(_slot_time(slot), tz)

    per_day = _per_day(((s, n) for s, n, _ in rows), slots, first, convert)
    full = _per_day(((s, f or 0) for s, _, f in rows), slots, first, convert)
    return per_day, full


def _streak(store: Store, profile: Profile, now: datetime, tz: tzinfo | None) -> int:
    """Days in a row with an answer, ending today (or yesterday if today has none yet).

    Newest first, in blocks of growing size: each block's days are looked up in one
    read (see `Store.active_days`), so a long history costs nothing beyond the streak.
    """
    today = day = local_date(now, tz)
    start = day_start(now, tz)
    end = next_start(start, tz)
    # Each day's start is worked out and checked once: it is the end of the day before.
    end_slot = _slot(end) if starts_day(end, day + timedelta(1), tz) else None
    streak, size = 0, 4
    while True:
        block: list[tuple[date, str | None, str | None]] = []
        for _ in range(size):
            start_slot = _slot(start) if starts_day(start, day, tz) else None
            block.append((day, start_slot, end_slot))
            day, end_slot, start = day - timedelta(1), start_slot, previous_start(start, tz)
        exact = [(s, e) for _d, s, e in block if s is not None and e is not None]
        found = iter(store.active_days(profile, exact))
        for d, s, e in block:
            active = next(found) if s is not None and e is not None else None
            if active is None:
                active = _active_slow(store, profile, d, tz)
            if active:
                streak += 1
            elif d != today:
                return streak
        size = min(size * 2, 128)


def _slot(when: datetime) -> str:
    """The activity slot text of a UTC time on a slot bound."""
    return when.strftime("%Y-%m-%dT%H:%M")


def _active_slow(store: Store, profile: Profile, day: date, tz: tzinfo | None) -> bool:
    """Whether local `day` has an answer, converting each slot near it (no exact bounds)."""
    since = datetime.combine(day - timedelta(1), time(), UTC)  # offsets are within 14 h
    slots = store.activity_slots(profile, since, since + timedelta(3))
    return any(local_date(_slot_time(slot), tz) == day for slot, _, _ in slots)
