"""The headline figures of `immunoquiz stats` and the home screen, pinned to numbers a
learner could work out by hand: overall mastery and the day streak."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from engine_banks import RIGHT, two_topics

from immunoquiz import scheduling
from immunoquiz.store import Profile, Store
from immunoquiz.study import open_session, stats

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # when the profile fixture was created
SCHEDULER = scheduling.make_scheduler(fuzz=False)


def answer_right(store: Store, profile: Profile, when: datetime, n: int) -> None:
    s = open_session(store, profile, two_topics(), now=lambda: when, tz=UTC,
                     scheduler=SCHEDULER, seed=7, new_limit=n)  # fmt: skip
    for _ in range(n):
        card = s.next()
        assert card is not None
        s.answer(card, RIGHT, 3.0)


def headline(store: Store, profile: Profile, now: datetime) -> tuple[float, int, int, int]:
    st = stats(store, profile, two_topics(), now, tz=UTC, scheduler=SCHEDULER)
    return st.mastery, st.streak, st.items_seen, st.items_total


def test_mastery_is_mean_recall_over_every_item_unseen_counting_zero(store, profile) -> None:
    answer_right(store, profile, T0, 2)
    # Just answered, both are certain to be recalled: 2 of the 7 items.
    assert headline(store, profile, T0) == (pytest.approx(2 / 7), 1, 2, 7)
    # A day later each has decayed by the same amount; the five unseen still count 0.
    later = T0 + timedelta(days=1)
    (row, *_) = store.cards(profile).values()
    recall = scheduling.retrievability(SCHEDULER, scheduling.card_from_json(row.state), later)
    assert 0.5 < recall < 1
    assert headline(store, profile, later)[0] == pytest.approx(2 * recall / 7)


def test_streak_counts_days_in_a_row_up_to_today_or_yesterday(store, profile) -> None:
    for day in range(3):  # Friday, Saturday, Sunday
        answer_right(store, profile, T0 + timedelta(days=day), 1)
    sunday = T0 + timedelta(days=2, hours=8)
    assert headline(store, profile, sunday)[1] == 3
    # Monday morning, nothing answered yet: the streak still stands until the day ends.
    assert headline(store, profile, sunday + timedelta(hours=14))[1] == 3
    # Tuesday, with Monday missed: broken.
    assert headline(store, profile, sunday + timedelta(days=2))[1] == 0
    # Answering on Tuesday starts again from 1.
    answer_right(store, profile, sunday + timedelta(days=2), 1)
    assert headline(store, profile, sunday + timedelta(days=2))[1] == 1


def test_a_fresh_profile_has_zeros(store, profile) -> None:
    assert headline(store, profile, T0) == (0.0, 0, 0, 7)


def test_a_card_with_an_unreadable_due_time_is_named_and_not_counted_due(store, profile) -> None:
    answer_right(store, profile, T0, 2)
    store.conn.execute(  # as a buggy old version once wrote (year 0026)
        "UPDATE cards SET due = '0026-11-27T09:10:00.000000Z'"
        " WHERE card_id = (SELECT min(card_id) FROM cards)"
    )
    month_later = stats(store, profile, two_topics(), T0 + timedelta(days=30), tz=UTC)
    assert (month_later.due_now, month_later.items_seen) == (1, 2)
    assert [p for p in store.problems if "unreadable due time" in p] != []
