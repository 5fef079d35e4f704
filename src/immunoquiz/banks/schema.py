"""The JSON Schema (draft 2020-12) of a bank file, generated from `spec`.

    python -m immunoquiz.banks.schema > schema/bank.schema.json

Editors use it for completion and early warnings (add
`# yaml-language-server: $schema=../schema/bank.schema.json` at the top of a bank).
It states what a schema can: keys, types, counts, how many options are correct.
The loader remains the judge: it also checks what spans keys (a match answer
naming a real row, a cloze's blanks and choices, unique ids, source keys).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from immunoquiz.banks import spec
from immunoquiz.banks.model import ITEM_TYPES
from immunoquiz.banks.spec import Key, Shape

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Text: anything but blank, without control characters other than tab and newline.
TEXT_PATTERN = r"^(?=[\s\S]*\S)[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _value(key: Key) -> dict[str, Any]:
    kind = key.kind
    out: dict[str, Any]
    if kind == spec.TEXT:
        out = _ref("text")
    elif kind == spec.SLUG:
        out = _ref("slug")
    elif kind == spec.BOOL:
        out = {"type": "boolean"}
    elif kind == spec.INT:
        out = {"type": "integer", "minimum": 1}
        if key.name == "format":
            out = {"const": spec.FORMAT_VERSION}
    elif kind == spec.ENUM:
        out = {"enum": list(key.values)}
    elif kind == spec.LANGUAGE:
        out = {"type": "string", "pattern": f"^{spec.LANGUAGE_PATTERN}$"}
    elif kind in (spec.TEXT_LIST, spec.SOURCE_KEYS):
        out = _array(key, _ref("text"))
    elif kind == spec.SLUG_LIST:
        out = _array(key, _ref("slug"))
    elif kind == spec.OPTIONS:
        out = _array(key, _ref("option"))
        if key.correct is not None:
            lo, hi = key.correct
            out["contains"] = _ref("correct-option")
            out["minContains"] = lo
            if hi is not None:
                out["maxContains"] = hi
    elif kind == spec.SOURCES:
        out = {"type": "object", "additionalProperties": _ref("source")}
    elif kind == spec.BANK:
        out = _ref("bank")
    elif kind == spec.QUESTIONS:
        out = _array(key, _ref("item"))
    elif kind == spec.PARTS:
        out = _array(key, _ref("part"))
    elif kind == spec.CHOICES:
        out = _array(key, {"type": "array", "items": _ref("text"), "minItems": 1})
    elif kind == spec.ANSWER_MAP:
        out = {"type": "object", "additionalProperties": _ref("text")}
    else:  # pragma: no cover - a new kind must be described here
        raise AssertionError(kind)
    return {"description": key.doc, **out} if key.doc else out


def _array(key: Key, items: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "array", "items": items}
    if key.min_items:
        out["minItems"] = key.min_items
    if key.max_items is not None:
        out["maxItems"] = key.max_items
    return out


def _object(shape: Shape, **overrides: dict[str, Any]) -> dict[str, Any]:
    props = {k.name: overrides.get(k.name) or _value(k) for k in shape.keys}
    out: dict[str, Any] = {"type": "object"}
    if shape.doc:
        out["description"] = shape.doc
    out["properties"] = props
    if shape.required:
        out["required"] = list(shape.required)
    out["additionalProperties"] = False
    return out


def _dispatch(prefix: str, types: tuple[str, ...]) -> dict[str, Any]:
    """An item: `type` picks which item schema applies (editors complete from it)."""
    return {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": list(types)}},
        "allOf": [
            {
                "if": {"properties": {"type": {"const": t}}, "required": ["type"]},
                "then": _ref(f"{prefix}-{t}"),
            }
            for t in types
        ],
    }


def schema() -> dict[str, Any]:
    defs: dict[str, Any] = {
        "text": {
            "description": "Plain text, shown literally. Numbers are taken as written.",
            "type": ["string", "number", "boolean"],
            "pattern": TEXT_PATTERN,
        },
        "slug": {
            "description": "Lowercase letters, digits and hyphens, like pd1-where.",
            "anyOf": [
                {"type": "string", "pattern": f"^{spec.SLUG_PATTERN}$"},
                {"type": "integer", "minimum": 0},
            ],
        },
        "correct-option": {
            "type": "object",
            "required": ["correct"],
            "properties": {"correct": {"const": True}},
        },
        "option": _object(spec.OPTION),
        "source": _object(spec.SOURCE),
        "bank": _object(spec.BANK_SHAPE),
        "item": _dispatch("item", ITEM_TYPES),
        "part": _dispatch("part", spec.PART_TYPES),
    }
    for t, shape in spec.ITEM_SHAPES.items():
        defs[f"item-{t}"] = _object(shape, type={"const": t})
    for t, shape in spec.PART_SHAPES.items():
        defs[f"part-{t}"] = _object(shape, type={"const": t})
    top = _object(spec.TOP)
    return {
        "$schema": DRAFT,
        "title": f"immunoquiz question bank, format {spec.FORMAT_VERSION}",
        **top,
        "$defs": defs,
    }


def render() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=True) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
