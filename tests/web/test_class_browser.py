"""The class check in a real browser (Debian's Chromium, headless), phone and desktop sized.

By keyboard only: join, start, every item type, reload mid-exam (resume), review,
submit, result; axe-core finds no serious or critical problem on any page; the
server's timer submits an attempt at its deadline with no browser watching.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from class_answers import MAX_POINTS, ORDER_KEY
from class_browser import DESKTOP, PHONE, ServerThread, launched, serious_violations, shoot
from class_client import CODE, Room


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launched() as browser:
        yield browser


def check(page: Any, shots: Path, name: str, problems: list[str]) -> None:
    """Screenshot every page; axe once per page (at desktop size: axe is the slow part)."""
    shoot(page, shots, name)
    if name.startswith("desktop"):
        problems += [f"{name}: {v}" for v in serious_violations(page)]


def press_on(page: Any, selector: str, key: str = "Space") -> None:
    page.focus(selector)
    page.keyboard.press(key)


def type_into(page: Any, selector: str, text: str) -> None:
    page.focus(selector)
    page.keyboard.type(text)


def answer_by_keyboard(page: Any, n: int) -> None:
    """The right answer to question n of the demo session, by keyboard only."""
    if n == 1:
        press_on(page, "input[name=choice][value='0']")
    elif n == 2:
        press_on(page, "input[name=choice][value='0']")
        press_on(page, "input[name=choice][value='1']")
    elif n == 3:
        press_on(page, "input[name=value][value='true']")
    elif n == 4:
        type_into(page, "select[name=blank-0]", "PD")
        type_into(page, "select[name=blank-1]", "3")
    elif n == 5:
        type_into(page, "input[name=blank-0]", "checkpoint inhibitor")
    elif n == 6:
        for label in page.locator("label[for^=rank-]").all():
            text = label.inner_text()
            rank = next(i for i, key in enumerate(ORDER_KEY, 1) if text.startswith(key))
            type_into(page, f"select#{label.get_attribute('for')}", str(rank))
    elif n == 7:
        for row in range(3):
            press_on(page, f"input[name=row-{row}][value='{row}']")
    elif n == 8:
        for field, picks in (("conditions", [0]), ("actions", [0, 1]), ("parameters", [0, 1])):
            for pick in picks:
                press_on(page, f"input[name={field}][value='{pick}']")


def learner_named(r: Room, name: str) -> Any:
    return next(le for le in r.room.learners.values() if le.name == name)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_whole_check_by_keyboard_with_a_reload(
    chromium: Any, make_room: Callable[..., Room], tmp_path: Path, size: dict[str, int]
) -> None:
    r = make_room()
    tag = "phone" if size is PHONE else "desktop"
    problems: list[str] = []
    with ServerThread(r.room) as server:
        context = chromium.new_context(viewport=size, base_url=server.url)
        page = context.new_page()
        page.goto("/")
        check(page, tmp_path, f"{tag}-join", problems)
        type_into(page, "#code", CODE.lower())
        page.keyboard.press("Tab")
        page.keyboard.type("Ana Silva")
        page.keyboard.press("Enter")
        page.wait_for_url("**/start")
        check(page, tmp_path, f"{tag}-start", problems)
        press_on(page, "button[type=submit]", "Enter")
        page.wait_for_url("**/q/1")
        for n in range(1, 9):
            answer_by_keyboard(page, n)
            check(page, tmp_path, f"{tag}-q{n}", problems)
            if n == 3:  # saved in the background, then a reload: the attempt goes on
                page.wait_for_selector("#save-status:has-text('Saved')")
                page.reload()
                assert page.locator("input[name=value][value='true']").is_checked()
            press_on(page, "button[value=next]", "Enter")
            page.wait_for_url(f"**/q/{n + 1}")
        # The case: part 1, then its update and part 2 appear.
        press_on(page, "input[name=p0-choice][value='0']")
        press_on(page, "button[value=part]", "Enter")
        page.wait_for_selector("text=Update:")
        press_on(page, "input[name=p1-value][value='true']")
        check(page, tmp_path, f"{tag}-q9-case", problems)
        press_on(page, "button[value=review]", "Enter")
        page.wait_for_url("**/review")
        assert "9 of 9 answered" in page.inner_text("main")
        check(page, tmp_path, f"{tag}-review", problems)
        page.goto("/confirm")
        press_on(page, "form[action='/submit'] button", "Enter")
        page.wait_for_url("**/result")
        assert f"{MAX_POINTS} of {MAX_POINTS} points" in page.inner_text("main")
        check(page, tmp_path, f"{tag}-result", problems)
        context.close()
    assert learner_named(r, "Ana Silva").final
    assert problems == []


def test_time_up_submits_without_a_browser_and_the_page_says_so(
    chromium: Any, make_room: Callable[..., Room], tmp_path: Path
) -> None:
    r = make_room()
    with ServerThread(r.room) as server:
        context = chromium.new_context(viewport=PHONE, base_url=server.url)
        page = context.new_page()
        page.goto("/")
        page.fill("#code", CODE)
        page.fill("#name", "Ben")
        page.click("button:has-text('Join')")
        page.click("button:has-text('Start')")
        page.check("input[name=choice][value='0']")
        page.click("button[value=next]")
        page.wait_for_url("**/q/2")
        assert "min" in page.inner_text("#clock")
        page.close()  # the learner walks away
        r.clock.tick(minutes=20, seconds=1)
        ben = learner_named(r, "Ben")
        for _ in range(100):  # the server's timer, not a page load, submits it
            if ben.final:
                break
            time.sleep(0.05)
        assert ben.final and ben.attempt.status == "time_up"
        page = context.new_page()
        page.goto("/q/2")
        page.wait_for_url("**/result")
        assert "Time is up" in page.inner_text("h1")
        assert f"1 of {MAX_POINTS} points" in page.inner_text("main")
        shoot(page, tmp_path, "phone-time-up")
        context.close()
