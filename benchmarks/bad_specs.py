"""How long `specgen validate` takes to refuse a broken spec, next to accepting the real one.

Every file of tests/hostile/bad_specs/ (alias bombs, deep nesting, unknown keys, ...) and a
10 MB spec are put in place of specs/activity.spec.yaml beside the real _api.yaml and run
through the CLI in a subprocess, as a user runs it. A refusal should cost no more than an
acceptance: the baseline row is the valid Activity spec. Medians of ``--runs`` runs.

    .venv/bin/python benchmarks/bad_specs.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "hostile" / "bad_specs"


def _time_validate(content: bytes, runs: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as scratch:
        specs = Path(scratch) / "specs"
        specs.mkdir()
        shutil.copy(ROOT / "specs" / "_api.yaml", specs / "_api.yaml")
        (specs / "activity.spec.yaml").write_bytes(content)
        times = []
        code = 0
        for _ in range(runs):
            started = time.perf_counter()
            code = subprocess.run(
                [sys.executable, "-m", "generator", "validate", "--specs", str(specs)],
                cwd=ROOT,
                capture_output=True,
                check=False,
            ).returncode
            times.append(time.perf_counter() - started)
    return statistics.median(times), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    valid = (ROOT / "specs" / "activity.spec.yaml").read_bytes()
    cases = {"(valid: the real Activity spec)": valid, "(10 MB spec)": valid + b"# " + b"x" * 10_000_000 + b"\n"}
    cases |= {p.stem: p.read_bytes() for p in sorted(CORPUS.glob("*.yaml")) if p.name != "expected.yaml"}
    rows = []
    for name, content in cases.items():
        median, code = _time_validate(content, args.runs)
        rows.append((name, median, code))
    baseline = rows[0][1]
    print(f"specgen validate, median of {args.runs} runs each")
    print(f"{'case':42} {'ms':>8} {'vs valid':>9} exit")
    for name, median, code in sorted(rows, key=lambda row: -row[1]):
        print(f"{name:42} {median * 1000:8.0f} {median / baseline:8.2f}x {code:4}")
    refusals = [median for name, median, _ in rows[1:]]
    print(f"refusals: median {statistics.median(refusals) * 1000:.0f} ms, slowest {max(refusals) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
