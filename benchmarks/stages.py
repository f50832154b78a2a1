"""Where one ``specgen generate`` spends its time: a timeline of its stages, in this process.

Run: ``.venv/bin/python benchmarks/stages.py [--models N] [--target models]`` (a synthetic API
of N models on tmpfs, generated into an empty folder, the compiled-template cache empty as on
a first run; PYTHONDONTWRITEBYTECODE is ignored so that imports cost what they do on a user's
machine after the first run).
Each line is a stage: when it started and ended, in seconds since the generator's modules
started to import (the interpreter's own start, about 20 ms, comes before), and the CPU time
it used, its workers' and ruff's included (on a loaded machine, the figure to read).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.dont_write_bytecode = False

from benchmarks.synthetic_specs import write_specs  # noqa: E402

LINES: list[str] = []
STARTED = 0.0
CPU_STARTED = 0.0


def cpu() -> float:
    """CPU seconds (user + system) of this process and of its children that have ended (workers, ruff)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(owner: Any, name: str) -> None:
    """Wrap ``owner.name`` so that each call adds a line to the timeline, with its CPU time."""
    function: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        begin, cpu_begin = time.perf_counter() - STARTED, cpu()
        try:
            return function(*args, **kwargs)
        finally:
            end, used = time.perf_counter() - STARTED, cpu() - cpu_begin
            what = owner.__name__ + "." + name
            LINES.append(f"{what:<34} {begin:6.3f} -> {end:6.3f}  ({end - begin:.3f} s, CPU {used:.3f} s)")

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--target", action="append", default=[], help="as specgen's --target (default: all)")
    parser.add_argument("--scratch", type=Path, default=Path("/dev/shm/specgen-stages"))
    parser.add_argument(
        "--constructs", action="store_true", help="the whole-API constructs (abstract, nested types...)"
    )
    args = parser.parse_args()
    shutil.rmtree(args.scratch, ignore_errors=True)
    specs = write_specs(args.scratch / "specs", args.models, constructs=args.constructs)
    out = args.scratch / "generated"

    global STARTED, CPU_STARTED
    STARTED, CPU_STARTED = time.perf_counter(), cpu()
    import generator.cache
    import generator.cli
    import generator.load
    import generator.output
    import generator.parallel
    import generator.pyformat
    import generator.targets

    LINES.append(f"{'imports done':<34} {time.perf_counter() - STARTED:6.3f}")
    timed(generator.cache, "inputs_digest")
    timed(generator.load, "load_api")
    timed(generator.parallel, "map_items")
    timed(generator.parallel, "map_items_beside")
    timed(generator.targets, "_render_shared")
    timed(generator.targets, "_assemble")
    timed(generator.pyformat, "format_python")
    timed(generator.output, "plan")
    timed(generator.output, "apply")
    timed(generator.cache, "save")
    command = ["generate", "--specs", str(specs), "--out", str(out), "--templates", str(ROOT / "templates")]
    command += [f"--target={target}" for target in args.target]
    code = generator.cli.main(command)
    LINES.append(f"{'total':<34} {time.perf_counter() - STARTED:6.3f}  (CPU {cpu() - CPU_STARTED:.3f} s)")
    print("\n".join(LINES))
    shutil.rmtree(args.scratch, ignore_errors=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
