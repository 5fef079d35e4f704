"""A learner's whole class check through the pages: join, start, every item type, submit."""

from __future__ import annotations

import json
from collections.abc import Callable

from class_answers import MAX_POINTS, answer_all
from class_client import Browser, Room, run_class

from immunoquiz.educator.results import read_results


def test_every_item_type_answered_then_submitted_gives_full_marks(
    make_room: Callable[..., Room],
) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        page = await ana.join("  Ana\u202e Silva ")
        assert page.url == "/start" and page.has("Hello, Ana Silva.", "20 minutes", "60%")
        page = await ana.post("/start", {})
        assert page.url == "/q/1" and page.has("Question 1 of 9")
        await answer_all(ana)
        page = ana.page
        assert page is not None and page.url == "/review"
        assert page.has("9 of 9 answered")
        page = await ana.get("/confirm")
        page = await ana.post("/submit", {})
        assert page.url == "/result"
        assert page.has(f"{MAX_POINTS} of {MAX_POINTS} points", "(100%)", "Pass")

    run_class(r.room, scenario)
    loaded = read_results([r.results])
    assert [a.score for a in loaded.attempts] == [MAX_POINTS]
    files = sorted(p.name for p in r.results.glob("*.json"))
    assert len(files) == 1 and "ana" not in files[0]  # named by the server-made id
    data = json.loads((r.results / files[0]).read_text(encoding="utf-8"))
    assert data["learner"]["name"] == "Ana Silva"


def test_immediate_feedback_shows_one_answer_at_a_time_and_makes_it_final(
    make_room: Callable[..., Room],
) -> None:
    r = make_room(feedback="immediate")

    async def scenario(ana: Browser) -> None:
        page = await ana.start("Ana")
        assert page.has("Answer and see feedback")
        assert "KEYEXPL" not in page.text
        csrf = page.csrf
        page = await ana.post("/q/1", [("choice", "1"), ("go", "check")])
        assert page.url == "/q/1/feedback"
        assert page.has("Incorrect", "KEYEXPL CTCAE grades", "KEYWHY 4-6 a day")
        assert "KEYEXPL pneumonitis" not in page.text  # only this question's key
        page = await ana.get("/q/1")
        assert page.url == "/q/1/feedback"
        page = await ana.post("/q/1", [("choice", "0"), ("go", "check")], csrf=csrf)
        assert page.url == "/q/1/feedback"  # final: the answer shown stays the answer
        (learner,) = r.room.learners.values()
        assert learner.attempt is not None and learner.attempt.score_of(0).points == 0

    run_class(r.room, scenario)
