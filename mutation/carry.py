"""Carry the results of an earlier scoped run into mutants/ where the latest run left a mutant
not run (mutmut forgets the other results when a run starts with changed tests).

    .venv/bin/python mutation/carry.py SNAPSHOT [--skip 'generator.validate.x__explain__*' ...]

SNAPSHOT is a copy of an earlier run's mutants/**/*.meta files (same layout). A result is
carried only where the current run has none; ``--skip`` names the mutants of functions whose
source changed since the snapshot (mutmut numbers their mutants anew, so an old result would
belong to another mutant). Tests are only ever added or strengthened between runs, so a mutant
an earlier run killed is killed by today's tests too; survivors are run again, not carried.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
from pathlib import Path

from mutmut.stats import status_by_exit_code

DETECTED = {"killed", "timeout", "segfault", "caught by type check"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--skip", action="append", default=[], help="mutant names (fnmatch) not to carry")
    args = parser.parse_args(argv)
    carried = 0
    for old_meta in sorted(args.snapshot.rglob("*.py.meta")):
        meta = Path("mutants") / old_meta.relative_to(args.snapshot)
        if not meta.exists():
            continue
        old = json.loads(old_meta.read_text("utf-8"))["exit_code_by_key"]
        data = json.loads(meta.read_text("utf-8"))
        now = data["exit_code_by_key"]
        for name, code in old.items():
            if name not in now or now[name] is not None or status_by_exit_code[code] not in DETECTED:
                continue
            if any(fnmatch.fnmatch(name, pattern) for pattern in args.skip):
                continue
            now[name] = code
            carried += 1
        meta.write_text(json.dumps(data), "utf-8")
    print(f"{carried} results carried from {args.snapshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
