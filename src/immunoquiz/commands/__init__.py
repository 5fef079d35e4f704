"""One module per `immunoquiz` sub-command.

Each module exposes `register(subparsers, common)`, which adds its parser with
`parents=[common]` and sets `func=run`; `run(args) -> int` returns the exit code.
Modules import Textual only inside the functions that open the TUI, so
`validate`, `stats` and `report` start fast; and `cli` imports only the module of
the command being run (`load`), so one command does not pay for the others' imports.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

# the sub-command names each module registers (help lists the modules in this order)
MODULE_OF = {
    "study": "study",
    "practice": "study",
    "validate": "validate",
    "report": "report",
    "stats": "stats",
    "settings": "settings",
    "browse": "browse",
    "flags": "browse",
    "backup": "backup",
    "doctor": "doctor",
    "exam": "exam",
    "class": "class_",
    "import": "import_",
    "export": "export",
}
_NAMES = tuple(dict.fromkeys(MODULE_OF.values()))


def load(command: str | None = None) -> list[ModuleType]:
    """The module that registers `command`, or every command module when None."""
    names = _NAMES if command is None else (MODULE_OF[command],)
    return [import_module(f"immunoquiz.commands.{name}") for name in names]


def __getattr__(name: str) -> list[ModuleType]:
    # `COMMANDS` (every module) is still there for whoever wants all of them.
    if name == "COMMANDS":
        return load()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
