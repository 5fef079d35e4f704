"""`validate` and `--banks` refuse FIFOs and devices in one line, and file names cannot
drive the educator's terminal."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from immunoquiz.cli import main

MINIMAL = Path(__file__).parent.parent / "data" / "valid" / "minimal.yaml"


def test_validate_refuses_a_fifo_named_or_found_in_a_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shutil.copy(MINIMAL, tmp_path / "ok.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")  # reading it would hang the command
    code = main(["validate", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{tmp_path / 'pipe.yaml'}:1:1: is a named pipe (FIFO), not a regular file" in err
    code = main(["validate", str(tmp_path / "pipe.yaml")])
    assert code == 1
    assert "named pipe" in capsys.readouterr().err


def test_validate_refuses_a_device(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", "/dev/zero"])  # reading it would never end
    err = capsys.readouterr().err
    assert code == 1
    assert "/dev/zero:1:1: is a character device, not a regular file" in err


def test_banks_option_refuses_a_fifo(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "extra.yaml")
    main(["validate", "--banks", str(tmp_path / "extra.yaml")])
    assert "extra.yaml:1:1: is a named pipe (FIFO)" in capsys.readouterr().err


def test_escape_sequences_in_a_file_name_do_not_reach_the_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    name = "x\x1b]0;owned\x07\x1b[2J\rPASS\x08.yaml"
    (tmp_path / name).write_text("not: [a bank", encoding="utf-8")
    main(["validate", str(tmp_path / name)])
    missing = main(["validate", str(tmp_path / ("gone\x1b[31m" + name))])
    err = capsys.readouterr().err
    assert missing == 2
    for ch in "\x1b\x07\r\x08":
        assert ch not in err
    assert "x0;owned" not in err and "xPASS.yaml" in err
