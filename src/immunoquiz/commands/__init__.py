"""One module per `immunoquiz` sub-command.

Each module exposes `register(subparsers, common)`, which adds its parser with
`parents=[common]` and sets `func=run`; `run(args) -> int` returns the exit code.
Modules import Textual only inside the functions that open the TUI, so
`validate`, `stats` and `report` start fast.
"""

from importlib import import_module

_NAMES = (
    "study",
    "validate",
    "report",
    "stats",
    "backup",
    "doctor",
    "exam",
    "class_",
    "import_",
    "export",
)
COMMANDS = [import_module(f"immunoquiz.commands.{name}") for name in _NAMES]
