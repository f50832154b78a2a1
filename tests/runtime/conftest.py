"""Fixtures of the runtime's tests at its source: PostgreSQL's side of the properties."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import psycopg
import pytest

from generator.runtime.server import pg_sql
from generator.runtime.server.backend import Backend
from generator.runtime.server.filters import parse
from generator.runtime.server.postgres import PostgresStore
from generator.runtime.server.store import Store
from generator.runtime.server.table import Resource
from tests.postgres_server import new_schema
from tests.runtime.things import Thing, resource, table

Selector = Callable[[list[Thing], str], set[str]]  # rows, filter text -> the IDs it selects
TABLE = table()


@pytest.fixture(scope="module")
def pg_selected(request: pytest.FixtureRequest) -> Iterator[Selector]:
    """``test_filter_semantics.selected`` in PostgreSQL: a schema of the session's server, whose
    table and JSON text function the store created; rows converted by the store
    (``PostgresStore.row``), filters compiled by pg_sql. Only the tests that ask for it start
    the server."""
    with new_schema(request.getfixturevalue("postgres")) as url:
        store = PostgresStore(url, resources=[resource(TABLE)], pool_size=1)
        names = ", ".join(c.quoted for c in TABLE.columns)
        marks = ", ".join("%s::jsonb" if c.is_json else "%s" for c in TABLE.columns)
        insert = f"INSERT INTO thing ({names}) VALUES ({marks})"
        try:
            with psycopg.connect(url, autocommit=True) as conn:

                def select(rows: list[Thing], text: str) -> set[str]:
                    where, params = pg_sql.compile_filter(parse(text), TABLE)
                    conn.execute("DELETE FROM thing")
                    with conn.cursor() as cursor:
                        cursor.executemany(insert.encode(), [store.row(resource(TABLE), r) for r in rows])
                    return {str(row[0]) for row in conn.execute(f"SELECT id FROM thing WHERE {where}".encode(), params)}

                yield select
        finally:
            store.close()


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A new, empty schema of the session's server for one test's store (dropped after it)."""
    with new_schema(request.getfixturevalue("postgres")) as url:
        yield url


def open_store(request: pytest.FixtureRequest, tmp_path: Path, resources: Sequence[Resource[Any]]) -> Backend:
    """The store a test parametrized ``["sqlite", "postgresql"]`` asked for: a file in
    ``tmp_path``, or a new schema of the session's server."""
    if request.param == "sqlite":
        return Store(tmp_path / "things.db", resources=resources)
    return PostgresStore(request.getfixturevalue("pg_url"), resources=resources, pool_size=2)
