"""From a checkout (PYTHONPATH=src or an editable install) the shipped files are the
repository's own top-level copies; a wheel carries them inside the package instead
(tests/integration/test_wheel.py)."""

from __future__ import annotations

from pathlib import Path

import immunoquiz
from immunoquiz import paths

ROOT = Path(__file__).resolve().parents[2]


def test_checkout_uses_the_repository_folders() -> None:
    assert Path(immunoquiz.__file__).resolve().is_relative_to(ROOT / "src")
    assert paths.bundled_banks_dir() == ROOT / "question_banks"
    assert paths.schema_file() == ROOT / "schema" / "bank.schema.json"
    assert paths.format_doc() == ROOT / "docs" / "bank-format.md"
    assert len(list(paths.bundled_banks_dir().glob("*.yaml"))) >= 4
    assert paths.schema_file().is_file() and paths.format_doc().is_file()
