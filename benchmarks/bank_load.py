"""How fast banks load, against baselines measured in the same run.

    .venv/bin/python benchmarks/bank_load.py [--sizes 100,1000,10000] [--runs 5]

Generates banks of mixed item types into a temporary folder and prints, per size:

- cold: `immunoquiz.banks.load(path, use_cache=False)` (read, hash, compose, check,
  build) against `yaml.load(text, Loader=CSafeLoader)` of the same file, which checks
  nothing and locates nothing. Target ratio <= 1.3. The loader pauses the cyclic GC
  while it builds; the baseline is shown both as PyYAML ships (GC on) and with GC off,
  so the part of the ratio that comes from the pause is visible.
- warm: `load(path)` with the cache filled (read, hash, verify, decode, build
  objects) against `json.loads` of the cache entry's JSON. Target ratio <= 3.
- peak memory of each, with tracemalloc (separate runs, since tracing slows them).

Times are medians of several runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml

WORDS = (
    "pembrolizumab atezolizumab PD-1 PD-L1 CTLA-4 T-cells colitis pneumonitis hepatitis "
    "thyroiditis grade infusion nurse assess steroids hold resume baseline stools rash "
    "fatigue cortisol TSH ALT triple-negative neoadjuvant adjuvant chemotherapy response"
).split()


def _words(r: random.Random, n: int) -> str:
    return " ".join(r.choice(WORDS) for _ in range(n))


def generate(n_items: int, seed: int = 1) -> str:
    """A valid bank of `n_items` items cycling through every item type."""
    r = random.Random(seed)
    w = lambda n: _words(r, n)  # noqa: E731
    out = [
        "format: 1",
        "bank:",
        f"  id: bench-{n_items}",
        "  title: Benchmark bank",
        "  topic: checkpoints",
        "  sources:",
        '    ref1: {cite: "Schmid P et al. N Engl J Med 2020;382:810-821", '
        "url: https://doi.org/10.1056/NEJMoa1910549}",
        "questions:",
    ]
    for i in range(n_items):
        kind = i % 8
        out.append(f"  - id: q{i}")
        if kind in (0, 1):
            out.append(f"    type: {'single' if kind == 0 else 'multiple'}")
            out.append(f"    prompt: {w(12)}?")
            out.append("    options:")
            for j in range(4):
                correct = ", correct: true" if j == 0 or (kind == 1 and j == 2) else ""
                out.append(f"      - {{text: {w(4)}{correct}, why: {w(8)}}}")
        elif kind == 2:
            out += ["    type: true_false", f"    statement: {w(12)}", "    answer: true"]
        elif kind == 3:
            out += ["    type: cloze", f"    text: {w(6)} {{{{pembrolizumab|keytruda}}}} {w(6)}"]
        elif kind == 4:
            out += ["    type: order", f"    prompt: {w(8)}", "    items:"]
            out += [f"      - step {j} {w(3)}" for j in range(4)]
        elif kind == 5:
            out += [
                "    type: match",
                f"    prompt: {w(8)}",
                "    rows: [Colitis, Pneumonitis, Hepatitis]",
                "    columns: [Hold, Continue]",
                "    answer: {Colitis: Hold, Pneumonitis: Hold, Hepatitis: Continue}",
            ]
        elif kind == 6:
            out += ["    type: bowtie", f"    prompt: {w(8)}"]
            for name, n_correct in (("conditions", 1), ("actions", 2), ("parameters", 2)):
                out.append(f"    {name}:")
                for j in range(4):
                    mark = ", correct: true" if j < n_correct else ""
                    out.append(f"      - {{text: {w(3)}{mark}}}")
        else:
            out += ["    type: case", f"    vignette: {w(20)}", "    parts:"]
            for j in range(2):
                out += [
                    f"      - id: p{j}",
                    "        type: single",
                    f"        prompt: {w(8)}?",
                    "        options:",
                    f"          - {{text: {w(3)}, correct: true}}",
                    f"          - {{text: {w(3)}, why: {w(6)}}}",
                    f"        explanation: {w(10)}",
                ]
        out.append(f"    explanation: {w(15)}")
        out.append("    sources: [ref1]")
    return "\n".join(out) + "\n"


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def peak_bytes(fn: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def without_gc(fn: Callable[[], object]) -> Callable[[], object]:
    def run() -> object:
        gc.disable()
        try:
            return fn()
        finally:
            gc.enable()

    return run


def measure(n: int, folder: Path, runs: int) -> tuple:
    """Times and peak memory of one bank size, with its baselines."""
    from immunoquiz.banks import cache, load

    path = folder / f"bench-{n}.yaml"
    text = generate(n)
    path.write_text(text, encoding="utf-8")

    def safe_load() -> object:
        return yaml.load(text, Loader=yaml.CSafeLoader)

    cold = median_time(lambda: load(path, use_cache=False), runs)
    base = median_time(safe_load, runs)
    base_nogc = median_time(without_gc(safe_load), runs)

    bank = load(path)  # fills the cache
    payload = cache.entry_path(bank.content_hash).read_bytes().partition(b"\n")[2]
    assert load(path) == bank
    warm = median_time(lambda: load(path), runs)
    base_json = median_time(lambda: json.loads(payload), runs)

    mem_cold = peak_bytes(lambda: load(path, use_cache=False))
    mem_base = peak_bytes(safe_load)
    mem_warm = peak_bytes(lambda: load(path))
    return (n, len(text), cold, base, base_nogc, warm, base_json, mem_cold, mem_base, mem_warm)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["IMMUNOQUIZ_CACHE"] = str(Path(tmp) / "cache")
        rows = [
            measure(n, Path(tmp), args.runs if n < 10_000 else max(3, args.runs // 2))
            for n in (int(s) for s in args.sizes.split(","))
        ]

    print(
        f"Python {sys.version.split()[0]}, PyYAML {yaml.__version__}, "
        f"libyaml {'yes' if yaml.__with_libyaml__ else 'no'}; medians of {args.runs} runs"
    )
    head = (
        f"{'items':>6} {'MiB':>5} | {'cold':>8} {'yaml.load':>9} {'ratio':>5} "
        f"{'(GC off)':>9} {'ratio':>5} | {'warm':>8} {'json':>8} {'ratio':>5} | "
        f"{'peak cold':>9} {'yaml.load':>9} {'warm':>7}"
    )
    print(head)
    print("-" * len(head))
    for n, size, cold, base, base_nogc, warm, bjson, mc, mb, mw in rows:
        print(
            f"{n:>6} {size / 2**20:>5.2f} | {cold * 1e3:>6.1f}ms {base * 1e3:>7.1f}ms "
            f"{cold / base:>5.2f} {base_nogc * 1e3:>7.1f}ms {cold / base_nogc:>5.2f} | "
            f"{warm * 1e3:>6.1f}ms {bjson * 1e3:>6.1f}ms {warm / bjson:>5.2f} | "
            f"{mc / 2**20:>7.1f}Mi {mb / 2**20:>7.1f}Mi {mw / 2**20:>5.1f}Mi"
        )
    print("targets: cold/yaml.load <= 1.3, warm/json.loads <= 3")
    return 0


if __name__ == "__main__":
    sys.exit(main())
