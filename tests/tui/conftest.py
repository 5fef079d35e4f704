"""Shared fixtures for the TUI tests: an app on a temp data dir with a clock we control."""

from __future__ import annotations

import asyncio
import inspect
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

sys.path.insert(0, str(Path(__file__).parent))

from immunoquiz.banks.model import Bank  # noqa: E402
from immunoquiz.store import Store  # noqa: E402
from immunoquiz.tui.app import ImmunoquizApp  # noqa: E402

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (no async plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


class Clock:
    """A clock that only moves when a test says so."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


AppFactory = Callable[..., ImmunoquizApp]


@pytest.fixture
def make_app(tmp_path: Path, clock: Clock) -> AppFactory:
    def make(
        banks: Sequence[Bank], *, profile: str | None = "Ana", **kwargs: object
    ) -> ImmunoquizApp:
        return ImmunoquizApp(
            data_dir=tmp_path / "data",
            banks=list(banks),
            profile_name=profile,
            clock=clock,
            seed=7,
            **kwargs,  # type: ignore[arg-type]
        )

    return make


async def settle(pilot: Pilot, rounds: int = 1) -> None:
    """Let start-up, workers and screen changes finish."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()


async def wait_until(pilot: Pilot, ready: Callable[[], bool], timeout: float = 10.0) -> None:
    """Pause until `ready()` (or `timeout` seconds: the caller's assert then says what is
    wrong). The footer rebuilds its keys after the next frame, and frames come on a timer:
    on a loaded machine that can be later than `settle` returns."""
    deadline = time.monotonic() + timeout
    while not ready() and time.monotonic() < deadline:
        await pilot.pause(0.02)


def saved_reviews(data_dir: Path, name: str = "Ana", *, include_undone: bool = False) -> list:
    """What the store holds for `name`, read the way a later session would."""
    with Store.open(data_dir) as store:
        profile = store.get_profile(name)
        assert profile is not None
        return store.reviews(profile, include_undone=include_undone)


def saved_cards(data_dir: Path, name: str = "Ana") -> dict:
    with Store.open(data_dir) as store:
        profile = store.get_profile(name)
        assert profile is not None
        return store.cards(profile)


def screen_text(app: ImmunoquizApp) -> str:
    """What the terminal shows right now, as plain text (one line per row)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
