"""`immunoquiz validate`: what an educator sees and the exit status scripts rely on."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from immunoquiz.cli import main
from immunoquiz.paths import format_doc

DATA = Path(__file__).parent.parent / "data"
MINIMAL = DATA / "valid" / "minimal.yaml"
ALL_TYPES = DATA / "valid" / "all_types.yaml"
BROKEN = DATA / "broken"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_valid_files_exit_0_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(MINIMAL), str(ALL_TYPES))
    assert code == 0
    assert out == ""
    assert err == "2 files checked: 2 valid, 0 invalid, 0 errors\n"


def test_problems_are_listed_then_summarised(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in ("three_problems.yaml", "unknown_option_key.yaml"):
        shutil.copy(BROKEN / name, tmp_path / name)
    shutil.copy(MINIMAL, tmp_path / "minimal.yaml")
    code, out, err = run(capsys, str(tmp_path))
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == (
        f"{tmp_path}/three_problems.yaml:18:19: unknown key 'corect' in option "
        "(did you mean 'correct'?)"
    )
    assert len(lines) == 6
    # where to read about every key, in the copy this installation carries
    assert lines[-2] == f"The bank format, key by key: {format_doc()}"
    assert format_doc().name == "bank-format.md" and format_doc().is_file()
    assert lines[-1] == "3 files checked: 1 valid, 2 invalid, 4 errors"


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--json", str(MINIMAL), str(BROKEN / "three_problems.yaml"))
    assert code == 1
    assert err == ""
    doc = json.loads(out)
    assert [(f["path"], f["valid"], f["errors"]) for f in doc["files"]] == [
        (str(MINIMAL), True, 0),
        (str(BROKEN / "three_problems.yaml"), False, 3),
    ]
    assert doc["files"][0]["bank"] == "minimal" and doc["files"][0]["items"] == 1
    assert doc["problems"][0] == {
        "path": str(BROKEN / "three_problems.yaml"),
        "line": 18,
        "col": 19,
        "message": "unknown key 'corect' in option (did you mean 'correct'?)",
        "severity": "error",
    }


def test_strict_turns_content_warnings_into_a_failure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, str(ALL_TYPES))[0] == 0
    code, _, err = run(capsys, "--strict", str(ALL_TYPES))
    assert code == 1
    assert f"{ALL_TYPES}:72:5: warning: item 'plus-minus-default' cites no source" in err
    assert f"{ALL_TYPES}:78:9: warning: wrong option 'HER2' in 'plus-minus-default'" in err
    assert err.splitlines()[-1].endswith("0 errors, 11 warnings")
    assert run(capsys, "--strict", str(MINIMAL))[0] == 0


def test_strict_finds_repeats_across_banks_and_unused_sources(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = MINIMAL.read_text()
    other = text.replace("id: minimal", "id: other").replace(
        '    ctcae: {cite: "NCI CTCAE v5.0, 2017"}\n',
        '    ctcae: {cite: "NCI CTCAE v5.0, 2017"}\n    unused: {cite: "Nobody cites me"}\n',
    )
    (tmp_path / "other.yaml").write_text(other.replace("Which CTCAE", "which   ctcae"))
    code, _, err = run(capsys, "--strict", str(MINIMAL), str(tmp_path / "other.yaml"))
    assert code == 1
    assert "source 'unused' is cited by no item" in err
    assert f"asks the same as 'diarrhoea-grade' (line 11 of {MINIMAL})" in err


def test_a_path_that_does_not_exist_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, str(MINIMAL), str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "no such file or folder" in err


def test_no_path_validates_the_bundled_banks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    shutil.copy(MINIMAL, bundled / "minimal.yaml")
    monkeypatch.setattr("immunoquiz.commands.validate.bundled_banks_dir", lambda: bundled)
    code, _, err = run(capsys)
    assert (code, err) == (0, "1 file checked: 1 valid, 0 invalid, 0 errors\n")


def test_no_cache_parses_again(capsys: pytest.CaptureFixture[str], isolated_dirs) -> None:
    assert run(capsys, "--no-cache", str(MINIMAL))[0] == 0
    assert not (isolated_dirs["cache"] / "banks").exists()
    assert run(capsys, str(MINIMAL))[0] == 0
    assert list((isolated_dirs["cache"] / "banks").glob("*.bank"))


def test_validate_never_imports_textual(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "import immunoquiz.cli\n"
        f"code = immunoquiz.cli.main(['validate', '--strict', {str(ALL_TYPES)!r}])\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print('LEAKED', ','.join(leaked))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "IMMUNOQUIZ_CACHE": str(tmp_path / "cache")},
    )
    assert out.stdout.strip() == "LEAKED"


def test_session_files_are_checked_against_the_banks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    session = tmp_path / "week3.yaml"
    session.write_text(
        "format: 1\nsession:\n  title: Week 3\n  items:\n"
        "    - minimal/diarrhoea-grade\n    - minimal/nope\n"
    )
    code, _, err = run(capsys, str(MINIMAL), str(session))
    assert code == 1
    assert f"{session}:6:7: bank 'minimal' has no item 'nope'" in err
    assert err.splitlines()[-1] == "2 files checked: 1 valid, 1 invalid, 1 error"


def test_strict_warns_when_ticking_every_option_earns_full_marks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = ALL_TYPES.read_text().replace(
        "    choose: 2\n    scoring: zero_one\n", "    scoring: zero_one\n"
    )
    (tmp_path / "tick_all.yaml").write_text(text)
    code, _, err = run(capsys, "--strict", str(tmp_path / "tick_all.yaml"))
    assert code == 1
    assert "'irae-signs-choose-2' scores zero_one without 'choose', so ticking every option" in err


def test_a_session_path_written_with_dot_slash_is_counted_invalid(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "week3.yaml").write_text(
        "format: 1\nsession:\n  title: Week 3\n  items: [minimal/nope]\n"
    )
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, str(MINIMAL), "./week3.yaml")
    assert code == 1
    assert "./week3.yaml:4:11: bank 'minimal' has no item 'nope'" in err
    assert err.splitlines()[-1] == "2 files checked: 1 valid, 1 invalid, 1 error"


def test_common_options_work_before_the_command_name_too(tmp_path: Path) -> None:
    from immunoquiz.cli import build_parser

    parser = build_parser()
    before = parser.parse_args(["--data-dir", str(tmp_path), "--banks", "a.yaml", "stats"])
    after = parser.parse_args(["stats", "--data-dir", str(tmp_path), "--banks", "a.yaml"])
    neither = parser.parse_args(["stats"])
    assert (before.data_dir, before.banks) == (str(tmp_path), ["a.yaml"])
    assert (after.data_dir, after.banks) == (str(tmp_path), ["a.yaml"])
    assert (neither.data_dir, neither.banks, neither.profile) == (None, None, None)
