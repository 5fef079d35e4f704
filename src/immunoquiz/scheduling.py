"""Spaced repetition with FSRS (the `fsrs` package): outcome -> Rating, card state, recall.

Pure apart from fsrs itself (whose fuzzing draws on `random`). Every datetime is
timezone-aware UTC: a naive datetime raises ValueError (it would be read in some
unknown local zone); an aware one in another zone is converted.

A new card with the default learning steps (1 min, 10 min) gets:
Again -> 1 minute, Good -> 10 minutes (a second Good then graduates it, 2 days),
Easy -> 8 days. A failed card comes back within the session.

fsrs cards carry an integer `card_id`; ours is the string `bank.id/item.id` kept by
the store, so every card made here has card_id 0 and nothing reads it.

fsrs itself (with typing_extensions and its dataclasses, ~20 M instructions) is imported
by the first function that needs it, not with this module: a session opens, counts its
cards and shows its first question without it. Its names (`scheduling.Rating`...) load
it too.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from immunoquiz.basics import plural, utc_now
from immunoquiz.store import ScheduledReview

if TYPE_CHECKING:  # annotations only: `stats` reads recall without the response types
    from fsrs import Card, Rating, ReviewLog, Scheduler, State

    from immunoquiz.responses import Score

_FSRS_NAMES = frozenset({"Card", "Rating", "ReviewLog", "Scheduler", "State"})


def __getattr__(name: str) -> Any:
    """fsrs's names, as this module has always offered them, loading fsrs on first use."""
    if name in _FSRS_NAMES:
        import fsrs

        return getattr(fsrs, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


DESIRED_RETENTION = 0.9
# fsrs's numbers as the store keeps them (the review log's rating, the card JSON's
# "state"), to read a stored card without importing fsrs; a test checks they are fsrs's.
AGAIN = 1  # Rating.Again
LEARNING_STATES = (1, 3)  # State.Learning, State.Relearning

__all__ = [
    "AGAIN",
    "DESIRED_RETENTION",
    "LEARNING_STATES",
    "Card",
    "Rating",
    "ReviewLog",
    "Scheduler",
    "State",
    "as_utc",
    "card_from_json",
    "card_to_json",
    "check_retention",
    "describe_interval",
    "make_scheduler",
    "mastery",
    "new_card",
    "rating_for",
    "recall_parameters",
    "retrievability",
    "review",
    "review_logs",
    "stored_state",
    "utc_now",
]


def as_utc(when: datetime, what: str = "datetime") -> datetime:
    """`when` in UTC; ValueError if it is naive (its zone would be a guess)."""
    if not isinstance(when, datetime):
        raise ValueError(f"{what} must be a datetime, not {type(when).__name__}")
    tz = when.tzinfo
    if tz is UTC:
        return when  # what astimezone(UTC) gives, without the offset's checks
    if tz is None or when.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware (UTC), got naive {when.isoformat()}")
    return when.astimezone(UTC)


def make_scheduler(desired_retention: float = DESIRED_RETENTION, *, fuzz: bool = True) -> Scheduler:
    """An FSRS-6 scheduler with default weights and learning steps.

    `fuzz` spreads review-state intervals of 3+ days by a day or so, so cards learnt
    together do not all fall due together; tests turn it off for exact intervals.
    """
    check_retention(desired_retention)
    from fsrs import Scheduler

    return Scheduler(desired_retention=desired_retention, enable_fuzzing=fuzz)


def check_retention(desired_retention: float) -> None:
    """ValueError unless 0 < `desired_retention` < 1 (what `make_scheduler` accepts)."""
    if not 0 < desired_retention < 1:
        raise ValueError(f"desired retention must be between 0 and 1, got {desired_retention}")


@functools.cache
def _card_class() -> type[Card]:
    """fsrs's Card, copied cheaply: `review_card` copies the card it is given, and
    `copy.copy` of a plain class goes through pickle's reduce protocol (4 us, 1 here)."""
    from fsrs import Card

    class _Card(Card):
        def __copy__(self) -> _Card:
            new = object.__new__(type(self))
            new.__dict__.update(self.__dict__)
            return new

    _Card.__qualname__ = "_Card"
    return _Card


def new_card(now: datetime) -> Card:
    """A card never reviewed, due at `now`."""
    # An explicit card_id: the default reads the wall clock and sleeps 1 ms.
    return _card_class()(card_id=0, state=_states()[1], due=as_utc(now, "now"))  # Learning


def card_to_json(card: Card) -> str:
    """fsrs's `card.to_json()` text. The cards fsrs makes (whole numbers, finite floats,
    datetimes) are written here directly, at half the cost of its dict and encoder
    (a test compares both on thousands of reviewed cards); anything else goes to fsrs."""
    number, state, step = card.card_id, getattr(card.state, "value", None), card.step
    stability, difficulty, due, last = card.stability, card.difficulty, card.due, card.last_review
    if (
        type(number) is int and type(state) is int and (step is None or type(step) is int)
        and _plain(stability) and _plain(difficulty) and type(due) is datetime
        and (last is None or type(last) is datetime)
    ):  # fmt: skip
        last_text = "null" if last is None else f'"{last.isoformat()}"'
        return (
            f'{{"card_id": {number}, "state": {state}, "step": {_json_number(step)}, '
            f'"stability": {_json_number(stability)}, "difficulty": {_json_number(difficulty)}, '
            f'"due": "{due.isoformat()}", "last_review": {last_text}}}'
        )
    return card.to_json()


def _plain(x: object) -> bool:
    """None or a finite float: json.dumps writes `null` or the float's repr."""
    return x is None or (type(x) is float and math.isfinite(x))


def _json_number(x: float | None) -> str:
    return "null" if x is None else repr(x)


def card_from_json(text: str) -> Card:
    """Inverse of `card_to_json`; ValueError on anything malformed."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise TypeError("not a JSON object")
        data.setdefault("card_id", 0)  # ignored, see module docstring
        card = _card_from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed card state: {exc}") from exc
    card.due = as_utc(card.due, "card due")
    if card.last_review is not None:
        card.last_review = as_utc(card.last_review, "card last_review")
    return card


@functools.cache
def _states() -> dict[int, State]:
    from fsrs import State

    return {s.value: s for s in State}


def _card_from_dict(data: dict[str, Any]) -> Card:
    """What `Card.from_dict(data)` makes (the same fields, set in the same order, and the
    same errors), without its keyword call and Enum lookup (half the cost)."""
    card = object.__new__(_card_class())
    card.card_id = int(data["card_id"])
    number = int(data["state"])
    state = _states().get(number)
    if state is None:
        raise ValueError(f"{number} is not a valid State")
    card.state = state
    step = data["step"]
    card.step = 0 if step is None and state.value == 1 else step  # Learning starts at step 0
    stability, difficulty = data["stability"], data["difficulty"]
    card.stability = float(stability) if stability else None
    card.difficulty = float(difficulty) if difficulty else None
    card.due = datetime.fromisoformat(data["due"])
    last = data["last_review"]
    card.last_review = datetime.fromisoformat(last) if last else None
    return card


def stored_state(text: str) -> int:
    """The `state` number of a stored card (`card_to_json`'s text), read without fsrs
    (see LEARNING_STATES); ValueError if the text is not a card's."""
    try:
        state = json.loads(text)["state"]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed card state: {exc}") from exc
    if type(state) is not int:
        raise ValueError(f"malformed card state: state {state!r}")
    return state


def rating_for(score: Score, say: Literal["hard", "good", "easy"] = "good") -> Rating:
    """Full credit -> Good, or Hard ("I was unsure") or Easy if the learner says so;
    anything less -> Again.

    Partial credit is never a pass: FSRS treats every rating but Again as recalled.
    (`say=True` is the older spelling of "easy".)
    """
    again, hard, good, easy = _ratings()
    if not score.full:
        return again
    if say == "easy":
        return easy
    return hard if say == "hard" else good


@functools.cache
def _ratings() -> tuple[Rating, Rating, Rating, Rating]:
    """fsrs's ratings, Again to Easy (an import in a function costs a call into importlib's
    Python code each time: rating_for runs on every answer)."""
    from fsrs import Rating

    return Rating.Again, Rating.Hard, Rating.Good, Rating.Easy


def review(
    scheduler: Scheduler,
    card: Card,
    rating: Rating,
    now: datetime,
    duration_s: float | None = None,
) -> tuple[Card, ReviewLog]:
    """The card after answering at `now` (a new object; `card` is left as it was)."""
    now = as_utc(now, "now")
    duration_ms = None if duration_s is None else max(0, round(duration_s * 1000))
    return scheduler.review_card(card, rating, review_datetime=now, review_duration=duration_ms)


def retrievability(scheduler: Scheduler, card: Card, now: datetime) -> float:
    """Predicted probability of recall at `now`: 0.0 for a card never reviewed.

    fsrs counts whole days since the last review, so it stays 1.0 the same day.
    """
    return float(scheduler.get_card_retrievability(card, current_datetime=as_utc(now, "now")))


def recall_parameters(scheduler: Scheduler) -> tuple[float, float]:
    """(decay, factor) of fsrs's forgetting curve: recall after `days` whole days is
    `(1 + factor * days / stability) ** decay`, what `get_card_retrievability` computes.

    Statistics evaluate it in SQL from two columns kept beside each card's JSON state
    (see `store.cards.card_summaries`) instead of parsing every card.
    """
    decay = -scheduler.parameters[20]
    return decay, 0.9 ** (1 / decay) - 1


def review_logs(reviews: Iterable[ScheduledReview]) -> list[ReviewLog]:
    """A profile's scheduled answers as fsrs ReviewLogs (e.g. for fsrs's optimizer).

    fsrs wants an integer card id: the store's `card_number` (see ScheduledReview).
    """
    from fsrs import Rating, ReviewLog

    return [
        ReviewLog(
            card_id=r.card_number, rating=Rating(r.rating), review_datetime=r.ts,
            review_duration=r.duration_ms,
        )
        for r in reviews
    ]  # fmt: skip


def describe_interval(now: datetime, due: datetime) -> str:
    """'next review in 10 minutes', '... tomorrow', '... in 4 days', '... in about 3 months'."""
    seconds = (as_utc(due, "due") - as_utc(now, "now")).total_seconds()
    if seconds <= 0:
        return "due now"
    if seconds < 60:
        return "next review in under a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"next review in {plural(minutes, 'minute')}"
    hours = round(seconds / 3600)
    if hours < 24:
        return f"next review in {plural(hours, 'hour')}"
    days = round(seconds / 86400)
    if days == 1:
        return "next review tomorrow"
    if days < 45:
        return f"next review in {days} days"
    if days < 365:
        return f"next review in about {plural(round(days / 30.44), 'month')}"
    years = days / 365.25
    if years < 1.95:
        return "next review in about a year"
    return f"next review in about {plural(round(years), 'year')}"


def mastery(retrievabilities: Iterable[float], total_items: int) -> float:
    """Mean retrievability over all `total_items` of a group; unseen items count 0.

    Pass the retrievabilities of reviewed cards of the group only (at most
    `total_items` of them); 0.0 for an empty group.
    """
    values = list(retrievabilities)
    if total_items < 0 or len(values) > total_items:
        raise ValueError(f"{len(values)} retrievabilities for a group of {total_items} items")
    if total_items == 0:
        return 0.0
    clamped = (min(1.0, max(0.0, r)) for r in values if not math.isnan(r))
    return sum(clamped) / total_items
