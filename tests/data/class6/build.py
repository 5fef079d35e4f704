"""Writes the 6-learner class fixture of `immunoquiz report` into this folder.

Run from the repository root after changing class-demo.yaml or week3.yaml:

    PYTHONPATH=src python tests/data/class6/build.py

Every score is the real scoring of a real response against class-demo.yaml, and the
files record the real hashes of the bank and session, so a report made with
`--banks tests/data/class6/class-demo.yaml` shows every question and answer key.

The class: six learners with final attempts (one of them as a version-1 file, two
different learners both called "Sam Lee", Ana with a second, better attempt), one
attempt still open (Eli), and one poisoned file (a NaN score, and escape sequences in
the name that would retitle the terminal and overwrite a row with "PASS").
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from immunoquiz import scoring
from immunoquiz.banks import load
from immunoquiz.educator.exam import choice_record
from immunoquiz.educator.results import AttemptResult, ItemResult, attempt_to_json, results_name
from immunoquiz.responses import (
    ClozeResponse,
    MatchResponse,
    MultipleResponse,
    OrderResponse,
    Response,
    SingleResponse,
    TrueFalseResponse,
)

HERE = Path(__file__).parent
T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

S = SingleResponse
M = MultipleResponse
TF = TrueFalseResponse
# Item order: pd1-where, anti-pd1-drugs, pembro-tnbc, grade-2-diarrhoea, pembro-cloze,
# colitis-steps, irae-organ. None: not answered.
CLASS: list[tuple[str, str, int, str, int, list[Response | None]]] = [
    # (name, id, attempt, status, minutes, responses)
    (
        "Ana Silva",
        "ana-silva",
        1,
        "submitted",
        14,
        [
            S(0),
            M(frozenset({0, 1})),
            TF(True),
            S(2),
            ClozeResponse(("Keytruda", "PD-1")),
            OrderResponse((0, 1, 2)),
            MatchResponse((0, 1, 2)),
        ],
    ),
    (
        "Ana Silva",
        "ana-silva",
        2,
        "submitted",
        9,
        [
            S(0),
            M(frozenset({0, 1})),
            TF(True),
            S(1),
            ClozeResponse(("Keytruda", "PD-1")),
            OrderResponse((0, 1, 2)),
            MatchResponse((0, 1, 2)),
        ],
    ),
    (
        "Ben Okafor",
        "ben-okafor",
        1,
        "submitted",
        17,
        [
            S(0),
            M(frozenset({0, 2})),
            TF(True),
            S(1),
            ClozeResponse(("pembrolizumab", "PD-L1")),
            OrderResponse((1, 0, 2)),
            MatchResponse((0, 1, 2)),
        ],
    ),
    (
        "Sam Lee",
        "sam-lee",
        1,
        "submitted",
        12,
        [
            S(1),
            M(frozenset({0})),
            TF(False),
            S(2),
            ClozeResponse(("nivolumab", "PD-1")),
            OrderResponse((2, 1, 0)),
            MatchResponse((1, 0, 2)),
        ],
    ),
    (
        "Sam Lee",
        "sam-lee-2",
        1,
        "time_up",
        20,
        [S(0), M(frozenset({0, 1})), TF(True), S(1), None, None, None],
    ),
    (
        "Chloé Martin",
        "chloe-martin",
        1,
        "submitted",
        16,
        [
            S(0),
            M(frozenset({0, 1, 2})),
            TF(True),
            S(0),
            ClozeResponse(("Keytruda", "PD1")),
            OrderResponse((0, 2, 1)),
            MatchResponse((0, 2, 1)),
        ],
    ),
]
V1 = ("Dee Jones", 19, [
    S(1), M(frozenset({1, 3})), TF(True), S(1), ClozeResponse(("Keytruda", "CTLA-4")),
    OrderResponse((0, 1, 2)), MatchResponse((2, 1, 0))])  # fmt: skip
OPEN = ("Eli Park", "eli-park", [S(0), M(frozenset({0, 1})), TF(True), None, None, None, None])


def main() -> None:
    bank = load(HERE / "class-demo.yaml", use_cache=False)
    session_bytes = (HERE / "week3.yaml").read_bytes()
    session_hash = hashlib.sha256(session_bytes).hexdigest()
    title, pass_mark = "Checkpoint inhibitors - week 3 check", 60.0
    for old in HERE.glob("*.json"):
        old.unlink()

    def result(name: str, learner_id: str, number: int, status: str, minutes: int,
               responses: list[Response | None], start: datetime) -> AttemptResult:  # fmt: skip
        items = []
        for item, response in zip(bank.questions, responses, strict=True):
            got = scoring.score(item, response) if response else None
            options, picked = choice_record(item, response)
            items.append(
                ItemResult(
                    id=f"{bank.id}/{item.id}", type=item.type, topic=bank.topic,
                    step=item.step, score=got.points if got else 0.0,
                    max=scoring.max_points(item), seconds=minutes * 60 / len(responses),
                    response=response.to_json() if response else None,
                    options=options, picked=picked,
                )
            )  # fmt: skip
        final = status not in ("in_progress", "interrupted")
        return AttemptResult(
            session_title=title, session_hash=session_hash, learner=name, started=start,
            ended=start + timedelta(minutes=minutes) if final else None, items=tuple(items),
            pass_mark=pass_mark, banks={bank.id: bank.content_hash}, learner_id=learner_id,
            attempt=number, status=status, deadline=start + timedelta(minutes=20),
            timed_out=status == "time_up",
        )  # fmt: skip

    def write(doc: dict[str, object], name: str) -> None:
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        (HERE / name).write_text(text, encoding="utf-8")

    for n, (name, learner_id, number, status, minutes, responses) in enumerate(CLASS):
        start = T0 + timedelta(days=number - 1, minutes=n)
        a = result(name, learner_id, number, status, minutes, responses, start)
        write(attempt_to_json(a), results_name(title, learner_id, number))

    # Dee's file was written by the version-1 exam command: a name, no id, no status.
    name, minutes, responses = V1
    doc = attempt_to_json(result(name, "", 1, "submitted", minutes, responses, T0))
    for key in ("attempt", "status", "deadline"):
        del doc[key]
    doc["version"], doc["learner"] = 1, name
    for item in doc["items"]:  # type: ignore[union-attr]
        del item["flagged"]
    write(doc, "checkpoint-inhibitors-week-3-check--dee-jones--20261124T090000.json")

    name, learner_id, responses = OPEN
    write(attempt_to_json(result(name, learner_id, 1, "in_progress", 6, responses, T0)),
          results_name(title, learner_id, 1))  # fmt: skip

    # Poisoned: a NaN score would turn the mean, SD and CIC into nan, and the name
    # would retitle the educator's terminal and overwrite its row with "PASS".
    mallory = result("Mallory\x1b]0;owned\x07\x1b[2J\rPASS", "mallory", 1, "submitted", 3,
                     CLASS[0][5], T0)  # fmt: skip
    text = json.dumps(attempt_to_json(mallory), indent=2, ensure_ascii=True)
    text = text.replace('"score": 1.0', '"score": NaN', 1)
    (HERE / results_name(title, "mallory", 1)).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
