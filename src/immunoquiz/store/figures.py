"""A profile's card figures per group of loaded items, worked out in SQL.

Statistics and the home screen count, per bank (and per topic and step), the items
studied, their summed predicted recall and the cards due, over the items of the
loaded banks only. The loaded items are written once per connection to a temporary
table (`temp.stat_items`: card id -> group number, see `use_items`), so each figure
is one pass over the profile's cards joined with it, and no row per card comes back
to Python. Temporary tables belong to the connection: nothing is written to the file.

What the home screen reads costs less (`prefix_figures`, `Outsiders`): per bank, one
range of card ids, with no lookup of each card among the loaded items. Where its time
goes (`home_summary` at 10,000 cards of 11,000 items and 100,000 reviews: 52 M
instructions, ~12 ms CPU): the recall of every card, one `pow` each (~4 ms); the
streak, a year long there, one local day at a time (~3 ms); the cards due now, from
the due index, each looked up among the loaded items (~1.7 ms); the rest (~3 ms).

Times compare as text (fixed width, UTC; see `db.to_db`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Container, Iterable, Sequence
from typing import Any

from immunoquiz.records import dataclass
from immunoquiz.store.times import MAX_DUE_YEAR, MIN_YEAR

# A due time outside these is one the store does not accept (see `unreadable_due`).
LOW, HIGH = f"{MIN_YEAR}-", f"{MAX_DUE_YEAR + 1}-"

_SETUP = (
    # (card_id, grp) is the key: a card in two loaded groups counts in both.
    "CREATE TEMP TABLE IF NOT EXISTS stat_items"
    " (card_id TEXT NOT NULL, grp INTEGER NOT NULL, PRIMARY KEY (card_id, grp)) WITHOUT ROWID",
    # The items group by group: `group_figures` walks them in this order, so its sums per
    # group need no sort.
    "CREATE INDEX IF NOT EXISTS temp.stat_items_by_group ON stat_items (grp, card_id)",
    "CREATE TEMP TABLE IF NOT EXISTS stat_items_token (token TEXT NOT NULL)",
)


def use_items(
    conn: sqlite3.Connection, token: str, rows: Callable[[], Iterable[tuple[str, int]]]
) -> None:
    """Make `temp.stat_items` hold `rows()` (card id, group), unless it already holds the
    rows of `token` (a name the caller gives each distinct set of rows, unique in the
    process). The rows are made and written only when the token changes."""
    for statement in _SETUP:
        conn.execute(statement)
    held = conn.execute("SELECT token FROM temp.stat_items_token").fetchone()
    if held is not None and held[0] == token:
        return
    fresh = not conn.in_transaction
    if fresh:
        conn.execute("BEGIN")  # the temporary database only: no lock on the file
    try:
        conn.execute("DELETE FROM temp.stat_items")
        conn.execute("DELETE FROM temp.stat_items_token")
        conn.executemany("INSERT OR IGNORE INTO temp.stat_items VALUES (?, ?)", rows())
        conn.execute("INSERT INTO temp.stat_items_token VALUES (?)", (token,))
    except BaseException:
        if fresh:
            conn.execute("ROLLBACK")
        raise
    if fresh:
        conn.execute("COMMIT")


@dataclass(frozen=True, slots=True)
class GroupFigures:
    seen: int  # studied cards
    recall: float  # their predicted recall now, summed (each 0..1)
    due_now: int  # due by now, not suspended
    due_fresh: int  # of those, introduced at or after `since` (today's)
    unseen_suspended: int  # never studied and suspended


# Recall is fsrs's forgetting curve (`curve` = (decay, factor), see
# `scheduling.recall_parameters`) over the whole days since the last review, clamped to
# 0..1, 0 without a stability: the same C `pow` and `floor` that Python's float
# arithmetic uses, in the same order. Stability and the last review (a julian day) are
# columns kept beside the JSON state, so nothing is parsed per card; the julian day of
# `now` (:jn) is worked out once, by SQLite, before the read.
_RECALL = (
    "CASE WHEN c.stability > 0 AND c.last_review_day IS NOT NULL"
    " THEN min(1.0, max(0.0, pow(1 + :factor * max(0, floor(:jn - c.last_review_day))"
    " / c.stability, :decay))) ELSE 0.0 END"
)
# The same numbers for every FSRS curve (decay < 0 < factor), with fewer calls per card,
# which is most of what the read costs: the base is then >= 1 and the power in 0..1, so
# the clamps change nothing; whole days since a review in the past truncate (CAST) as
# `floor` does, and a review at or after `now` gives pow(1.0, decay) = 1.0 exactly.
_RECALL_FSRS = (
    "CASE WHEN c.stability > 0 AND c.last_review_day < :jn"
    " THEN pow(1 + :factor * CAST(:jn - c.last_review_day AS INTEGER) / c.stability, :decay)"
    " WHEN c.stability > 0 AND c.last_review_day IS NOT NULL THEN 1.0 ELSE 0.0 END"
)
_DUE_NOW = "(c.due >= :low AND c.due <= :now)"
_FIGURES = f"sum({_DUE_NOW}), sum({_DUE_NOW} AND c.introduced >= :since)"


def _recall_sql(curve: tuple[float, float]) -> str:
    return _RECALL_FSRS if curve[0] < 0 < curve[1] else _RECALL


def _recall_params(
    conn: sqlite3.Connection, now: str, curve: tuple[float, float]
) -> dict[str, Any]:
    (jn,) = conn.execute("SELECT julianday(?)", (now[:-1],)).fetchone()
    return {"now": now, "jn": jn, "decay": curve[0], "factor": curve[1]}


def group_figures(
    conn: sqlite3.Connection,
    profile_id: int,
    now: str,
    since: str,
    curve: tuple[float, float],
    *,
    studied: bool = True,
) -> dict[int, GroupFigures]:
    """Per group of `temp.stat_items`, at `now` (stored-time text): see GroupFigures.
    Without `studied`, `seen` and `recall` are left 0 and their read (the first below,
    most of the cost) is not made: per bank, `prefix_figures` counts them for less.

    Four reads (inside the caller's snapshot). Studied cards and their recall: one pass
    over the loaded items, group by group, each looking up its card:
      SCAN k USING COVERING INDEX stat_items_by_group
      SEARCH c USING PRIMARY KEY (profile_id=? AND card_id=?)
    (the sums come out group by group: no sort of the rows, which the other join
    order, the profile's cards first with a lookup of each item, needs: 14 % fewer
    SQLite steps at 10,000 cards of 11,000 items). Cards due now: only those, from the
    due index (a fifth of the cards in a big profile; comparing every card's due and
    introduced times in the pass above cost as much as its lookups):
      SEARCH c USING COVERING INDEX cards_due (profile_id=? AND due>? AND due<?)
      SEARCH k USING PRIMARY KEY (card_id=?)
      USE TEMP B-TREE FOR GROUP BY
    Of those, the ones introduced since `since` (today's, a handful):
      SEARCH c USING INDEX cards_introduced (profile_id=? AND introduced>?)
      SEARCH k USING PRIMARY KEY (card_id=?)
      USE TEMP B-TREE FOR GROUP BY
    Then the suspended cards (a handful) to take out of the due counts:
      SEARCH s USING PRIMARY KEY (profile_id=?)
      SEARCH k USING PRIMARY KEY (card_id=?)
      SEARCH c USING PRIMARY KEY (profile_id=? AND card_id=?) LEFT-JOIN
      USE TEMP B-TREE FOR GROUP BY
    """
    params = {**_recall_params(conn, now, curve), "pid": profile_id, "since": since, "low": LOW}
    recall = _recall_sql(curve)
    rows = (
        conn.execute(
            f"SELECT k.grp, count(*), sum({recall})"
            " FROM temp.stat_items AS k INDEXED BY stat_items_by_group CROSS JOIN cards AS c"
            " ON c.profile_id = :pid AND c.card_id = k.card_id GROUP BY k.grp",
            params,
        ).fetchall()
        if studied
        else []
    )
    due = dict(
        conn.execute(
            "SELECT k.grp, count(*) FROM cards AS c INDEXED BY cards_due"
            " JOIN temp.stat_items AS k ON k.card_id = c.card_id"
            " WHERE c.profile_id = :pid AND c.due >= :low AND c.due <= :now GROUP BY k.grp",
            params,
        ).fetchall()
    )
    fresh = dict(
        conn.execute(
            "SELECT k.grp, count(*) FROM cards AS c INDEXED BY cards_introduced"
            " JOIN temp.stat_items AS k ON k.card_id = c.card_id"
            f" WHERE c.profile_id = :pid AND c.introduced >= :since AND {_DUE_NOW}"
            " GROUP BY k.grp",
            params,
        ).fetchall()
    )
    hidden = {
        grp: (unseen, due, fresh)
        for grp, unseen, due, fresh in conn.execute(
            f"SELECT k.grp, sum(c.card_id IS NULL), {_FIGURES} FROM suspended AS s"
            " JOIN temp.stat_items AS k ON k.card_id = s.card_id"
            " LEFT JOIN cards AS c ON c.profile_id = s.profile_id AND c.card_id = s.card_id"
            " WHERE s.profile_id = :pid GROUP BY k.grp",
            params,
        )
    }
    out = {}
    for grp, n, recall_sum in rows:
        h_unseen, h_due, h_fresh = hidden.pop(grp, (0, 0, 0))
        out[grp] = GroupFigures(
            n, recall_sum, due.get(grp, 0) - (h_due or 0), fresh.get(grp, 0) - (h_fresh or 0),
            h_unseen,
        )  # fmt: skip
    for grp in due.keys() - out.keys():  # not studied: the due counts only
        h_unseen, h_due, h_fresh = hidden.pop(grp, (0, 0, 0))
        out[grp] = GroupFigures(
            0, 0.0, due[grp] - (h_due or 0), fresh.get(grp, 0) - (h_fresh or 0), h_unseen
        )
    for grp, (h_unseen, _due, _fresh) in hidden.items():  # groups with nothing studied
        out[grp] = GroupFigures(0, 0.0, 0, 0, h_unseen)
    return out


# Loaded cards (joined with `temp.stat_items`), not suspended. A card held by two groups
# would count twice, as in each bank holding it (the bank loader refuses a second bank
# with the same id, so a card id names one item).
_DUE_LOADED = (
    " JOIN temp.stat_items AS k ON k.card_id = c.card_id"
    " WHERE c.profile_id = ?1 AND NOT EXISTS (SELECT 1 FROM suspended AS s"
    " WHERE s.profile_id = ?1 AND s.card_id = c.card_id)"
)


def due_per_day(conn: sqlite3.Connection, profile_id: int, bounds: Sequence[str]) -> list[int]:
    """Loaded cards, not suspended, falling due within each [bounds[k], bounds[k + 1]).

    One range of the due index per day (the bounds come in as JSON pairs). Plan:
      SCAN j VIRTUAL TABLE INDEX 1:
      SEARCH c USING COVERING INDEX cards_due (profile_id=? AND due>? AND due<?)
      CORRELATED SCALAR SUBQUERY 1
        SEARCH s USING PRIMARY KEY (profile_id=? AND card_id=?)
      SEARCH k USING PRIMARY KEY (card_id=?)
      USE TEMP B-TREE FOR GROUP BY  (of the days)
    """
    pairs = list(zip(bounds[:-1], bounds[1:], strict=True))
    if not pairs:
        return []
    counts = dict(
        conn.execute(
            "SELECT j.key, count(*) FROM json_each(?2) AS j JOIN cards AS c"
            " ON c.profile_id = ?1 AND c.due >= json_extract(j.value, '$[0]')"
            " AND c.due < json_extract(j.value, '$[1]')" + _DUE_LOADED + " GROUP BY j.key",
            (profile_id, json.dumps(pairs)),
        ).fetchall()
    )
    return [int(counts.get(k, 0)) for k in range(len(pairs))]


def due_between(conn: sqlite3.Connection, profile_id: int, after: str, before: str) -> list[str]:
    """The stored due times of the loaded cards, not suspended, falling due after `after`
    and before `before` (each card once): for days without exact bounds.
    Plan: SEARCH c USING COVERING INDEX cards_due (profile_id=? AND due>? AND due<?)."""
    rows = conn.execute(
        "SELECT c.due FROM cards AS c" + _DUE_LOADED + " AND c.due > ?2 AND c.due < ?3",
        (profile_id, after, before),
    )
    return [r[0] for r in rows]


def first_due_after(conn: sqlite3.Connection, profile_id: int, after: str) -> str | None:
    """The first stored due time of a loaded card, not suspended, after `after` (and
    readable). Plan: as `due_between`; the index gives the order (no sort), so the read
    stops at the first loaded card."""
    row = conn.execute(
        "SELECT c.due FROM cards AS c" + _DUE_LOADED + " AND c.due > ?2 AND c.due < ?3"
        " ORDER BY c.due LIMIT 1",
        (profile_id, after, HIGH),
    ).fetchone()
    return None if row is None else str(row[0])


def loaded_due_between(
    conn: sqlite3.Connection, profile_id: int, after: str, until: str
) -> list[str]:
    """Card ids of the loaded cards, not suspended, due after `after` up to `until`, in
    (due, card id) order. Plan: as `due_between`, in index order (no sort)."""
    rows = conn.execute(
        "SELECT c.card_id FROM cards AS c" + _DUE_LOADED + " AND c.due > ?2 AND c.due <= ?3"
        " ORDER BY c.due, c.card_id",
        (profile_id, after, until),
    )
    return [r[0] for r in rows]


def unreadable_due(conn: sqlite3.Connection, profile_id: int) -> list[str]:
    """Cards whose due time is not one the store accepts: two ranges of the due index
    (below and above the years accepted, UNION ALL)."""
    rows = conn.execute(
        "SELECT card_id FROM cards WHERE profile_id = ?1 AND due < ?2 UNION ALL"
        " SELECT card_id FROM cards WHERE profile_id = ?1 AND due > ?3",
        (profile_id, LOW, HIGH),
    )
    return [r[0] for r in rows]


def prefix_figures(
    conn: sqlite3.Connection,
    profile_id: int,
    prefixes: Sequence[str],
    leave_out: Sequence[Sequence[str]],
    now: str,
    curve: tuple[float, float],
) -> list[tuple[int, float]]:
    """Per prefix (a bank's `id/`): the profile's cards whose id starts with it, less the
    ids in `leave_out` (the same position), and their recall at `now`, summed in card id
    order. One range of the cards' primary key per prefix, one read each (in one read
    joined with a list of the ranges, the rows were sorted for the GROUP BY): no lookup
    of each card among the loaded items, which cost twice what the rest of the pass
    does. Plan:
      SEARCH c USING PRIMARY KEY (profile_id=? AND card_id>? AND card_id<?)
    and for a bank that lost items since they were studied, also
      LIST SUBQUERY 1
        SCAN json_each VIRTUAL TABLE INDEX 0:
    """
    params = {**_recall_params(conn, now, curve), "pid": profile_id}
    recall = _recall_sql(curve)
    out = []
    for prefix, gone in zip(prefixes, leave_out, strict=True):
        params["low"], params["high"], params["gone"] = prefix, _after(prefix), json.dumps(gone)
        n, total = conn.execute(
            f"SELECT count(*), total({recall}) FROM cards AS c WHERE c.profile_id = :pid"
            " AND c.card_id >= :low AND c.card_id < :high"
            + (" AND c.card_id NOT IN (SELECT value FROM json_each(:gone))" if gone else ""),
            params,
        ).fetchone()
        out.append((int(n), float(total)))
    return out


def _after(prefix: str) -> str:
    """The first text after every text starting with `prefix` (UTF-8 bytes and code
    points order alike)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class Outsiders:
    """Per loaded bank, the profile's cards under its prefix (`bank.id/`) that are not its
    items (items removed from the bank since they were studied): what `prefix_figures`
    leaves out.

    Worked out once per profile and set of loaded items (`token`) from every card, then
    kept up to date from the review log: a card enters `cards` only with an answer, so
    the cards of the answers logged since the last look are the only ones to check. A
    card kept here that has since left `cards` (undo of its first answer) is left out
    of nothing. A log that went back (the file replaced) means a fresh start. Inside a
    write transaction nothing new is kept: a rollback would give its answers' ids again.
    """

    def __init__(self) -> None:
        self._held: dict[int, tuple[str, int, list[set[str]]]] = {}

    def get(
        self,
        conn: sqlite3.Connection,
        profile_id: int,
        token: str,
        prefixes: Sequence[str],
        items: Sequence[Container[str]],
        *,
        keep: bool = True,
    ) -> list[list[str]]:
        held = self._held.get(profile_id)
        fresh = held is None or held[0] != token
        if held is not None and not fresh:
            newest, ids = card_ids_after(conn, profile_id, held[1])
            found = held[2]
            fresh = newest < held[1]  # the log went back: the file was replaced
        if fresh:
            (newest,) = conn.execute("SELECT coalesce(max(id), 0) FROM reviews").fetchone()
            rows = conn.execute("SELECT card_id FROM cards WHERE profile_id = ?", (profile_id,))
            ids = {r[0] for r in rows}
            found = [set() for _ in prefixes]
        where = {p: k for k, p in enumerate(prefixes)}
        for card_id in ids:
            cut = card_id.find("/")
            while cut >= 0:
                k = where.get(card_id[: cut + 1])
                if k is not None and card_id not in items[k]:
                    found[k].add(card_id)  # (held sets too: one more left out is harmless)
                cut = card_id.find("/", cut + 1)
        if keep:
            self._held[profile_id] = (token, int(newest), found)
        return [sorted(f) for f in found]


def card_ids_after(
    conn: sqlite3.Connection, profile_id: int, review_id: int
) -> tuple[int, set[str]]:
    """The newest review id of the log, and the cards of `profile_id`'s reviews after
    `review_id` (a card enters `cards` only with an answer in the log; see
    `Transaction.review`). Plan: SEARCH reviews USING INTEGER PRIMARY KEY (rowid>?) (the
    unary + keeps the planner off the index by profile, which it would otherwise walk
    whole: a profile's answers since the last read are a handful, its log 100,000)."""
    (newest,) = conn.execute("SELECT coalesce(max(id), 0) FROM reviews").fetchone()
    rows = conn.execute(
        "SELECT card_id FROM reviews WHERE id > ? AND +profile_id = ?", (review_id, profile_id)
    )
    return int(newest), {r[0] for r in rows}
