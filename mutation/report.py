"""Write the report of a mutmut run: the score per module and every mutant that was not killed.

Run from the project root after ``mutmut run`` (``make mutation`` does both). Equivalent
mutants (no test can tell them from the original) are listed in mutation/equivalent.toml with
the reason; they leave the score's denominator. Survivors accepted as not worth a test are
listed there too, but they stay in the denominator: the score counts them as the misses they are.

Each entry names the mutant (mutmut's name: module, function, number) and quotes the line the
mutant writes; an entry whose quote no longer matches (the function changed, so mutmut
numbered its mutants anew) is reported as stale and counts for nothing until it is updated.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mutmut.configuration import config
from mutmut.mutation.data import SourceFileMutationData
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code
from mutmut.utils.file_utils import walk_mutatable_files

HERE = Path(__file__).resolve().parent
DETECTED = {"killed", "timeout", "segfault", "caught by type check"}
NOT_RUN = "not checked"  # left out of a run (a sample, or a run stopped at its time limit)
TARGET = 90.0


@dataclass(frozen=True)
class Marked:
    """A survivor someone looked at: ``equivalent`` (out of the score) or ``accepted`` (in it)."""

    kind: str
    reason: str
    line: str  # the mutated line, as the mutant writes it (stripped)


@dataclass
class Module:
    path: str
    status: Counter[str] = field(default_factory=Counter)
    survivors: list[tuple[str, str, str]] = field(default_factory=list)  # name, status, diff

    @property
    def total(self) -> int:
        return sum(self.status.values())

    @property
    def detected(self) -> int:
        return sum(n for s, n in self.status.items() if s in DETECTED)

    @property
    def counted(self) -> int:
        """The mutants the score is over: run, and not equivalent."""
        return self.total - self.status["equivalent"] - self.status[NOT_RUN]

    @property
    def score(self) -> float:
        return 100.0 * self.detected / self.counted if self.counted else 100.0


def load_marks(path: Path) -> dict[str, Marked]:
    data = tomllib.loads(path.read_text("utf-8")) if path.exists() else {}
    marks: dict[str, Marked] = {}
    for kind in ("equivalent", "accepted"):
        for entry in data.get(kind, []):
            marks[entry["mutant"]] = Marked(kind, " ".join(entry["reason"].split()), entry["line"].strip())
    return marks


def mutated_lines(diff: str) -> list[str]:
    return [line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]


def short(name: str) -> str:
    """``generator.runtime.server.sql.x__stored__mutmut_12`` -> ``sql._stored #12``."""
    module, _, function = name.rpartition(".")
    base, _, number = function.rpartition("__mutmut_")
    shown = base[2:] if base.startswith("x_") else base.replace("xǁ", "").replace("ǁ", ".")
    return f"{module.rpartition('.')[2]}.{shown} #{number}"


def collect(marks: dict[str, Marked]) -> tuple[list[Module], list[str], set[str]]:
    modules: list[Module] = []
    stale: list[str] = []
    used: set[str] = set()
    for path in sorted(walk_mutatable_files()):
        data = SourceFileMutationData(path=path)
        data.load()
        module = Module(str(path))
        for name, code in sorted(data.exit_code_by_key.items(), key=lambda item: _natural(item[0])):
            status = status_by_exit_code[code]
            if status in DETECTED or status == NOT_RUN:
                module.status[status] += 1
                continue
            diff = get_diff_for_mutant(name, path=path)
            mark = marks.get(name)
            if mark is not None:
                used.add(name)
                if mark.line in mutated_lines(diff):
                    if mark.kind == "equivalent":
                        module.status["equivalent"] += 1
                        continue
                    status = f"{status}, accepted"
                else:
                    stale.append(name)
            module.status[status.split(",")[0]] += 1
            module.survivors.append((name, status, diff))
        modules.append(module)
    return modules, stale, used


def _natural(name: str) -> tuple[str, int]:
    base, _, number = name.rpartition("__mutmut_")
    return base, int(number) if number.isdigit() else 0


def render(modules: list[Module], marks: dict[str, Marked], stale: list[str], unused: set[str], title: str) -> str:
    total = Module("all")
    for module in modules:
        total.status.update(module.status)
    out = [f"# {title}", ""]
    out += [
        f"Score: **{total.score:.1f} %** ({total.detected} of {total.counted} mutants detected; "
        f"{total.status['equivalent']} equivalent mutants left out). Target: {TARGET:.0f} %.",
    ]
    if total.status[NOT_RUN]:
        out += [
            "",
            f"{total.status[NOT_RUN]} of the {total.total} mutants were not run (a sampled or stopped run, see"
            " mutation/README.md): the score is over the mutants that were, per module as shown.",
        ]
    out += [
        "",
        "Generated by `make mutation` (mutmut, see mutation/README.md); do not edit by hand.",
        "",
        "| module | mutants | not run | detected | equivalent | survived | no tests | score |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in [*modules, total]:
        name = "**all**" if m is total else f"`{m.path}`"
        out.append(
            f"| {name} | {m.total} | {m.status[NOT_RUN]} | {m.detected} | {m.status['equivalent']} | "
            f"{m.status['survived'] + m.status['suspicious']} | {m.status['no tests']} | {_score(m)} |"
        )
    if stale:
        out += ["", "## Stale entries of mutation/equivalent.toml", ""]
        out += [f"- `{name}`: its line is no longer what the mutant writes; look again" for name in stale]
    if unused:
        out += ["", "## Entries of mutation/equivalent.toml for mutants that were killed or no longer exist", ""]
        out += [f"- `{name}`" for name in sorted(unused)]
    out += ["", "## Survivors", ""]
    survivors = [s for m in modules for s in m.survivors]
    if not survivors:
        out.append("None.")
    for name, status, diff in survivors:
        mark = marks.get(name)
        why = f" — {mark.reason}" if mark is not None and name not in stale else ""
        out += [f"### `{short(name)}` ({status}){why}", "", "```diff", *_hunk(diff), "```", ""]
    equivalents = sorted((n, m) for n, m in marks.items() if m.kind == "equivalent" and n not in {*stale, *unused})
    out += ["", "## Equivalent mutants (left out of the score)", ""]
    out += [f"- `{short(name)}` `{mark.line}`: {mark.reason}" for name, mark in equivalents] or ["None."]
    return "\n".join(out).rstrip() + "\n"


def _score(module: Module) -> str:
    return f"{module.score:.1f} %" if module.counted else "not run"


def _hunk(diff: str) -> list[str]:
    """The changed lines of a mutant's diff with one line of context (the function can be long)."""
    lines = [line for line in diff.splitlines()[2:] if not line.startswith("@@")]
    keep = {i + d for i, line in enumerate(lines) if line[:1] in "+-" for d in (-1, 0, 1)}
    return [line for i, line in enumerate(lines) if i in keep]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "report.md")
    parser.add_argument("--marks", type=Path, default=HERE / "equivalent.toml")
    parser.add_argument("--title", default="Mutation testing report")
    parser.add_argument("--fail-under", type=float, default=None, help="exit 1 when the score is lower")
    args = parser.parse_args(argv)
    config()  # reads [tool.mutmut] of ./pyproject.toml
    marks = load_marks(args.marks)
    modules, stale, used = collect(marks)
    if not any(m.total for m in modules):
        print("no mutmut results here: run `mutmut run` first", file=sys.stderr)
        return 2
    unused = set(marks) - used
    args.out.write_text(render(modules, marks, stale, unused, args.title), "utf-8")
    total = Module("all")
    for module in modules:
        total.status.update(module.status)
        print(f"{module.score:5.1f} %  {module.path}")
    print(f"{total.score:5.1f} %  all ({total.detected}/{total.counted}); report: {args.out}")
    if args.fail_under is not None and total.score < args.fail_under:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
