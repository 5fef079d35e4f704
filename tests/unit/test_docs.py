"""The educators' documentation stays true: every key the loader knows is documented
where it belongs, and every YAML example in docs/ passes `immunoquiz validate`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from immunoquiz.banks import model, spec
from immunoquiz.cli import main

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FORMAT = (DOCS / "bank-format.md").read_text(encoding="utf-8")

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def section(heading: str) -> str:
    """The text under a heading of bank-format.md, up to the next heading of its level."""
    match = re.search(rf"^(#+) {re.escape(heading)}.*$", FORMAT, re.M)
    assert match, f"docs/bank-format.md has no heading starting {heading!r}"
    level = len(match.group(1))
    end = re.compile(rf"^#{{1,{level}}} ", re.M).search(FORMAT, match.end())
    return FORMAT[match.end() : end.start() if end else len(FORMAT)]


def missing(text: str, names: object) -> list[str]:
    return [n for n in names if f"`{n}`" not in text]  # type: ignore[attr-defined]


COMMON = {k.name for k in spec.ITEM_SHAPES["single"].keys}.intersection(
    *({k.name for k in s.keys} for s in spec.ITEM_SHAPES.values())
)


def test_top_bank_and_source_keys_are_documented() -> None:
    text = section("The top of the file")
    for shape in (spec.TOP, spec.BANK_SHAPE, spec.SOURCE):
        assert not missing(text, [k.name for k in shape.keys]), shape.name


def test_common_item_keys_and_their_values_are_documented() -> None:
    text = section("Keys every item has")
    assert not missing(text, sorted(COMMON | {"shuffle"}))
    assert not missing(text, [*model.ITEM_TYPES, *model.LEVELS, *model.STEPS])


def test_option_keys_are_documented() -> None:
    assert not missing(section("Options"), [k.name for k in spec.OPTION.keys])


@pytest.mark.parametrize("item_type", model.ITEM_TYPES)
def test_each_item_type_documents_its_own_keys(item_type: str) -> None:
    text = section(f"`{item_type}`")
    own = [k for k in spec.ITEM_SHAPES[item_type].keys if k.name not in COMMON | {"shuffle"}]
    assert not missing(text, [k.name for k in own])
    for key in own:  # every allowed value of an enum key, e.g. each scoring rule
        assert not missing(text, key.values), key.name
    assert "id: " in text and "```yaml" in text, f"{item_type} has no example"


def test_case_parts_document_update() -> None:
    extra = {k.name for s in spec.PART_SHAPES.values() for k in s.keys} - {
        k.name for s in spec.ITEM_SHAPES.values() for k in s.keys
    }
    assert extra == {"update"}
    assert not missing(section("`case`"), extra)


# -- every YAML example in docs/ -------------------------------------------------------


def yaml_blocks() -> list[tuple[str, str]]:
    blocks = []
    for doc in sorted(DOCS.rglob("*.md")):
        text = doc.read_text(encoding="utf-8")
        for fence in FENCE.finditer(text):
            if fence.group(1) in ("yaml", "yml"):
                line = text.count("\n", 0, fence.start()) + 1
                blocks.append((f"{doc.relative_to(ROOT)}:{line}", fence.group(2)))
    return blocks


BLOCKS = yaml_blocks()


def as_file(block: str) -> str:
    """A whole bank or session file as it is; a list of items inside a minimal bank."""
    data = yaml.safe_load(block)
    if isinstance(data, dict) and ("questions" in data or "session" in data):
        return block
    assert isinstance(data, list) and all(isinstance(i, dict) and "type" in i for i in data), (
        "a ```yaml block must be a bank, a session file or a list of items; "
        "mark illustrations that are none of these as ```text"
    )
    keys = sorted({key for item in data for key in item.get("sources", [])})
    sources = "".join(f"    {key}: {{cite: example}}\n" for key in keys)
    head = "format: 1\nbank:\n  id: docs-example\n  title: Example\n  topic: checkpoints\n"
    head += "  sources:\n" + sources if sources else ""
    items = "".join(f"  {line}\n" for line in block.splitlines())
    return f"{head}questions:\n{items}"


def test_docs_have_yaml_examples() -> None:
    where = {b[0].split(":")[0] for b in BLOCKS}
    assert {"docs/bank-format.md", "docs/sessions.md"} <= where


@pytest.mark.parametrize("where, block", BLOCKS, ids=[b[0] for b in BLOCKS])
def test_yaml_example_validates(
    where: str, block: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(as_file(block), encoding="utf-8")
    code = main(["validate", str(path)])
    assert code == 0, f"{where}: the example does not validate:\n{capsys.readouterr().err}"


@pytest.mark.parametrize("path", sorted((DOCS / "examples").glob("*.yaml")), ids=str)
def test_example_files_validate(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
