"""Marks a learner puts on cards: suspended (never served) and flagged (a problem to report).

Both are per profile and leave the card's schedule alone: unsuspending a card
resumes it where it was.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable
from datetime import datetime

from immunoquiz.records import dataclass
from immunoquiz.store.db import from_db, to_db

MAX_NOTE = 500


@dataclass(frozen=True, slots=True)
class Flag:
    """A problem a learner reported on a card, and where the item was when they did."""

    card_id: str
    note: str
    ts: datetime
    bank_file: str | None = None
    line: int | None = None
    bank_hash: str | None = None


def check_note(note: str) -> str | None:
    """Why `note` cannot be a flag's note, or None. An empty note is refused: the
    educator reading the report needs to know what looked wrong."""
    if not note.strip():
        return "say in a few words what is wrong (the note is empty)"
    if len(note) > MAX_NOTE:
        return f"a note has at most {MAX_NOTE} characters (this one has {len(note)})"
    if any(unicodedata.category(c) == "Cc" for c in note):
        return "a note is one line of text, without control characters"
    return None


def suspended_ids(conn: sqlite3.Connection, profile_id: int) -> set[str]:
    rows = conn.execute("SELECT card_id FROM suspended WHERE profile_id = ?", (profile_id,))
    return {r[0] for r in rows}


def suspend(conn: sqlite3.Connection, profile_id: int, card_id: str, now: datetime) -> bool:
    """Suspend a card; False if it already was (its first time is kept)."""
    cur = conn.execute(
        "INSERT INTO suspended (profile_id, card_id, since) VALUES (?, ?, ?) "
        "ON CONFLICT (profile_id, card_id) DO NOTHING",
        (profile_id, card_id, to_db(now)),
    )
    return cur.rowcount > 0


def unsuspend(conn: sqlite3.Connection, profile_id: int, card_id: str) -> bool:
    """False if the card was not suspended."""
    cur = conn.execute(
        "DELETE FROM suspended WHERE profile_id = ? AND card_id = ?", (profile_id, card_id)
    )
    return cur.rowcount > 0


def put_flag(conn: sqlite3.Connection, profile_id: int, flag: Flag) -> None:
    """Flag a card (a second flag replaces the first: one note per card). ValueError for a
    note `check_note` refuses."""
    if reason := check_note(flag.note):
        raise ValueError(reason)
    conn.execute(
        "INSERT INTO flags (profile_id, card_id, note, ts, bank_file, line, bank_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (profile_id, card_id) DO UPDATE SET "
        "note = excluded.note, ts = excluded.ts, bank_file = excluded.bank_file, "
        "line = excluded.line, bank_hash = excluded.bank_hash",
        (profile_id, flag.card_id, flag.note, to_db(flag.ts), flag.bank_file, flag.line,
         flag.bank_hash),
    )  # fmt: skip


def remove_flag(conn: sqlite3.Connection, profile_id: int, card_id: str) -> bool:
    cur = conn.execute(
        "DELETE FROM flags WHERE profile_id = ? AND card_id = ?", (profile_id, card_id)
    )
    return cur.rowcount > 0


def flags(conn: sqlite3.Connection, profile_id: int, bad: Callable[[str], None]) -> list[Flag]:
    """The profile's flags, oldest first; a row with an unreadable time goes to `bad`."""
    out: list[Flag] = []
    for card_id, note, ts, bank_file, line, bank_hash in conn.execute(
        "SELECT card_id, note, ts, bank_file, line, bank_hash FROM flags"
        " WHERE profile_id = ? ORDER BY ts, card_id",
        (profile_id,),
    ):
        try:
            when = from_db(ts)
        except ValueError as exc:
            bad(f"flag on {card_id} skipped: {exc}")
            continue
        out.append(Flag(card_id, note, when, bank_file, line, bank_hash))
    return out
