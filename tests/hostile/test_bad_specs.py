"""A corpus of broken spec files: each exits 1 with a file:line:col message and changes nothing.

Each file of bad_specs/ is put in place of specs/activity.spec.yaml beside the real _api.yaml
and run through the real CLI in a subprocess, as CI would run it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, SPECS, snapshot

CORPUS = Path(__file__).parent / "bad_specs"
EXPECTED: dict[str, str] = yaml.safe_load((CORPUS / "expected.yaml").read_text("utf-8"))
LOCATED = re.compile(r"^specs/activity\.spec\.yaml:\d+:\d+: ", re.M)


def test_the_corpus_is_large_and_fully_indexed() -> None:
    files = sorted(p.stem for p in CORPUS.glob("*.yaml") if p.name != "expected.yaml")
    assert len(files) >= 40
    assert files == sorted(EXPECTED)


def _run_with(tmp_path: Path, content: bytes) -> tuple[subprocess.CompletedProcess[str], Path]:
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(SPECS / "_api.yaml", specs / "_api.yaml")
    (specs / "activity.spec.yaml").write_bytes(content)
    out = tmp_path / "generated"
    out.mkdir()
    (out / "existing.txt").write_text("left alone\n")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--templates", str(ROOT / "templates")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,  # a hang guard (an alias bomb expanded), not a speed check: benchmarks/bad_specs.py
    )
    return result, out


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_broken_spec(tmp_path: Path, case: str) -> None:
    result, out = _run_with(tmp_path, (CORPUS / f"{case}.yaml").read_bytes())
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert LOCATED.search(result.stderr), result.stderr
    assert EXPECTED[case] in result.stderr, result.stderr
    assert snapshot(out) == {"existing.txt": b"left alone\n"}


def test_a_10_mb_spec_is_refused_before_parsing(tmp_path: Path) -> None:
    """The size limit answers before YAML parsing starts (the message says so by its location)."""
    content = (SPECS / "activity.spec.yaml").read_bytes() + b"# " + b"x" * 10_000_000 + b"\n"
    result, out = _run_with(tmp_path, content)
    assert result.returncode == 1
    assert "specs/activity.spec.yaml:1:1: file is 10,00" in result.stderr
    assert snapshot(out) == {"existing.txt": b"left alone\n"}
