"""Class-mode test helpers: a classroom on the demo session, a fake clock, a browser-like client.

No pytest-asyncio here: each test runs its scenario with `asyncio.run`, against
aiohttp's own test server and client (real HTTP over loopback).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from immunoquiz.banks import load
from immunoquiz.educator.class_state import ClassFolder, state_dir_for
from immunoquiz.educator.classroom import Classroom
from immunoquiz.educator.exam import order_questions
from immunoquiz.educator.session_file import load_session
from immunoquiz.educator.session_spec import select_items

DATA = Path(__file__).resolve().parents[1] / "data" / "class"
BANK = DATA / "banks" / "class-bank.yaml"
SESSION = DATA / "class-session.yaml"
CODE = "ABC234"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, minutes: float = 0, seconds: float = 0) -> None:
        self.now += timedelta(minutes=minutes, seconds=seconds)


def session_file(tmp: Path, **changes: Any) -> Path:
    """The demo session, with some keys changed (time_limit=None removes the limit)."""
    text = SESSION.read_text(encoding="utf-8")
    for key, value in changes.items():
        pattern = re.compile(rf"^  {key}: .*$", re.M)
        line = "" if value is None else f"  {key}: {value}"
        text = pattern.sub(line, text)
    path = tmp / "session.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class Room:
    room: Classroom
    clock: Clock
    results: Path
    data: Path
    session: Path

    def reopen(self, *, resume: bool = True) -> Classroom:
        return open_room(self.session, self.results, self.data, self.clock, resume=resume)


def open_room(
    session: Path, results: Path, data: Path, clock: Clock, *, resume: bool = False
) -> Classroom:
    bank = load(BANK)
    spec, problems = load_session(session, [bank])
    assert spec is not None, problems
    chosen, problems = select_items(spec, [bank])
    assert not problems
    folder = ClassFolder(results, state_dir_for(data, results))
    return Classroom.open(
        spec, order_questions(spec, chosen), folder, clock, resume=resume, code=CODE
    )


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Page:
    status: int
    text: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def csrf(self) -> str:
        found = CSRF.search(self.text)
        assert found, f"no form on {self.url}"
        return found.group(1)

    def has(self, *words: str) -> bool:
        return all(w in self.text for w in words)


class Browser:
    """One learner's browser: keeps cookies, follows redirects, remembers the last form."""

    def __init__(self, client: TestClient) -> None:  # type: ignore[type-arg]
        self.client = client
        self.page: Page | None = None
        self.seen: list[Page] = []

    async def _page(self, response: Any) -> Page:
        page = Page(
            response.status, await response.text(), str(response.url.path), dict(response.headers)
        )
        self.page = page
        self.seen.append(page)
        return page

    async def get(self, path: str) -> Page:
        async with self.client.get(path) as response:
            return await self._page(response)

    async def post(self, path: str, data: Any, *, csrf: str | None = None, **kw: Any) -> Page:
        if isinstance(data, dict):
            data = list(data.items())
        if csrf is None and self.page is not None and CSRF.search(self.page.text):
            csrf = self.page.csrf
        body = [("csrf", csrf or ""), *data]
        async with self.client.post(path, data=body, **kw) as response:
            return await self._page(response)

    async def join(self, name: str, code: str = CODE) -> Page:
        await self.get("/")
        return await self.post("/join", {"code": code, "name": name})

    async def start(self, name: str) -> Page:
        await self.join(name)
        return await self.post("/start", {})


def run_class(room: Classroom, scenario: Callable[..., Awaitable[None]], browsers: int = 1) -> None:
    """Serve `room` and run `scenario(*browsers)` against it (each browser its own cookies)."""
    from immunoquiz.web.server import build_app

    async def main() -> None:
        server = TestServer(build_app(room, ["127.0.0.1", "localhost"]), host="127.0.0.1")
        await server.start_server()
        clients = [TestClient(server) for _ in range(browsers)]
        try:
            for client in clients:
                await client.start_server()
            await scenario(*(Browser(c) for c in clients))
        finally:
            for client in clients:
                await client.close()
            await server.close()

    asyncio.run(main())
