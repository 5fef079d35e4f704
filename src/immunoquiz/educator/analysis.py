"""Item analysis of a class's attempts, with Moodle's quiz-statistics definitions.

For an item with marks x (one per attempt) and rest-of-test marks y = total - x,
over s attempts, using sample (s - 1) variances as Moodle does:

- facility index F = 100 * mean(x) / max mark
- discrimination index D = 100 * cov(x, y) / sqrt(var(x) * var(y))   (item-rest correlation)
- discriminative efficiency DE = 100 * cov(x, y) / cov_max(x, y), where cov_max pairs
  the sorted x with the sorted y: the largest covariance these marks could have
- coefficient of internal consistency CIC = 100 * k/(k-1) * (1 - sum var(x_i) / var(total))
  (Cronbach's alpha x 100), error ratio ER = 100 * sqrt(1 - CIC/100), standard
  error SE = ER/100 * sd(total).

A statistic that needs a variance that is zero (everyone scored the same) is None:
it is undefined, not zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from immunoquiz.educator.results import AttemptResult

LOW_DE = 15.0  # Moodle's guidance: DE under 15% is worth reviewing
EASY_FACILITY = 90.0  # nearly everyone got it right
HARD_FACILITY = 10.0  # nearly nobody got it right


@dataclass(frozen=True)
class Breakdown:
    points: float
    max: float

    @property
    def percent(self) -> float | None:
        return 100 * self.points / self.max if self.max else None


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

    @property
    def percent(self) -> float:
        return 100 * self.score / self.max if self.max else 0.0


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
    standard_error: float | None
    pass_mark: float | None
    passed: int


@dataclass(frozen=True)
class ClassReport:
    title: str
    test: TestRow
    learners: tuple[LearnerRow, ...]
    items: tuple[ItemRow, ...]
    notes: tuple[str, ...] = field(default=())


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
    k = len(item_marks)
    var_total = sample_cov(totals, totals)
    if k < 2 or not var_total:
        return None
    sum_var = sum(sample_cov(m, m) or 0.0 for m in item_marks)
    return 100 * k / (k - 1) * (1 - sum_var / var_total)


def _flags(
    row_facility: float | None,
    efficiency: float | None,
    discrimination: float | None,
    counts: Sequence[tuple[str, int]],
) -> tuple[str, ...]:
    flags: list[str] = []
    if row_facility is not None and row_facility >= EASY_FACILITY:
        flags.append("nearly everyone right")
    if row_facility is not None and row_facility <= HARD_FACILITY:
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


def analyse(attempts: Sequence[AttemptResult], notes: Sequence[str] = ()) -> ClassReport:
    """The whole report for one session's attempts (already checked and de-duplicated)."""
    if not attempts:
        raise ValueError("no attempts to analyse")
    order = [i.id for i in attempts[0].items]
    by_id = [{i.id: i for i in a.items} for a in attempts]
    totals = [a.score for a in attempts]
    pass_mark = attempts[0].pass_mark

    learners = []
    for a in attempts:
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
        counts: list[tuple[str, int]] = []
        if first.options:
            tally = [0] * len(first.options)
            for r, _ in present:
                for p in set(r.picked):
                    if p < len(tally):
                        tally[p] += 1
            counts = list(zip(first.options, tally, strict=True))
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
            )
        )

    max_total = attempts[0].max
    percents = sorted(100 * t / max_total for t in totals) if max_total else []
    var_total = sample_cov(totals, totals)
    sd_total = math.sqrt(var_total) if var_total is not None else None
    cic = coefficient_of_internal_consistency(all_marks, totals)
    er = 100 * math.sqrt(1 - cic / 100) if cic is not None and cic <= 100 else None
    test = TestRow(
        learners=len(attempts),
        items=len(order),
        max=max_total,
        mean_percent=mean(percents) if percents else None,
        median_percent=_median(percents) if percents else None,
        sd_percent=100 * sd_total / max_total if sd_total is not None and max_total else None,
        cic=cic,
        error_ratio=er,
        standard_error=er / 100 * sd_total if er is not None and sd_total is not None else None,
        pass_mark=pass_mark,
        passed=sum(1 for row in learners if row.passed),
    )
    return ClassReport(
        title=attempts[0].session_title,
        test=test,
        learners=tuple(learners),
        items=tuple(items),
        notes=tuple(notes),
    )


def _median(xs: Sequence[float]) -> float:
    n = len(xs)
    mid = n // 2
    return xs[mid] if n % 2 else (xs[mid - 1] + xs[mid]) / 2
