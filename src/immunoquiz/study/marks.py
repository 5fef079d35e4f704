"""The learner's own marks on cards, for the practice picker: recent misses, flagged.

A mark comes from the store (the review log, the flags), so filters ask for it by
name and a session works the card ids out once, when it opens.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from immunoquiz.banks.model import Bank
from immunoquiz.store import Profile, Store
from immunoquiz.study.filters import Filters, Marked

MISSES_DAYS = 7  # "recent misses": answered with less than full credit this many days back


def recent_misses(store: Store, profile: Profile, now: datetime) -> frozenset[str]:
    """Cards answered with less than full credit in the last MISSES_DAYS days, in any
    mode (study, practice, exam); undone answers do not count."""
    since = now - timedelta(days=MISSES_DAYS)
    return frozenset(r.card_id for r in store.reviews(profile, since=since) if not r.full)


def marked_cards(store: Store, profile: Profile, now: datetime) -> dict[str, frozenset[str]]:
    """Every mark's card ids for this learner."""
    return {"misses": recent_misses(store, profile, now)}


def count_matching(banks: Iterable[Bank], filters: Filters, marked: Marked) -> int:
    """How many items `filters` would serve (the picker's live count)."""
    return sum(1 for b in banks for item in b.questions if filters.matches(b, item, marked))
