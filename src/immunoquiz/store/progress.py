"""`Store`: the one progress file of a data dir, opened safely, with short transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from immunoquiz.store import cards, profiles, reviews
from immunoquiz.store.cards import CardRow
from immunoquiz.store.db import (
    DB_NAME,
    StoreError,
    backup_to,
    check_ours,
    configure,
    connect,
    quick_check,
    sniff,
)
from immunoquiz.store.profiles import Profile
from immunoquiz.store.reviews import ReviewRow
from immunoquiz.store.schema import MIGRATIONS, Migration, migrate, refuse_newer


class Store:
    """Profiles, card states and the review log in one SQLite file (WAL mode).

    Reads run in autocommit; every write goes through `transaction()`, one
    `BEGIN IMMEDIATE ... COMMIT` that is on disk when the block exits.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, migrated_backup: Path | None):
        self.conn = conn
        self.path = path
        # The copy made before a schema upgrade during this open, if there was one.
        self.migration_backup = migrated_backup
        self._in_txn = False

    @classmethod
    def open(cls, data_dir: Path, *, migrations: Sequence[Migration] = MIGRATIONS) -> Store:
        """Open (or create) `data_dir/progress.sqlite3`.

        StoreError (naming the path) if the file is not a database, fails
        `PRAGMA quick_check`, belongs to another program or is from a newer
        version; such a file is never modified.
        """
        data_dir = Path(data_dir)
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{data_dir}: cannot create the data folder: {exc}") from exc
        path = data_dir / DB_NAME
        if path.is_dir():
            raise StoreError(f"{path}: is a folder, not a progress file")
        sniff(path)
        conn = connect(path)
        try:
            quick_check(conn, path)
            check_ours(conn, path)
            refuse_newer(conn, path, migrations)
            configure(conn, path)
            backup = migrate(conn, path, migrations)
        except StoreError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"{path}: cannot use the progress file: {exc}") from exc
        return cls(conn, path, backup)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed (durably) when the block ends without error.

        BEGIN IMMEDIATE takes the write lock up front, so two processes never
        both read a card state and then race to write it.
        """
        if self._in_txn:
            raise RuntimeError("nested transaction")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: progress file busy or unwritable: {exc}") from exc
        self._in_txn = True
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self.conn.execute("ROLLBACK")
                raise StoreError(f"{self.path}: could not save: {exc}") from exc
        finally:
            self._in_txn = False

    def backup(self, dest: Path) -> Path:
        """A consistent copy of the whole file (SQLite backup API), even while others write."""
        backup_to(self.conn, dest)
        return dest

    def integrity_check(self) -> list[str]:
        return [r[0] for r in self.conn.execute("PRAGMA integrity_check")]

    # --- profiles -------------------------------------------------------------------

    def profiles(self) -> list[Profile]:
        return profiles.list_profiles(self.conn)

    def get_profile(self, name: str) -> Profile | None:
        return profiles.get_profile(self.conn, name)

    def create_profile(self, name: str, now: datetime | None = None) -> Profile:
        """ValueError if the name is empty, too long or already taken."""
        with self.transaction() as conn:
            return profiles.create_profile(conn, name, now or datetime.now(UTC))

    def get_setting(self, profile: Profile, key: str, default: str | None = None) -> str | None:
        value = profiles.get_setting(self.conn, profile, key)
        return default if value is None else value

    def set_setting(self, profile: Profile, key: str, value: str) -> None:
        with self.transaction() as conn:
            profiles.set_setting(conn, profile, key, value)

    # --- cards and reviews (reads; writes happen inside transaction()) ---------------

    def card(self, profile: Profile, card_id: str) -> CardRow | None:
        return cards.get_card(self.conn, profile.id, card_id)

    def has_card(self, profile: Profile, card_id: str) -> bool:
        return cards.has_card(self.conn, profile.id, card_id)

    def cards(self, profile: Profile) -> dict[str, CardRow]:
        return cards.all_cards(self.conn, profile.id)

    def due_times(
        self, profile: Profile, *, until: datetime | None = None, after: datetime | None = None
    ) -> Iterator[tuple[str, datetime]]:
        return cards.due_times(self.conn, profile.id, until=until, after=after)

    def introduced_since(self, profile: Profile, since: datetime) -> int:
        return cards.count_introduced_since(self.conn, profile.id, since)

    def log_unscheduled(
        self,
        profile: Profile,
        *,
        card_id: str,
        session: str,
        ts: datetime,
        mode: str,
        response: str,
        points: float,
        max: float,
        rule: str,
        duration_s: float | None,
    ) -> int:
        """Append one answer to the review log, committed, without touching its card.

        For answers that must not move the schedule (mode "exam"): no card state is
        read or written and the row carries no rating. Returns the review id.
        """
        with self.transaction() as conn:
            return reviews.add_review(
                conn, profile_id=profile.id, card_id=card_id, session=session, ts=ts,
                mode=mode, response=response, points=points, max=max, rule=rule,
                duration_s=duration_s, rating=None,
            )  # fmt: skip

    def review(self, review_id: int) -> ReviewRow | None:
        return reviews.get_review(self.conn, review_id)

    def activity(self, profile: Profile) -> list[tuple[datetime, int, int]]:
        """Answers per 15-minute slot: (slot start, answers, full-credit answers)."""
        return reviews.activity(self.conn, profile.id)

    def reviews(
        self, profile: Profile, *, since: datetime | None = None, include_undone: bool = False
    ) -> list[ReviewRow]:
        return reviews.list_reviews(
            self.conn, profile.id, since=since, include_undone=include_undone
        )
