"""What an import tells its user: each thing it did not carry, carried with a loss, renamed or
repaired, located in the file it comes from; grouped into a short report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from generator.validate import dotted
from generator.yamlsource import Document, Path

Category = Literal["go_only", "not_carried", "lossy", "renamed", "user_code", "fixed"]

HEADINGS: dict[Category, str] = {
    "go_only": "not carried, no effect on the API",
    "not_carried": "not carried",
    "lossy": "carried with a loss",
    "renamed": "renamed",
    "user_code": "code you write",
    "fixed": "repaired (--fix)",
}


@dataclass(frozen=True, slots=True, order=True)
class Note:
    """One thing the report says: ``subject`` groups notes (a key name, say), ``why`` explains."""

    category: Category
    subject: str
    why: str
    file: str
    line: int = 1
    column: int = 1

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Notes:
    """The notes of one import, in the order they were made (the report sorts them)."""

    def __init__(self) -> None:
        self.items: list[Note] = []
        self._seen: set[Note] = set()

    def add(
        self,
        category: Category,
        subject: str,
        why: str,
        doc: Document | None,
        path: Path = (),
        *,
        file: str = "",
        key: bool = True,
    ) -> None:
        if doc is not None:
            line, column = doc.where(path, key=key)
            note = Note(category, subject, why, doc.file, line, column)
        else:
            note = Note(category, subject, why, file)
        self._keep(note)

    def add_at(self, category: Category, subject: str, why: str, file: str, line: int = 1, column: int = 1) -> None:
        self._keep(Note(category, subject, why, file, line, column))

    def _keep(self, note: Note) -> None:
        if note not in self._seen:
            self._seen.add(note)
            self.items.append(note)

    def of(self, category: Category) -> list[Note]:
        return [note for note in self.items if note.category == category]


def grouped(notes: Iterable[Note]) -> list[tuple[Category, str, str, list[Note]]]:
    """Notes by (category, subject, why), in report order: categories as HEADINGS lists them,
    then subjects alphabetically; each group's notes by place."""
    groups: dict[tuple[Category, str, str], list[Note]] = {}
    for note in notes:
        groups.setdefault((note.category, note.subject, note.why), []).append(note)
    order = {category: i for i, category in enumerate(HEADINGS)}
    keys = sorted(groups, key=lambda k: (order[k[0]], k[1].lower(), k[1], k[2]))
    return [(c, s, w, sorted(groups[(c, s, w)], key=lambda n: (n.file, n.line, n.column))) for c, s, w in keys]


def field(path: Path) -> str:
    return dotted(path)
