"""The editor schema is generated, committed, and agrees with the loader."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from immunoquiz.banks import BankError, parse_bank
from immunoquiz.banks.schema import render

ROOT = Path(__file__).parent.parent.parent
COMMITTED = ROOT / "schema" / "bank.schema.json"
BUNDLED = sorted((ROOT / "question_banks").glob("*.yaml"))
VALID_BANKS = sorted((ROOT / "tests" / "data" / "valid").glob("*.yaml")) + BUNDLED


def test_the_bundled_banks_are_all_here() -> None:
    assert len(BUNDLED) >= 4


class _EditorLoader(yaml.SafeLoader):
    """Reads YAML roughly as an editor's YAML 1.2 parser does: dates stay text."""


_EditorLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(COMMITTED.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schema_is_the_generated_one() -> None:
    assert COMMITTED.read_text() == render(), (
        "schema/bank.schema.json is stale: run "
        "`python -m immunoquiz.banks.schema > schema/bank.schema.json`"
    )


@pytest.mark.parametrize("path", VALID_BANKS, ids=[p.name for p in VALID_BANKS])
def test_schema_and_loader_accept_the_same_valid_banks(
    path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    data = path.read_bytes()
    try:
        parse_bank(data, str(path))
    except BankError as exc:  # a bundled bank that does not load is a failure, never a skip
        pytest.fail("\n".join(str(p) for p in exc.problems))
    errors = [e.message for e in validator.iter_errors(yaml.load(data, Loader=_EditorLoader))]
    assert errors == []


MINIMAL = (ROOT / "tests" / "data" / "valid" / "minimal.yaml").read_text()


@pytest.mark.parametrize(
    ("where", "before", "after"),
    [
        ("top level", "format: 1\n", "format: 1\nauthor: Jane\n"),
        ("bank", "  title: Minimal bank\n", "  title: Minimal bank\n  titel: x\n"),
        ("item", "    sources: [ctcae]\n", "    sources: [ctcae]\n    hint: x\n"),
        ("option", "{text: Grade 2, correct: true}", "{text: Grade 2, corect: true}"),
        ("source", '{cite: "NCI CTCAE v5.0, 2017"}', '{cite: "NCI CTCAE v5.0, 2017", doi: x}'),
    ],
)
def test_schema_and_loader_reject_the_same_unknown_keys(
    where: str, before: str, after: str, validator: jsonschema.Draft202012Validator
) -> None:
    assert before in MINIMAL
    text = MINIMAL.replace(before, after)
    with pytest.raises(BankError) as caught:
        parse_bank(text.encode(), "x.yaml")
    assert any("unknown key" in p.message for p in caught.value.problems)
    errors = list(validator.iter_errors(yaml.load(text, Loader=_EditorLoader)))
    assert errors, f"the schema accepts an unknown key in the {where}"


def test_schema_knows_which_keys_each_type_takes(
    validator: jsonschema.Draft202012Validator,
) -> None:
    text = MINIMAL.replace("    sources: [ctcae]\n", "    sources: [ctcae]\n    answer: true\n")
    assert list(validator.iter_errors(yaml.load(text, Loader=_EditorLoader)))
