"""`immunoquiz exam SESSION.yaml --name NAME`: take a timed comprehension check.

Loads the banks (bundled, the session's `bank_files:`, `--banks`) and the
session file (refusing a broken one, every problem located), then opens the
learner's attempt (educator/attempt.py): an open one is resumed with its
original deadline, a submitted one is final unless the session allows more
`attempts`. The attempt belongs to the learner id kept in the learner's
progress profile; `--name` is only the name shown to the educator. The
results file is rewritten after every answer; every answer is also logged in
the progress store (mode "exam": the schedule is not touched), best effort.
SIGHUP and SIGTERM save the attempt as interrupted and exit 0. The exam clock
is the wall clock: `IMMUNOQUIZ_NOW` does not move it. The TUI is imported
only when it is used.
"""

from __future__ import annotations

import argparse
import contextlib
import secrets
import sys
import textwrap
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

from immunoquiz.basics import utc_now
from immunoquiz.educator.attempt import (
    LEARNER_ID,
    Attempt,
    ExamPaper,
    Learner,
    NoAttemptsLeft,
    ResumeMismatch,
)
from immunoquiz.educator.attempt_lock import AttemptInUse, attempt_lock
from immunoquiz.educator.exam import ExamQuestion, order_questions
from immunoquiz.educator.results import slug
from immunoquiz.educator.session_spec import SessionSpec, select_items
from immunoquiz.plain.exam import EXAM_COMMANDS, EXAM_NOTES
from immunoquiz.plain.syntax import help_text
from immunoquiz.records import dataclass, field
from immunoquiz.responses import Response, Score
from immunoquiz.store import Profile, ReviewEntry, Store, StoreError, duration_ms
from immunoquiz.store.profiles import check_name
from immunoquiz.study.clock import Clock
from immunoquiz.terminal import printable

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
LEARNER_ID_SETTING = "learner_id"

# How the command gets its clock: the wall clock, never $IMMUNOQUIZ_NOW (a trainee
# must not be able to move the exam clock). Tests replace it with a clock they move.
clock_factory: Callable[[], Clock] = lambda: utc_now  # noqa: E731

DESCRIPTION = (
    "Take a timed comprehension check described by a session file (see docs/sessions.md). "
    "Every trainee who takes the same session file gets the same questions in the same "
    "order. Answers can be changed and questions flagged until you submit; when the time "
    "limit is reached the attempt is submitted with the answers given so far. The results "
    "file in --results-dir is saved after every answer; if the exam is interrupted, run "
    "the same command again to resume it (the clock keeps running). Every answer is also "
    "kept in your progress (mode exam: your review schedule is not changed)."
)
INTERRUPTED = (
    "your attempt is saved but not submitted; run the same command to resume it "
    "(the time limit keeps running)"
)


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = subparsers.add_parser(
        "exam",
        parents=[common],
        help="take a timed check from a session file; writes a results file",
        description=textwrap.fill(DESCRIPTION, 78),
        epilog=help_text(EXAM_COMMANDS, EXAM_NOTES),
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
        help="where the results file is kept (default: the current folder)",
    )
    p.set_defaults(func=run)


def err(message: str) -> None:
    with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
        print(f"immunoquiz exam: {printable(message)}", file=sys.stderr, flush=True)


@dataclass
class ExamLog:
    """Logs each answer in the learner's review log as it is given (never scheduled).

    SQLite connections belong to the thread that made them, and the TUI saves
    answers in worker threads: each thread gets its own connection to the file.
    """

    store: Store  # opened in the main thread
    profile: Profile
    session: str
    clock: Clock
    _stores: dict[int, Store] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return str(self.store.path)

    def _here(self) -> Store:
        if threading.current_thread() is threading.main_thread():
            return self.store
        ident = threading.get_ident()
        if ident not in self._stores:
            self._stores[ident] = Store.open(self.store.path.parent)
        return self._stores[ident]

    def __call__(
        self, question: ExamQuestion, response: Response, score: Score, seconds: float
    ) -> None:
        entry = ReviewEntry(
            question.id, self.session, self.clock(), "exam", response, score, duration_ms(seconds)
        )
        self._here().log(self.profile, entry)

    def close(self) -> None:
        for store in self._stores.values():
            with contextlib.suppress(Exception):
                store.close()


def learner_id(store: Store, profile: Profile) -> str:
    """The profile's learner id, made (and kept) the first time it is needed.

    Random, not the profile's row number: two machines both have a profile 1.
    """
    known = store.get_setting(profile, LEARNER_ID_SETTING)
    if known and LEARNER_ID.match(known):
        return known
    made = f"l-{secrets.token_hex(6)}"
    store.set_setting(profile, LEARNER_ID_SETTING, made)
    return made


def open_progress(
    args: argparse.Namespace,
    name: str,
    spec: SessionSpec,
    clock: Clock,
    stack: contextlib.ExitStack,
) -> tuple[Learner, ExamLog | None]:
    """The learner (id from their profile: --profile, else --name) and their review log.

    A progress file that cannot be used does not stop an exam: the results file
    is what counts, so the trainee is told and the exam goes on without the log,
    filed under an id made from the name.
    """
    from immunoquiz.paths import data_dir

    try:
        store = stack.enter_context(Store.open(data_dir(args.data_dir)))
        profile_name = (args.profile or name).strip()
        profile = store.get_profile(profile_name) or store.create_profile(profile_name)
        who = Learner(learner_id(store, profile), name)
    except (StoreError, ValueError) as exc:
        err(f"{exc}")
        err("your answers will not be added to your progress; the results file is written")
        return Learner(f"name-{slug(name)}"[:64].rstrip("-"), name), None
    session_id = f"exam:{spec.content_hash[:12]}:{uuid.uuid4().hex}"
    log = ExamLog(store, profile, session_id, clock)
    stack.callback(log.close)
    return who, log


def prepare(args: argparse.Namespace) -> ExamPaper | int:
    """Banks and session loaded and checked, items chosen and ordered (or an exit code)."""
    from immunoquiz.banks import bundled_and_extra
    from immunoquiz.educator.session_file import load_session, session_bank_files

    if not args.session.is_file():
        err(f"no such session file: {args.session}")
        return EXIT_INVALID
    extra = [*(args.banks or []), *session_bank_files(args.session)]
    banks, problems = bundled_and_extra(extra)
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        print(problem, file=sys.stderr)
    if errors:
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
    return ExamPaper(spec, tuple(order_questions(spec, chosen)))


def run(args: argparse.Namespace) -> int:
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
    clock = clock_factory()
    paper = prepare(args)
    if isinstance(paper, int):
        return paper

    with contextlib.ExitStack() as stack:
        learner, log = open_progress(args, name, paper.spec, clock, stack)

        def opener() -> Attempt:
            return Attempt.open(paper, learner, args.results_dir, clock=clock, progress=log)

        try:
            # Held until this process ends: a second window on the same attempt is refused.
            stack.enter_context(attempt_lock(args.results_dir, paper.spec.title, learner.id))
            if args.plain:
                return run_plain(opener())
            pending = Attempt.pending(paper, learner, args.results_dir)
        except (NoAttemptsLeft, ResumeMismatch, AttemptInUse) as exc:
            err(str(exc))
            return EXIT_INVALID
        except OSError as exc:
            err(f"cannot write the results file in {args.results_dir}: {exc.strerror or exc}")
            return EXIT_INVALID
        try:
            from immunoquiz.tui.exam_app import run_exam  # noqa: PLC0415 - Textual only here
        except ImportError as exc:
            if exc.name and exc.name.startswith(("immunoquiz.tui", "textual")):
                err("the full-screen exam is not available in this build; use --plain")
                return EXIT_INVALID
            raise
        attempt = run_exam(paper, name, opener, pending=pending)
        if attempt is None:
            err("the exam was not started: run the same command when you are ready")
            return EXIT_OK
        return finish(attempt, quiet=False)


def run_plain(attempt: Attempt) -> int:
    from immunoquiz.plain.exam import run_plain_exam
    from immunoquiz.plain.runner import Console

    console = Console(sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
    failure = run_plain_exam(attempt, console)
    if failure:
        err(f"unexpected error: {failure} (the answers given before it were saved)")
    return finish(attempt, quiet=True)


def finish(attempt: Attempt, *, quiet: bool) -> int:
    """The one closing line: where the results are, or how to resume."""
    if attempt.is_open:
        attempt.interrupt()
        if attempt.saved:
            err(INTERRUPTED)
            return EXIT_OK
    if not attempt.saved and not attempt.save():
        err(f"the results could not be saved in {attempt.path}: {attempt.save_problem}")
        return EXIT_INVALID
    if not quiet:  # plain mode printed it with the summary
        with contextlib.suppress(OSError):
            print(f"Results saved to {printable(str(attempt.path))}")
    return EXIT_OK
