# Copied by specgen from generator/runtime/server/pg_schema.py, the same in every API. Do not edit by hand.
"""The PostgreSQL side of migrations: tables' shapes read from the catalogs, the steps' SQL, the
record of the spec in the database, and ``specgen migrate``'s run.

The shape the spec wants is read back from a scratch schema made by the table's own DDL
(``postgres.ddl``) inside a savepoint that is rolled back. PostgreSQL's ALTER TABLE does every
step in place, inside the caller's transaction. What a step that loses data would drop is kept
instead, unless ``drop``: a column is renamed ``_retired_<name>_<time>`` (its values stay, out
of the spec's way), the rows a lowered cap trims are copied into a table
``_retired_<table>_<time>`` first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
import psycopg.errors

from .migration import Change, Counter, Default, MigrationError, Plan, Step, plan, quote_name
from .schema import RETIRED_PREFIX, ColumnShape, IndexShape, Recorded, TableShape, digest, kinds
from .table import SEQUENCE, Table

META = '"_specgen_meta"'
_REFERENCE = "specgen_reference"  # the scratch schema the wanted shapes are read from
_SEQUENCE_NAME = SEQUENCE.strip('"')
_MAX_NAME = 63  # PostgreSQL's longest identifier

_COLUMNS = """
SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity, coalesce(co.collname, '')
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0 AND co.collname <> 'default'
WHERE n.nspname = %s AND c.relname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
"""
_INDEXES = """
SELECT i.relname, ix.indisunique, ix.indisprimary, coalesce(con.conname, ''),
       array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n)
             LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.n),
       pg_get_indexdef(ix.indexrelid)
FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
LEFT JOIN pg_constraint con ON con.conindid = ix.indexrelid AND con.contype IN ('u', 'p')
WHERE n.nspname = %s AND t.relname = %s
"""


def read_table(conn: psycopg.Connection[Any], schema: str, name: str) -> TableShape | None:
    """The shape of a table as PostgreSQL's catalogs describe it, or None when there is none."""
    rows = conn.execute(_COLUMNS, (schema, name)).fetchall()
    if not rows:
        return None
    indexes: set[IndexShape] = set()
    primary: set[str] = set()
    for index, unique, is_primary, constraint, keys, definition in conn.execute(_INDEXES, (schema, name)):
        names = tuple(str(k) if k is not None else None for k in keys)
        if is_primary:
            primary.update(k for k in names if k is not None)
        if constraint:  # a UNIQUE or PRIMARY KEY constraint's own index
            indexes.add(IndexShape(None, names, bool(unique), create=str(constraint)))
        else:
            # Compared by definition (key order, NULLS FIRST, expressions), without the schema.
            sql = " ".join(
                str(definition).replace(f" ON {quote_name(schema)}.", " ON ").replace(f" ON {schema}.", " ON ").split()
            )
            indexes.add(IndexShape(str(index), names, bool(unique), sql))
    columns = tuple(
        ColumnShape(
            str(column),
            str(kind) + (f' COLLATE "{collation}"' if collation else "") + (" IDENTITY" if identity else ""),
            bool(not_null),
            str(column) in primary,
        )
        for column, kind, not_null, identity, collation in rows
    )
    return TableShape(name, columns, frozenset(indexes))


def wanted(conn: psycopg.Connection[Any], table: Table, statements: Sequence[str]) -> TableShape:
    """The shape the spec wants: its DDL (``statements``) run in a scratch schema, read back,
    then rolled back."""
    with conn.transaction(force_rollback=True):
        conn.execute(f"CREATE SCHEMA {_REFERENCE}")
        conn.execute(f"SET LOCAL search_path = {_REFERENCE}, {_current(conn)}")
        for statement in statements:
            conn.execute(statement)
        shape = read_table(conn, _REFERENCE, table.name)
    assert shape is not None, "the DDL makes the table"
    creates = {_index_name(s): s for s in statements[1:]}
    return TableShape(
        shape.name,
        shape.columns,
        frozenset(
            IndexShape(i.name, i.keys, i.unique, i.sql, creates.get(i.name or "", i.create)) for i in shape.indexes
        ),
    )


def _index_name(statement: str) -> str:
    """The name a ``CREATE [UNIQUE] INDEX IF NOT EXISTS "name" ON ...`` statement gives."""
    return statement.split(" ON ", 1)[0].rsplit(" ", 1)[-1].strip('"')


def _current(conn: psycopg.Connection[Any]) -> str:
    row = conn.execute("SELECT current_schema()").fetchone()
    if row is None or row[0] is None:
        raise MigrationError("no schema to keep the tables in (search_path)")
    return str(row[0])


def read_recorded(conn: psycopg.Connection[Any]) -> Recorded:
    if conn.execute("SELECT to_regclass(%s)", (META,)).fetchone() in (None, (None,)):
        return Recorded()
    values = {str(k): str(v) for k, v in conn.execute(f"SELECT key, value FROM {META}")}
    try:
        found = json.loads(values.get("kinds", "{}"))
    except ValueError:
        found = {}
    table_kinds = {
        str(t): {str(c): str(k) for c, k in columns.items()}
        for t, columns in (found.items() if isinstance(found, dict) else ())
        if isinstance(columns, dict)
    }
    return Recorded(values.get("spec_version", ""), values.get("schema_digest", ""), table_kinds)


def counter(conn: psycopg.Connection[Any]) -> Counter:
    def count(sql: str) -> int:
        row = conn.execute(sql).fetchone()
        return int(row[0]) if row else 0

    return count


def plan_for(
    conn: psycopg.Connection[Any], tables: Sequence[Table], ddl: Any, spec_version: str, *, drop: bool = False
) -> Plan:
    """The plan that brings the current schema to the spec's tables (inside the caller's
    transaction); ``ddl(table)`` gives a table's CREATE statements."""
    schema = _current(conn)
    want = {t.name: wanted(conn, t, ddl(t)) for t in tables}
    found = {t.name: read_table(conn, schema, t.name) for t in tables}
    writer = PostgresSteps(ddl, drop=drop, stamp=datetime.now(UTC).strftime("%Y%m%d%H%M%S"))
    return plan(
        tables,
        want,
        found,
        read_recorded(conn),
        counter(conn),
        writer,
        spec_version=spec_version,
        digest=digest(want.values(), kinds(tables)),
    )


def apply(conn: psycopg.Connection[Any], done: Plan, tables: Iterable[Table]) -> None:
    """Run every step, then record the spec, inside the caller's transaction. MigrationError
    when the data stored refuses a step; the caller's transaction is then to be rolled back."""
    for step in done.steps:
        try:
            with conn.transaction():  # a savepoint: the error names its step
                for statement in step.sql:
                    conn.execute(statement)
        except (psycopg.errors.IntegrityError, psycopg.errors.DataException) as exc:
            problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise MigrationError(f"{step.table}: {step.what}: the data stored refuses it ({problem})") from None
    conn.execute(f"CREATE TABLE IF NOT EXISTS {META} (key text PRIMARY KEY, value text NOT NULL)")
    recorded = done.found
    if (recorded.spec_version, recorded.digest) != (done.spec_version, done.digest) or done.steps:
        text = json.dumps(kinds(tables), sort_keys=True, separators=(",", ":"))
        upsert = (
            f"INSERT INTO {META} (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        )
        for key, value in (("spec_version", done.spec_version), ("schema_digest", done.digest), ("kinds", text)):
            conn.execute(upsert, (key, value))


class PostgresSteps:
    """PostgreSQL's SQL for the steps of a plan: every change in place, with ALTER TABLE."""

    def __init__(self, ddl: Any, *, drop: bool, stamp: str) -> None:
        self.ddl, self.drop, self.stamp = ddl, drop, stamp

    def steps(
        self, table: Table, want: TableShape, have: TableShape | None, changes: Sequence[Change], rows: int
    ) -> list[Step]:
        if have is None:
            new = changes[0]  # the one change of a missing table: its creation
            return [Step(table.name, new.what, tuple(self.ddl(table)), new.rows, new.additive)]
        order = ("trim", "drop_index", "drop_column", "retype_column", "add_column", "constrain_column", "add_index")
        steps: list[Step] = []
        for change in sorted(changes, key=lambda c: order.index(c.kind)):
            sql, what = self._sql(table, have, change)
            steps.append(Step(table.name, what, sql, change.rows, change.additive))
        return steps

    def _sql(self, table: Table, have: TableShape, change: Change) -> tuple[tuple[str, ...], str]:
        t = table.quoted
        column, index = change.column, change.index
        if change.kind == "trim":
            assert table.cap is not None
            gone = f"{SEQUENCE} NOT IN (SELECT {SEQUENCE} FROM {t} ORDER BY {SEQUENCE} DESC LIMIT {int(table.cap)})"
            if self.drop:
                return (f"DELETE FROM {t} WHERE {gone}",), change.what
            kept = self._retired(table.name)
            return (
                f"CREATE TABLE {quote_name(kept)} AS SELECT * FROM {t} WHERE {gone}",
                f"DELETE FROM {t} WHERE {gone}",
            ), f"{change.what} (kept in table {kept})"
        if change.kind == "drop_index":
            assert index is not None
            if index.name is None:
                return (f"ALTER TABLE {t} DROP CONSTRAINT {quote_name(index.create)}",), change.what
            return (f"DROP INDEX {quote_name(index.name)}",), change.what
        if change.kind == "add_index":
            assert index is not None
            if index.name is None:
                keys = ", ".join(quote_name(k or "") for k in index.keys)
                return (f"ALTER TABLE {t} ADD UNIQUE ({keys})",), change.what
            return (index.create,), change.what
        assert column is not None
        name = quote_name(column.name)
        if change.kind == "add_column":
            return self._add(table, column, change.default), change.what
        if change.kind == "constrain_column":
            if column.name == _SEQUENCE_NAME:
                raise MigrationError(f"{table.name}: the arrival numbers ({column.name}) cannot change their key")
            verb = "SET" if column.not_null else "DROP"
            return (f"ALTER TABLE {t} ALTER COLUMN {name} {verb} NOT NULL",), change.what
        if change.kind == "retype_column" and column.name == _SEQUENCE_NAME:
            return self._numbering(table, have, column), change.what
        if change.kind == "retype_column" and change.convert:
            kind = column.type.removesuffix(" IDENTITY")
            return (f"ALTER TABLE {t} ALTER COLUMN {name} TYPE {kind} USING {name}::{kind}",), change.what
        # A column removed or of another type: retired (kept, renamed) or, with drop, dropped.
        old = column if change.kind == "drop_column" else have.column(column.name)
        assert old is not None
        if self.drop or change.additive:  # additive: bookkeeping of a cap given up
            sql: tuple[str, ...] = (f"ALTER TABLE {t} DROP COLUMN {quote_name(old.name)}",)
            what = change.what
        else:
            kept = self._retired(old.name)
            sql = (f"ALTER TABLE {t} RENAME COLUMN {quote_name(old.name)} TO {quote_name(kept)}",)
            if old.not_null:
                sql += (f"ALTER TABLE {t} ALTER COLUMN {quote_name(kept)} DROP NOT NULL",)
            what = f"{change.what} (kept in column {kept})"
        if change.kind == "retype_column":
            sql += self._add(table, column, change.default)
        return sql, what

    def _add(self, table: Table, column: ColumnShape, default: Default) -> tuple[str, ...]:
        """ADD COLUMN; rows already there get the default, which the column does not keep (a
        table made whole has none)."""
        t, name = table.quoted, quote_name(column.name)
        kind = column.type.removesuffix(" IDENTITY")
        not_null = " NOT NULL" if column.not_null else ""
        if column.name in ("_upto", "_size"):  # a capped log's bookkeeping: rows before it count nothing
            return (f"ALTER TABLE {t} ADD COLUMN {name} {kind} NOT NULL DEFAULT 0",)
        if default is None:
            return (f"ALTER TABLE {t} ADD COLUMN {name} {kind}{not_null}",)
        literal = _literal(default, kind)
        return (
            f"ALTER TABLE {t} ADD COLUMN {name} {kind} DEFAULT {literal}{not_null}",
            f"ALTER TABLE {t} ALTER COLUMN {name} DROP DEFAULT",
        )

    def _numbering(self, table: Table, have: TableShape, column: ColumnShape) -> tuple[str, ...]:
        """The arrival number given by PostgreSQL (an uncapped table) or by the store (capped)."""
        t, name = table.quoted, quote_name(column.name)
        if column.type.endswith(" IDENTITY"):
            return (
                f"ALTER TABLE {t} ALTER COLUMN {name} ADD GENERATED BY DEFAULT AS IDENTITY",
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'),"
                f" coalesce((SELECT max({name}) FROM {t}), 0) + 1, false)",
            )
        return (f"ALTER TABLE {t} ALTER COLUMN {name} DROP IDENTITY IF EXISTS",)

    def _retired(self, name: str) -> str:
        suffix = f"_{self.stamp}"
        return RETIRED_PREFIX + name[: _MAX_NAME - len(RETIRED_PREFIX) - len(suffix)] + suffix


def _literal(value: Default, kind: str) -> str:
    """A stored default as PostgreSQL's literal of the column's type."""
    if kind == "boolean":
        return "true" if value else "false"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    text = str(value).replace("'", "''")
    return f"'{text}'"
