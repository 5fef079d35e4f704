"""benchmarks/engine.py --vs-anki: both engines timed in one run, the old lines kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_vs_anki_prints_both_engines_durable_and_not_after_the_existing_lines() -> None:
    tiny = ["--reviews", "300", "--cards", "100", "--unseen", "5", "--samples", "4"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "engine.py"), *tiny, "--vs-anki"],
        capture_output=True, text=True, env=env, timeout=300, check=True,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    # the lines other checks read are still there, in their order, before Anki's
    firsts = [line.split()[0] for line in lines[:6]]
    assert firsts == ["profile:", "open", "p50", "bare", "next", "record"]
    assert lines[6].startswith("mean next:")
    durable = next(line for line in lines if line.startswith("durable:"))
    assert "synchronous=2" in durable and "synchronous=FULL" in durable
    fast = next(line for line in lines if line.startswith("not durable:"))
    assert "synchronous=0" in fast and "synchronous=OFF" in fast
    for who in ("Anki", "ours"):
        for what in ("next card", "answer"):
            assert sum(line.split(what)[0].strip() == who for line in lines) >= 2
    ours = [line for line in lines if line.strip().startswith("ours ")]
    assert len(ours) == 4
    for line in ours:  # p50, p99 and both ratios are numbers
        assert all(float(x) >= 0 for x in line.split()[-4:])
