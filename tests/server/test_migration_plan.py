"""The migration planner rule by rule, on SQLite tables made by hand (the runtime at its source).

Each test makes a table as an older spec made it, plans the way to the current ``Table``,
checks how each step is classified (additive: opening the database applies it; otherwise
``specgen migrate``), then applies the plan and reads the rows back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

import pytest

from generator.runtime.server import sqlite_schema
from generator.runtime.server.migration import MigrationError, Plan, Step, sql_literal
from generator.runtime.server.schema import ColumnShape, IndexShape, Recorded
from generator.runtime.server.table import Column, Table


def item(
    *extra: Column,
    cap: int | None = None,
    unique_name: bool = False,
    filterable_name: bool = False,
    parents: tuple[str, ...] = (),
) -> Table:
    return Table(
        name="item",
        category="items",
        columns=(
            Column("ID", "id", "string", "TEXT", unique=True),
            Column("name", "name", "string", "TEXT", unique=unique_name, filterable=filterable_name),
            *extra,
        ),
        identifier="ID",
        namespace=None,
        default_order=(),
        cap=cap,
        parents=parents,
    )


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    yield connection
    connection.close()


def made_by(conn: sqlite3.Connection, table: Table, rows: int = 3) -> None:
    """The database as ``table``'s spec made it, with ``rows`` items."""
    for statement in table.ddl():
        conn.execute(statement)
    for i in range(rows):
        conn.execute("INSERT INTO item (id, name) VALUES (?, ?)", (f"i{i}", f"name {i}"))


def planned(conn: sqlite3.Connection, table: Table) -> Plan:
    return sqlite_schema.plan_for(conn, [table], "2.0")


def applied(conn: sqlite3.Connection, table: Table, plan: Plan) -> list[tuple[object, ...]]:
    conn.execute("BEGIN")
    sqlite_schema.apply(conn, plan, [table])
    conn.execute("COMMIT")
    assert all(step.table == table.name for step in plan.steps), "every step names its table"
    assert planned(conn, table).steps == (), "applied, the plan leaves nothing to do"
    return conn.execute("SELECT * FROM item ORDER BY _seq").fetchall()


def test_a_new_table_is_created(conn: sqlite3.Connection) -> None:
    plan = planned(conn, item())
    assert [(s.what, s.additive, s.rows) for s in plan.steps] == [("new table item", True, 0)]
    assert plan.found.spec_version == "" and plan.additive
    assert applied(conn, item(), plan) == []


def test_a_new_attribute_gets_its_default_in_every_row(conn: sqlite3.Connection) -> None:
    made_by(conn, item())
    later = item(
        Column("size", "size", "integer", "INTEGER", default=7),
        Column("tags", "tags", "list", "TEXT", default="[]"),
        Column("note", "note", "string", "TEXT"),
    )
    plan = planned(conn, later)
    assert [(s.what, s.additive, s.rows) for s in plan.steps] == [
        ("add column size, existing rows get the default 7", True, 3),
        ("add column tags, existing rows get the default '[]'", True, 3),
        ("add column note", True, 3),
    ]
    assert plan.steps[0].sql == ('ALTER TABLE "item" ADD COLUMN "size" INTEGER DEFAULT 7',)
    assert plan.steps[2].sql == ('ALTER TABLE "item" ADD COLUMN "note" TEXT',)  # no DEFAULT NULL
    assert applied(conn, later, plan) == [
        (1, "i0", "name 0", 7, "[]", None),
        (2, "i1", "name 1", 7, "[]", None),
        (3, "i2", "name 2", 7, "[]", None),
    ]


def test_a_cap_below_the_rows_stored_is_not_automatic_and_a_bigger_one_is_nothing(conn: sqlite3.Connection) -> None:
    made_by(conn, item(cap=10), rows=5)
    assert planned(conn, item(cap=50)).steps == ()
    plan = planned(conn, item(cap=2))
    assert [(s.what, s.additive, s.rows) for s in plan.steps] == [
        ("the cap 2 is below the 5 rows stored: the oldest 3 rows go", False, 3)
    ]
    assert [row[1] for row in applied(conn, item(cap=2), plan)] == ["i3", "i4"]


def test_a_cap_given_up_drops_its_bookkeeping_and_loses_nothing(conn: sqlite3.Connection) -> None:
    made_by(conn, item(cap=10))
    plan = planned(conn, item())
    assert plan.additive and [s.what for s in plan.steps] == ["rebuild the table"]
    assert plan.steps[0].details == ("drop column _upto (no cap any more)",)
    assert applied(conn, item(), plan) == [(1, "i0", "name 0"), (2, "i1", "name 1"), (3, "i2", "name 2")]


def test_a_removed_attribute_loses_its_values(conn: sqlite3.Connection) -> None:
    made_by(conn, item(Column("note", "note", "string", "TEXT")))
    conn.execute("UPDATE item SET note = 'kept?' WHERE id = 'i1'")
    plan = planned(conn, item())
    assert not plan.additive and plan.lossy == plan.steps
    assert plan.steps[0].details == ("drop column note: 1 stored value lost",)
    assert plan.steps[0].rows == 3  # a rebuild rewrites every row
    assert applied(conn, item(), plan) == [(1, "i0", "name 0"), (2, "i1", "name 1"), (3, "i2", "name 2")]


def test_a_type_the_database_cannot_tell_is_known_from_the_recorded_kinds(conn: sqlite3.Connection) -> None:
    """A string and a time are both TEXT: the kinds the database recorded tell the change."""
    made_by(conn, item(Column("due", "due", "string", "TEXT")))
    conn.execute("UPDATE item SET due = 'tomorrow'")
    conn.execute('CREATE TABLE "_specgen_meta" (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
    kinds = {"item": {"id": "string", "name": "string", "due": "string"}}
    conn.execute("INSERT INTO _specgen_meta VALUES ('kinds', ?)", (json.dumps(kinds),))
    timed = item(Column("due", "due", "time", "TEXT"))
    plan = planned(conn, timed)
    assert plan.steps[0].details == (
        "column due changes type from string (TEXT) to time (TEXT): 3 stored values dropped",
    )
    assert not plan.additive
    assert [row[3] for row in applied(conn, timed, plan)] == [None, None, None]
    # An enum's values are strings: that change rewrites nothing.
    conn.execute("UPDATE _specgen_meta SET value = ? WHERE key = 'kinds'", (json.dumps({"item": {"due": "enum"}}),))
    assert planned(conn, item(Column("due", "due", "string", "TEXT"))).steps == ()


def test_a_new_unique_constraint_may_be_refused_a_relaxed_one_loses_nothing(conn: sqlite3.Connection) -> None:
    made_by(conn, item())
    plan = planned(conn, item(unique_name=True))
    assert not plan.additive
    assert plan.steps[0].details == ("add unique constraint on (name): refused if stored values repeat",)
    assert applied(conn, item(unique_name=True), plan)[0] == (1, "i0", "name 0")
    plan = planned(conn, item())
    assert plan.additive and plan.steps[0].details == ("drop unique constraint on (name)",)
    conn.execute("BEGIN")
    sqlite_schema.apply(conn, plan, [item()])
    conn.execute("COMMIT")
    conn.execute("INSERT INTO item (id, name) VALUES ('i9', 'name 0')")  # no longer unique


def test_a_new_unique_attribute_is_additive_when_it_starts_unset(conn: sqlite3.Connection) -> None:
    made_by(conn, item())
    fresh = item(Column("code", "code", "string", "TEXT", unique=True))
    assert planned(conn, fresh).additive
    defaulted = item(Column("code", "code", "string", "TEXT", unique=True, default="x"))
    assert not planned(conn, defaulted).additive  # three rows would share "x"


def test_the_spec_version_and_digest_are_recorded(conn: sqlite3.Connection) -> None:
    plan = planned(conn, item())
    applied(conn, item(), plan)
    found = sqlite_schema.read_recorded(conn)
    assert (found.spec_version, found.digest) == ("2.0", plan.digest)
    assert found.kinds == {"item": {"id": "string", "name": "string"}}
    assert planned(conn, item(Column("more", "more", "string", "TEXT"))).digest != plan.digest


def test_integers_that_become_floats_are_converted_not_dropped(conn: sqlite3.Connection) -> None:
    made_by(conn, item(Column("size", "size", "integer", "INTEGER")))
    conn.execute("UPDATE item SET size = _seq * 10")
    floats = item(Column("size", "size", "float", "REAL"))
    plan = planned(conn, floats)
    assert not plan.additive  # a rewrite: specgen migrate, with its backup
    assert plan.steps[0].details == (
        "column size changes type from INTEGER to float (REAL): 3 stored values converted",
    )
    assert [row[3] for row in applied(conn, floats, plan)] == [10.0, 20.0, 30.0]


def test_a_default_is_written_as_an_sql_literal_and_reads_back_intact(conn: sqlite3.Connection) -> None:
    assert [sql_literal(v) for v in (None, True, False, 7, -1.5, "it's", "")] == [
        "NULL",
        "1",
        "0",
        "7",
        "-1.5",
        "'it''s'",
        "''",
    ]
    made_by(conn, item(), rows=1)
    later = item(Column("label", "label", "string", "TEXT", default="it's 'quoted'"))
    assert applied(conn, later, planned(conn, later)) == [(1, "i0", "name 0", "it's 'quoted'")]


def test_a_plan_for_people_names_each_step_its_rows_and_its_sql() -> None:
    steps = (
        Step("item", "add column size", ('ALTER TABLE "item" ADD COLUMN "size" INTEGER',), 1, True),
        Step(
            "item",
            "rebuild the table",
            ("CREATE ...", "DROP ..."),
            3,
            False,
            ("drop column note: 2 stored values lost",),
        ),
    )
    plan = Plan(steps, Recorded(), "2.0", "digest")
    assert plan.lines() == [
        "item: add column size (1 row) [automatic]",
        '    ALTER TABLE "item" ADD COLUMN "size" INTEGER;',
        "item: rebuild the table (3 rows) [loses or rewrites data]",
        "  - drop column note: 2 stored values lost",
        "    CREATE ...;",
        "    DROP ...;",
    ]
    assert plan.lines(sql=False) == [plan.lines()[0], plan.lines()[2], plan.lines()[3]]
    assert not plan.additive and plan.lossy == steps[1:]


def test_a_column_of_the_store_s_own_is_named_by_its_type_alone(conn: sqlite3.Connection) -> None:
    """A column no attribute stands for (a capped log's byte count) has no kind to name."""
    conn.execute('CREATE TABLE "item" ("_seq" INTEGER PRIMARY KEY, "id" TEXT, "name" TEXT, "_upto" TEXT NOT NULL)')
    conn.execute("INSERT INTO item (id, name, _upto) VALUES ('i0', 'n', '0')")
    (step,) = planned(conn, item(cap=10)).steps
    assert "column _upto changes type from TEXT to INTEGER: 1 stored value dropped" in step.details


def test_every_retyped_column_is_planned_and_a_dropped_one_gets_its_default(conn: sqlite3.Connection) -> None:
    """A converted column does not end the walk over the others; a column whose values cannot be
    kept gets the spec's default in every row, and the plan says so."""
    made_by(conn, item(Column("size", "size", "integer", "INTEGER"), Column("code", "code", "string", "TEXT")))
    later = item(Column("size", "size", "float", "REAL"), Column("code", "code", "integer", "INTEGER", default=5))
    (step,) = planned(conn, later).steps
    assert step.details == (
        "column size changes type from INTEGER to float (REAL): 0 stored values converted",
        "column code changes type from TEXT to integer (INTEGER): 0 stored values dropped, every row gets the default 5",
    )
    assert [row[4] for row in applied(conn, later, planned(conn, later))] == [5, 5, 5]


def test_a_column_that_may_be_null_again_loses_nothing(conn: sqlite3.Connection) -> None:
    """The identifier given up: its column stays, no longer NOT NULL, and nothing is lost."""
    made_by(conn, item())
    plain = Table(
        name="item",
        category="items",
        columns=(Column("ID", "id", "string", "TEXT", unique=True), Column("name", "name", "string", "TEXT")),
        identifier=None,
        namespace=None,
        default_order=(),
        cap=None,
    )
    plan = planned(conn, plain)
    assert plan.additive and [s.details for s in plan.steps] == [("column id may be NULL",)]
    assert applied(conn, plain, plan) == [(1, "i0", "name 0"), (2, "i1", "name 1"), (3, "i2", "name 2")]


def test_indexes_are_dropped_and_made_without_a_rebuild_a_replaced_name_dropped_first(conn: sqlite3.Connection) -> None:
    """A named index changes by DROP INDEX and CREATE INDEX; one whose name the spec now gives to
    other keys is dropped before it is made again, and a new column comes before its index."""
    made_by(conn, item())
    conn.execute('CREATE INDEX "item_order_name" ON "item" ("id")')
    later = item(Column("size", "size", "integer", "INTEGER", filterable=True), filterable_name=True)
    plan = planned(conn, later)
    assert plan.additive
    assert [(s.table, s.what, s.sql, s.rows) for s in plan.steps] == [
        ("item", "drop index item_order_name on (id)", ('DROP INDEX "item_order_name"',), 0),
        ("item", "add column size", ('ALTER TABLE "item" ADD COLUMN "size" INTEGER',), 3),
        (
            "item",
            "add index item_order_name on (name)",
            ('CREATE INDEX "item_order_name" ON "item" ("name")',),
            3,
        ),
        ("item", "add index item_order_size on (size)", ('CREATE INDEX "item_order_size" ON "item" ("size")',), 3),
    ]
    assert applied(conn, later, plan) == [
        (1, "i0", "name 0", None),
        (2, "i1", "name 1", None),
        (3, "i2", "name 2", None),
    ]
    plan = planned(conn, item(Column("size", "size", "integer", "INTEGER")))
    assert [(s.what, s.sql) for s in plan.steps] == [
        ("drop index item_order_name on (name)", ('DROP INDEX "item_order_name"',)),
        ("drop index item_order_size on (size)", ('DROP INDEX "item_order_size"',)),
    ]
    applied(conn, item(Column("size", "size", "integer", "INTEGER")), plan)


def test_a_table_is_read_as_sqlite_describes_it(conn: sqlite3.Connection) -> None:
    """Types upper case, NOT NULL and the primary key; a named index by its name, keys, uniqueness
    and statement (whitespace folded); an expression index told apart by its SQL; a UNIQUE
    constraint's own index with no name."""
    conn.execute('CREATE TABLE "t" ("_seq" integer PRIMARY KEY, "id" text NOT NULL UNIQUE, "data" TEXT, "ns" TEXT)')
    conn.execute('CREATE UNIQUE INDEX "t_by_ns"\n   ON "t" ("ns",  "id")')
    path = 'CREATE INDEX "t_path" ON "t" (json_extract("data", \'$.k\'))'
    conn.execute(path)
    shape = sqlite_schema.read_table(conn, "t")
    assert shape is not None and shape.name == "t"
    assert shape.columns == (
        ColumnShape("_seq", "INTEGER", False, True),
        ColumnShape("id", "TEXT", True, False),
        ColumnShape("data", "TEXT", False, False),
        ColumnShape("ns", "TEXT", False, False),
    )
    assert shape.indexes == {
        IndexShape(None, ("id",), True),
        IndexShape("t_by_ns", ("ns", "id"), True, ""),
        IndexShape("t_path", (None,), False, path),
    }
    # Compared apart: ``create`` is left out of an index's equality.
    assert {i.name: i.create for i in shape.indexes} == {
        None: "",
        "t_by_ns": 'CREATE UNIQUE INDEX "t_by_ns" ON "t" ("ns", "id")',
        "t_path": path,
    }
    assert sqlite_schema.read_table(conn, "missing") is None


def test_a_missing_or_garbled_record_reads_as_nothing_recorded(conn: sqlite3.Connection) -> None:
    assert sqlite_schema.read_recorded(conn) == Recorded("", "", {})
    conn.execute('CREATE TABLE "_specgen_meta" (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
    conn.execute("INSERT INTO _specgen_meta VALUES ('spec_version', '1.0')")
    # Not JSON, JSON but not an object, a table's columns not an object: no traceback, no kinds.
    for garbled, kinds in [
        ("not json", {}),
        ("[1, 2]", {}),
        ('"text"', {}),
        ('{"item": [1], "other": {"id": "string"}}', {"other": {"id": "string"}}),
    ]:
        conn.execute("INSERT OR REPLACE INTO _specgen_meta VALUES ('kinds', ?)", (garbled,))
        assert sqlite_schema.read_recorded(conn) == Recorded("1.0", "", kinds), garbled


def test_the_record_is_compact_json_with_sorted_keys(conn: sqlite3.Connection) -> None:
    """The same spec records the same text, whatever the order of its attributes."""
    table = item(Column("alpha", "alpha", "integer", "INTEGER"))
    applied(conn, table, planned(conn, table))
    (text,) = conn.execute("SELECT value FROM _specgen_meta WHERE key = 'kinds'").fetchone()
    assert text == '{"item":{"alpha":"integer","id":"string","name":"string"}}'


def test_a_step_the_data_refuses_names_the_table_and_the_step_not_the_scratch_table(
    conn: sqlite3.Connection,
) -> None:
    made_by(conn, item())
    conn.execute("UPDATE item SET name = 'same'")
    plan = planned(conn, item(unique_name=True))
    conn.execute("BEGIN")
    with pytest.raises(MigrationError) as refused:
        sqlite_schema.apply(conn, plan, [item(unique_name=True)])
    conn.execute("ROLLBACK")
    assert str(refused.value) == (
        "item: rebuild the table: the data stored refuses it (UNIQUE constraint failed: item.name)"
    )


def test_a_new_spec_version_is_recorded_even_when_the_tables_need_no_step(conn: sqlite3.Connection) -> None:
    applied(conn, item(), planned(conn, item()))
    plan = sqlite_schema.plan_for(conn, [item()], "3.0")
    assert plan.steps == ()
    sqlite_schema.apply(conn, plan, [item()])
    assert sqlite_schema.read_recorded(conn).spec_version == "3.0"


def test_a_table_without_arrival_numbers_is_rebuilt_to_number_its_rows(conn: sqlite3.Connection) -> None:
    """SQLite cannot add a primary key column: the table is rebuilt and its rows numbered."""
    conn.execute('CREATE TABLE "item" ("id" TEXT NOT NULL UNIQUE, "name" TEXT)')
    conn.execute("INSERT INTO item VALUES ('i0', 'name 0'), ('i1', 'name 1')")
    plan = planned(conn, item())
    assert [(s.what, s.details) for s in plan.steps] == [("rebuild the table", ("add column _seq",))]
    assert applied(conn, item(), plan) == [(1, "i0", "name 0"), (2, "i1", "name 1")]


def test_a_cap_taken_on_adds_the_byte_count_by_alter_table_and_fills_it(conn: sqlite3.Connection) -> None:
    made_by(conn, item())
    plan = planned(conn, item(cap=10))
    assert [s.what for s in plan.steps] == ["add column _upto, the byte count of the capped log"]
    assert plan.steps[0].sql[0] == 'ALTER TABLE "item" ADD COLUMN "_upto" INTEGER NOT NULL DEFAULT 0'
    # Each row: "iN" and "name N", 8 bytes; the running total since the table began.
    assert [row[3] for row in applied(conn, item(cap=10), plan)] == [8, 16, 24]


def test_a_rebuild_keeps_arrival_numbers_links_and_byte_counts(conn: sqlite3.Connection) -> None:
    """What a rebuild copies as stored: the arrival numbers (gaps and all, even when their
    column's type is redone), a parent's link and a capped log's byte counts; a cap taken on
    during a rebuild gets its byte counts filled."""
    conn.execute(
        'CREATE TABLE "item" ("_seq" INT PRIMARY KEY, "id" TEXT NOT NULL UNIQUE, "name" TEXT,'
        ' "note" TEXT, "_parent_box" TEXT, "_upto" INTEGER NOT NULL DEFAULT 0)'
    )
    conn.execute("INSERT INTO item VALUES (5, 'i0', 'name 0', 'x', 'b1', 100), (9, 'i1', 'name 1', 'y', 'b2', 108)")
    capped = item(cap=10, parents=("box",))
    plan = planned(conn, capped)
    assert [s.what for s in plan.steps] == ["rebuild the table"]
    assert applied(conn, capped, plan) == [(5, "i0", "name 0", "b1", 100), (9, "i1", "name 1", "b2", 108)]
    conn.execute("DROP TABLE item")
    conn.execute(
        'CREATE TABLE "item" ("_seq" INTEGER PRIMARY KEY, "id" TEXT NOT NULL UNIQUE, "name" TEXT, "note" TEXT)'
    )
    conn.execute("INSERT INTO item VALUES (5, 'i0', 'name 0', 'x'), (9, 'i1', 'name 1', 'y')")
    plan = planned(conn, item(cap=10))
    assert [s.what for s in plan.steps] == ["rebuild the table"]
    assert applied(conn, item(cap=10), plan) == [(5, "i0", "name 0", 8), (9, "i1", "name 1", 16)]


def test_a_rebuilt_table_gets_its_indexes_again(conn: sqlite3.Connection) -> None:
    made_by(conn, item(Column("note", "note", "string", "TEXT"), filterable_name=True))
    plan = planned(conn, item(filterable_name=True))
    assert [s.what for s in plan.steps] == ["rebuild the table"]
    assert plan.steps[0].sql[-1] == 'CREATE INDEX IF NOT EXISTS "item_order_name" ON "item" ("name")'
    applied(conn, item(filterable_name=True), plan)  # and the plan after it wants no index
