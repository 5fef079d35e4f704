"""The session engine against a fake clock: what is served, what is recorded, what undo does."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from engine_banks import RIGHT, WRONG, single, two_topics, without

from immunoquiz import scheduling
from immunoquiz.responses import MultipleResponse, SingleResponse
from immunoquiz.store import Profile, Store
from immunoquiz.study import Filters, Session, open_session, overview, stats

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # when the profile fixture was created


class FakeClock:
    def __init__(self, start: datetime = T0) -> None:
        self.t = start

    def __call__(self) -> datetime:
        return self.t

    def advance(self, **kwargs: float) -> None:
        self.t += timedelta(**kwargs)


def session(store: Store, profile: Profile, clock: FakeClock, **kw: object) -> Session:
    kw.setdefault("banks", two_topics())
    return open_session(
        store, profile, kw.pop("banks"), now=clock, tz=UTC,  # type: ignore[arg-type]
        scheduler=scheduling.make_scheduler(fuzz=False), seed=7, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def drain(s: Session, answers: dict[str, SingleResponse] | None = None) -> list[str]:
    """Answer everything served (RIGHT unless told otherwise, and RIGHT whenever a card
    comes back); the ids in serving order."""
    served: list[str] = []
    while (card := s.next()) is not None:
        first = card.card_id not in served
        served.append(card.card_id)
        s.answer(card, (answers or {}).get(card.card_id, RIGHT) if first else RIGHT, 3.0)
        assert len(served) < 100, "session never ends"
    return served


def test_new_items_follow_the_learning_path_up_to_the_daily_limit(store, profile) -> None:
    clock = FakeClock()
    s = session(store, profile, clock, new_limit=3)
    assert s.counts().new == 3
    first = s.next()
    assert first and first.is_new
    # Checkpoints recall first; a checkpoints application item before adverse events.
    assert drain(s) == ["alpha/a1", "alpha/a2", "alpha/a4"]
    # The limit is per day, across sessions: a new session today gets no more new items.
    assert drain(session(store, profile, clock, new_limit=3)) == []
    clock.advance(days=1)
    served = drain(session(store, profile, clock, new_limit=3))
    # Tomorrow: yesterday's cards are due first, then three more new ones on the path.
    assert sorted(served[:3]) == ["alpha/a1", "alpha/a2", "alpha/a4"]
    assert served[3:] == ["alpha/a3", "beta/b1", "beta/b2"]


def test_due_cards_come_most_overdue_first(store, profile) -> None:
    clock = FakeClock()
    s = session(store, profile, clock, new_limit=3)
    for answer in (RIGHT, WRONG, RIGHT):  # a1, a2, a4, half a minute apart
        card = s.next()
        assert card
        s.answer(card, answer, 1.0)
        clock.advance(seconds=30)
    due = {cid: row.due for cid, row in store.cards(profile).items()}
    # Good on a new card -> 10 minutes; Again -> 1 minute.
    assert due["alpha/a2"] == T0 + timedelta(seconds=90)
    assert due["alpha/a1"] == T0 + timedelta(minutes=10)
    clock.advance(minutes=30)
    s = session(store, profile, clock, new_limit=0)
    assert s.counts().due == 3
    assert drain(s) == ["alpha/a2", "alpha/a1", "alpha/a4"]


def test_a_miss_comes_back_in_the_same_session(store, profile) -> None:
    clock = FakeClock()
    s = session(store, profile, clock, new_limit=2)
    missed = s.next()
    assert missed
    s.answer(missed, WRONG, 1.0)
    other = s.next()  # the miss waits for its 1-minute step while new items remain
    assert other and other.card_id != missed.card_id
    s.answer(other, RIGHT, 1.0)
    # Nothing else is left: the miss is shown early (learn-ahead) instead of ending.
    again = s.next()
    assert again and again.card_id == missed.card_id and clock() == T0
    s.answer(again, RIGHT, 1.0)
    assert s.next() is None
    summary = s.summary()
    assert [c.card_id for c in summary.to_revisit] == [missed.card_id]
    assert summary.in_learning == ()


def test_learn_ahead_is_a_profile_setting_and_the_summary_says_what_is_still_learning(
    store, profile
) -> None:
    store.set_setting(profile, "learn_ahead_minutes", "0")
    s = session(store, profile, FakeClock(), new_limit=1)
    card = s.next()
    assert card
    s.answer(card, WRONG, 1.0)
    assert s.next() is None  # due in a minute, and no learning ahead
    assert [c.card_id for c in s.summary().in_learning] == [card.card_id]


def test_cards_in_a_learning_step_are_those_missed_last_and_still_stepping(store, profile) -> None:
    from immunoquiz.study.session import in_learning, learning_among

    clock = FakeClock()
    s = session(store, profile, clock, new_limit=3)
    missed = s.next()
    assert missed
    s.answer(missed, WRONG, 1.0)
    passed = s.next()
    assert passed and passed.card_id != missed.card_id
    s.answer(passed, RIGHT, 1.0)
    third = s.next()
    assert third and third.card_id not in (missed.card_id, passed.card_id)
    s.answer(third, WRONG, 1.0)
    # a card whose stored state cannot be read is not counted (nor does it stop the rest)
    store.conn.execute(
        "UPDATE cards SET state = 'not json' WHERE profile_id = ? AND card_id = ?",
        (profile.id, third.card_id),
    )
    ids = [missed.card_id, passed.card_id, third.card_id, "alpha/never-seen"]
    assert learning_among(store, profile, ids) == {missed.card_id}
    assert [in_learning(store, profile, i) for i in ids] == [True, False, False, False]
    assert s.counts().learning == 1


def test_answer_is_committed_before_it_returns(store, profile, tmp_path) -> None:
    s = session(store, profile, FakeClock())
    card = s.next()
    assert card
    outcome = s.answer(card, WRONG, 4.5)
    with Store.open(tmp_path) as other:  # a second connection sees it at once
        [row] = other.reviews(profile)
    assert row.id == outcome.review_id and row.card_id == card.card_id
    assert (row.points, row.max, row.duration_s, row.mode) == (0, 1, 4.5, "study")
    assert row.rating == int(scheduling.Rating.Again)
    assert json.loads(row.response) == {"kind": "single", "choice": 1}
    assert outcome.interval_text == "next review in 1 minute"


def test_invalid_response_is_refused_and_nothing_recorded(store, profile) -> None:
    s = session(store, profile, FakeClock())
    card = s.next()
    assert card
    with pytest.raises(ValueError):
        s.answer(card, SingleResponse(5), 1.0)
    with pytest.raises(ValueError):
        s.answer(card, MultipleResponse(frozenset({0})), 1.0)
    assert store.reviews(profile, include_undone=True) == []
    assert store.cards(profile) == {}


def test_practice_serves_each_match_once_and_leaves_the_schedule(store, profile) -> None:
    clock = FakeClock()
    drain(session(store, profile, clock, new_limit=2))
    cards_before = store.cards(profile)
    s = session(store, profile, clock, mode="practice", filters=Filters(banks=frozenset({"alpha"})))
    served = drain(s, {"alpha/a1": WRONG})
    assert sorted(served) == ["alpha/a1", "alpha/a2", "alpha/a3", "alpha/a4"]
    assert store.cards(profile) == cards_before
    practice = [r for r in store.reviews(profile) if r.mode == "practice"]
    assert len(practice) == 4 and all(r.rating is None for r in practice)
    # Same seed, same shuffle.
    again = session(
        store, profile, clock, mode="practice", filters=Filters(banks=frozenset({"alpha"}))
    )
    assert [again.next().card_id] == served[:1]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(banks=frozenset({"beta"})), {"beta/b1", "beta/b2", "beta/b3"}),
        (
            Filters(topics=frozenset({"checkpoints"})),
            {"alpha/a1", "alpha/a2", "alpha/a3", "alpha/a4"},
        ),
        (Filters(tags=frozenset({"pd1"})), {"alpha/a1", "alpha/a4"}),
        (Filters(levels=frozenset({"application"})), {"alpha/a3"}),
        (Filters(steps=frozenset({"recognize-cues"})), {"alpha/a1", "beta/b2"}),
        (Filters(steps=frozenset({"recognize-cues"}), banks=frozenset({"beta"})), {"beta/b2"}),
    ],
)
def test_filters_choose_what_is_served(store, profile, filters, expected) -> None:
    s = session(store, profile, FakeClock(), mode="practice", filters=filters)
    assert set(drain(s)) == expected


def test_undo_restores_the_previous_state_and_keeps_the_log(store, profile) -> None:
    clock = FakeClock()
    s = session(store, profile, clock, new_limit=1)
    card = s.next()
    assert card and card.card_id == "alpha/a1"
    s.answer(card, RIGHT, 2.0)
    state_after_first = store.card(profile, "alpha/a1")
    clock.advance(minutes=15)
    s = session(store, profile, clock, new_limit=1)
    card = s.next()
    assert card and card.card_id == "alpha/a1" and not card.is_new
    s.answer(card, WRONG, 2.0)
    assert store.card(profile, "alpha/a1") != state_after_first
    assert s.undo() == card
    assert store.card(profile, "alpha/a1") == state_after_first
    assert s.next() == card  # asked again
    log = store.reviews(profile, include_undone=True)
    assert [r.undone for r in log] == [False, True]
    assert len(store.reviews(profile)) == 1
    # Undo of a brand-new card's first answer makes it new again.
    s.answer(card, RIGHT, 2.0)
    s2 = session(store, profile, clock, new_limit=5, banks=two_topics())
    new = s2.next()
    while new and not new.is_new:
        s2.answer(new, RIGHT, 1.0)
        new = s2.next()
    assert new
    s2.answer(new, RIGHT, 1.0)
    s2.undo()
    assert store.card(profile, new.card_id) is None
    assert s2.next() == new
    assert s.summary().answered == 1


def test_undo_with_nothing_answered_returns_none(store, profile) -> None:
    assert session(store, profile, FakeClock()).undo() is None


def test_mark_easy_rerates_the_same_answer(store, profile) -> None:
    clock = FakeClock()
    s = session(store, profile, clock, new_limit=1)
    card = s.next()
    assert card
    good = s.answer(card, RIGHT, 2.0)
    easy = s.mark_easy(good)
    assert easy.rating == scheduling.Rating.Easy
    assert easy.due and good.due and easy.due > good.due
    assert easy.answered_at == good.answered_at
    log = store.reviews(profile, include_undone=True)
    assert [(r.rating, r.undone) for r in log] == [(3, True), (4, False)]
    assert store.card(profile, card.card_id).due == easy.due  # type: ignore[union-attr]
    assert s.summary().answered == 1
    # Not for a wrong answer.
    clock.advance(days=30)
    s = session(store, profile, clock, new_limit=0)
    card = s.next()
    assert card
    wrong = s.answer(card, WRONG, 1.0)
    assert s.mark_easy(wrong) is wrong


def test_nothing_due_says_when_the_next_card_is(store, profile) -> None:
    store.set_setting(profile, "learn_ahead_minutes", "0")
    clock = FakeClock()
    s = session(store, profile, clock, new_limit=2)
    drain(s, {"alpha/a2": WRONG})
    assert s.next() is None
    assert s.next_due() == T0 + timedelta(minutes=1)  # alpha/a2 after Again
    clock.advance(minutes=20)
    assert drain(s) == ["alpha/a2", "alpha/a1"]  # a1 graduates; a2 has one more step
    assert s.next_due() == clock() + timedelta(minutes=10)
    clock.advance(minutes=20)
    assert drain(s) == ["alpha/a2"]
    # Graduated cards are days away; new items wait for tomorrow's allowance.
    assert s.next_due() == datetime(2026, 11, 28, tzinfo=UTC)
    # With no new items left, the next due card it is.
    seen_only = [without(without(b, "a3"), "a4") for b in two_topics()[:1]]
    seen_only = [without(seen_only[0], "a2")]
    s = session(store, profile, clock, banks=seen_only)
    due = s.next_due()
    assert due is not None and due > clock() + timedelta(days=1)


def test_removed_items_are_not_served_and_changed_items_keep_their_schedule(store, profile) -> None:
    clock = FakeClock()
    drain(session(store, profile, clock, new_limit=5))  # a1, a2, a4, a3, b1
    clock.advance(days=10)
    alpha, beta = two_topics()
    changed = replace(alpha, questions=(replace(single("a1"), prompt="Reworded a1?"),
                                        *alpha.questions[1:]))  # fmt: skip
    s = session(store, profile, clock, new_limit=0, banks=[changed, without(beta, "b1")])
    card = s.next()
    assert card and not card.is_new
    assert s.catalog["alpha/a1"].item.stem == "Reworded a1?"
    served = drain(s)
    assert "beta/b1" not in served  # due, but gone from its bank
    assert sorted(served) == ["alpha/a1", "alpha/a2", "alpha/a3", "alpha/a4"]
    assert "beta/b1" in store.cards(profile)
    assert [r.card_id for r in store.reviews(profile)].count("beta/b1") == 1


def test_summary_counts_topics_steps_and_items_to_revisit(store, profile) -> None:
    clock = FakeClock()
    s = session(store, profile, clock, new_limit=6)
    # a1 a2 a4 a3 b1 b2, then b1 again (a miss comes back in the session)
    assert drain(s, {"beta/b1": WRONG})[-1] == "beta/b1"
    clock.advance(minutes=2)
    summary = s.summary()
    assert summary.answered == 7 and summary.points == 6 and summary.max == 7
    assert summary.elapsed_s == 120
    assert summary.by_topic["checkpoints"].answered == 4
    assert summary.by_topic["adverse-events"].points == 2
    assert summary.by_step["take-action"].points == 1
    assert [c.card_id for c in summary.to_revisit] == ["beta/b1"]


def test_two_sessions_on_one_profile_build_on_each_other(store, profile, tmp_path) -> None:
    clock = FakeClock()
    with Store.open(tmp_path) as other_store:
        a = session(store, profile, clock, new_limit=5)
        b = session(other_store, profile, clock, new_limit=5)
        card_a, card_b = a.next(), b.next()
        assert card_a and card_b and card_a.card_id == card_b.card_id
        a.answer(card_a, RIGHT, 1.0)
        b.answer(card_b, RIGHT, 1.0)  # applied on top of a's review, not over it
    log = store.reviews(profile)
    assert len(log) == 2 and log[1].prev_state is not None
    row = store.card(profile, card_a.card_id)
    assert row and scheduling.card_from_json(row.state).state == scheduling.State.Review


def test_each_session_has_its_own_uuid4_id(store, profile) -> None:
    import uuid

    clock = FakeClock()
    ids = {session(store, profile, clock).id for _ in range(50)}
    assert len(ids) == 50
    for text in ids:
        parsed = uuid.UUID(hex=text)
        assert parsed.hex == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_stats_agree_with_the_log(store, profile) -> None:
    clock = FakeClock()
    for day in range(3):
        s = session(store, profile, clock, new_limit=2)
        drain(s, {"beta/b1": WRONG})
        if day == 1:
            s.undo()  # an undone answer counts nowhere
        clock.advance(days=1)
    clock.advance(days=-1, hours=5)
    st = stats(store, profile, two_topics(), clock(), tz=UTC,
               scheduler=scheduling.make_scheduler(fuzz=False))  # fmt: skip
    log = store.reviews(profile)
    today = clock().date()
    assert st.total_reviews == len(log)
    assert st.reviews_today == sum(r.ts.date() == today for r in log)
    assert st.accuracy == pytest.approx(sum(r.full for r in log) / len(log))
    assert st.streak == 3
    rows = store.cards(profile)
    assert st.due_now == sum(r.due <= clock() for r in rows.values())
    assert st.items_total == 7 and st.items_seen == len(rows)
    assert st.mastery_by_topic["checkpoints"].items == 4
    assert 0 < st.mastery_by_topic["checkpoints"].mastery <= 1
    assert set(st.mastery_by_step) == {"recognize-cues", "analyze-cues", "take-action"}
    assert st.due_next_7_days == sum(d.due for d in st.due_by_day[:7])
    assert st.to_json()["streak"] == 3
    # A day without answers breaks the streak.
    clock.advance(days=2)
    assert stats(store, profile, two_topics(), clock(), tz=UTC).streak == 0


def test_overview_per_bank(store, profile) -> None:
    clock = FakeClock()
    drain(session(store, profile, clock, new_limit=3))
    clock.advance(hours=1)
    rows = {o.bank.id: o for o in overview(store, profile, two_topics(), clock())}
    assert (rows["alpha"].due, rows["alpha"].new, rows["alpha"].total) == (3, 1, 4)
    assert (rows["beta"].due, rows["beta"].new, rows["beta"].total) == (0, 3, 3)
    assert rows["alpha"].mastery == pytest.approx(0.75)  # seen today: recall 1.0, 3 of 4


def test_new_limit_comes_from_the_profile_setting(store, profile) -> None:
    store.set_setting(profile, "new_limit", "1")
    s = session(store, profile, FakeClock())
    assert len(drain(s)) == 1
