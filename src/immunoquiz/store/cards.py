"""Card states: one row per card a profile has studied (absent = never studied)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from immunoquiz.store.db import from_db, to_db


@dataclass(frozen=True, slots=True)
class CardRow:
    card_id: str
    state: str  # fsrs Card as JSON (see scheduling.card_to_json)
    due: datetime
    introduced: datetime  # first studied (drives the daily new-item limit)
    review_id: int | None  # the review that produced this state


_COLUMNS = "card_id, state, due, introduced, review_id"


def _row(r: tuple[str, str, str, str, int | None]) -> CardRow:
    return CardRow(r[0], r[1], from_db(r[2]), from_db(r[3]), r[4])


def get_card(conn: sqlite3.Connection, profile_id: int, card_id: str) -> CardRow | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM cards WHERE profile_id = ? AND card_id = ?",
        (profile_id, card_id),
    ).fetchone()
    return _row(row) if row else None


def has_card(conn: sqlite3.Connection, profile_id: int, card_id: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM cards WHERE profile_id = ? AND card_id = ?", (profile_id, card_id)
    ).fetchone()
    return row is not None


def all_cards(conn: sqlite3.Connection, profile_id: int) -> dict[str, CardRow]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM cards WHERE profile_id = ?", (profile_id,))
    return {r[0]: _row(r) for r in rows}


def due_times(
    conn: sqlite3.Connection,
    profile_id: int,
    *,
    until: datetime | None = None,
    after: datetime | None = None,
    page: int = 256,
) -> Iterator[tuple[str, datetime]]:
    """(card_id, due) in due order, fetched a page at a time.

    Each page is read completely before anything is yielded, so no statement
    (and no read snapshot) stays open while the caller writes in between.
    """
    sql = "SELECT card_id, due FROM cards WHERE profile_id = ?"
    base: list[object] = [profile_id]
    if after is not None:
        sql += " AND due > ?"
        base.append(to_db(after))
    if until is not None:
        sql += " AND due <= ?"
        base.append(to_db(until))
    last: tuple[str, str] | None = None
    while True:
        if last is None:
            rows = conn.execute(sql + " ORDER BY due, card_id LIMIT ?", [*base, page]).fetchall()
        else:
            rows = conn.execute(
                sql + " AND (due, card_id) > (?, ?) ORDER BY due, card_id LIMIT ?",
                [*base, last[1], last[0], page],
            ).fetchall()
        for card_id, due in rows:
            yield card_id, from_db(due)
        if len(rows) < page:
            return
        last = (rows[-1][0], rows[-1][1])


def count_introduced_since(conn: sqlite3.Connection, profile_id: int, since: datetime) -> int:
    row = conn.execute(
        "SELECT count(*) FROM cards WHERE profile_id = ? AND introduced >= ?",
        (profile_id, to_db(since)),
    ).fetchone()
    return int(row[0])


def put_card(
    conn: sqlite3.Connection,
    profile_id: int,
    card_id: str,
    *,
    state: str,
    due: datetime,
    introduced: datetime,
    review_id: int | None,
) -> None:
    conn.execute(
        "INSERT INTO cards (profile_id, card_id, state, due, introduced, review_id) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (profile_id, card_id) DO UPDATE SET "
        "state = excluded.state, due = excluded.due, introduced = excluded.introduced, "
        "review_id = excluded.review_id",
        (profile_id, card_id, state, to_db(due), to_db(introduced), review_id),
    )


def delete_card(conn: sqlite3.Connection, profile_id: int, card_id: str) -> None:
    conn.execute("DELETE FROM cards WHERE profile_id = ? AND card_id = ?", (profile_id, card_id))
