"""Trainee profiles (several trainees may share one lab computer) and their settings."""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime

from immunoquiz.records import dataclass
from immunoquiz.store.db import from_db, to_db
from immunoquiz.store.times import MIN_YEAR

MAX_NAME = 64


@dataclass(frozen=True, slots=True)
class Profile:
    id: int
    name: str
    created: datetime


def check_name(name: str) -> str | None:
    """Why `name` cannot be a profile name, or None."""
    if not name.strip():
        return "a profile name cannot be empty"
    if len(name) > MAX_NAME:
        return f"a profile name has at most {MAX_NAME} characters"
    if any(unicodedata.category(c).startswith("C") for c in name):
        return "a profile name cannot contain control characters"
    return None


# Stands in for a creation time that cannot be read: a profile is never hidden for it.
UNKNOWN_CREATED = datetime(MIN_YEAR, 1, 1, tzinfo=UTC)


def _row(row: tuple[int, str, str], bad: Callable[[str], None] | None) -> Profile:
    try:
        created = from_db(row[2])
    except ValueError as exc:
        if bad is None:
            raise
        bad(f"profile {row[1]!r}: creation {exc}")
        created = UNKNOWN_CREATED
    return Profile(row[0], row[1], created)


def list_profiles(
    conn: sqlite3.Connection, bad: Callable[[str], None] | None = None
) -> list[Profile]:
    rows = conn.execute("SELECT id, name, created FROM profiles ORDER BY name COLLATE NOCASE")
    return [_row(r, bad) for r in rows]


def get_profile(
    conn: sqlite3.Connection, name: str, bad: Callable[[str], None] | None = None
) -> Profile | None:
    row = conn.execute(
        "SELECT id, name, created FROM profiles WHERE name = ?", (name.strip(),)
    ).fetchone()
    return _row(row, bad) if row else None


def create_profile(conn: sqlite3.Connection, name: str, now: datetime) -> Profile:
    """Insert a profile; ValueError if the name is unusable or taken (case-insensitively)."""
    name = name.strip()
    if reason := check_name(name):
        raise ValueError(reason)
    try:
        cur = conn.execute("INSERT INTO profiles (name, created) VALUES (?, ?)", (name, to_db(now)))
    except sqlite3.IntegrityError as exc:
        raise ValueError(f"a profile named {name!r} already exists") from exc
    return Profile(int(cur.lastrowid or 0), name, from_db(to_db(now)))


def get_setting(conn: sqlite3.Connection, profile: Profile, key: str) -> str | None:
    row = conn.execute(
        "SELECT value FROM settings WHERE profile_id = ? AND key = ?", (profile.id, key)
    ).fetchone()
    return row[0] if row else None


def set_setting(conn: sqlite3.Connection, profile: Profile, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO settings (profile_id, key, value) VALUES (?, ?, ?) "
        "ON CONFLICT (profile_id, key) DO UPDATE SET value = excluded.value",
        (profile.id, key, value),
    )
