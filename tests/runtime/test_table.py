"""A model's table: safe names in SQL, attribute lookup, the schema (constraints and indexes)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import replace

import pytest

from generator.runtime.server.table import Column, Table, find_resource, quote
from tests.runtime.things import resource, table


def unquoted(keys: list[str]) -> list[str]:
    """Index keys as column names (the tables here index columns, no JSON paths)."""
    assert all(k.startswith('"') and k.endswith('"') for k in keys), keys
    return [k[1:-1] for k in keys]


@pytest.mark.parametrize("name", ["a", "thing", "field_2fa_code", "a1_b2"])
def test_safe_identifiers_are_quoted(name: str) -> None:
    assert quote(name) == f'"{name}"'


@pytest.mark.parametrize("name", ["", "A", "1a", "_a", "a-b", 'a"; DROP TABLE x; --', "a b", "a\n", "é"])
def test_anything_else_never_reaches_sql(name: str) -> None:
    with pytest.raises(ValueError) as caught:
        quote(name)
    assert str(caught.value) == f"not a safe SQL identifier: {name!r}"


def test_columns_are_found_by_exposed_name_then_without_case() -> None:
    columns = (
        Column("ID", "id", "string", "TEXT"),
        Column("name", "name", "string", "TEXT"),
        Column("Name", "name2", "string", "TEXT"),
    )
    the_table = Table(
        name="t", category="ts", columns=columns, identifier="ID", namespace=None, default_order=(), cap=None
    )
    assert the_table.column("name") is columns[1] and the_table.column("Name") is columns[2]
    assert the_table.column("id") is columns[0] and the_table.column("iD") is columns[0]
    assert the_table.column("nope") is None
    assert the_table.identifier is columns[0] and the_table.namespace is None
    assert the_table.unique_columns == (columns[0],)


def test_the_statements_of_a_table() -> None:
    the_table = table()
    assert the_table.insert_sql == (
        'INSERT INTO "thing" ("id", "name", "kind", "count", "ratio", "enabled", "date", "tags", "data", "raw",'
        ' "secret", "code", "namespace") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)'
    )
    assert the_table.update_sql.startswith('UPDATE "thing" SET "id" = ?, "name" = ?, ')
    assert the_table.update_sql.endswith('"namespace" = ? WHERE "id" = ?')
    assert the_table.delete_sql == 'DELETE FROM "thing" WHERE "id" = ?'
    assert [c.attribute for c in the_table.unique_columns] == ["ID", "code"]


def test_the_schema_holds_the_unique_rules_and_one_index_per_use() -> None:
    the_table = table()
    ddl = the_table.ddl()
    assert ddl[0] == (
        'CREATE TABLE IF NOT EXISTS "thing" ("_seq" INTEGER PRIMARY KEY, "id" TEXT NOT NULL UNIQUE, "name" TEXT,'
        ' "kind" TEXT, "count" INTEGER, "ratio" REAL, "enabled" INTEGER, "date" TEXT, "tags" TEXT, "data" TEXT,'
        ' "raw" TEXT, "secret" TEXT, "code" TEXT, "namespace" TEXT)'
    )
    indexes = {name: unquoted(keys) for name, keys in the_table.indexes().items()}
    in_one: dict[str, list[str]] = {}
    recursive: dict[str, list[str]] = {}
    for name, keys in indexes.items():
        (in_one if keys[0] == "namespace" else recursive)[name] = keys
    # (namespace, c) for a list of one namespace; (c, namespace) for a recursive one, named as the order index
    assert in_one == {f"thing_by_{c}": ["namespace", c] for c in ("name", "kind", "count", "ratio", "enabled", "date")}
    assert recursive == {
        the_table.order_index(the_table.by_attribute[a]): [c, "namespace"]
        for a, c in (
            ("name", "name"),
            ("kind", "kind"),
            ("count", "count"),
            ("ratio", "ratio"),
            ("enabled", "enabled"),
            ("date", "date"),
        )
    }
    assert the_table.order_index(the_table.by_attribute["date"]) == "thing_order_date"
    assert ddl[1:-1] == [
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "thing" (' + ", ".join(f'"{k}"' for k in keys) + ")"
        for name, keys in indexes.items()
    ]
    assert ddl[-1] == 'CREATE UNIQUE INDEX IF NOT EXISTS "thing_unique_code" ON "thing" ("namespace", "code")'


def test_a_table_without_namespace_indexes_each_column_alone() -> None:
    columns = (
        Column("label", "label", "string", "TEXT", filterable=True),
        Column("size", "size", "integer", "INTEGER", orderable=True),
        Column("blob", "blob", "object", "TEXT", filterable=True),
        Column("key", "key", "string", "TEXT", unique=True, filterable=True),
        Column("other", "other", "string", "TEXT"),
    )
    the_table = Table(
        name="log", category="logs", columns=columns, identifier=None, namespace=None, default_order=(), cap=3
    )
    assert {n: unquoted(k) for n, k in the_table.indexes().items()} == {
        "log_order_label": ["label"],
        "log_order_size": ["size"],
    }
    assert the_table.ddl()[0] == (
        'CREATE TABLE IF NOT EXISTS "log" ("_seq" INTEGER PRIMARY KEY, "label" TEXT, "size" INTEGER,'
        ' "blob" TEXT, "key" TEXT UNIQUE, "other" TEXT, "_upto" INTEGER NOT NULL DEFAULT 0)'
    )  # a capped log keeps the running total of its bytes (_upto)
    assert the_table.update_sql.endswith('WHERE "_seq" = ?') and the_table.delete_sql.endswith('WHERE "_seq" = ?')


def test_a_namespaced_table_with_nothing_to_filter_still_indexes_its_namespace() -> None:
    columns = (Column("ID", "id", "string", "TEXT"), Column("namespace", "namespace", "string", "TEXT"))
    the_table = Table(
        name="bare",
        category="bares",
        columns=columns,
        identifier="ID",
        namespace="namespace",
        default_order=(),
        cap=None,
    )
    assert {n: unquoted(k) for n, k in the_table.indexes().items()} == {"bare_by_namespace": ["namespace"]}


def test_unique_in_namespace_is_global_without_a_namespace() -> None:
    columns = (Column("code", "code", "string", "TEXT", unique=True, unique_in_namespace=True),)
    the_table = Table(
        name="u", category="us", columns=columns, identifier=None, namespace=None, default_order=(), cap=None
    )
    assert the_table.ddl() == ['CREATE TABLE IF NOT EXISTS "u" ("_seq" INTEGER PRIMARY KEY, "code" TEXT)']


def test_the_schema_runs_in_sqlite() -> None:
    with sqlite3.connect(":memory:") as conn:
        for statement in table().ddl():
            conn.execute(statement)
        names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "thing_unique_code" in names and "thing_order_date" in names


def test_resources_are_found_by_name_or_category() -> None:
    things = resource()
    others = replace(
        things,
        table=Table(
            name="other", category="others", columns=(), identifier=None, namespace=None, default_order=(), cap=None
        ),
    )
    assert find_resource([things, others], "thing") is things
    assert find_resource([things, others], "others") is others
    with pytest.raises(KeyError) as caught:
        find_resource([things, others], "Thing")
    assert caught.value.args[0] == "no model named 'Thing' (models: thing, other)"


def test_any_exposed_name_makes_valid_sql_and_json() -> None:
    """Exposed names are safe by the spec's grammar; the SQL string of a key escapes quotes anyway."""
    columns = (Column("it's", "its", "string", "TEXT"), Column('say "x"', "say", "integer", "INTEGER"))
    odd = Table(
        name="odd", category="odds", columns=columns, identifier=None, namespace=None, default_order=(), cap=None
    )
    with sqlite3.connect(":memory:") as conn:
        conn.execute(odd.ddl()[0])
        conn.execute(odd.insert_sql, ("v", 1))
        (text,) = conn.execute(f"SELECT {odd.select_json} FROM odd").fetchone()
    assert json.loads(text) == {"it's": "v", 'say "x"': 1}


def spec_indexed(*indexes: tuple[str, ...]) -> Table:
    columns = (
        Column("ID", "id", "string", "TEXT"),
        Column("Size", "size", "integer", "INTEGER", filterable=True),
        Column("doc", "doc", "object", "TEXT"),
        Column("label", "label", "string", "TEXT"),
    )
    return Table(
        name="t",
        category="ts",
        columns=columns,
        identifier="ID",
        namespace=None,
        default_order=(),
        cap=None,
        indexes=indexes,
    )


def test_the_spec_indexes_come_after_those_made_anyway_and_are_never_made_twice() -> None:
    table_ = spec_indexed(("label",), ("doc.a.b",), ("Size",), ("size",), ("label", "Size"), ("label",))
    assert table_.indexes() == {
        "t_order_size": ['"size"'],
        "t_index_label": ['"label"'],
        "t_index_doc_a_b": ["json_extract(\"doc\", '$.a.b')"],
        "t_index_label_size": ['"label"', '"size"'],
    }
    assert spec_indexed(("Size", "label"), ("size", "label")).indexes()["t_index_size_label"] == ['"size"', '"label"']


def test_a_spec_index_whose_name_is_taken_gets_a_number() -> None:
    columns = (
        Column("a", "a", "string", "TEXT"),
        Column("b", "b", "string", "TEXT"),
        Column("a_b", "a_b", "string", "TEXT"),
    )
    odd = Table(
        name="t",
        category="ts",
        columns=columns,
        identifier=None,
        namespace=None,
        default_order=(),
        cap=None,
        indexes=(("a", "b"), ("a_b",)),
    )
    assert odd.indexes() == {"t_index_a_b": ['"a"', '"b"'], "t_index_a_b_2": ['"a_b"']}


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("nope", "index of t: no column 'nope'"),
        ("label.x", "index of t: 'label.x' reaches into label, a string"),
        ("doc.a-b", "not a member name: 'a-b'"),
    ],
)
def test_a_spec_index_on_what_cannot_be_indexed_is_refused(key: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        spec_indexed((key,))
    assert str(caught.value) == message


def test_omit_empty_leaves_out_what_the_models_leave_out_and_nothing_else() -> None:
    """The wire form SQLite builds agrees with the models' ``to_dict``: "", 0, false, [] and {}
    of a plain value are left out; an enum value "0" (text that SQLite would compare equal to
    0), a nested object (a ref, even with no attribute set) and a time are shown."""
    kinds = (
        ("text", "string", "TEXT", ""),
        ("choice", "enum", "TEXT", "0"),
        ("number", "integer", "INTEGER", 0),
        ("flag", "boolean", "INTEGER", 0),
        ("items", "list", "TEXT", "[]"),
        ("nested", "ref", "TEXT", "{}"),
        ("moment", "time", "TEXT", "2024-01-01T00:00:00.000000Z"),
    )
    columns = tuple(Column(name, name, kind, sql_type, omit_empty=True) for name, kind, sql_type, _ in kinds)  # type: ignore[arg-type]
    sparse = Table(
        name="sparse", category="sparses", columns=columns, identifier=None, namespace=None, default_order=(), cap=None
    )
    with sqlite3.connect(":memory:") as conn:
        conn.execute(sparse.ddl()[0])
        conn.execute(sparse.insert_sql, tuple(value for *_, value in kinds))
        (text,) = conn.execute(f"SELECT {sparse.select_json} FROM sparse").fetchone()
        (stored,) = conn.execute(f"SELECT {sparse.select_stored} FROM sparse").fetchone()
    assert json.loads(text) == {"choice": "0", "nested": {}, "moment": "2024-01-01T00:00:00Z"}
    assert json.loads(stored) == {
        "text": "",
        "choice": "0",
        "number": 0,
        "flag": False,
        "items": [],
        "nested": {},
        "moment": "2024-01-01T00:00:00Z",
    }


def test_an_encrypted_column_is_opened_as_its_table_and_column() -> None:
    """The cipher binds each ciphertext to ``table.column``: the SQL names both to the open function."""
    columns = (Column("ID", "id", "string", "TEXT"), Column("note", "note_text", "string", "TEXT", encrypted=True))
    vault = Table(
        name="vault", category="vaults", columns=columns, identifier="ID", namespace=None, default_order=(), cap=None
    )
    opened: list[tuple[str, str, bytes]] = []

    def open_sealed(table: str, column: str, sealed: bytes) -> str:
        opened.append((table, column, sealed))
        return json.dumps(sealed.decode())

    with sqlite3.connect(":memory:") as conn:
        conn.create_function("specgen_open", 3, open_sealed)
        conn.execute(vault.ddl()[0])
        conn.execute(vault.insert_sql, ("k", b"sealed"))
        (wire,) = conn.execute(f"SELECT {vault.select_json} FROM vault").fetchone()
        (stored,) = conn.execute(f"SELECT {vault.select_stored} FROM vault").fetchone()
    assert json.loads(wire) == json.loads(stored) == {"ID": "k", "note": "sealed"}
    assert opened == [("vault", "note_text", b"sealed")] * 2
    assert vault.encrypted_columns == (columns[1],)


def capped_log() -> Table:
    columns = (
        Column("label", "label", "string", "TEXT"),
        Column("size", "size", "integer", "INTEGER"),
        Column("data", "data", "object", "TEXT"),
    )
    return Table(name="log", category="logs", columns=columns, identifier=None, namespace=None, default_order=(), cap=3)


def test_a_capped_row_counts_the_bytes_of_every_column() -> None:
    """UPTO, the running total the byte cap trims by, adds each row's bytes: every column's, as
    UTF-8 (é is two bytes), an unset one none; ``row_size_sql`` gives the same of a stored row."""
    log = capped_log()
    rows = [("é", 12345, '{"a":1}'), (None, 7, None), ("abc", None, "[]")]
    sizes = [2 + 5 + 7, 0 + 1 + 0, 3 + 0 + 2]
    with sqlite3.connect(":memory:") as conn:
        conn.execute(log.ddl()[0])
        for row in rows:
            conn.execute(log.insert_sql, row)
        found = conn.execute(f'SELECT "_upto", {log.row_size_sql} FROM log ORDER BY "_seq"').fetchall()
    assert found == [(sum(sizes[: i + 1]), size) for i, size in enumerate(sizes)]


def test_a_child_is_indexed_under_each_parent_then_its_namespace() -> None:
    columns = (
        Column("ID", "id", "string", "TEXT"),
        Column("secret_rank", "rank", "integer", "INTEGER", filterable=True, exposed=False),
        Column("size", "size", "integer", "INTEGER", filterable=True),
        Column("namespace", "namespace", "string", "TEXT"),
    )

    def child(namespace: str | None) -> Table:
        return Table(
            name="part",
            category="parts",
            columns=columns if namespace else columns[:3],
            identifier="ID",
            namespace=namespace,
            default_order=(),
            cap=None,
            parents=("thing", "box"),
        )

    # A hidden column is unknown to clients, so nothing filters or orders by it: no index; the
    # columns after it still get theirs.
    assert child("namespace").indexes() == {
        "part_by_size": ['"namespace"', '"size"'],
        "part_order_size": ['"size"', '"namespace"'],
        "part_under_thing": ['"_parent_thing"', '"namespace"'],
        "part_under_box": ['"_parent_box"', '"namespace"'],
    }
    assert child(None).indexes() == {
        "part_order_size": ['"size"'],
        "part_under_thing": ['"_parent_thing"'],
        "part_under_box": ['"_parent_box"'],
    }
    assert child(None).links == {"thing": '"_parent_thing"', "box": '"_parent_box"'}


def test_another_store_writes_the_paths_of_spec_indexes_its_own_way() -> None:
    def arrow(column: str, path: Sequence[str]) -> str:
        return f"({column}->>'{'.'.join(path)}')"

    table_ = spec_indexed(("doc.a.b",), ("label", "doc.c"))
    assert table_.index_keys(arrow) == {
        "t_order_size": ['"size"'],
        "t_index_doc_a_b": ["(\"doc\"->>'a.b')"],
        "t_index_label_doc_c": ['"label"', "(\"doc\"->>'c')"],
    }
    assert table_.indexes()["t_index_doc_a_b"] == ["json_extract(\"doc\", '$.a.b')"]


def test_spec_indexes_whose_names_are_taken_are_numbered_in_order() -> None:
    columns = (
        Column("a", "a", "object", "TEXT"),
        Column("b", "b", "string", "TEXT"),
        Column("a_b", "a_b", "string", "TEXT"),
    )
    odd = Table(
        name="t",
        category="ts",
        columns=columns,
        identifier=None,
        namespace=None,
        default_order=(),
        cap=None,
        indexes=(("a", "b"), ("a_b",), ("a.b",), ("a_b", "b")),
    )
    assert list(odd.indexes()) == ["t_index_a_b", "t_index_a_b_2", "t_index_a_b_3", "t_index_a_b_b"]
