"""Session files (docs/sessions.md) -> SessionSpec, with every problem located.

The same safe composing and the same key checking as banks (unknown keys with
suggestions, duplicate keys, wrong types, tags refused), so an educator sees one
kind of message whichever file they got wrong.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from yaml.nodes import Node

from immunoquiz.banks import spec as bank_spec
from immunoquiz.banks.build import NodeReader
from immunoquiz.banks.model import LEVELS, STEPS, Bank
from immunoquiz.banks.problems import BankError, Problem
from immunoquiz.banks.spec import BOOL, ENUM, INT, SLUG, SLUG_LIST, TEXT, TEXT_LIST, Key, Shape
from immunoquiz.banks.yaml_nodes import parse
from immunoquiz.educator.session_spec import Draw, ItemRef, SessionSpec, select_items
from immunoquiz.special_files import special_file_reason

SESSION_TOP = Shape(
    "session file",
    (Key("format", INT, True, "Always 1."), Key("session", "session", True, "The session.")),
)
SESSION = Shape(
    "session",
    (
        Key("title", TEXT, True, "Shown to trainees and in reports."),
        Key("banks", SLUG_LIST, doc="Bank ids draws may use (default: all loaded)."),
        Key("items", TEXT_LIST, doc="Explicit items, 'bank-id/item-id'."),
        Key("draw", "draws", doc="Items drawn by filter: {count, bank, topic, tag, level, step}."),
        Key("seed", INT, doc="Same seed, same draw (default 1)."),
        Key("time_limit", INT, doc="Minutes (default: no limit)."),
        Key("feedback", ENUM, doc="end (default) or immediate.", values=("end", "immediate")),
        Key("shuffle", BOOL, doc="Shuffle item order and options (default true)."),
        Key("pass_mark", INT, doc="Percent needed to pass, 1-100."),
        Key("attempts", INT, doc="Final attempts each learner may make (default 1)."),
        Key("bank_files", TEXT_LIST, doc="Bank files, relative to this session file."),
    ),
)
DRAW = Shape(
    "draw",
    (
        Key("count", INT, True, "How many items to draw."),
        Key("bank", SLUG, doc="Only from this bank."),
        Key("topic", SLUG, doc="Only from banks of this topic."),
        Key("tag", SLUG, doc="Only items with this tag."),
        Key("level", ENUM, doc="Only items of this level.", values=LEVELS),
        Key("step", ENUM, doc="Only items (or case parts) measuring this step.", values=STEPS),
    ),
)


class _SessionReader(NodeReader):
    def session_file(self, root: Node) -> SessionSpec | None:
        top = self.fields(root, SESSION_TOP, "the session file")
        if top is None or "session" not in top:
            return None
        if "format" in top:
            fmt = self.integer(top["format"], "format", "the session file")
            if fmt is not None and fmt != bank_spec.FORMAT_VERSION:
                self.err(top["format"], f"session format {fmt} is not supported (use format: 1)")
        f = self.fields(top["session"], SESSION, "the session")
        if f is None:
            return None
        where = "the session"
        values = {}
        for key in SESSION.keys:
            node = f.get(key.name)
            if node is None or key.name in ("items", "banks", "draw", "bank_files"):
                continue
            values[key.name] = self.scalar(key, node, where)
        refs = self._refs(f["items"]) if "items" in f else ()
        banks = self.texts(SESSION.index["banks"], f["banks"], where) if "banks" in f else ()
        draws = self._draws(f["draw"]) if "draw" in f else ()
        bank_files = self._bank_files(f["bank_files"]) if "bank_files" in f else ()
        pass_mark = values.get("pass_mark")
        if pass_mark is not None and pass_mark > 100:
            self.err(f["pass_mark"], f"'pass_mark' is a percentage from 1 to 100, not {pass_mark}")
        attempts = values.get("attempts")
        if attempts is not None and attempts < 1:
            self.err(f["attempts"], f"'attempts' is at least 1, not {attempts}")
        if self.problems or values.get("title") is None:
            return None
        return SessionSpec(
            title=values["title"],
            items=refs or (),
            draws=draws or (),
            banks=banks or (),
            seed=values.get("seed") or 1,
            time_limit=values.get("time_limit"),
            feedback=values.get("feedback") or "end",
            shuffle=True if values.get("shuffle") is None else values["shuffle"],
            pass_mark=float(pass_mark) if pass_mark is not None else None,
            path=self.path,
            attempts=attempts or 1,
            bank_files=bank_files,
        )

    def _bank_files(self, node: Node) -> tuple[str, ...]:
        """The listed files; one that does not exist is a problem located at its entry."""
        entries = self.seq(node, SESSION.index["bank_files"], "the session")
        base = Path(self.path).parent
        names = []
        for entry in entries or ():
            name = self.text(entry, "bank_files entry", "the session")
            if name is None:
                continue
            if not (base / name).exists():
                self.err(entry, f"bank file '{name}' (in bank_files) does not exist in {base}")
                continue
            names.append(name)
        return tuple(names)

    def _refs(self, node: Node) -> tuple[ItemRef, ...] | None:
        entries = self.seq(node, SESSION.index["items"], "the session")
        refs = []
        for entry in entries or ():
            text = self.text(entry, "items entry", "the session")
            if text is None:
                continue
            bank, _, item = text.partition("/")
            if not bank or not item:
                self.err(entry, f"an item is written 'bank-id/item-id', not '{text}'")
                continue
            mark = entry.start_mark
            refs.append(ItemRef(bank, item, mark.line + 1, mark.column + 1))
        return tuple(refs)

    def _draws(self, node: Node) -> tuple[Draw, ...] | None:
        entries = self.seq(node, SESSION.index["draw"], "the session")
        draws = []
        for n, entry in enumerate(entries or (), start=1):
            what = f"draw {n}"
            f = self.fields(entry, DRAW, what)
            if f is None:
                continue
            values = {k: self.scalar(DRAW.index[k], v, what) for k, v in f.items()}
            if None in values.values() or "count" not in values:
                continue
            mark = entry.start_mark
            draws.append(Draw(**values, line=mark.line + 1, col=mark.column + 1))
        return tuple(draws)


def load_session(path: Path | str, banks: list[Bank]) -> tuple[SessionSpec | None, list[Problem]]:
    """Read, check and resolve a session file against the loaded banks.

    Returns the spec (None if anything is wrong) and every problem, located at
    the path as given (`./week3.yaml` stays `./week3.yaml`).
    """
    where = str(path)
    path = Path(path)
    reason = special_file_reason(path)
    if reason:
        return None, [Problem(where, 1, 1, reason)]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(where, 1, 1, f"cannot read the session file: {exc.strerror}")]
    try:
        root = parse(data, where)
    except BankError as exc:
        return None, exc.problems
    reader = _SessionReader(where, has_escapes=True)
    spec = reader.session_file(root)
    problems = list(reader.problems)
    if spec is not None:
        spec = SessionSpec(**{**spec.__dict__, "content_hash": hashlib.sha256(data).hexdigest()})
        _, selection_problems = select_items(spec, banks)
        problems += selection_problems
    return (spec if not problems else None), sorted(problems)


def session_bank_files(path: Path) -> list[Path]:
    """The bank files a session file names, to load before the session itself.

    Problems are not reported here: `load_session` reports them, located.
    """
    try:
        root = parse(path.read_bytes(), str(path))
    except (OSError, BankError):
        return []
    reader = _SessionReader(str(path), has_escapes=True)
    spec = reader.session_file(root)
    return spec.bank_paths() if spec is not None else []
