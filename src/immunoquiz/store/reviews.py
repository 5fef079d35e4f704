"""The append-only review log: every answer, in study, practice and exam mode, with its score.

Rows are never deleted or rewritten (triggers enforce it); undo only sets `undone`.
Callers describe an answer with a `ReviewEntry`; this module turns it into a row.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from immunoquiz.records import dataclass, field
from immunoquiz.store.db import from_db, to_db
from immunoquiz.store.times import MAX_YEAR, MIN_YEAR

if TYPE_CHECKING:  # only named here: reading the log (stats, browse) needs no response types
    from immunoquiz.responses import Response, Score

ReviewMode = Literal["study", "practice", "exam"]
# json.dumps(..., ensure_ascii=False) without building an encoder for every answer.
_RESPONSE_JSON = json.JSONEncoder(ensure_ascii=False)
MODES: tuple[ReviewMode, ...] = ("study", "practice", "exam")


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """One answer to append to the log, as the engine knows it (no SQL, no JSON).

    `rating` is the fsrs Rating value when the answer moved the schedule (study
    mode), else None. `duration_ms`: time to answer, whole milliseconds, or None.
    """

    card_id: str
    session: str
    ts: datetime
    mode: ReviewMode
    response: Response
    score: Score
    duration_ms: int | None
    rating: int | None = None
    ts_text: str = field(init=False, repr=False, compare=False)  # `ts` as the log stores it

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown review mode {self.mode!r}")
        if self.duration_ms is not None and self.duration_ms < 0:
            raise ValueError(f"negative duration {self.duration_ms} ms")
        if (self.rating is None) != (self.mode != "study"):
            raise ValueError("a rating goes with study mode, and only with it")
        # ValueError now, not half way through a write
        object.__setattr__(self, "ts_text", to_db(self.ts, "answer time"))


def duration_ms(seconds: float | None) -> int | None:
    """Seconds (as clients measure them) to the whole milliseconds the log keeps."""
    return None if seconds is None else max(0, round(seconds * 1000))


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
    duration_ms: int | None
    rating: int | None  # fsrs Rating value; None in practice and exam mode
    undone: bool
    prev_state: str | None
    prev_due: datetime | None
    prev_introduced: datetime | None
    prev_review_id: int | None

    @property
    def full(self) -> bool:
        return self.max > 0 and self.points >= self.max

    @property
    def duration_s(self) -> float | None:
        return None if self.duration_ms is None else self.duration_ms / 1000


@dataclass(frozen=True, slots=True)
class ScheduledReview:
    """What fsrs's ReviewLog needs: an integer card number, rating, time, duration (ms).

    `card_number` is the id of the card's first logged review in this profile:
    stable, unique per card, and an integer as fsrs wants.
    """

    card_number: int
    card_id: str
    rating: int
    ts: datetime
    duration_ms: int | None


# Rows written before durations were kept in milliseconds have only duration_s.
_COLUMNS = (
    "id, profile_id, card_id, session, ts, mode, response, points, max, rule, "
    "coalesce(duration_ms, max(0, CAST(round(duration_s * 1000) AS INTEGER))), "
    "rating, undone, prev_state, prev_due, prev_introduced, prev_review_id"
)


def _opt(text: str | None) -> datetime | None:
    return from_db(text) if text else None


def parse_row(r: tuple[Any, ...]) -> ReviewRow:
    """ValueError if a stored time is unreadable or out of range."""
    return ReviewRow(
        r[0], r[1], r[2], r[3], from_db(r[4]), r[5], r[6], r[7], r[8], r[9], r[10], r[11],
        bool(r[12]), r[13], _opt(r[14]), _opt(r[15]), r[16],
    )  # fmt: skip


_INSERT = (
    "INSERT INTO reviews (profile_id, card_id, session, ts, mode, response, points, max, "
    "rule, duration_ms, rating, prev_state, prev_due, prev_introduced, prev_review_id) "
)


def _values(profile_id: int, entry: ReviewEntry) -> tuple[object, ...]:
    return (
        profile_id, entry.card_id, entry.session, entry.ts_text, entry.mode,
        _RESPONSE_JSON.encode(entry.response.to_json()), entry.score.points, entry.score.max,
        entry.score.rule, entry.duration_ms, entry.rating,
    )  # fmt: skip


_VALUES = "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_NO_PREVIOUS = (None, None, None, None)
# A card's row as stored, times as text: (state, due, introduced, review_id).
StoredCard = tuple[str, str, str, int | None]


def add_review(
    conn: sqlite3.Connection, profile_id: int, entry: ReviewEntry, before: StoredCard | None = None
) -> int:
    """Append an answer; `before`: the card's row as it stood before a study answer moved
    it (None: never studied, or an answer that leaves the card alone), kept for undo.
    It is copied as stored: nothing is parsed and written back."""
    values = (*_values(profile_id, entry), *(before or _NO_PREVIOUS))
    return int(conn.execute(_INSERT + _VALUES, values).lastrowid or 0)


def get_review(conn: sqlite3.Connection, review_id: int) -> ReviewRow | None:
    """ValueError if the row holds an unreadable time."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM reviews WHERE id = ?", (review_id,)).fetchone()
    return parse_row(row) if row else None


def raw_reviews(
    conn: sqlite3.Connection,
    profile_id: int,
    *,
    since: datetime | None = None,
    include_undone: bool = False,
    card_id: str | None = None,
) -> list[tuple[Any, ...]]:
    """A profile's review rows (of one card, if given), unparsed, oldest first."""
    sql = f"SELECT {_COLUMNS} FROM reviews WHERE profile_id = ?"
    params: list[object] = [profile_id]
    if card_id is not None:
        sql += " AND card_id = ?"
        params.append(card_id)
    if since is not None:
        sql += " AND ts >= ?"
        params.append(to_db(since))
    if not include_undone:
        sql += " AND undone = 0"
    return conn.execute(sql + " ORDER BY id", params).fetchall()


def scheduled(conn: sqlite3.Connection, profile_id: int) -> Iterator[tuple[Any, ...]]:
    """(card_number, card_id, rating, ts, duration_ms) of the answers that moved the schedule."""
    return conn.execute(
        "SELECT min(id) OVER (PARTITION BY card_id), card_id, rating, ts, "
        "coalesce(duration_ms, max(0, CAST(round(duration_s * 1000) AS INTEGER))) "
        "FROM reviews WHERE profile_id = ? AND mode = 'study' AND undone = 0 "
        "AND rating IS NOT NULL ORDER BY id",
        (profile_id,),
    )


def count_older_card_reviews(
    conn: sqlite3.Connection, profile_id: int, since: datetime, at_most: int | None = None
) -> int:
    """Study answers (not undone) logged since `since` to cards introduced before it;
    with `at_most`, counting stops there (what a daily limit needs to know).

    Plan: SEARCH r USING INDEX reviews_profile_ts (profile_id=? AND ts>?);
    SEARCH c USING PRIMARY KEY (profile_id=? AND card_id=?).
    """
    since_text = to_db(since)
    row = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM reviews AS r JOIN cards AS c"
        " ON c.profile_id = r.profile_id AND c.card_id = r.card_id"
        " WHERE r.profile_id = ? AND r.ts >= ? AND r.mode = 'study' AND r.undone = 0"
        " AND c.introduced < ? LIMIT ?)",
        (profile_id, since_text, since_text, -1 if at_most is None else at_most),
    ).fetchone()
    return int(row[0])


def mark_undone(conn: sqlite3.Connection, review_id: int) -> None:
    conn.execute("UPDATE reviews SET undone = 1 WHERE id = ?", (review_id,))


# Activity days of a time the store accepts (bad rows have days outside these years).
_DAYS_FROM, _DAYS_BEFORE = f"{MIN_YEAR}-", f"{MAX_YEAR + 1}-"


def activity_totals(conn: sqlite3.Connection, profile_id: int) -> tuple[int, int, bool]:
    """(answers, full-credit answers, whether rows with a bad time were left out).

    From `activity_days` (answers per UTC day, kept by triggers), so the cost follows
    the days studied, not the size of the log. The first and last day tell whether
    any lies outside the years the store accepts; only then a second pass leaves
    those out. Plan: SEARCH activity_days USING PRIMARY KEY (profile_id=?).
    """
    answers, full, first, last, shortest = conn.execute(
        "SELECT sum(answers), sum(full), min(day), max(day), min(length(day))"
        " FROM activity_days WHERE profile_id = ? AND answers > 0",
        (profile_id,),
    ).fetchone()
    if first is None or (_DAYS_FROM <= first and last < _DAYS_BEFORE and shortest == 10):
        return answers or 0, full or 0, False
    answers, full = conn.execute(
        "SELECT sum(answers), sum(full) FROM activity_days WHERE profile_id = ?"
        " AND answers > 0 AND day >= ? AND day < ? AND length(day) = 10",
        (profile_id, _DAYS_FROM, _DAYS_BEFORE),
    ).fetchone()
    return answers or 0, full or 0, True


def active_days(
    conn: sqlite3.Connection, profile_id: int, days: Sequence[tuple[str, str]]
) -> list[bool]:
    """For each (first slot, end slot) of `days` ('YYYY-MM-DDTHH:MM', UTC): whether
    anything was answered in between. One read for all of them; per day the plan is
    SEARCH activity USING PRIMARY KEY (profile_id=? AND slot>? AND slot<?).
    """
    if not days:
        return []
    rows = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM activity WHERE profile_id = ?"
        " AND slot >= json_extract(j.value, '$[0]') AND slot < json_extract(j.value, '$[1]')"
        " AND answers > 0) FROM json_each(?) AS j ORDER BY j.key",
        (profile_id, json.dumps(days)),
    ).fetchall()
    return [bool(r[0]) for r in rows]


def activity_per_day(
    conn: sqlite3.Connection, profile_id: int, bounds: Sequence[str]
) -> list[tuple[int, int]]:
    """(answers, full-credit answers) within each [bounds[k], bounds[k + 1]) of slots
    ('YYYY-MM-DDTHH:MM', UTC): summed in one read, the bounds coming in as JSON pairs.
    Per day the plan is SEARCH activity USING PRIMARY KEY (profile_id=? AND slot>? AND slot<?).
    """
    pairs = list(zip(bounds[:-1], bounds[1:], strict=True))
    rows = conn.execute(
        "SELECT coalesce(sum(a.answers), 0), coalesce(sum(a.full), 0) FROM json_each(?2) AS j"
        " LEFT JOIN activity AS a ON a.profile_id = ?1"
        " AND a.slot >= json_extract(j.value, '$[0]') AND a.slot < json_extract(j.value, '$[1]')"
        " AND a.answers > 0 GROUP BY j.key ORDER BY j.key",
        (profile_id, json.dumps(pairs)),
    ).fetchall()
    return [(int(a), int(f)) for a, f in rows]


def activity_slots(
    conn: sqlite3.Connection, profile_id: int, since: datetime, until: datetime
) -> list[tuple[str, int, int]]:
    """(slot, answers, full-credit answers) for the slots from `since` to before `until`.

    Plan: SEARCH activity USING PRIMARY KEY (profile_id=? AND slot>? AND slot<?).
    """
    return conn.execute(
        "SELECT slot, answers, full FROM activity"
        " WHERE profile_id = ? AND slot >= ? AND slot < ? AND answers > 0 ORDER BY slot",
        (profile_id, to_db(since)[:16], to_db(until)[:16]),
    ).fetchall()


def bad_times(conn: sqlite3.Connection, profile_id: int | None = None) -> list[tuple[int, str]]:
    """(review id, ts) of rows whose time is not one the store accepts (a full scan).

    Only run when a slot outside the valid range shows up, or by `doctor`.
    """
    sql = "SELECT id, ts FROM reviews"
    params: tuple[int, ...] = ()
    if profile_id is not None:
        sql += " WHERE profile_id = ?"
        params = (profile_id,)
    out = []
    for rid, ts in conn.execute(sql + " ORDER BY id", params):
        try:
            from_db(ts)
        except ValueError:
            out.append((rid, ts))
    return out
