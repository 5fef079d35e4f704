"""`immunoquiz import`: a GIFT or Moodle XML file -> a bank document that validates.

Every imported item is checked by the bank loader itself (a one-item bank per item,
so one bad item is listed with the loader's reason and the rest still import).
"""

from __future__ import annotations

import os
from typing import Any

from immunoquiz.banks.interop import bank_yaml
from immunoquiz.banks.interop.gift_read import read_gift
from immunoquiz.banks.interop.mapping import Item, id_hint, map_question
from immunoquiz.banks.interop.moodle import ReadResult
from immunoquiz.banks.interop.sources_block import Cited
from immunoquiz.banks.interop.text import slugify
from immunoquiz.banks.interop.xml_read import XmlRefused, read_moodle_xml
from immunoquiz.banks.limits import MAX_BYTES
from immunoquiz.banks.loader import parse_bank
from immunoquiz.banks.problems import BankError, Problem
from immunoquiz.records import dataclass, field


@dataclass
class Skipped:
    line: int
    reason: str
    col: int = 1


@dataclass
class ImportResult:
    path: str
    items: list[Item] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    document: dict[str, Any] | None = None

    def yaml(self) -> str:
        assert self.document is not None
        header = (
            f"Imported from {os.path.basename(self.path)} by `immunoquiz import`.\n"
            "Check each item, add bank.sources and cite them in each item's 'sources'\n"
            "(the importer cannot invent them), then run `immunoquiz validate --strict`."
        )
        return bank_yaml.dump(self.document, header)

    def to_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "skipped": [{"line": s.line, "reason": s.reason} for s in self.skipped],
            "problems": [p.to_json() for p in self.problems],
        }


def import_file(path: str, *, bank_id: str | None = None, topic: str | None = None) -> ImportResult:
    """Read, map and validate one file. Nothing imported leaves `document` None."""
    result = ImportResult(path)
    read = _read(path, result)
    if read is None:
        return result
    result.skipped += [Skipped(r.line, r.reason, r.col) for r in read.refused]
    bank_id = bank_id or slugify(os.path.splitext(os.path.basename(path))[0]) or "imported"
    header: dict[str, Any] = {
        "id": bank_id,
        "title": f"Imported from {os.path.basename(path)}",
        "topic": topic or "imported",
    }
    sources: dict[str, Cited] = {}
    used: set[str] = set()
    for question in read.questions:
        mapped = map_question(question)
        if mapped.item is None:
            result.skipped.append(Skipped(question.line, mapped.reason, question.col))
            continue
        item = {"id": _unique(id_hint(question), used), **mapped.item}
        for cited in mapped.sources:
            known = sources.setdefault(cited.key, cited)
            if known != cited:
                mapped.warnings.append(
                    f"source '{cited.key}' is cited differently than before; the first is kept"
                )
        problem = _check(item, header, sources, path)
        if problem:
            used.discard(item["id"])
            result.skipped.append(Skipped(question.line, problem, question.col))
            continue
        for warning in mapped.warnings:
            result.problems.append(
                Problem(path, question.line, question.col, f"'{item['id']}': {warning}", "warning")
            )
        result.items.append(item)
    result.skipped.sort(key=lambda s: s.line)
    if not result.items:
        return result
    if sources:
        header["sources"] = _sources_doc(sources)
    else:
        result.problems.append(
            Problem(
                path,
                1,
                1,
                "the file cites no sources, and the importer cannot invent them: "
                "`immunoquiz validate --strict` will ask for bank.sources and each item's sources",
                "warning",
            )
        )
    result.document = {"format": 1, "bank": header, "questions": result.items}
    try:
        parse_bank(result.yaml().encode(), path)
    except BankError as exc:  # every item passed alone: a whole-bank rule failed
        result.problems += exc.problems
        result.document = None
    result.problems.sort()
    return result


def _read(path: str, result: ImportResult) -> ReadResult | None:
    def refuse(message: str, line: int = 1, col: int = 1) -> None:
        result.problems.append(Problem(path, line, col, message))

    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        refuse(f"the file cannot be read ({exc.strerror or exc})")
        return None
    if len(data) > MAX_BYTES:
        refuse(f"the file is larger than {MAX_BYTES // 2**20} MiB (split it into several files)")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        refuse(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02X}): save it as UTF-8 "
            "and import it again; nothing was imported",
            line,
            col,
        )
        return None
    text = text.removeprefix("\ufeff")
    if _is_xml(path, text):
        try:
            return read_moodle_xml(data)
        except XmlRefused as exc:
            refuse(f"{exc}; nothing was imported", exc.line, exc.col)
            return None
    return read_gift(text)


def _is_xml(path: str, text: str) -> bool:
    ext = os.path.splitext(path)[1].lower()
    if ext == ".xml":
        return True
    if ext in (".gift", ".txt"):
        return False
    return text.lstrip().startswith(("<?xml", "<quiz"))


def _unique(hint: str, used: set[str]) -> str:
    candidate, n = hint, 1
    while candidate in used:
        n += 1
        candidate = f"{hint[:56]}-{n}"
    used.add(candidate)
    return candidate


def _sources_doc(sources: dict[str, Cited]) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for key, cited in sources.items():
        doc[key] = {"cite": cited.cite, **({"url": cited.url} if cited.url else {})}
    return doc


def _check(item: Item, header: dict[str, Any], sources: dict[str, Cited], path: str) -> str:
    """The loader's first complaint about this item in a bank of its own, or ''."""
    bank = dict(header)
    if sources:
        bank["sources"] = _sources_doc(sources)
    text = bank_yaml.dump({"format": 1, "bank": bank, "questions": [item]})
    try:
        parse_bank(text.encode(), path)
    except BankError as exc:
        return f"the bank loader refuses it: {exc.problems[0].message}"
    return ""
