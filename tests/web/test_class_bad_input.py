"""Bad input gets a clear page and loses nothing (aiohttp's test client)."""

from __future__ import annotations

from collections.abc import Callable

from class_client import Browser, Room, run_class

from immunoquiz.educator import class_access as access
from immunoquiz.responses import SingleResponse


def _learner(r: Room):  # type: ignore[no-untyped-def]
    (learner,) = r.room.learners.values()
    return learner


def test_wrong_code_says_so_and_keeps_the_name(make_room: Callable[..., Room]) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        page = await ana.join("Ana", code="ZZZ999")
        assert page.status == 403
        assert page.has("not this class", 'value="Ana"')
        assert not r.room.learners
        page = await ana.join("Ana", code="abc 234")  # any case, spaces ignored
        assert page.url == "/start"

    run_class(r.room, scenario)


def test_tampered_and_revoked_passes_get_a_page_not_an_attempt(
    make_room: Callable[..., Room],
) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        await ana.start("Ana")
        jar, url = ana.client.session.cookie_jar, ana.client.make_url("/")
        value = jar.filter_cookies(url)["iq_token"].value
        jar.clear()
        jar.update_cookies({"iq_token": value[:-1] + ("0" if value[-1] != "0" else "1")}, url)
        page = await ana.get("/q/1")
        assert page.status == 403 and page.has("damaged")
        forged = access.sign(r.room.key, "token", "not-a-real-token")
        jar.clear()
        jar.update_cookies({"iq_token": forged}, url)
        page = await ana.get("/q/1")
        assert page.status == 403 and page.has("no longer works")

    run_class(r.room, scenario)


def test_questions_outside_the_session_are_not_found(make_room: Callable[..., Room]) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        await ana.start("Ana")
        csrf = (await ana.get("/q/1")).csrf
        for path in ("/q/0", "/q/10", "/q/-1", "/q/abc", "/q/1e3"):
            page = await ana.get(path)
            assert page.status == 404 and page.has("No such page"), path
            page = await ana.post(path, [("choice", "0")], csrf=csrf)
            assert page.status == 404, path
        assert not _learner(r).attempt.answers

    run_class(r.room, scenario)


def test_a_malformed_answer_is_refused_and_the_saved_one_stays(
    make_room: Callable[..., Room],
) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        await ana.start("Ana")
        await ana.get("/q/1")
        await ana.post("/q/1", [("choice", "2"), ("go", "save")])
        for bad in ([("choice", "7")], [("choice", "x")], [("choice", "0"), ("choice", "1")]):
            await ana.get("/q/1")
            page = await ana.post("/q/1", [*bad, ("go", "next")])
            assert page.status == 400 and page.has("Not saved"), bad
            assert 'value="2" checked' in page.text  # the saved answer is still shown
        await ana.get("/q/2")
        page = await ana.post("/q/2", [("choice", "0"), ("go", "next")])  # choose 2, got 1
        assert page.status == 400 and page.has("Choose 2 options (1 chosen)")
        assert 'value="0" checked' in page.text  # the pick is shown back, to add the second
        await ana.get("/q/6")
        page = await ana.post("/q/6", [("rank-0", "1"), ("rank-1", "1"), ("rank-2", "2")])
        assert page.status == 400 and page.has("each position from 1 to 3 once")
        assert _learner(r).attempt.answers == {0: SingleResponse(2)}

    run_class(r.room, scenario)


def test_a_second_submit_changes_nothing(make_room: Callable[..., Room]) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        await ana.start("Ana")
        await ana.get("/q/1")
        await ana.post("/q/1", [("choice", "0"), ("go", "review")])
        page = await ana.get("/confirm")
        csrf = page.csrf
        page = await ana.post("/submit", {}, csrf=csrf)
        assert page.url == "/result"
        page = await ana.post("/submit", {}, csrf=csrf)
        assert page.status == 409 and page.has("already submitted")
        page = await ana.post("/q/1", [("choice", "1"), ("go", "next")], csrf=csrf)
        assert page.url == "/result"
        assert _learner(r).attempt.answers == {0: SingleResponse(0)}

    run_class(r.room, scenario)


def test_an_answer_after_the_deadline_is_not_saved(make_room: Callable[..., Room]) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        await ana.start("Ana")
        await ana.get("/q/1")
        await ana.post("/q/1", [("choice", "0"), ("go", "next")])
        csrf = ana.page.csrf if ana.page else ""
        r.clock.tick(minutes=21)
        page = await ana.post("/q/2", [("choice", "0"), ("choice", "1")], csrf=csrf)
        assert page.url == "/result" and page.has("Time is up")
        assert _learner(r).attempt.answers == {0: SingleResponse(0)}

    run_class(r.room, scenario)


def test_an_oversized_body_is_refused_with_a_page(make_room: Callable[..., Room]) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        await ana.start("Ana")
        page = await ana.get("/q/5")
        page = await ana.post("/q/5", [("blank-0", "x" * 200_000)])
        assert page.status == 413 and page.has("Too much text")
        assert not _learner(r).attempt.answers

    run_class(r.room, scenario)
