"""FSRS scheduling: ratings from scores, intervals on a fixed clock, UTC, JSON round trip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from immunoquiz.responses import Score
from immunoquiz.scheduling import (
    AGAIN,
    DESIRED_RETENTION,
    LEARNING_STATES,
    Card,
    Rating,
    State,
    card_from_json,
    card_to_json,
    describe_interval,
    make_scheduler,
    mastery,
    new_card,
    rating_for,
    retrievability,
    review,
    stored_state,
)

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
NAIVE = datetime(2025, 3, 3, 9, 0)


@pytest.fixture
def sched():
    return make_scheduler(fuzz=False)


def graduated(sched, now: datetime = NOW) -> Card:
    """A card answered Good twice, so it has left the learning steps."""
    card, _ = review(sched, new_card(now), Rating.Good, now)
    card, _ = review(sched, card, Rating.Good, card.due)
    assert card.state == State.Review
    return card


# --- ratings -------------------------------------------------------------------------


def test_full_credit_is_good_and_easy_only_on_request() -> None:
    full = Score(3, 3, "+/- scoring")
    assert rating_for(full) == Rating.Good
    assert rating_for(full, "easy") == Rating.Easy
    assert rating_for(full, "hard") == Rating.Hard


@pytest.mark.parametrize("points", [0, 1, 2, 2.99])
def test_partial_credit_is_again_even_if_easy(points: float) -> None:
    partial = Score(points, 3, "+/- scoring")
    assert rating_for(partial) == Rating.Again
    assert rating_for(partial, "easy") == rating_for(partial, "hard") == Rating.Again


def test_fractional_full_credit_is_good() -> None:
    assert rating_for(Score(1.0, 1.0, "pairs in order")) == Rating.Good


# --- intervals -----------------------------------------------------------------------


def test_default_retention_is_0_9() -> None:
    assert DESIRED_RETENTION == 0.9
    assert make_scheduler().desired_retention == 0.9


def test_new_card_intervals(sched) -> None:
    card = new_card(NOW)
    assert card.due == NOW and retrievability(sched, card, NOW) == 0.0
    again, _ = review(sched, card, Rating.Again, NOW)
    good, _ = review(sched, card, Rating.Good, NOW)
    easy, _ = review(sched, card, Rating.Easy, NOW)
    # A miss comes back within the session; Good waits a learning step; Easy skips to days.
    assert again.due - NOW <= timedelta(minutes=10)
    assert again.due - NOW < good.due - NOW < timedelta(hours=1)
    assert easy.due - NOW >= timedelta(days=2)
    assert describe_interval(NOW, again.due) == "next review in 1 minute"
    assert describe_interval(NOW, good.due) == "next review in 10 minutes"


def test_intervals_grow_after_successive_goods(sched) -> None:
    card, now, intervals = new_card(NOW), NOW, []
    for _ in range(7):
        card, _ = review(sched, card, rating_for(Score(1, 1)), now)
        intervals.append(card.due - now)
        now = card.due  # answer exactly when due: a fixed clock, no wall time
    assert intervals == sorted(intervals) and len(set(intervals)) == len(intervals)
    assert intervals[-1] > timedelta(days=100)


def test_intervals_grow_with_fuzz_on() -> None:
    sched = make_scheduler()
    card, now = graduated(sched), NOW
    first = card.due - card.last_review
    for _ in range(3):
        now = card.due
        card, _ = review(sched, card, Rating.Good, now)
    assert card.due - now > first


def test_again_after_a_review_comes_back_in_minutes(sched) -> None:
    card = graduated(sched)
    later = card.due + timedelta(days=1)
    failed, _ = review(sched, card, rating_for(Score(2, 3)), later)
    assert failed.due - later < timedelta(hours=1)
    assert failed.stability < card.stability


def test_easy_gives_a_longer_interval_than_good(sched) -> None:
    card = graduated(sched)
    good, _ = review(sched, card, Rating.Good, card.due)
    easy, _ = review(sched, card, Rating.Easy, card.due)
    assert easy.due > good.due


def test_higher_retention_means_shorter_intervals() -> None:
    card = new_card(NOW)
    loose, _ = review(make_scheduler(0.8, fuzz=False), card, Rating.Easy, NOW)
    strict, _ = review(make_scheduler(0.95, fuzz=False), card, Rating.Easy, NOW)
    assert strict.due < loose.due


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1])
def test_retention_out_of_range_is_refused(bad: float) -> None:
    with pytest.raises(ValueError):
        make_scheduler(bad)


def test_review_leaves_the_old_card_alone_and_logs_duration(sched) -> None:
    card = new_card(NOW)
    before = card_to_json(card)
    after, log = review(sched, card, Rating.Good, NOW, duration_s=12.5)
    assert card_to_json(card) == before and after is not card
    assert log.rating == Rating.Good and log.review_datetime == NOW
    assert log.review_duration == 12500
    assert review(sched, card, Rating.Good, NOW)[1].review_duration is None


def test_fsrs_card_id_changes_nothing(sched) -> None:
    ours = new_card(NOW)
    other = Card(card_id=123456, due=NOW)
    for rating in (Rating.Good, Rating.Again, Rating.Good, Rating.Good):
        ours, _ = review(sched, ours, rating, max(ours.due, NOW))
        other, _ = review(sched, other, rating, max(other.due, NOW))
    assert (ours.due, ours.stability, ours.difficulty, ours.state) == (
        other.due,
        other.stability,
        other.difficulty,
        other.state,
    )


# --- UTC -----------------------------------------------------------------------------


def test_naive_datetimes_are_rejected(sched) -> None:
    card = new_card(NOW)
    with pytest.raises(ValueError, match="timezone-aware"):
        new_card(NAIVE)
    with pytest.raises(ValueError, match="timezone-aware"):
        review(sched, card, Rating.Good, NAIVE)
    with pytest.raises(ValueError, match="timezone-aware"):
        retrievability(sched, card, NAIVE)
    with pytest.raises(ValueError, match="timezone-aware"):
        describe_interval(NAIVE, NOW)


def test_other_time_zones_are_converted_to_utc(sched) -> None:
    paris = timezone(timedelta(hours=1))
    card, log = review(sched, new_card(NOW), Rating.Good, NOW.astimezone(paris))
    assert card.due.tzinfo is UTC and card.last_review == NOW
    assert log.review_datetime.tzinfo is UTC


# --- JSON ----------------------------------------------------------------------------


def test_json_round_trip(sched) -> None:
    card = new_card(NOW)
    assert card_from_json(card_to_json(card)) == card
    for rating in (Rating.Good, Rating.Again, Rating.Good, Rating.Good, Rating.Easy):
        card, _ = review(sched, card, rating, card.due)
        back = card_from_json(card_to_json(card))
        assert back == card
        assert back.due.tzinfo is UTC and back.last_review.tzinfo is UTC
        # The restored card schedules exactly as the original would.
        assert (
            review(sched, back, Rating.Good, card.due)[0]
            == review(sched, card, Rating.Good, card.due)[0]
        )


def test_card_json_without_fsrs_card_id_loads() -> None:
    text = '{"state": 1, "step": 0, "stability": null, "difficulty": null,'
    text += ' "due": "2025-03-03T09:00:00+00:00", "last_review": null}'
    assert card_from_json(text).due == NOW


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "not json",
        "[]",
        '{"state": 1}',
        '{"state": 9, "step": 0, "stability": null, "difficulty": null,'
        ' "due": "2025-03-03T09:00:00+00:00", "last_review": null}',
        '{"state": 1, "step": 0, "stability": null, "difficulty": null,'
        ' "due": "2025-03-03T09:00:00", "last_review": null}',
    ],
)
def test_malformed_card_json_is_a_value_error(bad: str) -> None:
    with pytest.raises(ValueError):
        card_from_json(bad)


def test_stored_cards_read_without_fsrs_agree_with_fsrs(sched) -> None:
    # the numbers the store keeps are fsrs's own
    assert AGAIN == int(Rating.Again)
    assert LEARNING_STATES == (int(State.Learning), int(State.Relearning))
    seen = set()
    card = new_card(NOW)
    for rating in (Rating.Good, Rating.Good, Rating.Again, Rating.Good, Rating.Again):
        text = card_to_json(card)
        assert stored_state(text) == int(card_from_json(text).state)
        seen.add(card.state)
        card, _ = review(sched, card, rating, card.due)
    assert seen == {State.Learning, State.Review, State.Relearning}


@pytest.mark.parametrize("bad", ["", "not json", "[]", "{}", '{"state": "1"}', '{"state": null}'])
def test_a_malformed_stored_state_is_a_value_error(bad: str) -> None:
    with pytest.raises(ValueError, match="malformed card state"):
        stored_state(bad)


# --- retrievability and mastery ------------------------------------------------------


def test_retrievability_drops_over_time(sched) -> None:
    card = graduated(sched)
    seen = card.last_review
    values = [retrievability(sched, card, seen + timedelta(days=d)) for d in (0, 1, 10, 100)]
    assert values[0] == pytest.approx(1.0)
    assert values == sorted(values, reverse=True) and len(set(values)) == 4
    assert 0 < values[-1] < 0.9
    # At the due date it is close to the desired retention.
    assert retrievability(sched, card, card.due) == pytest.approx(0.9, abs=0.05)


def test_mastery_counts_unseen_items_as_zero() -> None:
    assert mastery([1.0, 0.5], total_items=4) == pytest.approx(0.375)
    assert mastery([], total_items=3) == 0.0
    assert mastery([], total_items=0) == 0.0
    assert mastery(iter([0.9, 0.9, 0.9]), total_items=3) == pytest.approx(0.9)


def test_mastery_refuses_more_values_than_items() -> None:
    with pytest.raises(ValueError):
        mastery([0.5, 0.5], total_items=1)


# --- describe_interval ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(0), "due now"),
        (timedelta(minutes=-5), "due now"),
        (timedelta(seconds=30), "next review in under a minute"),
        (timedelta(minutes=1), "next review in 1 minute"),
        (timedelta(minutes=10), "next review in 10 minutes"),
        (timedelta(minutes=59, seconds=50), "next review in 1 hour"),
        (timedelta(hours=3), "next review in 3 hours"),
        (timedelta(days=1), "next review tomorrow"),
        (timedelta(days=4), "next review in 4 days"),
        (timedelta(days=44), "next review in 44 days"),
        (timedelta(days=91), "next review in about 3 months"),
        (timedelta(days=400), "next review in about a year"),
        (timedelta(days=1100), "next review in about 3 years"),
    ],
)
def test_describe_interval(delta: timedelta, text: str) -> None:
    assert describe_interval(NOW, NOW + delta) == text
