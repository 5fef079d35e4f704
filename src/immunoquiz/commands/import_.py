"""`immunoquiz import FILE.gift|FILE.xml`: an educator's Moodle questions as a bank.

Writes the bank YAML to `-o` (or standard output); lists on standard error what was
not imported and why (`FILE:LINE:COL: not imported: ...`) and what a learner will see
differently (`warning:`). `--json` prints {"items", "skipped", "problems"} instead.
Exit 0 when anything was imported, 1 when nothing could be, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

from immunoquiz.banks.interop.importer import import_file
from immunoquiz.basics import plural
from immunoquiz.terminal import printable

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "import",
        parents=[common],
        help="turn a Moodle GIFT or XML question file into a bank",
        description="Read a GIFT file or a Moodle XML export as Moodle's importer does and "
        "write the questions as an immunoquiz bank. Questions without a counterpart "
        "(essay, numerical, ...) are listed with their line and reason; the rest import. "
        "Exit status: 0 something was imported, 1 nothing could be, 2 usage error.",
    )
    p.add_argument("file", metavar="FILE", help="a .gift (or .txt) or .xml file")
    p.add_argument(
        "-o",
        "--output",
        metavar="BANK.yaml",
        help="where to write the bank (default: standard output)",
    )
    p.add_argument("--bank-id", metavar="ID", help="the bank id (default: made from the file name)")
    p.add_argument("--topic", metavar="TOPIC", help="the bank topic (default: imported)")
    p.add_argument("--json", action="store_true", help="print items, skipped and problems as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    for name, value in (("--bank-id", args.bank_id), ("--topic", args.topic)):
        if value is not None and not _SLUG.fullmatch(value):
            return _usage(f"{name} must be lowercase letters, digits and hyphens, like 'tnbc-quiz'")
    if not os.path.isfile(args.file):
        return _usage(f"no such file: {args.file}")
    result = import_file(args.file, bank_id=args.bank_id, topic=args.topic)
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False, allow_nan=False))
    else:
        for s in result.skipped:
            print(
                printable(f"{args.file}:{s.line}:{s.col}: not imported: {s.reason}"),
                file=sys.stderr,
            )
        for p in result.problems:
            print(printable(str(p)), file=sys.stderr)
    if result.document is None:
        if not args.json:
            print(
                printable(f"immunoquiz import: nothing imported from {args.file}"), file=sys.stderr
            )
        return EXIT_INVALID
    text = result.yaml()
    if args.output:
        try:
            _write(args.output, text)
        except OSError as exc:
            print(
                f"immunoquiz import: cannot write {args.output}: {exc.strerror or exc}",
                file=sys.stderr,
            )
            return EXIT_INVALID
    elif not args.json:
        sys.stdout.write(text)
    if not args.json:
        where = f" to {args.output}" if args.output else ""
        print(
            f"imported {plural(len(result.items), 'item')}{where}, "
            f"{plural(len(result.skipped), 'question')} not imported",
            file=sys.stderr,
        )
    return EXIT_OK


def _write(path: str, text: str) -> None:
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def _usage(message: str) -> int:
    print(printable(f"immunoquiz import: error: {message}"), file=sys.stderr)
    return EXIT_USAGE
