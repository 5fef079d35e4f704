"""Item statistics checked against a class worked out by hand.

Worked example: four learners, three 1-mark items (a Guttman pattern).

    learner  i1 i2 i3  total
    Ana       1  1  1    3
    Ben       1  1  0    2
    Cai       1  0  0    1
    Dee       0  0  0    0

Item 1: x = [1,1,1,0], rest y = [2,1,0,0]; mean x .75, mean y .75.
  cov = sum(dx*dy)/3 = (.3125 + .0625 - .1875 + .5625)/3 = .75/3 = .25
  var x = .75/3 = .25, var y = 2.75/3 = .91667
  D = 100 * .25 / sqrt(.25 * .91667) = 52.22
  cov_max pairs sorted x [0,1,1,1] with sorted y [0,0,1,2]: also .25, so DE = 100
  F = 75
Item 2: x = [1,1,0,0], y = [2,1,1,0]: cov = 1/3, var x = 1/3, var y = 2/3,
  D = 100 * (1/3) / sqrt(2/9) = 70.71, DE = 100, F = 50
Item 3: x = [1,0,0,0], y = [2,2,1,0]: cov .25, var x .25, var y .91667: D = 52.22, DE 100, F 25
Test: totals [3,2,1,0], var = 5/3; sum of item variances = .25 + 1/3 + .25 = 5/6
  CIC = 100 * 3/2 * (1 - (5/6)/(5/3)) = 75.0; error ratio = 100*sqrt(.25) = 50;
  SE = .5 * sqrt(5/3) = 0.6455
"""

from datetime import UTC, datetime, timedelta

import pytest

from immunoquiz.educator.analysis import analyse, item_statistics
from immunoquiz.educator.results import AttemptResult, ItemResult

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def attempt(
    name: str, marks: list[int], picks: list[int] | None = None, pass_mark=60.0
) -> AttemptResult:
    items = tuple(
        ItemResult(
            id=f"demo/q{n + 1}",
            type="single",
            topic="checkpoints" if n < 2 else "tnbc",
            step="analyze-cues" if n == 2 else None,
            score=m,
            max=1,
            seconds=10,
            response={"kind": "single", "choice": 0},
            options=("right", "distractor", "never chosen") if n == 0 else (),
            picked=((picks or [0])[0],) if n == 0 else (),
        )
        for n, m in enumerate(marks)
    )
    return AttemptResult(
        "Checkpoints quiz", "h1", name, T0, T0 + timedelta(minutes=12), items, pass_mark
    )


CLASS = [
    attempt("Ana", [1, 1, 1]),
    attempt("Ben", [1, 1, 0]),
    attempt("Cai", [1, 0, 0]),
    attempt("Dee", [0, 0, 0], picks=[1]),
]


def test_item_statistics_match_the_hand_worked_class() -> None:
    report = analyse(CLASS)
    got = {i.id: i for i in report.items}
    assert got["demo/q1"].facility == pytest.approx(75)
    assert got["demo/q1"].discrimination == pytest.approx(52.22, abs=0.01)
    assert got["demo/q1"].efficiency == pytest.approx(100)
    assert got["demo/q2"].facility == pytest.approx(50)
    assert got["demo/q2"].discrimination == pytest.approx(70.71, abs=0.01)
    assert got["demo/q2"].efficiency == pytest.approx(100)
    assert got["demo/q3"].facility == pytest.approx(25)
    assert got["demo/q3"].discrimination == pytest.approx(52.22, abs=0.01)


def test_test_level_reliability_matches_the_hand_worked_class() -> None:
    t = analyse(CLASS).test
    assert t.cic == pytest.approx(75.0)
    assert t.error_ratio == pytest.approx(50.0)
    assert t.standard_error == pytest.approx(0.6455, abs=1e-4)
    assert t.mean_percent == pytest.approx(50.0)
    assert t.passed == 2  # Ana (100%) and Ben (67%) reach 60%; Cai (33%) does not


def test_an_item_only_the_weakest_learner_gets_right_discriminates_negatively() -> None:
    # marks [0,0,0,1] against rest [3,2,1,0]: cov = -1.5/3 = -.5, var x .25, var y 5/3
    # D = 100 * -.5 / sqrt(.25 * 5/3) = -77.46; cov_max = +.5, so DE = -100
    facility, _sd, disc, eff = item_statistics([0, 0, 0, 1], [3, 2, 1, 0], 1)
    assert facility == pytest.approx(25)
    assert disc == pytest.approx(-77.46, abs=0.01)
    assert eff == pytest.approx(-100)


def test_statistics_are_undefined_not_zero_when_everyone_scores_the_same() -> None:
    _f, _sd, disc, eff = item_statistics([1, 1, 1], [2, 1, 0], 1)
    assert disc is None and eff is None


def test_option_counts_and_flags_show_what_nobody_chose() -> None:
    q1 = analyse(CLASS).items[0]
    assert dict(q1.option_counts) == {"right": 3, "distractor": 1, "never chosen": 0}
    assert "never picked: never chosen" in q1.flags
    q3 = analyse(CLASS).items[2]
    assert not any("nearly" in f for f in q3.flags)  # F = 25 is hard, not extreme


def test_learner_rows_break_down_by_topic_and_step() -> None:
    ben = next(r for r in analyse(CLASS).learners if r.name == "Ben")
    assert (ben.score, ben.max, ben.passed) == (2, 3, True)
    assert ben.by_topic["checkpoints"].percent == pytest.approx(100)
    assert ben.by_topic["tnbc"].percent == pytest.approx(0)
    assert ben.by_step["analyze-cues"].points == 0
    assert ben.minutes == pytest.approx(12)


def test_a_fractional_score_exactly_on_the_pass_mark_passes() -> None:
    # pairs scoring gives 0.2 and 0.7; (0 + 0.2 + 0.7) / 3 = 30% in exact arithmetic,
    # 29.999999999999996% in floating point
    items = tuple(
        ItemResult(f"d/o{n}", "order", "tnbc", None, m, 1, 5, None)
        for n, m in enumerate((0, 0.2, 0.7))
    )
    a = AttemptResult("Check", "h", "Ann", T0, T0 + timedelta(minutes=5), items, pass_mark=30)
    assert analyse([a]).learners[0].passed is True


def test_a_case_part_without_a_step_counts_under_the_case_step() -> None:
    from immunoquiz.educator.results import PartResult

    case = ItemResult(
        "d/case", "case", "adverse-events", "analyze-cues", 1, 2, 30, None,
        parts=(PartResult("p1", None, 1, 1), PartResult("p2", "take-action", 0, 1)),
    )  # fmt: skip
    a = AttemptResult("Check", "h", "Ann", T0, T0 + timedelta(minutes=5), (case,))
    steps = analyse([a]).learners[0].by_step
    assert (steps["analyze-cues"].points, steps["take-action"].points) == (1, 0)


def test_error_ratio_is_reported_for_a_negative_cic() -> None:
    # marks (1,0,0) (0,1,0) (1,0,0) (1,1,0): item variances 1/4, 1/3, 0; totals [1,1,1,2]
    # have variance 1/4, so CIC = 100 * 3/2 * (1 - (7/12) / (1/4)) = -200 and
    # ER = 100 * sqrt(1 - (-200)/100) = 100 * sqrt(3) = 173.2
    cls = [
        attempt(n, m + [0]) for n, m in zip("ABCD", ([1, 0], [0, 1], [1, 0], [1, 1]), strict=True)
    ]
    t = analyse(cls).test
    assert t.cic == pytest.approx(-200)
    assert t.error_ratio == pytest.approx(173.205, abs=1e-3)
