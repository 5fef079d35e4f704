"""Fixtures of the class-mode tests (helpers live in class_client.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from class_browser import launched
from class_client import Clock, Room, open_room, session_file

from immunoquiz.educator.classroom import Classroom


@pytest.fixture
def make_room(tmp_path: Path) -> Iterator[Callable[..., Room]]:
    rooms: list[Classroom] = []

    def make(**changes: Any) -> Room:
        clock = Clock()
        session = session_file(tmp_path, **changes)
        results, data = tmp_path / "results", tmp_path / "data"
        room = open_room(session, results, data, clock)
        rooms.append(room)
        return Room(room, clock, results, data, session)

    yield make
    for room in rooms:
        room.folder.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium for a module's browser tests (contexts keep them apart).

    Not per session: Playwright's sync API holds an event loop open while it runs, and
    the other tests here start their own with asyncio.run."""
    with launched() as browser:
        yield browser
