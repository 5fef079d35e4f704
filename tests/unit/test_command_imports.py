"""Commands that don't open the TUI import no Textual (nor the web stack;
validate and report not the study engine either), and each
command imports only its own module: checked in a fresh interpreter after the
command's main path has run, as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

RUN = """
import contextlib, io, sys
from immunoquiz.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
    try:
        code = main({argv!r})
    except SystemExit as exit:
        code = exit.code or 0
heavy = ("textual", "rich", "aiohttp", "jinja2", "fsrs", "sqlite3", "yaml")
leaked = sorted({{m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}})
others = sorted(m for m in sys.modules if m.startswith('immunoquiz.commands.'))
print(out.getvalue())
print(code, ','.join(leaked), ','.join(others), sep='|')
"""


def run_fresh(argv: list[str], stdin: str = "") -> tuple[int, list[str], list[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", RUN.format(argv=argv)],
        input=stdin, capture_output=True, text=True, check=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )  # fmt: skip
    text, _, head = done.stdout.rstrip("\n").rpartition("\n")
    code, leaked, modules = head.split("|")
    return int(code), [m for m in leaked.split(",") if m], modules.split(","), text


@pytest.mark.parametrize(
    ("argv", "module", "says"),
    [
        (["validate", "question_banks/"], "validate", "4 valid"),
        (["--profile", "anna", "study", "--plain"], "study", "No answers this session."),
        (["--profile", "anna", "stats"], "stats", ""),
        (["--profile", "anna", "browse", "--search", "keynote"], "browse", "questions match"),
        (["report", "tests/data/class6"], "report", "6 learners, 7 items"),
    ],
)
def test_command_runs_without_textual_and_without_the_other_commands(
    argv: list[str], module: str, says: str
) -> None:
    if module in ("stats", "browse"):  # a profile to report on
        run_fresh(["--profile", "anna", "study", "--plain"], stdin="q\n")
    code, leaked, modules, text = run_fresh(argv, stdin="q\n")
    assert code == 0, text
    assert says in text
    # validate and report don't need the study engine (FSRS, SQLite) either
    engine = {"fsrs", "sqlite3"} if module in ("validate", "report") else set()
    leaked = [m for m in leaked if m != "yaml"]  # cold cache here: banks parsed (see below)
    forbidden = {"textual", "rich", "aiohttp", "jinja2", *engine}
    assert not forbidden & set(leaked), f"{argv} imported {leaked}"
    # stats and browse open the profile through `opening`, not the trainer's module
    extra = {"stats": {"opening"}, "browse": {"opening", "filters"}}.get(
        module, {"filters", "opening"} if module == "study" else set()
    )
    assert {m.rsplit(".", 1)[1] for m in modules} <= {module, *extra}


def test_a_warm_bank_cache_spares_yaml_and_the_builder() -> None:
    # the first validate parses and fills the cache (this test's own, see conftest)
    code, leaked, _modules, text = run_fresh(["validate", "question_banks/"])
    assert (code, leaked) == (0, ["yaml"]), text
    warm = (["validate", "question_banks/"], ["--profile", "anna", "study", "--plain"])
    for argv in (*warm, ["--profile", "anna", "stats"]):
        code, leaked, _modules, text = run_fresh(argv, stdin="q\n")
        assert code == 0, text
        assert "yaml" not in leaked, f"{argv} parsed YAML with a warm cache"


def test_help_still_lists_every_command() -> None:
    code, _leaked, _modules, text = run_fresh(["--help"])
    assert code == 0
    for name in (
        "study",
        "practice",
        "validate",
        "report",
        "stats",
        "backup",
        "exam",
        "class",
        "import",
        "export",
        "browse",
        "flags",
    ):
        assert name in text


def test_a_malformed_clock_is_still_refused_before_any_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IMMUNOQUIZ_NOW", "garbage")
    code, _leaked, _modules, text = run_fresh(["validate", "question_banks/"])
    assert code == 2
    assert "IMMUNOQUIZ_NOW='garbage' is not an ISO 8601 date-time" in text


def test_the_version_is_told_without_loading_any_command() -> None:
    from immunoquiz import __version__

    code, leaked, modules, text = run_fresh(["--version"])
    assert (code, text.strip()) == (0, f"immunoquiz {__version__}")
    assert modules == [""] and not leaked


def test_plain_study_asks_its_first_question_before_loading_fsrs() -> None:
    first = ["--profile", "ben", "study", "--plain", "--type", "single"]
    code, leaked, _modules, text = run_fresh(first, stdin="q\n")
    assert code == 0 and "Question 1" in text, text
    assert "fsrs" not in leaked
    # the first answer loads it and schedules the card; a miss (option 1 of most) puts
    # cards in a learning step, which the next session counts, still without fsrs
    code, leaked, _modules, text = run_fresh(first, stdin="1\n\n" * 6 + "q\n")
    assert code == 0 and "next review in" in text, text
    assert "fsrs" in leaked
    code, leaked, _modules, text = run_fresh(first, stdin="q\n")
    assert code == 0 and "Question 1" in text, text
    assert "fsrs" not in leaked
