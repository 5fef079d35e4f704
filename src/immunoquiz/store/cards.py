"""Card states: one row per card a profile has studied (absent = never studied)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Container, Iterator, Sequence
from datetime import datetime

from immunoquiz.records import dataclass
from immunoquiz.store.db import from_db, to_db
from immunoquiz.store.schema import LAST_REVIEW_DAY_SQL, STABILITY_SQL


@dataclass(frozen=True, slots=True)
class CardRow:
    card_id: str
    state: str  # fsrs Card as JSON (see scheduling.card_to_json)
    due: datetime
    introduced: datetime  # first studied (drives the daily new-item limit)
    review_id: int | None  # the review that produced this state


_COLUMNS = "card_id, state, due, introduced, review_id"


def parse_row(r: tuple[str, str, str, str, int | None]) -> CardRow:
    """ValueError if a stored time is unreadable or out of range."""
    return CardRow(r[0], r[1], from_db(r[2]), from_db(r[3]), r[4])


# Statements run on every answer are built once: the connection's statement cache is
# keyed by the text, and formatting it again each time costs as much as a lookup.
_GET_CARD = f"SELECT {_COLUMNS} FROM cards WHERE profile_id = ? AND card_id = ?"
_GET_STORED = (
    "SELECT state, due, introduced, review_id FROM cards WHERE profile_id = ? AND card_id = ?"
)
_PUT_CARD = (
    "INSERT INTO cards (profile_id, card_id, state, due, introduced, review_id, "
    f"stability, last_review_day) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
    f"{STABILITY_SQL.format(state='?3')}, {LAST_REVIEW_DAY_SQL.format(state='?3')}) "
    "ON CONFLICT (profile_id, card_id) DO UPDATE SET "
    "state = excluded.state, due = excluded.due, introduced = excluded.introduced, "
    "review_id = excluded.review_id, stability = excluded.stability, "
    "last_review_day = excluded.last_review_day"
)
_UPDATE_CARD = (
    "UPDATE cards SET state = ?1, due = ?2, review_id = ?3, "
    f"stability = {STABILITY_SQL.format(state='?1')}, "
    f"last_review_day = {LAST_REVIEW_DAY_SQL.format(state='?1')} "
    "WHERE profile_id = ?4 AND card_id = ?5"
)


def get_card(conn: sqlite3.Connection, profile_id: int, card_id: str) -> CardRow | None:
    row = conn.execute(_GET_CARD, (profile_id, card_id)).fetchone()
    return parse_row(row) if row else None


def get_stored(
    conn: sqlite3.Connection, profile_id: int, card_id: str
) -> tuple[str, str, str, int | None] | None:
    """(state, due, introduced, review_id) as stored, times as text, unparsed."""
    row = conn.execute(_GET_STORED, (profile_id, card_id)).fetchone()
    return None if row is None else (str(row[0]), str(row[1]), str(row[2]), row[3])


def has_card(conn: sqlite3.Connection, profile_id: int, card_id: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM cards WHERE profile_id = ? AND card_id = ?", (profile_id, card_id)
    ).fetchone()
    return row is not None


# Card ids looked up per read by `studied_among`: a fixed text, one prepared statement.
_AMONG = 16
_STUDIED_AMONG = (
    "SELECT card_id FROM cards WHERE profile_id = ? AND card_id IN ("
    + ", ".join("?" * _AMONG)
    + ")"
)


def studied_among(conn: sqlite3.Connection, profile_id: int, card_ids: Sequence[str]) -> set[str]:
    """Those of `card_ids` the profile has studied: one read per 16 ids.

    Plan: SEARCH cards USING PRIMARY KEY (profile_id=? AND card_id=?), once per id.
    """
    found: set[str] = set()
    for start in range(0, len(card_ids), _AMONG):
        chunk = tuple(card_ids[start : start + _AMONG])
        padding = (None,) * (_AMONG - len(chunk))  # NULL matches no card id
        found.update(r[0] for r in conn.execute(_STUDIED_AMONG, (profile_id, *chunk, *padding)))
    return found


def last_ratings(
    conn: sqlite3.Connection, profile_id: int, card_ids: Sequence[str]
) -> dict[str, tuple[str, int | None]]:
    """Of `card_ids` the profile has studied: (state as stored, rating of the answer that
    set it, None if none did), in one read.

    Plan (CROSS JOIN keeps the ids outermost; a plain JOIN walked every card of the
    profile, looking each up among the ids):
      SCAN j VIRTUAL TABLE INDEX 1:
      SEARCH c USING PRIMARY KEY (profile_id=? AND card_id=?)
      SEARCH r USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN
    """
    rows = conn.execute(
        "SELECT c.card_id, c.state, r.rating FROM json_each(?2) AS j"
        " CROSS JOIN cards AS c ON c.profile_id = ?1 AND c.card_id = j.value"
        " LEFT JOIN reviews AS r ON r.id = c.review_id",
        (profile_id, json.dumps(list(card_ids))),
    )
    return {r[0]: (str(r[1]), r[2]) for r in rows}


def raw_cards(conn: sqlite3.Connection, profile_id: int) -> list[tuple[str, str, str, str, int]]:
    return conn.execute(
        f"SELECT {_COLUMNS} FROM cards WHERE profile_id = ?", (profile_id,)
    ).fetchall()


def card_ids(conn: sqlite3.Connection, profile_id: int) -> set[str]:
    rows = conn.execute("SELECT card_id FROM cards WHERE profile_id = ?", (profile_id,))
    return {r[0] for r in rows}


def due_times(
    conn: sqlite3.Connection,
    profile_id: int,
    *,
    until: datetime | None = None,
    after: datetime | None = None,
    page: int = 256,
    bad: Callable[[str], None] | None = None,
) -> Iterator[tuple[str, datetime]]:
    """(card_id, due) in due order, fetched a page at a time.

    Each page is read completely before anything is yielded, so no statement
    (and no read snapshot) stays open while the caller writes in between.
    A row with an unreadable due time goes to `bad` (if given) and is skipped.
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
            try:
                when = from_db(due)
            except ValueError as exc:
                if bad is None:
                    raise
                bad(f"card {card_id}: {exc}")
                continue
            yield card_id, when
        if len(rows) < page:
            return
        last = (rows[-1][0], rows[-1][1])


def due_entries(
    conn: sqlite3.Connection, profile_id: int, after: datetime | None, until: datetime
) -> list[tuple[str, str, str]]:
    """(due, card_id, introduced) as stored, for the cards falling due after `after` (all
    if None) up to `until`, in (due, card_id) order: what a study session picks from.

    Plan: SEARCH cards USING INDEX cards_due (profile_id=? AND due>? AND due<?)
    (the index holds card_id, so the order needs no sort).
    """
    return conn.execute(
        "SELECT due, card_id, introduced FROM cards WHERE profile_id = ? AND due > ?"
        " AND due <= ? ORDER BY due, card_id",
        (profile_id, "" if after is None else to_db(after), to_db(until)),
    ).fetchall()


def first_due_after(
    conn: sqlite3.Connection, profile_id: int, after: datetime, among: Container[str]
) -> str | None:
    """The stored due time of the first card in `among` falling due after `after`; a due
    time the store cannot read is passed over (such a card is never served).

    Read a few rows at a time: usually the very first one is among them.
    Plan: SEARCH cards USING COVERING INDEX cards_due (profile_id=? AND due>?).
    """
    sql = "SELECT due, card_id FROM cards WHERE profile_id = ? AND {}"
    sql += " ORDER BY due, card_id LIMIT 16"
    rows = conn.execute(sql.format("due > ?"), (profile_id, to_db(after))).fetchall()
    while True:
        for due, card_id in rows:
            if card_id in among and _readable(due):
                return str(due)
        if len(rows) < 16:
            return None
        rows = conn.execute(
            sql.format("(due, card_id) > (?, ?)"), (profile_id, *rows[-1])
        ).fetchall()


def _readable(text: object) -> bool:
    try:
        from_db(str(text))
    except ValueError:
        return False
    return True


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
    introduced: str,
    review_id: int | None,
) -> None:
    """The card's whole row; `introduced` as stored (the text `to_db` made)."""
    conn.execute(
        _PUT_CARD, (profile_id, card_id, state, to_db(due, "due date"), introduced, review_id)
    )


def update_card(
    conn: sqlite3.Connection,
    profile_id: int,
    card_id: str,
    *,
    state: str,
    due: datetime,
    review_id: int | None,
) -> None:
    """A new state for a card already studied (`introduced` stays). Unlike `put_card`'s
    upsert, the introduced index is left alone: one page fewer to write per answer."""
    conn.execute(_UPDATE_CARD, (state, to_db(due, "due date"), review_id, profile_id, card_id))


def delete_card(conn: sqlite3.Connection, profile_id: int, card_id: str) -> None:
    conn.execute("DELETE FROM cards WHERE profile_id = ? AND card_id = ?", (profile_id, card_id))
