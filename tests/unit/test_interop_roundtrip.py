"""Export -> import gives the same items back; the bundled banks export to every format;
the Anki deck opens in Anki itself (the `anki` package of the test extra)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from interop_expect import comparable, expected

from immunoquiz.banks import load
from immunoquiz.banks.interop.anki_write import write_apkg
from immunoquiz.banks.interop.gift_write import write_gift
from immunoquiz.banks.interop.importer import import_file
from immunoquiz.banks.interop.sources_block import split_sources
from immunoquiz.banks.interop.units import Unit, units
from immunoquiz.banks.interop.xml_write import write_moodle_xml
from immunoquiz.banks.model import (
    Bank,
    Blank,
    BowtieItem,
    ClozeItem,
    Item,
    MatchItem,
    MultipleItem,
    Option,
    OrderItem,
    SingleItem,
    Source,
    TrueFalseItem,
)
from immunoquiz.cli import main
from immunoquiz.paths import bundled_banks_dir

BUNDLED = sorted(bundled_banks_dir().glob("*.yaml"))
ALL_TYPES = Path(__file__).parent.parent / "data" / "valid" / "all_types.yaml"


def reimport(bank: Bank, fmt: str) -> tuple[list[dict[str, Any]], list[str]]:
    text, notes = write_gift(bank) if fmt == "gift" else write_moodle_xml(bank)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, f"export.{'gift' if fmt == 'gift' else 'xml'}")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        result = import_file(path)
    assert result.skipped == [], result.skipped
    assert [p for p in result.problems if p.severity == "error"] == []
    return result.items, notes


def gift_keeps_type(unit: Unit) -> bool:
    """A drop-down cloze is GIFT's missing-word multiple choice, back as a single item."""
    item = unit.item
    if not isinstance(item, ClozeItem) or not item.blanks[0].choices:
        return True
    right = {a.casefold() for a in item.blanks[0].answers}
    return all(c.casefold() in right for c in item.blanks[0].choices)


def assert_same(bank: Bank, fmt: str) -> None:
    items, notes = reimport(bank, fmt)
    by_id = {u.id: u for u in units(bank)}
    not_exported = {n.split(":")[0] for n in notes if ": not exported to " in n}
    assert [i["id"] for i in items] == [u for u in by_id if u not in not_exported]
    known = bank.source_map
    for item in items:
        unit = by_id[item["id"]]
        want = expected(unit)
        if fmt == "gift" and not gift_keeps_type(unit):
            assert item["type"] in ("single", "multiple")  # two right answers: multiple
            continue
        if fmt == "gift" and item["type"] == "cloze":
            want.pop("choices", None)  # a drop-down without a wrong choice is typed
        assert comparable(item) == want
        explanation, cited = split_sources(unit.feedback)
        if not (fmt == "gift" and item["type"] == "order"):  # no general feedback there
            assert item["explanation"] == explanation
            assert item.get("sources", []) == [c.key for c in cited]
            assert all(known[c.key].cite == c.cite for c in cited)
        assert tuple(item.get("tags", ())) == tuple(t for t in unit.tags)


@pytest.mark.parametrize("bank_file", [*BUNDLED, ALL_TYPES], ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["gift", "moodle-xml"])
def test_bundled_banks_come_back_the_same(bank_file: Path, fmt: str) -> None:
    assert_same(load(bank_file, use_cache=False), fmt)


def test_what_gift_cannot_hold_is_listed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "all.txt"  # written whatever the extension
    code = main(["export", str(ALL_TYPES), "--format", "gift", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 0
    assert f"{ALL_TYPES}: colitis-case-bowtie: not exported to GIFT: GIFT has no bow-tie" in err
    assert "colitis-case-steps: the ordering GIFT syntax has no general feedback" in err
    assert out.read_text(encoding="utf-8").startswith("// Exported by immunoquiz")


def test_a_text_moodle_would_read_back_changed_is_not_exported_to_gift() -> None:
    # Moodle's GIFT reader turns "&&058;" into ":" (its own placeholder for "\\:"): the item
    # is listed as not exported instead of coming back with another text. Moodle XML keeps it.
    odd = TrueFalseItem(id="odd", explanation="x", statement="a &&058; b", answer=True)
    plain = TrueFalseItem(id="plain", explanation="x", statement="a : b", answer=True)
    bank = Bank(id="b", title="B", topic="checkpoints", questions=(odd, plain), sources=())
    text, notes = write_gift(bank)
    assert notes == [
        "odd: not exported to GIFT: '&&058;' in its text would be read back by Moodle"
        " as a character"
    ]
    assert "::plain::" in text and "::odd::" not in text
    assert_same(bank, "gift")
    assert_same(bank, "moodle-xml")


@pytest.mark.parametrize("bank_file", BUNDLED, ids=lambda p: p.stem)
def test_bundled_banks_export_to_all_three_formats(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bank_file: Path
) -> None:
    from anki.collection import Collection, ImportAnkiPackageRequest

    bank = load(bank_file, use_cache=False)
    for fmt in ("gift", "moodle-xml", "anki"):
        out = tmp_path / f"{bank.id}.{fmt}"
        assert main(["export", str(bank_file), "--format", fmt, "-o", str(out)]) == 0
        assert out.stat().st_size > 0
        assert capsys.readouterr().err.splitlines()[-1].startswith("exported ")
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(tmp_path / f"{bank.id}.anki"))
        )
        notes = [col.get_note(n) for n in col.find_notes("")]
        assert sorted(n.fields[2] for n in notes) == sorted(bank.card_id(q) for q in bank.questions)
    finally:
        col.close()


def test_a_reexported_deck_updates_its_notes_in_anki(tmp_path: Path) -> None:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

    bank = load(ALL_TYPES, use_cache=False)
    first, second = tmp_path / "v1.apkg", tmp_path / "v2.apkg"
    assert write_apkg(bank, str(first), timestamp=1_700_000_000) == len(bank.questions)
    edited = Bank(
        id=bank.id,
        title=bank.title,
        topic=bank.topic,
        sources=bank.sources,
        questions=tuple(
            _with_explanation(q, "Rewritten rationale.") if q.id == "pd1-where" else q
            for q in bank.questions
        ),
    )
    write_apkg(edited, str(second), timestamp=1_700_086_400)  # a day later
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        # Anki's own default: update a note when the incoming one is newer.
        newer = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
        options = ImportAnkiPackageOptions(update_notes=newer, update_notetypes=newer)
        for deck in (first, second):
            col.import_anki_package(
                ImportAnkiPackageRequest(package_path=str(deck), options=options)
            )
        notes = [col.get_note(n) for n in col.find_notes("")]
        assert len(notes) == len(bank.questions)  # updated, not duplicated
        pd1 = next(n for n in notes if n.fields[2] == "all-types/pd1-where")
        assert "Rewritten rationale." in pd1.fields[1]
        assert "Activated T cells" in pd1.fields[0]
        assert "PD-1 is an inhibitory receptor" in pd1.fields[1]  # the reason, on the back
        assert "Schmid P et al." in pd1.fields[1]  # and the source
        assert set(pd1.tags) >= {
            "checkpoints",
            "level::understanding",
            "step::recognize-cues",
            "pd-1",
        }
    finally:
        col.close()


def _with_explanation(item: Item, text: str) -> Item:
    import dataclasses

    return dataclasses.replace(item, explanation=text)


def test_export_refuses_an_invalid_bank(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: 1\nbank: {id: x, title: X, topic: tnbc}\nquestions: []\n", encoding="utf-8"
    )
    assert main(["export", str(bad), "--format", "gift", "-o", str(tmp_path / "x.gift")]) == 1
    assert capsys.readouterr().err.startswith(f"{bad}:3:")
    assert not (tmp_path / "x.gift").exists()
    assert main(["export", str(tmp_path / "none.yaml"), "--format", "gift", "-o", "x"]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["export", str(ALL_TYPES), "--format", "pdf", "-o", "x"])
    assert exc.value.code == 2


# -- generated banks ------------------------------------------------------------------

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 éµ≥→.,;!?'\"()-_/"
_SPECIAL = _PLAIN + "[]{}<>&#=~%*:\\|@$\n"


def _clean_text(alphabet: str, size: int = 24) -> st.SearchStrategy[str]:
    def tidy(raw: str) -> str:
        lines = [line.strip() for line in raw.strip().split("\n")]
        return "\n".join(line for line in lines if line)

    return st.text(alphabet, min_size=1, max_size=size).map(tidy).filter(bool)


TEXT = _clean_text(_SPECIAL)
SAFE = _clean_text(_PLAIN.replace("/", "").replace("-", ""), 16).filter(
    lambda t: "\n" not in t and t != "0"
)


@st.composite
def options(draw: st.DrawFn, n_correct: int | None = None) -> tuple[Option, ...]:
    texts = draw(st.lists(TEXT, min_size=2, max_size=6, unique=True))
    if n_correct is None:
        right = draw(st.sets(st.integers(0, len(texts) - 1), min_size=1))
    else:
        right = set(range(n_correct))
    whys = draw(st.lists(st.none() | TEXT, min_size=len(texts), max_size=len(texts)))
    return tuple(Option(t, i in right, w) for i, (t, w) in enumerate(zip(texts, whys, strict=True)))


@st.composite
def items(draw: st.DrawFn, number: int, source_keys: list[str]) -> Item:
    kind = draw(
        st.sampled_from(["single", "multiple", "true_false", "cloze", "match", "order", "bowtie"])
    )
    common: dict[str, Any] = {
        "id": f"q{number}",
        "explanation": draw(TEXT),
        "sources": tuple(draw(st.lists(st.sampled_from(source_keys), unique=True)))
        if source_keys
        else (),
        "tags": tuple(draw(st.lists(st.sampled_from(["pd-1", "tnbc", "irae"]), unique=True))),
    }
    if kind == "single":
        opts = draw(options(n_correct=1))
        return SingleItem(prompt=draw(TEXT), options=opts, **common)
    if kind == "multiple":
        return MultipleItem(prompt=draw(TEXT), options=draw(options()), **common)
    if kind == "true_false":
        return TrueFalseItem(statement=draw(TEXT), answer=draw(st.booleans()), **common)
    if kind == "cloze":
        before = draw(st.sampled_from(["", "Blocks"]) | SAFE)
        after = draw(st.sampled_from(["", " on T cells."])) if before else " on T cells."
        answers = tuple(draw(st.lists(SAFE, min_size=1, max_size=3, unique_by=str.casefold)))
        choices = None
        if draw(st.booleans()):
            extra = [
                c
                for c in draw(st.lists(SAFE, max_size=3))
                if c.casefold() not in {a.casefold() for a in answers}
            ]
            choices = tuple(dict.fromkeys([*answers, *extra]))
        gap = "{{" + "|".join(answers) + "}}"
        text = f"{before} {gap}{after}" if before else f"{gap}{after}"
        segments = (f"{before} " if before else "", after)
        return ClozeItem(text=text, segments=segments, blanks=(Blank(answers, choices),), **common)
    if kind == "match":
        rows = tuple(
            draw(
                st.lists(TEXT.filter(lambda t: "->" not in t), min_size=1, max_size=4, unique=True)
            )
        )
        columns = tuple(draw(st.lists(SAFE, min_size=2, max_size=4, unique=True)))
        answer = tuple(
            draw(st.lists(st.integers(0, len(columns) - 1), min_size=len(rows), max_size=len(rows)))
        )
        return MatchItem(prompt=draw(TEXT), rows=rows, columns=columns, answer=answer, **common)
    if kind == "order":
        steps = tuple(draw(st.lists(SAFE, min_size=2, max_size=6, unique=True)))
        return OrderItem(prompt=draw(SAFE), items=steps, **common)
    embedded = SAFE.filter(lambda t: not t.startswith(("=", "%")))
    lists = []
    for n in (1, 2, 2):
        texts = draw(st.lists(embedded, min_size=n + 1, max_size=4, unique=True))
        lists.append(
            tuple(Option(t, i < n, draw(st.none() | embedded)) for i, t in enumerate(texts))
        )
    return BowtieItem(
        prompt=draw(TEXT), conditions=lists[0], actions=lists[1], parameters=lists[2], **common
    )


@st.composite
def banks(draw: st.DrawFn) -> Bank:
    keys = draw(st.lists(st.sampled_from(["keynote522", "ctcae", "esmo-2022"]), unique=True))
    sources = tuple(
        # A citation travels as one line of the sources block, its spaces folded (as an
        # author writes it), so runs of spaces are not generated here.
        Source(
            k, " ".join(draw(SAFE).split()), draw(st.none() | st.just(f"https://example.org/{k}"))
        )
        for k in keys
    )
    n = draw(st.integers(1, 5))
    questions = tuple(draw(items(i, keys)) for i in range(1, n + 1))
    return Bank(
        id="generated", title="Generated", topic="checkpoints", questions=questions, sources=sources
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bank=banks())
def test_generated_banks_round_trip_through_gift(bank: Bank) -> None:
    assert_same(bank, "gift")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bank=banks())
def test_generated_banks_round_trip_through_moodle_xml(bank: Bank) -> None:
    assert_same(bank, "moodle-xml")
