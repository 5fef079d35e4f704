"""A class check, headless: roster, codes and tokens, rejoin approvals, the clock, events.

The web server and the dashboards drive one `Classroom`; neither owns any of this.
Learner ids are made here (never from names). Each learner's answers live in an
attempt of the attempt engine, which writes the learner's results file after every
answer; this module keeps who is who (with token hashes) in the class state file.
Methods that write files are synchronous: the server calls them off its event loop
(one learner at a time per learner), and `events` is how the dashboards hear of them.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from immunoquiz.educator import class_access as access
from immunoquiz.educator.attempt import (
    Attempt,
    AttemptClosed,
    ExamPaper,
    SubmitReason,
    attempts_of,
)
from immunoquiz.educator.attempt import Learner as Who
from immunoquiz.educator.attempt import TimeUp as AttemptTimeUp
from immunoquiz.educator.class_state import (
    ClassFolder,
    ClassRecord,
    ClassStateError,
    LearnerRecord,
    iso,
)
from immunoquiz.educator.exam import ExamQuestion
from immunoquiz.educator.session_spec import SessionSpec
from immunoquiz.records import dataclass, field
from immunoquiz.responses import Response

IDLE_AFTER = timedelta(minutes=2)
DISCONNECTED_AFTER = timedelta(minutes=5)
MAX_EVENTS = 500


class ClassError(Exception):
    """Something a learner or the educator asked for that cannot be done (one line)."""


class TimeUp(ClassError):
    """The learner's time is over: the attempt was (or is now) submitted."""


class AlreadySubmitted(ClassError):
    """The attempt is final: answers can no longer change."""


class BadAnswer(ClassError):
    """An answer the attempt refuses (incomplete, or not an answer to that question)."""


class Paused(ClassError):
    """Time ran out while the server was down: the educator has not yet decided."""


class NotSaved(ClassError):
    """The results file could not be written: the learner must not think it was."""


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    """The attempt engine's refusals as the class's errors (one line for the learner)."""
    try:
        yield
    except AttemptTimeUp:
        raise TimeUp("time is up: your answers were submitted") from None
    except AttemptClosed:
        raise AlreadySubmitted("answers can no longer change") from None
    except ValueError as exc:
        raise BadAnswer(str(exc)) from None


@dataclass
class Learner:
    record: LearnerRecord
    attempt: Attempt | None = None
    last_seen: datetime | None = None
    page: int | None = None  # 0-based question last shown
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def started(self) -> bool:
        return self.attempt is not None

    @property
    def final(self) -> bool:
        return self.attempt is not None and not self.attempt.is_open

    @property
    def who(self) -> Who:
        return Who(self.record.id, self.record.name)


@dataclass
class Rejoin:
    """Someone asked to join under a name already on the roster, without its token."""

    id: str
    learner_id: str
    name: str
    requested: datetime
    decision: str | None = None  # "resume" | "new"
    token: str | None = None  # handed once to the waiting browser


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # joined, started, answered, flagged, submitted, rejoin, approved, problem, ...
    learner_id: str | None
    text: str


@dataclass
class JoinResult:
    learner: Learner | None = None
    token: str | None = None
    rejoin: Rejoin | None = None


class Classroom:
    def __init__(
        self,
        spec: SessionSpec,
        questions: list[ExamQuestion],
        folder: ClassFolder,
        record: ClassRecord,
        clock: Callable[[], datetime],
    ) -> None:
        self.spec = spec
        self.questions = questions
        self.paper = ExamPaper(spec, tuple(questions))
        self.folder = folder
        self.record = record
        self.clock = clock
        self.learners: dict[str, Learner] = {}
        self._by_token: dict[str, str] = {}
        self.rejoins: dict[str, Rejoin] = {}
        self.events: list[Event] = []
        self.listeners: list[Callable[[Event], None]] = []
        self.problems: list[dict[str, Any]] = []
        # Attempts whose deadline passed while the server was down: paused at their
        # deadline until the educator extends them or lets them finish as time up.
        self.held: set[str] = set()
        self.resumed_at: datetime | None = None
        self._roster_lock = threading.Lock()
        self._save_lock = threading.Lock()
        self._changes = 0  # state changes made ...
        self._saved = 0  # ... and how many of them are on disk

    # --- opening -------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        spec: SessionSpec,
        questions: list[ExamQuestion],
        folder: ClassFolder,
        clock: Callable[[], datetime],
        *,
        resume: bool,
        code: str | None = None,
    ) -> Classroom:
        """Lock the results folder and start a class, or continue the one recorded there."""
        folder.lock()
        try:
            record = folder.load()
            now = clock()
            if record is not None and record.status == "open" and not resume:
                raise ClassStateError(
                    f"a class is still open in {folder.results_dir}: continue it with "
                    "--resume (or end it from its dashboard), or use another --results-dir"
                )
            if resume and record is None:
                raise ClassStateError(
                    f"no class to resume in {folder.results_dir}: start one without --resume"
                )
            if record is not None and resume:
                if record.session_hash != spec.content_hash:
                    raise ClassStateError(
                        f"the class in {folder.results_dir} was started with another version "
                        f"of the session file ({record.session_title!r}); use another "
                        "--results-dir for this one"
                    )
                room = cls(spec, questions, folder, record, clock)
                room._resume(now)
            else:
                record = ClassRecord(
                    session_hash=spec.content_hash,
                    session_title=spec.title,
                    results_dir=str(folder.results_dir),
                    code=code or access.new_code(),
                    key=access.new_key(),
                    created=iso(now),
                    heartbeat=iso(now),
                )
                room = cls(spec, questions, folder, record, clock)
            if code is not None:
                room.record.code = code
            room.save()
            return room
        except BaseException:
            folder.close()
            raise

    def _resume(self, now: datetime) -> None:
        if self.record.heartbeat:
            down_from = datetime.fromisoformat(self.record.heartbeat)
            seconds = max(0.0, (now - down_from).total_seconds())
            self.record.downtime.append(
                {"from": self.record.heartbeat, "to": iso(now), "seconds": round(seconds)}
            )
        self.record.status = "open"
        self.resumed_at = now
        for rec in self.record.learners:
            learner = Learner(rec)
            learner.attempt = self._restore(learner)
            if learner.attempt is not None and learner.attempt.is_open:
                if learner.attempt.expired():
                    self.held.add(rec.id)
            self.learners[rec.id] = learner
            self._by_token[rec.token_hash] = rec.id
        self._emit("resumed", None, f"class resumed; the server was down {self.downtime_text()}")
        if self.held:
            self._emit("paused", None, self.held_text())

    def _restore(self, learner: Learner) -> Attempt | None:
        """The learner's current attempt as its results file has it (None: not started)."""
        found = attempts_of(self.folder.results_dir, self.spec, learner.who)
        mine = [a for a in found if a.attempt == learner.record.attempt]
        if not mine:
            return None
        return Attempt.restore(
            self.paper, learner.who, mine[-1], clock=self.clock, hold_expired=True
        )

    def _begin(self, learner: Learner) -> Attempt:
        attempt = Attempt.open(
            self.paper,
            learner.who,
            self.folder.results_dir,
            clock=self.clock,
            allowed=learner.record.attempt,
        )
        if not attempt.resumed and learner.record.extra_minutes:
            attempt.extend(learner.record.extra_minutes)
        return attempt

    def _check_saved(self, learner: Learner, attempt: Attempt) -> None:
        """Pass the engine's notices to the dashboard; refuse to confirm an unsaved answer."""
        for notice in attempt.take_notices():
            self._emit("error", learner.id, f"{learner.name}: {notice}")
        if not attempt.saved:
            raise NotSaved(
                "your answer could not be saved on the educator's computer: tell your "
                "educator, then save again"
            )

    @property
    def code(self) -> str:
        return self.record.code

    @property
    def key(self) -> str:
        return self.record.key

    def close(self) -> None:
        """Save the class (it stays resumable) and release the folder."""
        self.heartbeat()
        self.folder.close()

    def save(self) -> None:
        """Write the class state; returns once a write that includes every change made
        before the call is on disk. Saves that wait while another writes are folded
        into one (many joins at once cost one fsync, not one each)."""
        with self._roster_lock:
            self._changes += 1
            wanted = self._changes
        with self._save_lock:
            if self._saved >= wanted:
                return  # a later save already wrote this change
            with self._roster_lock:
                self.record.learners = [learner.record for learner in self.learners.values()]
                snapshot = ClassRecord.from_json(self.record.to_json())
                upto = self._changes
            self.folder.save(snapshot)
            self._saved = upto

    def heartbeat(self) -> None:
        self.record.heartbeat = iso(self.clock())
        self.save()

    def last_downtime_minutes(self) -> int:
        """Whole minutes (rounded up) the server was down before this resume; 0 if none."""
        if not self.record.downtime:
            return 0
        return int((self.record.downtime[-1]["seconds"] + 59) // 60)

    def downtime_text(self) -> str:
        return f"{self.last_downtime_minutes()} min"

    def held_text(self) -> str:
        count = len(self.held)
        whose = "1 attempt" if count == 1 else f"{count} attempts"
        return (
            f"{whose} ran out of time while the server was down and "
            f"{'is' if count == 1 else 'are'} paused at the deadline: give everyone the "
            f"{self.downtime_text()} back, or let the paused finish as time up"
        )

    def _paused_minutes(self) -> float:
        """How long the held attempts have been paused since the resume (their clock stood)."""
        if self.resumed_at is None:
            return 0.0
        return max(0.0, (self.clock() - self.resumed_at).total_seconds() / 60)

    # --- events --------------------------------------------------------------------

    def _emit(self, kind: str, learner_id: str | None, text: str) -> None:
        event = Event(self.clock(), kind, learner_id, text)
        self.events.append(event)
        del self.events[:-MAX_EVENTS]
        for listener in list(self.listeners):
            listener(event)

    # --- joining -------------------------------------------------------------------

    def join(self, name: str) -> JoinResult:
        """A new learner (with their token), or a rejoin request when the name is taken."""
        name = access.clean_name(name)
        if not name:
            raise ClassError("type your name (letters or digits)")
        if self.record.status != "open":
            raise ClassError("this class check has ended")
        key = access.name_key(name)
        with self._roster_lock:
            taken = next(
                (le for le in self.learners.values() if access.name_key(le.name) == key), None
            )
            if taken is not None:
                request = Rejoin(access.new_token(), taken.id, name, self.clock())
                self.rejoins[request.id] = request
            else:
                token = access.new_token()
                record = LearnerRecord(
                    id=self._unused_id(),
                    name=name,
                    token_hash=access.token_hash(token),
                    attempt=self._next_attempt_number(),
                    joined=iso(self.clock()),
                )
                learner = Learner(record, last_seen=self.clock())
                self.learners[record.id] = learner
                self._by_token[record.token_hash] = record.id
        if taken is not None:
            self._emit("rejoin", taken.id, f"{name} asks to join again: approve or ignore")
            return JoinResult(rejoin=request)
        self.save()
        self._emit("joined", learner.id, f"{name} joined")
        return JoinResult(learner=learner, token=token)

    def _unused_id(self) -> str:
        while True:
            candidate = access.new_learner_id()
            if candidate not in self.learners:
                return candidate

    def _next_attempt_number(self) -> int:
        return 1

    def learner_for(self, token: str) -> Learner | None:
        learner_id = self._by_token.get(access.token_hash(token))
        learner = self.learners.get(learner_id) if learner_id else None
        if learner is not None:
            learner.last_seen = self.clock()
        return learner

    def rejoin_status(self, request_id: str) -> Rejoin | None:
        return self.rejoins.get(request_id)

    def collect_token(self, request: Rejoin) -> str | None:
        """The token of an approved rejoin, handed over once."""
        token, request.token = request.token, None
        if token is not None:
            self.rejoins.pop(request.id, None)
        return token

    def approve(self, request_id: str, choice: str) -> Learner:
        """Let a rejoin in: `resume` the attempt (the old token stops working) or start `new`."""
        request = self.rejoins.get(request_id)
        if request is None or request.decision is not None:
            raise ClassError("no such rejoin request waiting")
        learner = self.learners[request.learner_id]
        token = access.new_token()
        with learner.lock:
            with self._roster_lock:
                self._by_token.pop(learner.record.token_hash, None)
                learner.record.token_hash = access.token_hash(token)
                self._by_token[learner.record.token_hash] = learner.id
            if choice == "new":
                self.held.discard(learner.id)
                if learner.attempt is not None and learner.attempt.is_open:
                    learner.attempt.submit("ended_by_educator")
                if learner.attempt is not None:
                    learner.record.attempt += 1
                learner.attempt = None
                learner.page = None
            elif choice != "resume":
                raise ClassError("choose resume or new")
        request.decision = choice
        request.token = token
        self.save()
        what = "resumes their attempt" if choice == "resume" else "starts a new attempt"
        self._emit("approved", learner.id, f"{learner.name} was let back in and {what}")
        return learner

    # --- the attempt ---------------------------------------------------------------

    def deadline_for(self, learner: Learner) -> datetime | None:
        if learner.attempt is not None:
            return learner.attempt.deadline
        if self.spec.time_limit is None:
            return None
        minutes = self.spec.time_limit + learner.record.extra_minutes
        return self.clock() + timedelta(minutes=minutes)

    def seconds_left(self, learner: Learner) -> float | None:
        deadline = self.deadline_for(learner)
        if deadline is None:
            return None
        return max(0.0, (deadline - self.clock()).total_seconds())

    def start(self, learner: Learner) -> None:
        """Start the learner's clock (once: a second start is a no-op)."""
        with learner.lock:
            if learner.attempt is not None:
                return
            if learner.record.removed:
                raise AlreadySubmitted("your educator has ended your attempt")
            learner.attempt = self._begin(learner)
        self._emit("started", learner.id, f"{learner.name} started")

    def _open(self, learner: Learner) -> Attempt:
        attempt = learner.attempt
        if attempt is None:
            raise ClassError("start the check first")
        if not attempt.is_open:
            raise AlreadySubmitted("you have already submitted: answers can no longer change")
        if learner.id in self.held:
            raise Paused(
                "your time ran out while the class server was stopped: your educator is "
                "deciding whether to give that time back"
            )
        if attempt.check_time():
            self._emit("time_up", learner.id, f"{learner.name}: time is up")
            raise TimeUp("time is up: your answers were submitted")
        return attempt

    def answer(self, learner: Learner, index: int, response: Response, flagged: bool) -> None:
        """Save one answer: the results file is written before this returns (or NotSaved)."""
        with learner.lock:
            attempt = self._open(learner)
            with _refusals():
                attempt.go(index)
                attempt.answer(index, response)
                if (index in attempt.flagged) != flagged:
                    attempt.flag(index, flagged)
            self._check_saved(learner, attempt)
        self._emit("answered", learner.id, f"{learner.name} answered question {index + 1}")

    def flag(self, learner: Learner, index: int, flagged: bool) -> None:
        with learner.lock:
            attempt = self._open(learner)
            if (index in attempt.flagged) == flagged:
                return
            attempt.flag(index, flagged)
            self._check_saved(learner, attempt)
        what = "flagged" if flagged else "unflagged"
        self._emit("flagged", learner.id, f"{learner.name} {what} question {index + 1}")

    def keep_draft(
        self, learner: Learner, index: int, parts: list[Response], flagged: bool
    ) -> None:
        """Save the parts of a case answered so far (in the results draft) and the flag."""
        with learner.lock:
            attempt = self._open(learner)
            with _refusals():
                attempt.keep_parts(index, parts)
                if (index in attempt.flagged) != flagged:
                    attempt.flag(index, flagged)
            self._check_saved(learner, attempt)

    def submit(self, learner: Learner, reason: SubmitReason = "submitted") -> None:
        with learner.lock:
            attempt = learner.attempt
            if attempt is None:
                if reason == "submitted":
                    raise ClassError("start the check first")
                attempt = learner.attempt = self._begin(learner)  # removed before starting
            if not attempt.is_open:
                if reason == "submitted":
                    raise AlreadySubmitted("you have already submitted")
                return
            if reason == "submitted" and learner.id in self.held:
                raise Paused("your time ran out while the class server was stopped")
            attempt.submit(reason)
            self._check_saved(learner, attempt)
        words = {
            "submitted": "submitted",
            "time_up": "ran out of time",
            "ended_by_educator": "was ended by the educator",
        }
        self._emit("submitted", learner.id, f"{learner.name} {words.get(reason, reason)}")

    def expire(self) -> list[Learner]:
        """Submit every open attempt whose deadline has passed (the server timer calls this)."""
        due = []
        for learner in list(self.learners.values()):
            attempt = learner.attempt
            if attempt is None or not attempt.is_open or not attempt.expired():
                continue
            if learner.id in self.held:
                continue  # the educator decides
            with learner.lock:
                if attempt.check_time():
                    due.append(learner)
            self._emit("submitted", learner.id, f"{learner.name} ran out of time")
        return due

    # --- the educator's actions -------------------------------------------------------

    def extend(self, learner_id: str | None, minutes: float) -> int:
        """Give more time to one learner (or everyone, None), also before they start."""
        if minutes <= 0:
            raise ClassError("extend by a positive number of minutes")
        targets = (
            list(self.learners.values()) if learner_id is None else [self._learner(learner_id)]
        )
        count = 0
        paused = self._paused_minutes()
        for learner in targets:
            with learner.lock:
                if learner.attempt is None:
                    learner.record.extra_minutes += minutes
                elif learner.attempt.is_open:
                    # A paused attempt's clock stood still while the educator decided.
                    held = learner.id in self.held
                    learner.attempt.extend(minutes + paused if held else minutes)
                    self.held.discard(learner.id)
                else:
                    continue
                count += 1
        self.save()
        who = "everyone" if learner_id is None else targets[0].name
        self._emit("extended", learner_id, f"{who}: {minutes:g} more minutes")
        return count

    def finish_held(self) -> int:
        """Let the attempts paused at their deadline finish as time up (the educator's call)."""
        held = [self.learners[i] for i in sorted(self.held)]
        self.held.clear()
        for learner in held:
            self.submit(learner, "time_up")
        return len(held)

    def _learner(self, learner_id: str) -> Learner:
        learner = self.learners.get(learner_id)
        if learner is None:
            raise ClassError(f"no learner {learner_id!r} in this class")
        return learner

    def remove(self, learner_id: str) -> None:
        """Take a learner out: their attempt is submitted as ended by the educator (kept)."""
        learner = self._learner(learner_id)
        with self._roster_lock:
            self._by_token.pop(learner.record.token_hash, None)
            learner.record.removed = True
        self.submit(learner, "ended_by_educator")
        self.save()
        self.held.discard(learner.id)
        self._emit("removed", learner.id, f"{learner.name} was removed (their answers are kept)")

    def end_now(self) -> None:
        """End the check for everyone: every attempt is submitted, the class is closed."""
        self.finish_held()  # their time had run out: time up, not ended by the educator
        for learner in list(self.learners.values()):
            self.submit(learner, "ended_by_educator")
        self.record.status = "ended"
        self.save()
        self._emit("ended", None, "the check was ended: every attempt is submitted")

    @property
    def ended(self) -> bool:
        return self.record.status == "ended"

    def report_problem(self, learner: Learner, index: int, text: str) -> None:
        text = " ".join(access.clean_name(line) for line in text.splitlines())[:1000]
        if not text.strip():
            raise ClassError("say what is wrong with the question")
        entry = {
            "at": iso(self.clock()),
            "learner": {"id": learner.id, "name": learner.name},
            "question": index + 1,
            "item": self.questions[index].id,
            "text": text,
        }
        self.folder.add_problem_report(entry)
        self.problems.append(entry)
        self._emit(
            "problem",
            learner.id,
            f"{learner.name} reported a problem with question {index + 1}: {text[:80]}",
        )

    # --- what the dashboards show --------------------------------------------------

    def status_of(self, learner: Learner) -> str:
        """joined / on question k of N / idle / disconnected / submitted / timed out / ..."""
        attempt = learner.attempt
        if attempt is not None and not attempt.is_open:
            return {
                "time_up": "timed out",
                "ended_by_educator": "removed" if learner.record.removed else "ended",
            }.get(attempt.status, "submitted")
        if learner.id in self.held:
            return "paused: time ran out while the server was down"
        now = self.clock()
        if learner.last_seen is not None and now - learner.last_seen > DISCONNECTED_AFTER:
            return "disconnected"
        if learner.last_seen is not None and now - learner.last_seen > IDLE_AFTER:
            return "idle"
        if attempt is None:
            return "joined"
        page = 1 if learner.page is None else learner.page + 1
        return f"on question {page} of {len(self.questions)}"

    def facility(self) -> list[float | None]:
        """Per question: mean score fraction of the answers given so far (None: no answer)."""
        totals = [0.0] * len(self.questions)
        counts = [0] * len(self.questions)
        for learner in self.learners.values():
            if learner.attempt is None:
                continue
            for index in list(learner.attempt.answers):
                totals[index] += learner.attempt.score_of(index).fraction
                counts[index] += 1
        return [t / c if c else None for t, c in zip(totals, counts, strict=True)]

    def pending_rejoins(self) -> list[Rejoin]:
        return [r for r in self.rejoins.values() if r.decision is None]

    def results_path(self, learner: Learner) -> Path | None:
        return learner.attempt.path if learner.attempt is not None else None

    def report_io_problem(self, exc: OSError) -> None:
        self._emit("error", None, f"cannot save the class state: {exc.strerror or exc}")

    def report_text(self, columns: int = 100) -> str:
        """`immunoquiz report` on the results folder, as text (final attempts; open ones listed)."""
        from immunoquiz.educator import analysis, render
        from immunoquiz.educator.results import SessionFacts, read_results

        spec = self.spec
        facts = SessionFacts(
            spec.title, spec.content_hash, spec.pass_mark, tuple(q.id for q in self.questions)
        )
        loaded = read_results([self.folder.results_dir], session=facts)
        if not loaded.attempts:
            waiting = len(loaded.open)
            return f"No submitted attempts yet ({waiting} still open)."
        return render.to_text(analysis.analyse_loaded(loaded), columns)
