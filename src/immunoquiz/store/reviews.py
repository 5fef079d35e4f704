"""The append-only review log: every answer, in study and practice mode, with its score.

Rows are never deleted or rewritten (triggers enforce it); undo only sets `undone`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from immunoquiz.store.db import from_db, to_db


@dataclass(frozen=True, slots=True)
class ReviewRow:
    id: int
    profile_id: int
    card_id: str
    session: str
    ts: datetime
    mode: str  # "study" | "practice" | "exam"
    response: str  # JSON of responses.Response.to_json()
    points: float
    max: float
    rule: str
    duration_s: float | None
    rating: int | None  # fsrs Rating value; None in practice and exam mode
    undone: bool
    prev_state: str | None
    prev_due: datetime | None
    prev_introduced: datetime | None
    prev_review_id: int | None

    @property
    def full(self) -> bool:
        return self.max > 0 and self.points >= self.max


_COLUMNS = (
    "id, profile_id, card_id, session, ts, mode, response, points, max, rule, duration_s, "
    "rating, undone, prev_state, prev_due, prev_introduced, prev_review_id"
)


def _opt(text: str | None) -> datetime | None:
    return from_db(text) if text else None


def _row(r: tuple) -> ReviewRow:  # type: ignore[type-arg]
    return ReviewRow(
        r[0], r[1], r[2], r[3], from_db(r[4]), r[5], r[6], r[7], r[8], r[9], r[10], r[11],
        bool(r[12]), r[13], _opt(r[14]), _opt(r[15]), r[16],
    )  # fmt: skip


def add_review(
    conn: sqlite3.Connection,
    *,
    profile_id: int,
    card_id: str,
    session: str,
    ts: datetime,
    mode: str,
    response: str,
    points: float,
    max: float,
    rule: str,
    duration_s: float | None,
    rating: int | None,
    prev_state: str | None = None,
    prev_due: datetime | None = None,
    prev_introduced: datetime | None = None,
    prev_review_id: int | None = None,
) -> int:
    cur = conn.execute(
        "INSERT INTO reviews (profile_id, card_id, session, ts, mode, response, points, max, "
        "rule, duration_s, rating, prev_state, prev_due, prev_introduced, prev_review_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            profile_id, card_id, session, to_db(ts), mode, response, points, max, rule,
            duration_s, rating, prev_state, prev_due and to_db(prev_due),
            prev_introduced and to_db(prev_introduced), prev_review_id,
        ),
    )  # fmt: skip
    return int(cur.lastrowid or 0)


def get_review(conn: sqlite3.Connection, review_id: int) -> ReviewRow | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM reviews WHERE id = ?", (review_id,)).fetchone()
    return _row(row) if row else None


def list_reviews(
    conn: sqlite3.Connection,
    profile_id: int,
    *,
    since: datetime | None = None,
    include_undone: bool = False,
) -> list[ReviewRow]:
    """A profile's reviews in log order (oldest first)."""
    sql = f"SELECT {_COLUMNS} FROM reviews WHERE profile_id = ?"
    params: list[object] = [profile_id]
    if since is not None:
        sql += " AND ts >= ?"
        params.append(to_db(since))
    if not include_undone:
        sql += " AND undone = 0"
    return [_row(r) for r in conn.execute(sql + " ORDER BY id", params)]


def mark_undone(conn: sqlite3.Connection, review_id: int) -> None:
    conn.execute("UPDATE reviews SET undone = 1 WHERE id = ?", (review_id,))


def activity(conn: sqlite3.Connection, profile_id: int) -> list[tuple[datetime, int, int]]:
    """(start of a 15-minute slot, answers, full-credit answers) for every slot with answers.

    Study and practice answers only: an exam answer (which may be changed several
    times before submitting) is not a review.

    Grouped in SQL so a long history stays cheap; 15 minutes because every time
    zone's offset is a multiple of it, so each slot lies within one local day.
    """
    rows = conn.execute(
        "SELECT substr(ts, 1, 14) || printf('%02d', (CAST(substr(ts, 15, 2) AS INTEGER) / 15) * 15)"
        " AS slot, count(*), sum(max > 0 AND points >= max) FROM reviews"
        " WHERE profile_id = ? AND undone = 0 AND mode IN ('study', 'practice')"
        " GROUP BY slot",
        (profile_id,),
    ).fetchall()
    return [(from_db(slot + ":00Z"), n, int(full or 0)) for slot, n, full in rows]
