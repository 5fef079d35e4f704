"""The fast statistics (per-slot counts, stability columns) agree with the plain definitions."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from engine_banks import EVERY_TYPE, RIGHT, single
from fsrs import Scheduler

from immunoquiz import scheduling
from immunoquiz.banks.model import Bank, Item, Option, SingleItem
from immunoquiz.responses import Score, SingleResponse
from immunoquiz.store import CardRow, ReviewEntry, ReviewRow, Store
from immunoquiz.study import BankOverview, Stats, item_steps, open_session, overview, stats
from immunoquiz.study.clock import local_date

START = datetime(2026, 3, 1, 22, 50, tzinfo=UTC)  # DST starts in New York during the run
STEPS = ("recognize-cues", "analyze-cues", None)


def _banks() -> list[Bank]:
    def item(i: int) -> SingleItem:
        return SingleItem(
            id=f"q{i}", prompt="?", options=(Option("y", True), Option("n")), explanation=".",
            step=STEPS[i % len(STEPS)],
        )  # fmt: skip

    return [
        Bank(id="a", title="A", topic="alpha", questions=tuple(item(i) for i in range(8))),
        Bank(id="b", title="B", topic="beta", questions=tuple(item(i) for i in range(8, 14))),
    ]


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata", "UTC"])
def test_stats_match_the_definitions(tmp_path: Path, zone: str) -> None:
    tz = ZoneInfo(zone)
    banks = _banks()
    rng = random.Random(zone)
    scheduler = scheduling.make_scheduler(fuzz=False)
    clock = [START]
    with Store.open(tmp_path) as store:
        profile = store.create_profile("anna", START)
        for day in range(12):
            if day in (3, 7):
                clock[0] += timedelta(days=1)  # days without answers break the streak
                continue
            for mode in ("study", "practice"):
                session = open_session(
                    store, profile, banks, mode=mode, now=lambda: clock[0], tz=tz,
                    scheduler=scheduler, new_limit=4, seed=day,
                )  # fmt: skip
                for _ in range(5):
                    card = session.next()
                    if card is None:
                        break
                    session.answer(card, SingleResponse(rng.randrange(2)), 3.0)
                    clock[0] += timedelta(minutes=rng.choice([3, 17, 40, 95]))
                if day % 4 == 1:
                    session.undo()
            clock[0] += timedelta(hours=rng.choice([20, 26, 30]))
        now = clock[0]
        cards = store.cards(profile)
        # One studied card suspended (no longer due, still in mastery), another whose
        # item has left its bank (history kept, counted nowhere).
        studied = [b.card_id(q) for b in banks for q in b.questions if b.card_id(q) in cards]
        store.suspend(profile, studied[0], now)
        gone = [q for q in banks[0].questions if banks[0].card_id(q) in studied[1:]][-1]
        banks[0] = replace(banks[0], questions=tuple(q for q in banks[0].questions if q != gone))
        got = stats(store, profile, banks, now, scheduler=scheduler, tz=tz)
        home = overview(store, profile, banks, now, scheduler=scheduler)
        store_log = store.reviews(profile)

    assert_definitions(store_log, cards, banks, now, tz, scheduler, got, home, studied[0])
    assert got.total_reviews > 40


def assert_definitions(
    store_log: list[ReviewRow],
    cards: dict[str, CardRow],
    banks: list[Bank],
    now: datetime,
    tz: tzinfo,
    scheduler: Scheduler,
    got: Stats,
    home: list[BankOverview],
    suspended: str | frozenset[str],
) -> None:
    """`got` (stats) and `home` (overview) against the plain definitions, worked out here
    from the whole log and every card state, one by one."""
    hidden = {suspended} if isinstance(suspended, str) else suspended
    log = [r for r in store_log if r.mode in ("study", "practice") and not r.undone]
    per_day = Counter(local_date(r.ts, tz) for r in log)
    full_per_day = Counter(local_date(r.ts, tz) for r in log if r.full)
    today = local_date(now, tz)
    assert got.total_reviews == len(log)
    assert got.accuracy == (sum(r.full for r in log) / len(log) if log else None)
    assert (got.reviews_today, got.correct_today) == (per_day[today], full_per_day[today])
    assert [(d.day, d.reviews, d.correct) for d in got.days] == [
        (today - timedelta(n), per_day[today - timedelta(n)], full_per_day[today - timedelta(n)])
        for n in reversed(range(14))
    ]
    streak, day = 0, today if per_day[today] else today - timedelta(1)
    while per_day[day]:
        streak, day = streak + 1, day - timedelta(1)
    assert got.streak == streak
    ids = [b.card_id(q) for b in banks for q in b.questions]
    due = {c: cards[c].due for c in ids if c in cards and c not in hidden}
    assert got.due_now == sum(d <= now for d in due.values())
    later = Counter(local_date(d, tz) for d in due.values() if d > now)
    assert [d.due for d in got.due_by_day] == [later[today + timedelta(n)] for n in range(14)]
    assert got.due_next_7_days == sum(later[today + timedelta(n)] for n in range(7))
    recall = {
        c: scheduling.retrievability(scheduler, scheduling.card_from_json(cards[c].state), now)
        for c in ids
        if c in cards
    }

    def mastery(group: list[str]) -> tuple[int, int, float]:
        seen = [recall[c] for c in group if c in recall]
        return len(group), len(seen), pytest.approx(sum(seen) / len(group) if group else 0.0)

    assert (got.items_total, got.items_seen, got.mastery) == mastery(ids)
    by_topic: dict[str, list[str]] = {}
    by_step: dict[str, list[str]] = {}
    for b in banks:
        for q in b.questions:
            by_topic.setdefault(b.topic, []).append(b.card_id(q))
            for step in item_steps(q):
                by_step.setdefault(step, []).append(b.card_id(q))
    assert {k: (m.items, m.seen, m.mastery) for k, m in got.mastery_by_topic.items()} == {
        k: mastery(v) for k, v in sorted(by_topic.items())
    }
    assert {k: (m.items, m.seen, m.mastery) for k, m in got.mastery_by_step.items()} == {
        k: mastery(v) for k, v in sorted(by_step.items())
    }
    assert [(h.bank.id, h.due, h.new, h.total, h.mastery) for h in home] == [
        (
            b.id,
            sum(1 for q in b.questions if b.card_id(q) in due and due[b.card_id(q)] <= now),
            sum(1 for q in b.questions if b.card_id(q) not in cards and b.card_id(q) not in hidden),
            *mastery([b.card_id(q) for q in b.questions])[::2],
        )
        for b in banks
    ]


ZONES = ("America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "UTC")


def _random_banks(rng: random.Random) -> list[Bank]:
    """Banks of single items with a step or none, a case (two steps), an empty bank."""
    steps = ("recognize-cues", "analyze-cues", "take-action", None)
    out = []
    for b in range(rng.randint(1, 4)):
        items: list[Item] = [
            replace(single(f"q{i}"), step=rng.choice(steps)) for i in range(rng.randint(1, 9))
        ]
        if rng.random() < 0.5:
            items.append(EVERY_TYPE["case"])  # type: ignore[arg-type]
        out.append(Bank(id=f"b{b}", title=f"B{b}", topic=rng.choice(("t1", "t2", "t3")),
                        questions=tuple(items)))  # fmt: skip
    out.append(Bank(id="empty", title="Empty", topic="t4", questions=()))
    return out


def _random_time(rng: random.Random, now: datetime, tz: tzinfo) -> datetime:
    """Mostly a few minutes either side of a local midnight of the last three weeks."""
    day = local_date(now, tz) - timedelta(rng.randint(0, 20))
    midnight = datetime.combine(day, time(), tz).astimezone(UTC)
    if rng.random() < 0.7:
        return midnight + timedelta(minutes=rng.randint(-20, 20))
    return midnight + timedelta(minutes=rng.randint(0, 24 * 60 - 1))


# Around 2026-03-29 DST starts or ends in most of these zones; Samoa skipped 2011-12-30
# (its local days then have no exact bounds: each time is converted instead).
CASES = [(seed, None, date(2026, 3, 29)) for seed in range(8)] + [
    (seed, "Pacific/Apia", day) for seed, day in ((8, date(2012, 1, 2)), (9, date(2011, 12, 29)))
]


@pytest.mark.parametrize(("seed", "zone", "day"), CASES)
def test_random_profiles_match_the_definitions(
    tmp_path: Path, seed: int, zone: str | None, day: date
) -> None:
    rng = random.Random(seed)
    tz = ZoneInfo(zone or rng.choice(ZONES))
    banks = _random_banks(rng)
    scheduler = scheduling.make_scheduler(fuzz=False)
    local_noon = datetime.combine(day, time(12), tz)
    now = local_noon.astimezone(UTC) + timedelta(minutes=rng.randint(-13 * 60, 11 * 60))
    ids = [b.card_id(q) for b in banks for q in b.questions] + ["gone/q1"]  # an item removed
    with Store.open(tmp_path) as store:
        profile = store.create_profile("anna", now - timedelta(days=60))
        written: list[int] = []
        for _ in range(rng.randint(0, 40)):
            card_id, when = rng.choice(ids), _random_time(rng, now, tz)
            full = rng.random() < 0.7
            score = Score(float(full), 1.0, "correct/incorrect")
            with store.write(profile) as tx:
                if rng.random() < 0.2:  # practice: logged, the schedule left alone
                    entry = ReviewEntry(card_id, "s", when, "practice", RIGHT, score, 1000)
                    written.append(tx.log(entry))
                    continue
                row = tx.card(card_id)
                before = scheduling.card_from_json(row.state) if row else None
                card = before or scheduling.new_card(when - timedelta(days=1))
                rating = scheduling.Rating.Good if full else scheduling.Rating.Again
                card, _ = scheduling.review(scheduler, card, rating, when, 3.0)
                # Due now, exactly at a local midnight ahead, or some hours or days away.
                ahead = local_date(now, tz) + timedelta(rng.randint(0, 15))
                card.due = rng.choice([
                    now - timedelta(minutes=rng.randint(0, 5000)), now,
                    datetime.combine(ahead, time(), tz).astimezone(UTC),
                    now + timedelta(minutes=rng.randint(1, 30000)),
                ])  # fmt: skip
                entry = ReviewEntry(card_id, "s", when, "study", RIGHT, score, 1000, int(rating))
                written.append(tx.review(entry, state=card.to_json(), due=card.due))
        for review_id in rng.sample(written, min(len(written), 3)):
            store.undo(profile, review_id)
        hidden = frozenset(rng.sample(ids, min(len(ids), 3)))  # seen or not
        for card_id in hidden:
            store.suspend(profile, card_id, now)
        got = stats(store, profile, banks, now, scheduler=scheduler, tz=tz)
        home = overview(store, profile, banks, now, scheduler=scheduler)
        log, cards = store.reviews(profile, include_undone=True), store.cards(profile)
    assert_definitions(log, cards, banks, now, tz, scheduler, got, home, hidden)


def test_an_empty_profile_has_nothing_but_its_items(tmp_path: Path) -> None:
    banks = _banks()
    with Store.open(tmp_path) as store:
        profile = store.create_profile("anna", START)
        got = stats(store, profile, banks, START, tz=UTC)
        home = overview(store, profile, banks, START)
        empty = stats(store, profile, [], START, tz=UTC)
    assert (got.total_reviews, got.accuracy, got.streak, got.due_now, got.items_seen) == (
        0, None, 0, 0, 0,
    )  # fmt: skip
    assert (got.items_total, got.mastery) == (14, 0.0)
    assert [(h.due, h.new, h.total, h.mastery) for h in home] == [(0, 8, 8, 0.0), (0, 6, 6, 0.0)]
    assert (empty.items_total, empty.mastery, empty.mastery_by_topic) == (0, 0.0, {})
