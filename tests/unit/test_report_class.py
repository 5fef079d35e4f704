"""`immunoquiz report` on a 6-learner class (tests/data/class6, see build.py there):
what an educator reads, and figures no file can poison."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
from pathlib import Path

import pytest

from immunoquiz.cli import main
from immunoquiz.educator import results

CLASS = Path(__file__).parent.parent / "data" / "class6"
BANK = CLASS / "class-demo.yaml"
TITLE = "checkpoint-inhibitors-week-3-check"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the class's results files, free to add to."""
    out = tmp_path / "results"
    out.mkdir()
    for f in CLASS.glob("*.json"):
        shutil.copy(f, out / f.name)
    return out


def report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["report", *args, "--banks", str(BANK)])
    out, err = capsys.readouterr()
    return code, out, err


def doc_of(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    code, out, _ = report(capsys, *args, "--json")
    assert code == 0

    def strict(name: str) -> None:
        raise AssertionError(f"{name} in --json output")

    return json.loads(out, parse_constant=strict)


def write(folder: Path, name: str, doc: dict) -> Path:
    path = folder / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def ben(folder: Path) -> dict:
    return json.loads((folder / f"{TITLE}--ben-okafor--a1.json").read_text())


# 1. Readable results -----------------------------------------------------------------


def test_the_terminal_report_shows_questions_keys_and_who_got_what(capsys, folder) -> None:
    code, out, err = report(capsys, str(folder))
    assert code == 0
    assert "6 learners, 7 items, maximum 11 points" in out
    assert "On which cell is the PD-1 receptor mainly expressed?" in out
    # the distractor table marks the key and counts the picks
    assert (
        "     ✓   4  Activated T cells\n         2  Tumour cells\n         0  Red blood cells"
        in out
    )
    assert "key: 1. Pembrolizumab; 2. PD-1" in out  # a cloze item's key
    # the grid: Sam Lee (time up) answered the first 4 items only
    assert "Sam Lee [sam-lee-2] ✓ ✓ ✓ ✓ · · ·" in out
    assert "✓ full marks  ◐ partial  ✗ wrong  · blank (not answered)" in out


def test_the_grid_wraps_into_blocks_of_numbered_columns() -> None:
    from datetime import UTC, datetime, timedelta

    from immunoquiz.educator.analysis import analyse
    from immunoquiz.educator.render import to_text

    t0 = datetime(2026, 11, 24, 9, tzinfo=UTC)
    attempts = [
        results.AttemptResult(
            "Long check", "h", name, t0, t0 + timedelta(minutes=30),
            tuple(
                results.ItemResult(f"b/q{n}", "single", "t", None, float((n + k) % 2), 1.0, 5,
                                   {"kind": "single", "choice": 0})
                for n in range(30)
            ),
        )
        for k, name in enumerate(["Ana", "Ben", "Cai"])
    ]  # fmt: skip
    out = to_text(analyse(attempts), 80)
    grid = out[out.index("Who got what") : out.index("Answers, item by item")]
    assert "      1  2  3" in grid and " 24 25\nAna" in grid  # items 1-25, then 26-30
    assert "\n     26 27 28 29 30\nAna   ✓  ✗  ✓  ✗  ✓\n" in grid
    assert max(len(line) for line in out.splitlines()) <= 80


def test_json_has_the_grid_questions_and_keys(capsys, folder) -> None:
    doc = doc_of(capsys, str(folder))
    item = doc["items"][0]
    assert item["question"] == "On which cell is the PD-1 receptor mainly expressed?"
    assert item["answer"] == "Activated T cells" and item["key"] == [0]
    assert item["options"][0] == {"label": "Activated T cells", "picked_by": 4, "correct": True}
    sam = next(r for r in doc["learners"] if r["learner_id"] == "sam-lee")
    assert [c["mark"] for c in sam["cells"]][:3] == ["wrong", "partial", "wrong"]
    assert sam["cells"][0]["response"] == "Tumour cells"


# 2. CSV as spreadsheets want it --------------------------------------------------------


def test_csv_writes_one_clean_table_per_file(capsys, folder, tmp_path) -> None:
    code, _, err = report(capsys, str(folder), "--csv", str(tmp_path / "tables"))
    assert code == 0
    files = sorted(p.name for p in (tmp_path / "tables").iterdir())
    assert files == ["items.csv", "learners.csv", "options.csv", "responses.csv"]
    for name in files:
        rows = list(csv.reader(io.StringIO((tmp_path / "tables" / name).read_text())))
        assert len({len(r) for r in rows}) == 1, name  # one table: every row as wide
    responses = list(csv.DictReader((tmp_path / "tables" / "responses.csv").open()))
    assert list(responses[0])[:5] == ["learner", "item", "score", "max", "response"]
    assert len(responses) == 6 * 7
    chloe = [r for r in responses if r["learner"] == "Chloé Martin"]
    assert chloe[0]["response"] == "Activated T cells" and chloe[0]["score"] == "1.0"
    options = list(csv.DictReader((tmp_path / "tables" / "options.csv").open()))
    [grade2] = [o for o in options if o["option"] == "Grade 2"]
    assert (grade2["number"], grade2["correct"], grade2["picked_by"]) == ("4", "True", "3")


def test_csv_refuses_a_file_where_a_folder_is_needed(capsys, folder, tmp_path) -> None:
    (tmp_path / "r.csv").write_text("old")
    code, _, err = report(capsys, str(folder), "--csv", str(tmp_path / "r.csv"))
    assert code == 2 and "--csv takes a folder" in err


# 3. 80 columns -------------------------------------------------------------------------


@pytest.mark.parametrize("columns", [80, 120])
def test_no_line_is_wider_than_the_terminal(capsys, folder, columns: int) -> None:
    from immunoquiz.terminal import width

    long = ben(folder)
    long["learner"]["name"] = "Benedict Oluwaseun Okafor-Williamson of the Night Shift Team"
    long["learner"]["id"] = "ben-long"
    write(folder, "long.json", long)
    _, out, _ = report(capsys, str(folder), "--columns", str(columns))
    assert max(width(line) for line in out.splitlines()) <= columns
    assert "Benedict Oluwaseun" in out


def test_figures_carry_their_units(capsys, folder) -> None:
    _, out, _ = report(capsys, str(folder))
    assert "Mean 55.05%  median 48.48%" in out
    assert "CIC 45.57%  error ratio 73.78%  standard error 1.80 points (16.39% of max)" in out
    assert "10/11 pts  90.91%  pass" in out and "14 min" in out


# 4. Moodle's rules ---------------------------------------------------------------------


def test_cic_error_ratio_and_standard_error_are_empty_with_two_attempts(capsys, tmp_path) -> None:
    for name in ("ana-silva--a1", "ben-okafor--a1"):
        shutil.copy(CLASS / f"{TITLE}--{name}.json", tmp_path)
    doc = doc_of(capsys, str(tmp_path))
    t = doc["test"]
    assert t["cic"] is None and t["error_ratio"] is None and t["standard_error"] is None
    assert t["standard_error_percent"] is None and t["sd_percent"] is not None
    assert any("need more than 2 attempts" in w for w in doc["warnings"])


def test_a_class_under_20_is_warned_that_figures_are_rough(capsys, folder) -> None:
    doc = doc_of(capsys, str(folder))
    assert doc["test"]["cic"] == pytest.approx(45.57, abs=0.01)
    assert doc["test"]["standard_error_percent"] == pytest.approx(16.39, abs=0.01)
    assert any("fewer than 20" in w for w in doc["warnings"])


@pytest.mark.parametrize(("which", "ana"), [("first", 10), ("last", 11), ("best", 11)])
def test_attempts_option_says_which_attempts_count(capsys, folder, which, ana) -> None:
    doc = doc_of(capsys, str(folder), "--attempts", which)
    assert doc["attempts_counted"] == which
    assert [r["score"] for r in doc["learners"] if r["learner_id"] == "ana-silva"] == [ana]
    _, out, _ = report(capsys, str(folder), "--attempts", which)
    assert f"Counted: each learner's {which} attempt." in out


def test_all_attempts_count_each_attempt(capsys, folder) -> None:
    doc = doc_of(capsys, str(folder), "--attempts", "all")
    assert [r["attempt"] for r in doc["learners"] if r["learner_id"] == "ana-silva"] == [1, 2]
    assert doc["test"]["learners"] == 6 and doc["test"]["attempts"] == 7
    _, out, _ = report(capsys, str(folder), "--attempts", "all")
    assert "Ana Silva #1        ✓ ✓ ✓ ✗" in out and "Ana Silva #2        ✓ ✓ ✓ ✓" in out


def test_two_learners_with_one_name_are_both_kept_and_flagged(capsys, folder) -> None:
    doc = doc_of(capsys, str(folder))
    sams = [r for r in doc["learners"] if r["name"] == "Sam Lee"]
    assert [(s["learner_id"], s["same_name"]) for s in sams] == [
        ("sam-lee", True),
        ("sam-lee-2", True),
    ]
    assert any("2 different learners are called 'Sam Lee'" in n for n in doc["notes"])


# 5. No file poisons the class ------------------------------------------------------------


POISONS = {
    "nan": ('"score": 1.0', '"score": NaN', "NaN is not a number JSON allows"),
    "infinity": ('"score": 1.0', '"score": Infinity', "Infinity is not a number JSON allows"),
    "huge": ('"score": 1.0', '"score": 1e308', "'score' 1e+308 is outside 0..1000"),
    "overflow": ('"score": 1.0', '"score": 1e400', "'score' is not a finite number"),
    "above max": ('"score": 1.0', '"score": 2.0', "score 2 is above its max 1"),
    "below zero": ('"score": 1.0', '"score": -1.0', "'score' -1 is outside 0..1000"),
    "seconds": ('"seconds": ', '"seconds": -', "'seconds' -"),
    "ends first": ('"ended": "2026-11-24T09:', '"ended": "2026-11-23T09:', "negative duration"),
    "bool": ('"score": 1.0', '"score": true', "'score' has the wrong type"),
}


@pytest.mark.parametrize("poison", POISONS)
def test_a_poisoned_file_is_skipped_with_its_reason(capsys, folder, poison: str) -> None:
    before = doc_of(capsys, str(folder))["test"]
    old, new, reason = POISONS[poison]
    text = json.dumps(ben(folder), indent=2)
    assert old in text
    bad = ben(folder)
    bad["learner"]["id"] = "poisoned"
    (folder / "poisoned.json").write_text(json.dumps(bad, indent=2).replace(old, new, 1))
    code, out, err = report(capsys, str(folder), "--json")
    assert code == 0
    assert "poisoned.json: " in err and reason in err and "(skipped)" in err
    assert json.loads(out)["test"] == before  # the class's figures are untouched


def test_case_parts_that_do_not_add_up_make_a_file_invalid() -> None:
    parts = [{"id": "a", "score": 1, "max": 1}, {"id": "b", "score": 0, "max": 1}]
    item = {"id": "d/c", "type": "case", "topic": "t", "score": 2, "max": 2, "parts": parts}
    doc = {"format": "immunoquiz-results", "version": 1, "learner": "A",
           "session": {"title": "T", "hash": "h"}, "started": "2026-01-01T09:00:00+00:00",
           "ended": "2026-01-01T09:10:00+00:00", "items": [item]}  # fmt: skip
    with pytest.raises(ValueError, match="case parts' scores do not add up"):
        results.attempt_from_json(doc)
    item["parts"][1]["score"] = 3
    with pytest.raises(ValueError, match="case part 'b': score 3 is above its max 1"):
        results.attempt_from_json(doc)


def test_the_pass_mark_is_the_sessions_not_one_files(capsys, folder) -> None:
    cheat = ben(folder)
    cheat["session"]["pass_mark"] = 0  # "everyone passes"
    cheat["learner"]["id"] = "zed"
    write(folder, "aaa-first-in-order.json", cheat)
    code, out, err = report(capsys, str(folder), "--json")
    doc = json.loads(out)
    assert doc["test"]["pass_mark"] == 60 and doc["test"]["passed"] == 2
    assert "aaa-first-in-order.json: records pass mark 0% but its session's is 60% (skipped)" in err


def test_the_session_file_sets_hash_and_pass_mark(capsys, folder) -> None:
    code, out, err = report(capsys, str(folder), "--session", str(CLASS / "week3.yaml"), "--json")
    assert code == 0 and json.loads(out)["test"]["pass_mark"] == 60
    other = CLASS.parent / "class6-other-session.yaml"
    try:
        other.write_text((CLASS / "week3.yaml").read_text().replace("60", "50"))
        code, out, err = report(capsys, str(folder), "--session", str(other))
    finally:
        other.unlink()
    assert code == 1 and "belongs to a different session" in err


def test_json_output_is_strict_even_for_undefined_figures(capsys, tmp_path) -> None:
    shutil.copy(CLASS / f"{TITLE}--ben-okafor--a1.json", tmp_path)
    doc = doc_of(capsys, str(tmp_path))  # one attempt: most figures undefined
    assert doc["test"]["sd_percent"] is None and doc["items"][0]["discrimination"] is None


# 6. Terminal safety --------------------------------------------------------------------

NASTY = "\x1b]0;owned\x07\x1b[2J\x1b[31mRed\x1b[0m\rPASS\x08\x08X\x9b1m\u202e"


def test_escape_sequences_from_files_never_reach_the_terminal(capsys, folder) -> None:
    sly = ben(folder)
    sly["learner"] = {"id": "aly", "name": "Aly" + NASTY}  # first in order: its options show
    sly["items"][0]["options"][1] = "Tumour" + NASTY
    write(folder, "sly" + NASTY.replace("\x1b]0;", "") + ".json", sly)
    bad = dict(sly, items="x")
    write(folder, "bad\x1b[2J\x07\r.json", bad)
    code, out, err = report(capsys, str(folder))
    assert code == 0
    for ch in "\x1b\x07\r\x08\x9b\u202e":
        assert ch not in out and ch not in err
    assert "AlyRedPASSX" in out and "TumourRedPASSX" in out
    assert "bad.json: 'items' has the wrong type (skipped)" in err


# 7. Special files ------------------------------------------------------------------------


def test_a_fifo_in_the_folder_is_skipped_without_hanging(capsys, folder) -> None:
    os.mkfifo(folder / "pipe.json")  # opening it would wait for a writer forever
    code, _, err = report(capsys, str(folder))
    assert code == 0
    assert "pipe.json: is a named pipe (FIFO), not a regular file; refusing to read it" in err


def test_devices_and_sockets_are_refused(capsys, folder, tmp_path) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "sock.json"))
        code, _, err = report(capsys, str(folder), "/dev/zero")  # would eat memory
    assert code == 0
    assert "/dev/zero: is a character device, not a regular file" in err
    assert "sock.json: is a socket, not a regular file" in err


def test_an_oversized_file_is_refused_before_reading(capsys, folder, monkeypatch) -> None:
    monkeypatch.setattr(results, "MAX_RESULTS_BYTES", 20_000)
    (folder / "big.json").write_text(" " * 30_000 + "{}")
    code, _, err = report(capsys, str(folder))
    assert "big.json: is 30,002 bytes, over the 20,000 bytes limit; refusing to read it" in err


# 8. Compatibility ----------------------------------------------------------------------

OLD_KEYS = {
    "top": {"title", "test", "learners", "items", "notes"},
    "test": {"learners", "items", "max", "mean_percent", "median_percent", "sd_percent", "cic",
             "error_ratio", "standard_error", "pass_mark", "passed"},
    "learner": {"name", "score", "max", "passed", "timed_out", "minutes", "by_topic", "by_step",
                "path"},
    "item": {"id", "type", "topic", "n", "max", "facility", "sd", "discrimination",
             "efficiency", "option_counts", "flags"},
}  # fmt: skip


def test_json_keeps_every_existing_key_with_its_meaning(capsys, folder) -> None:
    doc = doc_of(capsys, str(folder))
    assert OLD_KEYS["top"] <= doc.keys() and OLD_KEYS["test"] <= doc["test"].keys()
    assert all(OLD_KEYS["learner"] <= r.keys() for r in doc["learners"])
    assert all(OLD_KEYS["item"] <= i.keys() for i in doc["items"])
    t = doc["test"]
    assert t["standard_error"] == pytest.approx(0.01 * t["standard_error_percent"] * t["max"])
    assert doc["items"][0]["option_counts"][0] == ["Activated T cells", 4]
    assert doc["learners"][0]["by_topic"]["checkpoints"] == {"points": 10.0, "max": 11.0}


def test_a_version_1_file_is_read_with_an_id_from_its_name(capsys, folder) -> None:
    doc = doc_of(capsys, str(folder))
    dee = next(r for r in doc["learners"] if r["name"] == "Dee Jones")
    assert (dee["learner_id"], dee["status"], dee["score"]) == ("dee-jones", "submitted", 5)


def test_open_attempts_are_listed_apart_with_their_progress(capsys, folder) -> None:
    doc = doc_of(capsys, str(folder))
    assert "eli-park" not in {r["learner_id"] for r in doc["learners"]}
    [eli] = doc["open_attempts"]
    assert (eli["name"], eli["status"], eli["answered"], eli["items"]) == (
        "Eli Park",
        "in_progress",
        3,
        7,
    )
    _, out, _ = report(capsys, str(folder))
    assert "Open attempts (not counted)" in out and "Eli Park    1  in progress  3 of 7" in out


def test_a_final_file_carries_question_and_key_and_a_draft_never_does(capsys, tmp_path) -> None:
    from dataclasses import replace

    from immunoquiz.banks import load
    from immunoquiz.educator.answer_key import describe

    bank = load(BANK, use_cache=False)
    ben_file = CLASS / f"{TITLE}--ben-okafor--a1.json"
    final = results.attempt_from_json(json.loads(ben_file.read_text()))
    keyed = []
    for i in final.items:
        asked = describe(bank.questions[len(keyed)])
        keyed.append(replace(i, question=asked.question, answer=asked.answer, key=asked.key))
    done = replace(final, items=tuple(keyed))
    draft = replace(done, status="in_progress", ended=None)
    assert results.attempt_to_json(done)["items"][0]["answer"] == "Activated T cells"
    assert "answer" not in results.attempt_to_json(draft)["items"][0]
    for learner in ("ana", "ben", "cai"):
        doc = results.attempt_to_json(replace(done, learner=learner.title(), learner_id=learner))
        write(tmp_path, f"{learner}.json", doc)
    # no --banks and no bundled bank with this id: questions and keys come from the files
    assert main(["report", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "On which cell is the PD-1 receptor mainly expressed?" in out
    assert "     ✓   3  Activated T cells" in out and "No answer keys" not in out


def test_an_exam_writes_the_key_only_into_the_final_file(tmp_path) -> None:
    from datetime import UTC, datetime

    from immunoquiz.banks import load
    from immunoquiz.educator.attempt import Attempt, ExamPaper, Learner
    from immunoquiz.educator.exam import order_questions
    from immunoquiz.educator.session_file import load_session
    from immunoquiz.educator.session_spec import select_items
    from immunoquiz.responses import SingleResponse

    bank = load(BANK, use_cache=False)
    spec, problems = load_session(CLASS / "week3.yaml", [bank])
    assert spec is not None and problems == []
    chosen, _ = select_items(spec, [bank])
    paper = ExamPaper(spec, tuple(order_questions(spec, chosen)))
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    attempt = Attempt.open(paper, Learner("ana", "Ana"), tmp_path, clock=lambda: now)
    attempt.answer(0, SingleResponse(0))
    draft = json.loads(attempt.path.read_text())
    assert draft["status"] == "in_progress"
    assert not any("key" in i or "answer" in i for i in draft["items"])
    attempt.submit()
    first = json.loads(attempt.path.read_text())["items"][0]
    assert first["question"] == "On which cell is the PD-1 receptor mainly expressed?"
    assert (first["answer"], first["key"]) == ("Activated T cells", [0])


def test_wide_characters_never_push_a_line_past_80_columns(capsys, folder) -> None:
    from immunoquiz.terminal import width

    wide = ben(folder)
    wide["learner"] = {"id": "li-lei", "name": "李雷" * 20}
    wide["items"][0]["options"][1] = "肿瘤细胞" * 30
    write(folder, "aaa-wide.json", wide)
    _, out, _ = report(capsys, str(folder), "--columns", "80")
    assert max(width(line) for line in out.splitlines()) <= 80
    assert "李雷李雷" in out
