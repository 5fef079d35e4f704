"""A study or practice session: which card next, and recording an answer safely.

Study mode serves due cards first (most overdue first), then new cards up to the
daily new-item limit, interleaving topics, and moves the FSRS schedule. Practice
(cram) mode serves every matching card once, shuffled, logs each answer and
leaves the schedule alone. Neither serves a card the learner has suspended.

Every answer is recorded in ONE write transaction that has committed before
`answer()` returns, so whatever feedback a client shows is already on disk.
The card state is read inside that transaction: two processes answering on the
same profile each apply their review on top of the other's.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Literal

from immunoquiz import scheduling, scoring
from immunoquiz.banks.model import Bank, CaseItem, ClozeItem
from immunoquiz.basics import utc_now
from immunoquiz.records import dataclass, field
from immunoquiz.responses import CaseResponse, Response, Score
from immunoquiz.store import Profile, ReviewEntry, Store, Transaction, duration_ms
from immunoquiz.study import settings
from immunoquiz.study.catalog import Card, build_catalog, learning_path
from immunoquiz.study.clock import Clock, day_start
from immunoquiz.study.due_queue import DueQueue
from immunoquiz.study.filters import Filters
from immunoquiz.study.marks import marked_cards

if TYPE_CHECKING:  # fsrs is imported by the first answer that moves a schedule
    from fsrs import Rating, Scheduler

Mode = Literal["study", "practice"]
DEFAULT_NEW_LIMIT = int(settings.NEW_PER_DAY.default)
# New cards looked up at once to see whether another process has started them.
NEW_LOOKAHEAD = 16
NEW_LIMIT_SETTING = settings.NEW_PER_DAY.key
# Anki's learn-ahead: a card in a learning step due this soon is shown now rather than
# ending the session while it waits.
DEFAULT_LEARN_AHEAD_MIN = int(settings.LEARN_AHEAD.default)
LEARN_AHEAD_SETTING = settings.LEARN_AHEAD.key
OVERRIDE_RULE = "override: the learner marked a typed answer right"
Rerating = Literal["hard", "good", "easy"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """A recorded answer: what the learner gave, what it earned, when the card returns."""

    card: Card
    response: Response
    score: Score
    rating: Rating | None  # None in practice mode
    due: datetime | None  # None in practice mode
    interval_text: str
    review_id: int
    answered_at: datetime
    duration_s: float | None
    mode: Mode
    part_scores: tuple[Score, ...] = ()  # a case's parts, in order
    # Study mode: the card had never been studied (read in the answer's own transaction;
    # a card served again after an undo may have been introduced elsewhere meanwhile).
    introduced: bool = False


@dataclass(frozen=True, slots=True)
class Tally:
    answered: int = 0
    points: float = 0.0
    max: float = 0.0

    def add(self, score: Score) -> Tally:
        return Tally(self.answered + 1, self.points + score.points, self.max + score.max)


@dataclass(frozen=True, slots=True)
class Summary:
    mode: Mode
    answered: int
    points: float
    max: float
    elapsed_s: float
    by_topic: dict[str, Tally]
    by_step: dict[str, Tally]
    to_revisit: tuple[Card, ...]  # missed (less than full credit) at least once this session
    in_learning: tuple[Card, ...] = ()  # missed today, due again later today
    fully_correct: int = 0  # answers that earned full credit (accuracy counts these)


@dataclass(frozen=True, slots=True)
class QueueCounts:
    due: int  # due now among matching cards
    new: int  # new cards still allowed today (study) / cards left (practice)
    learning: int = 0  # missed, back later today in a learning step (study)


def _uuid4_hex() -> str:
    """What `uuid.uuid4().hex` gives (random, version and variant bits set), without
    importing uuid, which loads `platform` (10 M instructions at every start)."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40
    raw[8] = raw[8] & 0x3F | 0x80
    return raw.hex()


@dataclass(eq=False)
class Session:
    """Create with `open_session`. Not thread-safe: one session, one thread."""

    store: Store
    profile: Profile
    banks: tuple[Bank, ...]
    mode: Mode
    filters: Filters
    now: Clock
    new_limit: int
    tz: tzinfo | None
    rng: random.Random
    learn_ahead: timedelta = timedelta(minutes=DEFAULT_LEARN_AHEAD_MIN)
    # Due reviews of earlier days' cards asked per day (None: no limit); set at creation.
    review_limit: int | None = None
    # The scheduler's desired retention (the profile's setting). The scheduler itself is
    # made on the first answer that needs it (see `scheduler`), unless one is given.
    retention: float = scheduling.DESIRED_RETENTION
    given_scheduler: Scheduler | None = field(default=None, repr=False)
    id: str = field(default_factory=_uuid4_hex)
    catalog: dict[str, Card] = field(default_factory=dict, init=False, repr=False)
    _new_queue: list[str] = field(default_factory=list, init=False, repr=False)
    _new_pos: int = field(default=0, init=False, repr=False)
    _practice_queue: list[str] = field(default_factory=list, init=False, repr=False)
    _practice_pos: int = field(default=0, init=False, repr=False)
    # Cards at the head of the new queue found unstudied as of `_checked_at` (the store's
    # version then, kept up to date with this session's own answers).
    _unstudied: set[str] = field(default_factory=set, init=False, repr=False)
    _checked_at: tuple[int, int] | None = field(default=None, init=False, repr=False)
    _again: list[Card] = field(default_factory=list, init=False, repr=False)
    _history: list[Outcome] = field(default_factory=list, init=False, repr=False)
    _started: datetime | None = field(default=None, init=False, repr=False)
    # Set by undo() when another session had answered the card since: its state was kept.
    undo_notice: str | None = field(default=None, init=False, repr=False)
    _due: DueQueue = field(init=False, repr=False)
    _scheduler: Scheduler | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._started = self.now()
        self._scheduler = self.given_scheduler
        marked = marked_cards(self.store, self.profile, self.now()) if self.filters.marks else None
        # A suspended card is never served; its schedule waits untouched in the store.
        suspended = self.store.suspended(self.profile)
        catalog = build_catalog(self.banks, self.filters, marked)
        self.catalog = {cid: c for cid, c in catalog.items() if cid not in suspended}
        self._due = DueQueue(self.store, self.profile, self.catalog, self.tz, self.review_limit)
        if self.mode == "practice":
            ids = list(self.catalog)
            self.rng.shuffle(ids)
            self._practice_queue = ids
        else:
            known = self.store.card_ids(self.profile)
            unseen = [c for cid, c in self.catalog.items() if cid not in known]
            self._new_queue = learning_path(unseen)

    @property
    def scheduler(self) -> Scheduler:
        """fsrs's scheduler for this session, made when first asked for: opening a
        session and showing its first question import no fsrs (~20 M instructions)."""
        if self._scheduler is None:
            self._scheduler = scheduling.make_scheduler(self.retention)
        return self._scheduler

    # --- choosing -------------------------------------------------------------------

    def next(self) -> Card | None:
        """The card to ask now, or None when nothing is left (see `next_due`)."""
        if self._again:
            return self._again[-1]
        if self.mode == "practice":
            answered = {o.card.card_id for o in self._history}
            while self._practice_pos < len(self._practice_queue):
                card_id = self._practice_queue[self._practice_pos]
                if card_id not in answered:
                    return self.catalog[card_id]
                self._practice_pos += 1
            return None
        now = self.now()
        due = self._due.first(now)
        if due is not None:
            return self.catalog[due]
        # first() has just brought the day's counts up to date: no second look at the store
        allowed = self.new_limit - self._due.introduced_today > 0
        new_id = self._next_new(self._due.version) if allowed else None
        if new_id:
            card = self.catalog[new_id]
            return Card(card.bank, card.item, card.card_id, is_new=True)
        return self._learning_ahead(now)

    def _learning_ahead(self, now: datetime) -> Card | None:
        """A missed card in a learning step due within the learn-ahead window, soonest
        first, so a miss comes back in this session instead of after it ends."""
        for card_id, due in self.store.due_times(self.profile, after=now):
            if due - now > self.learn_ahead:
                return None
            card = self.catalog.get(card_id)
            if card is not None and self._in_learning(card_id):
                return card
        return None

    def _in_learning(self, card_id: str) -> bool:
        return in_learning(self.store, self.profile, card_id)

    def _next_new(self, version: tuple[int, int] | None = None) -> str | None:
        """The first card of the new queue nobody has studied yet. `version`: the store's
        (see `Store.version`) as read just now, if the caller has it."""
        while self._new_pos < len(self._new_queue):
            card_id = self._new_queue[self._new_pos]
            # Another process on the same profile may have started this card meanwhile:
            # the cards ahead are looked up a few at a time, and again once anything
            # but this session's own answers has been written since.
            if card_id not in self._unstudied or version is None or version != self._checked_at:
                self._check_ahead(version)
            if card_id in self._unstudied:
                return card_id
            self._new_pos += 1
        return None

    def _check_ahead(self, version: tuple[int, int] | None) -> None:
        """Which of the next cards of the new queue are still unstudied, and as of when
        (`version`, if read just now: it is older than what is read here, never newer)."""
        self._checked_at = self.store.version() if version is None else version
        ahead = self._new_queue[self._new_pos : self._new_pos + NEW_LOOKAHEAD]
        self._unstudied = set(ahead) - self.store.studied_among(self.profile, ahead)

    def _new_allowed(self, now: datetime) -> int:
        return self.new_limit - self._due.new_today(now)

    def counts(self) -> QueueCounts:
        """How much is waiting right now (for a "5 due, 12 new" line)."""
        if self.mode == "practice":
            answered = {o.card.card_id for o in self._history}
            return QueueCounts(0, sum(1 for c in self._practice_queue if c not in answered))
        now = self.now()
        due = self._due.count(now)
        known = self.store.card_ids(self.profile)
        unseen = sum(1 for cid in self._new_queue[self._new_pos :] if cid not in known)
        learning = self._learning_later(now)
        return QueueCounts(due, max(0, min(unseen, self._new_allowed(now))), learning)

    def _learning_later(self, now: datetime) -> int:
        """Matching cards missed and waiting in a learning step, not due yet. Learning steps
        are minutes long, so only the next hour (or learn-ahead window) is read."""
        until = now + max(self.learn_ahead, timedelta(hours=1))
        soon = self.store.due_times(self.profile, after=now, until=until)
        return len(
            learning_among(self.store, self.profile, [c for c, _ in soon if c in self.catalog])
        )

    def next_due(self) -> datetime | None:
        """When the next matching card becomes due (study mode), else None.

        New cards held back by the daily limit count as due at the next day's start.
        """
        if self.mode == "practice":
            return None
        now = self.now()
        first: datetime | None = None
        for card_id, due in self.store.due_times(self.profile, after=now):
            if card_id in self.catalog:
                first = due
                break
        if self._next_new() is not None:
            tomorrow = day_start(day_start(now, self.tz) + timedelta(hours=36), self.tz)
            start = now if self._new_allowed(now) > 0 else tomorrow
            first = start if first is None else min(first, start)
        return first

    # --- answering ------------------------------------------------------------------

    def answer(self, card: Card, response: Response, duration_s: float | None) -> Outcome:
        """Score, schedule (study mode) and record in one committed transaction.

        ValueError (with a plain-English reason) if the response does not fit the item;
        StoreError if the file could not be written (then nothing was recorded).
        """
        score = scoring.score(card.item, response)  # ValueError (the reason): nothing written
        commits = self.store.commits
        with self.store.write(self.profile) as tx:
            outcome = self._record(tx, card, response, duration_s, self.now(), score=score)
        if outcome.due is not None:
            self._due.answered(card.card_id, outcome.due, outcome.introduced, commits)
            self._new_answered(card.card_id, commits)
        self._after_answer(outcome)
        return outcome

    def _new_answered(self, card_id: str, commits_before: int) -> None:
        """Keep what `_next_new` knows current with this study answer (one commit)."""
        self._unstudied.discard(card_id)
        if self._new_pos < len(self._new_queue) and self._new_queue[self._new_pos] == card_id:
            self._new_pos += 1  # studied now, and committed
        checked = self._checked_at
        mine_only = self.store.commits == commits_before + 1
        if checked is None or checked[1] != commits_before or not mine_only:
            self._checked_at = None  # something else was written as well: look again
        else:
            self._checked_at = (checked[0], commits_before + 1)

    def mark_easy(self, outcome: Outcome) -> Outcome:
        """Re-rate the last answer as Easy (study mode, full credit only), atomically."""
        return self.rerate(outcome, "easy")

    def rerate(self, outcome: Outcome, rating: Rerating) -> Outcome:
        """After full credit the learner may say Hard ("I was unsure") or Easy instead of
        the default Good. FSRS counts Hard as recalled, with a shorter interval.
        Study mode and the session's last answer only; otherwise unchanged."""
        if self.mode != "study" or not outcome.score.full or not self._is_last(outcome):
            return outcome
        with self.store.write(self.profile) as tx:
            tx.undo(outcome.review_id)
            again = self._record(
                tx, outcome.card, outcome.response, outcome.duration_s, outcome.answered_at,
                rerating=rating, score=outcome.score,
            )  # fmt: skip
        self._history[-1] = again
        return again

    def can_override(self, outcome: Outcome) -> bool:
        """The "I was right" override: after a typed miss only (a cloze with a typed blank)."""
        item = outcome.card.item
        typed = isinstance(item, ClozeItem) and any(b.choices is None for b in item.blanks)
        study = self.mode == "study"
        return study and typed and not outcome.score.full and self._is_last(outcome)

    def override(self, outcome: Outcome) -> Outcome:
        """Count the last typed answer as full credit because the learner says it was
        right; the review log records the override in its rule."""
        if not self.can_override(outcome):
            return outcome
        full = Score(outcome.score.max, outcome.score.max, OVERRIDE_RULE)
        with self.store.write(self.profile) as tx:
            tx.undo(outcome.review_id)
            again = self._record(
                tx, outcome.card, outcome.response, outcome.duration_s, outcome.answered_at,
                score=full,
            )  # fmt: skip
        self._history[-1] = again
        return again

    def _is_last(self, outcome: Outcome) -> bool:
        return bool(self._history) and self._history[-1].review_id == outcome.review_id

    def undo(self) -> Card | None:
        """Undo this session's last answer: the log row is kept, marked undone, and the
        card's previous state restored. Returns the card to ask again (None if nothing).

        If another session has answered the card since, its state is left as that
        answer set it and `undo_notice` says so (else it is None).
        """
        self.undo_notice = None
        if not self._history:
            return None
        outcome = self._history[-1]
        result = self.store.undo(self.profile, outcome.review_id)
        if result == "answered-since":
            self.undo_notice = (
                "Another session has answered this question since: your answer was undone, "
                "its schedule was left as that session set it."
            )
        self._history.pop()
        self._again.append(outcome.card)
        return outcome.card

    def _after_answer(self, outcome: Outcome) -> None:
        self._history.append(outcome)
        if self._again:
            self._again = [c for c in self._again if c.card_id != outcome.card.card_id]

    def _record(
        self,
        tx: Transaction,
        card: Card,
        response: Response,
        duration_s: float | None,
        now: datetime,
        *,
        rerating: Rerating = "good",
        score: Score | None = None,
    ) -> Outcome:
        score = score or scoring.score(card.item, response)
        parts: tuple[Score, ...] = ()
        if isinstance(card.item, CaseItem) and isinstance(response, CaseResponse):
            parts = scoring.part_scores(card.item, response)
        if self.mode == "practice":
            review_id = tx.log(
                ReviewEntry(
                    card.card_id, self.id, now, "practice", response, score,
                    duration_ms(duration_s),
                )
            )  # fmt: skip
            return Outcome(
                card, response, score, None, None, "practice: your schedule is unchanged",
                review_id, now, duration_s, self.mode, parts,
            )  # fmt: skip
        stored = tx.stored(card.card_id)
        before = (
            scheduling.new_card(now) if stored is None else scheduling.card_from_json(stored[0])
        )
        rating = scheduling.rating_for(score, rerating)
        after, _log = scheduling.review(self.scheduler, before, rating, now, duration_s)
        entry = ReviewEntry(
            card.card_id, self.id, now, "study", response, score, duration_ms(duration_s),
            int(rating),
        )  # fmt: skip
        review_id = tx.review(
            entry, state=scheduling.card_to_json(after), due=after.due, before=stored
        )
        return Outcome(
            card, response, score, rating, after.due, scheduling.describe_interval(now, after.due),
            review_id, now, duration_s, self.mode, parts, stored is None,
        )  # fmt: skip

    # --- reporting ------------------------------------------------------------------

    @property
    def history(self) -> tuple[Outcome, ...]:
        """This session's answers that still stand (undone ones are gone), oldest first."""
        return tuple(self._history)

    def summary(self) -> Summary:
        by_topic: dict[str, Tally] = {}
        by_step: dict[str, Tally] = {}
        latest: dict[str, Outcome] = {}
        points = maximum = 0.0
        for o in self._history:
            points += o.score.points
            maximum += o.score.max
            by_topic[o.card.topic] = by_topic.get(o.card.topic, Tally()).add(o.score)
            for step, score in _step_scores(o):
                by_step[step] = by_step.get(step, Tally()).add(score)
            latest[o.card.card_id] = o
        missed = {o.card.card_id for o in self._history if not o.score.full}
        revisit = tuple(o.card for o in latest.values() if o.card.card_id in missed)
        stepping = (
            learning_among(self.store, self.profile, list(latest))
            if self.mode == "study"
            else set()
        )
        learning = tuple(o.card for o in latest.values() if o.card.card_id in stepping)
        started = self._started or self.now()
        return Summary(
            self.mode, len(self._history), points, maximum,
            max(0.0, (self.now() - started).total_seconds()), by_topic, by_step, revisit,
            learning, sum(1 for o in self._history if o.score.full),
        )  # fmt: skip


def in_learning(store: Store, profile: Profile, card_id: str) -> bool:
    """Missed at its last review and still in a learning step (due again soon)."""
    return bool(learning_among(store, profile, [card_id]))


def learning_among(store: Store, profile: Profile, card_ids: Sequence[str]) -> set[str]:
    """Those of `card_ids` missed at their last review and still in a learning step: one
    read for them all (a card at a time cost two reads and two rows parsed each)."""
    found = set()
    for card_id, (state, rating) in store.last_ratings(profile, card_ids).items():
        if rating != scheduling.AGAIN:
            continue
        try:
            if scheduling.stored_state(state) in scheduling.LEARNING_STATES:
                found.add(card_id)
        except ValueError:
            continue
    return found


def _step_scores(outcome: Outcome) -> Iterable[tuple[str, Score]]:
    """A case counts part by part toward each part's step (its own step if a part has none)."""
    item = outcome.card.item
    if isinstance(item, CaseItem) and outcome.part_scores:
        for part, score in zip(item.parts, outcome.part_scores, strict=True):
            step = part.step or item.step
            if step:
                yield step, score
    elif item.step:
        yield item.step, outcome.score


def open_session(
    store: Store,
    profile: Profile,
    banks: Iterable[Bank],
    *,
    mode: Mode = "study",
    filters: Filters | None = None,
    now: Clock = utc_now,
    new_limit: int | None = None,
    seed: int | None = None,
    scheduler: Scheduler | None = None,
    tz: tzinfo | None = None,
    review_limit: int | None = None,
) -> Session:
    """A session over the loaded `banks`.

    `new_limit` and `review_limit` default to the profile's "new items per day" and
    "reviews per day" settings; learn-ahead and desired retention come from the
    profile's settings too (see `study.settings`). `tz` is the learner's zone for
    "today" (default: the system's).
    """
    if mode not in ("study", "practice"):
        raise ValueError(f"unknown session mode {mode!r}")
    if new_limit is None:
        new_limit = int(settings.read(store, profile, settings.NEW_PER_DAY))
    if new_limit < 0:
        raise ValueError("the daily new-item limit cannot be negative")
    if review_limit is None:
        review_limit = int(settings.read(store, profile, settings.REVIEWS_PER_DAY))
    learn_ahead = int(settings.read(store, profile, settings.LEARN_AHEAD))
    retention = scheduling.DESIRED_RETENTION
    if scheduler is None:
        retention = float(settings.read(store, profile, settings.RETENTION))
        scheduling.check_retention(retention)  # a bad setting fails here, as it always has
    return Session(
        learn_ahead=timedelta(minutes=learn_ahead),
        review_limit=review_limit,
        store=store,
        profile=profile,
        banks=tuple(banks),
        mode=mode,
        filters=filters or Filters(),
        now=now,
        new_limit=new_limit,
        retention=retention,
        given_scheduler=scheduler,
        tz=tz,
        rng=random.Random(seed),
    )
