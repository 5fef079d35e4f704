"""Everything the home screen shows, read in one go: per-bank counts, the statistics
line, and what a study session over every bank would ask now.

The home screen used to ask for the overview, the statistics and a probe study session
(its counts and next due time) one after another: five reads of the cards, and a
session built over every item only to count. `home_summary` reads the same numbers in
one read snapshot, from the figures `statistics` works out in SQL, and counts the
session's queue the way `Session.counts` and `Session.next_due` do (study mode, no
filters, the profile's limits), without building one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

from immunoquiz.banks.model import Bank
from immunoquiz.records import dataclass
from immunoquiz.store import Profile, Store
from immunoquiz.study import settings
from immunoquiz.study.clock import day_start
from immunoquiz.study.session import QueueCounts, in_learning
from immunoquiz.study.statistics import BankOverview, Stats, bank_overviews, full_stats


@dataclass(frozen=True, slots=True)
class HomeSummary:
    banks: list[BankOverview]  # as `overview` gives them
    stats: Stats  # as `stats` gives them
    counts: QueueCounts  # as a study session over every bank would count now
    next_due: datetime | None  # as that session's `next_due`


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
        stats, figures = full_stats(store, profile, banks, now, tz)
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
        learning = sum(1 for card_id in soon if in_learning(store, profile, card_id))
        first = store.first_loaded_due(profile, now)
    if unseen:  # new items wait for tomorrow once today's allowance is used
        start = now if allowed > 0 else day_start(today + timedelta(hours=36), tz)
        first = start if first is None else min(first, start)
    counts = QueueCounts(fresh + older, max(0, min(unseen, allowed)), learning)
    return HomeSummary(bank_overviews(banks, figures), stats, counts, first)
