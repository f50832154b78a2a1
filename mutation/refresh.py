"""Renumber the entries of mutation/equivalent.toml whose function changed since they were written.

    .venv/bin/python mutation/refresh.py [--write]

When a function changes, mutmut numbers its mutants anew, and an entry's quoted line no longer
matches its mutant (the report calls it stale). This looks for the mutant of the same function
that now writes the quoted line: found, the entry is renamed to it (with --write); not found
(the code the entry was about is gone), it is listed for someone to remove or look at again.
Run from the project root after a run that reached those functions.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

from mutmut.configuration import config
from mutmut.mutation.data import SourceFileMutationData
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.utils.file_utils import walk_mutatable_files
from report import mutated_lines, short

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marks", type=Path, default=HERE / "equivalent.toml")
    parser.add_argument("--write", action="store_true", help="rename the entries in the file")
    args = parser.parse_args(argv)
    config()
    entries = [
        e for kind in ("equivalent", "accepted") for e in tomllib.loads(args.marks.read_text("utf-8")).get(kind, [])
    ]
    mutants: dict[str, Path] = {}  # every mutant name, with its source file
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        mutants.update(dict.fromkeys(data.exit_code_by_key, path))
    text = args.marks.read_text("utf-8")
    gone: list[str] = []
    for entry in entries:
        name, line = entry["mutant"], entry["line"].strip()
        source = mutants.get(name)
        if source is not None and line in mutated_lines(get_diff_for_mutant(name, path=source)):
            continue  # up to date
        function = name.rpartition("__mutmut_")[0]
        found = [
            other
            for other, where in mutants.items()
            if other.rpartition("__mutmut_")[0] == function
            and line in mutated_lines(get_diff_for_mutant(other, path=where))
        ]
        if len(found) != 1:
            gone.append(name)
            continue
        print(f"{short(name)} -> {short(found[0])}")
        text = text.replace(f"# {short(name)}\nmutant = '{name}'", f"# {short(found[0])}\nmutant = '{found[0]}'")
    for name in gone:
        print(f"{short(name)}: no mutant of its function writes its line any more; remove it or look again")
    if args.write:
        args.marks.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
