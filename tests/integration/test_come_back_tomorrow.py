"""Study today, quit, come back tomorrow (IMMUNOQUIZ_NOW) and get exactly the due items."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from engine_cli import BANK, answered, run, served

DAY1 = "2026-11-27T09:00:00Z"
DAY1_LATER = "2026-11-27T09:30:00Z"
DAY2 = "2026-11-28T09:00:00Z"


def _due(home: Path, when: str) -> list[str]:
    """Card ids due at `when`, most overdue first, straight from the file."""
    now = datetime.fromisoformat(when).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with sqlite3.connect(home / "progress.sqlite3") as conn:
        rows = conn.execute(
            "SELECT card_id FROM cards WHERE due <= ? ORDER BY due, card_id", (now,)
        ).fetchall()
    return [r[0] for r in rows]


def _stats(home: Path, when: str) -> dict:  # type: ignore[type-arg]
    result = run(home, "stats", "--json", *BANK[:2], now=when)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_come_back_tomorrow(tmp_path: Path) -> None:
    study = ["study", "--plain", *BANK, "--new-limit", "3"]
    # Day 1, 09:00: three new items (the daily limit); one answered wrong. The miss comes
    # back in the same session (its learning step, shown early); quit there.
    day1 = run(tmp_path, *study, input="1\n2\n1\nq\n", now=DAY1)
    assert day1.returncode == 0, day1.stderr
    assert 'Created profile "default".' in day1.stdout
    assert answered(day1.stdout) == ["engine-demo/q1", "engine-demo/q2", "engine-demo/q3"]
    assert served(day1.stdout) == [*answered(day1.stdout), "engine-demo/q2"]
    assert (
        "Still learning (each comes back a few minutes after a miss):\n  1. Engine test question 2?"
        in day1.stdout
    )
    assert "\x1b" not in day1.stdout + day1.stderr  # plain text only, never ANSI

    # Day 1, 09:30: the three learning cards are due; no new items are left today.
    later = run(tmp_path, *study, input="1\n1\n1\n", now=DAY1_LATER)
    # q2 (Again: due 09:01) is more overdue than q1 and q3 (Good: due 09:10).
    assert served(later.stdout) == ["engine-demo/q2", "engine-demo/q1", "engine-demo/q3"]
    assert "Study session: 3 due now, 0 new available today." in later.stdout

    # Day 2: exactly the due items first (most overdue first), then 3 new ones.
    expected_due = _due(tmp_path, DAY2)
    assert expected_due, "something is due tomorrow"
    before = _stats(tmp_path, DAY2)
    assert before["due_now"] == len(expected_due)
    assert before["reviews_today"] == 0 and before["streak"] == 1
    n = len(expected_due) + 3
    day2 = run(tmp_path, *study, input="1\n" * n, now=DAY2)
    assert day2.returncode == 0, day2.stderr
    assert served(day2.stdout) == [*expected_due, "engine-demo/q4", "engine-demo/q5",
                                   "engine-demo/q6"]  # fmt: skip
    after = _stats(tmp_path, DAY2)
    assert after["reviews_today"] == len(answered(day2.stdout)) == n
    assert after["correct_today"] == n and after["streak"] == 2
    assert after["total_reviews"] == 3 + 3 + n
