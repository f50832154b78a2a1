"""The migration planner's PostgreSQL steps, on tables of a real server (the runtime at its source).

What SQLite does by rebuilding a table PostgreSQL does in place; these are the steps only it
has: a cap given up or taken on changes who numbers the rows, a lowered cap keeps the rows it
trims aside, a retired column stays out of the way, defaults of every type fill the rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest

from generator.runtime.server import pg_schema
from generator.runtime.server.migration import MigrationError, Plan
from generator.runtime.server.postgres import _safe, ddl, migrate_database
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
