"""The home screen's one read (`home_summary`) gives what it used to ask for one by one:
`overview`, `stats` (what the screen shows of them), and a probe study session's
`counts()` and `next_due()`; and stays right while the store and the banks change."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from engine_banks import RIGHT, WRONG, bank, single, without

from immunoquiz.banks.model import Bank
from immunoquiz.store import Profile, Store
from immunoquiz.study import (
    Filters,
    HomeSummary,
    Stats,
    home_summary,
    open_session,
    overview,
    stats,
)
from immunoquiz.study import settings as cfg

START = datetime(2026, 10, 20, 21, 30, tzinfo=UTC)


def _banks() -> list[Bank]:
    return [
        bank("alpha", "checkpoints", [single(f"a{i}", step="recognize-cues") for i in range(6)]),
        bank("beta", "adverse-events", [single(f"b{i}") for i in range(5)]),
        bank("gamma", "tnbc", [single(f"g{i}", step="take-action") for i in range(4)]),
    ]


@pytest.mark.parametrize("seed", range(16))
def test_home_summary_is_what_home_asked_for_one_by_one(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    tz = ZoneInfo(rng.choice(["Europe/London", "America/Los_Angeles", "Asia/Kathmandu"]))
    banks = _banks()
    clock = [START]
    last = START
    with Store.open(tmp_path) as store:
        profile = store.create_profile("anna", START)
        # Small daily limits, so both the review limit and the new-item limit bite.
        cfg.write(store, profile, cfg.REVIEWS_PER_DAY, str(rng.randint(1, 6)))
        cfg.write(store, profile, cfg.LEARN_AHEAD, str(rng.choice([0, 20, 90])))
        for _day in range(rng.randint(0, 12)):
            session = open_session(
                store, profile, banks, now=lambda: clock[0], tz=tz, new_limit=rng.randint(0, 5)
            )
            for _ in range(rng.randint(0, 8)):
                card = session.next()
                if card is None:
                    break
                session.answer(card, RIGHT if rng.random() < 0.6 else WRONG, 4.0)
                last = clock[0]
                clock[0] += timedelta(minutes=rng.choice([1, 3, 8, 15, 40]))
                if rng.random() < 0.1:
                    session.undo()
            clock[0] += timedelta(hours=rng.choice([1, 5, 20, 26, 50]))
        ids = [b.card_id(q) for b in banks for q in b.questions]
        for card_id in rng.sample(ids, rng.randint(0, 3)):
            store.suspend(profile, card_id, clock[0])
        # Now: soon after the last answer (a missed card still in a learning step), or
        # later; the limit on new items read from the profile, or given by the caller.
        now = last + timedelta(minutes=rng.choice([0, 0.5, 2, 5, 12, 70, 60 * 9]))
        new_limit = rng.choice([None, 0, 3])
        got = home_summary(store, profile, banks, now, new_limit=new_limit, tz=tz)
        probe = open_session(
            store, profile, banks, mode="study", filters=Filters(), now=lambda: now, tz=tz,
            new_limit=new_limit,
        )  # fmt: skip
        assert got.counts == probe.counts()
        assert got.next_due == probe.next_due()
        assert shown(got) == shown_of(stats(store, profile, banks, now, tz=tz))
        assert got.banks == overview(store, profile, banks, now)


def shown(home: HomeSummary) -> tuple[object, ...]:
    return (
        home.reviews_today, home.due_tomorrow, home.streak, home.items_total, home.items_seen,
        pytest.approx(home.mastery),  # summed per bank here, per bank and step there
    )  # fmt: skip


def shown_of(got: Stats) -> tuple[object, ...]:
    return (
        got.reviews_today, got.due_by_day[1].due, got.streak, got.items_total, got.items_seen,
        got.mastery,
    )  # fmt: skip


def test_an_empty_profile_counts_new_items_only(store: Store, profile) -> None:  # type: ignore[no-untyped-def]
    banks = _banks()
    got = home_summary(store, profile, banks, START, new_limit=4, tz=UTC)
    assert (got.counts.due, got.counts.new, got.counts.learning) == (0, 4, 0)
    assert got.next_due == START  # new items can be studied now
    assert [(b.bank.id, b.due, b.new, b.total) for b in got.banks] == [
        ("alpha", 0, 6, 6), ("beta", 0, 5, 5), ("gamma", 0, 4, 4),
    ]  # fmt: skip
    nothing = home_summary(store, profile, [], START, tz=UTC)
    assert (nothing.counts.due, nothing.counts.new, nothing.next_due, nothing.banks) == (
        0, 0, None, [],
    )  # fmt: skip


def test_counts_stay_right_while_others_write_and_banks_change(tmp_path: Path) -> None:
    """The home screen's per-bank counts leave out cards of items a bank no longer holds,
    kept between reads (`figures.Outsiders`): after answers here and from another
    process whose bank still holds such an item, an undo, and a bank edit, each read is
    what a fresh process reading the file would count, and what `stats` counts."""
    full = _banks()
    ours = [without(full[0], "a5"), *full[1:]]  # "a5" was dropped from our copy of alpha
    clock = [START]

    def answer(store: Store, banks: list[Bank], count: int, *, undo: bool = False) -> None:
        session = open_session(store, profile_of(store), banks, now=lambda: clock[0], seed=7)
        for _ in range(count):
            card = session.next()
            assert card is not None
            session.answer(card, RIGHT, 4.0)
            clock[0] += timedelta(minutes=3)
        if undo:
            session.undo()

    def profile_of(store: Store) -> Profile:
        found = store.get_profile("anna")
        assert found is not None
        return found

    def check(store: Store, banks: list[Bank]) -> list[tuple[str, int, int]]:
        got = home_summary(store, profile_of(store), banks, clock[0], tz=UTC)
        with Store.open(tmp_path) as fresh:  # nothing kept: every card looked at
            assert got.banks == overview(fresh, profile_of(fresh), banks, clock[0])
        full_stats = stats(store, profile_of(store), banks, clock[0], tz=UTC)
        assert shown(got) == shown_of(full_stats)
        return [(b.bank.id, b.new, b.total) for b in got.banks]

    with Store.open(tmp_path) as store, Store.open(tmp_path) as other:
        store.create_profile("anna", START)
        cfg.write(store, profile_of(store), cfg.NEW_PER_DAY, "50")
        assert check(store, ours)[0] == ("alpha", 5, 5)
        answer(store, ours, 3)
        assert check(store, ours)[0] == ("alpha", 2, 5)
        # Another process, whose alpha still holds a5, answers it (a card under alpha's
        # ids that our alpha does not hold): not counted here.
        only_a5 = replace(full[0], questions=tuple(q for q in full[0].questions if q.id == "a5"))
        answer(other, [only_a5], 1)
        assert check(store, ours)[0] == ("alpha", 2, 5)
        assert check(store, full)[0] == ("alpha", 2, 6)
        answer(other, full, 3)
        answer(other, full, 2, undo=True)  # a first answer undone: its card is gone
        check(store, ours)
        # Our banks change: b4 leaves beta (studied or not, it no longer counts).
        edited = [ours[0], without(ours[1], "b4"), ours[2]]
        assert [t for _id, _new, t in check(store, edited)] == [5, 4, 4]
        answer(store, edited, 4)
        check(store, edited)
        check(store, ours)
