"""How long `immunoquiz report` takes for a big class: 300 learners x 60 items.

Prints, measured in the same run, the time to read + check the results files, to
analyse them, and to render each output, next to the bare baseline of reading and
`json.loads`-ing the same files. Run: `.venv/bin/python benchmarks/report.py`.
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from immunoquiz.educator import analysis, render
from immunoquiz.educator.results import AttemptResult, ItemResult, read_results, write_results

LEARNERS, ITEMS, RUNS = 300, 60, 5


def make_class(folder: Path) -> None:
    rng = random.Random(1)
    start = datetime(2026, 11, 27, 9, tzinfo=UTC)
    difficulty = [rng.uniform(-2, 2) for _ in range(ITEMS)]
    for n in range(LEARNERS):
        ability = rng.gauss(0, 1)
        items = []
        for i in range(ITEMS):
            p = 1 / (1 + 2.718 ** -(ability - difficulty[i]))
            right = rng.random() < p
            choice = 0 if right else rng.choice([1, 2, 3])
            items.append(
                ItemResult(
                    id=f"bank/q{i:02d}",
                    type="single",
                    topic=("checkpoints", "tnbc", "adverse-events")[i % 3],
                    step=None,
                    score=1 if right else 0,
                    max=1,
                    seconds=rng.uniform(5, 60),
                    response={"kind": "single", "choice": choice},
                    options=("A", "B", "C", "D"),
                    picked=(choice,),
                )
            )
        attempt = AttemptResult(
            "Benchmark check",
            "h" * 64,
            f"Learner {n:03d}",
            start,
            start + timedelta(minutes=30),
            tuple(items),
            70.0,
            learner_id=f"learner-{n:03d}",
        )
        write_results(attempt, folder)


def best(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_class(folder)
        files = sorted(folder.glob("*.json"))
        baseline = best(lambda: [json.loads(p.read_text(encoding="utf-8")) for p in files])
        read = best(lambda: read_results([folder]))
        loaded = read_results([folder])
        analyse = best(lambda: analysis.analyse_loaded(loaded))
        report = analysis.analyse_loaded(loaded)
        outputs = {
            name: best(lambda f=f: f(report))
            for name, f in (
                ("table", render.to_text),
                ("csv", render.to_csv_tables),
                ("json", render.to_json),
                ("html", render.to_html),
            )
        }
        total = read + analyse + max(outputs.values())
        print(f"report over {LEARNERS} learners x {ITEMS} items (median of {RUNS} runs)")
        print(f"  baseline: read + json.loads of the {len(files)} files  {baseline * 1000:8.1f} ms")
        print(
            f"  read + check results                        {read * 1000:8.1f} ms"
            f"  ({read / baseline:.2f}x baseline)"
        )
        print(
            f"  item analysis                               {analyse * 1000:8.1f} ms"
            f"  ({analyse / baseline:.2f}x baseline)"
        )
        for name, t in outputs.items():
            print(f"  render {name:<5}                                {t * 1000:8.1f} ms")
        print(
            f"  whole report (slowest output)               {total * 1000:8.1f} ms"
            f"  ({total / baseline:.2f}x baseline)"
        )


if __name__ == "__main__":
    main()
