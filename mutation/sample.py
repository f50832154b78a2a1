"""Print a seeded random sample of mutant names, for ``make mutation MUTANTS=...`` on a machine
too busy for a whole run (mutant sampling: the score of a uniform sample estimates the whole's).

    .venv/bin/python mutation/sample.py --fraction 0.25 'generator.validate.*' 'generator.escape.*'

Only mutants not yet killed are printed unless ``--all``; names come from the mutants/ folder
of the last run (its *.meta files), so run ``make mutation`` (or any ``mutmut run``) first.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import random
import sys
from pathlib import Path

from mutmut.stats import status_by_exit_code

DETECTED = {"killed", "timeout", "segfault", "caught by type check"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("patterns", nargs="+", help="mutant names, * as a wildcard")
    parser.add_argument("--fraction", type=float, default=1.0, help="share of the matching mutants to print")
    parser.add_argument("--seed", type=int, default=20, help="the same seed gives the same sample")
    parser.add_argument("--all", action="store_true", help="killed mutants too")
    args = parser.parse_args(argv)
    metas = sorted(Path("mutants").rglob("*.py.meta"))
    if not metas:
        print("no mutants/ here: run `make mutation` first", file=sys.stderr)
        return 2
    names: list[str] = []
    for meta in metas:
        for name, code in json.loads(meta.read_text("utf-8"))["exit_code_by_key"].items():
            if any(fnmatch.fnmatch(name, p) for p in args.patterns) and (
                args.all or status_by_exit_code[code] not in DETECTED
            ):
                names.append(name)
    names.sort()
    chosen = sorted(random.Random(args.seed).sample(names, round(len(names) * args.fraction)))
    print(" ".join(chosen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
