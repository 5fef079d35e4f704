"""Every trainee page in a real browser at 360 px (the narrowest phone) and at desktop size.

On each page and item type: a screenshot is saved, axe-core finds no serious or
critical problem, and nothing scrolls sideways (the page is no wider than the window).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from class_browser import DESKTOP, ServerThread, serious_violations, shoot
from class_client import CODE, Clock, Room, open_room, session_file

from immunoquiz.educator.classroom import Classroom

NARROW = {"width": 360, "height": 740}
WIDE_JS = "() => document.scrollingElement.scrollWidth"


class Inspector:
    def __init__(self, folder: Path, tag: str, width: int) -> None:
        self.folder, self.tag, self.width = folder, tag, width
        self.problems: list[str] = []
        self.seen: list[str] = []

    def __call__(self, page: Any, name: str) -> None:
        page.wait_for_load_state()
        label = f"{self.tag}-{name}"
        self.seen.append(name)
        shoot(page, self.folder, label)
        wide = page.evaluate(WIDE_JS)
        if wide > self.width:
            self.problems.append(f"{label}: {wide} px wide in a {self.width}-px window")
        self.problems += [f"{label}: {v}" for v in serious_violations(page)]


def join(page: Any, name: str, code: str = CODE) -> None:
    page.goto("/")
    page.fill("#code", code)
    page.fill("#name", name)
    page.click("button:has-text('Join')")


def visit_the_check(page: Any, look: Inspector) -> None:
    """Join (a wrong code first), start, each question and item type, review, submit."""
    page.goto("/")
    look(page, "join")
    join(page, "Ana Silva-Oliveira de Albuquerque Cavalcanti", code="ZZZZZZ")
    look(page, "join-wrong-code")
    join(page, "Ana Silva-Oliveira de Albuquerque Cavalcanti")
    page.wait_for_url("**/start")
    look(page, "start")
    page.click("button:has-text('Start')")
    for n in range(1, 10):
        page.wait_for_url(f"**/q/{n}")
        look(page, f"q{n}")
        if n == 2:  # a refused answer (1 of the 2 to choose) shows its reason
            page.check("input[name=choice][value='0']")
            page.click("button[value=next]")
            page.wait_for_selector("#error")
            look(page, "q2-refused")
            page.goto("/q/3")
        elif n < 9:
            page.click("button[value=next]")
    page.check("input[name=p0-choice][value='0']")
    page.click("button[value=part]")
    page.wait_for_selector("text=Update:")
    look(page, "q9-case-part-2")
    page.goto("/review")
    look(page, "review")
    page.goto("/confirm")
    look(page, "confirm")
    page.click("form[action='/submit'] button")
    page.wait_for_url("**/result")
    page.click("summary >> nth=0")
    look(page, "result")


def visit_the_side_pages(
    browser: Any, base: str, room: Classroom, look: Inspector, viewport: Any
) -> None:
    """A rejoin waiting for the educator (the page moves on by itself once let in);
    a damaged pass; a page that does not exist."""
    context = browser.new_context(viewport=viewport, base_url=base)
    page = context.new_page()
    join(page, "ana silva-oliveira de albuquerque cavalcanti")
    page.wait_for_url("**/wait")
    look(page, "wait")
    (request,) = room.pending_rejoins()
    room.approve(request.id, "resume")
    page.wait_for_url("**/result", timeout=15_000)  # her attempt is submitted: its result
    context.add_cookies([{"name": "iq_token", "value": "tampered", "url": base}])
    page.goto("/start")
    look(page, "damaged-pass")
    page.goto("/q/99")
    look(page, "not-found")
    context.close()


def visit_feedback_and_pause(browser: Any, tmp: Path, look: Inspector, viewport: Any) -> None:
    """Immediate feedback after an answer; then the server stops past the deadline: paused."""
    clock = Clock()
    folder = tmp / "immediate"
    folder.mkdir()
    session = session_file(folder, feedback="immediate")
    results, data = folder / "results", folder / "data"
    room = open_room(session, results, data, clock)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    with ServerThread(room) as server:
        join_at(page, server.url, "Ben")
        page.click("button:has-text('Start')")
        page.check("input[name=choice][value='1']")
        page.click("button[value=check]")
        page.wait_for_url("**/q/1/feedback")
        look(page, "feedback")
    room.close()
    clock.tick(minutes=30)
    room = open_room(session, results, data, clock, resume=True)
    try:
        with ServerThread(room) as server:  # cookies are per host: the pass still works
            page.goto(f"{server.url}/q/2")
            look(page, "paused")
    finally:
        room.folder.close()
        context.close()


def join_at(page: Any, base: str, name: str) -> None:
    page.goto(f"{base}/")
    page.fill("#code", CODE)
    page.fill("#name", name)
    page.click("button:has-text('Join')")


@pytest.mark.parametrize("size", [NARROW, DESKTOP], ids=["360px", "desktop"])
def test_every_trainee_page_fits_and_passes_axe(
    chromium: Any, make_room: Callable[..., Room], tmp_path: Path, size: dict[str, int]
) -> None:
    tag = "360px" if size is NARROW else "desktop"
    look = Inspector(tmp_path, tag, size["width"])
    r = make_room()
    with ServerThread(r.room) as server:
        context = chromium.new_context(viewport=size, base_url=server.url)
        visit_the_check(context.new_page(), look)
        context.close()
        visit_the_side_pages(chromium, server.url, r.room, look, size)
    visit_feedback_and_pause(chromium, tmp_path, look, size)
    assert len(look.seen) == 22
    assert look.problems == []
