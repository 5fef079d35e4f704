"""`immunoquiz import`: what an educator sees for real files, and what scripts rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from immunoquiz.banks import load
from immunoquiz.banks.interop import importer
from immunoquiz.banks.lint import MISSING_EXPLANATION, lint
from immunoquiz.cli import main

DATA = Path(__file__).parent.parent / "data" / "interop"
EDUCATOR = DATA / "educator.gift"
MIXED = DATA / "mixed_export.xml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["import", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_educator_gift_imports_and_lists_what_was_skipped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "edu.yaml"
    code, out, err = run(capsys, str(EDUCATOR), "-o", str(out_file), "--topic", "checkpoints")
    assert code == 0
    assert out == ""
    skipped = [line for line in err.splitlines() if ": not imported: " in line]
    assert skipped == [
        f"{EDUCATOR}:43:1: not imported: essay question 'Reflection': an essay needs a "
        "human grader, which immunoquiz has not",
        f"{EDUCATOR}:45:1: not imported: numerical question 'Dose': numerical answers "
        "with a tolerance have no counterpart in immunoquiz",
        f"{EDUCATOR}:54:1: not imported: description question 'Introduction to the next "
        "section on TNBC.': a description is text without a question",
        f"{EDUCATOR}:56:1: not imported: a '{{' or '}}' is missing: Moodle cannot find where "
        "the answers are",
    ]
    assert f"{EDUCATOR}:28:1: warning: 'grade-the-diarrhoea': answer 'Grade 3' earned 50%" in err
    assert err.splitlines()[-1] == (f"imported 7 items to {out_file}, 4 questions not imported")
    bank = load(out_file, use_cache=False)  # the loader itself accepts the output
    assert bank.topic == "checkpoints"
    assert [q.id for q in bank.questions] == [
        "pd1-cell",
        "anti-pd-1-drugs",
        "ligand-gap",
        "checkpoint-tf",
        "grade-the-diarrhoea",
        "match-the-irae",
        "infusion-steps",
    ]
    first = bank.questions[0]
    assert first.tags == ("breast-cancer-immunotherapy", "checkpoints", "pd-1")
    assert first.explanation.startswith("Anti-PD-1 antibodies such as pembrolizumab")


def test_missing_explanations_and_sources_fail_validate_strict(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "edu.yaml"
    assert run(capsys, str(EDUCATOR), "-o", str(out_file))[0] == 0
    assert main(["validate", str(out_file)]) == 0
    capsys.readouterr()
    assert main(["validate", "--strict", str(out_file)]) == 1
    err = capsys.readouterr().err
    assert "'ligand-gap' has no explanation yet (none was imported): write one" in err
    assert "cites no source" in err
    bank = load(out_file, use_cache=False)
    assert bank.item("ligand-gap").explanation == MISSING_EXPLANATION  # type: ignore[union-attr]
    assert any("no explanation yet" in p.message for p in lint([bank]))


def test_moodle_xml_export_with_mixed_types(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "mixed.yaml"
    code, _, err = run(capsys, str(MIXED), "-o", str(out_file))
    assert code == 0
    assert f"{MIXED}:57:3: not imported: essay question 'Care plan'" in err
    assert f"{MIXED}:71:3: not imported: numerical question 'Cycles'" in err
    bank = load(out_file, use_cache=False)
    assert [(q.id, q.type) for q in bank.questions] == [
        ("keynote-522-drug", "single"),
        ("tnbc-receptors", "true_false"),
        ("drug-targets", "cloze"),
        ("trial-name", "cloze"),
        ("trials", "match"),
    ]
    assert bank.questions[0].tags == ("tnbc",)  # not Moodle's "Default for ..." category


def test_json_lists_items_skipped_and_problems(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(EDUCATOR), "--json")
    assert code == 0
    assert err == ""
    doc = json.loads(out)
    assert list(doc) == ["items", "skipped", "problems"]
    assert [i["id"] for i in doc["items"]][:2] == ["pd1-cell", "anti-pd-1-drugs"]
    assert doc["items"][0]["options"][0] == {
        "text": "Activated T cells",
        "correct": True,
        "why": "PD-1 is an inhibitory receptor on activated T cells.",
    }
    assert [s["line"] for s in doc["skipped"]] == [43, 45, 54, 56]
    assert all(set(s) == {"line", "reason"} for s in doc["skipped"])
    assert {p["severity"] for p in doc["problems"]} == {"warning"}


def test_yaml_goes_to_stdout_without_o(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(MIXED))
    assert code == 0
    assert out.startswith("# Imported from mixed_export.xml")
    assert "id: keynote-522-drug" in out


def test_nothing_importable_exits_1_and_json_still_prints(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    gift = tmp_path / "essays.gift"
    gift.write_text("::E1:: Why? {}\n\n::E2:: How? {}\n", encoding="utf-8")
    code, out, err = run(capsys, str(gift), "--json")
    assert code == 1
    doc = json.loads(out)
    assert doc["items"] == []
    assert [s["line"] for s in doc["skipped"]] == [1, 3]
    code, out, err = run(capsys, str(gift), "-o", str(tmp_path / "out.yaml"))
    assert code == 1
    assert not (tmp_path / "out.yaml").exists()
    assert err.splitlines()[-1] == f"immunoquiz import: nothing imported from {gift}"


@pytest.mark.parametrize(
    "args",
    [["missing.gift"], ["EDU", "--bank-id", "Not A Slug"], ["EDU", "--topic", "x y"]],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str]
) -> None:
    named = {"EDU": str(EDUCATOR), "missing.gift": str(tmp_path / "missing.gift")}
    code, out, err = run(capsys, *[named.get(a, a) for a in args])
    assert code == 2
    assert out == ""
    assert err.startswith("immunoquiz import: error: ")


def test_no_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["import"])
    assert exc.value.code == 2


def test_line_endings_and_bom_do_not_change_the_result(tmp_path: Path) -> None:
    text = EDUCATOR.read_text(encoding="utf-8")
    results = []
    for name, data in (
        ("lf.gift", text.encode()),
        ("crlf.gift", text.replace("\n", "\r\n").encode()),
        ("cr.gift", text.replace("\n", "\r").encode()),
        ("bom.gift", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        result = importer.import_file(str(path), bank_id="same")
        results.append((result.items, [(s.line, s.reason) for s in result.skipped]))
    assert all(r == results[0] for r in results)
    assert len(results[0][0]) == 7


def test_non_utf8_file_is_refused_whole(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    gift = tmp_path / "latin1.gift"
    gift.write_bytes("::Q::Caf\u00e9?{=oui ~non}\n".encode("latin-1"))
    code, out, err = run(capsys, str(gift), "--json")
    assert code == 1
    doc = json.loads(out)
    assert doc["items"] == []
    assert doc["problems"][0]["line"] == 1 and doc["problems"][0]["col"] == 9
    assert "not UTF-8" in doc["problems"][0]["message"]
    code, _, err = run(capsys, str(gift))
    assert err.startswith(f"{gift}:1:9: the file is not UTF-8 text (byte 0xE9)")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><quiz>&b;</quiz>',
            "unsafe XML refused (it declares entities",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            "<quiz>&x;</quiz>",
            "unsafe XML refused",
        ),
        ("<quiz><question type='truefalse'>\n<name></quiz>", "not well-formed XML"),
        ("<questions/>", "not a Moodle XML question file"),
    ],
)
def test_unsafe_or_broken_xml_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(body, encoding="utf-8")
    code, _, err = run(capsys, str(path))
    assert code == 1
    first = err.splitlines()[0]
    assert first.startswith(f"{path}:")
    assert message in first
    assert "nothing was imported" in first


def test_malformed_xml_points_at_the_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.xml"
    path.write_text("<quiz>\n<question type='truefalse'>\n<name></quiz>\n", encoding="utf-8")
    _, _, err = run(capsys, str(path))
    assert err.startswith(f"{path}:3:9: not well-formed XML: mismatched tag")


def test_a_file_over_the_size_cap_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "MAX_BYTES", 100)
    path = tmp_path / "big.gift"
    path.write_text("Q?{=a ~b}\n\n" * 20, encoding="utf-8")
    code, _, err = run(capsys, str(path))
    assert code == 1
    assert err.startswith(f"{path}:1:1: the file is larger than")


def test_control_characters_in_a_file_never_reach_the_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "ctl.gift"
    path.write_text("::E\x1b[31m::Why \x1b[2J? {}\n\nOk?{=a\x07 ~b}\n", encoding="utf-8")
    code, out, err = run(capsys, str(path))
    assert code == 0
    assert "\x1b" not in err and "\x07" not in out
    assert ":1:1: not imported: essay question 'E': an essay" in err


def test_import_runs_as_a_command(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "immunoquiz.cli", "import", str(MIXED), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0
    assert len(json.loads(out.stdout)["items"]) == 5


def test_html_is_read_as_data(tmp_path: Path) -> None:
    path = tmp_path / "html.xml"
    path.write_text(
        '<quiz><question type="truefalse"><name><text>h</text></name>'
        '<questiontext format="html"><text><![CDATA[<script>alert(1)</script><style>p{}</style>'
        '<p>Steroids &amp; <b>infliximab</b> treat [bold]colitis[/]<img src="x" alt="a chart">'
        "</p><ul><li>one</li><li>two</li></ul>]]></text></questiontext>"
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question></quiz>',
        encoding="utf-8",
    )
    result = importer.import_file(str(path))
    assert result.items[0]["statement"] == (
        "Steroids & infliximab treat [bold]colitis[/][a chart]\n\n- one\n\n- two"
    )
