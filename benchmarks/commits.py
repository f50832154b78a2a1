"""`specgen generate` at two git revisions, side by side: did a change make generation slower?

Run: ``.venv/bin/python benchmarks/commits.py BEFORE AFTER [--models N] [--runs N] [--constructs]``. Each revision
is checked out into a temporary worktree and installed into its own virtual environment (the
templates are package data, so an editable install of this checkout would lend them its own);
then the two generate the same synthetic API into an empty folder (its cache inside it), alternating run by run so a
change in the machine's load falls on both. Prints medians of wall and CPU time (the process
and its workers), for the full generate and for the models target alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TARGETS = {"full generate": [], "models alone": ["--target", "models"]}


def install(revision: str, scratch: Path) -> Path:
    """A worktree of ``revision`` with its own environment; returns the environment's python."""
    tree = scratch / f"tree-{revision.replace('/', '_')}"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(tree), revision], check=True)
    venv = tree / ".bench-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(tree)], check=True)
    return venv / "bin" / "python"


def templates_flag(python: Path) -> list[str]:
    """Where the revision's templates are: installed with the package, or (older) a folder of the tree."""
    venv = python.parent.parent
    if any(venv.glob("lib/python*/site-packages/generator/templates")):
        return []
    return ["--templates", str(venv.parent / "templates")]


def write_specs(python: Path, folder: Path, models: int, constructs: bool = False) -> Path:
    """The synthetic API as the older revision writes it: the newer one reads what the older wrote.

    ``constructs``: with the whole-API constructs (the older revision must know them).
    """
    code = "import sys; from pathlib import Path; from benchmarks.synthetic_specs import write_specs; "
    code += f"print(write_specs(Path(sys.argv[1]), int(sys.argv[2]){', constructs=True' if constructs else ''}))"
    tree = python.parent.parent.parent
    done = subprocess.run(
        [str(python), "-c", code, str(folder), str(models)], cwd=tree, check=True, capture_output=True, text=True
    )
    return Path(done.stdout.strip())


def timed(python: Path, specs: Path, out: Path, extra: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds (children included) of one generate into an empty folder."""
    shutil.rmtree(out, ignore_errors=True)
    command = [str(python), "-m", "generator", "generate", "--specs", str(specs), "--out", str(out), *extra]
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a chatty run must not fill it and stall
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"{python}: generate failed: {errors.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--constructs", action="store_true", help="the whole-API constructs (abstract, nested types, relations...)"
    )
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="specgen-commits-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    try:
        pythons = {name: install(name, scratch) for name in (args.before, args.after)}
        specs = write_specs(pythons[args.before], scratch / "specs", args.models, args.constructs)
        work = scratch / "work"
        work.mkdir()
        results: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            for target, extra in TARGETS.items():
                for name, python in pythons.items():
                    out = work / f"out-{name.replace('/', '_')}"
                    runs = results.setdefault((target, name), [])
                    runs.append(timed(python, specs, out, [*extra, *templates_flag(python)], work))
        print(f"{args.models} models{' with the constructs' if args.constructs else ''}, medians of {args.runs} runs")
        print(f"{'':16}{'revision':>12}{'wall s':>9}{'CPU s':>8}")
        for (target, name), runs in results.items():
            wall = statistics.median(run[0] for run in runs)
            cpu = statistics.median(run[1] for run in runs)
            print(f"{target:16}{name[:12]:>12}{wall:9.2f}{cpu:8.2f}")
    finally:
        for tree in scratch.glob("tree-*"):
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
