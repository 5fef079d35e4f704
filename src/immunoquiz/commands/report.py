"""`immunoquiz report RESULTS...`: who understood what, and item statistics, of a class.

Exit 0 with a report, 1 when no results file is usable (or an output cannot be
written), 2 for a usage error. Skipped files are listed on stderr, one line each.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from immunoquiz.educator import analysis, render
from immunoquiz.educator.answer_key import ItemKey, keys_from_banks
from immunoquiz.educator.results import (
    ATTEMPT_CHOICES,
    LoadedResults,
    SessionFacts,
    read_results,
)
from immunoquiz.terminal import printable

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "report",
        parents=[common],
        help="who understood what: item statistics of exam results files",
        description="Read exam results files (or folders of them) and show each learner's "
        "score, a learner-by-item grid, each item's question, answer key and options picked, "
        "and Moodle's item statistics: facility, discrimination index, discriminative "
        "efficiency, and the test's internal consistency (CIC). Bad files are reported and "
        "skipped; attempts still open are listed apart. Questions and keys come from the "
        "files or, failing that, from the bundled banks and any --banks.",
    )
    p.add_argument(
        "results", nargs="+", type=Path, metavar="RESULTS", help="results files or folders"
    )
    p.add_argument(
        "--attempts",
        choices=ATTEMPT_CHOICES,
        default="first",
        help="which of a learner's attempts count: first (default; the comprehension "
        "measure), last, best, or all",
    )
    p.add_argument(
        "--session",
        type=Path,
        metavar="FILE",
        help="the session file: its hash picks the results, its pass mark is used",
    )
    p.add_argument(
        "--columns",
        type=int,
        default=None,
        metavar="N",
        help="width of the terminal report (default: the terminal's, at most 120)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON instead of text")
    p.add_argument(
        "--csv",
        type=Path,
        metavar="DIR",
        help="also write learners.csv, items.csv, options.csv and responses.csv in DIR",
    )
    p.add_argument(
        "--html", type=Path, metavar="FILE", help="also write a self-contained HTML report"
    )
    p.set_defaults(func=run, runs_through=True)  # see cli.main


def err(message: str) -> None:
    print(f"immunoquiz report: {printable(message)}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    if args.csv is not None and args.csv.exists() and not args.csv.is_dir():
        err(f"--csv takes a folder (four tables are written there), not the file {args.csv}")
        return EXIT_USAGE
    extra = getattr(args, "banks", None) or []
    session: SessionFacts | None = None
    if args.session is not None:
        facts = _session_facts(args.session, extra)
        if facts is None:
            return EXIT_INVALID
        session = facts

    loaded = read_results(args.results, session=session, which=args.attempts)
    for problem in loaded.problems:
        print(printable(str(problem)), file=sys.stderr)
    if not loaded.attempts:
        for opened in loaded.open:
            err(f"{opened.path}: {opened.learner}'s attempt is still open ({opened.status})")
        err("no usable results files")
        return EXIT_INVALID

    keys, key_notes = _keys(loaded, extra)
    report = analysis.analyse_loaded(loaded, keys=keys, notes=key_notes)
    if args.json:
        sys.stdout.write(render.to_json(report))
    else:
        sys.stdout.write(render.to_text(report, _columns(args.columns)))
    try:
        if args.csv is not None:
            for path in render.write_csv_dir(report, args.csv):
                err(f"wrote {path}")
        if args.html is not None:
            args.html.write_text(render.to_html(report), encoding="utf-8")
            err(f"wrote {args.html}")
    except OSError as exc:
        err(f"cannot write {exc.filename or ''}: {exc.strerror or exc}")
        return EXIT_INVALID
    return EXIT_OK


def _columns(asked: int | None) -> int:
    if asked:
        return max(40, asked)
    import shutil

    return max(40, min(120, shutil.get_terminal_size((80, 24)).columns))


def _session_facts(path: Path, extra: list[str]) -> SessionFacts | None:
    from immunoquiz.banks.loader import bundled_and_extra
    from immunoquiz.educator.session_file import load_session

    banks, _ = bundled_and_extra(extra)
    spec, problems = load_session(path, banks)
    for problem in problems:
        print(problem, file=sys.stderr)  # Problem prints through printable()
    if spec is None:
        err(f"cannot use the session file {path}")
        return None
    return SessionFacts(spec.title, spec.content_hash, spec.pass_mark)


def _keys(loaded: LoadedResults, extra: list[str]) -> tuple[dict[str, ItemKey], list[str]]:
    """Questions and keys from the banks, for items whose files do not record them."""
    first = loaded.attempts[0]
    wanted = [i.id for i in first.items if not (i.question and i.answer)]
    if not wanted:
        return {}, []
    from immunoquiz.banks.loader import bundled_and_extra, load_many  # only then

    # Their own problems belong to `validate`. The banks named with --banks first: when
    # they hold every item, the bundled ones need not be parsed.
    banks, _ = load_many(extra) if extra else ([], [])
    have = {b.id for b in banks}
    if any(item_id.partition("/")[0] not in have for item_id in wanted):
        banks, _ = bundled_and_extra(extra)
    return keys_from_banks(banks, wanted, first.banks)
