"""The class check's web pages: join, start, one question per page, review, result.

Server-rendered HTML (Jinja2, autoescape on) that works without JavaScript. The
`Classroom` owns every decision; handlers translate between forms and it. Calls
that write files run in a worker thread (`asyncio.to_thread`) so a slow disk never
stalls the other learners; an answer is saved before its response is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from typing import Any

import jinja2
from aiohttp import web

from immunoquiz.banks.model import CaseItem
from immunoquiz.educator import class_access as access
from immunoquiz.educator.classroom import (
    AlreadySubmitted,
    BadAnswer,
    ClassError,
    Classroom,
    Learner,
    NotSaved,
    Paused,
    TimeUp,
)
from immunoquiz.educator.presentation import passed, percent, time_left_text
from immunoquiz.responses import CaseResponse, Response
from immunoquiz.web import questions
from immunoquiz.web.feedback import explained
from immunoquiz.web.security import MAX_BODY, make_middleware

TOKEN_COOKIE = "iq_token"
PRE_COOKIE = "iq_pre"
WAIT_COOKIE = "iq_wait"
STATIC = {"class.css": "text/css", "class.js": "text/javascript"}
WAITING_HEADER = "X-Immunoquiz-Waiting"
TICK_SECONDS = 1.0
HEARTBEAT_SECONDS = 5.0
IO_THREADS = 32


class Pages:
    """Templates, limits and cookie settings of one running class."""

    def __init__(self, room: Classroom) -> None:
        self.room = room
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("immunoquiz.web", "templates"),
            autoescape=True,
            auto_reload=False,  # templates ship with the package: no stat per page
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.static = {
            name: resources.files("immunoquiz.web").joinpath("static", name).read_bytes()
            for name in STATIC
        }
        # Per address: joins in general, and wrong codes (guessing) much more strictly.
        self.join_limit = access.RateLimit(burst=400, per_second=20)
        self.code_limit = access.RateLimit(burst=10, per_second=0.2)
        # Per learner: answers and saves (a person needs far fewer).
        self.answer_limit = access.RateLimit(burst=40, per_second=5)

    def render(
        self, request: web.Request, template: str, status: int = 200, /, **context: Any
    ) -> web.Response:
        room = self.room
        learner: Learner | None = context.get("learner")
        left = room.seconds_left(learner) if learner is not None and learner.started else None
        if learner is not None and (learner.final or learner.id in room.held):
            left = None  # no countdown: nothing is ticking
        base = {
            "session_title": room.spec.title,
            "title": room.spec.title,
            "poll": None,
            "seconds_left": left,
            "time_left": time_left_text(left) if left is not None else "",
        }
        html = self.env.get_template(template).render({**base, **context})
        response = web.Response(text=html, status=status, content_type="text/html", charset="utf-8")
        if context.get("poll"):
            # A waiting page: class.js asks again and moves on once this header is gone
            # (no meta refresh: a page must not reload itself under a screen reader).
            response.headers[WAITING_HEADER] = "1"
        return response

    def problem(
        self,
        request: web.Request,
        status: int,
        title: str,
        message: str,
        link: str | None = "/",
        link_text: str = "Back to the start",
    ) -> web.Response:
        return self.render(
            request,
            "problem.html",
            status,
            title=title,
            message=message,
            link=link,
            link_text=link_text,
        )


ROOM = web.AppKey("room", Classroom)
PAGES = web.AppKey("pages", Pages)


def redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def _pages(request: web.Request) -> Pages:
    return request.app[PAGES]


def _set_cookie(response: web.Response, name: str, value: str) -> None:
    response.set_cookie(name, value, httponly=True, samesite="Strict", path="/")


async def _form(request: web.Request) -> dict[str, list[str]]:
    data = await request.post()
    form: dict[str, list[str]] = {}
    for key, value in data.items():
        if isinstance(value, str):
            form.setdefault(key, []).append(value)
    return form


def _first(form: dict[str, list[str]], name: str) -> str:
    values = form.get(name) or [""]
    return values[0]


# --- who is asking ---------------------------------------------------------------


class NoLearner(Exception):
    def __init__(self, response: web.Response) -> None:
        self.response = response


def _learner(request: web.Request) -> tuple[Learner, str]:
    """The learner of this browser and their token, or NoLearner with the page to show."""
    pages = _pages(request)
    room = pages.room
    cookie = request.cookies.get(TOKEN_COOKIE)
    if not cookie:
        raise NoLearner(redirect("/"))
    token = access.unsign(room.key, "token", cookie)
    if token is None:
        raise NoLearner(
            pages.problem(
                request,
                403,
                "This browser's pass is damaged",
                "The class pass kept by this browser was changed or damaged. Join again "
                "with the class code; your educator will let you back in to your attempt.",
            )
        )
    learner = room.learner_for(token)
    if learner is None:
        raise NoLearner(
            pages.problem(
                request,
                403,
                "This pass has expired",
                "This browser's class pass no longer works: you were let back in on another "
                "device, or your educator ended your attempt. Join again with the class code "
                "if you need to.",
            )
        )
    return learner, token


def _csrf_ok(request: web.Request, form: dict[str, list[str]], session: str) -> bool:
    return access.csrf_ok(_pages(request).room.key, session, _first(form, "csrf"))


async def _learner_form(request: web.Request, token: str) -> dict[str, list[str]] | None:
    """The learner's form, or None when its CSRF token is not this learner's."""
    form = await _form(request)
    return form if _csrf_ok(request, form, f"learner:{token}") else None


def _bad_csrf(request: web.Request) -> web.Response:
    return _pages(request).problem(
        request,
        403,
        "Please try again",
        "This form is out of date or did not come from this class page. Nothing was "
        "saved: go back, reload the page, and send it again.",
    )


def _guarded(
    handler: Callable[[web.Request, Learner, str], Any],
) -> Callable[[web.Request], Any]:
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            learner, token = _learner(request)
        except NoLearner as exc:
            return exc.response
        result: web.StreamResponse = await handler(request, learner, token)
        return result

    return wrapped


# --- joining -----------------------------------------------------------------------


async def join_page(request: web.Request) -> web.Response:
    with contextlib.suppress(NoLearner):
        learner, _ = _learner(request)
        return redirect("/result" if learner.final else "/start")
    return _join_form(request)


def _join_form(
    request: web.Request, status: int = 200, error: str = "", code: str = "", name: str = ""
) -> web.Response:
    pages = _pages(request)
    key = pages.room.key
    pre = access.unsign(key, "pre", request.cookies.get(PRE_COOKIE, "")) or ""
    fresh = not pre
    if fresh:
        pre = secrets.token_urlsafe(16)
    response = pages.render(
        request,
        "join.html",
        status,
        title="Join",
        error=error,
        code=code,
        name=name,
        csrf=access.csrf_token(key, f"pre:{pre}"),
    )
    if fresh:
        _set_cookie(response, PRE_COOKIE, access.sign(key, "pre", pre))
    return response


def _client(request: web.Request) -> str:
    return request.remote or "unknown"


async def join(request: web.Request) -> web.Response:
    pages = _pages(request)
    room = pages.room
    address = _client(request)
    if not pages.join_limit.allow(address):
        return pages.problem(
            request, 429, "Too many tries", "Too many joins from this device: wait a minute."
        )
    form = await _form(request)
    pre = access.unsign(room.key, "pre", request.cookies.get(PRE_COOKIE, "")) or ""
    if not pre or not _csrf_ok(request, form, f"pre:{pre}"):
        return _join_form(
            request, 403, "That form was out of date: please type the code and your name again."
        )
    code, name = _first(form, "code")[:20], _first(form, "name")[:200]
    shown_name = access.clean_name(name)
    if not access.codes_match(code, room.code):
        if not pages.code_limit.allow(address):
            return pages.problem(
                request,
                429,
                "Too many wrong codes",
                "Too many wrong class codes from this device: wait a minute, then check the "
                "code on the educator's screen.",
            )
        return _join_form(
            request,
            403,
            "That is not this class's code: check the 6 characters on the educator's screen.",
            name=shown_name,
        )
    if room.ended:
        return pages.problem(request, 410, "The check has ended", "This class check has ended.")
    try:
        outcome = await asyncio.to_thread(room.join, name)
    except ClassError as exc:
        return _join_form(request, 400, f"{exc}.", code=code)
    if outcome.rejoin is not None:
        response = redirect("/wait")
        _set_cookie(response, WAIT_COOKIE, access.sign(room.key, "wait", outcome.rejoin.id))
        return response
    assert outcome.token is not None
    response = redirect("/start")
    _set_cookie(response, TOKEN_COOKIE, access.sign(room.key, "token", outcome.token))
    return response


async def wait(request: web.Request) -> web.Response:
    pages = _pages(request)
    room = pages.room
    request_id = access.unsign(room.key, "wait", request.cookies.get(WAIT_COOKIE, ""))
    rejoin = room.rejoin_status(request_id) if request_id else None
    if rejoin is None:
        return pages.problem(
            request, 403, "No request waiting", "There is no join request from this browser."
        )
    if rejoin.decision is not None:
        token = room.collect_token(rejoin)
        if token is None:
            return pages.problem(
                request, 403, "Already let in", "This request was already used. Join again."
            )
        response = redirect("/start")
        _set_cookie(response, TOKEN_COOKIE, access.sign(room.key, "token", token))
        response.del_cookie(WAIT_COOKIE, path="/")
        return response
    return pages.render(request, "wait.html", title="Waiting", name=rejoin.name, poll=3)


# --- the attempt -------------------------------------------------------------------


def _csrf(room: Classroom, token: str) -> str:
    return access.csrf_token(room.key, f"learner:{token}")


def _facts(room: Classroom) -> dict[str, str]:
    spec = room.spec
    return {
        "limit_text": f"{spec.time_limit} minutes" if spec.time_limit else "none",
        "pass_text": f"{spec.pass_mark:g}%" if spec.pass_mark is not None else "none",
        "feedback_text": (
            "after each question (an answer is final once you see its feedback)"
            if spec.feedback == "immediate"
            else "when you submit"
        ),
    }


@_guarded
async def start_page(request: web.Request, learner: Learner, token: str) -> web.Response:
    pages = _pages(request)
    room = pages.room
    if learner.final:
        return redirect("/result")
    return pages.render(
        request,
        "start.html",
        title="Start",
        learner=learner,
        learner_name=learner.name,
        count=len(room.questions),
        started=learner.started,
        csrf=_csrf(room, token),
        **_facts(room),
    )


@_guarded
async def start(request: web.Request, learner: Learner, token: str) -> web.Response:
    pages = _pages(request)
    if await _learner_form(request, token) is None:
        return _bad_csrf(request)
    try:
        await asyncio.to_thread(pages.room.start, learner)
    except AlreadySubmitted:
        return redirect("/result")
    return redirect(f"/q/{(learner.page or 0) + 1}")


def _index(request: web.Request) -> int:
    """The 0-based question of `/q/{n}`; only the session's questions are reachable."""
    room = _pages(request).room
    raw = request.match_info["n"]
    if not raw.isdigit() or not 1 <= int(raw) <= len(room.questions):
        raise web.HTTPNotFound()
    return int(raw) - 1


def _shown_parts(learner: Learner, index: int, item: CaseItem) -> int:
    """How many parts of a case are on the page: answered ones, plus the next."""
    attempt = learner.attempt
    if attempt is None:
        return 1
    if index in attempt.answers:
        return len(item.parts)
    return min(len(item.parts), len(attempt.drafts.get(index, ())) + 1)


def _question_page(
    request: web.Request,
    learner: Learner,
    token: str,
    index: int,
    status: int = 200,
    error: str = "",
    saved: bool = False,
    refused: Response | None = None,
) -> web.Response:
    pages = _pages(request)
    room = pages.room
    question = room.questions[index]
    item = question.item
    attempt = learner.attempt
    assert attempt is not None
    # A refused answer is shown as given (so it can be completed), not the saved one.
    response: Response | None = refused or attempt.answers.get(index)
    if response is None and index in attempt.drafts:
        response = CaseResponse(attempt.drafts[index])
    v = questions.view(item, attempt.layout(index), response)
    learner.page = index
    return pages.render(
        request,
        "question.html",
        status,
        title=f"Question {index + 1}",
        learner=learner,
        v=v,
        shown=_shown_parts(learner, index, item) if isinstance(item, CaseItem) else 0,
        number=index + 1,
        count=len(room.questions),
        answered=len(attempt.answers),
        flagged=index in attempt.flagged,
        error=error,
        saved=saved,
        feedback_now=room.spec.feedback == "immediate",
        csrf=_csrf(room, token),
    )


def _final_answer(room: Classroom, learner: Learner, index: int) -> bool:
    """With immediate feedback an answered question is closed: its key has been shown."""
    attempt = learner.attempt
    return room.spec.feedback == "immediate" and attempt is not None and index in attempt.answers


def _ended(request: web.Request, learner: Learner) -> web.Response | None:
    """Where to send a learner whose attempt is not open (or whose time just ran out)."""
    room = _pages(request).room
    if learner.attempt is None:
        return redirect("/start")
    if learner.id in room.held:
        return _paused(request, learner)
    if learner.final:
        return redirect("/result")
    left = room.seconds_left(learner)
    if left is not None and left <= 0:
        return redirect("/result")
    return None


def _paused(request: web.Request, learner: Learner) -> web.Response:
    """Time ran out while the server was down: wait for the educator's decision."""
    again = request.path if request.method == "GET" else "/start"
    return _pages(request).render(
        request, "paused.html", title="Paused", learner=learner, again=again, poll=5
    )


@_guarded
async def question_page(request: web.Request, learner: Learner, token: str) -> web.Response:
    index = _index(request)
    room = _pages(request).room
    if (gone := _ended(request, learner)) is not None:
        if learner.attempt is not None and not learner.final:
            await asyncio.to_thread(room.expire)
        return gone
    if _final_answer(room, learner, index):
        return redirect(f"/q/{index + 1}/feedback")
    return _question_page(request, learner, token, index, saved="saved" in request.query)


def _wants_json(request: web.Request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _next_location(go: str, index: int, count: int) -> str:
    if go == "prev":
        return f"/q/{max(1, index)}"
    if go == "next" and index + 1 < count:
        return f"/q/{index + 2}"
    if go in ("next", "review"):
        return "/review"
    return f"/q/{index + 1}"


@_guarded
async def answer(request: web.Request, learner: Learner, token: str) -> web.Response:
    pages = _pages(request)
    room = pages.room
    index = _index(request)
    form = await _form(request)
    as_json = _wants_json(request)

    def reply(status: int, message: str, location: str | None = None) -> web.Response:
        if as_json:
            ok = status < 400
            return web.json_response(
                {"ok": ok, "message": message, "redirect": location if not ok else None},
                status=status,
            )
        if location is not None:
            return redirect(location)
        return _question_page(
            request, learner, token, index, status, message, refused=as_given(status)
        )

    def as_given(status: int) -> Response | None:
        """What the learner sent, when it was refused as incomplete or invalid."""
        if status != 400:
            return None
        with contextlib.suppress(questions.FormProblem):
            return questions.parse(item, layout, form, check=False)
        return None

    if not _csrf_ok(request, form, f"learner:{token}"):
        if not as_json:
            return _bad_csrf(request)
        return reply(403, "This page is out of date: reload it, then answer again.", "/")
    if not pages.answer_limit.allow(learner.id):
        return pages.problem(
            request,
            429,
            "Slow down",
            "Too many answers at once: wait a moment, then save again.",
            link=f"/q/{index + 1}",
            link_text="Back to the question",
        )
    if learner.attempt is None:
        return reply(409, "Start the check first.", "/start")
    if learner.final:
        return reply(409, "You have already submitted: answers can no longer change.", "/result")
    if _final_answer(room, learner, index):
        return reply(409, "This answer is final: its feedback was shown.", f"/q/{index + 1}")
    go = _first(form, "go") or "save"
    flagged = _first(form, "flag") == "1"
    item = room.questions[index].item
    layout = learner.attempt.layout(index)
    try:
        shown = _shown_parts(learner, index, item) if isinstance(item, CaseItem) else 0
        if isinstance(item, CaseItem) and shown < len(item.parts) and go == "save":
            # Background saving: a case's shown parts are kept with "Next part".
            return reply(200, "Press “Next part” to save this part.")
        if isinstance(item, CaseItem) and go == "part":
            parts = questions.parse_parts(item, layout, form, shown)
            if any(p is None for p in parts):
                missing = next(k for k, p in enumerate(parts) if p is None) + 1
                raise questions.FormProblem(f"answer part {missing} first")
            if shown < len(item.parts):
                kept = [p for p in parts if p is not None]
                await asyncio.to_thread(room.keep_draft, learner, index, kept, flagged)
                return reply(200, "Saved.", f"/q/{index + 1}")
            go = "next"
        response = questions.parse(item, layout, form)
        if response is None:
            if go == "check":
                raise questions.FormProblem("choose an answer first")
            await asyncio.to_thread(room.flag, learner, index, flagged)
            message = "Flag saved." if flagged else "Nothing to save yet."
            return reply(200, message, None if go == "save" else _next(go, index, room))
        await asyncio.to_thread(room.answer, learner, index, response, flagged)
    except (questions.FormProblem, BadAnswer) as exc:
        text = str(exc).rstrip(".")
        return reply(400, f"Not saved: {text[:1].upper()}{text[1:]}.")
    except NotSaved as exc:
        return reply(503, f"Not saved: {exc}.")
    except Paused as exc:
        return reply(409, f"Not saved: {exc}.", f"/q/{index + 1}")
    except TimeUp:
        return reply(409, "Time is up: your answers were submitted.", "/result")
    except AlreadySubmitted as exc:
        return reply(409, f"{exc}.", "/result")
    if go == "check":
        return reply(200, "Saved.", f"/q/{index + 1}/feedback")
    if as_json:
        return reply(200, "Saved.")
    return redirect(_next(go, index, room))


def _next(go: str, index: int, room: Classroom) -> str:
    location = _next_location(go, index, len(room.questions))
    return location + ("?saved" if location == f"/q/{index + 1}" else "")


@_guarded
async def feedback_page(request: web.Request, learner: Learner, token: str) -> web.Response:
    pages = _pages(request)
    room = pages.room
    index = _index(request)
    if not _final_answer(room, learner, index):
        return redirect(f"/q/{index + 1}")
    assert learner.attempt is not None
    question = room.questions[index]
    count = len(room.questions)
    last = index + 1 >= count
    return pages.render(
        request,
        "feedback.html",
        title=f"Feedback {index + 1}",
        learner=learner,
        number=index + 1,
        count=count,
        stem=question.item.stem,
        e=explained(question.item, learner.attempt.answers[index], learner.attempt.layout(index)),
        next_link="/review" if last else f"/q/{index + 2}",
        next_text="Review and submit" if last else "Next question",
    )


@_guarded
async def review(request: web.Request, learner: Learner, token: str) -> web.Response:
    pages = _pages(request)
    room = pages.room
    if (gone := _ended(request, learner)) is not None:
        return gone
    assert learner.attempt is not None
    attempt = learner.attempt
    rows: list[dict[str, Any]] = [
        {
            "number": n,
            "answered": n - 1 in attempt.answers,
            "flagged": n - 1 in attempt.flagged,
            "gist": _gist(q.item.stem),
        }
        for n, q in enumerate(room.questions, start=1)
    ]
    answered = sum(r["answered"] for r in rows)
    return pages.render(
        request,
        "review.html",
        title="Review",
        learner=learner,
        rows=rows,
        count=len(rows),
        answered=answered,
        unanswered=len(rows) - answered,
        flagged=sum(r["flagged"] for r in rows),
    )


def _gist(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@_guarded
async def confirm(request: web.Request, learner: Learner, token: str) -> web.Response:
    pages = _pages(request)
    room = pages.room
    if (gone := _ended(request, learner)) is not None:
        return gone
    assert learner.attempt is not None
    return pages.render(
        request,
        "confirm.html",
        title="Submit",
        learner=learner,
        unanswered=len(room.questions) - len(learner.attempt.answers),
        csrf=_csrf(room, token),
    )


@_guarded
async def submit(request: web.Request, learner: Learner, token: str) -> web.Response:
    pages = _pages(request)
    if await _learner_form(request, token) is None:
        return _bad_csrf(request)
    try:
        await asyncio.to_thread(pages.room.submit, learner, "submitted")
    except AlreadySubmitted:
        return pages.problem(
            request,
            409,
            "Already submitted",
            "Your answers were already submitted; nothing has changed.",
            link="/result",
            link_text="See your result",
        )
    except ClassError as exc:
        return pages.problem(request, 409, "Not yet", f"{exc}.", link="/start")
    return redirect("/result")


@_guarded
async def result(request: web.Request, learner: Learner, token: str) -> web.Response:
    pages = _pages(request)
    room = pages.room
    if learner.id in room.held:
        return _paused(request, learner)
    if learner.attempt is not None and not learner.final:
        await asyncio.to_thread(room.expire)
    if not learner.final:
        return redirect("/start" if learner.attempt is None else "/review")
    attempt = learner.attempt
    assert attempt is not None
    heading = {
        "time_up": "Time is up: your answers were submitted",
        "ended_by_educator": "Your educator ended the check",
    }.get(attempt.status, "Your answers are submitted")
    items = []
    points = maximum = 0.0
    for n, q in enumerate(room.questions, start=1):
        response = attempt.answers.get(n - 1)
        e = explained(q.item, response, attempt.layout(n - 1))
        items.append({"number": n, "stem": q.item.stem, "e": e})
        score = attempt.score_of(n - 1)
        points += score.points
        maximum += score.max
    return pages.render(
        request,
        "result.html",
        title="Result",
        learner=learner,
        heading=heading,
        score=f"{points:g} of {maximum:g} points",
        percent=round(percent(points, maximum)),
        passed=passed(points, maximum, room.spec.pass_mark),
        pass_mark=f"{room.spec.pass_mark:g}" if room.spec.pass_mark is not None else "",
        questions=items,
        reported="reported" in request.query,
        csrf=_csrf(room, token),
    )


@_guarded
async def report_problem(request: web.Request, learner: Learner, token: str) -> web.Response:
    pages = _pages(request)
    index = _index(request)
    form = await _learner_form(request, token)
    if form is None:
        return _bad_csrf(request)
    if not learner.final:
        return redirect("/review")
    try:
        await asyncio.to_thread(pages.room.report_problem, learner, index, _first(form, "text"))
    except ClassError as exc:
        return pages.problem(request, 400, "Nothing sent", f"{exc}.", link="/result")
    return redirect("/result?reported")


async def static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in STATIC:  # a fixed list: no directory listing, no path tricks
        raise web.HTTPNotFound()
    return web.Response(body=_pages(request).static[name], content_type=STATIC[name])


async def not_found(request: web.Request) -> web.Response:
    raise web.HTTPNotFound()


# --- the app and its timers --------------------------------------------------------


async def _timers(app: web.Application) -> AsyncIterator[None]:
    room = app[ROOM]
    # Each answer waits for an fsync; many at once should wait side by side, not in a
    # queue behind the default pool's few threads.
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=IO_THREADS, thread_name_prefix="class-io")
    )

    async def tick() -> None:
        beats = 0.0
        while True:
            await asyncio.sleep(TICK_SECONDS)
            try:
                await asyncio.to_thread(room.expire)
                beats += TICK_SECONDS
                if beats >= HEARTBEAT_SECONDS:
                    beats = 0.0
                    await asyncio.to_thread(room.heartbeat)
            except OSError as exc:  # a full disk must not stop the clock
                room.report_io_problem(exc)

    task = asyncio.create_task(tick())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def build_app(room: Classroom, hosts: Iterable[str]) -> web.Application:
    """The class check's application; `hosts` are the names browsers may use to reach it."""
    pages = Pages(room)
    allowed = frozenset(h.lower() for h in hosts)
    app = web.Application(
        middlewares=[make_middleware(allowed, pages.problem)],  # type: ignore[list-item]
        client_max_size=MAX_BODY,
    )
    app[ROOM] = room
    app[PAGES] = pages
    app.cleanup_ctx.append(_timers)
    app.add_routes(
        [
            web.get("/", join_page),
            web.post("/join", join),
            web.get("/wait", wait),
            web.get("/start", start_page),
            web.post("/start", start),
            web.get("/q/{n}", question_page),
            web.post("/q/{n}", answer),
            web.get("/q/{n}/feedback", feedback_page),
            web.get("/review", review),
            web.get("/confirm", confirm),
            web.post("/submit", submit),
            web.get("/result", result),
            web.post("/problem/{n}", report_problem),
            web.get("/static/{name}", static),
        ]
    )
    return app


async def serve(room: Classroom, host: str, port: int, names: Iterable[str]) -> web.AppRunner:
    """Start serving on host:port (port 0: any free one); `names` as in `build_app`."""
    # Stopping waits at most a few seconds for pages in flight: answers are saved in
    # threads that finish anyway, and a stopped class is resumable.
    runner = web.AppRunner(
        build_app(room, names), access_log=None, handle_signals=False, shutdown_timeout=5.0
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port, backlog=512)
    await site.start()
    return runner


def bound_port(runner: web.AppRunner) -> int:
    """The port actually bound (after asking for port 0)."""
    for address in runner.addresses:
        if isinstance(address, tuple):
            return int(address[1])
    raise RuntimeError("the server is not listening")
