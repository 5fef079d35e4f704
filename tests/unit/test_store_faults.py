"""The store under faults: refused files keep their bytes (and their -wal), causes are named."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from immunoquiz import scheduling
from immunoquiz.responses import Score, SingleResponse
from immunoquiz.store import (
    DB_NAME,
    SCHEMA_VERSION,
    ReviewEntry,
    Store,
    StoreError,
)
from immunoquiz.store.errors import from_sqlite_error

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
FULL = Score(1, 1, "correct/incorrect")


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _hashes(folder: Path) -> tuple[str | None, str | None]:
    path = folder / DB_NAME
    return _digest(path), _digest(path.with_name(DB_NAME + "-wal"))


def _snapshot_with_wal(src: Path, dest: Path) -> None:
    """Copy a live store's file and its -wal (the last answers are only in the WAL)."""
    dest.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(src / (DB_NAME + suffix), dest / (DB_NAME + suffix))


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "live")
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")  # keep every change in the WAL
    profile = store.create_profile("anna", NOW)
    with store.write(profile) as tx:
        entry = ReviewEntry("b/i", "s", NOW, "study", SingleResponse(0), FULL, 1500, 3)
        tx.review(entry, state=scheduling.card_to_json(scheduling.new_card(NOW)), due=NOW)
    yield store
    store.close()


def test_data_only_in_the_wal_is_read_not_lost(live: Store, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    _snapshot_with_wal(live.path.parent, copy)
    with Store.open(copy) as store:
        anna = store.get_profile("anna")
        assert anna is not None
        assert [r.duration_ms for r in store.reviews(anna)] == [1500]


def _newer(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")


def _foreign(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA application_id = 1234")


def _damaged(conn: sqlite3.Connection) -> None:
    # Most pages in the main file (damaged after the copy, see below), one change in the WAL.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("INSERT INTO profiles (name, created) VALUES ('ben', '2026-11-28T09:00:00Z')")


@pytest.mark.parametrize("make", [_newer, _foreign, _damaged], ids=["newer", "foreign", "damaged"])
def test_refused_file_and_its_wal_keep_their_bytes(
    live: Store, tmp_path: Path, make: object
) -> None:
    assert callable(make)
    make(live.conn)
    copy = tmp_path / "copy"
    _snapshot_with_wal(live.path.parent, copy)
    if make is _damaged:
        data = (copy / DB_NAME).read_bytes()
        (copy / DB_NAME).write_bytes(data[:4096] + os.urandom(len(data) - 4096))
    before = _hashes(copy)
    assert before[1] is not None  # there is a -wal, with data in it
    with pytest.raises(StoreError) as info:
        Store.open(copy)
    assert str(copy / DB_NAME) in str(info.value)
    assert "\n" not in str(info.value)
    assert _hashes(copy) == before
    assert not (copy / "backups").exists()


def test_refused_file_without_wal_gets_no_wal(live: Store, tmp_path: Path) -> None:
    _newer(live.conn)
    live.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copyfile(live.path, copy / DB_NAME)
    before = _hashes(copy)
    with pytest.raises(StoreError, match="newer immunoquiz"):
        Store.open(copy)
    assert _hashes(copy) == before == (before[0], None)
    assert sorted(p.name for p in copy.iterdir()) == [DB_NAME]


@pytest.mark.parametrize("where", ["", "-wal", "-shm"])
def test_fifo_is_refused_without_hanging(tmp_path: Path, where: str) -> None:
    os.mkfifo(tmp_path / (DB_NAME + where))
    if where:
        with Store.open(tmp_path / "seed"):
            pass
        shutil.copyfile(tmp_path / "seed" / DB_NAME, tmp_path / DB_NAME)
    with pytest.raises(StoreError, match="FIFO") as info:
        Store.open(tmp_path)
    assert info.value.cause == "special-file"
    assert str(tmp_path / (DB_NAME + where)) in str(info.value)


def test_full_disk_while_answering_names_the_file_and_cause(live: Store) -> None:
    # SQLite reports SQLITE_FULL when the file may not grow (here: a page cap).
    pages = live.conn.execute("PRAGMA page_count").fetchone()[0]
    live.conn.execute(f"PRAGMA max_page_count = {pages}")
    anna = live.get_profile("anna")
    assert anna is not None
    big = SingleResponse(0)
    with pytest.raises(StoreError) as info, live.write(anna) as tx:
        for n in range(2000):
            tx.log(ReviewEntry(f"b/q{n}", "s" * 500, NOW, "practice", big, FULL, 10))
    assert info.value.cause == "disk-full"
    assert str(live.path) in str(info.value) and "disk is full" in str(info.value)
    assert len(live.reviews(anna)) == 1  # nothing of the failed transaction was kept


def test_locked_file_says_so_and_how_long_it_waited(live: Store) -> None:
    other = sqlite3.connect(live.path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        fast = sqlite3.connect(live.path, isolation_level=None, timeout=0)
        with pytest.raises(sqlite3.OperationalError) as raw:
            fast.execute("BEGIN IMMEDIATE")
        fast.close()
    finally:
        other.execute("ROLLBACK")
        other.close()
    err = from_sqlite_error(raw.value, live.path, "cannot save", waited_s=15.2)
    assert err.cause == "locked"
    assert str(err).startswith(f"{live.path}: cannot save: ")
    assert "locked by another process (waited 15 s)" in str(err)


def test_bad_times_are_refused_on_write(live: Store) -> None:
    anna = live.get_profile("anna")
    assert anna is not None
    for when in (datetime(26, 11, 28, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC)):
        with pytest.raises(ValueError, match="outside the years"):
            ReviewEntry("b/i", "s", when, "practice", SingleResponse(0), FULL, None)
    with pytest.raises(ValueError, match="no time zone"):
        ReviewEntry("b/i", "s", datetime(2026, 1, 1), "practice", SingleResponse(0), FULL, None)


def test_unreadable_rows_are_skipped_and_reported_once(live: Store) -> None:
    anna = live.get_profile("anna")
    assert anna is not None
    with live.transaction() as conn:  # as an older version wrote them, from IMMUNOQUIZ_NOW=0026-
        conn.execute(
            "INSERT INTO reviews (profile_id, card_id, session, ts, mode, response, points,"
            " max, rule, rating) VALUES (?, 'b/j', 's', '0026-11-28T09:00:00.000000Z',"
            " 'practice', '{}', 1, 1, 'r', NULL)",
            (anna.id,),
        )
    bad_id = live.conn.execute("SELECT max(id) FROM reviews").fetchone()[0]
    assert len(live.reviews(anna)) == 1
    assert len(live.reviews(anna)) == 1
    assert live.problems == [
        f"{live.path}: review {bad_id} skipped: time '0026-11-28T09:00:00.000000Z' "
        "0026-11-28T09:00:00+00:00 is outside the years 2000-2301"
    ]


def test_two_sessions_and_undo_never_leave_an_undone_state(tmp_path: Path) -> None:
    """A answers, B answers the same card, both undo: the card is back as before A."""
    from immunoquiz.banks.model import Bank, Option, SingleItem
    from immunoquiz.study import open_session

    item = SingleItem(id="q", prompt="?", options=(Option("y", True), Option("n")), explanation=".")
    bank = Bank(id="b", title="B", topic="t", questions=(item,))
    with Store.open(tmp_path) as first:
        profile = first.create_profile("anna", NOW)
    clock = [NOW]
    a_store, b_store = Store.open(tmp_path), Store.open(tmp_path)
    try:
        a = open_session(a_store, profile, [bank], now=lambda: clock[0])
        b = open_session(b_store, profile, [bank], now=lambda: clock[0])
        card = a.catalog["b/q"]
        a.answer(card, SingleResponse(0), 3.0)
        clock[0] += timedelta(minutes=20)
        b.answer(card, SingleResponse(1), 4.0)
        after_b = b_store.card(profile, "b/q")
        assert a.undo() == card
        assert a.undo_notice is not None and "Another session" in a.undo_notice
        assert a_store.card(profile, "b/q") == after_b  # left as B set it
        assert b.undo() == card and b.undo_notice is None
        # Both answers are undone: the card is new again, not in A's state.
        assert a_store.card(profile, "b/q") is None
        assert a_store.reviews(profile) == []
    finally:
        a_store.close()
        b_store.close()


def test_review_log_maps_to_fsrs_review_logs(tmp_path: Path) -> None:
    from immunoquiz.banks.model import Bank, Option, SingleItem
    from immunoquiz.study import open_session

    items = tuple(
        SingleItem(
            id=f"q{i}", prompt="?", options=(Option("y", True), Option("n")), explanation="."
        )
        for i in range(3)
    )
    bank = Bank(id="b", title="B", topic="t", questions=items)
    scheduler = scheduling.make_scheduler(fuzz=False)
    clock = [NOW]
    with Store.open(tmp_path) as store:
        profile = store.create_profile("anna", NOW)
        session = open_session(
            store, profile, [bank], now=lambda: clock[0], scheduler=scheduler, seed=1
        )
        for n in range(7):
            card = session.next()
            assert card is not None
            session.answer(card, SingleResponse(n % 3 and 1), 2.5 + n)
            clock[0] += timedelta(minutes=11)
        session.answer(session.catalog["b/q0"], SingleResponse(0), 1.0)
        session.undo()  # an undone answer is not part of the history fsrs learns from
        logs = scheduling.review_logs(store.scheduled_reviews(profile))
        stored = store.cards(profile)
    assert len(logs) == 7
    assert all(log.review_duration is not None and log.review_duration >= 2500 for log in logs)
    assert {log.card_id for log in logs} == {r.card_number for r in store_numbers(tmp_path)}
    # Replaying each card's logs through fsrs gives the state the store holds.
    for card_id, row in stored.items():
        number = next(r.card_number for r in store_numbers(tmp_path) if r.card_id == card_id)
        card = scheduling.new_card(NOW)
        for log in (x for x in logs if x.card_id == number):
            card, _ = scheduling.review(
                scheduler, card, log.rating, log.review_datetime, (log.review_duration or 0) / 1000
            )
        assert scheduling.card_from_json(row.state).due == card.due
        assert scheduling.card_from_json(row.state).stability == card.stability


def store_numbers(folder: Path) -> list[object]:
    with Store.open(folder) as store:
        [profile] = store.profiles()
        return list(store.scheduled_reviews(profile))
