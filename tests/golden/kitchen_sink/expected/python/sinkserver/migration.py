# Copied by specgen from generator/runtime/server/migration.py, the same in every API. Do not edit by hand.
"""Plans that bring a database's tables to what the spec wants, as ordered steps.

Pure: the shapes found in the database and those the spec wants come in (``schema``), a
``Plan`` goes out; a store reads the shapes, and its ``StepWriter`` writes each step's SQL. Every
step is *additive* (it loses nothing: a new table, a new column filled with the spec's default,
a new index, a dropped index or a relaxed constraint) or not (it loses or rewrites stored data,
or may be refused by it: a column removed or of another type, a cap below the rows stored, a
new unique or NOT NULL constraint). Opening a database applies a plan of additive steps in one
transaction; a plan with any other step is left to ``specgen migrate``, which shows it first
and keeps a backup.

The rules follow ``specgen diff``'s classification of spec changes (generator/diff.py), seen
from the database: what it calls breaking for stored data is what a plan cannot do on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from .schema import RETIRED_PREFIX, ColumnShape, IndexShape, Recorded, TableShape
from .table import SEQUENCE, UPTO, Table

ChangeKind = Literal[
    "create_table",
    "add_column",
    "drop_column",
    "retype_column",
    "constrain_column",
    "add_index",
    "drop_index",
    "trim",
]
Counter = Callable[[str], int]  # runs a ``SELECT count(*) ...`` and gives the number
Default = str | int | float | None
_UPTO_NAME = UPTO.strip('"')
_SEQUENCE_NAME = SEQUENCE.strip('"')
# A capped log's bookkeeping (PostgreSQL's store also keeps each row's size): NOT NULL DEFAULT 0.
_BOOKKEEPING = frozenset({_UPTO_NAME, "_size"})
# Kinds whose stored values read back the same under the new kind: an enum's values are strings.
_COMPATIBLE_KINDS = frozenset({("enum", "string")})
# SQL types whose values the new type holds: a migration converts them rather than drop them
# (integers as floats, exact up to 2**53, rounded beyond; the step is explicit and the backup
# keeps the originals).
WIDENING = frozenset({("INTEGER", "REAL"), ("bigint", "double precision")})


class MigrationError(Exception):
    """A migration could not be planned or applied; the message says why (nothing was changed)."""


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between a table and what the spec wants of it."""

    kind: ChangeKind
    what: str  # in words, with the rows or values it touches
    additive: bool
    rows: int  # rows it touches (for a change that is not additive: values or rows it loses)
    column: ColumnShape | None = None  # wanted (add, retype, constrain) or found (drop)
    index: IndexShape | None = None
    default: Default = None
    convert: bool = False  # a retyped column whose values the new type holds: converted, not dropped


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a plan: what it does, its SQL, and the rows it touches."""

    table: str
    what: str
    sql: tuple[str, ...]
    rows: int
    additive: bool
    details: tuple[str, ...] = ()  # the changes a step of several does (a rebuilt table's)


class StepWriter(Protocol):
    """How a store writes the steps of one table's changes."""

    def steps(
        self, table: Table, want: TableShape, have: TableShape | None, changes: Sequence[Change], rows: int
    ) -> list[Step]:
        """The steps doing ``changes`` (never empty) to ``have`` (None: the table is missing),
        which holds ``rows`` rows."""
        ...


@dataclass(frozen=True, slots=True)
class Plan:
    steps: tuple[Step, ...]
    found: Recorded  # what the database recorded of the spec that last opened it
    spec_version: str  # the spec opening it now
    digest: str  # of the schema the spec wants

    @property
    def additive(self) -> bool:
        """Whether every step loses nothing (an empty plan too): opening the database applies it."""
        return all(step.additive for step in self.steps)

    @property
    def lossy(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if not step.additive)

    def lines(self, sql: bool = True) -> list[str]:
        """The plan for people: each step, then (``sql``) its statements, indented."""
        out: list[str] = []
        for step in self.steps:
            label = "automatic" if step.additive else "loses or rewrites data"
            out.append(f"{step.table}: {step.what} ({counted(step.rows, 'row')}) [{label}]")
            out.extend(f"  - {detail}" for detail in step.details)
            if sql:
                out.extend(f"    {statement};" for statement in step.sql)
        return out


def plan(
    tables: Iterable[Table],
    wanted: Mapping[str, TableShape],
    found: Mapping[str, TableShape | None],
    recorded: Recorded,
    count: Counter,
    writer: StepWriter,
    *,
    spec_version: str,
    digest: str,
) -> Plan:
    """The steps that bring each table of ``found`` to its shape in ``wanted``, table by table
    in the spec's order. Tables the spec no longer has are left as they are (nothing lost)."""
    steps: list[Step] = []
    for table in tables:
        want, have = wanted[table.name], found.get(table.name)
        changes = differences(table, want, have, recorded.kinds.get(table.name, {}), count)
        if changes:
            rows = 0 if have is None else count(f"SELECT count(*) FROM {table.quoted}")
            steps.extend(writer.steps(table, want, have, changes, rows))
    return Plan(tuple(steps), recorded, spec_version, digest)


def differences(
    table: Table,
    want: TableShape,
    have: TableShape | None,
    kinds_before: Mapping[str, str],
    count: Counter,
) -> list[Change]:
    """What differs between a table as found and as wanted, each change classified."""
    if have is None:
        return [Change("create_table", f"new table {table.name}", True, 0)]
    changes: list[Change] = []
    rows_seen: list[int] = []

    def rows() -> int:  # counted once, and only when a change needs it
        if not rows_seen:
            rows_seen.append(count(f"SELECT count(*) FROM {table.quoted}"))
        return rows_seen[0]

    def filled(column: str) -> int:
        return count(f"SELECT count(*) FROM {table.quoted} WHERE {quote_name(column)} IS NOT NULL")

    if table.cap is not None and rows() > table.cap:
        over = rows() - table.cap
        changes.append(
            Change(
                "trim",
                f"the cap {table.cap} is below the {rows()} rows stored: the oldest {counted(over, 'row')} go",
                False,
                over,
            )
        )
    by_name = {c.name: c for c in table.columns}
    added: set[str] = set()
    for column in want.columns:
        old = have.column(column.name)
        spec_column = by_name.get(column.name)
        default = spec_column.default if spec_column is not None else None
        if old is None:
            added.add(column.name)
            what = f"add column {column.name}"
            if default is not None:
                what += f", existing rows get the default {default!r}"
            elif column.name in _BOOKKEEPING:
                what = f"add column {column.name}, the byte count of the capped log"
            # A NOT NULL column without a default cannot hold the rows already there.
            additive = not column.primary_key and (not column.not_null or column.name in _BOOKKEEPING)
            changes.append(Change("add_column", what, additive, rows(), column=column, default=default))
            continue
        if column.name == _SEQUENCE_NAME and old.type != column.type:  # who numbers arrivals: no data changes
            what = f"column {column.name}: arrival numbers {old.type} -> {column.type}"
            changes.append(Change("retype_column", what, True, 0, column=column))
            continue
        before = kinds_before.get(column.name)
        after = spec_column.kind if spec_column is not None else None
        kind_changed = before is not None and after is not None and before != after
        if old.type != column.type or (kind_changed and (before, after) not in _COMPATIBLE_KINDS):
            values = filled(column.name)
            was = f"{before} ({old.type})" if before else old.type
            now = f"{after} ({column.type})" if after else column.type
            what = f"column {column.name} changes type from {was} to {now}: {counted(values, 'stored value')}"
            if (old.type, column.type) in WIDENING:
                changes.append(Change("retype_column", what + " converted", False, values, column=column, convert=True))
                continue
            what += " dropped"
            if default is not None:
                what += f", every row gets the default {default!r}"
            changes.append(Change("retype_column", what, False, values, column=column, default=default))
        elif (old.not_null, old.primary_key) != (column.not_null, column.primary_key):
            tightened = (column.not_null and not old.not_null) or column.primary_key != old.primary_key
            what = f"column {column.name} " + ("becomes NOT NULL" if column.not_null else "may be NULL")
            if tightened:
                what += f": refused if a row has none ({counted(rows(), 'row')})"
            changes.append(Change("constrain_column", what, not tightened, rows(), column=column, default=default))
    for old in have.columns:
        if want.column(old.name) is not None or old.name.startswith(RETIRED_PREFIX):
            continue
        if old.name in _BOOKKEEPING:  # the model is no longer capped: its bookkeeping goes
            changes.append(Change("drop_column", f"drop column {old.name} (no cap any more)", True, 0, column=old))
            continue
        values = filled(old.name)
        changes.append(
            Change(
                "drop_column",
                f"drop column {old.name}: {counted(values, 'stored value')} lost",
                False,
                values,
                column=old,
            )
        )
    # Indexes on a retired column stay with it: they are the backup's, not the spec's.
    have_indexes = {i for i in have.indexes if not any((k or "").startswith(RETIRED_PREFIX) for k in i.keys)}
    for index in sorted(have_indexes - want.indexes, key=repr):
        changes.append(Change("drop_index", f"drop {index.describe()}", True, 0, index=index))
    for index in sorted(want.indexes - have_indexes, key=repr):
        # A new unique index may be refused by the values stored, unless its columns are new and unset.
        fresh = all(k in added and by_name.get(k) is not None and by_name[k].default is None for k in index.keys)
        additive = not index.unique or fresh
        what = f"add {index.describe()}" + ("" if additive else ": refused if stored values repeat")
        changes.append(Change("add_index", what, additive, rows(), index=index))
    return changes


def counted(number: int, noun: str) -> str:
    """``1 row``, ``3 rows``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def quote_name(name: str) -> str:
    """Any name read back from a database as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def sql_literal(value: Default) -> str:
    """A stored value as an SQL literal (a column's default)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + value.replace("'", "''") + "'"
