"""The `immunoquiz` command: parses arguments and hands over to a command module.

Exit codes: 0 ok, 1 invalid input, 2 usage error. No traceback reaches a user:
anything unexpected is reported in one line (set IMMUNOQUIZ_DEBUG=1 to see it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from immunoquiz import __version__
from immunoquiz.basics import collector_held
from immunoquiz.commands import MODULE_OF, load
from immunoquiz.terminal import printable

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def common_parser(default: object = None) -> argparse.ArgumentParser:
    """Options every command accepts, before or after its name.

    The sub-commands' copy uses `argparse.SUPPRESS` as its default, so an option
    given before the command name is not reset to None by the sub-command parser.
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--banks",
        action="append",
        default=default,
        metavar="PATH",
        help="add a bank file or folder beside the bundled banks (repeatable)",
    )
    common.add_argument(
        "--data-dir",
        default=default,
        metavar="DIR",
        help="where progress is stored (default: $IMMUNOQUIZ_HOME or the user data dir)",
    )
    common.add_argument("--profile", default=default, metavar="NAME", help="trainee profile to use")
    return common


VALUE_OPTIONS = ("--banks", "--data-dir", "--profile")


def command_named(argv: Sequence[str]) -> str | None:
    """The sub-command `argv` runs, if it can be told without parsing; else None.

    Only that command's module is then imported (a command does not pay for the
    others' imports). Asking for help or the version, or an unknown word, needs them all.
    """
    words = iter(argv)
    for word in words:
        if word in ("-h", "--help", "--version") or word == "--":
            return None
        if word in VALUE_OPTIONS:
            next(words, None)
        elif not word.startswith("-"):
            return word if word in MODULE_OF else None
    return "study"  # no command: the trainer opens, as `study`


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or only of `command`'s module."""
    parser = argparse.ArgumentParser(
        prog="immunoquiz",
        description="Quiz and comprehension trainer on breast-cancer immunotherapy. "
        "With no command, opens the trainer.",
        parents=[common_parser()],
    )
    parser.add_argument("--version", action="version", version=f"immunoquiz {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = common_parser(default=argparse.SUPPRESS)
    for module in load(command):
        module.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(argv if argv is not None else sys.argv[1:])
    if words == ["--version"]:  # answered without importing every command (0.5 s)
        print(f"immunoquiz {__version__}")
        return 0
    # While the command's modules load and its parser is built: importing makes tens of
    # thousands of objects that live until exit, which the collector walked twenty-odd
    # times during start-up and twice more at exit, freeing nothing. Frozen (as the TUI
    # does at start), they are left out of every later pass (20-30 M instructions).
    with collector_held(freeze=True):
        parser = build_parser(command_named(words))
        args = parser.parse_args(words)
        if args.command is None:
            args = parser.parse_args(["study", *words])
    if os.environ.get("IMMUNOQUIZ_NOW", "").strip():
        # only then: importing the study package costs validate and report their start-up
        from immunoquiz.study.clock import check_env

        if problem := check_env():
            print(f"immunoquiz: {problem}", file=sys.stderr)
            return EXIT_USAGE
    # A command that runs to its end without waiting for anyone (validate, stats, report)
    # makes objects that mostly live until it ends: the collector's passes would walk
    # them again and again and free next to nothing (2-8 ms), then once more as it ends
    # (frozen, they are not). Interactive ones keep the collector.
    brief = getattr(args, "runs_through", False)
    held = collector_held(freeze=True) if brief else contextlib.nullcontext()
    try:
        with held:
            return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: one clear line, no traceback
        if os.environ.get("IMMUNOQUIZ_DEBUG"):
            raise
        message = printable(f"{type(exc).__name__}: {exc}")  # may quote a file's text
        print(f"immunoquiz: unexpected error: {message}", file=sys.stderr)
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
