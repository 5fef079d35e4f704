"""A composed YAML node tree -> a `Bank`, with every problem located and explained.

The builder walks the nodes directly (no PyYAML constructor runs): it reads each
mapping against its `spec.Shape`, converts the values it knows, and records a
`Problem` for everything else, then keeps going so one run reports them all.
Messages are for nurse educators: what is wrong, in plain words, and what to do.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from immunoquiz.banks import spec
from immunoquiz.banks.model import (
    ITEM_CLASSES,
    Bank,
    Blank,
    Item,
    Option,
    Source,
)
from immunoquiz.banks.problems import BankError, Problem, show
from immunoquiz.banks.spec import Key, Shape
from immunoquiz.banks.yaml_nodes import (
    BOOL,
    FLOAT,
    INT,
    MAP,
    MERGE,
    NULL,
    SEQ,
    STR,
    TIMESTAMP,
    VALUE,
)

# Text fields take any scalar as written: `- 4` is the option "4", `- yes` the option "yes".
_TEXT_TAGS = frozenset({STR, INT, FLOAT, BOOL, TIMESTAMP, VALUE})
_SLUG_TAGS = frozenset({STR, INT})
_CORE_TAGS = _TEXT_TAGS | {NULL, SEQ, MAP, MERGE}
_SLUG = re.compile(spec.SLUG_PATTERN)
_LANGUAGE = re.compile(spec.LANGUAGE_PATTERN)
_WHOLE = re.compile(r"\+?[0-9]+")
# Control characters other than newline and tab: a bank's text is shown literally.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BLANK = re.compile(r"\{\{(.*?)\}\}", re.S)
_BOOL_WORDS = frozenset({"yes", "no", "on", "off", "y", "n", "true", "false"})
# Kinds read by the `_finish_<type>` method of their item type, with the other keys at hand.
_READ_BY_FINISH = frozenset({spec.PARTS, spec.ANSWER_MAP, spec.CHOICES})
_ITEM_SHAPES = frozenset(map(id, (*spec.ITEM_SHAPES.values(), *spec.PART_SHAPES.values())))


def build(root: Node, path: str, *, content_hash: str = "", has_escapes: bool = True) -> Bank:
    """The bank a node tree describes; raises BankError with every problem found.

    `has_escapes=False` (the file has no backslash) skips the control-character check
    per text: without an escape sequence no control character can reach a value.
    """
    builder = NodeReader(path, has_escapes)
    header, questions = builder.bank_file(root)
    if builder.problems or header is None or questions is None:
        raise BankError(builder.problems or [Problem(path, 1, 1, "not a bank")])
    return Bank(questions=questions, **header, path=path, content_hash=content_hash)


def suggest(word: str, candidates: Any) -> str:
    """The candidate a near miss was probably meant as, else ''."""
    pool = [str(c) for c in candidates]
    lower = {c.lower(): c for c in pool}
    if word.lower() in lower:
        return lower[word.lower()]
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return close[0] if close else ""


def _did_you_mean(word: str, candidates: Any) -> str:
    meant = suggest(word, candidates)
    return f" (did you mean {show(meant)}?)" if meant else ""


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "pd1-where"


def _describe(node: Node) -> str:
    if type(node) is MappingNode:
        return "a mapping of keys"
    if type(node) is SequenceNode:
        return "a list"
    if node.tag == NULL:
        return "empty"
    return show(node.value)


def _tag_name(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def _norm(text: str) -> str:
    """How cloze answers are compared: case, surrounding and repeated space ignored."""
    return " ".join(text.split()).casefold()


class NodeReader:
    """Reads node trees against `spec` shapes, collecting located problems.

    `educator.session_file` subclasses it to read session files with the same
    messages; the reading methods (`fields`, `text`, `slug`, `boolean`, `integer`,
    `choice`, `scalar`, `seq`, `texts`, `err`) are its interface.
    """

    def __init__(self, path: str, has_escapes: bool) -> None:
        self.path = path
        self.has_escapes = has_escapes
        self.problems: list[Problem] = []
        self.source_keys: frozenset[str] | None = None  # None: unknown, so not checked

    # -- reporting -------------------------------------------------------------------

    def err(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, message))

    def _bad_tag(self, node: Node) -> bool:
        """Report a tag that builds objects or is unknown; True if reported."""
        if node.tag in _CORE_TAGS:
            return False
        self.err(
            node,
            f"the tag {show(_tag_name(node.tag))} is not allowed in a bank "
            "(tags are never needed: remove it)",
        )
        return True

    # -- mappings --------------------------------------------------------------------

    def fields(self, node: Node, shape: Shape, what: str) -> dict[str, Node] | None:
        """The value nodes of a mapping by key, after refusing unknown, repeated and
        missing keys."""
        if type(node) is not MappingNode:
            if not self._bad_tag(node):
                self.err(node, f"{what} must be a mapping of keys, not {_describe(node)}")
            return None
        if node.tag != MAP and self._bad_tag(node):
            return None
        found: dict[str, Node] = {}
        suggested: set[str] = set()  # keys a typo was taken for: not also "missing"
        index = shape.index
        for knode, vnode in node.value:
            if type(knode) is not ScalarNode:
                self.err(knode, f"a key in {what} must be a plain name, not {_describe(knode)}")
                continue
            name = knode.value
            if name in found:
                self._duplicate_key(node, knode, name)
            elif name in index:
                found[name] = vnode
            elif knode.tag == MERGE:
                self.err(knode, "merge keys ('<<') are not supported: write the keys out")
            elif node.flow_style and vnode.tag == NULL and vnode.value == "":
                # `{text: Grade 2, mild}`: the comma ended the text and began a "key".
                self.err(
                    knode,
                    f"the comma before {show(name)} ended the text (inside "
                    "{...} a comma separates keys): put the whole text in quotes",
                )
            else:
                suggested.add(self._unknown_key(knode, name, shape, what))
        if len(found) < len(index):
            for name in shape.required:
                if name not in found and name not in suggested:
                    self.err(node, f"{what} is missing '{name}'")
        return found

    def _duplicate_key(self, mapping: Node, knode: Node, name: str) -> None:
        first = next(k for k, _ in mapping.value if type(k) is ScalarNode and k.value == name)
        self.err(
            knode,
            f"duplicate key {show(name)} (already on line {first.start_mark.line + 1}; keep one)",
        )

    def _unknown_key(self, knode: Node, name: str, shape: Shape, what: str) -> str:
        """Report a key the shape does not have; returns the key suggested, if any."""
        where = "at the top level" if shape is spec.TOP else f"in {what}"
        if id(shape) in _ITEM_SHAPES:
            if name == "update":
                self.err(knode, "'update' is only allowed in a case part")
                return ""
            if name in spec.ANY_ITEM_KEYS:
                self.err(knode, f"key '{name}' is not used by a {shape.name} ({what})")
                return ""
        meant = suggest(name, shape.index)
        hint = f" (did you mean '{meant}'?)" if meant else ""
        self.err(knode, f"unknown key {show(name)} {where}{hint}")
        return meant

    # -- scalars ---------------------------------------------------------------------

    def text(self, node: Node, name: str, what: str) -> str | None:
        if type(node) is ScalarNode:
            if node.tag in _TEXT_TAGS:
                value: str = node.value
                if node.style in ("|", ">"):
                    value = value.rstrip("\n")
                if not value or value.isspace():
                    self.err(node, f"'{name}' in {what} is empty: write the text")
                    return None
                if self.has_escapes:
                    bad = _CONTROL.search(value)
                    if bad:
                        self.err(
                            node,
                            f"'{name}' in {what} contains control character "
                            f"U+{ord(bad.group()):04X}, which is not allowed",
                        )
                        return None
                return value
            if node.tag == NULL:
                self.err(node, f"'{name}' in {what} is empty: write the text or remove the key")
                return None
        if not self._bad_tag(node):
            self.err(node, f"'{name}' in {what} must be text, not {_describe(node)}")
        return None

    def slug(self, node: Node, name: str, what: str) -> str | None:
        if type(node) is ScalarNode and node.tag in _SLUG_TAGS:
            slug: str = node.value
            if _SLUG.fullmatch(slug):
                return slug
            self.err(
                node,
                f"'{name}' in {what} may hold only lowercase letters, digits and hyphens, "
                f"like {show(_slugify(node.value))}; {show(node.value)} does not",
            )
        elif not self._bad_tag(node):
            self.err(
                node, f"'{name}' in {what} must be a name like 'pd1-where', not {_describe(node)}"
            )
        return None

    def boolean(self, node: Node, name: str, what: str) -> bool | None:
        if type(node) is ScalarNode:
            value = node.value
            if node.tag == BOOL:
                low = value.lower()
                if low == "true":
                    return True
                if low == "false":
                    return False
                meant = "true" if low in ("yes", "on") else "false"
                self.err(
                    node,
                    f"'{name}' must be true or false: write {meant} instead of {show(value)}",
                )
                return None
            if node.tag == STR and value.strip().lower() in _BOOL_WORDS:
                self.err(
                    node,
                    f"'{name}' must be true or false without quotes; "
                    f"{show(value)} in quotes is text",
                )
                return None
        if not self._bad_tag(node):
            self.err(node, f"'{name}' in {what} must be true or false, not {_describe(node)}")
        return None

    def integer(self, node: Node, name: str, what: str) -> int | None:
        if type(node) is ScalarNode and node.tag == INT and _WHOLE.fullmatch(node.value):
            number = int(node.value)
            if number >= 1:
                return number
        if not self._bad_tag(node):
            self.err(
                node,
                f"'{name}' in {what} must be a whole number of 1 or more, not {_describe(node)}",
            )
        return None

    def choice(self, node: Node, key: Key, what: str) -> str | None:
        if type(node) is ScalarNode and node.tag in _TEXT_TAGS:
            value: str = node.value
            if value in key.values:
                return value
            self.err(
                node,
                f"'{key.name}' in {what} cannot be {show(node.value)}: use one of "
                f"{', '.join(key.values)}{_did_you_mean(node.value, key.values)}",
            )
        elif not self._bad_tag(node):
            self.err(
                node,
                f"'{key.name}' in {what} must be one of {', '.join(key.values)}, "
                f"not {_describe(node)}",
            )
        return None

    def language(self, node: Node, name: str, what: str) -> str | None:
        value = self.text(node, name, what)
        if value is not None and not _LANGUAGE.fullmatch(value):
            self.err(
                node, f"'{name}' must be a language tag like 'en' or 'en-GB', not {show(value)}"
            )
            return None
        return value

    def scalar(self, key: Key, node: Node, what: str) -> Any:
        kind = key.kind
        if kind == spec.TEXT:
            return self.text(node, key.name, what)
        if kind == spec.ENUM:
            return self.choice(node, key, what)
        if kind == spec.SLUG:
            return self.slug(node, key.name, what)
        if kind == spec.BOOL:
            return self.boolean(node, key.name, what)
        if kind == spec.INT:
            return self.integer(node, key.name, what)
        if kind == spec.LANGUAGE:
            return self.language(node, key.name, what)
        raise AssertionError(kind)  # pragma: no cover - every scalar kind is handled

    # -- lists -----------------------------------------------------------------------

    def seq(self, node: Node, key: Key, what: str) -> list[Node] | None:
        if type(node) is SequenceNode:
            if node.tag != SEQ and self._bad_tag(node):
                return None
            entries: list[Node] = node.value
            n = len(entries)
            if n < key.min_items or (key.max_items is not None and n > key.max_items):
                self.err(node, f"'{key.name}' in {what} {self._count_rule(key)}; it has {n}")
            return entries
        if not self._bad_tag(node):
            self.err(
                node,
                f"'{key.name}' in {what} must be a list (one '- ' line per entry), "
                f"not {_describe(node)}",
            )
        return None

    @staticmethod
    def _count_rule(key: Key) -> str:
        if key.max_items is None:
            return f"needs at least {key.min_items} entr{'y' if key.min_items == 1 else 'ies'}"
        return f"needs {key.min_items} to {key.max_items} entries"

    def texts(self, key: Key, node: Node, what: str) -> tuple[str, ...] | None:
        entries = self.seq(node, key, what)
        if entries is None:
            return None
        kind = key.kind
        read = self.slug if kind == spec.SLUG_LIST else self.text
        name = f"{key.name} entry"
        read_out = [read(e, name, what) for e in entries]
        out = [v for v in read_out if v is not None]
        if len(out) < len(read_out):
            return None
        if kind == spec.SOURCE_KEYS and self.source_keys is not None:
            for entry, value in zip(entries, out, strict=True):
                if value not in self.source_keys:
                    known = self.source_keys
                    hint = _did_you_mean(value, known) if known else " (the bank lists no sources)"
                    self.err(
                        entry,
                        f"unknown source {show(value)}: add it under the bank's 'sources'{hint}",
                    )
        return tuple(out)

    # -- the file --------------------------------------------------------------------

    def bank_file(self, root: Node) -> tuple[dict[str, Any] | None, tuple[Item, ...] | None]:
        if type(root) is not MappingNode:
            if not self._bad_tag(root):
                self.err(
                    root,
                    "a bank file must be a mapping that starts with 'format: 1', "
                    f"not {_describe(root)}",
                )
            return None, None
        f = self.fields(root, spec.TOP, "the bank file")
        if f is None:
            return None, None
        if "format" in f:
            fmt = self.integer(f["format"], "format", "the bank file")
            if fmt is not None and fmt != spec.FORMAT_VERSION:
                self.err(
                    f["format"],
                    f"unknown format {fmt}: this version of immunoquiz "
                    f"reads format {spec.FORMAT_VERSION}",
                )
        header = self.bank_header(f["bank"]) if "bank" in f else None
        questions = self.questions(f["questions"]) if "questions" in f else None
        return header, questions

    def bank_header(self, node: Node) -> dict[str, Any] | None:
        shape = spec.BANK_SHAPE
        f = self.fields(node, shape, "bank")
        if f is None:
            return None
        out: dict[str, Any] = {}
        if spec.SOURCES not in f:
            self.source_keys = frozenset()  # so an item citing one is told there are none
        for name, vnode in f.items():
            if name == spec.SOURCES:
                out[name] = self.sources(vnode)
            else:
                out[name] = self.scalar(shape.index[name], vnode, "bank")
        if "id" in f:
            mark = f["id"].start_mark
            out["id_line"], out["id_col"] = mark.line + 1, mark.column + 1
        if None in out.values() or any(k not in f for k in shape.required):
            return None
        return out

    def sources(self, node: Node) -> tuple[Source, ...] | None:
        if type(node) is not MappingNode or node.tag != MAP:
            if not self._bad_tag(node):
                self.err(
                    node,
                    "'sources' in bank must be a mapping of key: {cite: ...}, "
                    f"not {_describe(node)}",
                )
            return None
        out: list[Source] = []
        keys: set[str] = set()
        ok = True
        for knode, vnode in node.value:
            key = self.text(knode, "source key", "bank")
            if key is None:
                ok = False
                continue
            if key in keys:
                self._duplicate_key(node, knode, key)
                ok = False
                continue
            keys.add(key)
            f = self.fields(vnode, spec.SOURCE, f"source {show(key)}")
            if f is None or "cite" not in f:
                ok = False
                continue
            cite = self.text(f["cite"], "cite", f"source {show(key)}")
            url = self.text(f["url"], "url", f"source {show(key)}") if "url" in f else None
            if cite is None or ("url" in f and url is None):
                ok = False
                continue
            mark = vnode.start_mark
            out.append(Source(key, cite, url, mark.line + 1, mark.column + 1))
        self.source_keys = frozenset(keys)
        return tuple(out) if ok else None

    def questions(self, node: Node) -> tuple[Item, ...] | None:
        key = spec.TOP.index[spec.QUESTIONS]
        entries = self.seq(node, key, "the bank file")
        if entries is None:
            return None
        seen: dict[str, Node] = {}
        read_out = [self.item(e, i, seen, case=None) for i, e in enumerate(entries)]
        out = [v for v in read_out if v is not None]
        if len(out) < len(read_out):
            return None
        return tuple(out)

    # -- items -----------------------------------------------------------------------

    def item(self, node: Node, index: int, seen: dict[str, Node], case: str | None) -> Item | None:
        """One question (or, with `case`, one part of that case); None if it has problems."""
        what = f"question {index + 1}" if case is None else f"part {index + 1} of {case}"
        if type(node) is not MappingNode:
            if not self._bad_tag(node):
                self.err(
                    node,
                    f"{what} must be a mapping of keys starting with 'id:', not {_describe(node)}",
                )
            return None
        before = len(self.problems)
        # `id` names the item in messages and `type` decides which keys it may have.
        id_node = type_node = None
        for knode, vnode in node.value:
            name = knode.value if type(knode) is ScalarNode else None
            if name == "id" and id_node is None:
                id_node = vnode
            elif name == "type" and type_node is None:
                type_node = vnode
            elif knode.tag == MERGE:
                # An item built by merging another (`<<: *base`) would hide what it says.
                self.err(knode, "merge keys ('<<') are not supported: write the keys out")
                return None
        item_id = self.slug(id_node, "id", what) if id_node is not None else None
        if item_id is not None and id_node is not None:
            what = f"item '{item_id}'" if case is None else f"part '{item_id}' of {case}"
            if item_id in seen:
                line = seen[item_id].start_mark.line + 1
                kind = "item id" if case is None else "part id"
                within = "" if case is None else f" in {case}"
                self.err(
                    id_node,
                    f"duplicate {kind} '{item_id}'{within} (first used on line "
                    f"{line}); each id must be different",
                )
            else:
                seen[item_id] = id_node
        shape = self._item_shape(node, type_node, what, case)
        if shape is None:
            if id_node is None:
                self.err(node, f"{what} is missing 'id'")
            return None
        f = self.fields(node, shape, what)
        if f is None:
            return None
        values: dict[str, Any] = {}
        keys = shape.index
        for name, vnode in f.items():
            if name == "id" or name == "type":
                continue
            key = keys[name]
            kind = key.kind
            if kind in spec.SCALAR_KINDS:
                values[name] = self.scalar(key, vnode, what)
            elif kind in spec.LIST_KINDS:
                values[name] = self.texts(key, vnode, what)
            elif kind == spec.OPTIONS:
                values[name] = self.options(key, vnode, what)
            elif kind not in _READ_BY_FINISH:
                raise AssertionError(kind)  # pragma: no cover - spec and builder agree
        assert type_node is not None  # _item_shape refused the item otherwise
        item_type: str = type_node.value
        special = getattr(self, f"_finish_{item_type}", None)
        # Rules spanning keys need the keys: a missing one is reported already.
        if special is not None and all(k in f for k in shape.required):
            special(f, values, what, item_id)
        if len(self.problems) > before or item_id is None:
            return None
        mark = node.start_mark
        values["line"], values["col"] = mark.line + 1, mark.column + 1
        return ITEM_CLASSES[item_type](id=item_id, **values)

    def _item_shape(
        self, node: Node, type_node: Node | None, what: str, case: str | None
    ) -> Shape | None:
        shapes = spec.ITEM_SHAPES if case is None else spec.PART_SHAPES
        if type_node is None:
            self.err(node, f"{what} is missing 'type' (one of {', '.join(shapes)})")
            return None
        if type(type_node) is ScalarNode and type_node.tag in _TEXT_TAGS:
            value = type_node.value
            if value in shapes:
                return shapes[value]
            if value == "case":
                self.err(type_node, "a case part cannot itself be a case")
            else:
                self.err(
                    type_node,
                    f"unknown item type {show(value)}: use one of "
                    f"{', '.join(shapes)}{_did_you_mean(value, shapes)}",
                )
        elif not self._bad_tag(type_node):
            self.err(
                type_node,
                f"'type' in {what} must be one of {', '.join(shapes)}, not {_describe(type_node)}",
            )
        return None

    def options(self, key: Key, node: Node, what: str) -> tuple[Option, ...] | None:
        entries = self.seq(node, key, what)
        if entries is None:
            return None
        shape = spec.OPTION
        out: list[Option] = []
        before = len(self.problems)
        for entry in entries:
            f = self.fields(entry, shape, "option")
            if f is None or "text" not in f:
                continue
            text = self.text(f["text"], "text", "option")
            correct = self.boolean(f["correct"], "correct", "option") if "correct" in f else False
            why = self.text(f["why"], "why", "option") if "why" in f else None
            if text is not None and correct is not None:
                mark = entry.start_mark
                out.append(Option(text, correct, why, mark.line + 1, mark.column + 1))
        if len(self.problems) > before:  # e.g. a typo'd 'corect' would skew the count below
            return None
        if key.correct is not None:
            self._check_correct(key, node, entries, out, what)
        return tuple(out)

    def _check_correct(
        self, key: Key, node: Node, entries: list[Node], options: list[Option], what: str
    ) -> None:
        assert key.correct is not None
        lo, hi = key.correct
        right = [e for e, o in zip(entries, options, strict=True) if o.correct]
        n = len(right)
        if lo <= n and (hi is None or n <= hi):
            return
        if key.name == "options" and hi == 1:
            if n == 0:
                self.err(
                    node,
                    f"{what} is a single item: exactly one option needs "
                    "'correct: true', and none has it",
                )
            else:
                self.err(
                    right[1],
                    f"{what} is a single item: exactly one option may be "
                    f"correct, but {n} are (use type: multiple for select-all-that-apply)",
                )
        elif key.name == "options":
            self.err(node, f"{what} needs at least one option with 'correct: true'")
        else:
            self.err(
                node,
                f"'{key.name}' in {what} needs exactly {lo} correct "
                f"entr{'y' if lo == 1 else 'ies'}; it has {n}",
            )

    # -- per-type rules that span keys -----------------------------------------------

    def _finish_multiple(
        self, f: dict[str, Node], values: dict[str, Any], what: str, item_id: str | None
    ) -> None:
        choose = values.get("choose")
        if choose is None:  # none given (the options check covers it) or already reported
            return
        scoring = values.get("scoring")
        if scoring is not None and scoring != "zero_one":
            self.err(
                f["scoring"],
                f"a select-{choose} item ('choose: {choose}') is always "
                f"scored zero_one; remove 'scoring: {scoring}'",
            )
        values["scoring"] = "zero_one"
        options = values.get("options")
        if options is None:
            return
        n = sum(o.correct for o in options)
        if n != choose and n > 0:  # none correct is reported with the options
            self.err(
                f["choose"],
                f"'choose: {choose}' needs exactly {choose} correct "
                f"options, but {n} {'is' if n == 1 else 'are'} marked correct",
            )

    def _finish_cloze(
        self, f: dict[str, Node], values: dict[str, Any], what: str, item_id: str | None
    ) -> None:
        text = values.get("text")
        if text is None:
            return
        tnode = f["text"]
        segments: list[str] = []
        answers: list[tuple[str, ...]] = []
        pos = 0
        for m in _BLANK.finditer(text):
            segments.append(text[pos : m.start()])
            pos = m.end()
            alternatives = tuple(a.strip() for a in m.group(1).split("|"))
            number = len(answers) + 1
            if any("{" in a or "}" in a for a in alternatives):
                self.err(
                    tnode,
                    f"blank {number} ({show(m.group())}) holds a brace: close "
                    "each blank with '}}' before opening the next",
                )
            elif not all(alternatives):
                self.err(
                    tnode,
                    f"blank {number} ({show(m.group())}) has an empty answer: "
                    "write {{answer}} or {{answer|alternative}}",
                )
            answers.append(alternatives)
        segments.append(text[pos:])
        if any("{{" in s or "}}" in s for s in segments):
            self.err(
                tnode,
                "the text has a '{{' or '}}' without its partner: write each blank as {{answer}}",
            )
        if not answers:
            self.err(
                tnode,
                "a cloze item needs at least one blank in its text: write the "
                "missing word as {{answer}} (alternatives: {{answer|other}})",
            )
            return
        choices = self._cloze_choices(f, answers, what)
        values["segments"] = tuple(segments)
        values["blanks"] = tuple(
            Blank(a, choices[i] if choices else None) for i, a in enumerate(answers)
        )

    def _cloze_choices(
        self, f: dict[str, Node], answers: list[tuple[str, ...]], what: str
    ) -> list[tuple[str, ...]] | None:
        if spec.CHOICES not in f:
            return None
        key = spec.ITEM_SHAPES["cloze"].index[spec.CHOICES]
        node = f[spec.CHOICES]
        entries = self.seq(node, key, what)
        if entries is None:
            return None
        if len(entries) != len(answers):
            self.err(
                node,
                f"'choices' needs one list per blank: the text has "
                f"{len(answers)} blank{'s' if len(answers) != 1 else ''}, "
                f"'choices' has {len(entries)} list{'s' if len(entries) != 1 else ''}",
            )
            return None
        per_blank = Key("choices", spec.TEXT_LIST, min_items=1)
        out: list[tuple[str, ...]] = []
        for number, (entry, blank) in enumerate(zip(entries, answers, strict=True), 1):
            choices = self.texts(per_blank, entry, what)
            if choices is None:
                return None
            offered = {_norm(c) for c in choices}
            for answer in blank:
                if _norm(answer) not in offered:
                    self.err(
                        entry,
                        f"blank {number}'s answer {show(answer)} is not among its "
                        "choices: add it to the list",
                    )
            out.append(choices)
        return out

    def _finish_match(
        self, f: dict[str, Node], values: dict[str, Any], what: str, item_id: str | None
    ) -> None:
        rows, columns = values.get("rows"), values.get("columns")
        for name, entries in (("rows", rows), ("columns", columns)):
            if entries is not None and len(set(entries)) != len(entries):
                twice = next(e for e in entries if entries.count(e) > 1)
                self.err(f[name], f"{show(twice)} is listed twice in '{name}'")
                return
        node = f["answer"]
        if type(node) is not MappingNode or node.tag != MAP:
            if not self._bad_tag(node):
                self.err(
                    node,
                    f"'answer' in {what} must be a mapping of row: column, not {_describe(node)}",
                )
            return
        if rows is None or columns is None:
            return
        row_at = {r: i for i, r in enumerate(rows)}
        column_at = {c: j for j, c in enumerate(columns)}
        answer: list[int | None] = [None] * len(rows)
        for knode, vnode in node.value:
            row = self.text(knode, "answer row", what)
            column = self.text(vnode, "answer column", what)
            if row is None or column is None:
                continue
            i = row_at.get(row)
            if i is None:
                self.err(
                    knode,
                    f"the answer names the row {show(row)}, which is not in "
                    f"'rows'{_did_you_mean(row, rows)}",
                )
                continue
            if answer[i] is not None:
                self._duplicate_key(node, knode, knode.value)
                continue
            j = column_at.get(column)
            if j is None:
                self.err(
                    vnode,
                    f"the answer names the column {show(column)}, which is not "
                    f"in 'columns'{_did_you_mean(column, columns)}",
                )
                answer[i] = -1
                continue
            answer[i] = j
        for i, j in enumerate(answer):
            if j is None:
                self.err(
                    node,
                    f"row {show(rows[i])} has no answer: add "
                    f"{show(rows[i] + ': ' + columns[0])} (with its right column)",
                )
        values["answer"] = tuple(answer)

    def _finish_case(
        self, f: dict[str, Node], values: dict[str, Any], what: str, item_id: str | None
    ) -> None:
        key = spec.ITEM_SHAPES["case"].index[spec.PARTS]
        entries = self.seq(f[spec.PARTS], key, what)
        if entries is None:
            return
        seen: dict[str, Node] = {}
        case = f"case '{item_id}'" if item_id else what
        parts = [self.item(e, i, seen, case=case) for i, e in enumerate(entries)]
        if None not in parts:
            values[spec.PARTS] = tuple(parts)
