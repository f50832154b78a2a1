"""A generate run killed with SIGKILL at any moment leaves the output wholly old or wholly new."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks.synthetic_specs import write_specs
from tests.conftest import ROOT, snapshot

KILLS = 50


def _generate(specs: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([*_command(specs, out)], check=True, capture_output=True)
    return time.perf_counter() - started


def _command(specs: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "generator",
        "generate",
        "--specs",
        str(specs),
        "--out",
        str(out),
        "--templates",
        str(ROOT / "templates"),
    ]


def test_sigkill_at_random_points_leaves_old_or_new(tmp_path: Path) -> None:
    sets = {
        "A": write_specs(tmp_path / "a" / "specs", 40),
        "B": write_specs(tmp_path / "b" / "specs", 40, flavour=" (revised)"),
    }
    expected = {}
    duration = 0.0
    for label, specs in sets.items():
        duration = max(duration, _generate(specs, tmp_path / f"reference-{label}"))
        expected[label] = snapshot(tmp_path / f"reference-{label}")
    assert expected["A"] != expected["B"]

    out = tmp_path / "out"
    _generate(sets["A"], out)
    state = "A"
    rng = random.Random(20261125)
    seen: Counter[str] = Counter()
    for attempt in range(KILLS):
        target = "B" if state == "A" else "A"
        process = subprocess.Popen(_command(sets[target], out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, duration * 2))  # wide: this disk can slow down mid-test
        process.kill()
        process.wait()
        now = snapshot(out)
        assert now in (expected["A"], expected["B"]), f"kill {attempt}: the output is neither wholly old nor wholly new"
        state = "A" if now == expected["A"] else "B"
        seen["completed" if state == target else "rolled back"] += 1

    # Kills landed both before and after the swap, so both outcomes were really exercised.
    assert seen["completed"] > 0 and seen["rolled back"] > 0, seen
    # A later run clears what killed runs left beside the folder and finishes the job.
    _generate(sets["B"], out)
    assert snapshot(out) == expected["B"]
    # Nothing beside it but the cache folder (which holds the lock and ignores itself in git).
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [".specgen-cache"]
