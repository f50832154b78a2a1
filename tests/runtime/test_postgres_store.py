"""The PostgreSQL store at its source against the same references as the SQLite store's tests
(tests/runtime/test_store.py; the property that a list is the reference page and count runs
over both stores in tests/runtime/test_list_property.py): a list's order (order keys, NULLs first
ascending and last descending, ties broken by arrival in the direction of the last key, the
namespace alone or with every namespace below it, never a sibling sharing its prefix), the
wire form of every kind, times of any offset answered in UTC, and the unique checks."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import psycopg
import pytest

from generator.runtime.server.encoding import json_text
from generator.runtime.server.errors import InvalidRecord
from generator.runtime.server.filters import parse
from generator.runtime.server.limits import BUDGET
from generator.runtime.server.postgres import (
    PostgresStore,
    _reason,
    _rollback,
    _safe,
    _time,
    lock_key,
    namespace_clause,
    real_text,
)
from generator.runtime.server.store import StoreError
from generator.runtime.server.table import Column, Resource, Table
from tests.postgres_server import Server, new_schema
from tests.runtime.test_store import query
from tests.runtime.test_store_secrets import KEY, OTHER_KEY, Box, from_wire
from tests.runtime.things import Thing, decoded, resource

THINGS = resource()


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    opened = PostgresStore(pg_url, resources=[THINGS], pool_size=2)
    yield opened
    opened.close()


def listed(
    store: PostgresStore,
    namespace: str,
    *,
    keys: list[tuple[str, bool]] | None = None,
    where: str = "",
    params: list[object] | None = None,
    limit: int = 100,
    offset: int = 0,
    recursive: bool = False,
) -> tuple[list[str], int]:
    """The IDs of a list's page, and its count."""
    the_query = query(
        where=where,
        params=params,
        keys=keys,
        limit=limit,
        offset=offset,
        recursive=recursive,
        of=THINGS.table,
        dialect=store.dialect,
    )
    body, total = store.list(THINGS.table, namespace, the_query)
    return [t["ID"] for t in decoded(body)], total


def test_unset_values_come_first_ascending_and_last_descending(store: PostgresStore) -> None:
    store.record_many([Thing(id="n0", count=1, namespace="/n"), Thing(id="n1", namespace="/n")])
    assert listed(store, "/n", keys=[("count", False)])[0] == ["n1", "n0"]
    assert listed(store, "/n", keys=[("count", True)])[0] == ["n0", "n1"]


def test_a_namespace_sees_itself_and_when_recursive_below_never_a_sibling(store: PostgresStore) -> None:
    store.record_many(
        Thing(id=f"r{i}", namespace=ns) for i, ns in enumerate(["/", "/acme", "/acme/prod", "/acme-x", "/acme0", "/b"])
    )
    assert listed(store, "/", recursive=True) == (["r0", "r1", "r2", "r3", "r4", "r5"], 6)
    assert listed(store, "/") == (["r0"], 1)
    assert listed(store, "/acme", recursive=True) == (["r1", "r2"], 2)
    assert listed(store, "/acme") == (["r1"], 1)
    assert listed(store, "/acme/prod", recursive=True) == (["r2"], 1)
    table = THINGS.table
    assert store.retrieve(table, "r2", "/acme", True) is not None
    assert store.retrieve(table, "r2", "/acme", False) is None
    assert store.retrieve(table, "r3", "/acme", True) is None  # a sibling sharing the prefix
    assert store.retrieve(table, "r4", "/acme", True) is None
    assert store.retrieve(table, "r1", "/acme/prod", True) is None  # above is never visible
    assert store.retrieve(table, "r1", "/", True) is not None and store.retrieve(table, "r1", "/", False) is None


def test_the_namespace_clause_is_a_range_of_the_byte_order() -> None:
    assert namespace_clause('"ns"', "/a", False) == ('"ns" = %s', ["/a"])
    assert namespace_clause('"ns"', "/", True) == ("TRUE", [])
    assert namespace_clause('"ns"', "/a", True) == ('("ns" = %s OR ("ns" >= %s AND "ns" < %s))', ["/a", "/a/", "/a0"])


def test_time_values_of_any_offset_are_answered_in_utc(store: PostgresStore) -> None:
    local = datetime(2020, 1, 1, 1, 30, tzinfo=timezone(timedelta(hours=2)))
    store.record(Thing(id="tz", date=local, namespace="/tz"))
    assert decoded(store.list(THINGS.table, "/tz", query(of=THINGS.table, dialect=store.dialect))[0])[0]["date"] == (
        "2019-12-31T23:30:00Z"
    )
    where, params = store.dialect.compile_filter(parse("date == date(2019-12-31T23:30:00Z)"), THINGS.table)
    assert listed(store, "/tz", where=where, params=params) == (["tz"], 1)


def test_a_query_of_another_store_s_sql_is_refused(store: PostgresStore) -> None:
    with pytest.raises(ValueError) as caught:
        store.list(THINGS.table, "/a", query(of=THINGS.table))
    assert str(caught.value) == "the query was compiled for another store's SQL"


def test_a_time_is_answered_in_utc_whatever_zone_the_driver_gives_it_in() -> None:
    """The store asks its sessions for UTC, and converts again: a time read in another zone
    (the tests' server keeps Asia/Kolkata, +05:30) is still answered in UTC."""
    kolkata = timezone(timedelta(hours=5, minutes=30))
    assert _time(datetime(2020, 1, 1, 5, 0, tzinfo=kolkata)) == '"2019-12-31T23:30:00Z"'
    assert _time(datetime(2020, 1, 1, 0, 0, 0, 5, tzinfo=UTC)) == '"2020-01-01T00:00:00.000005Z"'


# -- caps: the rows numbered under the table's lock, then trimmed to the cap in entries and bytes --


@dataclass(frozen=True, slots=True)
class Flagged:
    label: str | None
    flag: bool | None = None


def flagged_log(cap: int, deletes: bool = True) -> Resource[Flagged]:
    """A capped log whose rows' sizes count as SQLite counts them (a boolean one byte, unset none)."""
    columns = (
        Column("label", "label", "string", "TEXT", filterable=True, orderable=True),
        Column("flag", "flag", "boolean", "INTEGER"),
    )
    table = Table(
        name="entry",
        category="entries",
        columns=columns,
        identifier=None,
        namespace=None,
        default_order=(),
        cap=cap,
        deletes=deletes,
    )
    return Resource(
        table=table,
        model=Flagged,
        prepare=lambda e: e,
        to_row=lambda e: (e.label, None if e.flag is None else int(e.flag)),
        from_wire=lambda d: Flagged(d.get("label"), d.get("flag")),
    )


def labels(store: PostgresStore) -> list[str]:
    table = store.tables["entry"]
    return [e.get("label", "-") for e in decoded(store.list(table, "/", query(of=table, dialect=store.dialect))[0])]


def test_a_capped_table_keeps_the_newest_entries_numbered_without_gaps(pg_url: str) -> None:
    store = PostgresStore(pg_url, resources=[flagged_log(3)], pool_size=2)
    try:
        store.record_many(Flagged(f"e{i}") for i in range(5))
        assert labels(store) == ["e2", "e3", "e4"]
        store.record(Flagged("e5"))
        assert labels(store) == ["e3", "e4", "e5"]
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("DELETE FROM entry WHERE label = 'e4'")  # a gap: the newest three still stay
        store.record(Flagged("e6"))
        assert labels(store) == ["e3", "e5", "e6"]
        with store.transaction() as tx:
            tx.record(Flagged("e7"))
        assert labels(store) == ["e5", "e6", "e7"]
        with psycopg.connect(pg_url) as conn:
            numbered = conn.execute('SELECT "_seq", "_upto", "_size" FROM entry ORDER BY "_seq"').fetchall()
        assert numbered == [(6, 12, 2), (7, 14, 2), (8, 16, 2)]  # after the newest, the bytes summed
    finally:
        store.close()


def test_a_page_whose_first_row_has_no_first_value_is_still_a_page(pg_url: str) -> None:
    store = PostgresStore(pg_url, resources=[flagged_log(10)], pool_size=2)
    try:
        store.record_many([Flagged(None), Flagged("x")])
        assert labels(store) == ["-", "x"]
    finally:
        store.close()


def test_a_capped_table_keeps_the_newest_rows_that_fit_its_byte_cap(postgres: Server) -> None:
    """Rows of 4 bytes ("abc" and a boolean, or "abcd" and nothing): at 8 bytes two fit, exactly;
    at 7 only one; a cap in entries of 1 keeps one whatever the bytes."""
    rows = [Flagged("abc", True), Flagged("abcd"), Flagged("abc", False), Flagged("abcd"), Flagged("abc", True)]
    for cap_bytes, cap, kept in ((8, 10, 2), (7, 10, 1), (100, 1, 1), (100, 2, 2)):
        with new_schema(postgres) as url:
            store = PostgresStore(
                url, resources=[flagged_log(10, deletes=False)], caps={"entry": cap}, cap_bytes={"entry": cap_bytes}
            )
            try:
                store.record_many(rows)
                assert labels(store) == [r.label for r in rows][-kept:], (cap_bytes, cap)
                with psycopg.connect(url) as conn:
                    sizes = conn.execute('SELECT "_size" FROM entry ORDER BY "_seq"').fetchall()
                assert sizes == [(4,)] * kept
            finally:
                store.close()


# -- encrypted attributes: the key checked when a database is opened again --------------------


def notes() -> Resource[Box]:
    table = Table(
        name="safe",
        category="safes",
        columns=(Column("ID", "id", "string", "TEXT"), Column("note", "note", "string", "TEXT", encrypted=True)),
        identifier="ID",
        namespace=None,
        default_order=(),
        cap=None,
    )
    return Resource(
        table=table,
        model=Box,
        prepare=lambda b: b,
        to_row=lambda b: (b.id, json_text(b.note)),
        from_wire=from_wire,
        from_stored=from_wire,
    )


def test_the_encryption_key_is_checked_when_the_database_is_opened_again(pg_url: str) -> None:
    store = PostgresStore(pg_url, resources=[notes()], encryption_key=KEY, pool_size=2)
    store.record(Box("b", "hush", None))
    store.close()
    with psycopg.connect(pg_url) as conn:
        sealed = conn.execute("SELECT note FROM safe").fetchone()
    assert sealed is not None and b"hush" not in bytes(sealed[0])
    again = PostgresStore(pg_url, resources=[notes()], encryption_key=KEY, pool_size=2)
    assert again.retrieve(again.tables["safe"], "b", "/", False) == '{"ID":"b","note":"hush"}'
    again.close()
    with pytest.raises(StoreError) as caught:
        PostgresStore(pg_url, resources=[notes()], encryption_key=OTHER_KEY, pool_size=2)
    assert str(caught.value) == f"{_safe(pg_url)}: the encryption key is not the one this database was written with"


# -- small rules of the module --------------------------------------------------------------


def test_a_float_is_written_as_sqlite_writes_it_in_json() -> None:
    assert [real_text(v) for v in (0.0, -0.0, 2.5, 3.0, -7.0, 0.1)] == ["0.0", "0.0", "2.5", "3.0", "-7.0", "0.1"]
    assert [real_text(v) for v in (1e20, 1.5e-07, -2e-300, 1.25e100)] == [
        "1.0e+20",
        "1.5e-07",
        "-2.0e-300",
        "1.25e+100",
    ]


def test_a_driver_message_is_its_first_line_or_else_the_error_s_name() -> None:
    assert _reason(ValueError("first line\nLINE 1: SELECT ...")) == "first line"
    assert _reason(ValueError(" \n ")) == "ValueError"


def test_a_table_s_advisory_lock_is_a_signed_64_bit_number() -> None:
    tables = [
        Table(name=f"t{i}", category="ts", columns=(), identifier=None, namespace=None, default_order=(), cap=None)
        for i in range(32)
    ]
    keys = [lock_key(t) for t in tables]
    assert all(-(2**63) <= k < 2**63 for k in keys) and any(k < 0 for k in keys) and len(set(keys)) == 32


def test_the_time_left_is_the_request_s_in_milliseconds_and_at_least_one(store: PostgresStore) -> None:
    assert store._left() == int(BUDGET * 1000)  # outside a request: the whole budget
    with store.budget(time.monotonic() + 1000):
        assert 999_000 < store._left() <= 1_000_000
        store._local.deadline = time.monotonic() - 5  # past it: one millisecond, never none
        assert store._left() == 1


def test_rollback_ends_an_open_transaction_and_survives_a_lost_connection(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE r (x int)")
        conn.commit()
        conn.execute("INSERT INTO r VALUES (1)")
        _rollback(conn)
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        assert conn.execute("SELECT count(*) FROM r").fetchone() == (0,)
        with psycopg.connect(pg_url, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,))
        _rollback(conn)  # the server is gone: nothing raised


def test_an_object_of_another_model_and_a_duplicate_are_refused_with_their_reason(store: PostgresStore) -> None:
    with pytest.raises(TypeError) as caught:
        store.record(Flagged("x"))
    assert str(caught.value) == "Flagged is not a model this store keeps"
    store.record(Thing(id="d1", namespace="/d"))
    with pytest.raises(InvalidRecord) as refused:
        store.record(Thing(id="d1", namespace="/e"))
    (error,) = refused.value.errors
    assert error["code"] == 409
    assert error["description"].startswith(
        "an object with the same unique value exists (duplicate key value violates unique constraint"
    )


# -- a write transaction's reads: the wire form, and with it the stored form ------------------


@dataclass(frozen=True, slots=True)
class Card:
    id: str
    pin: str | None  # secret: stored, never returned


@dataclass(frozen=True, slots=True)
class Tagged:
    id: str
    tag: str | None  # left out of the wire form when empty
    label: str | None


def card_and_tagged() -> list[Resource[Any]]:
    def table(name: str, *columns: Column) -> Table:
        return Table(
            name=name,
            category=name + "s",
            columns=(Column("ID", "id", "string", "TEXT"), *columns),
            identifier="ID",
            namespace=None,
            default_order=(),
            cap=None,
        )

    def wire(data: dict[str, Any]) -> Any:
        return data

    return [
        Resource(
            table=table("card", Column("pin", "pin", "string", "TEXT", secret=True)),
            model=Card,
            prepare=lambda c: c,
            to_row=lambda c: (c.id, c.pin),
            from_wire=wire,
        ),
        Resource(
            table=table(
                "tagged",
                Column("tag", "tag", "string", "TEXT", omit_empty=True),
                Column("label", "label", "string", "TEXT"),
            ),
            model=Tagged,
            prepare=lambda t: t,
            to_row=lambda t: (t.id, t.tag, t.label),
            from_wire=wire,
        ),
    ]


def test_a_transaction_reads_the_wire_form_and_with_it_the_stored_form(pg_url: str) -> None:
    store = PostgresStore(pg_url, resources=card_and_tagged(), pool_size=2)
    try:
        store.record_many([Card("c1", "1234"), Tagged("t1", "", "l"), Tagged("t2", "x", None)])
        card, tagged = store.tables["card"], store.tables["tagged"]
        with store.transaction() as tx:
            assert tx.get(card, "c1", "/") == {"ID": "c1"}
            assert tx.get_both(card, "c1", "/") == ({"ID": "c1"}, {"ID": "c1", "pin": "1234"})
            assert tx.get(tagged, "t1", "/") == {"ID": "t1", "label": "l"}  # the empty tag left out, not what follows
            assert tx.get(tagged, "t2", "/") == {"ID": "t2", "tag": "x"}
            assert tx.get_both(tagged, "t1", "/") == ({"ID": "t1", "label": "l"}, {"ID": "t1", "tag": "", "label": "l"})
            assert tx.get(card, "nope", "/") is None and tx.get_both(card, "nope", "/") is None
    finally:
        store.close()


def test_a_time_is_answered_in_utc_whatever_the_process_s_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    try:
        assert _time(datetime(2020, 1, 1, 0, 0, tzinfo=UTC)) == '"2020-01-01T00:00:00Z"'
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_write_that_deletes_holds_its_table_s_lock_to_the_end_of_the_transaction(
    store: PostgresStore, pg_url: str
) -> None:
    def advisory_locks(pid: int) -> int:
        with psycopg.connect(pg_url) as other:
            row = other.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = %s", (pid,)
            ).fetchone()
        return int(row[0]) if row else 0

    with store.transaction() as tx:
        pid = tx._conn.info.backend_pid
        assert advisory_locks(pid) == 0
        tx.delete(THINGS.table, "nope")
        tx.delete(THINGS.table, "nope either")
        assert advisory_locks(pid) == 1
    assert advisory_locks(pid) == 0
