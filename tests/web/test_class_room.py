"""The class as the educator runs it: saving, restarts, rejoins, extensions, removal, the end."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from class_answers import answer_all
from class_client import Browser, Room, run_class

from immunoquiz.educator import class_access as access
from immunoquiz.educator.class_state import ClassStateError
from immunoquiz.plain.class_dashboard import PlainDashboard
from immunoquiz.responses import SingleResponse


def results_file(r: Room) -> dict:  # type: ignore[type-arg]
    (path,) = r.results.glob("*.json")
    return json.loads(path.read_text(encoding="utf-8"))


def test_each_answer_is_on_disk_before_its_page_comes_back(make_room: Callable[..., Room]) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        await ana.start("Ana")
        await ana.get("/q/1")
        await ana.post("/q/1", [("choice", "2"), ("flag", "1"), ("go", "next")])
        data = results_file(r)
        assert data["status"] == "in_progress" and data["version"] == 2
        assert data["items"][0]["response"] == {"kind": "single", "choice": 2}
        assert data["items"][0]["flagged"] is True
        assert data["learner"]["name"] == "Ana" and data["learner"]["id"].startswith("t-")

    run_class(r.room, scenario)


def test_a_restarted_server_resumes_the_class_with_the_same_clock_and_code(
    make_room: Callable[..., Room],
) -> None:
    r = make_room()
    cookies: dict[str, str] = {}

    async def before(ana: Browser) -> None:
        await ana.start("Ana")
        await ana.get("/q/1")
        await ana.post("/q/1", [("choice", "0"), ("go", "next")])
        jar = ana.client.session.cookie_jar
        cookies.update({c.key: c.value for c in jar})

    run_class(r.room, before)
    deadline = next(iter(r.room.learners.values())).attempt.deadline
    r.room.close()
    with pytest.raises(ClassStateError, match="still open"):
        r.reopen(resume=False)
    r.clock.tick(minutes=3)
    room = r.reopen(resume=True)
    assert room.code == r.room.code and room.last_downtime_minutes() == 3
    (ana,) = room.learners.values()
    assert ana.attempt is not None and ana.attempt.deadline == deadline
    assert ana.attempt.answers == {0: SingleResponse(0)}

    async def after(browser: Browser) -> None:
        browser.client.session.cookie_jar.update_cookies(cookies, browser.client.make_url("/"))
        page = await browser.get("/q/1")
        assert page.status == 200 and 'value="0" checked' in page.text
        assert "17 min 0 s left" in page.text

    run_class(room, after)
    room.folder.close()


def test_a_second_class_on_the_same_folder_is_refused(make_room: Callable[..., Room]) -> None:
    r = make_room()
    with pytest.raises(ClassStateError, match="already serving"):
        r.reopen(resume=True)


def test_a_rejoin_waits_for_the_educator_then_resumes_and_the_old_pass_stops(
    make_room: Callable[..., Room],
) -> None:
    r = make_room()

    async def scenario(phone: Browser, laptop: Browser) -> None:
        await phone.start("Ana")
        await phone.get("/q/1")
        await phone.post("/q/1", [("choice", "1"), ("go", "next")])
        page = await laptop.join("ana ")  # same name, no pass: must be approved
        assert page.url == "/wait" and page.has("Waiting for your educator")
        (request,) = r.room.pending_rejoins()
        r.room.approve(request.id, "resume")
        page = await laptop.get("/wait")
        assert page.url == "/start" and page.has("Continue")
        page = await laptop.get("/q/1")
        assert 'value="1" checked' in page.text
        page = await phone.get("/q/2")
        assert page.status == 403 and page.has("no longer works")
        assert len(r.room.learners) == 1

    run_class(r.room, scenario, browsers=2)


def test_a_rejoin_approved_as_new_gets_a_second_attempt(make_room: Callable[..., Room]) -> None:
    r = make_room()

    async def scenario(first: Browser, second: Browser) -> None:
        await first.start("Ben")
        await first.get("/q/1")
        await first.post("/q/1", [("choice", "1"), ("go", "next")])
        await second.join("Ben")
        (request,) = r.room.pending_rejoins()
        r.room.approve(request.id, "new")
        await second.get("/wait")
        page = await second.post("/start", {})
        assert page.url == "/q/1" and "checked" not in page.text.split("flag")[0]

    run_class(r.room, scenario, browsers=2)
    statuses = sorted(json.loads(p.read_text())["status"] for p in r.results.glob("*.json"))
    assert statuses == ["ended_by_educator", "in_progress"]
    assert sorted(p.name[-9:] for p in r.results.glob("*.json")) == ["--a1.json", "--a2.json"]


def test_extensions_before_and_after_the_start(make_room: Callable[..., Room]) -> None:
    r = make_room()

    async def scenario(ana: Browser, ben: Browser) -> None:
        await ana.start("Ana")
        await ben.join("Ben")
        r.room.extend(None, 5)  # everyone: Ana's deadline moves, Ben's start will include it
        (ana_l, ben_l) = r.room.learners.values()
        assert ana_l.attempt.deadline == r.clock() + timedelta(minutes=25)
        r.clock.tick(minutes=1)
        await ben.post("/start", {})
        assert ben_l.attempt.deadline == r.clock() + timedelta(minutes=25)
        r.room.extend(ben_l.id, 2)
        assert ben_l.attempt.deadline == r.clock() + timedelta(minutes=27)

    run_class(r.room, scenario, browsers=2)


def test_removing_a_learner_submits_their_attempt_and_keeps_it(
    make_room: Callable[..., Room],
) -> None:
    r = make_room()

    async def scenario(ana: Browser) -> None:
        await ana.start("Ana")
        await ana.get("/q/1")
        await ana.post("/q/1", [("choice", "0"), ("go", "next")])
        (learner,) = r.room.learners.values()
        r.room.remove(learner.id)
        page = await ana.get("/q/2")
        assert page.status == 403
        data = results_file(r)
        assert data["status"] == "ended_by_educator"
        assert data["items"][0]["response"] == {"kind": "single", "choice": 0}

    run_class(r.room, scenario)


def test_ending_the_check_submits_everyone_and_the_report_reads_the_folder(
    make_room: Callable[..., Room],
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    r = make_room()

    async def scenario(ana: Browser, ben: Browser, cid: Browser) -> None:
        await ana.start("Ana")
        await answer_all(ana)
        await ana.post("/submit", {}, csrf=(await ana.get("/confirm")).csrf)
        await ben.start("Ben")
        await answer_all(ben, right=False)
        await cid.join("Cid")  # joined, never started
        r.room.end_now()
        page = await ben.get("/q/1")
        assert page.url == "/result" and page.has("Your educator ended the check")
        page = await cid.get("/start")
        assert page.url == "/result"
        await ana.get("/result")
        page = await ana.post("/problem/6", {"text": "Step 2 and 3 could\nbe either way"})
        assert page.has("your report was sent")

    run_class(r.room, scenario, browsers=3)
    assert r.room.ended and "Ana" in r.room.report_text()
    reports = (r.results / "problem-reports.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(reports[0])["question"] == 6
    out = subprocess.run(
        [sys.executable, "-m", "immunoquiz.cli", "report", str(r.results), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    learners = {row["name"]: row for row in json.loads(out.stdout)["learners"]}
    assert set(learners) == {"Ana", "Ben", "Cid"}


def test_the_signing_key_lives_in_a_private_folder_outside_the_results(
    make_room: Callable[..., Room],
) -> None:
    r = make_room()
    state = r.room.folder.state_path
    assert state.parent.stat().st_mode & 0o777 == 0o700
    assert r.results not in state.parents
    assert r.room.key in state.read_text(encoding="utf-8")
    assert not any(r.room.key in p.read_text(errors="replace") for p in r.results.iterdir())


def stopped_for_ten_minutes(r: Room) -> Any:
    """Ana (started 9:00, 20 min) and Ben (started 9:10) answer; the server stops at 9:15
    and comes back at 9:25: Ana's deadline (9:20) passed while it was down, Ben's did not."""
    ana, ben = (r.room.join(name).learner for name in ("Ana", "Ben"))
    assert ana is not None and ben is not None
    r.room.start(ana)
    r.room.answer(ana, 0, SingleResponse(0), flagged=False)
    r.clock.tick(minutes=10)
    r.room.start(ben)
    r.clock.tick(minutes=5)
    r.room.close()
    r.clock.tick(minutes=10)
    return r.reopen(resume=True)


def test_attempts_that_ran_out_while_the_server_was_down_wait_for_the_educator(
    make_room: Callable[..., Room],
) -> None:
    r = make_room()
    room = stopped_for_ten_minutes(r)
    ana, ben = room.learners.values()
    assert room.held == {ana.id} and room.status_of(ana).startswith("paused")
    assert room.expire() == [] and ana.attempt is not None and ana.attempt.is_open
    assert results_of(r, "Ana")["status"] == "in_progress"
    token = token_for(room, ana)
    cookies = {"iq_token": access.sign(room.key, "token", token)}
    csrf = access.csrf_token(room.key, f"learner:{token}")

    async def paused(browser: Browser) -> None:
        browser.client.session.cookie_jar.update_cookies(cookies, browser.client.make_url("/"))
        page = await browser.get("/q/2")
        assert page.status == 200 and page.has("Paused", "Your answers are saved")
        assert 'id="clock"' not in page.text  # nothing ticks, nothing sends her to /result
        page = await browser.get("/result")
        assert page.has("Paused")
        json_reply = {"Accept": "application/json"}
        page = await browser.post("/q/1", {"choice": "1"}, csrf=csrf, headers=json_reply)
        assert page.status == 409 and page.has("Not saved", "educator is deciding")

    run_class(room, paused)
    r.clock.tick(minutes=1)  # the educator takes a minute to decide: Ana's clock stands still
    assert room.extend(None, room.last_downtime_minutes()) == 2
    assert not room.held
    assert ana.attempt.remaining_seconds() == 5 * 60  # what she had when the server stopped
    assert ben.attempt is not None and ben.attempt.remaining_seconds() == 14 * 60
    room.answer(ana, 0, SingleResponse(1), flagged=False)  # she goes on where she was
    assert results_of(r, "Ana")["items"][0]["response"] == {"kind": "single", "choice": 1}
    room.folder.close()


def test_the_educator_can_let_paused_attempts_finish_as_time_up(
    make_room: Callable[..., Room],
) -> None:
    r = make_room()
    room = stopped_for_ten_minutes(r)
    assert room.finish_held() == 1
    data = results_of(r, "Ana")
    assert data["status"] == "time_up" and data["ended"] == "2026-12-01T09:20:00+00:00"
    assert data["items"][0]["response"] == {"kind": "single", "choice": 0}
    assert results_of(r, "Ben")["status"] == "in_progress"
    room.folder.close()


def test_plain_mode_offers_the_downtime_and_takes_the_decision(
    make_room: Callable[..., Room],
) -> None:
    r = make_room()
    room = stopped_for_ten_minutes(r)
    out = io.StringIO()
    dashboard = PlainDashboard(room, out, room.report_text)
    dashboard.intro(["http://127.0.0.1:8765/"])
    intro = out.getvalue()
    assert "down for about 10 min" in intro
    assert "1 attempt ran out of time while the server was down" in intro
    assert "extend all 10" in intro and "timeup" in intro
    asyncio.run(dashboard.command("timeup"))
    assert "1 paused attempt(s) finished as time up" in out.getvalue()
    assert results_of(r, "Ana")["status"] == "time_up" and not room.held
    room.folder.close()


def results_of(r: Room, name: str) -> dict:  # type: ignore[type-arg]
    for path in r.results.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["learner"]["name"] == name:
            return data  # type: ignore[no-any-return]
    raise AssertionError(f"no results file for {name}")


def token_for(room: Any, learner: Any) -> str:
    """A fresh pass for `learner` (as an approved rejoin would hand out)."""
    token = access.new_token()
    room._by_token[access.token_hash(token)] = learner.id
    return token
