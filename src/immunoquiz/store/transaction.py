"""`Transaction`: the typed way to write a profile's answers, inside one committed transaction.

Obtained from `Store.write(profile)`. Callers hand over `ReviewEntry` values and
card states; building rows, JSON and the undo bookkeeping stays in here.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Literal

from immunoquiz.records import dataclass
from immunoquiz.store import cards, reviews
from immunoquiz.store.cards import CardRow
from immunoquiz.store.db import to_db
from immunoquiz.store.reviews import ReviewEntry, StoredCard

UndoResult = Literal["restored", "answered-since", "logged-only", "already-undone"]


@dataclass(frozen=True, slots=True)
class Transaction:
    conn: sqlite3.Connection
    profile_id: int

    def card(self, card_id: str) -> CardRow | None:
        """The card's row as of this transaction (None: never studied)."""
        return cards.get_card(self.conn, self.profile_id, card_id)

    def stored(self, card_id: str) -> StoredCard | None:
        """The card's row as of this transaction, as stored: (state as fsrs JSON, due,
        introduced, review_id), times as text (None: never studied)."""
        return cards.get_stored(self.conn, self.profile_id, card_id)

    def log(self, entry: ReviewEntry) -> int:
        """Append an answer that does not move the schedule (practice, exam). Its id."""
        if entry.rating is not None:
            raise ValueError("a rated answer moves the schedule: use review()")
        return reviews.add_review(self.conn, self.profile_id, entry)

    def review(
        self,
        entry: ReviewEntry,
        *,
        state: str,
        due: datetime,
        before: StoredCard | None | Literal["read"] = "read",
    ) -> int:
        """Append a study answer and set the card to `state` (fsrs JSON) due at `due`.

        The card's previous row is kept in the log entry, for undo. Returns its id.
        `before`: the card as `stored()` returned it in this transaction, if the caller
        has it already (saves reading it twice).
        """
        if entry.rating is None:
            raise ValueError("a study answer needs a rating")
        row = self.stored(entry.card_id) if isinstance(before, str) else before
        review_id = reviews.add_review(self.conn, self.profile_id, entry, row)
        if row is None:
            cards.put_card(
                self.conn, self.profile_id, entry.card_id, state=state, due=due,
                introduced=entry.ts_text, review_id=review_id,
            )  # fmt: skip
        else:
            cards.update_card(
                self.conn, self.profile_id, entry.card_id, state=state, due=due,
                review_id=review_id,
            )  # fmt: skip
        return review_id

    def undo(self, review_id: int) -> UndoResult:
        """Mark an answer undone and put its card back, if nobody answered it since.

        "answered-since": the card's state is no longer the one this answer wrote
        (another session answered it), so the card is left alone. When the state
        to restore was itself written by an answer that has been undone, the walk
        goes further back, so a card never keeps what an undone answer wrote.
        """
        entry = reviews.get_review(self.conn, review_id)
        if entry is None or entry.profile_id != self.profile_id:
            raise ValueError(f"no review {review_id} in this profile")
        if entry.undone:
            return "already-undone"
        reviews.mark_undone(self.conn, review_id)
        if entry.rating is None:
            return "logged-only"
        row = self.card(entry.card_id)
        if row is None or row.review_id != review_id:
            return "answered-since"
        state, due, introduced, prev_id = (
            entry.prev_state, entry.prev_due, entry.prev_introduced, entry.prev_review_id
        )  # fmt: skip
        while prev_id is not None:
            prev = reviews.get_review(self.conn, prev_id)
            if prev is None or not prev.undone:
                break
            state, due, introduced, prev_id = (
                prev.prev_state, prev.prev_due, prev.prev_introduced, prev.prev_review_id
            )  # fmt: skip
        if state is None or due is None or introduced is None:
            cards.delete_card(self.conn, self.profile_id, entry.card_id)
        else:
            cards.put_card(
                self.conn, self.profile_id, entry.card_id, state=state, due=due,
                introduced=to_db(introduced), review_id=prev_id,
            )  # fmt: skip
        return "restored"
