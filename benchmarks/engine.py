"""Engine benchmark: picking the next item and recording an answer on a big profile.

With a 100,000-review log and 10,000 studied cards (plus unseen items), time
`Session.next()` and `Session.answer()` (p50 and p99), each against a bare SQLite
insert-and-commit on a file with the same settings (WAL, synchronous=FULL),
measured in the same run, and print the ratios. Absolute times depend on the
disk; the ratios say what the engine adds on top of one durable commit.

    .venv/bin/python benchmarks/engine.py [--reviews N] [--cards N] [--samples N] [--vs-anki]
        [--keep-db DIR]

With --keep-db, the built profile is kept in DIR (one file per size) and copied in
again by later runs of the same size instead of being built anew: each run still
starts from the same file, as a fresh build would.

With --vs-anki, the same collection is also built in Anki (benchmarks/anki_side.py,
needs the `bench` extra) and both engines are timed in this run, twice: both durable
(ours synchronous=FULL, Anki's default FULL; one commit per answer each) and both
not (synchronous=OFF on both), with the ratios ours / Anki's.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from immunoquiz import scheduling
from immunoquiz.banks.model import Bank, Option, SingleItem
from immunoquiz.responses import Score, SingleResponse
from immunoquiz.store import Profile, ReviewEntry, Store
from immunoquiz.study import Filters, Session, home_summary, open_session, overview, stats

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
TOPICS = ("checkpoints", "tnbc", "treatment-comparisons", "adverse-events")


def make_banks(n_items: int) -> list[Bank]:
    per_topic = -(-n_items // len(TOPICS))
    banks = []
    for t, topic in enumerate(TOPICS):
        items = tuple(
            SingleItem(
                id=f"q{i}",
                prompt=f"Question {i}?",
                options=(Option("Right", True), Option("Wrong")),
                explanation="Because.",
            )
            for i in range(t * per_topic, min(n_items, (t + 1) * per_topic))
        )
        banks.append(Bank(id=f"bench-{topic}", title=topic, topic=topic, questions=items))
    return banks


def populate(store: Store, banks: list[Bank], n_cards: int, n_reviews: int, rng: random.Random):  # type: ignore[no-untyped-def]
    profile = store.create_profile("bench", NOW - timedelta(days=400))
    scheduler = scheduling.make_scheduler()
    card_ids = [b.card_id(q) for b in banks for q in b.questions][:n_cards]
    per_card = max(1, n_reviews // len(card_ids))
    written = 0
    with store.write(profile) as tx:
        for k, card_id in enumerate(card_ids):
            count = per_card + (1 if k < n_reviews - per_card * len(card_ids) else 0)
            t = NOW - timedelta(days=rng.uniform(30, 365))
            card = scheduling.new_card(t)
            for n in range(count):
                rating = scheduling.Rating.Good if rng.random() < 0.85 else scheduling.Rating.Again
                card, _log = scheduling.review(scheduler, card, rating, t, 5.0)
                if n == count - 1:
                    # A fifth of the cards are due now, the rest over the coming months.
                    due_now = rng.random() < 0.2
                    card.due = NOW + (
                        -timedelta(hours=rng.uniform(1, 500)) if due_now
                        else timedelta(days=rng.uniform(0.1, 120))
                    )  # fmt: skip
                score = Score(float(rating == scheduling.Rating.Good), 1.0, "correct/incorrect")
                entry = ReviewEntry(
                    card_id, "bench", t, "study", SingleResponse(0), score, 5000, int(rating)
                )
                tx.review(entry, state=scheduling.card_to_json(card), due=card.due)
                written += 1
                t = t + timedelta(days=rng.uniform(0.5, 20))
    return profile, written


def built_profile(
    folder: Path, banks: list[Bank], args: argparse.Namespace, rng: random.Random
) -> tuple[Profile, int]:
    """Build the profile in `folder`, or copy the one a run of the same size kept in
    `--keep-db` (with the random state after building, so the run goes on the same)."""
    keep: Path | None = args.keep_db
    name = f"engine-{args.reviews}r-{args.cards}c-{args.unseen}u"
    if keep is not None and (keep / f"{name}.sqlite3").exists():
        shutil.copyfile(keep / f"{name}.sqlite3", folder / "progress.sqlite3")
        saved = json.loads((keep / f"{name}.json").read_text())
        rng.setstate((saved["rng"][0], tuple(saved["rng"][1]), saved["rng"][2]))
        with Store.open(folder) as store:
            profile = store.get_profile("bench")
        assert profile is not None
        return profile, int(saved["written"])
    with Store.open(folder) as store:
        profile, written = populate(store, banks, args.cards, args.reviews, rng)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / "progress.sqlite3", keep / f"{name}.sqlite3")
        state = {"written": written, "rng": rng.getstate()}
        (keep / f"{name}.json").write_text(json.dumps(state))
    return profile, written


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def bare_insert_commit(folder: Path, samples: int) -> list[float]:
    conn = sqlite3.connect(folder / "baseline.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, ts TEXT, payload TEXT)")
    times = []
    for i in range(samples):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (ts, payload) VALUES (?, ?)", (str(i), '{"kind": "single"}'))
        conn.execute("COMMIT")
        times.append(time.perf_counter() - start)
    conn.close()
    return times


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def bare_stats_reads(conn: sqlite3.Connection, profile_id: int) -> None:
    conn.execute("SELECT count(*) FROM reviews WHERE profile_id = ?", (profile_id,)).fetchone()
    bare_card_read(conn, profile_id)


def bare_card_read(conn: sqlite3.Connection, profile_id: int) -> None:
    conn.execute("SELECT card_id, due FROM cards WHERE profile_id = ?", (profile_id,)).fetchall()


def home_by_parts(store: Store, profile: Profile, banks: list[Bank], now: datetime) -> None:
    """What the home screen asked for one call at a time before `home_summary`."""
    overview(store, profile, banks, now)
    stats(store, profile, banks, now)
    probe = open_session(store, profile, banks, mode="study", filters=Filters(), now=lambda: now)
    probe.counts()
    probe.next_due()


def time_session(
    session: Session, samples: int, rng: random.Random, clock: list[datetime]
) -> tuple[list[float], list[float]]:
    """Next-item and answer times (seconds) for `samples` answers, 85 % right."""
    next_times, answer_times = [], []
    for _ in range(samples):
        start = time.perf_counter()
        card = session.next()
        next_times.append(time.perf_counter() - start)
        assert card is not None
        response = SingleResponse(0 if rng.random() < 0.85 else 1)
        start = time.perf_counter()
        session.answer(card, response, 4.0)
        answer_times.append(time.perf_counter() - start)
        clock[0] += timedelta(seconds=5)
    return next_times, answer_times


def vs_anki(
    folder: Path, args: argparse.Namespace, ours: dict[bool, tuple[list[float], list[float]]]
) -> None:
    """Build the same collection in Anki, time it durable and not, print both engines' figures."""
    import anki_side  # the `bench` extra; only this option needs it

    print(f"vs Anki ({args.cards:,} cards, {args.reviews:,} reviews, {args.unseen:,} unseen, "
          f"{args.samples} samples each; ratio = ours / Anki's)")  # fmt: skip
    print(f"{'':34}{'p50 ms':>9}{'p99 ms':>9}{'p50 ratio':>11}{'p99 ratio':>11}")
    for durable in (True, False):
        settings, a_next, a_answer, _setup = anki_side.measure(
            folder, args.cards, args.unseen, args.reviews, args.samples, durable=durable
        )
        o_next, o_answer = ours[durable]
        label = "durable" if durable else "not durable"
        ours_sync = "synchronous=FULL" if durable else "synchronous=OFF"
        print(f"{label}: Anki {settings}; ours journal_mode=wal, {ours_sync}")
        for what, o, a in (("next card", o_next, a_next), ("answer", o_answer, a_answer)):
            a50, a99 = pct(a, 0.5), pct(a, 0.99)
            o50, o99 = pct(o, 0.5), pct(o, 0.99)
            print(f"{'  Anki ' + what:34}{a50 * 1000:9.3f}{a99 * 1000:9.3f}")
            print(f"{'  ours ' + what:34}{o50 * 1000:9.3f}{o99 * 1000:9.3f}"
                  f"{o50 / a50:11.2f}{o99 / a99:11.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--unseen", type=int, default=1_000, help="items never studied")
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--stats-runs", type=int, default=15, help="runs of stats() and overview()")
    parser.add_argument("--vs-anki", action="store_true", help="time Anki's engine beside ours")
    parser.add_argument("--keep-db", type=Path, help="keep the built profile here and reuse it")
    args = parser.parse_args()
    rng = random.Random(1)

    with tempfile.TemporaryDirectory(prefix="immunoquiz-bench-") as tmp:
        folder = Path(tmp)
        banks = make_banks(args.cards + args.unseen)
        t0 = time.perf_counter()
        profile, written = built_profile(folder, banks, args, rng)
        setup_s = time.perf_counter() - t0
        size_mb = (folder / "progress.sqlite3").stat().st_size / 1e6

        t0 = time.perf_counter()
        store = Store.open(folder)  # includes PRAGMA quick_check
        open_s = time.perf_counter() - t0

        clock = [NOW]
        session = open_session(
            store, profile, banks, now=lambda: clock[0], new_limit=args.samples, seed=1
        )
        next_times, answer_times = time_session(session, args.samples, rng, clock)
        fast_next, fast_answer = [], []
        if args.vs_anki:
            # The same session again without the fsync, to compare with Anki's synchronous=OFF.
            store.conn.execute("PRAGMA synchronous = OFF")
            fast_next, fast_answer = time_session(session, args.samples, rng, clock)
            store.conn.execute("PRAGMA synchronous = FULL")
        t0 = time.perf_counter()
        stats(store, profile, banks, clock[0])
        stats_s = time.perf_counter() - t0
        # Repeated runs for p50s: statistics and the home screen's per-bank counts,
        # each beside the bare SQLite reads they cannot avoid (same connection, same run).
        stats_times = timed(lambda: stats(store, profile, banks, clock[0]), args.stats_runs)
        home_times = timed(lambda: overview(store, profile, banks, clock[0]), args.stats_runs)
        stats_base = timed(lambda: bare_stats_reads(store.conn, profile.id), args.stats_runs)
        home_base = timed(lambda: bare_card_read(store.conn, profile.id), args.stats_runs)
        # Everything the home screen shows: one read, and the five calls it replaced.
        home_all = timed(lambda: home_summary(store, profile, banks, clock[0]), args.stats_runs)
        home_five = timed(lambda: home_by_parts(store, profile, banks, clock[0]), args.stats_runs)
        store.close()
        baseline = bare_insert_commit(folder, args.samples)

    base50, base99 = pct(baseline, 0.5), pct(baseline, 0.99)
    print(f"profile: {written:,} reviews, {args.cards:,} cards, {args.unseen:,} unseen items; "
          f"file {size_mb:.1f} MB (built in {setup_s:.1f} s)")  # fmt: skip
    print(f"open with quick_check: {open_s * 1000:.1f} ms;  stats(): {stats_s * 1000:.1f} ms")
    print(f"{'':34}{'p50 ms':>9}{'p99 ms':>9}{'p50 ratio':>11}{'p99 ratio':>11}")
    rows = [("bare insert + commit (baseline)", baseline), ("next item (Session.next)", next_times),
            ("record answer (Session.answer)", answer_times)]  # fmt: skip
    for label, values in rows:
        p50, p99 = pct(values, 0.5), pct(values, 0.99)
        ratios = f"{p50 / base50:11.2f}{p99 / base99:11.2f}"
        print(f"{label:34}{p50 * 1000:9.3f}{p99 * 1000:9.3f}{ratios}")
    print(f"mean next: {statistics.fmean(next_times) * 1000:.3f} ms, "
          f"mean answer: {statistics.fmean(answer_times) * 1000:.3f} ms "
          f"over {args.samples} samples")  # fmt: skip
    print(f"{'':34}{'p50 ms':>9}{'target':>9}{'baseline':>10}{'ratio':>8}")
    for label, values, base, target in (
        ("stats() (statistics screen)", stats_times, stats_base, 50),
        ("home counts (overview)", home_times, home_base, 20),
        ("home screen (home_summary)", home_all, home_base, 20),
    ):
        p50, b50 = pct(values, 0.5), pct(base, 0.5)
        print(f"{label:34}{p50 * 1000:9.1f}{'<=' + str(target):>9}{b50 * 1000:10.1f}"
              f"{p50 / b50:8.2f}")  # fmt: skip
    print("stats baseline: count the log + list card due times; home baseline: list card due "
          f"times (bare SQLite, same file); {args.stats_runs} runs each")  # fmt: skip
    print(f"home screen as five calls (overview, stats, a probe session's counts and next "
          f"due), as before home_summary: p50 {pct(home_five, 0.5) * 1000:.1f} ms")  # fmt: skip
    if args.vs_anki:
        with tempfile.TemporaryDirectory(prefix="immunoquiz-bench-anki-") as tmp:
            ours = {True: (next_times, answer_times), False: (fast_next, fast_answer)}
            vs_anki(Path(tmp), args, ours)


if __name__ == "__main__":
    main()
