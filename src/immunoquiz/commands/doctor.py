"""`immunoquiz doctor`: examine a progress file and list its problems, changing nothing."""

from __future__ import annotations

import argparse

from immunoquiz.commands.opening import EXIT_INVALID, EXIT_OK, err


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "doctor",
        parents=[common],
        help="check the progress file and list any problems (changes nothing)",
        description="Check the progress file on a read-only connection: the SQLite "
        "integrity check, times that cannot be read (such rows are skipped by the other "
        "commands), unusable card states, cards left in the state of an undone answer. "
        "Nothing is changed. Exit 0: no problem found; 1: problems (one per line).",
    )
    p.set_defaults(func=run)


def _state_problem(text: str) -> str | None:
    from immunoquiz import scheduling

    try:
        scheduling.card_from_json(text)
    except ValueError as exc:
        return str(exc)
    return None


def run(args: argparse.Namespace) -> int:
    from immunoquiz.paths import data_dir
    from immunoquiz.store import DB_NAME, StoreError
    from immunoquiz.store.checkup import checkup
    from immunoquiz.terminal import printable

    path = data_dir(args.data_dir) / DB_NAME
    if not path.exists():
        err(f"{path}: no progress file yet, nothing to check")
        return EXIT_INVALID
    try:
        result = checkup(path, _state_problem)
    except StoreError as exc:
        err(str(exc))
        return EXIT_INVALID
    for problem in result.problems:
        print(printable(f"{path}: {problem}"))
    if result.more:
        print(f"{path}: ... and {result.more} more problem(s)")
    found = len(result.problems) + result.more
    summary = (
        f"{result.profiles} profile(s), {result.cards} card(s), {result.reviews} logged "
        f"answer(s), schema {result.schema}"
    )
    if found:
        print(f"{path}: {found} problem(s) found; nothing was changed ({summary})")
        return EXIT_INVALID
    print(f"{path}: no problems found ({summary})")
    return EXIT_OK
