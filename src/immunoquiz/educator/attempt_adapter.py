"""TEMPORARY (until educator/attempt.py lands on trunk): class mode's view of one attempt.

In-memory over ExamRun, final results written once at submit. Replaced by a thin
wrapper of the attempt engine.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from immunoquiz import scoring
from immunoquiz.educator.class_state import LearnerRecord
from immunoquiz.educator.exam import ExamRun
from immunoquiz.educator.results import write_results
from immunoquiz.responses import Response, Score

if TYPE_CHECKING:
    from immunoquiz.educator.classroom import Classroom


class ClassAttempt:
    def __init__(self, room: Classroom, record: LearnerRecord) -> None:
        self.room = room
        self.run = ExamRun(room.spec, record.name, room.questions, room.clock)
        self.run.start()
        self.deadline: datetime | None = None
        if room.spec.time_limit is not None:
            assert self.run.started is not None
            self.deadline = self.run.started + timedelta(
                minutes=room.spec.time_limit + record.extra_minutes
            )
        self.status = "in_progress"
        self.path: Path | None = None

    @property
    def final(self) -> bool:
        return self.status not in ("in_progress", "interrupted")

    @property
    def answers(self) -> dict[int, Response]:
        return self.run.answers

    def score_of(self, index: int) -> Score | None:
        response = self.run.answers.get(index)
        if response is None:
            return None
        return scoring.score(self.room.questions[index].item, response)

    def answer(self, index: int, response: Response) -> None:
        self.run.answers[index] = response

    def flag(self, index: int, on: bool) -> None:
        if on:
            self.run.flagged.add(index)
        else:
            self.run.flagged.discard(index)

    def is_flagged(self, index: int) -> bool:
        return index in self.run.flagged

    def extend(self, minutes: float) -> None:
        if self.deadline is not None:
            self.deadline += timedelta(minutes=minutes)

    def submit(self, reason: str) -> None:
        attempt = self.run.submit(timed_out=reason == "time_up")
        self.status = reason
        self.path = write_results(attempt, self.room.folder.results_dir)

    def fractions(self) -> dict[int, float]:
        out = {}
        for index in self.run.answers:
            score = self.score_of(index)
            if score is not None:
                out[index] = score.fraction
        return out


def open_attempt(room: Classroom, record: LearnerRecord) -> ClassAttempt:
    return ClassAttempt(room, record)


def resume_attempt(room: Classroom, record: LearnerRecord) -> ClassAttempt | None:
    return None
