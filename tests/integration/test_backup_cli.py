"""`immunoquiz backup`: a consistent, standalone copy; never over an existing file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from engine_cli import BANK, run


def test_backup_copies_every_answer(tmp_path: Path) -> None:
    home = tmp_path / "home"
    nothing = run(home, "backup")
    assert nothing.returncode == 1 and "nothing to back up" in nothing.stderr
    assert run(home, "study", "--plain", *BANK, input="1\n2\n1\n").returncode == 0
    dest = tmp_path / "copy.sqlite3"
    done = run(home, "backup", str(dest))
    assert done.returncode == 0, done.stderr
    assert "3 logged answer(s)" in done.stdout and str(dest) in done.stdout
    with sqlite3.connect(dest) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 3
    assert not Path(str(dest) + "-wal").exists()
    again = run(home, "backup", str(dest))
    assert again.returncode == 1 and "already exists" in again.stderr
    into_folder = run(home, "backup", str(tmp_path))
    assert into_folder.returncode == 0, into_folder.stderr
    assert len(list(tmp_path.glob("progress-*.sqlite3"))) == 1
