"""`immunoquiz stats`: a profile's progress as a table, or `--json`. No Textual."""

from __future__ import annotations

import argparse
import json
import sys

from immunoquiz.commands.opening import EXIT_OK, open_profile, report_store_problems
from immunoquiz.study.statistics import Stats, stats

DEFINITIONS = """Definitions:
  answer      a logged answer (study or practice) that was not undone
  accuracy    the share of answers that earned full credit
  today       your local calendar day
  due         cards of the loaded banks due now / falling due in the next 7 days
              (today included); an item removed from its bank is never due
  mastery     mean predicted recall (FSRS retrievability) over all items of a
              group, items never studied counting 0
  streak      consecutive days with at least one answer, up to today (or
              yesterday, if nothing was answered yet today)
"""


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = subparsers.add_parser(
        "stats",
        parents=[common],
        help="a profile's progress: reviews, due cards, accuracy, mastery, streak",
        description="Show a profile's progress: reviews today, cards due now and in the "
        "next 7 days, accuracy, mastery per topic and per clinical-judgment step, streak.",
        epilog=DEFINITIONS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=run, runs_through=True)  # see cli.main


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{round(100 * x)}%"


def table(s: Stats) -> list[str]:
    lines = [
        f"Profile {s.profile!r}, as of {s.now.astimezone():%Y-%m-%d %H:%M}",
        "",
        f"  Reviews today        {s.reviews_today} ({s.correct_today} fully correct)",
        f"  Due now              {s.due_now}",
        f"  Due in next 7 days   {s.due_next_7_days}",
        f"  Accuracy             {_pct(s.accuracy)} of {s.total_reviews} answers",
        f"  Streak               {s.streak} day{'s' if s.streak != 1 else ''}",
        f"  Mastery              {_pct(s.mastery)} ({s.items_seen} of {s.items_total} "
        "items studied)",
    ]
    for title, groups in (("topic", s.mastery_by_topic), ("step", s.mastery_by_step)):
        if not groups:
            continue
        width = max(len(k) for k in groups) + 2
        lines += ["", f"  {'Mastery by ' + title:<{width + 2}} items  studied  mastery"]
        for key, m in groups.items():
            lines.append(f"    {key:<{width}} {m.items:>5}  {m.seen:>7}  {_pct(m.mastery):>7}")
    lines += ["", "  Falling due    cards"]
    lines += [f"    {d.day.isoformat()}  {d.due:>5}" for d in s.due_by_day[:7]]
    active = [d for d in s.days if d.reviews]
    if active:
        lines += ["", "  Answered       answers  accuracy"]
        lines += [f"    {d.day.isoformat()}  {d.reviews:>7}  {_pct(d.accuracy):>8}" for d in active]
    return lines


def run(args: argparse.Namespace) -> int:
    opened = open_profile(args)
    if isinstance(opened, int):
        return opened
    now, banks, store, profile = opened
    with store:
        result = stats(store, profile, banks, now)
        report_store_problems(store)
    if args.json:
        json.dump(result.to_json(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print("\n".join(table(result)))
    return EXIT_OK
