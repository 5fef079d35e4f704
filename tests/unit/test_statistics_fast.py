"""The fast statistics (per-slot counts, stability columns) agree with the plain definitions."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from immunoquiz import scheduling
from immunoquiz.banks.model import Bank, Option, SingleItem
from immunoquiz.responses import SingleResponse
from immunoquiz.store import Store
from immunoquiz.study import open_session, overview, stats
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
        log = [r for r in store.reviews(profile) if r.mode in ("study", "practice")]

    per_day = Counter(local_date(r.ts, tz) for r in log)
    full_per_day = Counter(local_date(r.ts, tz) for r in log if r.full)
    today = local_date(now, tz)
    assert got.total_reviews == len(log) > 40
    assert got.accuracy == sum(r.full for r in log) / len(log)
    assert got.reviews_today == per_day[today]
    assert [(d.day, d.reviews, d.correct) for d in got.days] == [
        (today - timedelta(n), per_day[today - timedelta(n)], full_per_day[today - timedelta(n)])
        for n in reversed(range(14))
    ]
    streak, day = 0, today if per_day[today] else today - timedelta(1)
    while per_day[day]:
        streak, day = streak + 1, day - timedelta(1)
    assert got.streak == streak
    ids = [b.card_id(q) for b in banks for q in b.questions]
    due = {c: cards[c].due for c in ids if c in cards and c != studied[0]}
    assert got.due_now == sum(d <= now for d in due.values())
    later = Counter(local_date(d, tz) for d in due.values() if d > now)
    assert [d.due for d in got.due_by_day] == [later[today + timedelta(n)] for n in range(14)]
    recall = {
        c: scheduling.retrievability(scheduler, scheduling.card_from_json(cards[c].state), now)
        for c in ids
        if c in cards
    }

    def mastery(group: list[str]) -> tuple[int, int, float]:
        seen = [recall[c] for c in group if c in recall]
        return len(group), len(seen), pytest.approx(sum(seen) / len(group))

    assert (got.items_total, got.items_seen, got.mastery) == mastery(ids)
    by_topic = {b.topic: [b.card_id(q) for q in b.questions] for b in banks}
    assert {k: (m.items, m.seen, m.mastery) for k, m in got.mastery_by_topic.items()} == {
        k: mastery(v) for k, v in by_topic.items()
    }
    by_step: dict[str, list[str]] = {}
    for b in banks:
        for q in b.questions:
            if q.step:
                by_step.setdefault(q.step, []).append(b.card_id(q))
    assert {k: (m.items, m.seen, m.mastery) for k, m in got.mastery_by_step.items()} == {
        k: mastery(v) for k, v in sorted(by_step.items())
    }
    assert [(h.due, h.new, h.total, h.mastery) for h in home] == [
        (
            sum(1 for q in b.questions if b.card_id(q) in due and due[b.card_id(q)] <= now),
            sum(1 for q in b.questions if b.card_id(q) not in cards),
            *mastery([b.card_id(q) for q in b.questions])[::2],
        )
        for b in banks
    ]
