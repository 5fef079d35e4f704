"""Security rules of the class server: no key before submission, headers, hosts, CSRF, limits."""

from __future__ import annotations

import re
from collections.abc import Callable

from class_answers import ORDER_KEY, answer_all
from class_client import Browser, Room, run_class

SECRETS = ("KEYWHY", "KEYEXPL")


def test_no_reason_or_explanation_reaches_a_browser_before_submission(
    make_room: Callable[..., Room],
) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        await ana.start("Ana")
        await answer_all(ana, right=False)
        for n in range(1, 10):
            await ana.get(f"/q/{n}")
            async with ana.client.post(
                f"/q/{n}",
                data={"csrf": ana.page.csrf if ana.page else "", "go": "save"},
                headers={"Accept": "application/json"},
            ) as reply:
                text = await reply.text()
            assert not any(s in text for s in SECRETS)
        await ana.get("/review")
        await ana.get("/confirm")
        before = list(ana.seen)
        for page in before:
            assert not any(s in page.text for s in SECRETS), page.url
        order_page = next(p for p in before if p.url == "/q/6")
        shown = re.findall(r'<label for="rank-\d+">([^<]+)</label>', order_page.text)
        assert [s[:12] for s in shown] != [k[:12] for k in ORDER_KEY]  # not the keyed order
        page = await ana.post("/submit", {})
        assert page.url == "/result" and "KEYEXPL" in page.text  # after submission: shown

    run_class(r.room, scenario)


def test_every_response_carries_the_security_headers_and_strict_cookies(
    make_room: Callable[..., Room],
) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        async with ana.client.get("/") as reply:
            csp = reply.headers["Content-Security-Policy"]
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp
            assert reply.headers["X-Frame-Options"] == "DENY"
            cookie = reply.headers["Set-Cookie"]
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
            html = await reply.text()
        assert "<script>" not in html and 'src="/static/class.js"' in html  # no inline script
        await ana.get("/")
        async with ana.client.post(
            "/join",
            data={"csrf": ana.page.csrf if ana.page else "", "code": "ABC234", "name": "Ana"},
            allow_redirects=False,
        ) as reply:
            cookie = reply.headers["Set-Cookie"]
            assert cookie.startswith("iq_token=") and "HttpOnly" in cookie
            assert "SameSite=Strict" in cookie

    run_class(r.room, scenario)


def test_a_foreign_host_name_is_refused(make_room: Callable[..., Room]) -> None:
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 gets nothing."""
    r = make_room()

    async def scenario(ana: Browser) -> None:
        async with ana.client.get("/", headers={"Host": "evil.example:8765"}) as reply:
            assert reply.status == 421
            text = await reply.text()
            assert "Wrong address" in text and "csrf" not in text
        async with ana.client.get("/", headers={"Host": "localhost:8765"}) as reply:
            assert reply.status == 200

    run_class(r.room, scenario)


def test_forms_without_the_csrf_token_change_nothing(make_room: Callable[..., Room]) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        await ana.get("/")
        page = await ana.post("/join", {"code": "ABC234", "name": "Ana"}, csrf="forged")
        assert page.status == 403 and not r.room.learners
        await ana.start("Ana")
        page = await ana.post("/q/1", [("choice", "0"), ("go", "next")], csrf="forged")
        assert page.status == 403
        learner = next(iter(r.room.learners.values()))
        assert learner.attempt is not None and not learner.attempt.answers
        page = await ana.post("/submit", {}, csrf="")
        assert page.status == 403 and not learner.final

    run_class(r.room, scenario)


def test_bank_markup_traps_show_literally(make_room: Callable[..., Room]) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        await ana.start("Ana")
        page = await ana.get("/q/1")
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
        assert "&lt;/script&gt; {{ 7*7 }} 5 stools" in page.text  # not evaluated: no 49
        assert "Grade 1 &lt;b&gt;bold&lt;/b&gt;" in page.text and "[b]Grade 3[/b]" in page.text

    run_class(r.room, scenario)


def test_names_are_cleaned_of_invisible_and_control_characters(
    make_room: Callable[..., Room],
) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        page = await ana.join("\u202eAna\u200b\x1b[31m  Silva\u0007" + "x" * 100)
        assert page.status == 200
        (learner,) = r.room.learners.values()
        assert learner.name.startswith("Ana[31m Silvax") and len(learner.name) == 40
        assert "\u202e" not in page.text and "\x1b" not in page.text

    run_class(r.room, scenario)


def test_only_known_static_files_no_listing(make_room: Callable[..., Room]) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        for path in ("/static/", "/static/..%2fserver.py", "/static/templates", "/etc/passwd"):
            page = await ana.get(path)
            assert page.status == 404, path
            assert "No such page" in page.text
        assert (await ana.get("/static/class.css")).status == 200

    run_class(r.room, scenario)


def test_guessing_codes_is_rate_limited_per_address(make_room: Callable[..., Room]) -> None:
    r = make_room()

    async def scenario(eve: Browser) -> None:
        statuses = []
        for n in range(14):
            await eve.get("/")
            page = await eve.post("/join", {"code": f"ZZZZ{n:02d}", "name": "Eve"})
            statuses.append(page.status)
        assert statuses[0] == 403 and statuses[-1] == 429
        await eve.get("/")
        page = await eve.post("/join", {"code": "ABC234", "name": "Eve"})
        assert page.url == "/start"  # the right code still works: guessing is what is slowed

    run_class(r.room, scenario)


def test_answers_are_rate_limited_per_learner(make_room: Callable[..., Room]) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        await ana.start("Ana")
        page = await ana.get("/q/1")
        csrf = page.csrf
        statuses = set()
        for _ in range(60):
            async with ana.client.post(
                "/q/1",
                data={"csrf": csrf, "choice": "1", "go": "save"},
                headers={"Accept": "application/json"},
            ) as reply:
                statuses.add(reply.status)
        assert statuses == {200, 429}

    run_class(r.room, scenario)
