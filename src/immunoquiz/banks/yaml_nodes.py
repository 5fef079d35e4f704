"""Bytes -> a YAML node tree, safely, or located problems.

Only `compose` runs: PyYAML builds plain nodes (tag, value, position) and never
constructs an object, so no tag can run code. Everything that can be refused
before looking at the bank's meaning is refused here: size, encoding, tabs,
control characters, YAML syntax, and alias bombs ("billion laughs").
"""

from __future__ import annotations

import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from immunoquiz.banks.limits import MAX_BYTES
from immunoquiz.banks.problems import BankError, Problem

# Aliases (`*name`) may repeat what an anchor (`&name`) wrote, but add no more than this
# many nodes in all: enough to share an option list, far too few for an alias bomb.
ALIAS_EXTRA_NODES = 10_000
# Past this many tab or control-character findings, one summary line says how many more.
MAX_CHAR_PROBLEMS = 20

_P = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = _P + "str", _P + "int", _P + "float", _P + "bool", _P + "null"
TIMESTAMP, VALUE, MERGE = _P + "timestamp", _P + "value", _P + "merge"
SEQ, MAP = _P + "seq", _P + "map"

_UTF8_BOM = b"\xef\xbb\xbf"
# Fast screens over the raw bytes, so the located scan below runs only when needed:
# C0 controls and DEL are single bytes in UTF-8; C1 controls are \xc2 + \x80-\x9f.
_C0_CONTROLS = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_NOT_C0 = bytes(b for b in range(256) if b not in _C0_CONTROLS)
_C1_CONTROL = re.compile(rb"\xc2[\x80-\x84\x86-\x9f]")
# A tab in a line's indentation, or a raw control character (YAML allows tab, LF, CR, NEL).
# An anchor's '&' is followed by at least one name character: anything but white space
# and , [ ] { } (YAML 1.1 and 1.2 alike).
_ANCHOR = re.compile(r"&[^\s,\[\]{}]")
_BAD_CHARS = re.compile(r"^[ ]*(\t)|([\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f])", re.M)

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers


class _Composer(_Base):  # type: ignore[misc]
    """The safe loader's parser and resolver, trimmed to what composing needs.

    The parser calls `resolve` once per node; the stock version also walks path
    resolvers, which safe loading never registers. Same tags, less work per node.
    """

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        return str(tag)
            return STR
        return SEQ if kind is SequenceNode else MAP


def position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def parse(data: bytes, path: str) -> Node:
    """The root node of a bank file's bytes; raises BankError with every problem found."""
    if len(data) > MAX_BYTES:
        raise BankError(
            [
                Problem(
                    path,
                    1,
                    1,
                    # Only MAX_BYTES + 1 bytes are ever read, so "over", never a rounded
                    # size ("8.0 MiB; at most 8 MiB" read as a contradiction).
                    f"the file is over {MAX_BYTES:,} bytes; a bank may be at most "
                    f"{MAX_BYTES // 2**20} MiB (split it into several banks)",
                )
            ]
        )
    text = _decode(data, path)
    suspect = b"\t" in data or data.translate(None, _NOT_C0) or _C1_CONTROL.search(data) is not None
    problems = _scan_characters(text, path) if suspect else []
    if problems:
        # A tab indent or a stray control byte leaves the structure unknowable:
        # report them all and stop rather than guess.
        raise BankError(problems)
    root = _compose(text, path)
    if root is None:
        raise BankError([Problem(path, 1, 1, "the file is empty: a bank starts with 'format: 1'")])
    # Aliases can only exist where an anchor was written: '&' then a name, with no space
    # or flow indicator between ("Merck Sharp & Dohme" is not one).
    if _ANCHOR.search(text) is not None:
        _check_aliases(root, path)
    return root


def _decode(data: bytes, path: str) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise BankError([Problem(path, 1, 1, "the file is saved as UTF-16; save it as UTF-8")])
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        byte = data[exc.start]
        raise BankError(
            [
                Problem(
                    path,
                    line,
                    col,
                    f"the file is not UTF-8 text (byte 0x{byte:02X} here); save it as UTF-8",
                )
            ]
        ) from None


def _scan_characters(text: str, path: str) -> list[Problem]:
    problems: list[Problem] = []
    more, first_more = 0, 0
    for m in _BAD_CHARS.finditer(text):
        tab = m.group(1) is not None
        index = m.start(1) if tab else m.start(2)
        if len(problems) == MAX_CHAR_PROBLEMS:
            more, first_more = more + 1, first_more or index
            continue
        line, col = position(text, index)
        if tab:
            msg = "a tab is used for indentation; indent with spaces"
        else:
            msg = (
                f"control character U+{ord(m.group(2)):04X} is not allowed "
                "(remove it; it may have been pasted from another program)"
            )
        problems.append(Problem(path, line, col, msg))
    if more:
        line, col = position(text, first_more)
        problems.append(Problem(path, line, col, f"... and {more} more like these from here on"))
    return problems


# PyYAML's wording -> what to do about it, for the mistakes authors make most.
_HINTS = (
    ("mapping values are not allowed", "text containing ': ' must be put in quotes"),
    ("could not find expected ':'", "a line is missing its ':' or is indented wrongly"),
    ("expected <block end>", "check the indentation of this line and the one above"),
    ("found undefined alias", "an alias (*name) needs an anchor (&name) written before it"),
    ("found duplicate anchor", "each anchor (&name) may be defined once"),
    ("expected a single document", "a bank is one YAML document: remove the extra '---'"),
    ("found unexpected end of stream", "a quote or bracket is not closed"),
    ("exceeded maximum nesting depth", "the file is nested too deeply"),
)


def _compose(text: str, path: str) -> Node | None:
    try:
        return yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as exc:
        problem = " ".join(str(exc.problem or "syntax error").split())
        context = " ".join(str(exc.context or "").split())
        mark = exc.problem_mark or exc.context_mark
        if problem.startswith("but ") and context:  # "expected X" / "but found Y"
            problem = f"{context} {problem}"
        elif "end of stream" in problem and exc.context_mark is not None:
            mark = exc.context_mark  # point at where the unclosed quote or bracket began
            opened = "quoted text" if "quoted" in context else "bracket ([ or {)"
            problem = f"this {opened} is never closed"
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        hint = next((h for key, h in _HINTS if key in problem), "")
        msg = f"not valid YAML: {problem}" + (f" ({hint})" if hint else "")
        raise BankError([Problem(path, line, col, msg)]) from None
    except yaml.reader.ReaderError as exc:
        # The C reader counts bytes, the Python one characters; either way, near enough.
        index = min(exc.position, len(text))
        line, col = position(text, index)
        raise BankError([Problem(path, line, col, f"not valid YAML text: {exc.reason}")]) from None
    except yaml.YAMLError as exc:
        msg = " ".join(str(exc).split())
        raise BankError([Problem(path, 1, 1, f"not valid YAML: {msg}")]) from None
    except RecursionError:
        raise BankError([Problem(path, 1, 1, "the file is nested too deeply")]) from None


def _check_aliases(root: Node, path: str) -> None:
    """Refuse recursive aliases and alias expansion past the budget, before any building.

    Composing shares an anchored node between its aliases, so the tree is small even
    for a bomb; what would explode is walking it. Subtree sizes are memoised per node,
    so this costs one visit per collection node whatever the expansion.
    """
    sizes: dict[int, int | None] = {}  # id(node) -> expanded size; None while being visited
    extra = 0
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        children = _children(node)
        if done:
            total = 1
            for c in children:
                total += 1 if type(c) is ScalarNode else (sizes[id(c)] or 0)
            sizes[id(node)] = min(total, ALIAS_EXTRA_NODES + 1)
            continue
        key = id(node)
        if key in sizes:
            size = sizes[key]
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
            if size is None:
                raise BankError([Problem(path, line, col, "an alias refers to itself")])
            extra += size
            if extra > ALIAS_EXTRA_NODES:
                raise BankError(
                    [
                        Problem(
                            path,
                            line,
                            col,
                            f"aliases repeat more than {ALIAS_EXTRA_NODES:,} nodes; "
                            "write the content out (is this an alias bomb?)",
                        )
                    ]
                )
            continue
        sizes[key] = None
        stack.append((node, True))
        stack.extend((c, False) for c in children if type(c) is not ScalarNode)


def _children(node: Node) -> list[Node]:
    if type(node) is MappingNode:
        return [n for pair in node.value for n in pair]
    if type(node) is SequenceNode:
        items: list[Node] = node.value
        return items
    return []
