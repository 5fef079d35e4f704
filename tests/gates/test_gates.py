"""The quality gates, run as part of the test suite so one command checks everything.

Each gate runs its tool as a subprocess over the checkout, with the configuration in
pyproject.toml, and fails with the tool's own report.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

LINT_IMPORTS = "from importlinter.cli import lint_imports_command; lint_imports_command()"

GATES = {
    "ruff check": ["-m", "ruff", "check", "--no-cache", "."],
    "ruff format": ["-m", "ruff", "format", "--check", "--no-cache", "."],
    "mypy --strict": ["-m", "mypy"],
    "import contracts": ["-c", LINT_IMPORTS, "--no-cache"],
}


def run_tool(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # import-linter and mypy must see this checkout's src/, installed or not
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env.pop("NO_COLOR", None)
    env["TERM"] = "dumb"
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("gate", GATES)
def test_gate_passes(gate: str) -> None:
    result = run_tool(GATES[gate])
    assert result.returncode == 0, f"{gate} failed:\n{result.stdout}\n{result.stderr}"
