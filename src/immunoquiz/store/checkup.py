"""A read-only examination of a progress file, for `immunoquiz doctor`.

Everything runs on a `mode=ro` connection: the file and its `-wal` are never
changed, even when problems are found. Each problem is one line naming the row.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from immunoquiz.records import dataclass, field
from immunoquiz.store.db import from_db, read_only_check
from immunoquiz.store.errors import StoreError, from_sqlite_error, one_line
from immunoquiz.store.progress import check_file
from immunoquiz.store.schema import SCHEMA_VERSION

# A row problem list is cut here: a file broken everywhere needs one message, not 100,000.
MAX_LISTED = 50


@dataclass
class Checkup:
    path: Path
    schema: int = 0
    profiles: int = 0
    cards: int = 0
    reviews: int = 0
    problems: list[str] = field(default_factory=list)
    more: int = 0  # problems found beyond MAX_LISTED


def checkup(path: Path, check_state: Callable[[str], str | None]) -> Checkup:
    """Examine the file at `path`; StoreError if it cannot be opened at all.

    `check_state(json_text)` says why a card's scheduler state is unusable (or None).
    """
    check_file(path)  # refusals (damaged, not ours, newer, FIFO) are StoreErrors
    result = Checkup(path)
    with read_only_check(path, tidy=True) as conn:
        try:
            _examine(conn, result, check_state)
        except sqlite3.Error as exc:
            raise from_sqlite_error(exc, path, "cannot examine the progress file") from exc
    return result


def _examine(
    conn: sqlite3.Connection, out: Checkup, check_state: Callable[[str], str | None]
) -> None:
    def problem(text: str) -> None:
        if len(out.problems) < MAX_LISTED:
            out.problems.append(text)
        else:
            out.more += 1

    out.schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if out.schema < SCHEMA_VERSION and out.schema:
        problem(
            f"schema {out.schema}: the next immunoquiz that writes to it will upgrade it "
            f"to {SCHEMA_VERSION} (after a backup)"
        )
    for line in conn.execute("PRAGMA integrity_check"):
        if line[0] != "ok":
            problem(f"integrity check: {one_line(line[0])}")
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        problem(f"{table} row {rowid} refers to a missing {parent} row")
    if "profiles" not in tables:
        return
    out.profiles = int(conn.execute("SELECT count(*) FROM profiles").fetchone()[0])
    for pid, name, created in conn.execute("SELECT id, name, created FROM profiles"):
        for why in _bad_time(created):
            problem(f"profile {pid} ({name!r}): creation {why}")
    out.cards = int(conn.execute("SELECT count(*) FROM cards").fetchone()[0])
    for card_id, state, due, introduced in conn.execute(
        "SELECT card_id, state, due, introduced FROM cards"
    ):
        for what, text in (("due", due), ("first studied", introduced)):
            for why in _bad_time(text):
                problem(f"card {card_id}: {what} {why}")
        if (why_state := check_state(state)) is not None:
            problem(f"card {card_id}: its scheduler state is unusable ({why_state})")
    out.reviews = int(conn.execute("SELECT count(*) FROM reviews").fetchone()[0])
    for rid, ts, prev_due, prev_introduced, response in conn.execute(
        "SELECT id, ts, prev_due, prev_introduced, response FROM reviews ORDER BY id"
    ):
        for what, text in (("time", ts), ("previous due", prev_due),
                           ("previous first-studied", prev_introduced)):  # fmt: skip
            if text is not None:
                for why in _bad_time(text):
                    problem(f"review {rid}: {what} {why}; it is skipped when read")
        try:
            json.loads(response)
        except ValueError:
            problem(f"review {rid}: its response is not readable JSON")
    for card_id, rid in conn.execute(
        "SELECT c.card_id, c.review_id FROM cards c JOIN reviews r ON r.id = c.review_id"
        " WHERE r.undone = 1"
    ):
        problem(f"card {card_id}: its state was written by review {rid}, which was undone")
    for table, column, what in (("suspended", "since", "suspension"), ("flags", "ts", "flag")):
        if table in tables:
            for card_id, text in conn.execute(f"SELECT card_id, {column} FROM {table}"):
                for why in _bad_time(text):
                    problem(f"card {card_id}: {what} time {why}")
    if "activity" in tables:
        mismatched = conn.execute(
            "SELECT count(*) FROM (SELECT profile_id, substr(ts, 1, 14) || printf('%02d',"
            " (CAST(substr(ts, 15, 2) AS INTEGER) / 15) * 15) AS slot, count(*) AS n"
            " FROM reviews WHERE undone = 0 AND mode IN ('study', 'practice')"
            " GROUP BY profile_id, slot) r"
            " FULL JOIN (SELECT * FROM activity WHERE answers > 0) a"
            " USING (profile_id, slot) WHERE r.n IS NOT a.answers"
        ).fetchone()[0]
        if mismatched:
            problem(f"answer counts per time slot disagree with the log in {mismatched} slot(s)")
    if "activity_days" in tables:
        mismatched = conn.execute(
            "SELECT count(*) FROM (SELECT profile_id, substr(slot, 1, 10) AS day,"
            " sum(answers) AS n, sum(full) AS f FROM activity GROUP BY profile_id, day) s"
            " FULL JOIN activity_days d USING (profile_id, day)"
            " WHERE coalesce(s.n, 0) IS NOT coalesce(d.answers, 0)"
            " OR coalesce(s.f, 0) IS NOT coalesce(d.full, 0)"
        ).fetchone()[0]
        if mismatched:
            problem(f"answer counts per day disagree with the time slots on {mismatched} day(s)")


def _bad_time(text: object) -> Iterator[str]:
    if not isinstance(text, str):
        yield f"is not a time ({text!r})"
        return
    try:
        from_db(text)
    except ValueError as exc:
        yield str(exc)


__all__ = ["MAX_LISTED", "Checkup", "StoreError", "checkup"]
