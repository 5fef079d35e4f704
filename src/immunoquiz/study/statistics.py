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

import functools
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from immunoquiz.banks.model import Bank
from immunoquiz.records import dataclass
from immunoquiz.store import Profile, Store
from immunoquiz.store.db import from_db, to_db
from immunoquiz.study.clock import day_start, local_date
from immunoquiz.study.curve import default_curve
from immunoquiz.study.filters import item_steps
from immunoquiz.study.local_days import day_bounds, start_slots

if TYPE_CHECKING:  # a caller's scheduler comes with fsrs loaded; the default needs none
    from fsrs import Scheduler


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
class _Catalog:
    """The loaded banks' items in groups of one bank and one set of steps: what the store
    counts per group in SQL (see `Store.use_items`)."""

    banks: tuple[Bank, ...]  # kept, so the ids in the cache key are never reused
    token: str
    groups: tuple[tuple[int, frozenset[str]], ...]  # (bank position, steps) per group
    sizes: tuple[int, ...]  # items per group
    rows: tuple[tuple[str, int], ...]  # (card id, group) per item
    prefixes: tuple[str, ...]  # per bank: what its card ids start with
    items: tuple[frozenset[str], ...]  # per bank: its items' card ids


# Banks are immutable and loaded once per process: a bank list's catalog is worked out once.
_CATALOGS: dict[tuple[int, ...], _Catalog] = {}
_TOKENS = itertools.count(1)


def _catalog(banks: Sequence[Bank]) -> _Catalog:
    key = tuple(map(id, banks))
    hit = _CATALOGS.get(key)
    if hit is not None:
        return hit
    if len(_CATALOGS) >= 64:
        _CATALOGS.clear()
    numbers: dict[tuple[int, frozenset[str]], int] = {}
    rows = []
    for pos, bank in enumerate(banks):
        for item in bank.questions:
            grp = numbers.setdefault((pos, item_steps(item)), len(numbers))
            rows.append((bank.card_id(item), grp))
    sizes = Counter(grp for _card, grp in rows)
    catalog = _Catalog(
        tuple(banks), f"stats-{next(_TOKENS)}", tuple(numbers),
        tuple(sizes[grp] for grp in range(len(numbers))), tuple(rows),
        tuple(f"{bank.id}/" for bank in banks),
        tuple(frozenset(bank.card_id(item) for item in bank.questions) for bank in banks),
    )  # fmt: skip
    _CATALOGS[key] = catalog
    return catalog


@dataclass(frozen=True, slots=True)
class BankFigures:
    """A bank's items and what the store counted of them."""

    total: int  # items
    seen: int
    recall: float  # summed over the items seen
    due_now: int  # not suspended
    due_fresh: int  # of those, introduced today
    unseen: int  # not suspended


def _curve(scheduler: Scheduler | None) -> tuple[float, float]:
    """The forgetting curve's parameters (`scheduling.recall_parameters`)."""
    if scheduler is None:
        return _default_curve()
    from immunoquiz import scheduling

    return scheduling.recall_parameters(scheduler)


@functools.cache
def _default_curve() -> tuple[float, float]:
    return default_curve()


def bank_figures(
    store: Store,
    profile: Profile,
    banks: Sequence[Bank],
    now: datetime,
    since: datetime,
    scheduler: Scheduler | None,
    *,
    steps: bool = True,
) -> tuple[list[BankFigures], dict[str, tuple[int, int, float]]]:
    """Per bank, and per step (items, seen, summed recall), from one pass in SQL over the
    profile's cards joined with the loaded items (plans in `store/figures.py`). Without
    `steps` (the home screen shows none), the items seen and their recall are counted
    per bank, over each bank's range of card ids, for less, and no step is given."""
    catalog = _catalog(banks)
    store.use_items(catalog.token, lambda: catalog.rows)
    curve = _curve(scheduler)
    found = store.group_figures(profile, now, since, curve, studied=steps)
    sums = [[0, 0, 0.0, 0, 0, 0] for _ in banks]
    if not steps:
        studied = store.bank_figures(
            profile, catalog.token, catalog.prefixes, catalog.items, now, curve
        )
        for acc, (seen, recall) in zip(sums, studied, strict=True):
            acc[1], acc[2] = seen, recall
    by_step: dict[str, list[float]] = {}
    sizes = catalog.sizes
    for grp, (pos, step_set) in enumerate(catalog.groups):
        g = found.get(grp)
        acc = sums[pos]
        acc[0] += sizes[grp]
        if g:
            acc[3] += g.due_now
            acc[4] += g.due_fresh
            acc[5] += g.unseen_suspended
        if steps:
            seen, recall = (g.seen, g.recall) if g else (0, 0.0)
            acc[1] += seen
            acc[2] += recall
            for step in step_set:
                per = by_step.setdefault(step, [0, 0, 0.0])
                per[0] += sizes[grp]
                per[1] += seen
                per[2] += recall
    banks_out = [
        BankFigures(int(t), int(n), float(r), int(d), int(f), int(t - n - h))
        for t, n, r, d, f, h in sums
    ]
    return banks_out, {k: (int(v[0]), int(v[1]), float(v[2])) for k, v in by_step.items()}


def _mastery(items: int, seen: int, recall: float) -> Mastery:
    return Mastery(items, seen, mastery(items, seen, recall))


def mastery(items: int, seen: int, recall: float) -> float:
    """The mean recall over `items`, unseen ones counting 0 (`seen` is for the caller)."""
    return recall / items if items else 0.0


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
    banks = list(banks)
    with store.snapshot():
        figures, _steps = bank_figures(store, profile, banks, now, now, scheduler, steps=False)
    return bank_overviews(banks, figures)


def bank_overviews(banks: Sequence[Bank], figures: Sequence[BankFigures]) -> list[BankOverview]:
    return [
        BankOverview(
            bank, f.due_now, f.unseen, f.total, _mastery(f.total, f.seen, f.recall).mastery
        )
        for bank, f in zip(banks, figures, strict=True)
    ]


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
    with store.snapshot():
        return full_stats(store, profile, list(banks), now, tz, days, scheduler)[0]


def full_stats(
    store: Store,
    profile: Profile,
    banks: Sequence[Bank],
    now: datetime,
    tz: tzinfo | None,
    days: int = 14,
    scheduler: Scheduler | None = None,
) -> tuple[Stats, list[BankFigures]]:
    """The statistics and the per-bank figures behind them (due-now counts split at the
    start of today), read in the caller's snapshot."""
    today = local_date(now, tz)
    total, correct = store.activity_totals(profile)
    per_day, correct_per_day = answers_per_day(store, profile, now, tz, days)
    figures, by_step = bank_figures(store, profile, banks, now, day_start(now, tz), scheduler)
    topics: dict[str, list[float]] = {}
    for bank, f in zip(banks, figures, strict=True):
        if f.total:  # an empty bank adds no topic
            acc = topics.setdefault(bank.topic, [0, 0, 0.0])
            acc[0] += f.total
            acc[1] += f.seen
            acc[2] += f.recall
    due_days = due_on_days(store, profile, now, tz, days)
    due_by_day = tuple(DayDue(today + timedelta(d), due_days[d]) for d in range(days))
    items_total = sum(f.total for f in figures if f.total)
    items_seen = sum(f.seen for f in figures)
    stats = Stats(
        profile=profile.name,
        now=now,
        reviews_today=per_day[today],
        correct_today=correct_per_day[today],
        total_reviews=total,
        accuracy=correct / total if total else None,
        due_now=sum(f.due_now for f in figures),
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
        streak=streak_days(store, profile, now, tz),
        items_total=items_total,
        items_seen=items_seen,
        mastery=_mastery(items_total, items_seen, sum(f.recall for f in figures)).mastery,
        mastery_by_topic={
            k: _mastery(int(v[0]), int(v[1]), float(v[2])) for k, v in sorted(topics.items())
        },
        mastery_by_step={k: _mastery(*v) for k, v in sorted(by_step.items())},
    )
    return stats, figures


def due_on_days(
    store: Store, profile: Profile, now: datetime, tz: tzinfo | None, days: int
) -> list[int]:
    """Loaded cards, not suspended, not due now, falling due on each local day from today
    on: one range of the due index per day, or (days without exact bounds) each due time
    converted."""
    bounds = day_bounds(now, tz, 0, days - 1)
    if bounds is not None:
        bounds[0] = max(bounds[0], to_db(now) + "~")  # after now: just past its text
        return store.due_per_day(profile, bounds)
    today = local_date(now, tz)
    horizon = now + timedelta(days + 1)
    counted = Counter(
        local_date(from_db(t), tz) for t in store.loaded_due_times(profile, now, horizon)
    )
    return [counted[today + timedelta(d)] for d in range(days)]


def _slot_time(slot: str) -> datetime:
    """'YYYY-MM-DDTHH:MM' (UTC), as the store's activity table keys its 15-minute slots."""
    return datetime.fromisoformat(slot + ":00+00:00")


def answers_per_day(
    store: Store, profile: Profile, now: datetime, tz: tzinfo | None, days: int
) -> tuple[Counter[date], Counter[date]]:
    """Answers and full-credit answers per local day, for the last `days` days: summed in
    SQL over each day's range of 15-minute slots (see `Store.activity_per_day`), or, for
    days without exact bounds, per slot converted to the local day."""
    first = local_date(now, tz) - timedelta(days - 1)
    bounds = day_bounds(now, tz, 1 - days, 0)
    per_day: Counter[date] = Counter()
    full: Counter[date] = Counter()
    if bounds is not None:
        slots = [b[:16] for b in bounds]
        for k, (answers, right) in enumerate(store.activity_per_day(profile, slots)):
            per_day[first + timedelta(k)] = answers
            full[first + timedelta(k)] = right
        return per_day, full
    for slot, answers, right in store.activity_slots(
        profile, now - timedelta(days + 1), now + timedelta(1)
    ):
        day = local_date(_slot_time(slot), tz)
        if day >= first:
            per_day[day] += answers
            full[day] += right or 0
    return per_day, full


def streak_days(store: Store, profile: Profile, now: datetime, tz: tzinfo | None) -> int:
    """Days in a row with an answer, ending today (or yesterday if today has none yet).

    Newest first, in blocks of growing size: each block's days are looked up in one
    read (see `Store.active_days`), so a long history costs nothing beyond the streak.
    A day is the slots from its start to the next day's start (`local_days.start_slots`).
    """
    today = day = local_date(now, tz)
    end_slot = start_slots(day + timedelta(1), 1, tz)[0]
    streak, size = 0, 4
    while True:
        starts = start_slots(day, size, tz)
        block = list(zip(starts, [end_slot, *starts[:-1]], strict=True))
        exact = [(s, e) for s, e in block if s is not None and e is not None]
        found = iter(store.active_days(profile, exact))
        for k, (s, e) in enumerate(block):
            active = next(found) if s is not None and e is not None else None
            if active is None:
                active = _active_slow(store, profile, day - timedelta(k), tz)
            if active:
                streak += 1
            elif k or day != today:
                return streak
        day, end_slot = day - timedelta(size), starts[-1]
        size = min(size * 2, 128)


def _active_slow(store: Store, profile: Profile, day: date, tz: tzinfo | None) -> bool:
    """Whether local `day` has an answer, converting each slot near it (no exact bounds)."""
    since = datetime.combine(day - timedelta(1), time(), UTC)  # offsets are within 14 h
    slots = store.activity_slots(profile, since, since + timedelta(3))
    return any(local_date(_slot_time(slot), tz) == day for slot, _, _ in slots)
