"""How the PostgreSQL store builds the wire form in Python (``postgres._TableSQL``), on real
values through a real server: keys as the spec writes them (not escaped to ASCII), floats as
SQLite writes them, nested values pruned of what a client may not see (on the wire only, never
in the stored form), an empty nested object kept even where empty values are left out, JSON
encrypted as ciphertext (not cast to jsonb), a model that returns nothing answered ``{}`` (by
identifier, in a list, under a parent), and a value unique in the whole table refused twice by
the database itself; a capped log counts each row's bytes as SQLite counts the same values."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest

from generator.runtime.server import pg_schema
from generator.runtime.server.encoding import json_text, time_text
from generator.runtime.server.errors import InvalidRecord
from generator.runtime.server.postgres import PostgresStore
from generator.runtime.server.schema import IndexShape
from generator.runtime.server.table import Column, Resource, Table
from generator.runtime.server.visibility import Pruning
from tests.runtime.test_store import query
from tests.runtime.test_store_secrets import KEY


@dataclass(frozen=True, slots=True)
class Gadget:
    id: str
    name: str | None = None
    ratio: float | None = None
    serial: str | None = None
    parts: list[dict[str, Any]] | None = None
    box: dict[str, Any] | None = None
    sealed: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Vault:
    id: str
    pin: str | None


def _wire(data: dict[str, Any]) -> Any:
    return data


# Built per test, not at import: mutmut maps a function to the tests that call it.
def gadgets() -> Resource[Gadget]:
    parts = Pruning({"part": (["cost"], {})}).bind(("list", ("ref", "part")))  # a part's cost is hidden
    table = Table(
        name="gadget",
        category="gadgets",
        columns=(
            Column("ID", "id", "string", "TEXT"),
            Column("prénom", "prenom", "string", "TEXT"),
            Column("ratio", "ratio", "float", "REAL"),
            Column("serial", "serial", "string", "TEXT", unique=True),
            Column("parts", "parts", "ref_list", "TEXT", view=parts),
            Column("box", "box", "ref", "TEXT", omit_empty=True),
            Column("sealed", "sealed", "object", "TEXT", encrypted=True),
        ),
        identifier="ID",
        namespace=None,
        default_order=(),
        cap=None,
    )
    return Resource(
        table=table,
        model=Gadget,
        prepare=lambda g: g,
        to_row=lambda g: (g.id, g.name, g.ratio, g.serial, json_text(g.parts), json_text(g.box), json_text(g.sealed)),
        from_wire=_wire,
    )


def vaults() -> Resource[Vault]:
    """A model whose every attribute is secret: it returns nothing. It lives under a gadget."""
    table = Table(
        name="vault",
        category="vaults",
        columns=(
            Column("ID", "id", "string", "TEXT", secret=True),
            Column("pin", "pin", "string", "TEXT", secret=True),
        ),
        identifier="ID",
        namespace=None,
        default_order=(),
        cap=None,
        parents=("gadget",),
    )
    return Resource(table=table, model=Vault, prepare=lambda v: v, to_row=lambda v: (v.id, v.pin), from_wire=_wire)


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    opened = PostgresStore(pg_url, resources=[gadgets(), vaults()], encryption_key=KEY, pool_size=2)
    yield opened
    opened.close()


FULL = Gadget(
    "g1",
    name="Zoé",
    ratio=1e20,
    serial="s-1",
    parts=[{"name": "bolt", "cost": 3}],
    box={},
    sealed={"k": "é", "a": [1]},
)
# SQLite's wire form of FULL, byte for byte.
FULL_WIRE = (
    '{"ID":"g1","prénom":"Zoé","ratio":1.0e+20,"serial":"s-1","parts":[{"name":"bolt"}],"box":{},'
    '"sealed":{"a":[1],"k":"é"}}'
)


def test_the_wire_form_keeps_keys_unescaped_floats_as_sqlite_and_nested_values_pruned(store: PostgresStore) -> None:
    store.record_many([FULL, Gadget("g2", ratio=1 / 3, box={"x": 1})])
    table = store.tables["gadget"]
    assert store.retrieve(table, "g1", "/", False) == FULL_WIRE
    assert store.retrieve(table, "g2", "/", False) == '{"ID":"g2","ratio":0.333333333333333,"box":{"x":1}}'
    body, total = store.list(table, "/", query(of=table, dialect=store.dialect))
    assert (body, total) == ("[" + FULL_WIRE + ',{"ID":"g2","ratio":0.333333333333333,"box":{"x":1}}]', 2)


def test_the_stored_form_keeps_what_the_wire_form_prunes(store: PostgresStore) -> None:
    store.record(FULL)
    table = store.tables["gadget"]
    with store.transaction() as tx:
        both = tx.get_both(table, "g1", "/")
    assert both is not None
    wire, stored = both
    assert wire["parts"] == [{"name": "bolt"}]
    assert stored["parts"] == [{"name": "bolt", "cost": 3}]
    assert stored["sealed"] == {"a": [1], "k": "é"} and stored["box"] == {}


def test_an_encrypted_json_value_is_stored_as_ciphertext(store: PostgresStore, pg_url: str) -> None:
    store.record(FULL)
    with psycopg.connect(pg_url) as conn:
        row = conn.execute("SELECT pg_typeof(sealed)::text, sealed FROM gadget").fetchone()
    assert row is not None and row[0] == "bytea" and b'"k"' not in bytes(row[1])


def test_a_model_that_returns_nothing_is_answered_as_an_empty_object(store: PostgresStore) -> None:
    store.record(Vault("v1", "1234"))
    table = store.tables["vault"]
    assert store.retrieve(table, "v1", "/", False) == "{}"
    assert store.retrieve(table, "v2", "/", False) is None
    with store.transaction() as tx:
        assert tx.get(table, "v1", "/") == {}
        assert tx.get_both(table, "v1", "/") == ({}, {"ID": "v1", "pin": "1234"})


def test_a_list_under_a_parent_of_a_model_that_returns_nothing_is_empty_objects(store: PostgresStore) -> None:
    store.record(Gadget("g1"))
    vault, gadget = store.tables["vault"], store.tables["gadget"]
    with store.transaction() as tx:
        tx.insert(vaults(), Vault("v1", "1"), parent=("gadget", "g1"))
        tx.insert(vaults(), Vault("v2", "2"), parent=("gadget", "g1"))
    assert store.list(vault, "/", query(of=vault, dialect=store.dialect), parent=(gadget, "g1")) == ("[{},{}]", 2)
    assert store.list(vault, "/", query(of=vault, dialect=store.dialect)) == ("[{},{}]", 2)


def test_a_value_unique_in_the_whole_table_is_refused_twice_by_the_database(store: PostgresStore, pg_url: str) -> None:
    store.record(Gadget("g1", serial="s-1"))
    with pytest.raises(InvalidRecord) as refused:
        store.record(Gadget("g2", serial="s-1"))  # no check of the store's own: the constraint refuses it
    assert refused.value.errors[0]["code"] == 409
    store.record_many([Gadget("g3"), Gadget("g4")])  # unset values never repeat
    assert store.count(store.tables["gadget"]) == 3
    with psycopg.connect(pg_url) as conn:
        schema = conn.execute("SELECT current_schema()").fetchone()
        assert schema is not None
        shape = pg_schema.read_table(conn, str(schema[0]), "gadget")
    assert shape is not None
    constraints = {i.keys for i in shape.indexes if i.name is None and i.unique}
    assert constraints == {("_seq",), ("id",), ("serial",)}
    assert IndexShape(None, ("serial",), True) in shape.indexes


@dataclass(frozen=True, slots=True)
class Reading:
    at: datetime
    level: float | None
    ok: bool | None
    note: str | None


def readings(cap: int) -> Resource[Reading]:
    table = Table(
        name="reading",
        category="readings",
        columns=(
            Column("at", "at", "time", "TEXT"),
            Column("level", "level", "float", "REAL"),
            Column("ok", "ok", "boolean", "INTEGER"),
            Column("note", "note", "string", "TEXT"),
        ),
        identifier=None,
        namespace=None,
        default_order=(),
        cap=cap,
    )
    return Resource(
        table=table,
        model=Reading,
        prepare=lambda r: r,
        to_row=lambda r: (time_text(r.at), r.level, None if r.ok is None else int(r.ok), r.note),
        from_wire=_wire,
    )


def sqlite_size(row: Sequence[object]) -> int:
    """What SQLite's store counts for a row (``Table.row_size_sql``), asked of SQLite itself."""
    with sqlite3.connect(":memory:") as conn:
        marks = " + ".join("coalesce(length(CAST(? AS BLOB)), 0)" for _ in row)
        return int(conn.execute(f"SELECT {marks}", tuple(row)).fetchone()[0])


def test_a_capped_log_counts_each_row_s_bytes_as_sqlite_does(pg_url: str) -> None:
    resource = readings(10)
    rows = [
        Reading(datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC), 2.5, True, "né"),
        Reading(datetime(2020, 1, 2, 3, 4, 5, 60, tzinfo=UTC), None, False, None),
        Reading(datetime(2021, 6, 1, tzinfo=UTC), 1e20, None, ""),
    ]
    store = PostgresStore(pg_url, resources=[resource], pool_size=2)
    try:
        store.record_many(rows)
    finally:
        store.close()
    with psycopg.connect(pg_url) as conn:
        sizes = [int(r[0]) for r in conn.execute('SELECT "_size" FROM reading ORDER BY "_seq"')]
    assert sizes == [sqlite_size(resource.to_row(r)) for r in rows] == [27 + 3 + 1 + 3, 27 + 1, 27 + 7]
