"""Results files: written without collisions, read back, and bad ones skipped with a reason."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from immunoquiz.cli import main
from immunoquiz.educator.results import (
    AttemptResult,
    ItemResult,
    attempt_from_json,
    attempt_to_json,
    read_results,
    slug,
    write_results,
)

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def make(
    name: str,
    marks: list[int],
    *,
    ended_min: int = 10,
    session_hash: str = "abc",
    number: int = 1,
) -> AttemptResult:
    items = tuple(
        ItemResult(
            id=f"demo/q{n}",
            type="single",
            topic="checkpoints",
            step=None,
            score=m,
            max=1,
            seconds=5,
            response={"kind": "single", "choice": 0 if m else 1},
            options=('=HYPERLINK("x")', "@SUM(A1)", "plain"),
            picked=(0 if m else 1,),
        )
        for n, m in enumerate(marks)
    )
    return AttemptResult(
        "Week 3 check",
        session_hash,
        name,
        T0,
        T0 + timedelta(minutes=ended_min),
        items,
        50.0,
        learner_id=slug(name),
        attempt=number,
    )


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    a = make("Ana", [1, 0, 1])
    path = write_results(a, tmp_path)
    back = attempt_from_json(json.loads(path.read_text()), str(path))
    assert back == AttemptResult(**{**a.__dict__, "path": str(path)})


def test_two_learners_with_the_same_name_and_start_never_overwrite(tmp_path: Path) -> None:
    p1 = write_results(make("Ana", [1]), tmp_path)
    p2 = write_results(make("Ana", [0]), tmp_path)
    assert p1 != p2 and p1.exists() and p2.exists()
    assert p1.name == "week-3-check--ana--a1.json"


def test_bad_files_are_reported_and_skipped(tmp_path: Path) -> None:
    good = [
        write_results(make(n, m), tmp_path)
        for n, m in (("Ana", [1, 1]), ("Ben", [1, 0]), ("Cai", [0, 0]))
    ]
    (tmp_path / "broken.json").write_text('{"format": "immunoquiz-results",\n  oops}')
    other = attempt_to_json(make("Dee", [1, 1], session_hash="zzz"))
    (tmp_path / "other.json").write_text(json.dumps(other))
    extra = attempt_to_json(make("Eve", [1, 1]))
    extra["items"][1]["id"] = "demo/not-in-session"
    (tmp_path / "extra.json").write_text(json.dumps(extra))
    loaded = read_results([tmp_path])
    assert sorted(a.learner for a in loaded.attempts) == ["Ana", "Ben", "Cai"]
    messages = {Path(p.path).name: str(p) for p in loaded.problems}
    assert messages["broken.json"].endswith(
        "broken.json:2:3: not valid JSON: "
        "Expecting property name enclosed in double quotes (skipped)"
    )
    assert "different session" in messages["other.json"]
    assert "'demo/not-in-session' is not in this session" in messages["extra.json"]
    assert all(p.exists() for p in good)


def test_attempts_option_picks_first_last_best_or_all(tmp_path: Path) -> None:
    write_results(make("Ana", [1, 0], number=1), tmp_path)
    write_results(make("Ana", [1, 1], number=2), tmp_path)
    write_results(make("Ana", [0, 0], number=3), tmp_path)
    write_results(make("Ben", [1, 0]), tmp_path)

    def ana(which: str) -> list[float]:
        loaded = read_results([tmp_path], which=which)
        return [a.score for a in loaded.attempts if a.learner == "Ana"]

    assert ana("first") == [1] and ana("last") == [0] and ana("best") == [2]
    assert ana("all") == [1, 2, 0]
    notes = read_results([tmp_path]).notes
    assert notes == [
        "Ana made 3 attempts; counting the first (week-3-check--ana--a1.json), "
        "not week-3-check--ana--a2.json, week-3-check--ana--a3.json"
    ]


def test_report_command_writes_csv_without_formulas_and_html(tmp_path: Path, capsys) -> None:
    for n, m in (("Ana", [1, 1]), ("Ben", [1, 0]), ("=cmd|' /C calc'!A0", [0, 0])):
        write_results(make(n, m), tmp_path / "results")
    csv_dir, html_path = tmp_path / "tables", tmp_path / "r.html"
    code = main(
        ["report", str(tmp_path / "results"), "--csv", str(csv_dir), "--html", str(html_path)]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "3 learners, 2 items" in out
    assert "never picked: plain" in out
    csv_text = "".join(p.read_text() for p in sorted(csv_dir.iterdir()))
    assert "'=cmd" in csv_text and "'=HYPERLINK" in csv_text and "'@SUM" in csv_text
    assert "\n=" not in csv_text and ",=" not in csv_text and ",@" not in csv_text
    page = html_path.read_text()
    assert page.startswith("<!doctype html>") and "<script" not in page
    assert "=cmd|&#x27; /C calc&#x27;!A0" in page


def test_report_with_no_usable_file_exits_1(tmp_path: Path, capsys) -> None:
    (tmp_path / "x.json").write_text("not json")
    assert main(["report", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "x.json:1:1: not valid JSON" in err and "no usable results files" in err


def test_results_taken_with_another_version_of_a_bank_are_skipped(tmp_path: Path) -> None:
    for name in ("Ana", "Ben", "Cai"):
        a = make(name, [1, 0])
        write_results(AttemptResult(**{**a.__dict__, "banks": {"demo": "v1"}}), tmp_path)
    late = make("Dee", [1, 1])
    odd = write_results(AttemptResult(**{**late.__dict__, "banks": {"demo": "v2"}}), tmp_path)
    loaded = read_results([tmp_path])
    assert sorted(a.learner for a in loaded.attempts) == ["Ana", "Ben", "Cai"]
    assert [str(p) for p in loaded.problems] == [
        f"{odd}: was taken with another version of bank 'demo' than most results (skipped)"
    ]


def test_odd_numbers_and_deep_nesting_are_skipped_not_a_crash(tmp_path: Path) -> None:
    write_results(make("Ana", [1, 1]), tmp_path)
    bad = attempt_to_json(make("Ben", [1, 1]))
    text = json.dumps(bad).replace('"picked": [0]', '"picked": [Infinity]', 1)
    (tmp_path / "inf.json").write_text(text)
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    loaded = read_results([tmp_path])
    assert [a.learner for a in loaded.attempts] == ["Ana"]
    assert {Path(p.path).name for p in loaded.problems} == {"inf.json", "deep.json"}


def test_a_folder_without_hard_links_still_gets_every_file(tmp_path: Path, monkeypatch) -> None:
    import errno
    import os

    def no_links(src, dst):  # what FAT/exFAT USB sticks answer
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    first = write_results(make("Ana", [1]), tmp_path)
    second = write_results(make("Ana", [0]), tmp_path)
    assert first.name == "week-3-check--ana--a1.json"
    assert second.name == "week-3-check--ana--a1-2.json"
    assert json.loads(first.read_text())["items"][0]["score"] == 1
    assert {p.name for p in tmp_path.iterdir()} == {first.name, second.name}  # no temp left


def test_csv_keeps_negative_statistics_as_numbers() -> None:
    from immunoquiz.educator.render import safe_cell

    assert safe_cell("-50.0") == "-50.0" and safe_cell("-") == "-"
    assert safe_cell("-1+1") == "'-1+1" and safe_cell("=1+1") == "'=1+1"
    assert safe_cell("+inf") == "'+inf" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
