"""FIFOs, sockets and devices are refused by type before anything opens them."""

import os
import socket
from pathlib import Path

import pytest

from immunoquiz.special_files import (
    FileTooLarge,
    NotRegularFile,
    read_regular,
    special_file_reason,
)


def test_a_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "results.json"
    os.mkfifo(fifo)  # opening it for reading would block: the test would hang
    assert (
        special_file_reason(fifo)
        == "is a named pipe (FIFO), not a regular file; refusing to read it"
    )
    with pytest.raises(NotRegularFile, match="named pipe"):
        read_regular(fifo)


def test_a_device_is_refused() -> None:
    assert "character device" in (special_file_reason("/dev/zero") or "")
    with pytest.raises(NotRegularFile):
        read_regular("/dev/zero", limit=10)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        assert "socket" in (special_file_reason(path) or "")


def test_a_symlink_to_a_fifo_is_judged_by_its_target(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "pipe")
    assert special_file_reason(tmp_path / "link.yaml") is not None


def test_regular_files_folders_and_missing_paths_pass(tmp_path: Path) -> None:
    f = tmp_path / "a.json"
    f.write_bytes(b"{}")
    assert special_file_reason(f) is None
    assert special_file_reason(tmp_path) is None
    assert special_file_reason(tmp_path / "missing") is None
    assert read_regular(f, limit=2) == b"{}"


def test_the_size_cap_is_checked_before_reading(tmp_path: Path) -> None:
    f = tmp_path / "big.json"
    f.write_bytes(b"x" * 101)
    with pytest.raises(FileTooLarge, match="over the 100 bytes limit"):
        read_regular(f, limit=100)
