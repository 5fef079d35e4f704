"""The domain stays headless: importing it must not pull in Textual or Rich.

Run in a fresh interpreter each time, since this test process may already have
imported Textual for the TUI tests.
"""

import subprocess
import sys

import pytest

HEADLESS = [
    "immunoquiz.banks",
    "immunoquiz.responses",
    "immunoquiz.scoring",
    "immunoquiz.scheduling",
    "immunoquiz.store",
    "immunoquiz.study",
    "immunoquiz.educator",
    "immunoquiz.cli",
]

CHECK = """
import importlib, sys
importlib.import_module({module!r})
leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))
print(','.join(leaked))
"""


@pytest.mark.parametrize("module", HEADLESS)
def test_module_imports_without_textual(module: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHECK.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "", f"{module} imported {out.stdout.strip()}"
