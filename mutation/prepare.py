"""Make mutants/ ready for a scoped run after modules joined ``only_mutate``.

    .venv/bin/python mutation/prepare.py

mutmut copies every source file into mutants/ and mutates only those listed; it later takes a
copy newer than its source as already mutated. A module that joins the list after a run was
copied plain by that run, so a scoped run would find no mutant in it and map no test to it: its
mutants show as "no tests". The same holds for a module that left the list and joins it again:
its old mutation data stays beside a plain copy. For each listed module without mutation data in
mutants/, or whose copy there is plain, this drops the old data, touches the source (mutmut then
mutates it) and, if any was touched, moves mutmut's test map (mutmut-stats.json) aside, so that
every test is mapped again, the new modules' functions with them. Results already in mutants/
are kept. ``make mutation MUTANTS=...`` runs it first.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

# Every copy mutmut mutated imports its trampoline; a plain copy does not.
TRAMPOLINE = "from mutmut.mutation.trampoline import"


def _mutated(mutants: Path, name: str) -> bool:
    copy = mutants / name
    if not (mutants / f"{name}.meta").exists() or not copy.exists():
        return False
    return TRAMPOLINE in copy.read_text("utf-8")


def prepare(root: Path) -> list[str]:
    """The listed modules that had no mutation data (now touched), in the listed order."""
    config = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    mutants = root / "mutants"
    if not mutants.is_dir():
        return []  # a fresh run mutates everything
    joined = [name for name in config["only_mutate"] if not _mutated(mutants, name)]
    for name in joined:
        for old in (mutants / f"{name}.meta", mutants / f"{name}.spans"):
            old.unlink(missing_ok=True)
        (root / name).touch()
    stats = mutants / "mutmut-stats.json"
    if joined and stats.exists():
        stats.replace(mutants / "mutmut-stats.before-prepare.json")
    return joined


def main() -> int:
    for name in prepare(Path.cwd()):
        print(f"{name}: joined the run since mutants/ was made; mutated from now on, every test mapped again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
