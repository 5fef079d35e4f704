"""The session's kept queue of due cards serves exactly what the plain definition says,
whoever else writes meanwhile: another session on the same file, another process
(connection), an undo, a day going by, a clock going back."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from engine_banks import RIGHT, WRONG

from immunoquiz import scheduling
from immunoquiz.banks.model import Bank, Option, SingleItem
from immunoquiz.store import Profile, Store
from immunoquiz.study import Session, day_start, open_session

START = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)
SCHEDULER = scheduling.make_scheduler(fuzz=False)
LIMIT = 5  # reviews per day of cards introduced before today


def _banks() -> list[Bank]:
    def item(i: int) -> SingleItem:
        return SingleItem(
            id=f"q{i}", prompt="?", options=(Option("y", True), Option("n")), explanation="."
        )

    return [
        Bank(id="a", title="A", topic="alpha", questions=tuple(item(i) for i in range(10))),
        Bank(id="b", title="B", topic="beta", questions=tuple(item(i) for i in range(10, 18))),
    ]


def _session(store: Store, profile: Profile, clock: list[datetime], seed: int) -> Session:
    session = open_session(
        store, profile, _banks(), now=lambda: clock[0], tz=UTC, scheduler=SCHEDULER,
        new_limit=6, seed=seed, review_limit=LIMIT,
    )  # fmt: skip
    return session


def _expected_due(store: Store, profile: Profile, session: Session, now: datetime) -> list[str]:
    """The plain definition: matching cards due now, most overdue first; past the daily
    limit, only cards introduced today."""
    cards = store.cards(profile)
    today = day_start(now, UTC)
    due = sorted(
        (row.due, cid) for cid, row in cards.items() if row.due <= now and cid in session.catalog
    )
    left = LIMIT - sum(
        1
        for r in store.reviews(profile, since=today)
        if r.mode == "study" and r.card_id in cards and cards[r.card_id].introduced < today
    )
    kept = []
    for _due, cid in due:
        if cards[cid].introduced >= today:
            kept.append(cid)
        elif left > 0:
            kept.append(cid)
            left -= 1
    return kept


@pytest.mark.parametrize("seed", range(6))
def test_the_kept_queue_matches_the_definition_whoever_writes(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    clock = [START]
    with Store.open(tmp_path) as store, Store.open(tmp_path) as other_process:
        profile = store.create_profile("anna", START)
        other_profile = other_process.get_profile("anna")
        assert other_profile is not None
        mine = _session(store, profile, clock, seed)
        neighbour = _session(store, profile, clock, seed + 100)  # same connection
        elsewhere = _session(other_process, other_profile, clock, seed + 200)
        served = new_served = 0
        again: set[str] = set()  # undone in `mine`: asked again before anything due
        for _step in range(120):
            roll = rng.random()
            writer = mine if roll < 0.7 else neighbour if roll < 0.8 else elsewhere
            card = writer.next()
            if card is not None:
                writer.answer(card, RIGHT if rng.random() < 0.7 else WRONG, 2.0)
                if writer is mine:
                    served += 1
                    again.discard(card.card_id)
            if rng.random() < 0.05 and writer.history:
                undone = writer.undo()
                if writer is mine and undone is not None:
                    again.add(undone.card_id)
            move = rng.choice([timedelta(seconds=20), timedelta(minutes=3), timedelta(hours=5)])
            clock[0] += -timedelta(minutes=2) if rng.random() < 0.03 else move
            expected = _expected_due(store, profile, mine, clock[0])
            assert mine.counts().due == len(expected)
            card = mine.next()
            if expected and not again:
                assert card is not None and card.card_id == expected[0]
            if card is not None and card.is_new and not again:
                # never served as new once started, here or anywhere else
                assert store.card(profile, card.card_id) is None
                new_served += 1
        assert served > 30
        assert new_served > 5


def test_a_new_card_asked_again_after_undo_but_studied_elsewhere_meanwhile(
    tmp_path: Path,
) -> None:
    """Undone, then answered (a miss) by another process, then answered again here: it
    was no longer new, so it leaves the due queue instead of staying due in it."""
    clock = [START]
    with Store.open(tmp_path) as store, Store.open(tmp_path) as other_process:
        profile = store.create_profile("anna", START)
        other_profile = other_process.get_profile("anna")
        assert other_profile is not None
        mine = _session(store, profile, clock, 1)
        elsewhere = _session(other_process, other_profile, clock, 2)
        card = mine.next()
        assert card is not None and card.is_new
        mine.answer(card, RIGHT, 2.0)
        assert mine.undo() == card
        elsewhere.answer(card, WRONG, 2.0)  # introduced there, due again in a minute
        clock[0] += timedelta(minutes=3)
        assert mine.counts().due == 1  # the queue has read it back, due (a miss elsewhere)
        again = mine.next()
        assert again is not None and again.card_id == card.card_id
        mine.answer(again, RIGHT, 2.0)  # due in 10 minutes now
        clock[0] += timedelta(minutes=1)
        assert mine.counts().due == len(_expected_due(store, profile, mine, clock[0])) == 0
        assert mine.counts().new == 6 - 1  # introduced once, counted once


def _work_to_start(tmp_path: Path, reviews_today: int) -> tuple[int, int, list[str]]:
    """A profile whose three cards were introduced yesterday and reviewed `reviews_today`
    times today (ending in the same state): the SQLite steps a session takes to open and
    count, its due count and the cards it serves in turn."""
    from immunoquiz.responses import Score, SingleResponse
    from immunoquiz.store import ReviewEntry

    yesterday, today = START - timedelta(days=1), START - timedelta(hours=1)
    with Store.open(tmp_path) as store:
        profile = store.create_profile("anna", yesterday)
        card = scheduling.new_card(yesterday)
        state = scheduling.card_to_json(card)
        ids = [f"a/q{i}" for i in range(3)]
        with store.write(profile) as tx:
            for k in range(reviews_today + 3):
                when = yesterday if k < 3 else today + timedelta(seconds=k)
                entry = ReviewEntry(
                    ids[k % 3], "s", when, "study", SingleResponse(0),
                    Score(1.0, 1.0, "correct/incorrect"), 1000, 3,
                )  # fmt: skip
                tx.review(entry, state=state, due=yesterday)
        steps = [0]

        def step() -> int:
            steps[0] += 1
            return 0

        store.conn.set_progress_handler(step, 1)
        clock = [START]
        session = open_session(
            store, profile, _banks(), now=lambda: clock[0], tz=UTC, scheduler=SCHEDULER,
            new_limit=0, review_limit=LIMIT,
        )  # fmt: skip
        due = session.counts().due
        store.conn.set_progress_handler(None, 1)
        served = []
        while (card := session.next()) is not None and len(served) < 5:
            served.append(card.card_id)
            session.answer(card, RIGHT, 2.0)
    return steps[0], due, served


def test_a_session_reads_the_days_reviews_only_up_to_its_review_limit(tmp_path: Path) -> None:
    """Past the daily review limit, the queue counts today's reviews no further: a session
    opens with the same work after 3,000 reviews as after 6, and shows the same (no
    earlier day's card is due, the limit being used up)."""
    few = _work_to_start(tmp_path / "few", LIMIT + 1)
    many = _work_to_start(tmp_path / "many", 3000)
    assert few[1:] == many[1:] == (0, [])
    assert few[0] == many[0]
    under = _work_to_start(tmp_path / "under", LIMIT - 2)  # 2 reviews left: two are served
    assert under[1] == 2 and len(under[2]) == 2
