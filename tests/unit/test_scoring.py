"""Scoring rules of docs/bank-format.md, one item type at a time, built straight from the model."""

from __future__ import annotations

import pytest

from immunoquiz.banks.model import (
    Blank,
    BowtieItem,
    CaseItem,
    ClozeItem,
    MatchItem,
    MultipleItem,
    Option,
    OrderItem,
    SingleItem,
    TrueFalseItem,
)
from immunoquiz.responses import (
    BowtieResponse,
    CaseResponse,
    ClozeResponse,
    MatchResponse,
    MultipleResponse,
    OrderResponse,
    SingleResponse,
    TrueFalseResponse,
)
from immunoquiz.scoring import (
    blank_correct,
    normalise_blank,
    option_feedback,
    option_verdicts,
    part_scores,
    score,
    validate_response,
)


def opts(*flags: bool) -> tuple[Option, ...]:
    return tuple(Option(f"option {i}", correct=c) for i, c in enumerate(flags))


def single() -> SingleItem:
    return SingleItem(id="s", explanation="e", prompt="p", options=opts(False, True, False))


def multiple(scoring: str = "plus_minus", choose: int | None = None) -> MultipleItem:
    # Options 0, 1, 2 are correct; 3 and 4 are not.
    return MultipleItem(
        id="m",
        explanation="e",
        prompt="p",
        options=opts(True, True, True, False, False),
        scoring=scoring,
        choose=choose,
    )


def select_two() -> MultipleItem:
    return MultipleItem(
        id="n",
        explanation="e",
        prompt="Choose 2",
        options=opts(True, False, True, False, False),
        scoring="zero_one",
        choose=2,
    )


def order(n: int, scoring: str = "all_or_nothing") -> OrderItem:
    return OrderItem(
        id="o",
        explanation="e",
        prompt="p",
        items=tuple("abcdefgh"[:n]),
        scoring=scoring,
    )


def match() -> MatchItem:
    return MatchItem(
        id="x",
        explanation="e",
        prompt="p",
        rows=("colitis", "hypothyroidism", "pneumonitis"),
        columns=("gut", "endocrine", "lung"),
        answer=(0, 1, 2),
    )


def bowtie() -> BowtieItem:
    return BowtieItem(
        id="b",
        explanation="e",
        prompt="p",
        conditions=opts(False, True, False),
        actions=opts(True, False, True, False),
        parameters=opts(False, True, True, False),
    )


def cloze() -> ClozeItem:
    return ClozeItem(
        id="c",
        explanation="e",
        text="{{PD-L1|programmed death-ligand 1}} binds {{PD-1}}",
        segments=("", " binds ", ""),
        blanks=(Blank(("PD-L1", "programmed death-ligand 1")), Blank(("PD-1",))),
    )


def dropdown_cloze() -> ClozeItem:
    return ClozeItem(
        id="d",
        explanation="e",
        text="{{pembrolizumab}} is given with chemotherapy",
        segments=("", " is given with chemotherapy"),
        blanks=(Blank(("pembrolizumab",), ("pembrolizumab", "trastuzumab", "tamoxifen")),),
    )


# --- single and true/false --------------------------------------------------------


def test_single_right_and_wrong() -> None:
    s = score(single(), SingleResponse(1))
    assert (s.points, s.max, s.rule, s.full) == (1, 1, "correct/incorrect", True)
    wrong = score(single(), SingleResponse(0))
    assert (wrong.points, wrong.max, wrong.full) == (0, 1, False)


def test_single_choice_out_of_range_is_refused() -> None:
    assert validate_response(single(), SingleResponse(3)) is not None
    with pytest.raises(ValueError, match="option"):
        score(single(), SingleResponse(3))


def test_true_false() -> None:
    item = TrueFalseItem(id="t", explanation="e", statement="PD-1 is on T cells", answer=True)
    assert score(item, TrueFalseResponse(True)).points == 1
    assert score(item, TrueFalseResponse(False)).points == 0
    assert score(item, TrueFalseResponse(False)).rule == "correct/incorrect"


def test_wrong_response_type_is_refused() -> None:
    reason = validate_response(single(), MultipleResponse(frozenset({1})))
    assert reason is not None and "single" in reason
    with pytest.raises(ValueError):
        score(single(), TrueFalseResponse(True))


# --- multiple: plus_minus (NCLEX), zero_one, all_or_nothing ------------------------


@pytest.mark.parametrize(
    ("chosen", "points"),
    [
        ({0, 1, 2}, 3),  # exactly the correct set
        ({0, 1}, 2),  # a correct one missed: no deduction for omission
        ({0, 1, 3}, 1),  # 2 right - 1 wrong
        ({0, 1, 2, 3, 4}, 1),  # everything selected: 3 - 2
        ({3, 4}, 0),  # only wrong ones: -2 floored at 0
        ({0, 3, 4}, 0),  # 1 - 2 = -1, floored at 0
        (set(), 0),  # nothing selected
    ],
)
def test_plus_minus(chosen: set[int], points: int) -> None:
    s = score(multiple("plus_minus"), MultipleResponse(frozenset(chosen)))
    assert (s.points, s.max, s.rule) == (points, 3, "+/- scoring")


@pytest.mark.parametrize(
    ("chosen", "points"),
    [({0, 1, 2}, 3), ({0, 1, 2, 3, 4}, 3), ({0, 4}, 1), ({3, 4}, 0), (set(), 0)],
)
def test_zero_one_has_no_deduction(chosen: set[int], points: int) -> None:
    s = score(multiple("zero_one"), MultipleResponse(frozenset(chosen)))
    assert (s.points, s.max, s.rule) == (points, 3, "1 point per correct pick")


@pytest.mark.parametrize(
    ("chosen", "points"),
    [({0, 1, 2}, 1), ({0, 1}, 0), ({0, 1, 2, 3}, 0), ({0, 1, 2, 3, 4}, 0), (set(), 0)],
)
def test_all_or_nothing(chosen: set[int], points: int) -> None:
    s = score(multiple("all_or_nothing"), MultipleResponse(frozenset(chosen)))
    assert (s.points, s.max, s.rule) == (points, 1, "all or nothing")


def test_multiple_index_out_of_range_is_refused() -> None:
    assert validate_response(multiple(), MultipleResponse(frozenset({0, 9}))) is not None


# --- select-N ----------------------------------------------------------------------


def test_select_n_scores_one_per_correct_pick() -> None:
    item = select_two()
    assert score(item, MultipleResponse(frozenset({0, 2}))) == score(
        item, MultipleResponse(frozenset({2, 0}))
    )
    full = score(item, MultipleResponse(frozenset({0, 2})))
    assert (full.points, full.max, full.full, full.rule) == (2, 2, True, "1 point per correct pick")
    half = score(item, MultipleResponse(frozenset({0, 1})))  # one right, one wrong: no deduction
    assert (half.points, half.max) == (1, 2)
    assert score(item, MultipleResponse(frozenset())).points == 0


def test_select_n_over_pick_is_refused() -> None:
    item = select_two()
    reason = validate_response(item, MultipleResponse(frozenset({0, 1, 2})))
    assert reason is not None and "no more than 2" in reason
    with pytest.raises(ValueError, match="no more than 2"):
        score(item, MultipleResponse(frozenset({0, 1, 2})))
    assert validate_response(item, MultipleResponse(frozenset({0}))) is None  # under-pick is fine


def test_select_n_is_zero_one_whatever_the_scoring_field_says() -> None:
    item = MultipleItem(
        id="n",
        explanation="e",
        prompt="p",
        options=opts(True, False, True),
        scoring="plus_minus",
        choose=2,
    )
    s = score(item, MultipleResponse(frozenset({0, 1})))
    assert (s.points, s.max) == (1, 2)  # plus_minus would have given 0


# --- order ---------------------------------------------------------------------------


def test_order_all_or_nothing() -> None:
    item = order(4)
    assert score(item, OrderResponse((0, 1, 2, 3))).points == 1
    swapped = score(item, OrderResponse((0, 2, 1, 3)))
    assert (swapped.points, swapped.max, swapped.rule) == (0, 1, "all or nothing")


def test_order_pairs_one_swap_n3() -> None:
    # Correct a,b,c; learner b,a,c. Pairs: (a,b) inverted, (a,c) kept, (b,c) kept -> 2 of 3.
    s = score(order(3, "pairs"), OrderResponse((1, 0, 2)))
    assert s.points == pytest.approx(2 / 3)
    assert (s.max, s.rule, s.full) == (1, "pairs in order", False)


def test_order_pairs_one_swap_n4() -> None:
    # Correct a,b,c,d; learner a,c,b,d. 4*3/2 = 6 pairs; only (b,c) inverted -> 5 of 6.
    s = score(order(4, "pairs"), OrderResponse((0, 2, 1, 3)))
    assert s.points == pytest.approx(5 / 6)


def test_order_pairs_far_swap_n4() -> None:
    # Learner d,b,c,a: every pair holding a or d is inverted -> only (b,c) kept, 1 of 6.
    s = score(order(4, "pairs"), OrderResponse((3, 1, 2, 0)))
    assert s.points == pytest.approx(1 / 6)


def test_order_pairs_exact_and_reversed() -> None:
    exact = score(order(5, "pairs"), OrderResponse((0, 1, 2, 3, 4)))
    assert exact.points == 1 and exact.full
    assert score(order(3, "pairs"), OrderResponse((2, 1, 0))).points == 0


@pytest.mark.parametrize("bad", [(0, 1), (0, 1, 1), (0, 1, 3), (0, 1, 2, 2)])
def test_order_must_be_a_permutation(bad: tuple[int, ...]) -> None:
    assert validate_response(order(3), OrderResponse(bad)) is not None
    with pytest.raises(ValueError):
        score(order(3, "pairs"), OrderResponse(bad))


# --- match ---------------------------------------------------------------------------


def test_match_one_point_per_row_unanswered_is_zero() -> None:
    s = score(match(), MatchResponse((0, None, 0)))
    assert (s.points, s.max, s.rule) == (1, 3, "1 point per row")
    assert score(match(), MatchResponse((0, 1, 2))).full
    assert score(match(), MatchResponse((None, None, None))).points == 0


def test_match_wrong_arity_or_column_is_refused() -> None:
    assert validate_response(match(), MatchResponse((0, 1))) is not None
    assert validate_response(match(), MatchResponse((0, 1, 5))) is not None


# --- bow-tie -------------------------------------------------------------------------


def test_bowtie_full_and_partial() -> None:
    item = bowtie()
    full = score(item, BowtieResponse(frozenset({1}), frozenset({0, 2}), frozenset({1, 2})))
    assert (full.points, full.max, full.rule) == (5, 5, "1 point per pick (max 5)")
    # Condition right, one action of two, no parameter: 1 + 1 + 0.
    partial = score(item, BowtieResponse(frozenset({1}), frozenset({0, 1}), frozenset({0, 3})))
    assert (partial.points, partial.max, partial.full) == (2, 5, False)


@pytest.mark.parametrize(
    "picks",
    [
        ({0, 1}, {0, 2}, {1, 2}),  # two conditions
        ({1}, {0}, {1, 2}),  # one action
        ({1}, {0, 2}, {0, 1, 2}),  # three parameters
        (set(), set(), set()),  # nothing picked
        ({7}, {0, 2}, {1, 2}),  # no such condition
    ],
)
def test_bowtie_pick_count_other_than_1_2_2_is_refused(
    picks: tuple[set[int], set[int], set[int]],
) -> None:
    response = BowtieResponse(*(frozenset(p) for p in picks))
    assert validate_response(bowtie(), response) is not None
    with pytest.raises(ValueError):
        score(bowtie(), response)


# --- cloze ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "PD-L1",
        "  PD-L1 ",
        "pd-l1",
        "Programmed   Death-Ligand 1",
        "programmed\u00a0death-ligand 1",
        # spacing, hyphens and Unicode dashes never make an answer wrong (issue 14)
        "PDL1",
        "PD-L 1",
        "PD\u2011L1",
        "pd\u2013l1",
    ],
)
def test_cloze_normalisation_and_alternatives(typed: str) -> None:
    assert blank_correct(cloze().blanks[0], typed)


@pytest.mark.parametrize("typed", ["", "   ", "PD-1", "PDL2", "-"])
def test_cloze_wrong_or_empty(typed: str) -> None:
    assert not blank_correct(cloze().blanks[0], typed)


def test_normalise_blank() -> None:
    assert normalise_blank("  PD-L1 ") == normalise_blank("pd-l1") == "pdl1"
    assert normalise_blank("a \t b\n c") == "abc"
    assert normalise_blank("Addison\u2019s") == normalise_blank("addison's")
    assert normalise_blank("Cafe\u0301") == normalise_blank("caf\u00e9")  # combining vs precomposed


def test_cloze_one_point_per_blank() -> None:
    s = score(cloze(), ClozeResponse(("  pd-l1 ", "CTLA-4")))
    assert (s.points, s.max, s.rule) == (1, 2, "1 point per blank")
    assert score(cloze(), ClozeResponse(("programmed death-ligand 1", "pd-1"))).full
    assert score(cloze(), ClozeResponse(("", ""))).points == 0


def test_dropdown_cloze_compares_choice_text() -> None:
    assert score(dropdown_cloze(), ClozeResponse(("Pembrolizumab",))).full
    assert score(dropdown_cloze(), ClozeResponse(("trastuzumab",))).points == 0


def test_cloze_wrong_number_of_blanks_is_refused() -> None:
    assert validate_response(cloze(), ClozeResponse(("PD-L1",))) is not None


# --- case ----------------------------------------------------------------------------


def case() -> CaseItem:
    return CaseItem(
        id="k",
        explanation="e",
        vignette="A 52-year-old on pembrolizumab...",
        parts=(single(), multiple("plus_minus"), order(3, "pairs")),
    )


def test_case_is_the_sum_of_its_parts() -> None:
    response = CaseResponse(
        (
            SingleResponse(1),  # 1/1
            MultipleResponse(frozenset({0, 1, 3})),  # 2 - 1 = 1/3
            OrderResponse((1, 0, 2)),  # 2/3 of pairs, out of 1
        )
    )
    s = score(case(), response)
    assert s.points == pytest.approx(1 + 1 + 2 / 3)
    assert (s.max, s.rule, s.full) == (5, "sum of parts", False)
    parts = part_scores(case(), response)
    assert [p.points for p in parts] == pytest.approx([1, 1, 2 / 3])
    assert [p.rule for p in parts] == ["correct/incorrect", "+/- scoring", "pairs in order"]


def test_case_full_credit() -> None:
    response = CaseResponse(
        (SingleResponse(1), MultipleResponse(frozenset({0, 1, 2})), OrderResponse((0, 1, 2)))
    )
    assert score(case(), response).full


def test_case_parts_must_come_in_part_order() -> None:
    swapped = CaseResponse(
        (MultipleResponse(frozenset({0})), SingleResponse(1), OrderResponse((0, 1, 2)))
    )
    reason = validate_response(case(), swapped)
    assert reason is not None and reason.startswith("part 1 (s)")
    assert validate_response(case(), CaseResponse((SingleResponse(1),))) is not None


# --- per-option feedback -------------------------------------------------------------


def test_option_feedback_multiple() -> None:
    verdicts = option_feedback(multiple(), MultipleResponse(frozenset({0, 3})))
    assert [(v.chosen, v.correct) for v in verdicts] == [
        (True, True),
        (False, True),
        (False, True),
        (True, False),
        (False, False),
    ]
    assert [v.verdict for v in verdicts] == ["right", "missed", "missed", "wrong", ""]
    assert option_verdicts is option_feedback


def test_option_feedback_single_and_bowtie() -> None:
    single_verdicts = option_feedback(single(), SingleResponse(0))
    assert [v.verdict for v in single_verdicts] == ["wrong", "missed", ""]
    response = BowtieResponse(frozenset({1}), frozenset({0, 1}), frozenset({1, 2}))
    by_group = {}
    for v in option_feedback(bowtie(), response):
        by_group.setdefault(v.group, []).append(v.verdict)
    assert by_group == {
        "conditions": ["", "right", ""],
        "actions": ["right", "wrong", "missed", ""],
        "parameters": ["", "right", "right", ""],
    }


def test_option_feedback_is_empty_for_items_without_options() -> None:
    assert option_feedback(cloze(), ClozeResponse(("a", "b"))) == ()


def test_max_points_is_the_maximum_of_every_scored_answer() -> None:
    from immunoquiz.scoring import max_points

    perfect = [
        (single(), SingleResponse(1)),
        (multiple("plus_minus"), MultipleResponse(frozenset({0, 1, 2}))),
        (multiple("all_or_nothing"), MultipleResponse(frozenset({0, 1, 2}))),
        (select_two(), MultipleResponse(frozenset({0, 2}))),
        (order(4, "pairs"), OrderResponse((0, 1, 2, 3))),
        (match(), MatchResponse((0, 1, 2))),
        (bowtie(), BowtieResponse(frozenset({1}), frozenset({0, 2}), frozenset({1, 2}))),
        (cloze(), ClozeResponse(("PD-L1", "PD-1"))),
        (
            case(),
            CaseResponse(
                (
                    SingleResponse(1),
                    MultipleResponse(frozenset({0, 1, 2})),
                    OrderResponse((0, 1, 2)),
                )
            ),
        ),
    ]
    for item, response in perfect:
        result = score(item, response)
        assert result.full and max_points(item) == result.max, item.type


@pytest.mark.parametrize("typed", ["66", "66%", "66 %", "66 percent", "66 per cent", "66.0"])
def test_numeric_blank_accepts_a_unit_word(typed: str) -> None:
    assert blank_correct(Blank(("66%",)), typed)


@pytest.mark.parametrize("typed", ["67", "66 mg", "sixty-six"])
def test_numeric_blank_still_needs_the_number(typed: str) -> None:
    assert not blank_correct(Blank(("66%",)), typed)
