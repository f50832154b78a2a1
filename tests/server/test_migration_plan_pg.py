"""The migration planner's PostgreSQL steps, on tables of a real server (the runtime at its source).

What SQLite does by rebuilding a table PostgreSQL does in place; these are the steps only it
has: a cap given up or taken on changes who numbers the rows, a lowered cap keeps the rows it
trims aside, a retired column stays out of the way, defaults of every type fill the rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import astuple
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest

from generator.runtime.server import pg_schema
from generator.runtime.server.migration import Change, MigrationError, Plan
from generator.runtime.server.postgres import _safe, ddl, migrate_database
from generator.runtime.server.schema import ColumnShape, TableShape
from generator.runtime.server.table import Column, Table
from tests.postgres_server import Server, new_schema


def item(*extra: Column, cap: int | None = None) -> Table:
    return Table(
        name="item",
        category="items",
        columns=(Column("ID", "id", "string", "TEXT", unique=True), Column("name", "name", "string", "TEXT"), *extra),
        identifier="ID",
        namespace=None,
        default_order=(),
        cap=cap,
    )


@pytest.fixture
def conn(postgres: Server) -> Iterator[psycopg.Connection[Any]]:
    with new_schema(postgres) as url, psycopg.connect(url, autocommit=True) as connection:
        yield connection


def made_by(conn: psycopg.Connection[Any], table: Table, rows: int = 3) -> None:
    for statement in ddl(table):
        conn.execute(statement.encode())
    for i in range(rows):
        numbered = ("_seq, ", f"{i + 1}, ") if table.cap is not None else ("", "")
        conn.execute(
            f"INSERT INTO item ({numbered[0]}id, name) VALUES ({numbered[1]}%s, %s)".encode(), (f"i{i}", f"name {i}")
        )


def planned(conn: psycopg.Connection[Any], table: Table, drop: bool = False) -> Plan:
    with conn.transaction():
        return pg_schema.plan_for(conn, [table], ddl, "2.0", drop=drop)


def applied(conn: psycopg.Connection[Any], table: Table, plan: Plan) -> list[tuple[Any, ...]]:
    with conn.transaction():
        pg_schema.apply(conn, plan, [table])
    assert planned(conn, table).steps == (), "applied, the plan leaves nothing to do"
    return conn.execute("SELECT * FROM item ORDER BY _seq").fetchall()


def test_defaults_of_every_type_fill_the_rows_and_leave_the_column_as_a_new_table_has_it(
    conn: psycopg.Connection[Any],
) -> None:
    made_by(conn, item())
    later = item(
        Column("done", "done", "boolean", "INTEGER", default=1),
        Column("tags", "tags", "list", "TEXT", default='["a"]'),
        Column("weight", "weight", "float", "REAL", default=1.5),
        Column("due", "due", "time", "TEXT", default="2024-01-01T00:00:00.000000Z"),
    )
    plan = planned(conn, later)
    assert plan.additive and len(plan.steps) == 4
    rows = applied(conn, later, plan)
    assert [row[3:6] for row in rows] == [(True, ["a"], 1.5)] * 3
    assert {row[6] for row in rows} == {datetime(2024, 1, 1, tzinfo=UTC)}  # the instant, in any session zone


def test_a_lowered_cap_keeps_the_rows_it_trims_aside_unless_drop(conn: psycopg.Connection[Any]) -> None:
    made_by(conn, item(cap=10), rows=5)
    plan = planned(conn, item(cap=2))
    (step,) = plan.steps
    assert not step.additive and step.what.startswith("the cap 2 is below the 5 rows stored: the oldest 3 rows go")
    (kept,) = [s.split('"')[1] for s in step.sql if s.startswith("CREATE TABLE")]
    assert [row[1] for row in applied(conn, item(cap=2), plan)] == ["i3", "i4"]
    assert [row[0] for row in conn.execute(f'SELECT id FROM "{kept}" ORDER BY _seq'.encode())] == ["i0", "i1", "i2"]
    plan = planned(conn, item(cap=1), drop=True)
    assert all(not s.startswith("CREATE TABLE") for s in plan.steps[0].sql)
    assert [row[1] for row in applied(conn, item(cap=1), plan)] == ["i4"]


def test_a_cap_given_up_lets_postgresql_number_the_rows_after_the_last(conn: psycopg.Connection[Any]) -> None:
    made_by(conn, item(cap=10))
    plan = planned(conn, item())
    assert [(s.what, s.rows, s.additive) for s in plan.steps] == [
        ("drop column _upto (no cap any more)", 0, True),
        ("drop column _size (no cap any more)", 0, True),
        ("column _seq: arrival numbers bigint -> bigint IDENTITY", 0, True),
    ]
    applied(conn, item(), plan)
    conn.execute("INSERT INTO item (id, name) VALUES ('next', 'n')")
    assert conn.execute("SELECT _seq FROM item WHERE id = 'next'").fetchone() == (4,)
    plan = planned(conn, item(cap=10))  # and taken on again: the store numbers them
    assert [(s.what, s.rows, s.additive) for s in plan.steps] == [
        ("column _seq: arrival numbers bigint IDENTITY -> bigint", 0, True),
        ("add column _upto, the byte count of the capped log", 4, True),
        ("add column _size, the byte count of the capped log", 4, True),
    ]
    assert [row[0] for row in applied(conn, item(cap=10), plan)] == [1, 2, 3, 4]


def test_a_retired_column_stays_out_of_the_way(conn: psycopg.Connection[Any]) -> None:
    made_by(conn, item(Column("note", "note", "string", "TEXT")))
    conn.execute("UPDATE item SET note = 'old'")
    plan = planned(conn, item())
    assert not plan.additive and "kept in column _retired_note_" in plan.steps[0].what
    rows = applied(conn, item(), plan)
    assert [row[3] for row in rows] == ["old"] * 3
    assert planned(conn, item(Column("note", "note", "string", "TEXT"))).additive  # back, empty: nothing lost


def test_integers_that_become_floats_are_converted_in_place(conn: psycopg.Connection[Any]) -> None:
    made_by(conn, item(Column("size", "size", "integer", "INTEGER")))
    conn.execute("UPDATE item SET size = _seq * 10")
    floats = item(Column("size", "size", "float", "REAL"))
    plan = planned(conn, floats)
    assert not plan.additive
    assert (
        plan.steps[0].what
        == "column size changes type from bigint to float (double precision): 3 stored values converted"
    )
    assert plan.steps[0].rows == 3
    assert [row[3] for row in applied(conn, floats, plan)] == [10.0, 20.0, 30.0]


def test_a_new_identifier_cannot_fill_the_rows_already_there(conn: psycopg.Connection[Any]) -> None:
    """A column the spec wants NOT NULL with no default (an identifier) is no automatic step:
    the rows already stored would hold none."""
    before = Table(
        name="item",
        category="items",
        columns=(Column("name", "name", "string", "TEXT"),),
        identifier=None,
        namespace=None,
        default_order=(),
        cap=None,
    )
    for statement in ddl(before):
        conn.execute(statement.encode())
    conn.execute("INSERT INTO item (name) VALUES ('n')")
    plan = planned(conn, item())
    adding = [s for s in plan.steps if s.what == "add column id"]
    assert len(adding) == 1 and not adding[0].additive and adding[0].rows == 1
    assert not plan.additive


def test_a_column_whose_values_cannot_be_kept_counts_them_and_gets_its_default(conn: psycopg.Connection[Any]) -> None:
    made_by(conn, item(Column("code", "code", "string", "TEXT")))
    conn.execute("UPDATE item SET code = 'c' || _seq")
    later = item(Column("code", "code", "integer", "INTEGER", default=5))
    plan = planned(conn, later, drop=True)
    (step,) = plan.steps
    assert (step.rows, step.additive) == (3, False)
    assert step.what.endswith("3 stored values dropped, every row gets the default 5")
    assert [row[3] for row in applied(conn, later, plan)] == [5, 5, 5]


def shape_of(conn: psycopg.Connection[Any], schema: str) -> tuple[list[ColumnShape], list[tuple[Any, ...]]]:
    found = pg_schema.read_table(conn, schema, "item")
    assert found is not None
    indexes = sorted((astuple(i) for i in found.indexes), key=repr)  # with ``create``, which == leaves out
    return list(found.columns), indexes


def test_the_catalogs_describe_a_table_as_its_ddl_made_it(conn: psycopg.Connection[Any]) -> None:
    """Columns with their collation, identity, NOT NULL and key; constraints by their name; named
    indexes by their definition without the schema, whether or not the schema's name is quoted;
    an expression's key as None."""
    table = Table(
        name="item",
        category="items",
        columns=(
            Column("ID", "id", "string", "TEXT", unique=True),
            Column("name", "name", "string", "TEXT", orderable=True),
            Column("data", "data", "object", "TEXT"),
        ),
        identifier="ID",
        namespace=None,
        default_order=(),
        cap=None,
        indexes=(("data.k",),),
    )
    schema = pg_schema._current(conn)
    unique = "CREATE UNIQUE INDEX item_name_once ON item (name)"  # a unique index by a name of its own
    for statement in [*ddl(table), unique]:
        conn.execute(statement.encode())
    columns, indexes = shape_of(conn, schema)
    assert columns == [
        ColumnShape("_seq", "bigint IDENTITY", True, True),
        ColumnShape("id", 'text COLLATE "C"', True, False),
        ColumnShape("name", 'text COLLATE "C"', False, False),
        ColumnShape("data", "jsonb", False, False),
    ]
    (expression,) = [i for i in indexes if i[1][0] is None]
    assert expression[1] == (None, "_seq") and " ON item USING btree (" in expression[3]
    assert {i for i in indexes if i[1][0] is not None} == {
        (
            "item_order_name",
            ("name", "_seq"),
            False,
            "CREATE INDEX item_order_name ON item USING btree (name NULLS FIRST, _seq)",
            "",
        ),
        ("item_name_once", ("name",), True, "CREATE UNIQUE INDEX item_name_once ON item USING btree (name)", ""),
        (None, ("_seq",), True, "", "item_pkey"),
        (None, ("id",), True, "", "item_id_key"),
    }
    conn.execute('CREATE SCHEMA "Odd"')  # a name PostgreSQL quotes in an index's definition
    try:
        conn.execute('SET search_path = "Odd"')
        for statement in [*ddl(table), unique]:
            conn.execute(statement.encode())
        assert shape_of(conn, "Odd") == (columns, indexes)
    finally:
        conn.execute('DROP SCHEMA "Odd" CASCADE')
    assert pg_schema.read_table(conn, schema, "missing") is None


def test_an_index_statement_names_its_index_whole() -> None:
    statement = 'CREATE UNIQUE INDEX IF NOT EXISTS "XitemX" ON "item" ("a", "b")'
    assert pg_schema._index_name(statement) == "XitemX"
    assert pg_schema._index_name('CREATE INDEX IF NOT EXISTS "item_order_name" ON "item" ("name")') == "item_order_name"


def test_applied_the_plan_records_the_spec_and_a_new_version_alone_is_recorded_too(
    conn: psycopg.Connection[Any],
) -> None:
    table = item(Column("alpha", "alpha", "integer", "INTEGER"))  # kinds whose keys are not in order
    plan = planned(conn, table)
    with conn.transaction():
        pg_schema.apply(conn, plan, [table])
    recorded = dict(conn.execute('SELECT key, value FROM "_specgen_meta"').fetchall())
    assert recorded == {
        "spec_version": "2.0",
        "schema_digest": plan.digest,
        "kinds": '{"item":{"alpha":"integer","id":"string","name":"string"}}',
    }
    with conn.transaction():
        again = pg_schema.plan_for(conn, [table], ddl, "2.1")
        assert again.steps == () and again.found.spec_version == "2.0"
        pg_schema.apply(conn, again, [table])
    assert pg_schema.read_recorded(conn).spec_version == "2.1"


def plain(*columns: Column, identifier: str | None = None) -> Table:
    return Table(
        name="item",
        category="items",
        columns=columns,
        identifier=identifier,
        namespace=None,
        default_order=(),
        cap=None,
    )


def made(conn: psycopg.Connection[Any], table: Table, *inserts: str) -> None:
    for statement in [*ddl(table), *inserts]:
        conn.execute(statement.encode())


def test_an_identifier_taken_on_and_given_up_sets_and_drops_its_constraints_and_indexes(
    conn: psycopg.Connection[Any],
) -> None:
    loose = plain(Column("ID", "id", "string", "TEXT"), Column("name", "name", "string", "TEXT"))
    keyed = plain(
        Column("ID", "id", "string", "TEXT", unique=True),
        Column("name", "name", "string", "TEXT", orderable=True),
        identifier="ID",
    )
    made(conn, loose, "INSERT INTO item (id, name) VALUES ('a', 'x'), ('b', 'y')")
    plan = planned(conn, keyed)
    assert {s.sql for s in plan.steps} == {
        ('ALTER TABLE "item" ALTER COLUMN "id" SET NOT NULL',),
        ('ALTER TABLE "item" ADD UNIQUE ("id")',),
        ('CREATE INDEX IF NOT EXISTS "item_order_name" ON "item" ("name" NULLS FIRST, "_seq")',),
    }
    applied(conn, keyed, plan)
    plan = planned(conn, loose)
    assert {s.sql for s in plan.steps} == {
        ('ALTER TABLE "item" ALTER COLUMN "id" DROP NOT NULL',),
        ('ALTER TABLE "item" DROP CONSTRAINT "item_id_key"',),
        ('DROP INDEX "item_order_name"',),
    }
    applied(conn, loose, plan)
    conn.execute("INSERT INTO item (name) VALUES ('z')")  # no id: it may be NULL again


def test_a_step_the_rows_refuse_names_its_table_its_step_and_the_first_line_of_the_reason(
    conn: psycopg.Connection[Any],
) -> None:
    loose = plain(Column("ID", "id", "string", "TEXT"))
    keyed = plain(Column("ID", "id", "string", "TEXT", unique=True), identifier="ID")
    made(conn, loose, "INSERT INTO item (id) VALUES ('a'), (NULL)")
    plan = planned(conn, keyed)
    (constrain,) = [s for s in plan.steps if "SET NOT NULL" in s.sql[0]]
    with pytest.raises(MigrationError) as refused, conn.transaction():
        pg_schema.apply(conn, plan, [keyed])
    assert str(refused.value) == (
        f'item: {constrain.what}: the data stored refuses it (column "id" of relation "item" contains null values)'
    )


def test_the_arrival_numbers_cannot_change_their_key() -> None:
    writer = pg_schema.PostgresSteps(ddl, drop=False, stamp="20260101000000")
    shape = TableShape("item", (), frozenset())
    change = Change("constrain_column", "column _seq", False, 0, column=ColumnShape("_seq", "bigint", True, False))
    with pytest.raises(MigrationError, match=r"^item: the arrival numbers \(_seq\) cannot change their key$"):
        writer.steps(item(), shape, shape, [change], 0)


def test_a_long_not_null_column_retired_keeps_a_name_postgresql_does_not_cut_and_takes_nulls(
    conn: psycopg.Connection[Any],
) -> None:
    long = "identifier_" + "x" * 49  # 60 characters: its retired name must be cut to 63
    keyed = plain(
        Column("ID", long, "string", "TEXT", unique=True), Column("name", "name", "string", "TEXT"), identifier="ID"
    )
    counted = plain(Column("ID", long, "integer", "INTEGER"), Column("name", "name", "string", "TEXT"))
    made(conn, keyed, f"INSERT INTO item (\"{long}\", name) VALUES ('a', 'x')")
    plan = planned(conn, counted)
    (retyped,) = [s for s in plan.steps if "kept in column" in s.what]
    kept = retyped.what.split("(kept in column ")[1].rstrip(")")
    assert len(kept) == 63 and kept.startswith("_retired_identifier_xxx")
    applied(conn, counted, plan)
    found = pg_schema.read_table(conn, pg_schema._current(conn), "item")
    assert found is not None and found.column(kept) == ColumnShape(kept, 'text COLLATE "C"', False, False)
    conn.execute("INSERT INTO item (name) VALUES ('y')")  # the kept column holds nothing for it


def test_columns_added_with_defaults_keep_their_not_null_and_take_literals_as_postgresql_reads_them(
    conn: psycopg.Connection[Any],
) -> None:
    before = plain(Column("name", "name", "string", "TEXT"))
    later = plain(
        Column("ID", "id", "string", "TEXT", unique=True, default="it's"),
        Column("name", "name", "string", "TEXT"),
        Column("done", "done", "boolean", "INTEGER", default=0),
        identifier="ID",
    )
    made(conn, before, "INSERT INTO item (name) VALUES ('x')")
    plan = planned(conn, later)
    applied(conn, later, plan)
    assert conn.execute("SELECT id, done FROM item").fetchall() == [("it's", False)]


def tables_of(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]


def functions_of(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_proc WHERE pronamespace = current_schema()::regnamespace"
        ).fetchone()
        return int(row[0]) if row else 0


def test_migrate_plans_without_applying_then_applies_once(postgres: Server) -> None:
    """``specgen migrate``: without ``apply_plan`` the plan only (nothing made); with it, the
    plan applied and committed, after which nothing is left to do."""
    with new_schema(postgres) as url:
        plan = migrate_database(url, [item()], "2.0", apply_plan=False, drop=False)
        assert [s.what for s in plan.steps][:1] == ["new table item"]
        assert tables_of(url) == [] and functions_of(url) == 0  # rolled back, the function with the rest
        plan = migrate_database(url, [item()], "2.0", apply_plan=True, drop=False)
        assert plan.steps and "item" in tables_of(url)
        assert migrate_database(url, [item()], "2.0", apply_plan=True, drop=False).steps == ()


def test_migrate_names_the_database_without_its_password_when_it_fails(postgres: Server) -> None:
    missing = postgres.url() + "?options=-c%20search_path%3Dnosuchschema"
    with pytest.raises(MigrationError) as caught:
        migrate_database(missing, [item()], "2.0", apply_plan=True, drop=False)
    assert str(caught.value) == (f"{_safe(missing)}: no schema has been selected to create in; nothing was changed")
    closed = "postgresql://someone:secret@127.0.0.1:1/db"
    with pytest.raises(MigrationError) as caught:
        migrate_database(closed, [item()], "2.0", apply_plan=True, drop=False)
    message = str(caught.value)
    assert message.startswith("postgresql://someone@127.0.0.1:1/db: ") and message.endswith("; nothing was changed")
    assert "secret" not in message and "\n" not in message


def test_a_database_url_is_named_without_its_password() -> None:
    assert _safe("postgresql://someone:secret@db.example:5433/name") == "postgresql://someone@db.example:5433/name"
    assert _safe("postgresql://someone:secret@db.example/name") == "postgresql://someone@db.example/name"
    assert _safe("postgresql:///name") == "postgresql://@/name"
    assert _safe("postgresql://someone@db.example") == "postgresql://someone@db.example/"  # no database named
    assert _safe("host=h port=7 dbname=d user=u password=p") == "postgresql://u@h:7/d"
    assert _safe("postgresql://[not a url") == "the database"


def test_a_database_url_in_a_message_keeps_every_parameter_but_the_secrets() -> None:
    # The schema the tables live in (search_path) is part of where the database is.
    url = "postgresql://u:pw@h/d?options=-c%20search_path%3Dtenant&sslmode=require&sslpassword=k&connect_timeout=3"
    shown = _safe(url)
    assert shown == "postgresql://u@h/d?connect_timeout=3&options=-c%20search_path%3Dtenant&sslmode=require"
    assert "pw" not in shown and "sslpassword" not in shown
    assert psycopg.conninfo.conninfo_to_dict(shown) == {
        "user": "u",
        "host": "h",
        "dbname": "d",
        "options": "-c search_path=tenant",
        "sslmode": "require",
        "connect_timeout": "3",
    }
    assert (
        _safe("host=h dbname=d password=p application_name='my app'") == "postgresql://@h/d?application_name=my%20app"
    )
    socket = _safe("host=/run/postgresql port=5433 dbname=d user=u password=p")
    assert socket == "postgresql://u@:5433/d?host=%2Frun%2Fpostgresql"
    assert psycopg.conninfo.conninfo_to_dict(socket) == {
        "user": "u",
        "host": "/run/postgresql",
        "port": "5433",
        "dbname": "d",
    }


def test_migrate_keeps_trimmed_rows_aside_unless_told_to_drop_them(postgres: Server) -> None:
    with new_schema(postgres) as url:
        with psycopg.connect(url, autocommit=True) as conn:
            made_by(conn, item(cap=10), rows=5)
        kept = migrate_database(url, [item(cap=2)], "2.0", apply_plan=False, drop=False).steps[0].sql
        dropped = migrate_database(url, [item(cap=2)], "2.0", apply_plan=False, drop=True).steps[0].sql
        assert any(s.startswith("CREATE TABLE") for s in kept)
        assert not any(s.startswith("CREATE TABLE") for s in dropped)


def test_migrate_refused_by_the_data_changes_nothing_and_says_why(postgres: Server) -> None:
    nameless = Table(
        name="item",
        category="items",
        columns=(Column("name", "name", "string", "TEXT"),),
        identifier=None,
        namespace=None,
        default_order=(),
        cap=None,
    )
    with new_schema(postgres) as url:
        with psycopg.connect(url, autocommit=True) as conn:
            for statement in ddl(nameless):
                conn.execute(statement.encode())
            conn.execute("INSERT INTO item (name) VALUES ('n')")
        with pytest.raises(MigrationError) as caught:
            migrate_database(url, [item()], "2.0", apply_plan=True, drop=False)
        message = str(caught.value)
        assert message.startswith(f"{_safe(url)}: item: add column id: the data stored refuses it (")
        assert message.endswith("; nothing was changed")
        with psycopg.connect(url) as conn:
            columns = conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
                " AND table_name = 'item' ORDER BY ordinal_position"
            ).fetchall()
        assert columns == [("_seq",), ("name",)]
