"""`immunoquiz validate [PATH...]`: check bank files and say exactly what is wrong where.

Prints `FILE:LINE:COL: message` per problem (stderr), then a one-line summary.
Exit 0 when every file is valid, 1 when any is not (or, with --strict, when the
content lint warns), 2 for a usage error such as a path that does not exist.
Exam session files (docs/sessions.md) given among the paths are checked too,
against the banks given plus the bundled ones and any --banks.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from immunoquiz.banks.discover import bank_files
from immunoquiz.banks.loader import bundled_and_extra, load_many
from immunoquiz.banks.model import Bank
from immunoquiz.banks.problems import Problem
from immunoquiz.basics import plural
from immunoquiz.paths import bundled_banks_dir, format_doc
from immunoquiz.terminal import printable

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = subparsers.add_parser(
        "validate",
        parents=[common],
        help="check question bank files",
        description="Check question bank files (or folders of them, searched recursively) "
        "and report every problem as FILE:LINE:COL: message. With no PATH, checks the "
        "bundled banks (and any --banks). Exit status: 0 all valid, 1 a bank is invalid "
        "(or, with --strict, the content lint warned), 2 usage error.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="bank files or folders")
    p.add_argument(
        "--strict",
        action="store_true",
        help="also lint the content (items without sources, wrong options without 'why', "
        "repeated questions, unused sources, keys that are clearly the longest option); "
        "any warning fails the check, notes do not",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    p.add_argument(
        "--no-cache", action="store_true", help="parse every file, ignoring the bank cache"
    )
    p.set_defaults(func=run, runs_through=True)  # see cli.main


def run(args: argparse.Namespace) -> int:
    targets: list[str] = [*args.paths, *(args.banks or [])]
    if not args.paths:
        bundled = bundled_banks_dir()
        if bundled.is_dir():
            targets.insert(0, str(bundled))
    missing = [t for t in targets if not os.path.exists(t)]
    if missing:
        for t in missing:
            print(
                f"immunoquiz validate: error: no such file or folder: {printable(t)}",
                file=sys.stderr,
            )
        return EXIT_USAGE
    if not targets:
        print(
            "immunoquiz validate: error: no bank files given and no bundled banks found",
            file=sys.stderr,
        )
        return EXIT_USAGE

    files, problems = bank_files(targets)
    sessions = _session_files(files)
    use_cache = not args.no_cache
    banks, load_problems = load_many([f for f in files if f not in sessions], use_cache=use_cache)
    problems += load_problems
    if args.strict:
        from immunoquiz.banks.lint import lint  # only here: the plain check stays light

        problems += lint(banks)
    if sessions:
        problems += _check_sessions(sessions, banks, args.banks or [], use_cache)
    problems.sort()

    errors = Counter(p.path for p in problems if p.severity == "error")
    warnings = Counter(p.path for p in problems if p.severity == "warning")
    bank_of = {b.path: b for b in banks}
    records: list[dict[str, object]] = [
        {
            "path": f,
            "kind": "session" if f in sessions else "bank",
            "valid": errors[f] == 0,
            "bank": bank_of[f].id if f in bank_of else None,
            "items": len(bank_of[f].questions) if f in bank_of else 0,
            "errors": errors[f],
            "warnings": warnings[f],
        }
        for f in files
    ]
    n_errors, n_warnings = sum(errors.values()), sum(warnings.values())
    failed = n_errors > 0 or (args.strict and n_warnings > 0)

    if args.json:
        import json  # only here: the plain check does not load it

        doc = {"files": records, "problems": [p.to_json() for p in problems]}
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        for p in problems:
            print(p, file=sys.stderr)
        if any(p.severity != "info" and p.path not in sessions for p in problems):
            print(f"The bank format, key by key: {format_doc()}", file=sys.stderr)
        print(_summary(records, n_errors, n_warnings), file=sys.stderr)
    return EXIT_INVALID if failed else EXIT_OK


def _session_files(files: list[str]) -> set[str]:
    if not files:
        return set()
    from immunoquiz.educator.session_sniff import looks_like_session

    return {f for f in files if looks_like_session(Path(f))}


def _check_sessions(
    sessions: set[str], banks: list[Bank], extra: list[str], use_cache: bool
) -> list[Problem]:
    """Problems of each session file, resolved against the banks it could be run with."""
    from immunoquiz.educator.session_file import load_session

    known, _ = bundled_and_extra(extra, use_cache=use_cache)  # their problems: not asked for
    given = {b.id for b in banks}
    pool = banks + [b for b in known if b.id not in given]
    problems: list[Problem] = []
    for path in sorted(sessions):
        problems += load_session(path, pool)[1]
    return problems


def _summary(records: list[dict[str, object]], n_errors: int, n_warnings: int) -> str:
    n = len(records)
    valid = sum(1 for r in records if r["valid"])
    parts = [f"{valid} valid", f"{n - valid} invalid", plural(n_errors, "error")]
    if n_warnings:
        parts.append(plural(n_warnings, "warning"))
    # Problems not tied to a checked file (an empty folder) still count as errors above.
    return f"{plural(n, 'file')} checked: " + ", ".join(parts)
