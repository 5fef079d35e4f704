"""`immunoquiz exam --plain`, driven like a trainee or a script would: lines in, text out.

A fake clock (the command's `clock_factory` test hook) moves only when the
script says so, so the time limit is reached without waiting.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from immunoquiz import cli, paths
from immunoquiz.banks import load
from immunoquiz.commands import exam as exam_command
from immunoquiz.educator.results import read_results
from immunoquiz.plain.display import Display
from immunoquiz.plain.exam import answer_text, parse_command
from immunoquiz.responses import Score, SingleResponse
from immunoquiz.store import ReviewEntry, Store
from immunoquiz.store.schema import MIGRATIONS
from immunoquiz.study import open_session

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

BANK = """\
format: 1
bank:
  id: demo
  title: Demo bank
  topic: checkpoints
questions:
  - id: pd1
    type: single
    prompt: "On which cell is PD-1 mainly expressed? [bold]not markup[/]"
    options:
      - {text: Activated T cells, correct: true}
      - {text: Tumour cells, why: They express PD-L1.}
      - {text: Platelets}
    explanation: Anti-PD-1 blocks the receptor on T cells.
  - id: pembro
    type: true_false
    statement: Pembrolizumab is an anti-PD-1 antibody.
    answer: true
    explanation: It binds PD-1.
  - id: which
    type: multiple
    prompt: Which drugs block PD-1?
    options:
      - {text: Pembrolizumab, correct: true}
      - {text: Nivolumab, correct: true}
      - {text: Ipilimumab}
    explanation: Ipilimumab blocks CTLA-4.
  - id: name
    type: cloze
    text: "{{Pembrolizumab}} blocks PD-1."
    explanation: Pembrolizumab.
"""


def session_yaml(**overrides: object) -> str:
    fields: dict[str, object] = {
        "title": "Week 1 check",
        "time_limit": 10,
        "pass_mark": 50,
        "shuffle": "false",
        "feedback": "end",
    }
    fields.update(overrides)
    lines = ["format: 1", "session:"]
    lines += [f"  {k}: {v}" for k, v in fields.items()]
    lines += ["  items: [demo/pd1, demo/pembro, demo/which, demo/name]"]
    return "\n".join(lines) + "\n"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


class Script(io.StringIO):
    """Standard input: strings are typed lines; a callable runs between two lines."""

    def __init__(self, *steps: str | Callable[[], None]) -> None:
        super().__init__()
        self.steps = list(steps)

    def readline(self, size: int = -1) -> str:  # type: ignore[override]
        while self.steps:
            step = self.steps.pop(0)
            if callable(step):
                step()
                continue
            return step + "\n"
        return ""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """Only the test bank is loaded; progress, cache and results live in tmp_path."""
    bundled = tmp_path / "no-bundled-banks"
    bundled.mkdir()
    monkeypatch.setattr(paths, "bundled_banks_dir", lambda: bundled)
    monkeypatch.setenv("IMMUNOQUIZ_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("IMMUNOQUIZ_NOW", raising=False)
    clock = Clock()
    monkeypatch.setattr(exam_command, "clock_factory", lambda: clock)
    (tmp_path / "banks").mkdir()
    (tmp_path / "banks" / "demo.yaml").write_text(BANK, encoding="utf-8")
    return {"tmp": tmp_path, "clock": clock, "monkeypatch": monkeypatch}


def take(env: dict, *steps: str | Callable[[], None], session: str | None = None,
         args: tuple[str, ...] = ("--name", "Ana Silva")) -> tuple[int, str, str]:  # fmt: skip
    tmp: Path = env["tmp"]
    path = tmp / "week1.yaml"
    path.write_text(session or session_yaml(), encoding="utf-8")
    env["monkeypatch"].setattr("sys.stdin", Script(*steps))
    out, err = io.StringIO(), io.StringIO()
    env["monkeypatch"].setattr("sys.stdout", out)
    env["monkeypatch"].setattr("sys.stderr", err)
    code = cli.main([
        "exam", str(path), *args, "--plain", "--banks", str(tmp / "banks"),
        "--data-dir", str(tmp / "data"), "--results-dir", str(tmp / "results"),
    ])  # fmt: skip
    return code, out.getvalue(), err.getvalue()


def results(env: dict) -> dict:
    (path,) = (env["tmp"] / "results").glob("*.json")
    return json.loads(path.read_text(encoding="utf-8"))


def reviews(env: dict) -> list[tuple[str, str, float, int | None]]:
    with sqlite3.connect(env["tmp"] / "data" / "progress.sqlite3") as conn:
        return conn.execute(
            "SELECT card_id, mode, points, rating FROM reviews ORDER BY id"
        ).fetchall()


def test_answer_navigate_flag_review_and_submit(env: dict) -> None:
    code, out, err = take(
        env,
        "2",  # question 1: wrong (Tumour cells)
        "flag",  # flag question 2 (true/false: f would answer false, so in full)
        "next",  # skip it
        "1 2",  # question 3: right
        "g 1",
        "1",  # question 1 again: changed to right
        "review",  # now at question 2, a true/false: commands in full
        "s",  # two unanswered: asks first
        "n",  # go back
        "2",  # from the review page: question 2
        "true",
        "s",
        "y",
    )
    assert code == 0, err
    assert "Question 1 of 4: single choice. 0 of 4 answered. 10 min 0 s left." in out
    assert "[bold]not markup[/]" in out  # bank text printed literally
    assert "Question 2 flagged." in out
    assert "Your answer: 2." in out  # shown when going back to question 1
    review = out.split("Review page.")[1]
    assert "  1. answered\n  2. not answered, flagged\n  3. answered\n  4. not answered" in review
    assert "2 questions are not answered: 2, 4. Unanswered questions score 0." in out
    assert "1 question is not answered: 4." in out
    assert "Score: 4 of 5 points (80%).\nPass mark 50%: passed." in out
    assert "Question 4. Not answered: 0/1." in out
    assert "Results saved to" in out and "\x1b" not in out
    data = results(env)
    assert data["learner"]["name"] == "Ana Silva" and data["timed_out"] is False
    assert [(i["id"], i["score"]) for i in data["items"]] == [
        ("demo/pd1", 1), ("demo/pembro", 1), ("demo/which", 2), ("demo/name", 0),
    ]  # fmt: skip
    assert data["items"][0]["picked"] == [0] and data["items"][3]["response"] is None
    # Every answer as given, mode exam, never rated: the schedule is not involved.
    assert reviews(env) == [
        ("demo/pd1", "exam", 0.0, None),
        ("demo/which", "exam", 2.0, None),
        ("demo/pd1", "exam", 1.0, None),
        ("demo/pembro", "exam", 1.0, None),
    ]
    loaded = read_results([env["tmp"] / "results"])
    assert loaded.problems == [] and loaded.attempts[0].score == 4


def test_exam_answers_leave_the_review_schedule_alone(env: dict) -> None:
    data = env["tmp"] / "data"
    bank = load(env["tmp"] / "banks" / "demo.yaml")
    with Store.open(data) as store:
        profile = store.create_profile("Ana Silva", T0)
        study = open_session(store, profile, [bank], now=lambda: T0, seed=1)
        card = study.catalog["demo/pd1"]
        study.answer(card, SingleResponse(0), 5.0)
        before = store.cards(profile)
    code, _out, err = take(env, "2", "s", "y")
    assert code == 0, err
    with Store.open(data) as store:
        profile = store.get_profile("ana silva")
        assert profile is not None
        assert store.cards(profile) == before  # same state, same due date
        assert [(r.mode, r.card_id, r.rating) for r in store.reviews(profile)] == [
            ("study", "demo/pd1", 3),
            ("exam", "demo/pd1", None),
        ]


def test_an_unusable_progress_file_does_not_stop_the_exam(env: dict) -> None:
    data = env["tmp"] / "data"
    data.mkdir()
    (data / "progress.sqlite3").write_bytes(b"not a database at all")
    code, out, err = take(env, "1", "s", "y")
    assert code == 0
    assert "not a progress database" in err and "results file is written" in err
    assert [i["score"] for i in results(env)["items"]] == [1, 0, 0, 0]
    assert (data / "progress.sqlite3").read_bytes() == b"not a database at all"


def test_time_up_submits_with_the_answers_given_so_far(env: dict) -> None:
    clock = env["clock"]

    def nine_and_a_half_minutes() -> None:
        clock.now += timedelta(minutes=9, seconds=30)

    def a_minute() -> None:
        clock.now += timedelta(minutes=1)

    code, out, err = take(env, "1", nine_and_a_half_minutes, "t", a_minute, "1 2", "s", "y")
    assert code == 0, err
    assert "Question 3 of 4: select all that apply. 2 of 4 answered. 30 s left." in out
    assert "Time is up: submitted. Answers given so far count." in out
    assert "Score: 2 of 5 points (40%). Time ran out.\nPass mark 50%: not passed." in out
    data = results(env)
    assert data["timed_out"] is True
    assert [i["score"] for i in data["items"]] == [1, 1, 0, 0]
    assert [r[0] for r in reviews(env)] == ["demo/pd1", "demo/pembro"]


def test_end_of_input_saves_the_attempt_and_the_same_command_resumes_it(env: dict) -> None:
    code, out, err = take(env, "1", "flag")  # answer 1, flag 2, then the input ends
    assert code == 0, err
    assert "End of input." in out and "Score" not in out
    assert "your attempt is saved but not submitted; run the same command to resume it" in err
    first = results(env)
    assert first["status"] == "interrupted" and first["ended"] is None
    env["clock"].now += timedelta(minutes=4)  # away for four minutes: the clock ran on
    code, out, err = take(env, "n", "true", "s", "y")
    assert code == 0, err
    assert "Resuming your attempt 1 started 2026-11-27 09:00 UTC: 1 of 4 answered." in out
    assert (
        "Question 2 of 4: true or false. Flagged for review. 1 of 4 answered. 6 min 0 s left."
        in out
    )
    again = results(env)  # the same file: started and deadline never change on resume
    assert (again["started"], again["deadline"]) == (first["started"], first["deadline"])
    assert again["status"] == "submitted" and again["attempt"] == 1
    assert [i["score"] for i in again["items"]] == [1, 1, 0, 0]


def test_a_submitted_attempt_is_final_unless_the_session_allows_another(env: dict) -> None:
    assert take(env, "1", "submit", "y")[0] == 0  # at a true/false, commands in full
    code, out, err = take(env, "2", "submit", "y")
    assert code == 1 and out == ""
    assert "has already submitted 'Week 1 check' (1 of 1 attempt used)" in err
    code, out, err = take(env, "2", "submit", "y", session=session_yaml(attempts=2))
    assert code == 0, err
    names = sorted(p.name.rsplit("--", 1)[1] for p in (env["tmp"] / "results").glob("*.json"))
    assert names == ["a1.json", "a2.json"]


def test_immediate_feedback_after_each_answer_and_answers_are_final(env: dict) -> None:
    code, out, err = take(env, "2", "prev", "1", "n", "t", "s", "y",
                          session=session_yaml(feedback="immediate"))  # fmt: skip
    assert code == 0, err
    first = out.split("Question 2 of 4")[0]
    assert "Incorrect: 0/1." in first and "Rationale: Anti-PD-1 blocks the receptor" in first
    assert "They express PD-L1." in first  # the option's why
    assert "Your answer: 2.\nIncorrect: 0/1. Answers with feedback are final." in out
    assert "This answer is final" in out
    assert "Correct: 1/1." in out.split("Question 2 of 4")[-1]
    assert [i["score"] for i in results(env)["items"]] == [0, 1, 0, 0]


def test_help_lists_the_exam_commands(env: dict) -> None:
    _code, out, _err = take(env, "?", "s", "y")
    assert "g N  go to question N" in out and "r  review page" in out
    assert "undo" not in out  # the study prompt's commands are not offered
    assert "Answer: one option number, e.g. 2." in out.split("Commands, typed alone")[1]


def test_a_name_is_required(env: dict) -> None:
    code, _out, err = take(env, args=("--name", "  "))
    assert code == 2 and "--name NAME is required" in err
    code, _out, err = take(env, args=())
    assert code == 2 and "--name NAME is required" in err


def test_a_broken_session_is_refused_with_located_problems(env: dict) -> None:
    bad = session_yaml().replace("demo/which", "demo/nope").replace("title:", "titel:")
    code, out, err = take(env, "1", session=bad)
    assert code == 1 and out == ""
    assert "week1.yaml:3:3: unknown key 'titel'" in err
    assert not (env["tmp"] / "results").exists()


def test_commands_and_answers_are_told_apart() -> None:
    assert parse_command("n") == ("next", None) and parse_command(" G 12 ") == ("go", 12)
    assert parse_command("g3") == ("go", 3) and parse_command("go x") is None
    assert parse_command("f") == ("flag", None) and parse_command("1 3") is None
    # In a fill-in blank single letters are answers; whole words are still commands.
    assert parse_command("n", blank=True) is None
    assert parse_command("next", blank=True) == ("next", None)


def test_a_given_answer_is_shown_in_the_numbers_it_was_shown_with() -> None:
    bank = load_demo()
    item = bank.item("pd1")
    assert item is not None
    assert answer_text(item, SingleResponse(0), Display({"options": (2, 0, 1)})) == "2"


def load_demo():  # noqa: ANN201
    from immunoquiz.banks import parse_bank

    return parse_bank(BANK.encode(), "demo.yaml")


def test_a_schema_1_progress_file_is_upgraded_to_log_exam_answers(tmp_path: Path) -> None:
    with Store.open(tmp_path, migrations=MIGRATIONS[:1]) as store:
        profile = store.create_profile("Ana", T0)
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO reviews (profile_id, card_id, session, ts, mode, response, points,"
                " max, rule, rating) VALUES (?, 'b/i', 's', '2026-11-27T09:00:00.000000Z',"
                " 'study', '{}', 1, 1, 'r', 3)",
                (profile.id,),
            )
    with Store.open(tmp_path) as store:
        assert store.migration_backup is not None
        profile = store.get_profile("Ana")
        assert profile is not None
        store.log(
            profile, ReviewEntry("b/i", "x", T0, "exam", SingleResponse(0), Score(0, 1, "r"), None)
        )
        assert [(r.id, r.mode) for r in store.reviews(profile)] == [(1, "study"), (2, "exam")]
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            store.conn.execute("DELETE FROM reviews")
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute("UPDATE reviews SET mode = 'cram' WHERE id = 1")


def test_every_item_type_can_be_answered_and_shown_again(tmp_path: Path) -> None:
    """Each type's typed answer is read back in the same syntax; a case part's
    true/false hint says that f flags (the exam's command), not false."""
    from engine_banks import every_type_bank

    from immunoquiz.educator.attempt import Attempt, ExamPaper, Learner
    from immunoquiz.educator.exam import order_questions
    from immunoquiz.educator.session_spec import ItemRef, SessionSpec, select_items
    from immunoquiz.plain import Console
    from immunoquiz.plain.exam import PlainExam

    bank = every_type_bank()
    spec = SessionSpec(
        title="All types",
        items=tuple(ItemRef(bank.id, q.id) for q in bank.questions),
        shuffle=False,
        content_hash="h" * 64,
    )
    chosen, _ = select_items(spec, [bank])
    answers = {
        "single": ["1"],
        "multiple": ["1 2"],
        "select-n": ["1 2"],
        "tf": ["true"],
        "cloze": ["pembrolizumab", "PD-1"],
        "order": ["ORDER"],
        "match": ["1b 2c 3a"],
        "bowtie": ["c1 a1 a3 p1 p3"],
        "case": ["1", "true"],
    }
    paper = ExamPaper(spec, tuple(order_questions(spec, chosen)))
    run = Attempt.open(paper, Learner("ana", "Ana"), tmp_path, clock=lambda: T0)
    lines: list[str] = []
    probe = PlainExam(run, Console(io.StringIO(), io.StringIO()))
    for n, q in enumerate(run.questions):
        typed = answers[q.item.id]
        if typed == ["ORDER"]:  # the shown order is always shuffled: undo it
            shown = probe.display(n).shown("items")
            typed = [" ".join(str(shown.index(j) + 1) for j in range(len(shown)))]
        lines += typed
    lines += [f"g {n + 1}" for n in range(len(run.questions))] + ["s", "y"]
    out = io.StringIO()
    exam = PlainExam(run, Console(io.StringIO("\n".join(lines) + "\n"), out))
    attempt = exam.take()
    text = out.getvalue()
    assert attempt.score == attempt.max, text
    assert "Your answer: c1 a1 a3 p1 p3." in text and "Your answer: 1b 2c 3a." in text
    assert "Your answer: part 1: 1; part 2: true." in text
    case_part = text.split("Part 2 of 2")[1]
    assert "Here, type commands in full" in case_part.split("\n")[3]


def test_f_answers_false_in_a_true_false_question_as_in_study(env: dict) -> None:
    code, _, err = take(env, "1", "f", "s", "y")
    assert code == 0, err
    second = results(env)["items"][1]
    assert second["type"] == "true_false"
    assert second["response"] == {"kind": "true_false", "value": False}


def test_the_deadline_passes_while_plain_mode_waits_for_input(env: dict) -> None:
    """Submitted and scored by the timer, with the input still open and silent."""
    import os
    import threading

    read_end, write_end = os.pipe()
    os.write(write_end, b"1\n")  # one answer, then the trainee types nothing more
    clock = env["clock"]

    def eleven_minutes_pass_once_the_answer_is_saved() -> None:
        while True:
            files = list((env["tmp"] / "results").glob("*.json"))
            if files and '"choice": 0' in files[0].read_text(encoding="utf-8"):
                break
            threading.Event().wait(0.05)
        clock.now += timedelta(minutes=11)

    timer = threading.Thread(target=eleven_minutes_pass_once_the_answer_is_saved, daemon=True)
    timer.start()
    with os.fdopen(read_end, "r") as stdin:
        env["monkeypatch"].setattr("sys.stdin", stdin)
        out, err = io.StringIO(), io.StringIO()
        env["monkeypatch"].setattr("sys.stdout", out)
        env["monkeypatch"].setattr("sys.stderr", err)
        path = env["tmp"] / "week1.yaml"
        path.write_text(session_yaml(), encoding="utf-8")
        code = cli.main([
            "exam", str(path), "--name", "Ana Silva", "--plain",
            "--banks", str(env["tmp"] / "banks"), "--data-dir", str(env["tmp"] / "data"),
            "--results-dir", str(env["tmp"] / "results"),
        ])  # fmt: skip
    timer.join()
    os.close(write_end)
    text = out.getvalue()
    assert code == 0, err.getvalue()
    assert "Time is up: submitted. Answers given so far count." in text
    assert "Score: 1 of 5 points (20%). Time ran out." in text
    data = results(env)
    assert data["status"] == "time_up" and data["ended"] == data["deadline"]


def test_a_progress_file_locked_by_another_program_does_not_stop_the_exam(env: dict) -> None:
    """A real failure: after the first answer another program holds the file's write lock."""
    from immunoquiz.store import db

    env["monkeypatch"].setattr(db, "BUSY_TIMEOUT_MS", 100)  # give up fast, as at 15 s
    progress = env["tmp"] / "data" / "progress.sqlite3"
    others: list[sqlite3.Connection] = []

    def lock() -> None:  # the exam made the file; the other program locks it now
        others.append(sqlite3.connect(progress, isolation_level=None))
        others[0].execute("BEGIN EXCLUSIVE")

    try:
        code, out, err = take(env, "1", lock, "true", "1 2", "pembrolizumab", "s", "y")
    finally:
        for other in others:
            other.close()
    assert code == 0, err
    assert out.count("Progress could not be saved in") == 1  # said once, not per answer
    assert (
        f"Progress could not be saved in {progress}: cannot save: the progress file is locked "
        "by another process"
    ) in out
    assert "The exam goes on; the results file is the record." in out
    assert "Every question is answered. Submit now?" in out  # s always asks
    assert [i["score"] for i in results(env)["items"]] == [1, 1, 2, 1]
    assert results(env)["status"] == "submitted"
    assert [mode for _, mode, _, _ in reviews(env)] == ["exam"]  # only the answer before


@pytest.mark.parametrize(
    ("item_id", "typed", "refusal"),
    [
        ("single", "", "type exactly one option number"),
        ("multiple", "", "type the numbers of the options you choose"),
        ("select-n", "1", "Choose 2 options (1 chosen)."),
        ("tf", "", "type t (true) or f (false)."),
        ("match", "1b 2c", "every row needs a column; missing row(s): 3."),
        ("bowtie", "c1 a1 p1 p3", "pick exactly 2 actions (1 picked)"),
    ],
)
def test_no_answer_without_a_choice(tmp_path: Path, item_id: str, typed: str, refusal: str) -> None:
    from engine_banks import every_type_bank

    from immunoquiz.educator.attempt import Attempt, ExamPaper, Learner
    from immunoquiz.educator.exam import order_questions
    from immunoquiz.educator.session_spec import ItemRef, SessionSpec, select_items
    from immunoquiz.plain import Console
    from immunoquiz.plain.exam import PlainExam

    bank = every_type_bank()
    spec = SessionSpec(
        title="One", items=(ItemRef(bank.id, item_id),), shuffle=False, content_hash="h" * 64
    )
    chosen, _ = select_items(spec, [bank])
    paper = ExamPaper(spec, tuple(order_questions(spec, chosen)))
    attempt = Attempt.open(paper, Learner("ana", "Ana"), tmp_path, clock=lambda: T0)
    out = io.StringIO()
    PlainExam(attempt, Console(io.StringIO(typed + "\n"), out)).take()
    assert refusal in out.getvalue()
    assert attempt.answers == {} and attempt.status == "interrupted"
