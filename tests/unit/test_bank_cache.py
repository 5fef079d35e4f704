"""The parsed-bank cache: fast when it can be, invisible when it cannot."""

from __future__ import annotations

import marshal
import shutil
import zlib
from pathlib import Path

import pytest

from immunoquiz.banks import BankError, cache, load

VALID = Path(__file__).parent.parent / "data" / "valid"


@pytest.fixture
def bank_file(tmp_path: Path) -> Path:
    target = tmp_path / "all_types.yaml"
    shutil.copy(VALID / "all_types.yaml", target)
    return target


def checked(payload: bytes) -> bytes:
    """An entry whose checksum is right for `payload`: only its content can be wrong."""
    return b"%08x\n" % zlib.crc32(payload) + payload


def entries(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "banks").glob("*.bank"))


def test_a_hit_gives_an_equal_bank(bank_file: Path, isolated_dirs: dict[str, Path]) -> None:
    parsed = load(bank_file)
    assert len(entries(isolated_dirs["cache"])) == 1
    cached = cache.get(parsed.content_hash, str(bank_file))
    assert cached is not None
    assert cached == parsed
    # Locations survive too: lint warnings of a cached bank point at the right line.
    assert [(q.line, q.col) for q in cached.questions] == [
        (q.line, q.col) for q in parsed.questions
    ]
    options = [(o.line, o.col, o.why) for o in cached.questions[0].options]  # type: ignore[attr-defined]
    assert options == [(o.line, o.col, o.why) for o in parsed.questions[0].options]  # type: ignore[attr-defined]
    assert [(s.line, s.col) for s in cached.sources] == [(s.line, s.col) for s in parsed.sources]
    assert (cached.id_line, cached.path, cached.content_hash) == (
        parsed.id_line,
        parsed.path,
        parsed.content_hash,
    )
    assert load(bank_file) == parsed


def test_the_path_is_the_one_given_even_for_a_copy(bank_file: Path, tmp_path: Path) -> None:
    load(bank_file)
    copy = tmp_path / "copy.yaml"
    shutil.copy(bank_file, copy)
    assert load(copy).path == str(copy)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data.replace(b"Activated T cells", b"Activated B cells"),  # altered
        lambda data: b"",
        lambda data: b'00000000\n{"source": 1}',  # right shape of file, wrong content
        lambda data: checked(marshal.dumps({"source": 1})),  # sound file, wrong content
        lambda data: checked(marshal.dumps({"source": "x", "bank": {}})[:-3]),  # cut marshal
        lambda data: checked(b"not marshal at all"),
    ],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(
    bank_file: Path, isolated_dirs: dict[str, Path], damage
) -> None:
    parsed = load(bank_file)
    [entry] = entries(isolated_dirs["cache"])
    entry.write_bytes(damage(entry.read_bytes()))
    assert cache.get(parsed.content_hash, str(bank_file)) is None
    again = load(bank_file)
    assert again == parsed
    assert again.questions[0].options[0].text == "Activated T cells"  # type: ignore[attr-defined]
    assert cache.get(parsed.content_hash, str(bank_file)) == parsed  # rewritten


def test_an_unwritable_cache_is_bypassed(
    bank_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("IMMUNOQUIZ_CACHE", str(blocker / "cache"))
    first = load(bank_file)
    assert load(bank_file) == first
    assert blocker.read_text() == "a file where the cache folder should be"


def test_a_changed_file_is_not_served_stale(bank_file: Path) -> None:
    before = load(bank_file)
    bank_file.write_text(
        bank_file.read_text().replace("title: Every item type, every key", "title: Changed")
    )
    after = load(bank_file)
    assert (before.title, after.title) == ("Every item type, every key", "Changed")
    assert after.content_hash != before.content_hash


def test_an_invalid_bank_is_never_cached(bank_file: Path, isolated_dirs: dict[str, Path]) -> None:
    bank_file.write_text(bank_file.read_text().replace("correct: true", "corect: true", 1))
    for _ in range(2):
        with pytest.raises(BankError):
            load(bank_file)
    assert entries(isolated_dirs["cache"]) == []


def test_no_cache_means_no_cache(bank_file: Path, isolated_dirs: dict[str, Path]) -> None:
    load(bank_file, use_cache=False)
    assert entries(isolated_dirs["cache"]) == []


def test_old_entries_are_pruned(
    tmp_path: Path, isolated_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    text = (VALID / "minimal.yaml").read_text()
    for i in range(5):
        path = tmp_path / f"b{i}.yaml"
        path.write_text(text.replace("title: Minimal bank", f"title: Bank {i}"))
        load(path)
    assert len(entries(isolated_dirs["cache"])) == 3
