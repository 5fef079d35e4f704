"""Keys handled one at a time, each to the end, for the exam: typed ahead, never misapplied.

Textual hands a key to the focused widget as soon as the app reads it, while
what the previous key set off may still be on its way: an Enter travels from
the option list up to its item widget as a submission, the screen saves the
answer in a worker thread and only then shows the next question. A trainee
who types "2 Enter t Enter" quickly (or on a slow disk) would have "t" land on
the question just answered. So the app holds a key while anything is still in
flight, and gives it to whatever has the focus once everything has settled:
every message queue of the app and the screen is empty and the screen says it
is not busy (`Settling.settling`).

"Settled" is found by draining: a callback is queued behind every pending
message of the app and of each widget of the screen; when all have run,
everything queued before has been handled. A round that starts and ends with
no message queued anywhere, and the screen not busy, means nothing is in flight.
A round gives up waiting after DRAIN_SECONDS (a widget removed meanwhile never
runs its callback); that only starts another round, as the checks still decide.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from textual import events
from textual.app import App
from textual.message_pump import MessagePump

MAX_ROUNDS = 200  # queues that never empty (a clock ticking) still let keys through
# A widget removed while a drain waits on it never runs its callback: stop waiting then.
DRAIN_SECONDS = 0.5


@runtime_checkable
class Settling(Protocol):
    """A screen that says when it is busy with something keys must wait for."""

    @property
    def settling(self) -> bool: ...


class KeyOrder:
    """The hold: `App.on_event` asks `hold(key)`; held keys are delivered in order."""

    def __init__(self, app: App[object], deliver: Callable[[events.Key], Awaitable[None]]) -> None:
        self.app = app
        self.deliver = deliver
        self.held: list[events.Key] = []
        self.delivering = False

    def hold(self, key: events.Key) -> bool:
        """True when `key` must wait (it is kept and delivered later); False: handle it now."""
        if not self.app.screen_stack:  # starting or closing: nothing to wait for
            return False
        if not self.held and not self._in_flight():
            return False
        self.held.append(key)
        if not self.delivering:
            self.delivering = True
            self.app.run_worker(self._deliver_held(), group="held-keys")
        return True

    def _pumps(self) -> list[MessagePump]:
        if not self.app.screen_stack:
            return [self.app]
        return [self.app, *self.app.screen.walk_children(with_self=True)]

    def _in_flight(self) -> bool:
        return self._screen_busy() or any(pump.message_queue_size for pump in self._pumps())

    async def _drain(self) -> None:
        """Return once every pump has handled what was queued on it when this was called."""
        pending = 0
        done = asyncio.Event()

        def one_done() -> None:
            nonlocal pending
            pending -= 1
            if pending == 0:
                done.set()

        for pump in self._pumps():
            if pump.call_later(one_done):
                pending += 1
        if pending:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), DRAIN_SECONDS)

    def _screen_busy(self) -> bool:
        screen = self.app.screen_stack[-1] if self.app.screen_stack else None
        return isinstance(screen, Settling) and screen.settling

    async def _settle(self) -> None:
        rounds = 0
        while rounds < MAX_ROUNDS:
            quiet = not self._in_flight()
            await self._drain()
            if quiet and not self._in_flight():
                return
            if not self._screen_busy():  # a save may take long: wait for it, however long
                rounds += 1

    async def _deliver_held(self) -> None:
        try:
            while self.held:
                await self._settle()
                await self.deliver(self.held.pop(0))
        finally:
            self.delivering = False
