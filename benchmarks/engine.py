"""Engine benchmark: picking the next item and recording an answer on a big profile.

With a 100,000-review log and 10,000 studied cards (plus unseen items), time
`Session.next()` and `Session.answer()` (p50 and p99), each against a bare SQLite
insert-and-commit on a file with the same settings (WAL, synchronous=FULL),
measured in the same run, and print the ratios. Absolute times depend on the
disk; the ratios say what the engine adds on top of one durable commit.

    .venv/bin/python benchmarks/engine.py [--reviews N] [--cards N] [--samples N] [--vs-anki]
        [--block N] [--cache DIR]

With --vs-anki, the same collection is also built in Anki (benchmarks/anki_side.py,
needs the `bench` extra) and both engines are timed in this run, twice: both durable
(ours synchronous=FULL, Anki's default FULL; one commit per answer each) and both
not (synchronous=OFF on both), with the ratios ours / Anki's. The two engines take
turns, --block reviews each, so that a neighbour's load on a shared machine falls on
both alike. --cache DIR keeps the built profile and Anki's collection there and copies
them on later runs (building them takes a minute at the default size).
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
from immunoquiz.store.db import DB_NAME
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


def timed(fn: Callable[[], object], runs: int, cpu: list[float] | None = None) -> list[float]:
    """Wall times (seconds) of `runs` calls; with `cpu`, their CPU times are added to it."""
    times = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
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
    session: Session,
    samples: int,
    rng: random.Random,
    clock: list[datetime],
    answer_cpu: list[float] | None = None,
) -> tuple[list[float], list[float]]:
    """Next-item and answer times (seconds) for `samples` answers, 85 % right; with
    `answer_cpu`, the answers' CPU times are added to it."""
    next_times, answer_times = [], []
    for _ in range(samples):
        start = time.perf_counter()
        card = session.next()
        next_times.append(time.perf_counter() - start)
        assert card is not None
        response = SingleResponse(0 if rng.random() < 0.85 else 1)
        start, start_cpu = time.perf_counter(), time.process_time()
        session.answer(card, response, 4.0)
        answer_times.append(time.perf_counter() - start)
        if answer_cpu is not None:
            answer_cpu.append(time.process_time() - start_cpu)
        clock[0] += timedelta(seconds=5)
    return next_times, answer_times


def vs_anki(
    folder: Path,
    args: argparse.Namespace,
    store: Store,
    session: Session,
    clock: list[datetime],
) -> list[str]:
    """Build the same collection in Anki and time both engines, durable and not, interleaved.

    Ours and Anki's take turns, `--block` reviews each, so a neighbour's load on a
    shared machine falls on both alike. Returns the lines to print.
    """
    import anki_side  # the `bench` extra; only this option needs it

    rng, a_rng = random.Random(3), random.Random(3)
    lines = [
        f"vs Anki ({args.cards:,} cards, {args.reviews:,} reviews, {args.unseen:,} unseen, "
        f"{args.samples} samples each; ratio = ours / Anki's)",
        f"{'':34}{'p50 ms':>9}{'p99 ms':>9}{'p50 ratio':>11}{'p99 ratio':>11}",
    ]  # fmt: skip
    reused = False
    for durable in (True, False):
        col, settings, from_cache = anki_side.prepare(
            folder, args.cards, args.unseen, args.reviews, durable=durable, cache=args.cache
        )
        reused = reused or from_cache
        store.conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'OFF'}")
        o_next: list[float] = []
        o_answer: list[float] = []
        a_next: list[float] = []
        a_answer: list[float] = []
        o_cpu: list[float] = []
        a_cpu: list[float] = []
        try:
            for done in range(0, args.samples, args.block):
                n = min(args.block, args.samples - done)
                times = time_session(session, n, rng, clock, o_cpu)
                o_next += times[0]
                o_answer += times[1]
                times = anki_side.run(col, n, a_rng, a_cpu)
                a_next += times[0]
                a_answer += times[1]
        finally:
            col.close()
            store.conn.execute("PRAGMA synchronous = FULL")
        label = "durable" if durable else "not durable"
        ours_sync = "synchronous=FULL" if durable else "synchronous=OFF"
        lines.append(f"{label}: Anki {settings}; ours journal_mode=wal, {ours_sync}")
        for what, o, a in (("next card", o_next, a_next), ("answer", o_answer, a_answer)):
            a50, a99 = pct(a, 0.5), pct(a, 0.99)
            o50, o99 = pct(o, 0.5), pct(o, 0.99)
            lines.append(f"{'  Anki ' + what:34}{a50 * 1000:9.3f}{a99 * 1000:9.3f}")
            lines.append(f"{'  ours ' + what:34}{o50 * 1000:9.3f}{o99 * 1000:9.3f}"
                         f"{o50 / a50:11.2f}{o99 / a99:11.2f}")  # fmt: skip
        # CPU time (user + system) of the same answers: what a neighbour's load hardly moves.
        a50, o50 = pct(a_cpu, 0.5), pct(o_cpu, 0.5)
        lines.append(f"  answer CPU p50: Anki {a50 * 1000:.3f} ms, ours {o50 * 1000:.3f} ms, "
                     f"ratio {o50 / a50:.2f}")  # fmt: skip
    lines.append(
        f"interleaved: {args.block} reviews of ours, then {args.block} of Anki's, in turn"
        + ("; Anki's collection copied from --cache" if reused else "")
    )
    return lines


def build_profile(
    folder: Path, banks: list[Bank], args: argparse.Namespace
) -> tuple[int, float, bool]:
    """The big profile in `folder` (reviews written, seconds it took to build, reused).

    With --cache, it is built once into the cache folder (keyed by its size) and
    copied from there on later runs; the build is deterministic (fixed clock and seed).
    """
    path = folder / DB_NAME
    if args.cache is None:
        t0 = time.perf_counter()
        with Store.open(folder) as store:
            _profile, written = populate(store, banks, args.cards, args.reviews, random.Random(1))
        return written, time.perf_counter() - t0, False
    kept = args.cache / f"ours-{args.cards}-{args.unseen}-{args.reviews}"
    if not (kept / "built.json").exists():
        shutil.rmtree(kept, ignore_errors=True)
        written, setup_s, _ = build_profile(kept, banks, argparse.Namespace(**{
            **vars(args), "cache": None}))  # fmt: skip
        (kept / "built.json").write_text(json.dumps({"written": written, "setup_s": setup_s}))
        reused = False
    else:
        reused = True
    shutil.copyfile(kept / DB_NAME, path)
    meta = json.loads((kept / "built.json").read_text())
    return int(meta["written"]), float(meta["setup_s"]), reused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--unseen", type=int, default=1_000, help="items never studied")
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--stats-runs", type=int, default=15, help="runs of stats() and overview()")
    parser.add_argument("--vs-anki", action="store_true", help="time Anki's engine beside ours")
    parser.add_argument(
        "--block", type=int, default=10,
        help="with --vs-anki: reviews each engine does before the other takes its turn",
    )  # fmt: skip
    parser.add_argument(
        "--cache", type=Path,
        help="keep the built profile (and Anki's collections) in this folder and reuse them",
    )  # fmt: skip
    args = parser.parse_args()
    if args.block < 1:
        parser.error("--block must be at least 1")
    rng = random.Random(2)

    with tempfile.TemporaryDirectory(prefix="immunoquiz-bench-") as tmp:
        folder = Path(tmp)
        banks = make_banks(args.cards + args.unseen)
        written, setup_s, reused = build_profile(folder, banks, args)
        size_mb = (folder / DB_NAME).stat().st_size / 1e6

        t0 = time.perf_counter()
        store = Store.open(folder)  # includes PRAGMA quick_check
        open_s = time.perf_counter() - t0
        profile = store.get_profile("bench")
        assert profile is not None

        clock = [NOW]
        # Enough new cards allowed for every sample, whatever the due ones run out at.
        session = open_session(
            store, profile, banks, now=lambda: clock[0], new_limit=3 * args.samples, seed=1
        )
        next_times, answer_times = time_session(session, args.samples, rng, clock)
        anki_lines = vs_anki(folder, args, store, session, clock) if args.vs_anki else []
        t0 = time.perf_counter()
        stats(store, profile, banks, clock[0])
        stats_s = time.perf_counter() - t0
        # Repeated runs for p50s: statistics and the home screen's per-bank counts,
        # each beside the bare SQLite reads they cannot avoid (same connection, same run).
        cpu: dict[str, list[float]] = {"stats": [], "overview": [], "home_summary": []}
        stats_times = timed(
            lambda: stats(store, profile, banks, clock[0]), args.stats_runs, cpu["stats"]
        )
        home_times = timed(
            lambda: overview(store, profile, banks, clock[0]), args.stats_runs, cpu["overview"]
        )
        stats_base = timed(lambda: bare_stats_reads(store.conn, profile.id), args.stats_runs)
        home_base = timed(lambda: bare_card_read(store.conn, profile.id), args.stats_runs)
        # Everything the home screen shows: one read, and the five calls it replaced.
        home_all = timed(
            lambda: home_summary(store, profile, banks, clock[0]),
            args.stats_runs,
            cpu["home_summary"],
        )
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
    print("CPU p50 (user + system, same runs): " + ", ".join(
        f"{name} {pct(values, 0.5) * 1000:.1f} ms" for name, values in cpu.items()))  # fmt: skip
    if reused:
        print(f"profile copied from --cache {args.cache} (built there once)")
    for line in anki_lines:
        print(line)


if __name__ == "__main__":
    main()
