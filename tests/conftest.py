"""Shared fixtures: the repository layout and an in-process runner for the CLI."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from generator.cli import main

# CI decides whether work lands, so there the property tests draw the same examples every run
# (derandomized: a new bug found by chance must not block unrelated work); on a developer's
# machine they draw new ones each run, and keep finding what they can. .ci/run sets CI.
settings.register_profile("ci", derandomize=True, database=None)
# `make mutation` runs the suite once per mutant: there every property test draws the same
# examples each time, and none fails for being slow on a loaded machine, so that whether a
# mutant is killed depends on neither the draw nor the load.
settings.register_profile("mutation", derandomize=True, database=None, deadline=None)
if os.environ.get("SPECGEN_HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["SPECGEN_HYPOTHESIS_PROFILE"])
elif os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
TEMPLATES = ROOT / "templates"
GENERATED = ROOT / "generated"
GOLDEN = Path(__file__).resolve().parent / "golden"

# Expected outputs are data, not tests: never collect them.
collect_ignore_glob = ["golden/*/expected/*"]


@dataclass
class Run:
    code: int
    out: str
    err: str


Cli = Callable[..., Run]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run ``specgen`` in-process: ``cli("generate", "--specs", ...)`` -> Run."""

    def run(*argv: str) -> Run:
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the real specs in a scratch folder, for tests that edit or break them."""
    shutil.copytree(SPECS, tmp_path / "specs")
    return tmp_path


_CACHES = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below a folder with its bytes (tool caches aside), to prove a run changed nothing."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not _CACHES & set(p.relative_to(folder).parts)
    }
