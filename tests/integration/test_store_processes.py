"""Several processes on one progress file, bad clocks and bad rows, as a user meets them."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from engine_cli import BANK, REPO, command, env, run

from immunoquiz.store import DB_NAME, MIGRATIONS, SCHEMA_VERSION, Store

OPEN = (
    "import sys; from pathlib import Path; from immunoquiz.store import Store\n"
    "with Store.open(Path(sys.argv[1])) as s: print(s.migration_backup or '')\n"
)


def _old_file_with_answers(home: Path) -> None:
    with Store.open(home, migrations=MIGRATIONS[:-1]) as store:
        profile = store.create_profile("anna")
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO reviews (profile_id, card_id, session, ts, mode, response,"
                " points, max, rule, duration_s, rating) VALUES (?, ?, 's',"
                " '2026-11-27T09:00:00.000000Z', 'study', '{}', 1, 1, 'r', 2.5, 3)",
                [(profile.id, f"b/q{i}") for i in range(50)],
            )


def _no_partial_or_empty(folder: Path) -> None:
    for p in folder.rglob("*"):
        assert not p.name.endswith(".partial"), p
        if p.suffix == ".sqlite3":
            assert p.stat().st_size > 0, p


def test_eight_processes_open_an_old_file_at_once(tmp_path: Path) -> None:
    _old_file_with_answers(tmp_path)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN, str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(tmp_path),
            cwd=REPO,
        )  # fmt: skip
        for _ in range(8)
    ]
    results = [(p.wait(timeout=60), *p.communicate()) for p in procs]
    assert [(code, err) for code, _out, err in results] == [(0, "")] * 8
    # Exactly one process upgraded, so exactly one pre-upgrade copy exists.
    made = [out.strip() for _code, out, _err in results if out.strip()]
    assert len(made) == 1
    [backup] = (tmp_path / "backups").iterdir()
    assert str(backup) == made[0]
    _no_partial_or_empty(tmp_path)
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION - 1
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 50
    with Store.open(tmp_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        [profile] = store.profiles()
        assert {r.duration_ms for r in store.reviews(profile)} == {2500}


def test_six_backups_at_once_all_succeed_under_their_own_names(tmp_path: Path) -> None:
    done = run(tmp_path, "study", "--plain", *BANK, input="1\n2\n1\nq\n")
    assert done.returncode == 0, done.stderr
    procs = [
        subprocess.Popen(
            command("backup"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(tmp_path),
            cwd=REPO,
        )  # fmt: skip
        for _ in range(6)
    ]
    results = [(p.wait(timeout=60), *p.communicate()) for p in procs]
    assert [(code, err) for code, _out, err in results] == [(0, "")] * 6
    copies = sorted((tmp_path / "backups").iterdir())
    assert len(copies) == 6
    _no_partial_or_empty(tmp_path)
    for _code, out, _err in results:
        assert "Backed up 1 profile(s) and 3 logged answer(s) to " in out
    for copy in copies:
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 3


@pytest.mark.parametrize(
    "value",
    [
        "0026-11-28T09:00:00Z",
        "9999-12-31T23:59:59Z",
        "2026-11-28T09:00:00",
        "tomorrow",
    ],
)
@pytest.mark.parametrize("args", [["study", "--plain", *BANK], ["stats"], ["backup"]])
def test_bad_clock_is_a_usage_error_before_anything_is_written(
    tmp_path: Path, value: str, args: list[str]
) -> None:
    result = run(tmp_path, *args, input="1\n", now=value)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "IMMUNOQUIZ_NOW" in line and value in line
    assert not (tmp_path / DB_NAME).exists()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_rows_with_bad_times_are_skipped_and_doctor_names_them(tmp_path: Path) -> None:
    done = run(tmp_path, "study", "--plain", *BANK, input="1\n2\nq\n")
    assert done.returncode == 0, done.stderr
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as conn:  # what IMMUNOQUIZ_NOW=0026-... wrote in older versions
        conn.execute(
            "INSERT INTO reviews (profile_id, card_id, session, ts, mode, response, points,"
            " max, rule, rating) VALUES (1, 'engine-demo/q1', 's',"
            " '0026-11-28T09:00:00.000000Z', 'practice', '{}', 1, 1, 'r', NULL)"
        )
        bad_id = conn.execute("SELECT max(id) FROM reviews").fetchone()[0]
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stats = run(tmp_path, "stats", *BANK[:2])
    assert stats.returncode == 0, stats.stderr
    assert "of 2 answers" in stats.stdout
    assert f"review {bad_id} skipped" in stats.stderr
    assert stats.stderr.count(f"review {bad_id}") == 1

    before = _digest(path)
    files = sorted(p.name for p in tmp_path.iterdir())
    doctor = run(tmp_path, "doctor")
    assert doctor.returncode == 1
    assert f"{path}: review {bad_id}: time " in doctor.stdout
    assert "0026-11-28" in doctor.stdout
    assert "nothing was changed" in doctor.stdout
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files


def test_doctor_on_a_healthy_file(tmp_path: Path) -> None:
    done = run(tmp_path, "study", "--plain", *BANK, input="1\nq\n")
    assert done.returncode == 0, done.stderr
    result = run(tmp_path, "doctor")
    assert result.returncode == 0, result.stdout
    assert "no problems found (1 profile(s), 1 card(s), 1 logged answer(s)" in result.stdout


def test_fifo_progress_file_is_refused_by_stats_and_study(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / DB_NAME)
    for args in (["stats", *BANK[:2]], ["study", "--plain", *BANK], ["doctor"], ["backup"]):
        result = run(tmp_path, *args, input="q\n")
        assert result.returncode == 1, (args, result.stderr)
        [line] = result.stderr.strip().splitlines()
        assert str(tmp_path / DB_NAME) in line and "FIFO" in line


def _as_unprivileged(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(*args), input="1\nq\n", capture_output=True, text=True, timeout=60,
        env=env(home), cwd=REPO,
    )  # fmt: skip


@pytest.fixture
def shared_home() -> object:
    """A data folder an unprivileged user can reach (pytest's tmp_path is root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="immunoquiz-ro-"))
    folder.chmod(0o755)
    yield folder
    for p in [folder, *folder.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    shutil.rmtree(folder)


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root writes through file permissions (tried by hand on a read-only mount)",
)
@pytest.mark.parametrize("what", ["folder", "file"])
def test_read_only_folder_or_file_is_named_as_such(shared_home: Path, what: str) -> None:
    home = shared_home / "home"
    done = run(home, "study", "--plain", *BANK, input="1\nq\n")
    assert done.returncode == 0, done.stderr
    for p in [home, *home.rglob("*")]:
        if p.is_dir():
            p.chmod(0o777 if what == "file" else 0o555)
        else:
            p.chmod(0o444 if what == "file" else 0o666)
    before = _digest(home / DB_NAME)
    result = _as_unprivileged(home, "study", "--plain", *BANK)
    assert result.returncode == 1, result.stdout + result.stderr
    [line] = [x for x in result.stderr.splitlines() if x.strip()]
    assert str(home / DB_NAME) in line
    expected = f"the folder {home} is read-only" if what == "folder" else "is read-only"
    assert expected in line
    assert "damaged" not in line and "restore a backup" not in line
    assert _digest(home / DB_NAME) == before
