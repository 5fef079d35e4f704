"""`immunoquiz settings`: show a profile's study settings, or change them with `--set`."""

from __future__ import annotations

import argparse
import textwrap

from immunoquiz.commands.opening import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    ProfileChoiceError,
    choose_profile,
    err,
    open_store,
)
from immunoquiz.study import settings as cfg


def _epilog() -> str:
    lines = ["Settings:"]
    for s in cfg.SETTINGS:
        lines.append(f"  {s.name:<16} {s.label} ({s.allowed}; default {s.default})")
        lines += textwrap.wrap(s.explain, 74, initial_indent=" " * 19, subsequent_indent=" " * 19)
    return "\n".join(lines)


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = subparsers.add_parser(
        "settings",
        parents=[common],
        help="show or change a profile's study settings (new items a day, retention, ...)",
        description="Show a profile's study settings, or change them with --set NAME=VALUE. "
        "A value outside the allowed range is refused and nothing is changed.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        dest="assignments",
        help="change a setting (repeatable), e.g. --set new-per-day=10 --set retention=0.85",
    )
    p.set_defaults(func=run)


def _parse(assignments: list[str]) -> list[tuple[cfg.Setting, str]]:
    """Every NAME=VALUE checked before any is stored: all or nothing."""
    out: list[tuple[cfg.Setting, str]] = []
    for text in assignments:
        name, sep, value = text.partition("=")
        if not sep:
            raise cfg.SettingError(f"--set {text!r}: write it as NAME=VALUE, e.g. retention=0.9")
        setting = cfg.find(name)
        out.append((setting, setting.parse(value)))
    return out


def run(args: argparse.Namespace) -> int:
    from immunoquiz.store import StoreError

    try:
        changes = _parse(args.assignments)
    except cfg.SettingError as exc:
        err(str(exc))
        return EXIT_USAGE
    store = open_store(args)
    if isinstance(store, int):
        return store
    with store:
        try:
            profile, note = choose_profile(store, args.profile, create=bool(changes))
        except ProfileChoiceError as exc:
            err(str(exc))
            return exc.code
        if note:
            print(note)
        try:
            for setting, value in changes:
                cfg.write(store, profile, setting, value)
        except StoreError as exc:
            err(str(exc))
            return EXIT_INVALID
        values = cfg.read_all(store, profile)
    print(f"Settings of profile {profile.name!r}:")
    for s in cfg.SETTINGS:
        changed = "  (changed)" if any(c[0] is s for c in changes) else ""
        print(f"  {s.name:<16} {values[s.name]:<14} {s.label}{changed}")
    if not changes:
        print("Change one with: immunoquiz settings --set NAME=VALUE (see --help for ranges)")
    return EXIT_OK
