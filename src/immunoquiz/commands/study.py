"""`immunoquiz study` and `immunoquiz practice`: the trainer, full-screen or `--plain`.

Without `--plain` both open the TUI (imported lazily, so the plain mode and the
other commands never load Textual).
"""

from __future__ import annotations

import argparse
import sys
import textwrap

from immunoquiz.basics import collector_held
from immunoquiz.commands.filters import add_filter_options, check_filters, filters_from_args
from immunoquiz.commands.opening import (
    EXIT_INVALID,
    EXIT_USAGE,
    ProfileChoiceError,
    choose_profile,
    err,
    load_banks,
    open_store,
    report_store_problems,
)
from immunoquiz.study.clock import NOW_ENV

ENV_HELP = f"""Environment:
  IMMUNOQUIZ_HOME   where progress is stored (like --data-dir)
  {NOW_ENV}    start the clock at this ISO 8601 time, then let it run
                    normally, e.g. {NOW_ENV}=2026-11-28T09:00:00Z: for
                    demos and tests of "come back tomorrow" without waiting
"""

SHORT_HELP = {
    "study": "study with spaced repetition: due cards first, then new ones",
    "practice": "practise (cram) any selection; the schedule is left alone",
}
DESCRIPTIONS = {
    "study": "Study with spaced repetition: cards due for review first (most overdue "
    "first), then new items up to the daily new-item limit, topics interleaved.",
    "practice": "Practise (cram) any selection: every matching item once, shuffled. "
    "Answers are logged; your review schedule is not changed.",
}


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    # here, not at the top: `stats` imports this module and needs no plain mode
    from immunoquiz.plain.syntax import help_text

    for name in ("study", "practice"):
        p = subparsers.add_parser(
            name,
            parents=[common],
            help=SHORT_HELP[name],
            description=textwrap.fill(DESCRIPTIONS[name], 78),
            epilog=help_text() + "\n\n" + ENV_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument(
            "--plain",
            action="store_true",
            help="plain line mode: numbered text, answers read from standard input "
            "(for screen readers, dumb terminals and scripts; see the syntax below)",
        )
        p.add_argument(
            "--ids",
            action="store_true",
            help="plain mode: name each question's bank/item id in its header (for scripts "
            "and bank authors; a screen reader would read it aloud every time)",
        )
        add_filter_options(p)
        if name == "study":
            p.add_argument(
                "--new-limit",
                type=_non_negative,
                default=None,
                metavar="N",
                help="new items allowed per day (default: the profile's setting, else 20)",
            )
        p.add_argument(
            "--seed", type=int, default=None, metavar="N", help="shuffle seed, for repeatable runs"
        )
        p.set_defaults(func=run, mode=name)


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("cannot be negative")
    return value


def run(args: argparse.Namespace) -> int:
    return run_plain_command(args) if args.plain else run_tui(args)


def run_tui(args: argparse.Namespace) -> int:
    """Open the trainer; the exit code, with one line on stderr if it cannot open."""
    from immunoquiz.paths import data_dir
    from immunoquiz.study import clock_from_env

    try:
        clock = clock_from_env()
    except ValueError as exc:
        err(str(exc))
        return EXIT_USAGE
    try:
        from immunoquiz.tui.opening import begin
    except ImportError as exc:
        if exc.name and exc.name.startswith("immunoquiz.tui"):
            err("the full-screen trainer is not available in this build; use --plain")
            return EXIT_INVALID
        raise
    # The store opens and the banks load (a cold cache parsed by a forked child) while
    # Textual is imported: by the first screen they are ready.
    folder = data_dir(args.data_dir)
    backend = begin(folder, args.banks, clock)
    from immunoquiz.tui.app import ImmunoquizApp  # Textual is imported only here

    app = ImmunoquizApp(
        data_dir=folder,
        extra_banks=args.banks,
        profile_name=args.profile,
        start=args.mode,
        filters=filters_from_args(args),
        new_limit=getattr(args, "new_limit", None),
        clock=clock,
        seed=args.seed,
        backend=backend,
    )
    result = app.run()
    if app.crash_message:
        print(app.crash_message, file=sys.stderr)
        return EXIT_INVALID
    if app.error:
        print(app.error, file=sys.stderr)
        return EXIT_INVALID
    return int(result or app.return_code or 0)


def run_plain_command(args: argparse.Namespace) -> int:
    # The trainer's modules and the banks live as long as the session: loaded with the
    # collector held, then frozen out of its later passes (~10 young passes over them).
    with collector_held(freeze=True):
        from immunoquiz.plain import Console, run_plain
        from immunoquiz.plain.runner import tolerate_unencodable_text
        from immunoquiz.store import StoreError
        from immunoquiz.study import Mode, Session, clock_from_env, open_session

        tolerate_unencodable_text()
        try:
            clock = clock_from_env()
        except ValueError as exc:
            err(str(exc))
            return EXIT_USAGE
        banks, status = load_banks(args)
    if status:
        return status
    filters = filters_from_args(args)
    if message := check_filters(filters, banks):
        err(message)
        return EXIT_INVALID
    store = open_store(args)
    if isinstance(store, int):
        return store
    console = Console(sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
    with store:
        try:
            profile, note = choose_profile(store, args.profile, create=True)
        except ProfileChoiceError as exc:
            err(str(exc))
            return exc.code
        except StoreError as exc:
            err(str(exc))
            return EXIT_INVALID
        if note:
            console.say(note)
        seed = args.seed

        def session(mode: Mode) -> Session:
            return open_session(
                store, profile, banks, mode=mode, filters=filters, now=clock,
                new_limit=getattr(args, "new_limit", None), seed=seed,
            )  # fmt: skip

        try:
            return run_plain(
                session(args.mode),
                console,
                practice_factory=(lambda: session("practice")) if args.mode == "study" else None,
                seed=seed,
                show_ids=args.ids,
            )
        finally:
            report_store_problems(store)
