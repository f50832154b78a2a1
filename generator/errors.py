"""Spec problems, reported all at once as ``file:line:col: path.to.field: message``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class SpecProblem:
    """One thing wrong with a spec file, located to the node that caused it."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class SpecError(Exception):
    """Raised when one or more spec files are invalid; carries every problem found."""

    def __init__(self, problems: list[SpecProblem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))
