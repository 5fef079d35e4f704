"""`immunoquiz backup`: a consistent copy of the progress file (SQLite backup API)."""

from __future__ import annotations

import argparse
from pathlib import Path

from immunoquiz.basics import utc_now
from immunoquiz.commands.opening import EXIT_INVALID, EXIT_OK, err


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = subparsers.add_parser(
        "backup",
        parents=[common],
        help="write a consistent copy of the progress file",
        description="Write a consistent copy of the progress file with SQLite's backup "
        "API (safe while a session is running). Without DEST the copy goes to the "
        "backups folder beside the progress file. An existing file is never overwritten.",
    )
    p.add_argument(
        "dest", nargs="?", default=None, metavar="DEST", help="a file to create, or a folder"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from immunoquiz.paths import data_dir
    from immunoquiz.store import DB_NAME, Store, StoreError

    folder = data_dir(args.data_dir)
    if not (folder / DB_NAME).exists():
        err(f"{folder / DB_NAME}: no progress file yet, nothing to back up")
        return EXIT_INVALID
    try:
        with Store.open(folder) as store:
            stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
            name = f"{store.path.stem}-{stamp}.sqlite3"
            numbered = args.dest is None
            if args.dest is None:
                dest = store.path.parent / "backups" / name
            else:
                dest = Path(args.dest).expanduser()
                if dest.is_dir():
                    dest, numbered = dest / name, True
            # Counted from the very snapshot that was copied (and checked in the copy).
            info = store.backup(dest, numbered=numbered)
    except StoreError as exc:
        err(str(exc))
        return EXIT_INVALID
    print(
        f"Backed up {info.profiles} profile(s) and {info.reviews} logged answer(s) to {info.path}"
    )
    return EXIT_OK
