"""`immunoquiz export BANK.yaml --format gift|moodle-xml|anki -o FILE`.

Writes the file given to -o whatever its extension and exits 0; lists on standard
error what could not be exported (or only with a loss) and why. A bank that does not
load is reported as `validate` does and exits 1.
"""

from __future__ import annotations

import argparse
import os
import sys

from immunoquiz.banks.loader import load
from immunoquiz.banks.problems import BankError
from immunoquiz.basics import plural
from immunoquiz.terminal import printable

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
FORMATS = ("gift", "moodle-xml", "anki")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "export",
        parents=[common],
        help="write a bank as GIFT, Moodle XML or an Anki deck",
        description="Write a bank for Moodle (GIFT or Moodle XML) or Anki (.apkg). What "
        "a format cannot hold is listed on standard error. Exit status: 0 written, "
        "1 the bank is invalid or the file cannot be written, 2 usage error.",
    )
    p.add_argument("bank", metavar="BANK.yaml", help="the bank file to export")
    p.add_argument("--format", required=True, choices=FORMATS, help="what to write")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not os.path.isfile(args.bank):
        print(f"immunoquiz export: error: no such file: {args.bank}", file=sys.stderr)
        return EXIT_USAGE
    try:
        bank = load(args.bank)
    except BankError as exc:
        for problem in exc.problems:
            print(printable(str(problem)), file=sys.stderr)
        return EXIT_INVALID
    notes: list[str] = []
    try:
        if args.format == "anki":
            from immunoquiz.banks.interop.anki_write import write_apkg

            count = write_apkg(bank, args.output)
        else:
            if args.format == "gift":
                from immunoquiz.banks.interop.gift_write import write_gift as write
            else:
                from immunoquiz.banks.interop.xml_write import write_moodle_xml as write
            text, notes = write(bank)
            count = text.count("\n::") if args.format == "gift" else text.count("<question ")
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(text)
    except OSError as exc:
        print(
            f"immunoquiz export: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr
        )
        return EXIT_INVALID
    for note in notes:
        print(printable(f"{args.bank}: {note}"), file=sys.stderr)
    print(printable(f"exported {plural(count, 'question')} to {args.output}"), file=sys.stderr)
    return EXIT_OK
