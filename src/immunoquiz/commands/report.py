"""`immunoquiz report RESULTS...`: item statistics of a class's exam results."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from immunoquiz.educator import analysis, render
from immunoquiz.educator.results import read_results


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "report",
        parents=[common],
        help="item statistics of exam results files",
        description="Read exam results files (or folders of them) and print per-learner "
        "scores and per-item statistics: facility, discrimination index, discriminative "
        "efficiency, options picked, and the test's internal consistency (CIC). "
        "Bad files are reported and skipped.",
    )
    p.add_argument(
        "results", nargs="+", type=Path, metavar="RESULTS", help="results files or folders"
    )
    p.add_argument(
        "--json", action="store_true", help="print the report as JSON instead of a table"
    )
    p.add_argument(
        "--csv", type=Path, metavar="FILE", help="also write the item and learner tables as CSV"
    )
    p.add_argument(
        "--html", type=Path, metavar="FILE", help="also write a self-contained HTML report"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    loaded = read_results(args.results)
    for problem in loaded.problems:
        print(problem, file=sys.stderr)
    for note in loaded.notes:
        print(f"note: {note}", file=sys.stderr)
    if not loaded.attempts:
        print("immunoquiz report: no usable results files", file=sys.stderr)
        return 1
    report = analysis.analyse(loaded.attempts, loaded.notes)
    sys.stdout.write(render.to_json(report) if args.json else render.to_text(report))
    for path, text in ((args.csv, render.to_csv), (args.html, render.to_html)):
        if path is not None:
            try:
                path.write_text(text(report), encoding="utf-8", newline="")
            except OSError as exc:
                print(f"immunoquiz report: cannot write {path}: {exc.strerror}", file=sys.stderr)
                return 1
            print(f"wrote {path}", file=sys.stderr)
    return 0
