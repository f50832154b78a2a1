# Copied by specgen from generator/runtime/server/schema.py, the same in every API. Do not edit by hand.
"""What a table looks like in a database, in a form a database and the spec are compared by.

A store reads the shape of each table from its database and works out the shape the spec
wants (``sqlite_schema``); ``migration.plan`` compares the two. A shape holds what decides
whether data fits: column types, NOT NULL, keys, unique constraints and indexes. Defaults are
not part of it: a column a migration added carries the spec's default for the rows it found,
one made with its table has none, and both hold the same data.

The database also keeps what its shape cannot tell (``Recorded``): the spec version that last
opened it, a digest of the schema it was given, and each column's kind (a ``time`` and a
``string`` are both text to SQL, yet a stored string is not a time).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .table import Table

# Columns a PostgreSQL migration renamed instead of dropping (the backup of their values):
# no spec column starts so, and a shape leaves them out.
RETIRED_PREFIX = "_retired_"


@dataclass(frozen=True, slots=True)
class ColumnShape:
    name: str  # unquoted
    type: str  # the SQL type, upper case
    not_null: bool = False
    primary_key: bool = False


@dataclass(frozen=True, slots=True)
class IndexShape:
    """An index: a named one, or (``name`` None) the one a UNIQUE constraint of a column makes,
    which only rebuilding the table adds or removes."""

    name: str | None
    keys: tuple[str | None, ...]  # column names; None for an expression (``sql`` tells those apart)
    unique: bool = False
    sql: str = ""  # an expression index's statement, whitespace folded
    create: str = field(default="", compare=False)  # the statement that makes it (named indexes)

    def describe(self) -> str:
        keys = ", ".join(k or "expression" for k in self.keys)
        what = "unique constraint" if self.name is None else f"{'unique ' if self.unique else ''}index {self.name}"
        return f"{what} on ({keys})"


@dataclass(frozen=True, slots=True)
class TableShape:
    name: str
    columns: tuple[ColumnShape, ...]
    indexes: frozenset[IndexShape]

    def column(self, name: str) -> ColumnShape | None:
        for column in self.columns:
            if column.name == name:
                return column
        return None


@dataclass(frozen=True, slots=True)
class Recorded:
    """What the database says of the spec that last opened it (all empty in one made before
    specgen recorded anything)."""

    spec_version: str = ""
    digest: str = ""
    kinds: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # table -> column -> kind


def kinds(tables: Iterable[Table]) -> dict[str, dict[str, str]]:
    """Each stored column's kind, by table: what the database records beside its schema."""
    return {t.name: {c.name: c.kind for c in t.columns} for t in tables}


def digest(shapes: Iterable[TableShape], column_kinds: Mapping[str, Mapping[str, str]]) -> str:
    """A SHA-256 of the schema: the tables' shapes and their columns' kinds, in a stable order."""
    described = [
        {
            "table": shape.name,
            "columns": [[c.name, c.type, c.not_null, c.primary_key] for c in shape.columns],
            "indexes": sorted([[i.name or "", list(map(str, i.keys)), i.unique, i.sql] for i in shape.indexes]),
            "kinds": dict(sorted(column_kinds.get(shape.name, {}).items())),
        }
        for shape in sorted(shapes, key=lambda s: s.name)
    ]
    text = json.dumps(described, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
