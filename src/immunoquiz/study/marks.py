"""The learner's own marks on cards, for the practice picker: recent misses, flagged.

A mark comes from the store (the review log, the flags), so filters ask for it by
name and a session works the card ids out once, when it opens.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from immunoquiz.store import Profile, Store

MISSES_DAYS = 7  # "recent misses": answered with less than full credit this many days back


def recent_misses(store: Store, profile: Profile, now: datetime) -> frozenset[str]:
    """Cards answered with less than full credit in the last MISSES_DAYS days, in any
    mode (study, practice, exam); undone answers do not count."""
    since = now - timedelta(days=MISSES_DAYS)
    return frozenset(r.card_id for r in store.reviews(profile, since=since) if not r.full)


def marked_cards(store: Store, profile: Profile, now: datetime) -> dict[str, frozenset[str]]:
    """Every mark's card ids for this learner."""
    return {
        "misses": recent_misses(store, profile, now),
        "flagged": frozenset(flag.card_id for flag in store.flags(profile)),
    }
