"""The due cards of a study session, read once and then kept up to date.

Picking the next card must not read every due card (or the day's reviews) again
after each answer. The queue keeps, in due order, the session's matching cards due
by the time it last looked, split into cards introduced before today (held back by
the daily review limit) and today's (never held back), with the day's count of
reviews that the limit counts. It is read again from the store whenever anything it
did not see was written: a commit by another connection (`PRAGMA data_version`),
any other write on this one (`Store.commits`), a new day, or a clock that went back.
The session's own answers are applied as they happen (`answered`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from immunoquiz.store import Profile, Store
from immunoquiz.store.db import to_db
from immunoquiz.study.clock import day_start

Entry = tuple[str, str]  # (due as stored, card_id): sorts in the order cards are served


@dataclass
class DueQueue:
    """Not thread-safe: one per session."""

    store: Store
    profile: Profile
    catalog: Mapping[str, object]  # the session's matching cards, by id
    tz: tzinfo | None
    _version: tuple[int, int] | None = field(default=None, init=False)
    _today: datetime | None = field(default=None, init=False)
    _until: datetime | None = field(default=None, init=False)  # everything due by it is here
    _next: str | None = field(default=None, init=False)  # the first due after it, stored text
    _older: list[Entry] = field(default_factory=list, init=False)
    _fresh: list[Entry] = field(default_factory=list, init=False)  # introduced today
    reviews_today: int = field(default=0, init=False)  # what the review limit counts
    introduced_today: int = field(default=0, init=False)

    def new_today(self, now: datetime) -> int:
        """Cards introduced today (what the daily new-item limit counts)."""
        self._refresh(now)
        return self.introduced_today

    def first(self, now: datetime, review_limit: int | None) -> str | None:
        """The card to serve now: the most overdue, past the daily review limit only
        cards introduced today (today's new cards and misses are never held back)."""
        self._refresh(now)
        older = self._older[0] if self._older and self._left(review_limit) > 0 else None
        fresh = self._fresh[0] if self._fresh else None
        pick = min((e for e in (older, fresh) if e is not None), default=None)
        return None if pick is None else pick[1]

    def count(self, now: datetime, review_limit: int | None) -> int:
        """How many cards are due now within the daily review limit."""
        self._refresh(now)
        older = len(self._older)
        if review_limit is not None:
            older = min(older, max(0, self._left(review_limit)))
        return len(self._fresh) + older

    def answered(self, card_id: str, due: datetime, was_new: bool, commits_before: int) -> None:
        """Apply this session's own study answer (one commit) without reading again."""
        if self._version is None or self._until is None:
            return
        version, commits = self._version
        if commits != commits_before or self.store.commits != commits_before + 1:
            self._version = None  # something else was written as well: read again
            return
        if was_new:
            self.introduced_today += 1
        elif not self._remove(card_id):
            self._version = None  # answered from outside the queue (learn-ahead): read again
            return
        due_text = to_db(due)
        if due <= self._until:
            self._version = None  # cannot happen with a clock that only goes forward
            return
        if self._next is None or due_text < self._next:
            self._next = due_text
        self._version = (version, commits + 1)

    def _left(self, review_limit: int | None) -> int:
        """Reviews of earlier days' cards still allowed today (1: no limit, any will do)."""
        return 1 if review_limit is None else review_limit - self.reviews_today

    def _remove(self, card_id: str) -> bool:
        for queue in (self._fresh, self._older):
            for i, (_due, cid) in enumerate(queue):
                if cid == card_id:
                    del queue[i]
                    if queue is self._older:
                        self.reviews_today += 1  # a review of a card from an earlier day
                    return True
        return False

    def _refresh(self, now: datetime) -> None:
        today = day_start(now, self.tz)
        version = self.store.version()
        stale = (
            version != self._version or today != self._today
            or self._until is None or now < self._until
        )  # fmt: skip
        if stale:
            self._read(now, today, version)
        elif self._next is not None and to_db(now) >= self._next:
            self._add(self._until, now)

    def _read(self, now: datetime, today: datetime, version: tuple[int, int]) -> None:
        self._older, self._fresh = [], []
        self._today, self._version = today, version
        self.reviews_today = self.store.reviews_of_older_cards(self.profile, today)
        self.introduced_today = self.store.introduced_since(self.profile, today)
        self._add(None, now)

    def _add(self, after: datetime | None, until: datetime) -> None:
        """Take in the cards falling due after `after` up to `until` (they sort last)."""
        today = to_db(self._today) if self._today else ""
        for due, card_id, introduced in self.store.due_entries(self.profile, after, until):
            if card_id not in self.catalog:
                continue
            (self._fresh if introduced >= today else self._older).append((due, card_id))
        self._until = until
        self._next = self.store.first_due_after(self.profile, until, self.catalog)
