"""One learner's attempt at an exam session: the thing every exam client drives.

The attempt owns its clock, its deadline and its results file, so the TUI,
plain mode and the class server all give the same guarantees:

- `Attempt.open(paper, learner, results_dir, clock=...)` resumes this
  learner's open attempt at this session (same `started`, same deadline: time
  kept running while away) or starts the next one; with `spec.attempts` final
  attempts already made it raises `NoAttemptsLeft`. An open attempt found past
  its deadline comes back already submitted as `time_up` (check `status`).
- `answer(index, response)` keeps an answer (bank indices, as `responses.py`
  says) and writes the results file atomically before it returns; then logs it
  in the learner's progress (best effort: a failure is one notice, never the
  end of the attempt; the store is not tried again by this attempt). A whole
  answer only: `present.incomplete` and `scoring.validate_response` refusals
  raise `ValueError` with a one-line hint.
  Past the deadline it submits as `time_up` and raises `TimeUp`.
- `keep_parts(index, parts)`: the parts of a case answered so far, before the
  whole case is answered; saved in the results draft (never in a final file).
- `flag(index)`, `go(index)` (charges time to the question left),
  `interrupt()` (saved as `interrupted`, resumable), `extend(minutes)` (moves
  the deadline; class mode) and `submit(reason)` with reason `submitted`,
  `time_up` or `ended_by_educator`.
- `saved` / `save_problem`: whether the file on disk holds everything. A failed
  write is retried at every answer and by `save()`; a client must not show a
  score while `saved` is False. `take_notices()` returns one-line messages for
  the learner (each store or file problem once).
- `layout(index)`: the `present.Layout` of a question (session seed + item id:
  the same for every learner of the session).

All public methods are thread-safe (one lock), so a client may call them from
a worker thread. Example (tests inject the clock the same way):

    attempt = Attempt.open(paper, Learner("l-3f9a2c", "Ana"), Path("results"),
                           clock=lambda: datetime.now(UTC))
    attempt.answer(0, SingleResponse(2))
    result = attempt.submit("submitted")   # an AttemptResult, as written
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal, Protocol

from immunoquiz import scoring
from immunoquiz.banks.model import CaseItem
from immunoquiz.educator.answer_key import describe
from immunoquiz.educator.exam import ExamQuestion, choice_record, unanswered_score
from immunoquiz.educator.results import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    AttemptResult,
    ItemResult,
    PartResult,
    attempt_from_json,
    claim_results,
    replace_results,
    results_name,
    slug,
)
from immunoquiz.educator.session_spec import SessionSpec
from immunoquiz.present import Layout, incomplete, layout
from immunoquiz.records import dataclass
from immunoquiz.responses import CaseResponse, Response, Score, response_from_json

Clock = Callable[[], datetime]
SubmitReason = Literal["submitted", "time_up", "ended_by_educator"]
LEARNER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class Learner:
    """Who an attempt belongs to. `id` ([a-z0-9-]) decides; `name` is display only."""

    id: str
    name: str

    def __post_init__(self) -> None:
        if not LEARNER_ID.match(self.id):
            raise ValueError(f"a learner id is made of a-z, 0-9 and -, not {self.id!r}")


@dataclass(frozen=True)
class ExamPaper:
    """A session and its questions, in the order every learner gets them."""

    spec: SessionSpec
    questions: tuple[ExamQuestion, ...]

    @property
    def banks(self) -> dict[str, str]:
        return {q.bank.id: q.bank.content_hash for q in self.questions}


class ProgressLog(Protocol):
    """The learner's progress store, written after the results file (best effort).

    `where` names the file for the one-line notice if writing fails.
    """

    @property
    def where(self) -> str: ...

    def __call__(
        self, question: ExamQuestion, response: Response, score: Score, seconds: float
    ) -> None: ...


class AttemptClosed(Exception):
    """The attempt is final: nothing more can be answered."""


class TimeUp(AttemptClosed):
    """The deadline passed: the attempt was submitted as time_up."""


class NoAttemptsLeft(Exception):
    """Every attempt the session allows was submitted; the message says so in one line."""


class ResumeMismatch(Exception):
    """An open attempt exists but no longer matches the session's questions."""


def _results_path(directory: Path, spec: SessionSpec, learner: Learner, number: int) -> Path:
    return directory / results_name(spec.title, learner.id, number)


def _earlier_attempts(
    directory: Path, spec: SessionSpec, learner: Learner
) -> tuple[list[AttemptResult], int]:
    """This learner's readable files for this session, and the highest number in use."""
    prefix = f"{slug(spec.title)}--{slug(learner.id)}--a"
    found: list[AttemptResult] = []
    highest = 0
    if not directory.is_dir():
        return found, highest
    for path in directory.glob(f"{prefix}*.json"):
        number = path.name.removeprefix(prefix).removesuffix(".json")
        if not number.isdigit():
            continue
        highest = max(highest, int(number))
        try:
            result = attempt_from_json(json.loads(path.read_text(encoding="utf-8")), str(path))
        except (OSError, ValueError, RecursionError):
            continue  # unreadable: its number stays taken, it is nobody's attempt
        if result.session_hash == spec.content_hash and result.learner_id == learner.id:
            found.append(result)
    return sorted(found, key=lambda a: a.attempt), highest


def _open_or_refuse(
    spec: SessionSpec, learner: Learner, earlier: list[AttemptResult], allowed: int | None
) -> AttemptResult | None:
    """The open attempt to resume, None to start a new one, or NoAttemptsLeft."""
    open_ones = [a for a in earlier if a.status in OPEN_STATUSES]
    if open_ones:
        return open_ones[-1]
    final = [a for a in earlier if a.status in FINAL_STATUSES]
    limit = spec.attempts if allowed is None else allowed
    if len(final) >= limit:
        raise NoAttemptsLeft(
            f"{learner.name} has already submitted {spec.title!r} "
            f"({len(final)} of {limit} attempt{'s' if limit != 1 else ''} used); "
            "ask your educator if you need another"
        )
    return None


class Attempt:
    """One attempt; make it with `Attempt.open` (see the module docstring)."""

    def __init__(
        self,
        paper: ExamPaper,
        learner: Learner,
        path: Path,
        number: int,
        started: datetime,
        *,
        clock: Clock,
        progress: ProgressLog | None = None,
    ) -> None:
        self.paper = paper
        self.learner = learner
        self.path = path
        self.number = number
        self.started = started
        limit = paper.spec.time_limit
        self.deadline: datetime | None = started + timedelta(minutes=limit) if limit else None
        self.status = "in_progress"
        self.ended: datetime | None = None
        self.resumed = False
        self.clock = clock
        self.progress = progress
        self.current = 0
        self.answers: dict[int, Response] = {}
        self.drafts: dict[int, tuple[Response, ...]] = {}  # case parts answered so far
        self.flagged: set[int] = set()
        self.seconds: dict[int, float] = {}
        self.saved = False
        self.save_problem: str | None = None
        self._viewing_since: datetime | None = started
        self._notices: list[str] = []
        self._store_failed = False
        self._lock = threading.RLock()
        # Each item's record with what it was made from: the file is rewritten after
        # every answer, but only the item that changed needs scoring again.
        self._records: dict[int, tuple[tuple[object, ...], ItemResult]] = {}

    # --- opening ------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        paper: ExamPaper,
        learner: Learner,
        results_dir: Path,
        *,
        clock: Clock,
        progress: ProgressLog | None = None,
        allowed: int | None = None,
    ) -> Attempt:
        """Resume the learner's open attempt at this session, or start the next one.

        `allowed` overrides `spec.attempts` (class mode: the educator grants a new one).
        Raises `NoAttemptsLeft` when `allowed` final attempts exist,
        `ResumeMismatch` when the open one no longer fits the questions, and
        OSError when the results folder cannot be written (before any answer).
        """
        spec = paper.spec
        for _ in range(20):  # another process may claim a number between scan and claim
            earlier, highest = _earlier_attempts(results_dir, spec, learner)
            record = _open_or_refuse(spec, learner, earlier, allowed)
            if record is not None:
                return cls._resume(paper, learner, record, clock=clock, progress=progress)
            number = highest + 1
            path = _results_path(results_dir, spec, learner, number)
            attempt = cls(paper, learner, path, number, clock(), clock=clock, progress=progress)
            if claim_results(attempt.result(), path):
                attempt.saved = True
                return attempt
        raise OSError(f"cannot claim a results file name in {results_dir}")

    @classmethod
    def pending(
        cls,
        paper: ExamPaper,
        learner: Learner,
        results_dir: Path,
        *,
        allowed: int | None = None,
    ) -> AttemptResult | None:
        """What `open` would do, without doing it: the open attempt it would resume.

        None: `open` would start a new attempt. Raises `NoAttemptsLeft` as `open`
        does. A client shows its start page from this and calls `open` on Enter,
        so a new attempt's clock starts when the learner starts it.
        """
        earlier, _ = _earlier_attempts(results_dir, paper.spec, learner)
        return _open_or_refuse(paper.spec, learner, earlier, allowed)

    @classmethod
    def restore(
        cls,
        paper: ExamPaper,
        learner: Learner,
        record: AttemptResult,
        *,
        clock: Clock,
        progress: ProgressLog | None = None,
        hold_expired: bool = False,
    ) -> Attempt:
        """The attempt a results file records, open or final (a class server restarting).

        An open one resumes as `open` would; a final one comes back as it ended, for
        its result page, and is not written again. With `hold_expired`, an open one
        whose deadline passed while away stays open (unwritten) for the educator to
        extend or submit: the caller keeps it from being answered meanwhile.
        """
        if record.status in OPEN_STATUSES:
            if hold_expired and record.deadline is not None and clock() >= record.deadline:
                return cls._restored(paper, learner, record, clock=clock, progress=progress)
            return cls._resume(paper, learner, record, clock=clock, progress=progress)
        attempt = cls._restored(paper, learner, record, clock=clock, progress=progress)
        attempt.status = record.status
        attempt.ended = record.ended
        return attempt

    @classmethod
    def _restored(
        cls,
        paper: ExamPaper,
        learner: Learner,
        record: AttemptResult,
        *,
        clock: Clock,
        progress: ProgressLog | None,
    ) -> Attempt:
        ids = [q.id for q in paper.questions]
        if [i.id for i in record.items] != ids:
            raise ResumeMismatch(
                f"{record.path}: the open attempt has other questions than this session now; "
                "ask your educator"
            )
        attempt = cls(
            paper,
            learner,
            Path(record.path),
            record.attempt,
            record.started,
            clock=clock,
            progress=progress,
        )
        attempt.deadline = record.deadline
        attempt.resumed = True
        attempt.saved = True
        for i, item in enumerate(record.items):
            attempt.seconds[i] = item.seconds
            if item.flagged:
                attempt.flagged.add(i)
            if item.response is not None:
                attempt.answers[i] = response_from_json(item.response)
            elif item.draft:
                with contextlib.suppress(ValueError):  # a damaged draft is only a draft
                    attempt.drafts[i] = tuple(response_from_json(d) for d in item.draft)
        attempt.current = next((i for i in range(len(ids)) if i not in attempt.answers), 0)
        attempt._viewing_since = clock()
        return attempt

    @classmethod
    def _resume(
        cls,
        paper: ExamPaper,
        learner: Learner,
        record: AttemptResult,
        *,
        clock: Clock,
        progress: ProgressLog | None,
    ) -> Attempt:
        attempt = cls._restored(paper, learner, record, clock=clock, progress=progress)
        with attempt._lock:
            if attempt.expired():
                # Time ran out while away: it ended at the deadline, not now.
                attempt._finish("time_up", ended=attempt.deadline)
            else:
                attempt.status = "in_progress"
                attempt._write()
        return attempt

    # --- reading --------------------------------------------------------------------

    @property
    def spec(self) -> SessionSpec:
        return self.paper.spec

    @property
    def questions(self) -> tuple[ExamQuestion, ...]:
        return self.paper.questions

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def layout(self, index: int) -> Layout:
        """How question `index` is shown: the same for every learner of the session."""
        question = self.questions[index]
        return layout(
            question.item, f"{self.spec.seed}/layout/{question.id}", shuffle=self.spec.shuffle
        )

    def remaining_seconds(self) -> float | None:
        if self.deadline is None:
            return None
        return max(0.0, (self.deadline - self.clock()).total_seconds())

    def expired(self) -> bool:
        return self.deadline is not None and self.clock() >= self.deadline

    def unanswered(self) -> list[int]:
        return [i for i in range(len(self.questions)) if i not in self.answers]

    def take_notices(self) -> list[str]:
        """One-line messages for the learner since the last call."""
        with self._lock:
            notices, self._notices = self._notices, []
            return notices

    def score_of(self, index: int) -> Score:
        question = self.questions[index]
        response = self.answers.get(index)
        if response is None:
            return unanswered_score(question.item)
        return scoring.score(question.item, response)

    # --- acting -----------------------------------------------------------------------

    def check_time(self) -> bool:
        """Submit as time_up if the deadline has passed; True when the attempt is final."""
        with self._lock:
            if self.is_open and self.expired():
                self._finish("time_up", ended=self.deadline)
            return not self.is_open

    def go(self, index: int) -> None:
        """Move to question `index` (0-based), charging time to the one being left."""
        with self._lock:
            if not 0 <= index < len(self.questions):
                raise IndexError(f"there is no question {index + 1}")
            self._charge_time()
            self.current = index

    def flag(self, index: int, on: bool | None = None) -> bool:
        """Flag (or unflag; toggle when `on` is None) a question for review; saved."""
        with self._lock:
            self._ensure_open()
            now_on = (index not in self.flagged) if on is None else on
            if now_on:
                self.flagged.add(index)
            else:
                self.flagged.discard(index)
            self._write()
            return now_on

    def answer(self, index: int, response: Response) -> Score:
        """Keep (or replace) the answer to question `index`; saved before it returns.

        ValueError (a one-line hint) for an incomplete or invalid answer, or an
        answer that is final (`feedback: immediate`); TimeUp past the deadline.
        """
        with self._lock:
            self._ensure_open()
            question = self.questions[index]
            if self.spec.feedback == "immediate" and index in self.answers:
                raise ValueError("This answer is final: its feedback has been shown.")
            if hint := incomplete(question.item, response):
                raise ValueError(hint)
            if reason := scoring.validate_response(question.item, response):
                raise ValueError(reason[:1].upper() + reason[1:] + ".")
            if self.current == index:
                self._charge_time()
            self.answers[index] = response
            self.drafts.pop(index, None)
            result = scoring.score(question.item, response)
            self._write()
            self._log_progress(question, response, result, self.seconds.get(index, 0.0))
            return result

    def keep_parts(self, index: int, parts: Sequence[Response]) -> None:
        """Keep the first parts of case `index` (not yet its answer); saved before it returns.

        ValueError (a one-line hint) when `index` is not a case still to answer, or a part
        is incomplete or invalid; TimeUp past the deadline.
        """
        with self._lock:
            self._ensure_open()
            item = self.questions[index].item
            if not isinstance(item, CaseItem) or index in self.answers:
                raise ValueError("Only the parts of a case not yet answered are kept.")
            if not 0 < len(parts) < len(item.parts):
                raise ValueError("Keep some parts of the case, not all: answer it instead.")
            for part, response in zip(item.parts, parts, strict=False):
                if hint := incomplete(part, response):
                    raise ValueError(hint)
                if reason := scoring.validate_response(part, response):
                    raise ValueError(reason[:1].upper() + reason[1:] + ".")
            self.drafts[index] = tuple(parts)
            self._write()

    def extend(self, minutes: float) -> datetime | None:
        """Move the deadline `minutes` later (earlier if negative); saved. Class mode.

        An open attempt whose deadline has just passed (not yet submitted) is extended
        too: the educator's decision wins over the timer's next tick.
        """
        with self._lock:
            if not self.is_open:
                raise AttemptClosed(f"the attempt is over ({self.status})")
            if self.deadline is not None:
                self.deadline += timedelta(minutes=minutes)
                self._write()
            return self.deadline

    def interrupt(self) -> None:
        """Save the open attempt as `interrupted` (SIGHUP, SIGTERM, window closed)."""
        with self._lock:
            if self.is_open:
                self._charge_time()
                self.status = "interrupted"
                self._write()

    def submit(self, reason: SubmitReason = "submitted") -> AttemptResult:
        """Make the attempt final with `reason` and write it; idempotent once final.

        Check `saved` afterwards: False means the file could not be written
        (the notice says why) and `save()` should be retried.
        """
        if reason not in FINAL_STATUSES:
            raise ValueError(f"not a submit reason: {reason!r}")
        with self._lock:
            if self.is_open:
                ended = self.deadline if reason == "time_up" and self.expired() else None
                self._finish(reason, ended=ended)
            return self.result()

    def save(self) -> bool:
        """Write the results file again (after a failure); True when it is on disk."""
        with self._lock:
            self._write()
            return self.saved

    def result(self) -> AttemptResult:
        """The attempt as its results file records it (unanswered items score 0)."""
        with self._lock:
            items = tuple(self._item_result(i) for i in range(len(self.questions)))
            return AttemptResult(
                session_title=self.spec.title,
                session_hash=self.spec.content_hash,
                learner=self.learner.name,
                started=self.started,
                ended=self.ended,
                items=items,
                pass_mark=self.spec.pass_mark,
                banks=self.paper.banks,
                timed_out=self.status == "time_up",
                path=str(self.path),
                learner_id=self.learner.id,
                attempt=self.number,
                status=self.status,
                deadline=self.deadline,
            )

    # --- inside -----------------------------------------------------------------------

    def _ensure_open(self) -> None:
        if not self.is_open:
            raise AttemptClosed(f"the attempt is over ({self.status})")
        if self.expired():
            self._finish("time_up", ended=self.deadline)
            raise TimeUp("time is up: the answers given so far were submitted")

    def _charge_time(self, until: datetime | None = None) -> None:
        now = until or self.clock()
        if self._viewing_since is not None:
            spent = max(0.0, (now - self._viewing_since).total_seconds())
            self.seconds[self.current] = self.seconds.get(self.current, 0.0) + spent
        self._viewing_since = now

    def _finish(self, reason: str, *, ended: datetime | None) -> None:
        self.ended = ended or self.clock()
        self._charge_time(until=self.ended)  # never time spent after the deadline
        self.status = reason
        self._write()

    def _item_result(self, i: int) -> ItemResult:
        response = self.answers.get(i)
        made_of = (
            response,
            i in self.flagged,
            round(self.seconds.get(i, 0.0), 3),
            self.drafts.get(i),
            self.is_open,
        )
        known = self._records.get(i)
        if known is not None and known[0] == made_of:
            return known[1]
        record = self._make_item_result(i, response)
        self._records[i] = (made_of, record)
        return record

    def _make_item_result(self, i: int, response: Response | None) -> ItemResult:
        q = self.questions[i]
        result = self.score_of(i)
        parts: tuple[PartResult, ...] = ()
        if isinstance(q.item, CaseItem):
            part_scores = (
                scoring.part_scores(q.item, response)
                if isinstance(response, CaseResponse)
                else tuple(unanswered_score(p) for p in q.item.parts)
            )
            parts = tuple(
                PartResult(p.id, p.step, s.points, s.max)
                for p, s in zip(q.item.parts, part_scores, strict=True)
            )
        options, picked = choice_record(q.item, response)
        # The question and its key go in the final file only (never in a draft).
        asked = describe(q.item) if not self.is_open else None
        return ItemResult(
            id=q.id,
            type=q.item.type,
            topic=q.bank.topic,
            step=q.item.step,
            score=result.points,
            max=result.max,
            seconds=round(self.seconds.get(i, 0.0), 3),
            response=response.to_json() if response else None,
            options=options,
            picked=picked,
            parts=parts,
            flagged=i in self.flagged,
            question=asked.question if asked else "",
            answer=asked.answer if asked else "",
            key=asked.key if asked else (),
            draft=tuple(r.to_json() for r in self.drafts.get(i, ())) if response is None else (),
        )

    def _write(self) -> None:
        try:
            replace_results(self.result(), self.path)
        except OSError as exc:
            problem = exc.strerror or str(exc)
            if isinstance(exc, FileExistsError | NotADirectoryError):  # mkdir met a file
                problem = f"{self.path.parent} is not a folder (any more)"
            if self.saved or self.save_problem != problem:
                self._notices.append(
                    f"Could not save the results file {self.path}: {problem}. "
                    "Your answers are kept here and saving is tried again with each answer."
                )
            self.saved, self.save_problem = False, problem
            return
        if not self.saved and self.save_problem is not None:
            self._notices.append(f"The results file {self.path} is saved again.")
        self.saved, self.save_problem = True, None

    def _log_progress(
        self, question: ExamQuestion, response: Response, score: Score, seconds: float
    ) -> None:
        # After one failure the store is left alone: a locked file would make every
        # later answer wait for its busy timeout, and the notice was given.
        if self.progress is None or self._store_failed:
            return
        try:
            self.progress(question, response, score, seconds)
        except Exception as exc:  # noqa: BLE001 - any store failure: the exam goes on
            self._store_failed = True
            where = self.progress.where
            problem = str(exc).removeprefix(f"{where}: ").rstrip(".")
            self._notices.append(
                f"Progress could not be saved in {where}: {problem}. "
                "The exam goes on; the results file is the record."
            )


def attempts_of(results_dir: Path, spec: SessionSpec, learner: Learner) -> Sequence[AttemptResult]:
    """This learner's attempts at `spec` found in `results_dir`, oldest first."""
    return _earlier_attempts(results_dir, spec, learner)[0]


__all__ = [
    "Attempt",
    "AttemptClosed",
    "Clock",
    "ExamPaper",
    "Learner",
    "NoAttemptsLeft",
    "ProgressLog",
    "ResumeMismatch",
    "SubmitReason",
    "TimeUp",
    "attempts_of",
]
