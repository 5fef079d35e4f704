"""Item analysis of a class's attempts, with Moodle's quiz-statistics definitions.

For an item with marks x (one per attempt) and rest-of-test marks y = total - x,
over s attempts, using sample (s - 1) variances as Moodle does:

- facility index F = 100 * mean(x) / max mark
- discrimination index D = 100 * cov(x, y) / sqrt(var(x) * var(y))   (item-rest correlation)
- discriminative efficiency DE = 100 * cov(x, y) / cov_max(x, y), where cov_max pairs
  the sorted x with the sorted y: the largest covariance these marks could have
- coefficient of internal consistency CIC = 100 * k/(k-1) * (1 - sum var(x_i) / var(total))
  (Cronbach's alpha x 100), error ratio ER = 100 * sqrt(1 - CIC/100), standard
  error SE = ER/100 * sd(total), also shown as a percentage of the maximum mark.

As in Moodle, CIC, ER and SE exist only above 2 attempts (with 2 or fewer they are
None). A statistic that needs a variance that is zero (everyone scored the same) is
None too: it is undefined, not zero.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime

from immunoquiz.educator.answer_key import ItemKey, response_text
from immunoquiz.educator.results import AttemptResult, ItemResult, LoadedResults, learner_id_of
from immunoquiz.records import dataclass, field

LOW_DE = 15.0  # Moodle's guidance: DE under 15% is worth reviewing
EASY_FACILITY = 90.0  # nearly everyone got it right
HARD_FACILITY = 10.0  # nearly nobody got it right
FEW_LEARNERS = 20  # under this, discrimination and CIC are rough
MIN_FOR_CIC = 3  # Moodle computes CIC, error ratio and standard error only above 2 attempts
_TOLERANCE = 1e-9

# How a learner did on one item, as the grid shows it.
FULL, PARTIAL, WRONG, BLANK = "full", "partial", "wrong", "blank"


@dataclass(frozen=True)
class Breakdown:
    points: float
    max: float

    @property
    def percent(self) -> float | None:
        return 100 * self.points / self.max if self.max else None


@dataclass(frozen=True)
class Cell:
    """One learner's answer to one item: a square of the learner-by-item grid."""

    item: int  # the item's number in the report (1, 2, ...)
    score: float
    max: float
    mark: str  # FULL, PARTIAL, WRONG or BLANK (not answered)
    response: str  # the response in words; "" when not answered


@dataclass(frozen=True)
class LearnerRow:
    name: str
    score: float
    max: float
    passed: bool | None  # None when the session has no pass mark
    timed_out: bool
    minutes: float
    by_topic: dict[str, Breakdown]
    by_step: dict[str, Breakdown]
    path: str
    learner_id: str = ""
    attempt: int = 1
    status: str = "submitted"
    same_name: bool = False  # another learner has this display name: show the id too
    cells: tuple[Cell, ...] = ()
    repeated: bool = False  # this learner has other rows (--attempts all): show the number

    @property
    def percent(self) -> float:
        return 100 * self.score / self.max if self.max else 0.0

    @property
    def label(self) -> str:
        """The name as shown: with the id when two learners share it, and the attempt
        number when the learner has several rows."""
        name = f"{self.name} [{self.learner_id}]" if self.same_name else self.name
        return f"{name} #{self.attempt}" if self.repeated else name


@dataclass(frozen=True)
class OptionRow:
    label: str
    picked_by: int  # learners who picked it
    correct: bool | None  # None when the key is unknown


@dataclass(frozen=True)
class ItemRow:
    id: str
    type: str
    topic: str
    n: int
    max: float
    facility: float | None
    sd: float | None
    discrimination: float | None
    efficiency: float | None
    option_counts: tuple[tuple[str, int], ...]  # (option label, learners who picked it)
    flags: tuple[str, ...]
    number: int = 0  # 1, 2, ... in session order: the grid's column
    question: str = ""  # the full question text ("" when neither file nor bank has it)
    answer: str = ""  # the answer key in words
    key: tuple[int, ...] = ()  # indices of the right options
    options: tuple[OptionRow, ...] = ()
    full: int = 0  # learners with full marks
    partial: int = 0
    wrong: int = 0  # answered, no marks
    blank: int = 0  # not answered


@dataclass(frozen=True)
class TestRow:
    learners: int
    items: int
    max: float
    mean_percent: float | None
    median_percent: float | None
    sd_percent: float | None
    cic: float | None
    error_ratio: float | None
    standard_error: float | None  # points
    pass_mark: float | None
    passed: int
    standard_error_percent: float | None = None  # of the maximum mark, as Moodle prints it
    attempts: int = 0  # attempts counted (more than learners with --attempts all)
    mean_points: float | None = None


@dataclass(frozen=True)
class OpenAttempt:
    """An attempt still in progress or interrupted: listed apart, never counted."""

    name: str
    learner_id: str
    attempt: int
    status: str
    answered: int
    items: int
    started: str  # ISO-8601
    deadline: str | None
    path: str


@dataclass(frozen=True)
class ClassReport:
    title: str
    test: TestRow
    learners: tuple[LearnerRow, ...]
    items: tuple[ItemRow, ...]
    notes: tuple[str, ...] = field(default=())
    attempts_counted: str = "first"  # first | last | best | all
    warnings: tuple[str, ...] = ()
    open_attempts: tuple[OpenAttempt, ...] = ()
    skipped: tuple[str, ...] = ()  # files left out, each with its reason


def reaches(percent_score: float, pass_mark: float) -> bool:
    """Fractional marks (pairs scoring) make 30% come out as 29.999...: that is a pass."""
    return percent_score >= pass_mark - 1e-9


def mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs)


def sample_cov(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = mean(xs), mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (n - 1)


def item_statistics(
    marks: Sequence[float], rest: Sequence[float], max_mark: float
) -> tuple[float | None, float | None, float | None, float | None]:
    """(facility, sd, discrimination, efficiency) for one item, Moodle style."""
    facility = 100 * mean(marks) / max_mark if marks and max_mark else None
    var_x = sample_cov(marks, marks)
    var_y = sample_cov(rest, rest)
    cov = sample_cov(marks, rest)
    cov_max = sample_cov(sorted(marks), sorted(rest))
    sd = math.sqrt(var_x) if var_x is not None else None
    disc = 100 * cov / math.sqrt(var_x * var_y) if cov is not None and var_x and var_y else None
    eff = 100 * cov / cov_max if cov is not None and cov_max else None
    return facility, sd, disc, eff


def coefficient_of_internal_consistency(
    item_marks: Sequence[Sequence[float]], totals: Sequence[float]
) -> float | None:
    """Cronbach's alpha x 100; None with 2 or fewer attempts (as Moodle) or one item."""
    k = len(item_marks)
    var_total = sample_cov(totals, totals)
    if k < 2 or len(totals) < MIN_FOR_CIC or not var_total:
        return None
    sum_var = sum(sample_cov(m, m) or 0.0 for m in item_marks)
    return 100 * k / (k - 1) * (1 - sum_var / var_total)


def _flags(
    facility: float | None,
    efficiency: float | None,
    discrimination: float | None,
    counts: Sequence[tuple[str, int]],
) -> tuple[str, ...]:
    flags = []
    if facility is not None and facility >= EASY_FACILITY:
        flags.append("nearly everyone right")
    if facility is not None and facility <= HARD_FACILITY:
        flags.append("nearly nobody right")
    if efficiency is not None and efficiency < LOW_DE:
        flags.append(f"DE under {LOW_DE:g}")
    if discrimination is not None and discrimination < 0:
        flags.append("negative discrimination")
    unpicked = [label for label, n in counts if n == 0]
    if unpicked:
        flags.append("never picked: " + "; ".join(unpicked))
    return tuple(flags)


def _add(table: dict[str, list[float]], key: str | None, points: float, max_: float) -> None:
    if key:
        cell = table.setdefault(key, [0.0, 0.0])
        cell[0] += points
        cell[1] += max_


def mark_of(result: ItemResult) -> str:
    if result.response is None:
        return BLANK
    if result.score >= result.max - _TOLERANCE:
        return FULL
    return PARTIAL if result.score > _TOLERANCE else WRONG


class _Unset:
    pass


FROM_FILES = _Unset()


def analyse(
    attempts: Sequence[AttemptResult],
    notes: Sequence[str] = (),
    *,
    pass_mark: float | None | _Unset = FROM_FILES,
    keys: Mapping[str, ItemKey] | None = None,
    attempts_counted: str = "first",
    same_name: Sequence[str] = (),
    open_attempts: Sequence[AttemptResult] = (),
    skipped: Sequence[str] = (),
) -> ClassReport:
    """The whole report for one session's attempts (already checked and selected).

    `pass_mark` is the session's; left out, it is the one every attempt records (they
    must agree: one file never sets it for the class). `keys` gives each item id's
    question and answer key when the files do not record them. `same_name` lists the
    learner ids that share a display name with another learner.
    """
    if not attempts:
        raise ValueError("no attempts to analyse")
    if isinstance(pass_mark, _Unset):
        recorded = {a.pass_mark for a in attempts}
        if len(recorded) > 1:
            raise ValueError("the attempts disagree on the pass mark")
        pass_mark = recorded.pop()
    keys = keys or {}
    twins = set(same_name)
    order = [i.id for i in attempts[0].items]
    number = {item_id: n for n, item_id in enumerate(order, start=1)}
    by_id = [{i.id: i for i in a.items} for a in attempts]
    totals = [a.score for a in attempts]

    rows_of = Counter(learner_id_of(a) for a in attempts)
    learners = []
    for a, results in zip(attempts, by_id, strict=True):
        topics: dict[str, list[float]] = {}
        steps: dict[str, list[float]] = {}
        for item in a.items:
            _add(topics, item.topic, item.score, item.max)
            if item.parts:
                for part in item.parts:
                    _add(steps, part.step or item.step, part.score, part.max)
            else:
                _add(steps, item.step, item.score, item.max)
        percent = 100 * a.score / a.max if a.max else 0.0
        cells = []
        for item_id in order:
            r = results[item_id]
            known = keys.get(item_id)
            words = response_text(r.response, r.options, r.picked, known.item if known else None)
            cells.append(Cell(number[item_id], r.score, r.max, mark_of(r), words))
        learners.append(
            LearnerRow(
                name=a.learner,
                score=a.score,
                max=a.max,
                passed=None if pass_mark is None else reaches(percent, pass_mark),
                timed_out=a.timed_out,
                minutes=((a.ended or a.started) - a.started).total_seconds() / 60,
                by_topic={k: Breakdown(*v) for k, v in sorted(topics.items())},
                by_step={k: Breakdown(*v) for k, v in sorted(steps.items())},
                path=a.path,
                learner_id=learner_id_of(a),
                attempt=a.attempt,
                status=a.status,
                same_name=learner_id_of(a) in twins,
                cells=tuple(cells),
                repeated=rows_of[learner_id_of(a)] > 1,
            )
        )

    items = []
    all_marks = []
    for item_id in order:
        present = [(m[item_id], total) for m, total in zip(by_id, totals, strict=True)]
        marks = [r.score for r, _ in present]
        rest = [total - r.score for r, total in present]
        first = present[0][0]
        facility, sd, disc, eff = item_statistics(marks, rest, first.max)
        known = keys.get(item_id)
        key = first.key or (known.key if known else ())
        counts: list[tuple[str, int]] = []
        if first.options:
            tally = [0] * len(first.options)
            for r, _ in present:
                for p in set(r.picked):
                    if p < len(tally):
                        tally[p] += 1
            counts = list(zip(first.options, tally, strict=True))
        has_key = bool(key)
        tallies = {FULL: 0, PARTIAL: 0, WRONG: 0, BLANK: 0}
        for r, _ in present:
            tallies[mark_of(r)] += 1
        all_marks.append(marks)
        items.append(
            ItemRow(
                id=item_id,
                type=first.type,
                topic=first.topic,
                n=len(present),
                max=first.max,
                facility=facility,
                sd=sd,
                discrimination=disc,
                efficiency=eff,
                option_counts=tuple(counts),
                flags=_flags(facility, eff, disc, counts),
                number=number[item_id],
                question=first.question or (known.question if known else ""),
                answer=first.answer or (known.answer if known else ""),
                key=key,
                options=tuple(
                    OptionRow(label, n, (i in key) if has_key else None)
                    for i, (label, n) in enumerate(counts)
                ),
                full=tallies[FULL],
                partial=tallies[PARTIAL],
                wrong=tallies[WRONG],
                blank=tallies[BLANK],
            )
        )

    max_total = attempts[0].max
    percents = sorted(100 * t / max_total for t in totals) if max_total else []
    var_total = sample_cov(totals, totals)
    sd_total = math.sqrt(var_total) if var_total is not None else None
    cic = coefficient_of_internal_consistency(all_marks, totals)
    er = 100 * math.sqrt(1 - cic / 100) if cic is not None and cic <= 100 else None
    se = er / 100 * sd_total if er is not None and sd_total is not None else None
    test = TestRow(
        learners=len({row.learner_id for row in learners}),
        items=len(order),
        max=max_total,
        mean_percent=mean(percents) if percents else None,
        median_percent=_median(percents) if percents else None,
        sd_percent=100 * sd_total / max_total if sd_total is not None and max_total else None,
        cic=cic,
        error_ratio=er,
        standard_error=se,
        pass_mark=pass_mark,
        passed=sum(1 for row in learners if row.passed),
        standard_error_percent=100 * se / max_total if se is not None and max_total else None,
        attempts=len(attempts),
        mean_points=mean(totals),
    )
    warnings = []
    if len(attempts) < FEW_LEARNERS:
        warnings.append(
            f"Only {len(attempts)} attempt{'s' if len(attempts) != 1 else ''}: with fewer than "
            f"{FEW_LEARNERS}, discrimination and CIC are rough; read them as hints."
        )
    if len(attempts) < MIN_FOR_CIC:
        warnings.append("CIC, error ratio and standard error need more than 2 attempts.")
    if not any(i.answer for i in items):
        warnings.append(
            "No answer keys: the files do not record them and the banks were not found "
            "(give them with --banks)."
        )
    return ClassReport(
        title=attempts[0].session_title,
        test=test,
        learners=tuple(learners),
        items=tuple(items),
        notes=tuple(notes),
        attempts_counted=attempts_counted,
        warnings=tuple(warnings),
        open_attempts=tuple(_open_row(a, twins) for a in open_attempts),
        skipped=tuple(skipped),
    )


def analyse_loaded(
    loaded: LoadedResults,
    *,
    keys: Mapping[str, ItemKey] | None = None,
    notes: Sequence[str] = (),
) -> ClassReport:
    """The report of what `read_results` kept: its session's pass mark, its choice of
    attempts, same-name learners flagged, open attempts and skipped files listed."""
    return analyse(
        loaded.attempts,
        [*loaded.notes, *notes],
        pass_mark=loaded.session.pass_mark if loaded.session else FROM_FILES,
        keys=keys,
        attempts_counted=loaded.which,
        same_name=[i for ids in loaded.same_name.values() for i in ids],
        open_attempts=loaded.open,
        skipped=[str(p) for p in loaded.problems],
    )


def _open_row(a: AttemptResult, twins: set[str]) -> OpenAttempt:
    learner_id = learner_id_of(a)
    return OpenAttempt(
        name=f"{a.learner} [{learner_id}]" if learner_id in twins else a.learner,
        learner_id=learner_id,
        attempt=a.attempt,
        status=a.status,
        answered=sum(1 for i in a.items if i.response is not None),
        items=len(a.items),
        started=_iso(a.started),
        deadline=_iso(a.deadline) if a.deadline else None,
        path=a.path,
    )


def _iso(when: datetime) -> str:
    return when.isoformat()


def _median(xs: Sequence[float]) -> float:
    n = len(xs)
    mid = n // 2
    return xs[mid] if n % 2 else (xs[mid - 1] + xs[mid]) / 2
