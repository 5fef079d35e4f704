"""`Store`: the one progress file of a data dir, opened safely, with short transactions."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, TypeVar

from immunoquiz.store import cards, figures, marks, profiles, reviews
from immunoquiz.store.backups import BackupInfo, backup_to
from immunoquiz.store.cards import CardRow
from immunoquiz.store.db import (
    DB_NAME,
    check_ours,
    configure,
    connect,
    from_db,
    holds_data,
    quick_check,
    read_only_check,
    refuse_special,
    side_files,
    sniff,
    to_db,
)
from immunoquiz.store.errors import StoreError, from_os_error, from_sqlite_error
from immunoquiz.store.marks import Flag
from immunoquiz.store.profiles import Profile
from immunoquiz.store.reviews import ReviewEntry, ReviewRow, ScheduledReview
from immunoquiz.store.schema import MIGRATIONS, Migration, migrate, refuse_newer
from immunoquiz.store.transaction import Transaction, UndoResult

T = TypeVar("T")


def check_file(path: Path, migrations: Sequence[Migration] = MIGRATIONS) -> bool:
    """Refuse (StoreError, file and `-wal` untouched) anything that is not a usable store.

    Returns whether the file holds data. The checks run on a read-only connection.
    """
    for p in (path, *side_files(path)):
        refuse_special(p)
    if not holds_data(path):
        return False
    sniff(path)
    with read_only_check(path) as ro:
        try:
            quick_check(ro, path)
            check_ours(ro, path)
            refuse_newer(ro, path, migrations)
        except sqlite3.Error as exc:
            raise from_sqlite_error(exc, path, "cannot check the progress file") from exc
    return True


class Store:
    """Profiles, card states and the review log in one SQLite file (WAL mode).

    Reads run in autocommit; every write goes through `write()` (or the lower-level
    `transaction()`), one `BEGIN IMMEDIATE ... COMMIT` that is on disk when the
    block exits. Rows holding a time the store cannot read are skipped and
    reported once each in `problems` (`immunoquiz doctor` lists them all).
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, migrated_backup: Path | None):
        self.conn = conn
        self.path = path
        # The copy made before a schema upgrade during this open, if there was one.
        self.migration_backup = migrated_backup
        self.problems: list[str] = []
        self._reported: set[str] = set()
        self._in_txn = False
        # Transactions committed on this connection: with `data_version` (commits by
        # other connections) it tells a reader whether anything changed since it looked.
        self.commits = 0
        self._outsiders = figures.Outsiders()

    @classmethod
    def open(cls, data_dir: Path, *, migrations: Sequence[Migration] = MIGRATIONS) -> Store:
        """Open (or create) `data_dir/progress.sqlite3`.

        StoreError (naming the path and the cause) if the file is not a regular
        file, not a database, fails `PRAGMA quick_check`, belongs to another
        program or is from a newer version; such a file is never modified.
        """
        data_dir = Path(data_dir)
        path = data_dir / DB_NAME
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise from_os_error(exc, path, "cannot create the data folder") from exc
        check_file(path, migrations)
        conn = connect(path)
        try:
            configure(conn, path)
            backup = migrate(conn, path, migrations)
        except StoreError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            raise from_sqlite_error(exc, path, "cannot use the progress file") from exc
        return cls(conn, path, backup)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- writing --------------------------------------------------------------------

    def transaction(self) -> _Block[sqlite3.Connection]:
        """One write transaction, committed (durably) when the block ends without error.

        BEGIN IMMEDIATE takes the write lock up front, so two processes never
        both read a card state and then race to write it. A failure to begin or
        to commit is a StoreError naming the file and the cause (read-only,
        disk full, locked and for how long); then nothing was written.
        """
        return _Block(self, self.conn)

    def write(self, profile: Profile) -> _Block[Transaction]:
        """A typed write transaction for one profile (see `Transaction`)."""
        return _Block(self, Transaction(self.conn, profile.id))

    def _begin(self) -> None:
        if self._in_txn:
            raise RuntimeError("nested transaction")
        started = time.monotonic()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise from_sqlite_error(
                exc, self.path, "cannot save", waited_s=time.monotonic() - started
            ) from exc
        self._in_txn = True

    def _end(self, failure: BaseException | None) -> None:
        """Commit the transaction `_begin` began, or roll it back after `failure` (an
        SQLite error in the block comes out as a StoreError)."""
        try:
            if failure is not None:
                self._rollback()
                if isinstance(failure, sqlite3.Error):
                    raise from_sqlite_error(failure, self.path, "cannot save") from failure
                return
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise from_sqlite_error(exc, self.path, "could not save") from exc
            self.commits += 1
        finally:
            self._in_txn = False

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite has rolled back already (e.g. after SQLITE_FULL)

    def log(self, profile: Profile, entry: ReviewEntry) -> int:
        """Append one answer that does not move the schedule (exam, practice), committed.

        No card state is read or written. Returns the review id; StoreError if the
        file could not be written (then nothing was).
        """
        with self.write(profile) as tx:
            return tx.log(entry)

    def undo(self, profile: Profile, review_id: int) -> UndoResult:
        with self.write(profile) as tx:
            return tx.undo(review_id)

    def backup(self, dest: Path, *, numbered: bool = True) -> BackupInfo:
        """A verified, consistent copy of the whole file, even while others write."""
        return backup_to(self.path, dest, numbered=numbered)

    def integrity_check(self) -> list[str]:
        return [r[0] for r in self.conn.execute("PRAGMA integrity_check")]

    # --- tolerant reading -----------------------------------------------------------

    def report(self, problem: str) -> None:
        """Note a problem once (a row that could not be read and was skipped)."""
        if problem not in self._reported:
            self._reported.add(problem)
            self.problems.append(f"{self.path}: {problem}")

    def _parsed(
        self, rows: Iterable[Any], parse: Callable[[Any], T], what: Callable[[Any], str]
    ) -> Iterator[T]:
        for r in rows:
            try:
                yield parse(r)
            except ValueError as exc:
                self.report(f"{what(r)} skipped: {exc}")

    # --- profiles -------------------------------------------------------------------

    def profiles(self) -> list[Profile]:
        return profiles.list_profiles(self.conn, self.report)

    def get_profile(self, name: str) -> Profile | None:
        return profiles.get_profile(self.conn, name, self.report)

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

    # --- cards and reviews (reads; writes happen inside write()) ----------------------

    def card(self, profile: Profile, card_id: str) -> CardRow | None:
        try:
            return cards.get_card(self.conn, profile.id, card_id)
        except ValueError as exc:
            self.report(f"card {card_id} skipped: {exc}")
            return None

    def has_card(self, profile: Profile, card_id: str) -> bool:
        return cards.has_card(self.conn, profile.id, card_id)

    def studied_among(self, profile: Profile, card_ids: Sequence[str]) -> set[str]:
        """Those of `card_ids` the profile has studied (one read per 16 of them)."""
        return cards.studied_among(self.conn, profile.id, card_ids)

    def last_ratings(
        self, profile: Profile, card_ids: Sequence[str]
    ) -> dict[str, tuple[str, int | None]]:
        """Of `card_ids` the profile has studied: (state text, rating of the answer that
        set it, or None), in one read."""
        return cards.last_ratings(self.conn, profile.id, card_ids)

    def card_ids(self, profile: Profile) -> set[str]:
        """The cards this profile has studied (cheap: no state is read)."""
        return cards.card_ids(self.conn, profile.id)

    def cards(self, profile: Profile) -> dict[str, CardRow]:
        rows = self._parsed(
            cards.raw_cards(self.conn, profile.id), cards.parse_row, lambda r: f"card {r[0]}"
        )
        return {row.card_id: row for row in rows}

    def due_times(
        self, profile: Profile, *, until: datetime | None = None, after: datetime | None = None
    ) -> Iterator[tuple[str, datetime]]:
        return cards.due_times(
            self.conn,
            profile.id,
            until=until,
            after=after,
            bad=lambda p: self.report(p + " skipped"),
        )

    # --- figures of the loaded items (see store/figures.py) ---------------------------

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside the block see one state of the file (one read transaction),
        whatever other processes commit meanwhile; nested in a transaction, that one."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def use_items(self, token: str, rows: Callable[[], Iterable[tuple[str, int]]]) -> None:
        """The loaded items (card id, group) the figures below count, kept per connection
        and made again only for another `token` (see `figures.use_items`)."""
        figures.use_items(self.conn, token, rows)

    def group_figures(
        self,
        profile: Profile,
        now: datetime,
        since: datetime,
        curve: tuple[float, float],
        *,
        studied: bool = True,
    ) -> dict[int, figures.GroupFigures]:
        """Per group of the loaded items: studied, summed recall, due now (and of those,
        introduced since `since`), suspended unseen; a due time the store cannot read is
        reported and not counted (see `figures.group_figures`)."""
        for card_id in figures.unreadable_due(self.conn, profile.id):
            self.report(f"card {card_id}: unreadable due time; not counted as due")
        return figures.group_figures(
            self.conn, profile.id, to_db(now), to_db(since), curve, studied=studied
        )

    def bank_figures(
        self,
        profile: Profile,
        token: str,
        prefixes: Sequence[str],
        items: Sequence[Container[str]],
        now: datetime,
        curve: tuple[float, float],
    ) -> list[tuple[int, float]]:
        """Per bank (its card ids start with `prefixes[k]`, its loaded items are `items[k]`,
        `token` names these as `use_items` does): its items studied and their summed recall
        at `now` (see `figures.prefix_figures` and `figures.Outsiders`). In a snapshot."""
        gone = self._outsiders.get(
            self.conn, profile.id, token, prefixes, items, keep=not self._in_txn
        )
        return figures.prefix_figures(self.conn, profile.id, prefixes, gone, to_db(now), curve)

    def due_per_day(self, profile: Profile, bounds: Sequence[str]) -> list[int]:
        """Loaded cards, not suspended, due within each pair of stored-time `bounds`."""
        return figures.due_per_day(self.conn, profile.id, bounds)

    def loaded_due_times(self, profile: Profile, after: datetime, before: datetime) -> list[str]:
        """Stored due times of the loaded cards, not suspended, after `after`, before `before`."""
        return figures.due_between(self.conn, profile.id, to_db(after), to_db(before))

    def first_loaded_due(self, profile: Profile, after: datetime) -> datetime | None:
        """When the first loaded card, not suspended, falls due after `after`."""
        due = figures.first_due_after(self.conn, profile.id, to_db(after))
        return None if due is None else from_db(due)

    def loaded_due_cards(self, profile: Profile, after: datetime, until: datetime) -> list[str]:
        """Loaded cards, not suspended, due after `after` up to `until`, soonest first."""
        return figures.loaded_due_between(self.conn, profile.id, to_db(after), to_db(until))

    def version(self) -> tuple[int, int]:
        """Changes whenever anything was committed since, by this connection or another."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0]), self.commits

    def due_entries(
        self, profile: Profile, after: datetime | None, until: datetime
    ) -> list[tuple[str, str, str]]:
        """(due, card_id, introduced), stored text, of the cards falling due after `after`
        (all if None) up to `until`, in due order; a due time the store cannot read is
        reported and left out."""
        out = []
        for row in cards.due_entries(self.conn, profile.id, after, until):
            try:
                from_db(row[0])
            except ValueError as exc:
                self.report(f"card {row[1]}: {exc} skipped")
                continue
            out.append(row)
        return out

    def first_due_after(
        self, profile: Profile, after: datetime, among: Container[str]
    ) -> str | None:
        """The due time (stored text) of the first card `among` those given falling due
        after `after`, or None."""
        return cards.first_due_after(self.conn, profile.id, after, among)

    def reviews_of_older_cards(
        self, profile: Profile, since: datetime, at_most: int | None = None
    ) -> int:
        """Study answers since `since` to cards introduced before it (what the daily
        review limit counts), up to `at_most`; see `reviews.count_older_card_reviews`."""
        return reviews.count_older_card_reviews(self.conn, profile.id, since, at_most)

    def introduced_since(self, profile: Profile, since: datetime) -> int:
        return cards.count_introduced_since(self.conn, profile.id, since)

    def review(self, review_id: int) -> ReviewRow | None:
        try:
            return reviews.get_review(self.conn, review_id)
        except ValueError as exc:
            self.report(f"review {review_id} skipped: {exc}")
            return None

    def reviews(
        self,
        profile: Profile,
        *,
        since: datetime | None = None,
        include_undone: bool = False,
        card_id: str | None = None,
    ) -> list[ReviewRow]:
        rows = reviews.raw_reviews(
            self.conn, profile.id, since=since, include_undone=include_undone, card_id=card_id
        )
        return list(self._parsed(rows, reviews.parse_row, lambda r: f"review {r[0]}"))

    def scheduled_reviews(self, profile: Profile) -> list[ScheduledReview]:
        """The answers that moved this profile's schedule, oldest first (for fsrs logs)."""

        def parse(r: tuple[Any, ...]) -> ScheduledReview:
            return ScheduledReview(r[0], r[1], r[2], from_db(r[3]), r[4])

        rows = reviews.scheduled(self.conn, profile.id)
        return list(self._parsed(rows, parse, lambda r: f"review of {r[1]} at {r[3]!r}"))

    def activity_totals(self, profile: Profile) -> tuple[int, int]:
        """All answers and full-credit answers; rows with a bad time are named and left out."""
        answers, full, bad = reviews.activity_totals(self.conn, profile.id)
        if bad:
            self.report_bad_review_times(profile)
        return answers, full

    def active_days(self, profile: Profile, days: Sequence[tuple[str, str]]) -> list[bool]:
        return reviews.active_days(self.conn, profile.id, days)

    def activity_per_day(self, profile: Profile, bounds: Sequence[str]) -> list[tuple[int, int]]:
        """(answers, full-credit answers) between each two `bounds` (activity slot text)."""
        return reviews.activity_per_day(self.conn, profile.id, bounds)

    def activity_slots(
        self, profile: Profile, since: datetime, until: datetime
    ) -> list[tuple[str, int, int]]:
        return reviews.activity_slots(self.conn, profile.id, since, until)

    def report_bad_review_times(self, profile: Profile) -> None:
        """Name each review whose time is unreadable (a scan: only when one is known to exist)."""
        for rid, ts in reviews.bad_times(self.conn, profile.id):
            self.report(f"review {rid} skipped: unreadable or out-of-range time {ts!r}")

    # --- marks: suspended and flagged cards -----------------------------------------

    def suspended(self, profile: Profile) -> set[str]:
        """The cards this profile has suspended (never served, not counted)."""
        return marks.suspended_ids(self.conn, profile.id)

    def suspend(self, profile: Profile, card_id: str, now: datetime) -> bool:
        """Suspend a card (committed); False if it already was. Its schedule is kept."""
        with self.transaction() as conn:
            return marks.suspend(conn, profile.id, card_id, now)

    def unsuspend(self, profile: Profile, card_id: str) -> bool:
        """Serve the card again, where its schedule left off; False if it was not suspended."""
        with self.transaction() as conn:
            return marks.unsuspend(conn, profile.id, card_id)

    def flag(self, profile: Profile, flag: Flag) -> None:
        """Record (or replace) a problem flag, committed; ValueError for an unusable note."""
        with self.transaction() as conn:
            marks.put_flag(conn, profile.id, flag)

    def unflag(self, profile: Profile, card_id: str) -> bool:
        with self.transaction() as conn:
            return marks.remove_flag(conn, profile.id, card_id)

    def flags(self, profile: Profile) -> list[Flag]:
        """This profile's flags, oldest first."""
        return marks.flags(self.conn, profile.id, self.report)


class _Block(Generic[T]):
    """`with store.transaction() as conn` / `with store.write(profile) as tx`: a plain
    context manager (a generator-made one costs more than the block's Python on every
    answer)."""

    __slots__ = ("_store", "_value")

    def __init__(self, store: Store, value: T) -> None:
        self._store = store
        self._value = value

    def __enter__(self) -> T:
        self._store._begin()
        return self._value

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._store._end(e)
