"""Generated Python passes ruff check, ruff format --check and mypy --strict, like hand-written code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GENERATED, GOLDEN, ROOT

PYTHON_TREES = [
    GENERATED / "python",
    *sorted(p / "expected" / "python" for p in GOLDEN.iterdir() if (p / "expected" / "python").is_dir()),
]
IDS = [p.relative_to(ROOT).as_posix() for p in PYTHON_TREES]


def _run(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *argv], cwd=cwd, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("tree", PYTHON_TREES, ids=IDS)
def test_ruff_check_and_format(tree: Path) -> None:
    config = str(ROOT / "pyproject.toml")
    lint = _run("ruff", "check", "--no-cache", "--config", config, ".", cwd=tree)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = _run("ruff", "format", "--check", "--no-cache", "--config", config, ".", cwd=tree)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


@pytest.mark.parametrize("tree", PYTHON_TREES, ids=IDS)
def test_mypy_strict(tree: Path, tmp_path: Path) -> None:
    packages = sorted(p.name for p in tree.iterdir() if (p / "__init__.py").is_file())
    args = ["mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache")]
    for package in packages:
        args += ["-p", package]
    result = _run(*args, cwd=tree)
    assert result.returncode == 0, result.stdout + result.stderr
