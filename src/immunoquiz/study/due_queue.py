"""The due cards of a study session, read once and then kept up to date.

Picking the next card must not read every due card (or the day's reviews) again
after each answer. The queue keeps, in due order, the session's matching cards due
by the time it last looked, split into cards introduced before today (held back by
the daily review limit) and today's (never held back), with the day's count of
reviews that the limit counts. It is read again from the store whenever anything it
did not see was written: a commit by another connection (`PRAGMA data_version`),
any other write on this one (`Store.commits`), a new day, or a clock that went back.
The session's own answers are applied as they happen (`answered`): the card leaves
the queue and waits, in memory, until its new due time comes (a miss is back in a
minute), so only cards the session has not written itself are ever read again.
"""

from __future__ import annotations

import heapq
from collections.abc import Container, Mapping
from datetime import datetime, timedelta, tzinfo

from immunoquiz.records import dataclass, field
from immunoquiz.store import Profile, Store
from immunoquiz.store.db import from_db, to_db
from immunoquiz.study.clock import day_start

Entry = tuple[str, str]  # (due as stored, card_id): sorts in the order cards are served
# A card this session answered, due again later: (due, card_id, introduced today), in the
# order of the stored (due, card_id); its due is written as stored text only if it comes
# back in the session. A card waits once at most: the heap never compares past its id.
Waiting = tuple[datetime, str, bool]


@dataclass(frozen=True, slots=True)
class _Unwritten:
    """The session's cards but those it has written since the queue last read the store."""

    catalog: Mapping[str, object]
    written: Container[str]

    def __contains__(self, card_id: object) -> bool:
        return card_id in self.catalog and card_id not in self.written


@dataclass
class DueQueue:
    """Not thread-safe: one per session."""

    store: Store
    profile: Profile
    catalog: Mapping[str, object]  # the session's matching cards, by id
    tz: tzinfo | None
    # Reviews of earlier days' cards asked per day (None: no limit). The day's count is
    # read only up to it: past the limit, how far past changes nothing the queue shows.
    review_limit: int | None = None
    _version: tuple[int, int] | None = field(default=None, init=False)
    _today: datetime | None = field(default=None, init=False)
    _tomorrow: datetime | None = field(default=None, init=False)  # when the next day starts
    _until: datetime | None = field(default=None, init=False)  # everything due by it is here
    # The first due time after `_until` of a card the session has not written, and the
    # session's own answered cards waiting to fall due (a heap).
    _next_at: datetime | None = field(default=None, init=False)
    _waiting: list[Waiting] = field(default_factory=list, init=False)
    _waiting_ids: set[str] = field(default_factory=set, init=False)
    _older: list[Entry] = field(default_factory=list, init=False)
    _fresh: list[Entry] = field(default_factory=list, init=False)  # introduced today
    # What the review limit counts, read up to the limit (the limit once it is reached).
    reviews_today: int = field(default=0, init=False)
    introduced_today: int = field(default=0, init=False)

    def new_today(self, now: datetime) -> int:
        """Cards introduced today (what the daily new-item limit counts)."""
        self._refresh(now)
        return self.introduced_today

    @property
    def version(self) -> tuple[int, int] | None:
        """The store's version (`Store.version`) the queue is current with, as of its last
        look: after `first`, `count` or `new_today`, the version at that call."""
        return self._version

    def first(self, now: datetime) -> str | None:
        """The card to serve now: the most overdue, past the daily review limit only
        cards introduced today (today's new cards and misses are never held back)."""
        self._refresh(now)
        older = self._older[0] if self._older and self._left() > 0 else None
        fresh = self._fresh[0] if self._fresh else None
        pick = min((e for e in (older, fresh) if e is not None), default=None)
        return None if pick is None else pick[1]

    def count(self, now: datetime) -> int:
        """How many cards are due now within the daily review limit."""
        self._refresh(now)
        older = len(self._older)
        if self.review_limit is not None:
            older = min(older, max(0, self._left()))
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
            fresh = True
        else:
            removed_from = self._remove(card_id)
            if removed_from is None:
                self._version = None  # answered from outside the queue (learn-ahead): read again
                return
            fresh = removed_from is self._fresh
        if due <= self._until or card_id in self._waiting_ids:
            self._version = None  # cannot happen with a clock that only goes forward
            return
        heapq.heappush(self._waiting, (due, card_id, fresh))
        self._waiting_ids.add(card_id)
        self._version = (version, commits + 1)

    def _left(self) -> int:
        """Reviews of earlier days' cards still allowed today (1: no limit, any will do)."""
        return 1 if self.review_limit is None else self.review_limit - self.reviews_today

    def _remove(self, card_id: str) -> list[Entry] | None:
        """Take the card out of the queue; the queue it was in (None: it was in neither)."""
        for queue in (self._fresh, self._older):
            for i, (_due, cid) in enumerate(queue):
                if cid == card_id:
                    del queue[i]
                    if queue is self._older:
                        self.reviews_today += 1  # a review of a card from an earlier day
                    return queue
        return None

    def _refresh(self, now: datetime) -> None:
        today = self._today
        if today is None or self._tomorrow is None or not today <= now < self._tomorrow:
            today = day_start(now, self.tz)  # else the same day: no need to work it out again
        version = self.store.version()
        stale = (
            version != self._version or today != self._today
            or self._until is None or now < self._until
        )  # fmt: skip
        if stale:
            self._read(now, today, version)
            return
        if self._next_at is not None and now >= self._next_at:
            self._add(self._until, now)  # a card the session has not written fell due
        elif self._waiting and now >= self._waiting[0][0]:
            self._take_waiting(now)

    def _read(self, now: datetime, today: datetime, version: tuple[int, int]) -> None:
        self._older, self._fresh = [], []
        self._waiting, self._waiting_ids = [], set()
        self._today, self._version = today, version
        # The next day starts 23 to 25 hours after this one did: 36 hours on is in it.
        self._tomorrow = day_start(today + timedelta(hours=36), self.tz)
        # Counted up to the limit only (none without one): a big day's log is not read
        # through just to learn that the limit was passed.
        limit = self.review_limit
        self.reviews_today = (
            0 if limit is None else self.store.reviews_of_older_cards(self.profile, today, limit)
        )
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
        # The session's own cards read just now are in the queue: they wait no more.
        while self._waiting and self._waiting[0][0] <= until:
            self._waiting_ids.remove(heapq.heappop(self._waiting)[1])
        among = _Unwritten(self.catalog, self._waiting_ids)
        after_until = self.store.first_due_after(self.profile, until, among)
        self._next_at = None if after_until is None else from_db(after_until)

    def _take_waiting(self, now: datetime) -> None:
        """The session's own answered cards due by `now` join the queue, without a read:
        no card it has not written falls due by then (`_next_at` is later)."""
        while self._waiting and self._waiting[0][0] <= now:
            due, card_id, fresh = heapq.heappop(self._waiting)
            self._waiting_ids.remove(card_id)
            queue = self._fresh if fresh else self._older
            queue.append((to_db(due), card_id))
        self._until = now
