"""Anki's own engine on the same collection, for `benchmarks/engine.py --vs-anki`.

Builds an Anki collection with the same shape as ours (one Basic note per item,
`cards` of them reviewed `reviews` times in all, a fifth due now, the rest over
the coming months, `unseen` never studied), then times what a reviewer does:
fetch the next card (`sched.getCard`: queue + card load) and answer it
(scheduling states + `answer_card`, which commits). Anki opens its collection
with journal_mode=WAL, locking_mode=EXCLUSIVE and SQLite's default
synchronous=FULL; `durable=False` switches it to synchronous=OFF so that both
engines can also be compared without the fsync.

Needs the `anki` package (the `bench` and `test` extras; never a runtime dependency).
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

from anki.collection import AddNoteRequest, Collection
from anki.scheduler.v3 import CardAnswer

DAY_S = 86_400


def pragmas(col: Collection) -> str:
    names = ("journal_mode", "synchronous", "locking_mode")
    return ", ".join(f"{name}={col.db.scalar(f'pragma {name}')}" for name in names)


def build(
    path: Path, n_cards: int, n_unseen: int, n_reviews: int, rng: random.Random
) -> Collection:
    """A collection of `n_cards + n_unseen` notes with `n_reviews` revlog rows on the first ones."""
    col = Collection(str(path))
    model = col.models.by_name("Basic")
    assert model is not None
    requests = []
    for i in range(n_cards + n_unseen):
        note = col.new_note(model)
        note["Front"] = f"Question {i}?"
        note["Back"] = "Right"
        requests.append(AddNoteRequest(note, deck_id=1))
    col.add_notes(requests)
    # Like ours: FSRS, and no daily limit in the way of the samples.
    col.set_config("fsrs", True)
    conf = col.decks.config_dict_for_deck_id(1)
    conf["new"]["perDay"] = 9999
    conf["rev"]["perDay"] = 9999
    col.decks.update_config(conf)

    card_ids = col.db.list("select id from cards order by id")[:n_cards]
    today = col.sched.today
    now_ms = int(time.time() * 1000)
    per_card = max(1, n_reviews // len(card_ids))
    revlog, cards = [], []
    next_id = now_ms - 400 * DAY_S * 1000
    for k, cid in enumerate(card_ids):
        count = per_card + (1 if k < n_reviews - per_card * len(card_ids) else 0)
        ivl = 1
        for _ in range(count):
            ease = 3 if rng.random() < 0.85 else 1
            last, ivl = ivl, (ivl * 2 if ease == 3 else 1)
            next_id += 1  # revlog ids are unique millisecond times
            revlog.append((next_id, cid, -1, ease, ivl, last, 2500, 5000, 1))
        if rng.random() < 0.2:
            due = today - rng.randint(0, 20)
        else:
            due = today + rng.randint(1, 120)
        stability, difficulty = rng.uniform(2, 60), rng.uniform(3, 8)
        data = f'{{"s":{stability:.2f},"d":{difficulty:.2f}}}'
        cards.append((due, max(1, ivl), count, data, cid))

    def write() -> None:
        col.db.executemany(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
            " values (?,?,?,?,?,?,?,?,?)",
            revlog,
        )
        col.db.executemany(
            "update cards set type=2, queue=2, due=?, ivl=?, factor=2500, reps=?, data=?"
            " where id=?",
            cards,
        )

    # One transaction: outside one, each row would be its own durable commit.
    col.db.transact(write)
    return col


def step(col: Collection, rng: random.Random) -> tuple[float, float, float]:
    """One review: the next-card and answer times (seconds), Good 85 % of the time, and
    the answer's CPU time."""
    start = time.perf_counter()
    card = col.sched.getCard()
    next_s = time.perf_counter() - start
    assert card is not None
    rating = CardAnswer.GOOD if rng.random() < 0.85 else CardAnswer.AGAIN
    start, start_cpu = time.perf_counter(), time.process_time()
    states = col._backend.get_scheduling_states(card.id)
    col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=rating))
    return next_s, time.perf_counter() - start, time.process_time() - start_cpu


def run(
    col: Collection, samples: int, rng: random.Random, answer_cpu: list[float] | None = None
) -> tuple[list[float], list[float]]:
    """Next-card and answer times (seconds) for `samples` reviews, 85 % Good; with
    `answer_cpu`, the answers' CPU times are added to it."""
    next_times, answer_times = [], []
    for _ in range(samples):
        next_s, answer_s, cpu_s = step(col, rng)
        next_times.append(next_s)
        answer_times.append(answer_s)
        if answer_cpu is not None:
            answer_cpu.append(cpu_s)
    return next_times, answer_times


def prepare(
    folder: Path,
    n_cards: int,
    n_unseen: int,
    n_reviews: int,
    *,
    durable: bool,
    cache: Path | None = None,
) -> tuple[Collection, str, bool]:
    """A freshly built collection, open, durable or not: (collection, its pragmas, reused).

    With `cache`, the built file is kept there (one per size and day, as due days
    count from the day it was built) and copied for every later run.
    """
    name = "durable" if durable else "fast"
    path = folder / f"anki-{name}.anki2"
    reused = False
    if cache is not None:
        day = time.strftime("%Y%m%d")
        kept = cache / f"anki-{n_cards}-{n_unseen}-{n_reviews}-{day}.anki2"
        if not kept.exists():
            cache.mkdir(parents=True, exist_ok=True)
            built = build(cache / "anki-building.anki2", n_cards, n_unseen, n_reviews,
                          random.Random(1))  # fmt: skip
            built.close()
            (cache / "anki-building.anki2").replace(kept)
        else:
            reused = True
        shutil.copyfile(kept, path)
        col = Collection(str(path))
    else:
        col = build(path, n_cards, n_unseen, n_reviews, random.Random(1))
    if not durable:
        col.db.execute("pragma synchronous = off")
    return col, pragmas(col), reused
