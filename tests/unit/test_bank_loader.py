"""The bank loader: what a valid file means, and what every broken file is told."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from immunoquiz.banks import BankError, bundled_and_extra, load, load_many
from immunoquiz.banks.model import (
    BowtieItem,
    CaseItem,
    ClozeItem,
    MatchItem,
    MultipleItem,
    OrderItem,
    SingleItem,
    TrueFalseItem,
)
from immunoquiz.banks.yaml_nodes import MAX_BYTES

DATA = Path(__file__).parent.parent / "data"
VALID = DATA / "valid"
BROKEN = sorted((DATA / "broken").glob("*.yaml"))
EXPECT = re.compile(rb"^# expect: (\d+):(\d+): (.*)$", re.M)

HEAD = """format: 1
bank:
  id: demo
  title: Demo
  topic: checkpoints
questions:
"""


def write(tmp_path: Path, text: str, name: str = "bank.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[tuple[int, int, str]]:
    with pytest.raises(BankError) as caught:
        load(path, use_cache=False)
    return [(p.line, p.col, p.message) for p in caught.value.problems]


# -- a valid bank --------------------------------------------------------------------


def test_all_types_bank_means_what_it_says() -> None:
    bank = load(VALID / "all_types.yaml")
    assert (bank.id, bank.topic, bank.language) == ("all-types", "checkpoints", "en-GB")
    assert bank.description is not None and bank.description.endswith("not to teach.")
    assert [s.key for s in bank.sources] == ["keynote522", "ctcae"]
    assert bank.source_map["keynote522"].url == "https://doi.org/10.1056/NEJMoa1910549"
    types = {type(q) for q in bank.questions}
    assert types == {
        SingleItem,
        MultipleItem,
        TrueFalseItem,
        ClozeItem,
        OrderItem,
        MatchItem,
        BowtieItem,
        CaseItem,
    }

    single = bank.item("pd1-where")
    assert isinstance(single, SingleItem)
    assert single.correct_index == 0
    assert single.options[1].why == "Tumour cells often express its ligand, PD-L1."
    assert (single.level, single.step, single.tags) == (
        "understanding",
        "recognize-cues",
        ("pd-1", "mechanism"),
    )
    pinned = bank.item("grade-order-pinned")
    assert pinned is not None and pinned.shuffle is False

    choose = bank.item("irae-signs-choose-2")
    assert isinstance(choose, MultipleItem)
    assert (choose.choose, choose.scoring, choose.correct_indices) == (2, "zero_one", {0, 1})
    assert choose.options[3].text == "4"  # a number is taken as the text written
    default = bank.item("plus-minus-default")
    assert isinstance(default, MultipleItem) and default.scoring == "plus_minus"

    tf = bank.item("pembro-tnbc")
    assert isinstance(tf, TrueFalseItem) and tf.answer is True
    assert tf.statement.endswith("breast cancer.")  # folded block: no trailing newline

    cloze = bank.item("pembro-cloze")
    assert isinstance(cloze, ClozeItem)
    assert cloze.segments == ("", " blocks the ", " receptor.")
    assert cloze.blanks[0].answers == ("Pembrolizumab", "Keytruda")
    dropdown = bank.item("dropdown-cloze")
    assert isinstance(dropdown, ClozeItem)
    assert dropdown.blanks[1].choices == ("1", "3", "6")
    assert dropdown.text.endswith("weeks.")  # literal block: trailing newline dropped

    match = bank.item("irae-organ")
    assert isinstance(match, MatchItem)
    assert dict(match.answer_map) == {
        "Rising ALT": "Hepatitis",
        "Low TSH": "Thyroiditis",
        "New dry cough": "Pneumonitis",
    }
    order = bank.item("colitis-steps")
    assert isinstance(order, OrderItem) and order.scoring == "pairs"
    bowtie = bank.item("colitis-bowtie")
    assert isinstance(bowtie, BowtieItem)
    assert [sum(o.correct for o in getattr(bowtie, n)) for n, _ in bowtie.PICKS] == [1, 2, 2]

    case = bank.item("colitis-case")
    assert isinstance(case, CaseItem)
    assert [p.type for p in case.parts] == [
        "single",
        "multiple",
        "true_false",
        "cloze",
        "order",
        "match",
        "bowtie",
    ]
    assert case.parts[1].update == "Day 2: 8 stools, abdominal pain, temperature 38.1 °C."
    assert bank.card_id(case) == "all-types/colitis-case"


def test_locations_and_identity_are_recorded(tmp_path: Path) -> None:
    source = VALID / "minimal.yaml"
    bank = load(source)
    assert bank.path == str(source)
    assert bank.content_hash == hashlib.sha256(source.read_bytes()).hexdigest()
    item = bank.questions[0]
    assert (item.line, item.col) == (11, 5)
    assert isinstance(item, SingleItem) and (item.options[1].line, item.options[1].col) == (16, 9)
    assert (bank.id_line, bank.id_col) == (5, 7)


def test_text_is_kept_as_written(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + """  - id: 1
    type: single
    prompt: "  [bold]Which $var {x}?  "
    options:
      - {text: 1.50, correct: true}
      - {text: 2024-01-01}
      - {text: yes}
      - {text: "tab\\there"}
    explanation: |
      Line one.
      Line two.

""",
    )
    item = load(path).questions[0]
    assert isinstance(item, SingleItem)
    assert item.id == "1"
    assert item.prompt == "  [bold]Which $var {x}?  "
    assert [o.text for o in item.options] == ["1.50", "2024-01-01", "yes", "tab\there"]
    assert item.explanation == "Line one.\nLine two."


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (VALID / "minimal.yaml").read_bytes())
    assert load(path).id == "minimal"


# -- broken banks --------------------------------------------------------------------


def test_there_is_a_broken_file_per_rule() -> None:
    assert len(BROKEN) >= 25


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_file_reports_what_its_comment_expects(path: Path) -> None:
    expected = [
        (int(line), int(col), text.decode())
        for line, col, text in EXPECT.findall(path.read_bytes())
    ]
    assert expected, f"{path.name} has no '# expect: LINE:COL: message' line"
    got = problems_of(path)
    assert len(got) == len(expected), got
    for line, col, text in expected:
        assert any((line, col) == (g[0], g[1]) and text in g[2] for g in got), (
            f"expected {line}:{col}: {text}\ngot {got}"
        )


def test_every_problem_of_a_file_is_reported_in_one_run() -> None:
    got = problems_of(DATA / "broken" / "three_problems.yaml")
    assert len(got) == 3
    assert {g[0] for g in got} == {18, 20, 29}


def test_problem_lines_read_as_file_line_col_message() -> None:
    path = DATA / "broken" / "unknown_option_key.yaml"
    with pytest.raises(BankError) as caught:
        load(path)
    assert str(caught.value.problems[0]) == (
        f"{path}:15:19: unknown key 'corect' in option (did you mean 'correct'?)"
    )


def test_utf16_file_is_told_to_save_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes((VALID / "minimal.yaml").read_text().encode("utf-16"))
    assert problems_of(path) == [(1, 1, "the file is saved as UTF-16; save it as UTF-8")]


def test_oversized_file_is_refused_without_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"format: 1\n" + b"#" * MAX_BYTES)
    [(line, col, message)] = problems_of(path)
    assert (line, col) == (1, 1)
    assert "a bank may be at most 8 MiB" in message
    # Just over the limit is "over 8,388,608 bytes", never a rounded "8.0 MiB".
    assert "over 8,388,608 bytes" in message and "8.0" not in message


def test_deep_alias_bomb_is_refused(tmp_path: Path) -> None:
    # 30 levels of 10 aliases each: 10**30 nodes if expanded.
    lines = ["format: 1", "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 30)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    [(_, _, message)] = problems_of(path)
    assert message.startswith("aliases repeat more than")


def test_alias_bomb_is_refused_beside_an_ampersand_in_prose(tmp_path: Path) -> None:
    # "Sharp & Dohme" is not an anchor; the anchors after it still get the alias check.
    lines = ["format: 1", 'source: "Merck Sharp & Dohme"']
    lines += ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: {{a: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]}}" for i in range(1, 30)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    [(_, _, message)] = problems_of(path)
    assert message.startswith("aliases repeat more than")


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + """  - id: q1
    type: single
    prompt: Which grade?
    options: &grades
      - {text: Grade 1}
      - {text: Grade 2, correct: true}
    explanation: Because.
  - id: q2
    type: single
    prompt: And now?
    options: *grades
    explanation: Because.
""",
    )
    bank = load(path)
    assert bank.questions[0].options == bank.questions[1].options  # type: ignore[attr-defined]


def test_many_tab_lines_are_summarised(tmp_path: Path) -> None:
    path = write(tmp_path, "format: 1\nbank:\n" + "\tid: x\n" * 30)
    got = problems_of(path)
    assert len(got) == 21
    assert got[-1][:3] == (23, 1, "... and 10 more like these from here on")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("on", "write true instead of 'on'"),
        ("No", "write false instead of 'No'"),
        ('"true"', "without quotes; 'true' in quotes is text"),
        ("1", "must be true or false, not '1'"),
    ],
)
def test_answer_must_be_a_plain_boolean(tmp_path: Path, value: str, message: str) -> None:
    path = write(
        tmp_path,
        HEAD
        + f"""  - id: q1
    type: true_false
    statement: PD-1 is on T cells.
    answer: {value}
    explanation: E.
""",
    )
    [(line, col, got)] = problems_of(path)
    assert (line, col) == (10, 13)
    assert message in got


def test_unreadable_paths_are_problems_not_crashes(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "missing.yaml") == [(1, 1, "no such file")]
    assert problems_of(tmp_path) == [(1, 1, "this is a folder, not a bank file")]


# -- many banks ----------------------------------------------------------------------


def _bank(bank_id: str) -> str:
    return (VALID / "minimal.yaml").read_text().replace("id: minimal", f"id: {bank_id}")


def test_load_many_searches_folders_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    write(tmp_path, _bank("two"), "b/two.yml")
    write(tmp_path, _bank("one"), "a.yaml")
    write(tmp_path, _bank("hidden"), ".hidden/h.yaml")
    write(tmp_path, "not a bank", "notes.txt")
    banks, problems = load_many([tmp_path, tmp_path / "a.yaml"])
    assert problems == []
    assert [b.id for b in banks] == ["one", "two"]
    assert banks[0].path == str(tmp_path / "a.yaml")


def test_load_many_reports_each_file_and_keeps_the_good_ones(tmp_path: Path) -> None:
    write(tmp_path, _bank("good"), "1-good.yaml")
    write(tmp_path, _bank("bad").replace("correct: true", "corect: true"), "2-bad.yaml")
    (tmp_path / "empty").mkdir()
    banks, problems = load_many([tmp_path, tmp_path / "nowhere.yaml", tmp_path / "empty"])
    assert [b.id for b in banks] == ["good"]
    assert [(Path(p.path).name, p.message.split(" (")[0]) for p in problems] == [
        ("2-bad.yaml", "unknown key 'corect' in option"),
        ("empty", "no bank files"),
        ("nowhere.yaml", "no such file or folder"),
    ]


def test_a_bank_id_used_twice_is_located_at_the_second(tmp_path: Path) -> None:
    first = write(tmp_path, _bank("same"), "a.yaml")
    second = write(tmp_path, _bank("same"), "b.yaml")
    banks, problems = load_many([tmp_path])
    assert [b.path for b in banks] == [str(first)]
    [p] = problems
    assert (p.path, p.line, p.col) == (str(second), 5, 7)
    assert p.message.startswith(f"bank id 'same' is already used by {first}")


def test_bundled_and_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    write(bundled, _bank("shipped"), "shipped.yaml")
    extra = write(tmp_path, _bank("mine"), "mine.yaml")
    monkeypatch.setattr("immunoquiz.paths.bundled_banks_dir", lambda: bundled)
    banks, problems = bundled_and_extra([extra])
    assert ([b.id for b in banks], problems) == (["shipped", "mine"], [])
    monkeypatch.setattr("immunoquiz.paths.bundled_banks_dir", lambda: tmp_path / "none")
    banks, problems = bundled_and_extra([])
    assert (banks, problems) == ([], [])
