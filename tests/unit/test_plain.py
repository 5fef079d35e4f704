"""Plain line mode: typed answers map back to bank indices, however the options were shown."""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from engine_banks import EVERY_TYPE, every_type_bank, two_topics

from immunoquiz import scheduling
from immunoquiz.banks.model import ITEM_TYPES, Bank, Blank
from immunoquiz.plain import Console, help_text, run_plain
from immunoquiz.plain.display import Display
from immunoquiz.plain.parse import (
    AnswerError,
    parse_blank,
    parse_bowtie_group,
    parse_bowtie_line,
    parse_match,
    parse_multiple,
    parse_order,
    parse_single,
    parse_true_false,
)
from immunoquiz.plain.render import body, feedback, question
from immunoquiz.plain.syntax import SYNTAX
from immunoquiz.present import layout
from immunoquiz.store import Store
from immunoquiz.study import Filters, open_session

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
# Shown order: display 1 is bank option 2, display 2 is bank 0, display 3 is bank 1.
SHOWN = Display({"options": (2, 0, 1)})


def test_single_and_multiple_map_display_numbers_to_bank_indices() -> None:
    assert parse_single("2", SHOWN) == 0
    assert parse_single(" 1. ", SHOWN) == 2
    assert parse_multiple("1,3", SHOWN) == frozenset({2, 1})
    assert parse_multiple("3 2 3", SHOWN) == frozenset({1, 0})


@pytest.mark.parametrize(
    ("line", "message"),
    [("", "exactly one"), ("1 2", "exactly one"), ("4", "no option 4"), ("x", "not a number")],
)
def test_single_explains_what_is_wrong(line: str, message: str) -> None:
    with pytest.raises(AnswerError, match=message):
        parse_single(line, SHOWN)


def test_true_false() -> None:
    assert parse_true_false("T") is True and parse_true_false("false") is False
    with pytest.raises(AnswerError, match="t .*or f"):
        parse_true_false("yes")


def test_cloze_blanks_typed_or_chosen_by_number() -> None:
    free, choice = EVERY_TYPE["cloze"].blanks  # type: ignore[attr-defined]
    assert parse_blank("  Keytruda ", free, None) == "Keytruda"
    assert parse_blank("-", free, None) == ""
    assert parse_blank("\\q", free, None) == "q"
    shown = (2, 0, 1)  # a. HER2, b. PD-1, c. CTLA-4
    assert parse_blank("b", choice, shown) == "PD-1"
    assert parse_blank("ctla-4", choice, shown) == "CTLA-4"
    grades = Blank(("2",), ("1", "2", "3"))
    assert parse_blank("3", grades, (2, 1, 0)) == "3"  # typed text wins over a label
    assert parse_blank("a", grades, (2, 1, 0)) == "3"
    with pytest.raises(AnswerError, match="not one of the choices"):
        parse_blank("tamoxifen", choice, shown)
    with pytest.raises(AnswerError, match="leave it empty"):
        parse_blank("", free, None)


def test_order_is_the_learners_sequence_of_shown_numbers() -> None:
    shown = Display({"items": (3, 1, 0, 2)})
    assert parse_order("3 2 4 1", shown) == (0, 1, 2, 3)
    assert parse_order("3241", shown) == (0, 1, 2, 3)
    with pytest.raises(AnswerError, match="missing: 4"):
        parse_order("1 2 3 3", shown)


def test_match_pairs_or_one_letter_per_row() -> None:
    item = EVERY_TYPE["match"]
    shown = Display({"rows": (2, 0, 1)})
    expected = (1, 2, 0)  # bank row -> column
    assert parse_match("1a 2b 3c", item, shown) == expected  # type: ignore[arg-type]
    assert parse_match("a b c", item, shown) == expected  # type: ignore[arg-type]
    assert parse_match("3c,1a,2b", item, shown) == expected  # type: ignore[arg-type]
    with pytest.raises(AnswerError, match="missing row"):
        parse_match("1a 2b", item, shown)  # type: ignore[arg-type]
    with pytest.raises(AnswerError, match="no column 'z'"):
        parse_match("1z 2b 3c", item, shown)  # type: ignore[arg-type]


def test_bowtie_one_labelled_line_or_three_lines() -> None:
    item = EVERY_TYPE["bowtie"]
    shown = Display({"conditions": (1, 0, 2), "actions": (0, 1, 2, 3),
                     "parameters": (3, 2, 1, 0)})  # fmt: skip
    picks = parse_bowtie_line("c2 a1 a3 p4 p2", item, shown)  # type: ignore[arg-type]
    assert picks == {"conditions": {0}, "actions": {0, 2}, "parameters": {0, 2}}
    assert parse_bowtie_line("2", item, shown) is None  # type: ignore[arg-type]
    assert parse_bowtie_group("1 3", "actions", shown) == {0, 2}
    with pytest.raises(AnswerError, match="label each pick"):
        parse_bowtie_line("x1 a2", item, shown)  # type: ignore[arg-type]


def test_display_keeps_bank_order_when_shuffle_is_off() -> None:
    from dataclasses import replace

    item = replace(EVERY_TYPE["single"], shuffle=False)  # type: ignore[type-var]
    for seed in range(5):
        assert layout(item, seed).shown("options") == (0, 1, 2)
    order = EVERY_TYPE["order"]
    for seed in range(20):  # an order item is never shown already in order
        assert layout(order, seed).shown("items") != (0, 1, 2, 3)  # type: ignore[arg-type]


def test_help_documents_every_item_type() -> None:
    documented = {t for t, *_ in SYNTAX}
    assert documented == set(ITEM_TYPES)
    text = help_text()
    assert "1,3" in text and "c1 a2 a4 p1 p3" in text and "3 1 2 4" in text


def test_help_is_part_of_the_command_help() -> None:
    from immunoquiz.commands import study

    parser = argparse.ArgumentParser(prog="immunoquiz")
    study.register(parser.add_subparsers(), argparse.ArgumentParser(add_help=False))
    for command in ("study", "practice"):
        out = io.StringIO()
        sub = parser._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
        sub.print_help(out)
        assert help_text().splitlines()[3] in out.getvalue()
        assert "IMMUNOQUIZ_NOW" in out.getvalue()


def test_bank_text_is_shown_literally_without_escape_codes() -> None:
    from dataclasses import replace

    item = replace(EVERY_TYPE["single"], prompt="Is [bold]this[/] \x1b[31mred\x1b[0m?")  # type: ignore[type-var]
    text = "\n".join(body(item, layout(item, 1)))
    assert "\x1b" not in text
    assert "[bold]this[/]" in text and "[/] red?" in text and "[31m" not in text


# --- whole sessions, in process ---------------------------------------------------------


class SavedCheckingOutput(io.StringIO):
    """Fails the test if feedback ('Saved') is printed before its answer is in the log."""

    def __init__(self, db: Path) -> None:
        super().__init__()
        self.db = db
        self.saved = 0

    def write(self, s: str) -> int:
        if s.startswith(("Correct", "Incorrect", "Partly correct")) and "Saved" in s:
            self.saved += 1
            with Store.open(self.db) as other:
                logged = other.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
            assert logged >= self.saved, "feedback printed before the answer was saved"
        return super().write(s)


def run(  # type: ignore[no-untyped-def]
    tmp_path: Path, lines: str, *, mode: str = "practice", banks=None, ids: bool = True, **kw
) -> tuple[str, Store]:
    store = Store.open(tmp_path)
    profile = store.get_profile("anna") or store.create_profile("anna", T0)
    session = open_session(
        store, profile, banks or [every_type_bank()], mode=mode, now=lambda: T0, tz=UTC,  # type: ignore[arg-type]
        scheduler=scheduling.make_scheduler(fuzz=False), seed=1, **kw,
    )  # fmt: skip
    out = SavedCheckingOutput(tmp_path)
    factory = None
    if mode == "study":

        def factory():  # type: ignore[no-untyped-def]
            return open_session(store, profile, banks or [every_type_bank()], mode="practice",
                                now=lambda: T0, tz=UTC, seed=1, **kw)  # fmt: skip

    code = run_plain(
        session, Console(io.StringIO(lines), out), seed=2, practice_factory=factory, show_ids=ids
    )
    assert code == 0
    return out.getvalue(), store


def test_malformed_answer_is_explained_and_asked_again(tmp_path: Path) -> None:
    only = Filters(banks=frozenset({"types"}))
    banks = [every_type_bank()]
    out, store = run(tmp_path, "7\nfoo\nq\n", banks=banks, filters=only)
    assert out.count("Not understood") == 2
    assert "Type ? for help" in out
    assert store.reviews(store.get_profile("anna")) == []  # type: ignore[arg-type]
    assert "\x1b" not in out


def test_every_item_type_can_be_answered_and_is_saved(tmp_path: Path) -> None:
    """Answer each of the nine items right, reading the shown numbers off the output."""
    store = Store.open(tmp_path)
    profile = store.create_profile("anna", T0)
    session = open_session(store, profile, [every_type_bank()], mode="practice",
                           now=lambda: T0, seed=3)  # fmt: skip
    inp = _Answerer()
    out = _Tee(inp)
    assert run_plain(session, Console(inp, out), seed=4, show_ids=True) == 0
    log = store.reviews(profile)
    assert len(log) == len(EVERY_TYPE)
    assert all(r.full for r in log), out.getvalue()
    assert "You have practised every matching item." in out.getvalue()


class _Tee(io.StringIO):
    def __init__(self, answerer: _Answerer) -> None:
        super().__init__()
        self.answerer = answerer

    def write(self, s: str) -> int:
        self.answerer.seen.append(s)
        return super().write(s)


class _Answerer(io.StringIO):
    """Reads the printed question and types the right answer (a scripted screen reader user)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []
        self.pending: list[str] = []

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        if not self.pending:
            self.pending = self._answer("".join(self.seen))
            self.seen.clear()
        return self.pending.pop(0) + "\n" if self.pending else ""

    @staticmethod
    def _number(text: str, label: str, prefix: str = "") -> str:
        for line in text.splitlines():
            stripped = line.strip()
            if stripped.endswith(label) and stripped.startswith(prefix):
                return stripped[len(prefix) :].split(".")[0]
        raise AssertionError(f"{label!r} not shown in {text!r}")

    def _answer(self, text: str) -> list[str]:
        n = self._number
        if "Question" not in text and "Part 2" not in text:
            return []
        if "(types/single)" in text:
            return [n(text, "Activated T cells")]
        if "(types/multiple)" in text:
            return [n(text, "Pembrolizumab") + "," + n(text, "Nivolumab")]
        if "(types/select-n)" in text:
            return [n(text, "A") + " " + n(text, "B")]
        if "(types/tf)" in text:
            return ["t"]
        if "(types/cloze)" in text:
            return ["keytruda", "b" if "b. PD-1" in text else "PD-1"]
        if "(types/order)" in text:
            return [" ".join(n(text, s) for s in ("Assess", "Grade", "Hold the drug",
                                                  "Start steroids"))]  # fmt: skip
        if "(types/match)" in text:
            rows = [n(text, r) for r in ("4-6 stools a day", "Life-threatening colitis",
                                         "Under 4 stools a day")]  # fmt: skip
            return [f"{rows[0]}b {rows[1]}c {rows[2]}a"]
        if "(types/bowtie)" in text:
            c = n(text, "Colitis", "c")
            a = [n(text, x, "a") for x in ("Hold ICI", "Start steroids")]
            p = [n(text, x, "p") for x in ("Stool count", "Abdominal pain")]
            return [c, " ".join(a), " ".join(p)]  # the three-line form
        if "(types/case)" in text:
            return [n(text.split("Part 1")[1], "Activated T cells"), "t"]
        return []


def test_quit_keeps_every_answer_and_undo_asks_again(tmp_path: Path) -> None:
    banks = two_topics()
    # Option 1 ... the right answer's number depends on the shuffle: answer, undo, answer, quit.
    out, store = run(tmp_path, "1\nu\n2\nq\n", mode="study", banks=banks)
    profile = store.get_profile("anna")
    assert profile
    log = store.reviews(profile, include_undone=True)
    assert [r.undone for r in log] == [True, False]
    assert log[0].card_id == log[1].card_id
    assert "Undid your answer to: Question a1? It is asked again" in out
    assert out.count("(alpha/a1)") == 2
    assert "Session summary: 1 answered" in out


def test_end_of_input_ends_cleanly_and_offers_practice_when_nothing_is_due(tmp_path: Path) -> None:
    banks = two_topics()
    with Store.open(tmp_path) as store:  # no learning ahead: a miss waits for its step
        store.set_setting(store.create_profile("anna", T0), "learn_ahead_minutes", "0")
    out, store = run(tmp_path, "1\n1\ny\n1\n", mode="study", banks=banks, new_limit=2)
    assert "Nothing is due now. The next card is due in" in out
    assert "Practise these 7 questions anyway?" in out
    assert "Practice session: 7 items" in out
    modes = [r.mode for r in store.reviews(store.get_profile("anna"))]  # type: ignore[arg-type]
    assert modes == ["study", "study", "practice"]


def test_feedback_gives_rationale_sources_and_the_right_answer(tmp_path: Path) -> None:
    from immunoquiz.responses import SingleResponse

    store = Store.open(tmp_path)
    profile = store.create_profile("anna", T0)
    s = open_session(store, profile, [every_type_bank()], mode="practice", now=lambda: T0,
                     filters=Filters(), seed=1)  # fmt: skip
    card = next(c for c in s.catalog.values() if c.item.id == "single")
    display = Display({"options": (1, 2, 0)})
    lines = "\n".join(feedback(s.answer(card, SingleResponse(1), 2.0), display))
    assert lines.startswith("Incorrect: 0/1. Saved (practice")
    assert lines.splitlines()[1] == "The answer: 3. Activated T cells.", "the answer first"
    assert "  3. Activated T cells\n     Correct, not chosen. Inhibitory receptor" in lines
    assert "  1. Tumour cells\n     Your answer, not correct. They express PD-L1." in lines
    assert "Rationale: Anti-PD-1 blocks the receptor on T cells." in lines
    assert "[ref1] Example citation https://example.org/1" in lines
    q = "\n".join(question(4, card.bank, card.item, display))
    assert q.splitlines()[0] == "Question 4: single choice", "no id read aloud"
    q = "\n".join(question(4, card.bank, card.item, display, show_ids=True))
    assert q.startswith("Question 4: single choice (types/single)")


def test_readme_shows_the_same_answer_syntax() -> None:
    readme = Path(__file__).resolve().parents[2] / "README.md"
    assert help_text() in readme.read_text(encoding="utf-8"), (
        "README.md's plain-mode syntax is out of date: paste the output of "
        "python -c 'from immunoquiz.plain import help_text; print(help_text())'"
    )


def test_plain_mode_imports_no_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys, immunoquiz.plain, immunoquiz.commands.study, immunoquiz.commands.stats;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_single_letters_in_a_blank_are_answers_not_commands(tmp_path: Path) -> None:
    from immunoquiz.banks.model import ClozeItem

    item = ClozeItem(
        id="grade",
        text="Grade {{e}}.",
        segments=("Grade ", "."),
        blanks=(Blank(("e",), ("a", "b", "c", "d", "e")),),
        explanation="Letters.",
        shuffle=False,
    )
    from engine_banks import bank

    out, store = run(tmp_path, "e\n", banks=[bank("letters", "tnbc", [item])])
    [row] = store.reviews(store.get_profile("anna"))  # type: ignore[arg-type]
    assert row.full, out


def _only(item_id: str) -> Bank:
    b = every_type_bank()
    return dataclasses.replace(b, questions=tuple(q for q in b.questions if q.id == item_id))


def test_u_inside_a_case_goes_back_one_part_and_keeps_the_others(tmp_path: Path) -> None:
    # Part 1 (single, 3 options), then u on part 2: part 1 is asked again, part 2 after it.
    out, store = run(tmp_path, "1\nu\n2\nt\n", banks=[_only("case")], ids=False)
    assert "Back to part 1 of 2; your other answers stay." in out
    assert out.count("Part 1 of 2: single choice") == 2
    assert out.count("Part 2 of 2: true or false") == 2
    (review,) = store.reviews(store.get_profile("anna"))  # type: ignore[arg-type]
    assert json.loads(review.response)["parts"][1] == {"kind": "true_false", "value": True}


def test_undo_asks_again_with_the_options_in_the_same_order(tmp_path: Path) -> None:
    # Answer question 1, then undo at question 2's prompt: question 1 comes back as question 3.
    out, _store = run(tmp_path, "1\nu\n1\nq\n", banks=two_topics(), ids=False)
    blocks = re.split(r"\nQuestion \d+: ", out)
    assert "Undid your answer to: " in blocks[2]

    def options(block: str) -> list[str]:
        return [line for line in block.splitlines()[1:6] if line.startswith("  ")]

    assert options(blocks[3]) == options(blocks[1]), "same options under the same numbers"
    assert blocks[3].splitlines()[1] == blocks[1].splitlines()[1], "the same question"


def test_summary_lists_questions_to_revisit_by_their_text(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:  # no learning ahead: the miss waits for its step
        store.set_setting(store.create_profile("anna", T0), "learn_ahead_minutes", "0")
    banks = [  # options in bank order: 1 is right, 2 is wrong
        dataclasses.replace(b, questions=tuple(dataclasses.replace(q, shuffle=False)
                                               for q in b.questions))
        for b in two_topics()
    ]  # fmt: skip
    out, _store = run(tmp_path, "1\n2\n", mode="study", banks=banks, new_limit=2, ids=False)
    summary = out.split("Session summary")[1]
    assert "To revisit:\n  1. Question " in summary
    assert "alpha/" not in out and "beta/" not in out, "no ids anywhere without --ids"
    assert "Still learning (each comes back a few minutes after a miss):\n  1. Question" in summary
