# Copied by specgen from generator/runtime/server/sqlite_schema.py, the same in every API. Do not edit by hand.
"""The SQLite side of migrations: tables' shapes read from a database, the steps' SQL, the record
of the spec in the database, and ``specgen migrate``'s run with its backup.

The shape the spec wants is read back from an in-memory database made by the table's own DDL,
so a database and the spec are compared by SQLite's own account of both. SQLite's ALTER TABLE
adds columns and the store's indexes drop and add freely; anything else (a column dropped or
of another type, a constraint added or removed) rebuilds the table: a new table under a
temporary name, the rows copied, the old one dropped, the new one renamed, its indexes made.
All inside the caller's transaction: a failure leaves the database as it was.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from .migration import Change, Counter, Default, MigrationError, Plan, Step, plan, quote_name, sql_literal
from .schema import ColumnShape, IndexShape, Recorded, TableShape, digest, kinds
from .table import SEQUENCE, UPTO, Table

META = '"_specgen_meta"'  # key -> value: the spec version, the schema's digest, the columns' kinds
_REBUILT = '"_specgen_rebuild"'  # the temporary name of a table being rebuilt
_UPTO_NAME = UPTO.strip('"')


def read_table(conn: sqlite3.Connection, name: str) -> TableShape | None:
    """The shape of a table as SQLite describes it, or None when there is no such table."""
    quoted = quote_name(name)
    columns = tuple(
        ColumnShape(str(r[1]), str(r[2]).upper(), bool(r[3]), bool(r[5]))
        for r in conn.execute(f"PRAGMA table_info({quoted})")
    )
    if not columns:
        return None
    indexes: set[IndexShape] = set()
    for _, index, unique, origin, _partial in conn.execute(f"PRAGMA index_list({quoted})"):
        keys = tuple(r[2] for r in conn.execute(f"PRAGMA index_info({quote_name(index)})"))
        row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (index,)).fetchone()
        create = " ".join(str(row[0]).split()) if row and row[0] else ""
        if origin == "c":
            # An expression key (json_extract of a path) has no column name: its SQL tells it apart.
            sql = create if None in keys else ""
            indexes.add(IndexShape(str(index), keys, bool(unique), sql, create))
        else:  # a UNIQUE or PRIMARY KEY constraint's own index, named by SQLite
            indexes.add(IndexShape(None, keys, bool(unique)))
    return TableShape(name, columns, frozenset(indexes))


def wanted(table: Table) -> TableShape:
    """The shape the spec wants: the table's DDL run in a scratch database, read back."""
    reference = sqlite3.connect(":memory:")
    try:
        for statement in table.ddl():
            reference.execute(statement)
        shape = read_table(reference, table.name)
    finally:
        reference.close()
    assert shape is not None, "the DDL makes the table"
    return shape


def read_recorded(conn: sqlite3.Connection) -> Recorded:
    """What the database recorded of the spec that last opened it (nothing in an older one)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (META.strip('"'),)).fetchone():
        values = dict(conn.execute(f"SELECT key, value FROM {META}").fetchall())
    else:
        values = {}
    try:
        found = json.loads(values.get("kinds", "{}"))
    except ValueError:
        found = {}
    table_kinds = {
        str(t): {str(c): str(k) for c, k in columns.items()}
        for t, columns in (found.items() if isinstance(found, dict) else ())
        if isinstance(columns, dict)
    }
    return Recorded(str(values.get("spec_version", "")), str(values.get("schema_digest", "")), table_kinds)


def record_sql(plan: Plan, tables: Iterable[Table]) -> list[tuple[str, tuple[str, str]]]:
    """Statements (with their parameters) recording the spec in the database after ``plan``."""
    text = json.dumps(kinds(tables), sort_keys=True, separators=(",", ":"))
    upsert = f"INSERT INTO {META} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    return [
        (upsert, ("spec_version", plan.spec_version)),
        (upsert, ("schema_digest", plan.digest)),
        (upsert, ("kinds", text)),
    ]


def counter(conn: sqlite3.Connection) -> Counter:
    def count(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    return count


def plan_for(conn: sqlite3.Connection, tables: Sequence[Table], spec_version: str) -> Plan:
    """The plan that brings this database to the spec's tables (read inside the caller's transaction)."""
    want = {t.name: wanted(t) for t in tables}
    found = {t.name: read_table(conn, t.name) for t in tables}
    return plan(
        tables,
        want,
        found,
        read_recorded(conn),
        counter(conn),
        STEPS,
        spec_version=spec_version,
        digest=digest(want.values(), kinds(tables)),
    )


def apply(conn: sqlite3.Connection, done: Plan, tables: Iterable[Table]) -> None:
    """Run every step of the plan, then record the spec, inside the caller's transaction.
    MigrationError when the data stored refuses a step (a new constraint it breaks)."""
    for step in done.steps:
        try:
            for statement in step.sql:
                conn.execute(statement)
        except sqlite3.IntegrityError as exc:
            problem = str(exc).replace(_REBUILT.strip('"'), step.table)
            raise MigrationError(f"{step.table}: {step.what}: the data stored refuses it ({problem})") from None
    conn.execute(f"CREATE TABLE IF NOT EXISTS {META} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    recorded = done.found
    if (recorded.spec_version, recorded.digest) != (done.spec_version, done.digest) or done.steps:
        for statement, parameters in record_sql(done, tables):
            conn.execute(statement, parameters)


class SqliteSteps:
    """SQLite's SQL for the steps of a plan."""

    def steps(
        self, table: Table, want: TableShape, have: TableShape | None, changes: Sequence[Change], rows: int
    ) -> list[Step]:
        if have is None:
            new = changes[0]  # the one change of a missing table: its creation
            return [Step(table.name, new.what, tuple(table.ddl()), new.rows, new.additive)]
        steps: list[Step] = []
        for change in changes:
            if change.kind == "trim":
                assert table.cap is not None
                keep = f"SELECT {SEQUENCE} FROM {table.quoted} ORDER BY {SEQUENCE} DESC LIMIT {int(table.cap)}"
                delete = f"DELETE FROM {table.quoted} WHERE {SEQUENCE} NOT IN ({keep})"
                steps.append(Step(table.name, change.what, (delete,), change.rows, False))
        rest = [c for c in changes if c.kind != "trim"]
        if not rest:
            return steps
        if any(_needs_rebuild(c) for c in rest):
            additive = all(c.additive for c in rest)
            sql = tuple(_rebuild(table, have, rest))
            steps.append(Step(table.name, "rebuild the table", sql, rows, additive, tuple(c.what for c in rest)))
            return steps
        # Indexes the spec no longer wants go first: a wanted one may reuse a name.
        for change in sorted(rest, key=lambda c: ("drop_index", "add_column", "add_index").index(c.kind)):
            index = change.index
            if change.kind == "drop_index" and index is not None and index.name is not None:
                sql = (f"DROP INDEX {quote_name(index.name)}",)
            elif change.kind == "add_index" and index is not None:
                sql = (index.create,)
            else:
                assert change.kind == "add_column" and change.column is not None
                sql = _add_column(table, change.column, change.default)
            steps.append(Step(table.name, change.what, sql, change.rows, change.additive))
        return steps


STEPS = SqliteSteps()


def _needs_rebuild(change: Change) -> bool:
    """What ALTER TABLE cannot do in SQLite: drop or retype a column, change its constraints,
    add a column with a constraint, add or drop a constraint's own index."""
    if change.kind in ("drop_column", "retype_column", "constrain_column"):
        return True
    if change.kind == "add_column":
        column = change.column
        assert column is not None
        return column.primary_key or (column.not_null and column.name != _UPTO_NAME)
    if change.kind in ("add_index", "drop_index"):
        return change.index is None or change.index.name is None
    return False


def _add_column(table: Table, column: ColumnShape, default: Default) -> tuple[str, ...]:
    name = quote_name(column.name)
    if column.name == _UPTO_NAME:
        return (f"ALTER TABLE {table.quoted} ADD COLUMN {UPTO} INTEGER NOT NULL DEFAULT 0", _fill_upto(table))
    literal = "" if default is None else f" DEFAULT {sql_literal(default)}"
    return (f"ALTER TABLE {table.quoted} ADD COLUMN {name} {column.type}{literal}",)


def _fill_upto(table: Table) -> str:
    """The running total of bytes of a capped log's rows, for a table made before it was kept."""
    return (
        f"UPDATE {table.quoted} SET {UPTO} = w.total FROM (SELECT {SEQUENCE} AS s,"
        f" sum({table.row_size_sql}) OVER (ORDER BY {SEQUENCE}) AS total FROM {table.quoted}) AS w"
        f" WHERE w.s = {table.quoted}.{SEQUENCE}"
    )


def _rebuild(table: Table, have: TableShape, changes: Sequence[Change]) -> list[str]:
    """A new table under a temporary name, the rows copied (values of a retyped or dropped column
    left behind, new columns given their default), the old one dropped, the new one renamed."""
    create = table.ddl()
    prefix = f"CREATE TABLE IF NOT EXISTS {table.quoted} ("
    assert create[0].startswith(prefix)
    statements = [f"CREATE TABLE {_REBUILT} (" + create[0][len(prefix) :]]
    # Values of a retyped column are left behind, or converted when the new type holds them all;
    # the arrival numbers are always kept.
    retyped = {c.column.name: c for c in changes if c.kind == "retype_column" and c.column is not None}
    retyped.pop(SEQUENCE.strip('"'), None)
    defaults = {c.column.name: c.default for c in changes if c.column is not None}
    names: list[str] = []
    values: list[str] = []
    wanted_columns = [
        SEQUENCE.strip('"'),
        *(c.name for c in table.columns),
        *(link.strip('"') for link in table.links.values()),
    ]
    if table.cap is not None:
        wanted_columns.append(_UPTO_NAME)
    for name in wanted_columns:
        wanted_column = table.by_name.get(name)
        if have.column(name) is not None and name not in retyped:
            names.append(quote_name(name))
            values.append(quote_name(name))
        elif name in retyped and retyped[name].convert and wanted_column is not None:
            names.append(quote_name(name))
            values.append(f"CAST({quote_name(name)} AS {wanted_column.sql_type})")
        elif defaults.get(name) is not None:
            names.append(quote_name(name))
            values.append(sql_literal(defaults[name]))
    statements.append(f"INSERT INTO {_REBUILT} ({', '.join(names)}) SELECT {', '.join(values)} FROM {table.quoted}")
    statements += [f"DROP TABLE {table.quoted}", f"ALTER TABLE {_REBUILT} RENAME TO {table.quoted}", *create[1:]]
    if table.cap is not None and have.column(_UPTO_NAME) is None:
        statements.append(_fill_upto(table))
    return statements


def migrate_file(
    path: Path, tables: Sequence[Table], spec_version: str, *, apply_plan: bool
) -> tuple[Plan, Path | None]:
    """``specgen migrate``: the plan for the database at ``path`` and, when ``apply_plan``, the
    plan applied in one transaction after copying the database beside it (the backup, returned).
    MigrationError when it cannot be read or the plan fails: then nothing changed, no backup kept."""
    if not path.is_file():
        raise MigrationError(f"{path}: no such database file")
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise MigrationError(f"{path}: {exc}") from None
    backup: Path | None = None
    try:
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("BEGIN IMMEDIATE")  # no other writer until the plan is applied or dropped
        found = plan_for(conn, tables, spec_version)
        if not apply_plan or not found.steps:
            conn.execute("ROLLBACK")
            return found, None
        backup = _backup(path)
        apply(conn, found, tables)
        conn.execute("COMMIT")
        return found, backup
    except (sqlite3.Error, OSError, MigrationError) as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if backup is not None:
            backup.unlink(missing_ok=True)
        problem = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise MigrationError(f"{path}: {problem}; nothing was changed") from None
    finally:
        conn.close()


def _backup(path: Path) -> Path:
    """A copy of the database, readable by its owner only, beside it: ``NAME.backup-<UTC time>``.

    Read by a connection of its own: the migrating one holds the write lock (so nobody else
    writes in between) and has changed nothing yet, so a reader sees the database as it is."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    backup, number = path.with_name(f"{path.name}.backup-{stamp}"), 2
    while True:
        try:
            os.close(os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            break
        except FileExistsError:
            backup, number = path.with_name(f"{path.name}.backup-{stamp}-{number}"), number + 1
    try:
        source, copy = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True), sqlite3.connect(backup)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    except BaseException:
        backup.unlink(missing_ok=True)
        raise
    return backup
