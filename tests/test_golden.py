"""Golden files: each fixture spec set under tests/golden/ renders to exactly its expected/ tree.

Rewrite the goldens after an intended change with ``make goldens`` and review the diff.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from generator.render import Templates
from generator.targets import build, flatten
from tests.conftest import GOLDEN

CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "specs").is_dir())
UPDATE = os.environ.get("SPECGEN_UPDATE_GOLDENS") == "1"


def _expected(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_text("utf-8") for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES)
def test_golden_output(case: str) -> None:
    case_dir = GOLDEN / case
    actual = flatten(build(case_dir / "specs", Templates()))  # what `specgen generate` runs
    expected_dir = case_dir / "expected"
    if UPDATE:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, text in actual.items():
            (expected_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / rel).write_text(text, encoding="utf-8")
    expected = _expected(expected_dir)
    problems: list[str] = []
    for rel in sorted(set(expected) | set(actual)):
        if rel not in actual:
            problems.append(f"{rel}: expected but no longer generated")
        elif rel not in expected:
            problems.append(f"{rel}: generated but not in the goldens")
        elif actual[rel] != expected[rel]:
            diff = difflib.unified_diff(
                expected[rel].splitlines(keepends=True),
                actual[rel].splitlines(keepends=True),
                f"expected/{rel}",
                f"actual/{rel}",
            )
            problems.append("".join(diff))
    assert not problems, f"golden output of {case!r} differs (run `make goldens` if intended):\n" + "\n".join(problems)


def test_every_case_has_goldens() -> None:
    assert CASES, "no golden cases found"
    for case in CASES:
        assert (GOLDEN / case / "expected").is_dir(), f"{case}: run `make goldens` and commit expected/"
