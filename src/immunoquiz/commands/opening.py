"""What the commands that work on a learner's progress open first: the banks, the
progress store and the profile, each with a one-line error and its exit code when
it cannot be had. Light on purpose: `stats`, `browse`, `settings`, `backup` and
`doctor` import this, not the trainer's own module (which brings the study engine).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from immunoquiz.banks.model import Bank
from immunoquiz.store import Profile, Store
from immunoquiz.terminal import printable

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def err(message: str) -> None:
    print(f"immunoquiz: {printable(message)}", file=sys.stderr)


def report_store_problems(store: Store) -> None:
    """Rows the store skipped (each named once), then where to look further."""
    for problem in store.problems:
        err(problem)
    if store.problems:
        err("run `immunoquiz doctor` for a full check of the progress file (it changes nothing)")


def load_banks(args: argparse.Namespace) -> tuple[list[Bank], int]:
    """Bundled banks plus --banks; problems printed FILE:LINE:COL. Returns (banks, exit)."""
    from immunoquiz.banks import bundled_and_extra

    banks, problems = bundled_and_extra(args.banks)
    errors = 0
    for problem in problems:
        print(problem, file=sys.stderr)
        errors += getattr(problem, "severity", "error") == "error"
    return list(banks), (EXIT_INVALID if errors else EXIT_OK)


class ProfileChoiceError(Exception):
    """No usable profile; `code` is the exit code (2 when --profile is needed)."""

    def __init__(self, message: str, code: int = EXIT_INVALID) -> None:
        super().__init__(message)
        self.code = code


def choose_profile(store: Store, name: str | None, *, create: bool) -> tuple[Profile, str | None]:
    """The profile to use and a note to print (e.g. that it was just created).

    No --profile: the only profile; if there is none, "default" (created when
    `create`); with several, the learner must say which (never guess on a shared
    lab computer). Raises ProfileChoiceError.
    """
    if name:
        found = store.get_profile(name)
        if found:
            return found, None
        if not create:
            names = ", ".join(p.name for p in store.profiles()) or "none yet"
            raise ProfileChoiceError(f"no profile named {name!r} (profiles: {names})")
        try:
            return store.create_profile(name), f'Created profile "{name.strip()}".'
        except ValueError as exc:
            raise ProfileChoiceError(f"cannot create profile {name!r}: {exc}") from None
    existing = store.profiles()
    if len(existing) == 1:
        return existing[0], None
    if not existing:
        if not create:
            raise ProfileChoiceError("no profile yet: study first (immunoquiz study --plain)")
        return store.create_profile("default"), 'Created profile "default".'
    names = ", ".join(p.name for p in existing)
    raise ProfileChoiceError(
        f"several profiles ({names}): choose one with --profile NAME", EXIT_USAGE
    )


def open_store(args: argparse.Namespace) -> Store | int:
    """The progress store of --data-dir (the caller closes it), or, after a one-line
    error, the exit code."""
    from immunoquiz.paths import data_dir
    from immunoquiz.store import StoreError

    try:
        return Store.open(data_dir(args.data_dir))
    except StoreError as exc:
        err(str(exc))
        return EXIT_INVALID


def open_profile(args: argparse.Namespace) -> tuple[datetime, list[Bank], Store, Profile] | int:
    """What a command that reports on an existing profile opens: the clock, the banks,
    the store (the caller closes it) and the profile; or, after a one-line error, the
    exit code."""
    from immunoquiz.study.clock import clock_from_env

    try:
        now = clock_from_env()()
    except ValueError as exc:
        err(str(exc))
        return EXIT_USAGE
    banks, status = load_banks(args)
    if status:
        return status
    store = open_store(args)
    if isinstance(store, int):
        return store
    try:
        profile, _note = choose_profile(store, args.profile, create=False)
    except ProfileChoiceError as exc:
        store.close()
        err(str(exc))
        return exc.code
    return now, banks, store, profile
