"""The educator's terminal while a class check runs: one screen, the class dashboard.

Started by `immunoquiz class`; the web server runs in this app's event loop (the
command hands over a coroutine that starts it, so this module never imports web/).
Leaving (q, Ctrl-C, a closed terminal) never ends the check: it stays resumable.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import App

from immunoquiz.educator.classroom import Classroom
from immunoquiz.tui.screens.class_dashboard import ClassDashboard

Starter = Callable[[], Awaitable[tuple[Callable[[], Awaitable[None]], list[str]]]]


class ClassApp(App[None]):
    CSS_PATH = "class_dashboard.tcss"
    TITLE = "immunoquiz class"

    def __init__(self, room: Classroom, start: Starter) -> None:
        super().__init__()
        self.room = room
        self.start = start
        self.stop_server: Callable[[], Awaitable[None]] | None = None

    async def _start(self) -> tuple[object, list[str]]:
        self.stop_server, urls = await self.start()
        return self.stop_server, urls

    def on_mount(self) -> None:
        self.push_screen(ClassDashboard(self.room, self._start))

    async def on_unmount(self) -> None:
        if self.stop_server is not None:
            await self.stop_server()

    def action_quit(self) -> None:  # type: ignore[override]
        self.exit()


def run_dashboard(room: Classroom, start: Starter, **run: Any) -> int:
    ClassApp(room, start).run(**run)
    return 0
