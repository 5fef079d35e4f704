"""SIGHUP and SIGTERM mid-exam save the attempt as interrupted; the same command resumes it."""

from __future__ import annotations

import json
import re
import signal
import sys
from pathlib import Path

import pytest
from engine_cli import Live

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGHUP is POSIX")

BANK_YAML = """\
format: 1
bank:
  id: sig
  title: Signals
  topic: checkpoints
questions:
  - id: one
    type: single
    prompt: Which cells carry PD-1?
    options:
      - {text: Activated T cells, correct: true}
      - {text: Platelets}
    explanation: T cells.
  - id: two
    type: true_false
    statement: Pembrolizumab blocks PD-1.
    answer: true
    explanation: It does.
"""
SESSION_YAML = """\
format: 1
session:
  title: Signal check
  time_limit: 30
  shuffle: false
  bank_files: [sig.yaml]
  items: [sig/one, sig/two]
"""
KEPT = re.compile(r"^Answer to question 1 kept\.")
QUESTION_2 = re.compile(r"^Question 2 of 2")


def exam(tmp_path: Path) -> Live:
    """The exam started in `tmp_path` (the bank and session files written the first time)."""
    for name, text in (("sig.yaml", BANK_YAML), ("check.yaml", SESSION_YAML)):
        if not (tmp_path / name).exists():
            (tmp_path / name).write_text(text, encoding="utf-8")
    # No --banks: the session file names its bank file.
    return Live(
        tmp_path, "exam", str(tmp_path / "check.yaml"), "--name", "Ana", "--plain",
        "--results-dir", str(tmp_path / "results"),
    )  # fmt: skip


def results(tmp_path: Path) -> dict:
    (path,) = (tmp_path / "results").glob("*.json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_signal_mid_exam_saves_it_and_the_same_command_resumes(
    tmp_path: Path, signum: int
) -> None:
    live = exam(tmp_path)
    live.send("1\n")
    assert live.read_until(KEPT), live.stdout
    assert live.read_until(QUESTION_2), live.stdout
    live.proc.send_signal(signum)
    live.proc.wait(timeout=20)
    live.drain()
    assert live.proc.returncode == 0, live.stdout
    assert live.proc.stderr is not None
    err = live.proc.stderr.read()
    assert "your attempt is saved but not submitted; run the same command to resume it" in err
    assert "Traceback" not in err
    first = results(tmp_path)
    assert first["status"] == "interrupted" and first["items"][0]["score"] == 1

    again = exam(tmp_path)
    again.send("true\n")
    again.send("s\n")
    again.send("y\n")
    again.proc.wait(timeout=20)
    again.drain()
    assert again.proc.returncode == 0, again.stdout
    assert "Resuming your attempt 1" in again.stdout
    final = results(tmp_path)  # one file: resumed, never restarted
    assert final["status"] == "submitted"
    assert (final["started"], final["deadline"]) == (first["started"], first["deadline"])
    assert [i["score"] for i in final["items"]] == [1, 1]


def test_a_second_window_on_an_open_attempt_is_refused_until_the_first_is_gone(
    tmp_path: Path,
) -> None:
    """Two processes never write one attempt; a killed one (SIGKILL) does not block forever."""
    first = exam(tmp_path)
    first.send("1\n")
    assert first.read_until(QUESTION_2), first.stdout

    second = exam(tmp_path)
    second.send("true\n")
    assert second.proc.stdin is not None
    second.proc.stdin.close()  # were it let in, it would answer, then save and end
    second.proc.wait(timeout=30)
    second.drain()
    assert second.proc.stderr is not None
    err = second.proc.stderr.read()
    assert second.proc.returncode == 1, err
    assert err.strip().splitlines() == [
        "immunoquiz exam: this attempt is open in another immunoquiz window "
        f"(process {first.proc.pid}): finish it there, or close that window and run this "
        "command again"
    ]
    assert results(tmp_path)["items"][1]["response"] is None  # the refused one wrote nothing

    first.proc.kill()  # no chance to clean up: the kernel drops the lock
    first.proc.wait(timeout=20)
    again = exam(tmp_path)
    again.send("true\ns\ny\n")
    again.proc.wait(timeout=30)
    again.drain()
    assert again.proc.returncode == 0, again.stdout
    assert "Resuming your attempt 1" in again.stdout
    assert [i["score"] for i in results(tmp_path)["items"]] == [1, 1]
