"""The built wheel works on its own: banks, schema and format doc travel inside it.

Builds the wheel from this checkout, installs it with --no-deps into a fresh virtual
environment outside the repository (which sees this environment's packages, so
nothing is downloaded), and runs the installed `immunoquiz` from a folder that has
no checkout in it, as someone who ran `pipx install` would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted(p.name for p in (ROOT / "question_banks").glob("*.yaml"))


@dataclass(frozen=True)
class Installed:
    place: Path  # a folder outside the repository: the working directory of every run
    bin: Path
    env: dict[str, str]

    def run(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "immunoquiz"), *args],
            input=stdin, cwd=self.place, env=self.env, capture_output=True, text=True,
            check=False, timeout=120,
        )  # fmt: skip

    def python(self, code: str) -> str:
        return _run([str(self.bin / "python"), "-c", code], cwd=self.place, env=self.env).strip()


def _run(args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
          "--wheel-dir", str(out), "--quiet"])  # fmt: skip
    (path,) = out.glob("immunoquiz-*.whl")
    return path


def _fresh_env(place: Path, *install: str) -> Installed:
    """A virtual environment in `place` seeing this one's packages, then `pip install`."""
    env_dir = place / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    python = str(env_dir / "bin" / "python")
    # --system-site-packages reaches the base interpreter's packages, not those of this
    # (virtual) test environment: one .pth line per folder makes those visible too.
    purelib = Path(
        _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).strip()
    )
    ours = sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")})
    (purelib / "test-environment.pth").write_text("".join(f"{p}\n" for p in ours))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env |= {"IMMUNOQUIZ_HOME": str(place / "home"), "IMMUNOQUIZ_CACHE": str(place / "cache")}
    _run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--no-build-isolation",
          "--quiet", *install], cwd=place, env=env)  # fmt: skip
    return Installed(place, env_dir / "bin", env)


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    done = _fresh_env(tmp_path_factory.mktemp("elsewhere"), str(wheel))
    where = done.python("import immunoquiz; print(immunoquiz.__file__)")
    assert Path(where).is_relative_to(done.bin.parent), f"imported another copy: {where}"
    return done


@pytest.fixture(scope="module")
def editable(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    return _fresh_env(tmp_path_factory.mktemp("editable"), "--editable", str(ROOT))


def test_wheel_carries_banks_schema_and_format_doc(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for bank in BUNDLED:
        assert f"immunoquiz/question_banks/{bank}" in names
    assert "immunoquiz/schema/bank.schema.json" in names
    assert "immunoquiz/docs/bank-format.md" in names
    # every file of the package travels: py.typed, stylesheets, page templates, static files
    package = ROOT / "src" / "immunoquiz"
    tracked = (
        subprocess.run(
            ["git", "ls-files", "-z", "--", "."], cwd=package, capture_output=True, check=True
        )
        .stdout.decode()
        .split("\0")
    )
    data = {f"immunoquiz/{name}" for name in tracked if name and not name.endswith(".py")}
    assert "immunoquiz/py.typed" in data and "immunoquiz/tui/app.tcss" in data
    assert data <= names, sorted(data - names)


def test_installed_validate_checks_the_bundled_banks(installed: Installed) -> None:
    done = installed.run("validate", "--json")
    assert done.returncode == 0, done.stderr
    files = json.loads(done.stdout)["files"]
    assert sorted(Path(f["path"]).name for f in files) == BUNDLED
    assert all(f["valid"] for f in files)
    assert sum(f["items"] for f in files) >= 186
    # the files checked are the installed copies, not the repository's
    assert all(not Path(f["path"]).is_relative_to(ROOT) for f in files)


def test_installed_plain_study_answers_and_saves(installed: Installed) -> None:
    done = installed.run("study", "--plain", "--topic", "tnbc", "--new-limit", "1", stdin="1\nq\n")
    assert done.returncode == 0, done.stderr
    assert "1 new available" in done.stdout
    assert "Session summary: 1 answered" in done.stdout
    stats = installed.run("stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["total_reviews"] == 1


def test_installed_version(installed: Installed) -> None:
    from immunoquiz import __version__

    done = installed.run("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"immunoquiz {__version__}"


SHIPPED = (
    "from immunoquiz import paths; "
    "print(paths.bundled_banks_dir(), paths.schema_file(), paths.format_doc())"
)


def test_installed_finds_its_own_copies(installed: Installed) -> None:
    found = [Path(p) for p in installed.python(SHIPPED).split()]
    for path in found:
        assert path.exists() and path.is_relative_to(installed.bin.parent), path


def test_editable_install_finds_the_repository_copies(editable: Installed) -> None:
    # force-include does not apply to an editable install: the top-level folders serve
    found = [Path(p) for p in editable.python(SHIPPED).split()]
    assert found == [ROOT / "question_banks", ROOT / "schema/bank.schema.json",
                     ROOT / "docs/bank-format.md"]  # fmt: skip
    done = editable.run("validate", "--json")
    assert done.returncode == 0, done.stderr
    assert sum(f["items"] for f in json.loads(done.stdout)["files"]) >= 186
