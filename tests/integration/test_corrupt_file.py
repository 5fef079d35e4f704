"""A damaged progress file: one clear line naming it, exit 1, and its bytes unchanged."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from engine_cli import BANK, run

COMMANDS = [
    ["study", "--plain", *BANK],
    ["practice", "--plain", *BANK],
    ["stats", *BANK[:2]],
    ["backup"],
]


@pytest.fixture(scope="module")
def good_file(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real progress file with a few answers, checkpointed so it holds everything."""
    home = tmp_path_factory.mktemp("good")
    done = run(home, "study", "--plain", *BANK, input="1\n2\n1\nq\n")
    assert done.returncode == 0, done.stderr
    path = home / "progress.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()


@pytest.mark.parametrize("how", ["random bytes", "truncated to half", "truncated to 1000 bytes"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_damaged_file_is_reported_and_kept(
    tmp_path: Path, good_file: bytes, how: str, args: list[str]
) -> None:
    path = tmp_path / "progress.sqlite3"
    if how == "random bytes":
        path.write_bytes(os.urandom(len(good_file)))
    elif how == "truncated to half":
        path.write_bytes(good_file[: len(good_file) // 2])
    else:
        path.write_bytes(good_file[:1000])
    before = path.read_bytes()
    result = run(tmp_path, *args, input="1\n")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [message] = result.stderr.strip().splitlines()
    assert str(path) in message
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()
