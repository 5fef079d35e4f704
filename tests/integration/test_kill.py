"""A plain-mode session killed with SIGKILL mid-run loses no answer whose feedback it printed."""

from __future__ import annotations

import random
import re
import signal
import sys
import time
from pathlib import Path

import pytest
from engine_cli import BANK, FEEDBACK, Live, answered, integrity, log, run

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
HINT = re.compile(r"^Answer: ")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_mid_session_keeps_every_confirmed_answer(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    confirmed: list[str] = []
    for _round in range(2):  # kill, restart on the same file, kill again
        live = Live(tmp_path, "practice", "--plain", *BANK, "--seed", str(seed))
        for _ in range(rng.randint(1, 3)):
            assert live.read_until(HINT), live.stdout
            live.send(rng.choice("12") + "\n")
            assert live.read_until(FEEDBACK), live.stdout
        # One more answer, and the kill lands while it is being saved or shown (or just after).
        assert live.read_until(HINT), live.stdout
        live.send(rng.choice("12") + "\n")
        time.sleep(rng.choice([0.0, rng.uniform(0, 0.003), rng.uniform(0, 0.03)]))
        live.proc.send_signal(signal.SIGKILL)
        live.proc.wait(timeout=10)
        assert live.proc.returncode == -signal.SIGKILL
        live.drain()
        confirmed += answered(live.stdout)

    rows = log(tmp_path)
    assert integrity(tmp_path) == "ok"
    logged = [card_id for card_id, mode, undone in rows if mode == "practice" and not undone]
    # Every answer whose feedback was printed is in the log (the killed one may be too).
    for card_id in set(confirmed):
        assert logged.count(card_id) >= confirmed.count(card_id)
    assert len(logged) - len(confirmed) in (0, 1, 2)
    # And the file still opens normally afterwards.
    stats = run(tmp_path, "stats", "--json", *BANK[:2])
    assert stats.returncode == 0, stats.stderr
    assert f'"total_reviews": {len(logged)}' in stats.stdout
