"""The educator's TUI dashboard: roster, live bars, QR, and its actions (Pilot + a snapshot)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from class_client import Room
from textual.pilot import Pilot

from immunoquiz.educator import class_access
from immunoquiz.responses import SingleResponse
from immunoquiz.tui.class_app import ClassApp

LAN_URL = "http://192.0.2.10:8765/"


@pytest.fixture(autouse=True)
def stable_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = itertools.count(1)
    monkeypatch.setattr(class_access, "new_learner_id", lambda: f"t-{next(counter):08d}")


def class_in_progress(r: Room) -> None:
    """Ana answered question 1 right, Ben wrong; Cid joined; someone asks to rejoin as Ana."""
    room = r.room
    for name, choice in (("Ana", 0), ("Ben", 1)):
        learner = room.join(name).learner
        assert learner is not None
        room.start(learner)
        room.answer(learner, 0, SingleResponse(choice), flagged=name == "Ben")
    room.join("Cid")
    room.join("ana")


def app_for(r: Room) -> ClassApp:
    async def start() -> tuple[Callable[[], Awaitable[None]], list[str]]:
        async def stop() -> None:
            return None

        return stop, [LAN_URL]

    return ClassApp(r.room, start)


def run(app: ClassApp, steps: Callable[[Pilot[Any]], Awaitable[None]]) -> None:
    async def main() -> None:
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            await steps(pilot)

    asyncio.run(main())


def test_the_dashboard_shows_the_class_and_acts_on_it(make_room: Callable[..., Room]) -> None:
    r = make_room()
    class_in_progress(r)
    app = app_for(r)

    async def steps(pilot: Pilot[Any]) -> None:
        await pilot.pause(0.5)
        roster = [str(c) for c in app.screen.query_one("#roster").get_row_at(0)]  # type: ignore[attr-defined]
        assert roster[0] == "Ana" and roster[3] == "1/9"
        items = str(app.screen.query_one("#items").render())
        assert "Q1   ██████████░░░░░░░░░░  50%" in items
        assert "A B C 2 3 4" in str(app.screen.query_one("#code").render())
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("backspace", "3", "enter")
        await pilot.pause(0.3)
        ana = next(le for le in r.room.learners.values() if le.name == "Ana")
        assert ana.attempt is not None and ana.attempt.remaining_seconds() == 23 * 60
        for _ in range(3):
            await pilot.press("down")
        await pilot.press("y")
        await pilot.pause(0.3)
        assert not r.room.pending_rejoins()
        await pilot.press("e")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause(0.5)
        assert r.room.ended and all(le.final for le in r.room.learners.values())

    run(app, steps)


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause(0.5)


def test_dashboard_snapshot(make_room: Callable[..., Room], snap_compare: Any) -> None:
    r = make_room()
    class_in_progress(r)
    assert snap_compare(app_for(r), terminal_size=(100, 40), run_before=settle)


def resumed_with_a_paused_attempt(r: Room) -> None:
    """Ana's deadline passes while the server is down for 10 minutes."""
    learner = r.room.join("Ana").learner
    assert learner is not None
    r.room.start(learner)
    r.clock.tick(minutes=15)
    r.room.close()
    r.clock.tick(minutes=10)
    r.room = r.reopen(resume=True)


def test_after_a_restart_the_dashboard_offers_the_downtime_back(
    make_room: Callable[..., Room],
) -> None:
    r = make_room()
    resumed_with_a_paused_attempt(r)
    app = app_for(r)

    async def steps(pilot: Pilot[Any]) -> None:
        await pilot.pause(0.3)
        assert "1 attempt ran out of time" in str(app.screen.query_one("#why").render())
        await pilot.click("#extend")
        await pilot.pause(0.3)
        (ana,) = r.room.learners.values()
        assert not r.room.held and ana.attempt is not None
        assert ana.attempt.remaining_seconds() == 5 * 60  # what she had when it stopped

    run(app, steps)
    r.room.folder.close()


def test_downtime_choice_snapshot(make_room: Callable[..., Room], snap_compare: Any) -> None:
    r = make_room()
    resumed_with_a_paused_attempt(r)
    assert snap_compare(app_for(r), terminal_size=(100, 40), run_before=settle)
    r.room.folder.close()
