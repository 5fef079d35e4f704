"""The class check in a real browser (Debian's Chromium, headless), phone and desktop sized.

By keyboard only (Tab from the top of each page): join, start, every item type,
reload mid-exam (resume), review, submit, result, a problem report; the server's
timer submits an attempt at its deadline with no browser watching. axe-core and
the 360-px layout are checked page by page in test_class_pages.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from class_answers import MAX_POINTS, ORDER_KEY
from class_browser import DESKTOP, PHONE, ServerThread, shoot
from class_client import CODE, Room
from keyboard import assert_tab_reaches_everything, pick_option, pick_radio, press, type_in


def answer_by_keyboard(page: Any, n: int) -> None:
    """The right answer to question n of the demo session: Tab from the top, Space, arrows."""
    if n == 1:
        pick_radio(page, "choice", "0")
    elif n == 2:
        press(page, "input[name=choice][value='0']", "Space")
        press(page, "input[name=choice][value='1']", "Space")
    elif n == 3:
        pick_radio(page, "value", "true")
    elif n == 4:
        pick_option(page, "blank-0", "0")
        pick_option(page, "blank-1", "1")
    elif n == 5:
        type_in(page, "input[name=blank-0]", "checkpoint inhibitor")
    elif n == 6:
        ranks = {
            label.get_attribute("for"): next(
                i for i, key in enumerate(ORDER_KEY, 1) if label.inner_text().startswith(key)
            )
            for label in page.locator("label[for^=rank-]").all()
        }
        for field, rank in ranks.items():
            pick_option(page, field, str(rank))
    elif n == 7:
        for row in range(3):
            pick_radio(page, f"row-{row}", str(row))
    elif n == 8:
        for field, picks in (("conditions", [0]), ("actions", [0, 1]), ("parameters", [0, 1])):
            for pick in picks:
                press(page, f"input[name={field}][value='{pick}']", "Space")


def learner_named(r: Room, name: str) -> Any:
    return next(le for le in r.room.learners.values() if le.name == name)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_whole_check_by_keyboard_with_a_reload(
    chromium: Any, make_room: Callable[..., Room], tmp_path: Path, size: dict[str, int]
) -> None:
    """Every page: Tab from the top reaches every control in order; then each one the
    learner needs is reached by Tab and operated by Space, Enter (arrows in a group)."""
    r = make_room()
    tag = "phone" if size is PHONE else "desktop"
    with ServerThread(r.room) as server:
        context = chromium.new_context(viewport=size, base_url=server.url)
        page = context.new_page()
        page.goto("/")
        assert_tab_reaches_everything(page)
        type_in(page, "#code", CODE.lower())
        type_in(page, "#name", "Ana Silva")
        press(page, "button[type=submit]")
        page.wait_for_url("**/start")
        assert_tab_reaches_everything(page)
        press(page, "button[type=submit]")
        page.wait_for_url("**/q/1")
        for n in range(1, 9):
            assert_tab_reaches_everything(page)
            answer_by_keyboard(page, n)
            if n == 2:  # flag it, and the flag is kept
                press(page, "input[name=flag]", "Space")
            if n == 3:  # saved in the background, then a reload: the attempt goes on
                page.wait_for_selector("#save-status:has-text('Saved')")
                page.reload()
                assert page.locator("input[name=value][value='true']").is_checked()
            press(page, "button[value=next]")
            page.wait_for_url(f"**/q/{n + 1}")
        shoot(page, tmp_path, f"{tag}-q9-case")
        assert_tab_reaches_everything(page)
        pick_radio(page, "p0-choice", "0")
        press(page, "button[value=part]")
        page.wait_for_selector("text=Update:")
        assert_tab_reaches_everything(page)
        pick_radio(page, "p1-value", "true")
        press(page, "button[value=prev]")  # back to question 8, then on by its own button
        page.wait_for_url("**/q/8")
        press(page, "button[value=next]")
        page.wait_for_url("**/q/9")
        assert page.locator("input[name=p1-value][value='true']").is_checked()
        press(page, "a[href='/review']")  # the progress bar's link
        page.wait_for_url("**/review")
        assert "9 of 9 answered, 1 flagged" in page.inner_text("main")
        assert_tab_reaches_everything(page)
        press(page, "a[href='/q/2']")
        page.wait_for_url("**/q/2")
        assert page.locator("input[name=flag]").is_checked()
        press(page, "a[href='/review']")
        page.wait_for_url("**/review")
        press(page, "a[href='/confirm']")
        page.wait_for_url("**/confirm")
        assert_tab_reaches_everything(page)
        press(page, "a[href='/review']")
        page.wait_for_url("**/review")
        press(page, "a[href='/confirm']")
        page.wait_for_url("**/confirm")
        press(page, "form[action='/submit'] button")
        page.wait_for_url("**/result")
        assert f"{MAX_POINTS} of {MAX_POINTS} points" in page.inner_text("main")
        assert_tab_reaches_everything(page)
        press(page, "summary")  # "Report a problem with this question" opens by Enter
        type_in(page, "#problem-1", "The stem is ambiguous")
        press(page, "form[action='/problem/1'] button")
        page.wait_for_url("**/result?reported")
        shoot(page, tmp_path, f"{tag}-result-reported")
        context.close()
    assert learner_named(r, "Ana Silva").final
    assert r.room.problems[0]["text"] == "The stem is ambiguous"


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
