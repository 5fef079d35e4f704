"""A disposable cache of parsed banks, so an unchanged bank loads without YAML.

One file per bank under `paths.cache_dir()/banks/`, named by a hash of the bank
file's bytes, the cache format, the Python, package and PyYAML versions and the
loader's own source (so changing the loader cannot serve an old meaning). The
payload is `marshal` data (plain dicts, lists, strings and numbers: loading it runs
no code, unlike pickle) rather than JSON, which read 2.5x slower; marshal's format
can change between Python versions, hence the version in the name. Each file
starts with a CRC-32 of its payload: a truncated or damaged entry is detected and
ignored (a checksum against accidents, not a defence against someone who can write
to your cache folder; they could as well edit the bank). Every failure here
(missing, stale, corrupt, unwritable) means "no cache": the bank is parsed again
and nothing is reported.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import marshal
import os
import re
import sys
import zlib
from collections.abc import Callable
from itertools import starmap
from pathlib import Path
from typing import Any

import immunoquiz
from immunoquiz import paths, records
from immunoquiz.banks import model
from immunoquiz.banks.model import ITEM_CLASSES, Bank, Blank, Item, Option, Source

CACHE_FORMAT = 2  # 1: JSON entries (*.json, pruned like the others)
MAX_ENTRIES = 200  # past this, the oldest entries are removed when a new one is written
_ENTRY = r"[0-9a-f]{64}\.(bank|json)"  # compiled by `re` on a prune, not at every start


def cache_root() -> Path:
    return paths.cache_dir() / "banks"


@functools.cache
def _stamp() -> bytes:
    """What, besides the bank's bytes, decides what a cached entry means.

    Read from the files, never by importing them: a warm start imports neither
    PyYAML nor the builder (PyYAML counts by its own source, which names its version).
    """
    h = hashlib.sha256(f"immunoquiz-bank-cache {CACHE_FORMAT} marshal {marshal.version}".encode())
    h.update(sys.version.encode())
    # the package's version is the one in immunoquiz/__init__.py (the build reads it
    # from there), so no importlib.metadata, which costs more than the rest of the stamp
    h.update(immunoquiz.__version__.encode())
    yaml_spec = importlib.util.find_spec("yaml")
    here = Path(model.__file__ or "").parent
    sources = [yaml_spec.origin if yaml_spec else None]
    sources += [str(here / f"{name}.py") for name in ("model", "build", "spec", "yaml_nodes")]
    for source in sources:
        try:
            h.update(Path(source or "").read_bytes())
        except OSError:
            h.update(str(source).encode())
    return h.digest()


def entry_path(content_hash: str) -> Path:
    name = hashlib.sha256(_stamp() + content_hash.encode()).hexdigest()
    return cache_root() / f"{name}.bank"


def get(content_hash: str, path: str) -> Bank | None:
    """The cached bank for these file bytes, or None (no entry, or not one to trust)."""
    try:
        data = entry_path(content_hash).read_bytes()
    except OSError:
        return None
    checksum, _, payload = data.partition(b"\n")
    if checksum != b"%08x" % zlib.crc32(payload):
        return None
    try:
        doc = marshal.loads(payload)
        if doc["source"] != content_hash:
            return None
        return decode(doc["bank"], path=path, content_hash=content_hash)
    except Exception:  # a damaged entry must never stop a load: parse the file instead
        return None


def put(content_hash: str, bank: Bank) -> None:
    """Store a valid bank; silently does nothing if the cache cannot be written."""
    import tempfile  # only on a miss: a warm load never writes

    try:
        payload = marshal.dumps({"source": content_hash, "bank": encode(bank)})
        target = entry_path(content_hash)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".bank")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(b"%08x\n" % zlib.crc32(payload) + payload)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _prune(target.parent)
    except (OSError, ValueError, TypeError):
        return


def _prune(folder: Path) -> None:
    entries = [e for e in os.scandir(folder) if re.fullmatch(_ENTRY, e.name)]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda e: e.stat().st_mtime)
    for entry in entries[: len(entries) - MAX_ENTRIES]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)


# -- Bank <-> plain data -------------------------------------------------------------
# Compact on purpose: options and sources are rows, fields at their default are left
# out. Items are rebuilt by filling their __dict__ (frozen dataclasses without slots)
# rather than through __init__, which is most of the speed of a warm load.


def _option_row(o: Option) -> list[Any]:
    return [o.text, o.correct, o.why, o.line, o.col]


def _encode_value(value: Any) -> Any:
    if type(value) is tuple:
        if value and type(value[0]) is Option:
            return [_option_row(o) for o in value]
        if value and type(value[0]) is Blank:
            return [
                [list(b.answers), None if b.choices is None else list(b.choices)] for b in value
            ]
        if value and isinstance(value[0], Item):
            return [_encode_item(i) for i in value]
        return list(value)
    return value


def _encode_item(item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {"type": item.type}
    defaults = _defaults(item.type)
    for f in records.fields(item):
        value = getattr(item, f.name)
        if f.name in defaults and defaults[f.name] == value:
            continue
        out[f.name] = _encode_value(value)
    return out


def encode(bank: Bank) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in records.fields(bank):
        if f.name in ("path", "content_hash"):
            continue
        value = getattr(bank, f.name)
        if f.name == "sources":
            out[f.name] = [[s.key, s.cite, s.url, s.line, s.col] for s in value]
        else:
            out[f.name] = _encode_value(value)
    return out


def decode(doc: dict[str, Any], *, path: str, content_hash: str) -> Bank:
    doc = dict(doc)
    doc["sources"] = tuple(Source(*row) for row in doc["sources"])
    doc["questions"] = tuple(_decode_item(d) for d in doc["questions"])
    return Bank(**doc, path=path, content_hash=content_hash)


def _decode_item(d: dict[str, Any]) -> Item:
    return _decoder(d.pop("type"))(d)


def _options(rows: list[list[Any]]) -> tuple[Option, ...]:
    return tuple(starmap(Option, rows))


def _fast_options() -> Callable[[list[list[Any]]], tuple[Option, ...]]:
    """`_options`, filling the slots directly: options are most of a bank's objects and
    the frozen dataclass __init__ is most of their cost. Used only while Option's
    fields are exactly its slots, in order; the tests compare cached and parsed banks."""
    names = [f.name for f in records.fields(Option)]
    if getattr(Option, "__slots__", None) != tuple(names) or len(names) != 5:
        return _options
    new = object.__new__
    text, correct, why, line, col = (getattr(Option, n).__set__ for n in names)

    def options(rows: list[list[Any]]) -> tuple[Option, ...]:
        out = []
        for t, c, w, ln, cl in rows:
            o = new(Option)
            text(o, t)
            correct(o, c)
            why(o, w)
            line(o, ln)
            col(o, cl)
            out.append(o)
        return tuple(out)

    return options


def _blanks(rows: list[list[Any]]) -> tuple[Blank, ...]:
    return tuple(Blank(tuple(a), tuple(c) if c is not None else None) for a, c in rows)


def _items(rows: list[dict[str, Any]]) -> tuple[Item, ...]:
    return tuple(map(_decode_item, rows))


@functools.cache
def _decoder(item_type: str) -> Callable[[dict[str, Any]], Item]:
    """A function that turns one item's cached data into the item, made once per type."""
    cls = ITEM_CLASSES[item_type]
    converters = tuple(_converters(item_type).items())
    defaults = _defaults(item_type)
    allowed = frozenset(f.name for f in records.fields(cls))
    required = frozenset(
        f.name
        for f in records.fields(cls)
        if f.default is records.MISSING and f.default_factory is records.MISSING
    )
    new = object.__new__

    def decode_item(d: dict[str, Any]) -> Item:
        for name, convert in converters:
            if name in d:
                d[name] = convert(d[name])
        if not required <= d.keys() <= allowed:
            raise ValueError(f"cache entry does not fit {cls.__name__}")
        item = new(cls)
        fields = item.__dict__
        fields.update(defaults)
        fields.update(d)
        return item

    return decode_item


# A field's annotation as the model writes it (a string: the model module uses
# `from __future__ import annotations`): `tuple[X, ...]`.
_TUPLE_HINT = re.compile(r"tuple\[(\w+), \.\.\.\]")


@functools.cache
def _converters(item_type: str) -> dict[str, Callable[[Any], Any]]:
    """Cached value -> model value, per field, read from the model's own annotations.

    Read as text, not through typing.get_type_hints, which evaluates every annotation
    of the class and its bases and cost more than decoding the banks themselves. An
    annotation this does not know raises, and the entry is parsed from YAML instead.
    """
    rows: dict[str, Callable[[Any], Any]] = {
        "Option": _fast_options(),
        "Blank": _blanks,
        "Item": _items,
    }
    table: dict[str, Callable[[Any], Any]] = {}
    for f in records.fields(ITEM_CLASSES[item_type]):
        hint = str(f.type)
        match = _TUPLE_HINT.fullmatch(hint)
        if match is None:
            if "tuple" in hint:
                raise TypeError(f"cache: no converter for {f.name}: {hint}")
            continue
        table[f.name] = rows.get(match[1], tuple)
    return table


@functools.cache
def _defaults(item_type: str) -> dict[str, Any]:
    # keyed by type name: mypy cannot see that a `type[Item]` value is hashable
    fields = records.fields(ITEM_CLASSES[item_type])
    return {f.name: f.default for f in fields if f.default is not records.MISSING}
