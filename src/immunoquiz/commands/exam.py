"""`immunoquiz exam SESSION.yaml --name NAME`: take a timed comprehension check.

Loads the banks and the session file (refusing a broken one, every problem
located), selects and orders the items (the same for every trainee), runs the
attempt in the TUI or, with `--plain`, at a numbered-text prompt, then writes
one results file and prints its path. Every answer is also logged in the
learner's progress store (mode "exam": the review schedule is not touched).
The TUI is imported only when it is used.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import textwrap
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from immunoquiz.educator.exam import ExamQuestion, ExamRun, order_questions
from immunoquiz.educator.results import AttemptResult, write_results
from immunoquiz.educator.session_spec import SessionSpec, select_items
from immunoquiz.plain.exam import EXAM_COMMANDS, EXAM_NOTES
from immunoquiz.plain.syntax import help_text
from immunoquiz.responses import Response, Score
from immunoquiz.store import Profile, ReviewEntry, Store, StoreError, duration_ms
from immunoquiz.store.profiles import check_name
from immunoquiz.study.clock import NOW_ENV, Clock, clock_from_env
from immunoquiz.terminal import printable

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

# Test hook: how the command gets its clock (the wall clock, or $IMMUNOQUIZ_NOW).
# Tests replace it with a clock they move, to reach the time limit without waiting.
clock_factory: Callable[[], Clock] = clock_from_env

DESCRIPTION = (
    "Take a timed comprehension check described by a session file (see docs/sessions.md). "
    "Every trainee who takes the same session file gets the same questions in the same "
    "order. Answers can be changed and questions flagged until you submit; when the time "
    "limit is reached the attempt is submitted with the answers given so far. The results "
    "file is written to --results-dir for `immunoquiz report`; every answer is also kept "
    "in your progress (mode exam: your review schedule is not changed)."
)


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = subparsers.add_parser(
        "exam",
        parents=[common],
        help="take a timed check from a session file; writes a results file",
        description=textwrap.fill(DESCRIPTION, 78),
        epilog=help_text(EXAM_COMMANDS, EXAM_NOTES)
        + f"\n\nEnvironment:\n  {NOW_ENV}    start the clock at this ISO 8601 time",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("session", type=Path, metavar="SESSION.yaml", help="the session file")
    p.add_argument(
        "--name",
        default=None,
        metavar="NAME",
        help="your name as the educator should see it in the report (required)",
    )
    p.add_argument(
        "--plain",
        action="store_true",
        help="plain line mode: numbered text, answers read from standard input "
        "(for screen readers, dumb terminals and scripts)",
    )
    p.add_argument(
        "--results-dir",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="where to write the results file (default: the current folder)",
    )
    p.set_defaults(func=run)


def err(message: str) -> None:
    print(f"immunoquiz exam: {printable(message)}", file=sys.stderr)


@dataclass
class ExamLog:
    """Logs each answer in the learner's review log as it is given (never scheduled)."""

    store: Store
    profile: Profile
    session: str
    clock: Clock

    def __call__(
        self, question: ExamQuestion, response: Response, score: Score, seconds: float
    ) -> None:
        entry = ReviewEntry(
            question.id, self.session, self.clock(), "exam", response, score, duration_ms(seconds)
        )
        self.store.log(self.profile, entry)


def open_log(
    args: argparse.Namespace,
    name: str,
    spec: SessionSpec,
    clock: Clock,
    stack: contextlib.ExitStack,
) -> ExamLog | None:
    """The learner's review log (profile --profile, else --name), or None if unusable.

    A progress file that cannot be used does not stop an exam: the results file is
    what counts, so the trainee is told and the exam goes on without the log.
    """
    from immunoquiz.paths import data_dir

    try:
        store = stack.enter_context(Store.open(data_dir(args.data_dir)))
        profile_name = (args.profile or name).strip()
        profile = store.get_profile(profile_name) or store.create_profile(profile_name)
    except (StoreError, ValueError) as exc:
        err(f"{exc}")
        err("your answers will not be added to your progress; the results file is written")
        return None
    session_id = f"exam:{spec.content_hash[:12]}:{uuid.uuid4().hex}"
    return ExamLog(store, profile, session_id, clock)


def results_saver(directory: Path, fallback: Path) -> Callable[[AttemptResult], Path]:
    """Write the results file to `directory`, or to `fallback` if that fails (never lost)."""

    def save(attempt: AttemptResult) -> Path:
        try:
            return write_results(attempt, directory)
        except OSError as exc:
            err(f"cannot write the results file in {directory}: {exc.strerror or exc}")
            path = write_results(attempt, fallback)
            err(f"the results were saved in {fallback} instead: give that file to your educator")
            return path

    return save


def prepare(args: argparse.Namespace) -> tuple[SessionSpec, list[ExamQuestion]] | int:
    """Banks and session loaded and checked, items chosen and ordered (or an exit code)."""
    from immunoquiz.banks import bundled_and_extra
    from immunoquiz.educator.session_file import load_session

    banks, problems = bundled_and_extra(args.banks)
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        print(problem, file=sys.stderr)
    if errors:
        return EXIT_INVALID
    if not args.session.is_file():
        err(f"no such session file: {args.session}")
        return EXIT_INVALID
    spec, problems = load_session(args.session, list(banks))
    for problem in problems:
        print(problem, file=sys.stderr)
    if spec is None or any(p.severity == "error" for p in problems):
        err("the session file has problems: fix them and try again")
        return EXIT_INVALID
    chosen, problems = select_items(spec, list(banks))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return EXIT_INVALID
    return spec, order_questions(spec, chosen)


def run(args: argparse.Namespace) -> int:
    from immunoquiz.paths import data_dir

    name = (args.name or "").strip()
    if not name:
        err("--name NAME is required: the name your educator will see in the report")
        return EXIT_USAGE
    if reason := check_name(name):
        err(f"--name: {reason.replace('a profile name', 'a name')}")
        return EXIT_USAGE
    if args.plain:
        from immunoquiz.plain.runner import tolerate_unencodable_text

        tolerate_unencodable_text()
    try:
        clock = clock_factory()
    except ValueError as exc:
        err(str(exc))
        return EXIT_USAGE
    prepared = prepare(args)
    if isinstance(prepared, int):
        return prepared
    spec, questions = prepared

    folder = data_dir(args.data_dir)
    with contextlib.ExitStack() as stack:
        log = open_log(args, name, spec, clock, stack)
        exam = ExamRun(spec, name, questions, clock, on_answer=log)
        save = results_saver(args.results_dir, folder / "exam-results")
        try:
            if args.plain:
                from immunoquiz.plain.exam import run_plain_exam
                from immunoquiz.plain.runner import Console

                console = Console(sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
                _attempt, _path, failure = run_plain_exam(exam, console, save)
                if failure:
                    err(f"unexpected error: {failure} (the answers given before it were saved)")
                return EXIT_INVALID if failure else EXIT_OK
            try:
                from immunoquiz.tui.app import run_exam  # noqa: PLC0415 - Textual only here
            except ImportError as exc:
                if exc.name and exc.name.startswith(("immunoquiz.tui", "textual")):
                    err("the full-screen exam is not available in this build; use --plain")
                    return EXIT_INVALID
                raise
            path = run_exam(exam, save)
        except OSError as exc:
            err(f"cannot write the results file: {exc.strerror or exc}")
            return EXIT_INVALID
        print(f"Results saved to {path}")
        return EXIT_OK
