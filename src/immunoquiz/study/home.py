"""Everything the home screen shows, read in one go: per-bank counts, the statistics
line, and what a study session over every bank would ask now.

The home screen used to ask for the overview, the statistics and a probe study session
(its counts and next due time) one after another: five reads of the cards, and a
session built over every item only to count. `home_summary` reads the same numbers in
one read snapshot, from the figures `statistics` works out in SQL, and counts the
session's queue the way `Session.counts` and `Session.next_due` do (study mode, no
filters, the profile's limits), without building one. Of the statistics it reads only
what the screen shows (today's answers, tomorrow's due cards, the streak, mastery
over all items), as `stats` defines them: no mastery per step, no 14-day tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

from immunoquiz.banks.model import Bank
from immunoquiz.records import dataclass
from immunoquiz.store import Profile, Store
from immunoquiz.study import settings
from immunoquiz.study.clock import day_start, local_date
from immunoquiz.study.session import QueueCounts, learning_among
from immunoquiz.study.statistics import (
    BankOverview,
    answers_per_day,
    bank_figures,
    bank_overviews,
    due_on_days,
    mastery,
    streak_days,
)


@dataclass(frozen=True, slots=True)
class HomeSummary:
    banks: list[BankOverview]  # as `overview` gives them
    counts: QueueCounts  # as a study session over every bank would count now
    next_due: datetime | None  # as that session's `next_due`
    # As `stats` gives them (its `due_by_day[1].due` for tomorrow):
    reviews_today: int
    due_tomorrow: int
    streak: int
    items_total: int
    items_seen: int
    mastery: float


def home_summary(
    store: Store,
    profile: Profile,
    banks: Iterable[Bank],
    now: datetime,
    *,
    new_limit: int | None = None,
    tz: tzinfo | None = None,
) -> HomeSummary:
    """`new_limit` overrides the profile's daily new-item limit, as `open_session`'s does."""
    banks = list(banks)
    if new_limit is None:
        new_limit = int(settings.read(store, profile, settings.NEW_PER_DAY))
    review_limit = int(settings.read(store, profile, settings.REVIEWS_PER_DAY))
    learn_ahead = timedelta(minutes=int(settings.read(store, profile, settings.LEARN_AHEAD)))
    today = day_start(now, tz)
    with store.snapshot():
        figures, _steps = bank_figures(store, profile, banks, now, today, None, steps=False)
        reviews_today = answers_per_day(store, profile, now, tz, 1)[0][local_date(now, tz)]
        due_tomorrow = due_on_days(store, profile, now, tz, 2)[1]
        streak = streak_days(store, profile, now, tz)
        # Due now: today's cards always; earlier days' up to what the review limit leaves.
        fresh = sum(f.due_fresh for f in figures)
        older = sum(f.due_now for f in figures) - fresh
        if older:
            done = store.reviews_of_older_cards(profile, today, at_most=review_limit)
            older = min(older, max(0, review_limit - done))
        unseen = sum(f.unseen for f in figures)
        allowed = new_limit - store.introduced_since(profile, today)
        # Missed cards waiting in a learning step (minutes long): the next hour or so.
        soon = store.loaded_due_cards(profile, now, now + max(learn_ahead, timedelta(hours=1)))
        learning = len(learning_among(store, profile, soon))
        first = store.first_loaded_due(profile, now)
    if unseen:  # new items wait for tomorrow once today's allowance is used
        start = now if allowed > 0 else day_start(today + timedelta(hours=36), tz)
        first = start if first is None else min(first, start)
    counts = QueueCounts(fresh + older, max(0, min(unseen, allowed)), learning)
    items_total = sum(f.total for f in figures if f.total)
    items_seen = sum(f.seen for f in figures)
    return HomeSummary(
        bank_overviews(banks, figures), counts, first, reviews_today, due_tomorrow, streak,
        items_total, items_seen, mastery(items_total, items_seen, sum(f.recall for f in figures)),
    )  # fmt: skip
