"""Helpers for the engine's subprocess tests: run `immunoquiz` in isolation, read its log."""

from __future__ import annotations

import os
import queue
import re
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BANK_DIR = REPO / "tests" / "data" / "engine"
BANK = ["--banks", str(BANK_DIR), "--bank", "engine-demo"]
QUESTION = re.compile(r"^Question \d+: .* \((engine-demo/q\d+)\)$")
FEEDBACK = re.compile(r"^(Correct|Incorrect|Partly correct): .*Saved")


def env(home: Path, now: str | None = None) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("IMMUNOQUIZ_")}
    e.update(
        IMMUNOQUIZ_HOME=str(home),
        IMMUNOQUIZ_CACHE=str(home / "cache"),
        TZ="UTC",  # "today" must not depend on the machine running the tests
        PYTHONUNBUFFERED="1",
    )
    if now:
        e["IMMUNOQUIZ_NOW"] = now
    return e


def command(*args: str) -> list[str]:
    # --ids: the plain headers name each item, which these tests read (QUESTION)
    ids = ["--ids"] if "--plain" in args and args[:1] in (("study",), ("practice",)) else []
    return [sys.executable, "-m", "immunoquiz.cli", *args, *ids]


def run(
    home: Path, *args: str, input: str = "", now: str | None = None
) -> subprocess.CompletedProcess[str]:  # noqa: A002
    return subprocess.run(
        command(*args), input=input, capture_output=True, text=True, env=env(home, now),
        timeout=60, cwd=REPO,
    )  # fmt: skip


def answered(stdout: str) -> list[str]:
    """Card ids whose feedback was printed, in order."""
    out, current = [], None
    for line in stdout.splitlines():
        if m := QUESTION.match(line):
            current = m.group(1)
        elif FEEDBACK.match(line):
            assert current, line
            out.append(current)
    return out


def served(stdout: str) -> list[str]:
    return [m.group(1) for line in stdout.splitlines() if (m := QUESTION.match(line))]


def log(home: Path) -> list[tuple[str, str, int]]:
    """(card_id, mode, undone) of every review row, read with plain sqlite3."""
    with sqlite3.connect(home / "progress.sqlite3") as conn:
        return conn.execute("SELECT card_id, mode, undone FROM reviews ORDER BY id").fetchall()


def integrity(home: Path) -> str:
    with sqlite3.connect(home / "progress.sqlite3") as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


class Live:
    """A running `immunoquiz ... --plain` we talk to line by line."""

    def __init__(self, home: Path, *args: str, now: str | None = None) -> None:
        self.proc = subprocess.Popen(
            command(*args), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, env=env(home, now), cwd=REPO, bufsize=1,
        )  # fmt: skip
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.transcript: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def read_until(self, pattern: re.Pattern[str], timeout: float = 30) -> str | None:
        while True:
            line = self.lines.get(timeout=timeout)
            if line is None:
                return None
            self.transcript.append(line)
            if pattern.match(line):
                return line

    def send(self, text: str) -> None:
        assert self.proc.stdin
        self.proc.stdin.write(text)
        self.proc.stdin.flush()

    def drain(self) -> None:
        """Everything printed up to now (after the process has ended)."""
        while True:
            try:
                line = self.lines.get(timeout=10)
            except queue.Empty:
                return
            if line is None:
                return
            self.transcript.append(line)

    @property
    def stdout(self) -> str:
        return "\n".join(self.transcript)
