"""The one-line bar at the top of every screen: where you are, who is studying."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from immunoquiz.tui.text import join


class TitleBar(Horizontal):
    DEFAULT_CSS = """
    TitleBar { height: 1; width: 1fr; background: $primary; color: auto 90%; dock: top; }
    TitleBar > #where { width: 1fr; padding: 0 1; text-style: bold; }
    TitleBar > #who { width: auto; padding: 0 1; }
    """

    def __init__(self, where: str | Content = "immunoquiz", who: str | Content = "") -> None:
        super().__init__()
        self._where = where
        self._who = who

    def compose(self) -> ComposeResult:
        yield Static(self._where, id="where", markup=False)
        yield Static(self._who, id="who", markup=False)

    def set(self, where: str | Content | None = None, who: str | Content | None = None) -> None:
        if where is not None:
            self._where = where
            self.query_one("#where", Static).update(where)
        if who is not None:
            self._who = who
            self.query_one("#who", Static).update(who)


def who_label(name: str | None) -> Content:
    """The learner's name (their text, shown literally)."""
    return join(("● ", "$success"), name) if name else Content("")
