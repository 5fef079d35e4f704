"""Real-browser helpers: Debian's Chromium through Playwright, the class server in a thread.

In CI (`CI=true`) a missing Chromium is a failure, never a skip: these tests must run.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from immunoquiz.educator.classroom import Classroom

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# Set to a folder to keep a copy of every screenshot (to look at them by hand).
SHOTS_ENV = "IMMUNOQUIZ_SHOTS"


def require_chromium() -> Path:
    if CHROMIUM.is_file():
        return CHROMIUM
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")


@contextmanager
def launched() -> Iterator[Any]:
    """One headless Chromium; Playwright gives it a fresh temporary profile folder."""
    from playwright.sync_api import sync_playwright

    path = require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(path), args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class ServerThread:
    """Serve a classroom on 127.0.0.1 (a free port) from a thread with its own event loop."""

    def __init__(self, room: Classroom) -> None:
        self.room = room
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        from immunoquiz.web.server import bound_port, serve

        runner = await serve(self.room, "127.0.0.1", 0, ["127.0.0.1", "localhost"])
        self.port = bound_port(runner)
        self._stop = asyncio.Event()
        self._ready.set()
        await self._stop.wait()
        await runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServerThread:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the class server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)
        self._loop.close()


def shoot(page: Any, folder: Path, name: str) -> Path:
    """A full-page screenshot in `folder` (and in $IMMUNOQUIZ_SHOTS when set)."""
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    extra = os.environ.get(SHOTS_ENV)
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(extra) / path.name)
    return path


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
