"""The SQLite store against a Python reference: what a list answers (namespace, filter, order,
ties, unset values, pages, the count), what a retrieve sees, caps, and refusals. The reference
and its examples are here; the property that checks lists against them runs over both stores
(tests/runtime/test_list_property.py).

The reference orders as SQLite does: unset values first going up and last going down, text by
code point, times as instants, free-form values by their JSON text; ties by arrival, in the
direction of the last order key.
"""

from __future__ import annotations

import shlex
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from generator.runtime.server.encoding import json_text, time_text
from generator.runtime.server.errors import InvalidRecord, StoreUnavailable
from generator.runtime.server.filters import parse
from generator.runtime.server.params import ListQuery
from generator.runtime.server.sql import SQLITE, Dialect, compile_filter
from generator.runtime.server.store import BATCH, MigrationNeeded, Store, StoreError, store_options
from generator.runtime.server.table import Column, Resource, Table
from tests.runtime.things import KINDS, Thing, decoded, from_wire, prepare, resource, to_row

BASE = datetime(2021, 5, 4, 3, 2, 1, tzinfo=UTC)


def query(
    *,
    where: str = "",
    keys: list[tuple[str, bool]] | None = None,
    limit: int = 100,
    offset: int = 0,
    recursive: bool = False,
    of: Table,
    params: list[object] | None = None,
    dialect: Dialect = SQLITE,
) -> ListQuery:
    """A list query in a store's SQL (``store.dialect``; SQLite's unless told)."""
    columns = [(of.column(name), descending) for name, descending in keys or []]
    resolved: list[tuple[Column, bool]] = [(c, d) for c, d in columns if c is not None]
    first = resolved[0][0] if resolved else None
    return ListQuery(where, params or [], dialect.order_by(resolved), first, limit, offset, recursive, dialect=dialect)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "things.db", resources=[resource()])
    yield opened
    opened.close()


# -- the reference ----------------------------------------------------------------------------


def stored_value(thing: Thing, attribute: str) -> Any:
    value = getattr(thing, {"ID": "id"}.get(attribute, attribute))
    if value is None:
        return None
    if attribute == "date":
        return time_text(value)
    if attribute in ("tags", "data", "raw"):
        return json_text(value)
    if attribute == "enabled":
        return int(value)
    return value


def reference_order(rows: list[Thing], keys: list[tuple[str, bool]]) -> list[Thing]:
    last_descending = keys[-1][1] if keys else False
    ordered = list(reversed(rows)) if last_descending else list(rows)  # ties: arrival, as the last key runs
    for attribute, descending in reversed(keys):

        def key(thing: Thing, attribute: str = attribute) -> tuple[bool, Any]:
            value = stored_value(thing, attribute)
            return (value is not None, value if value is not None else 0)

        ordered.sort(key=key, reverse=descending)
    return ordered


def within(namespace: str, ancestor: str) -> bool:
    mine = [] if ancestor == "/" else ancestor.split("/")[1:]
    return ([] if namespace == "/" else namespace.split("/")[1:])[: len(mine)] == mine


# -- lists against the reference --------------------------------------------------------------

ORDERABLE = ["ID", "name", "kind", "count", "ratio", "enabled", "date", "raw", "namespace"]
FILTERS: list[tuple[str, Callable[[Thing], bool]]] = [
    ("", lambda t: True),
    ('name contains "a"', lambda t: t.name is not None and "a" in t.name),
    ("count >= 0 or kind == 'small'", lambda t: (t.count is not None and t.count >= 0) or t.kind == "small"),
    ("name not exists", lambda t: t.name is None),
]


@st.composite
def things(draw: st.DrawFn) -> list[Thing]:
    """Rows in namespaces relative to an example's root: "", "/a", "/a/b" and the sibling "/a-"."""
    return [
        Thing(
            id=f"{i:02d}",
            name=draw(st.none() | st.sampled_from(["a", "A", "ab", "é"])),
            kind=draw(st.none() | st.sampled_from(KINDS)),
            count=draw(st.none() | st.integers(-1, 1)),
            ratio=draw(st.none() | st.sampled_from([-0.5, 0.0, 1.5])),
            enabled=draw(st.none() | st.booleans()),
            date=BASE + timedelta(seconds=draw(st.integers(-1, 1)), microseconds=draw(st.sampled_from([0, 7]))),
            raw=draw(st.none() | st.sampled_from([1, "1", [1], {"a": 1}, "b", 2.5])),
            namespace=draw(st.sampled_from(["", "", "/a", "/a/b", "/a-"])),
        )
        for i in range(draw(st.integers(4, 14)))
    ]


def test_the_root_namespace_lists_everything_when_recursive(store: Store) -> None:
    the_table = resource().table
    store.record_many(Thing(id=f"r{i}", namespace=ns) for i, ns in enumerate(["/", "/a", "/a/b", "/b"]))
    body, total = store.list(the_table, "/", query(recursive=True, of=the_table))
    assert total == 4 and [t["ID"] for t in decoded(body)] == ["r0", "r1", "r2", "r3"]
    body, total = store.list(the_table, "/", query(of=the_table))
    assert total == 1 and [t["ID"] for t in decoded(body)] == ["r0"]


# -- retrieve ---------------------------------------------------------------------------------


def test_retrieve_sees_its_namespace_and_below_only_when_recursive(store: Store) -> None:
    the_table = resource().table
    store.record_many(
        [
            Thing(id="own", namespace="/acme"),
            Thing(id="deep", namespace="/acme/prod"),
            Thing(id="sib", namespace="/acme-x"),
        ]
    )
    assert decoded("[" + (store.retrieve(the_table, "own", "/acme", False) or "") + "]")[0]["ID"] == "own"
    assert store.retrieve(the_table, "deep", "/acme", False) is None
    assert store.retrieve(the_table, "deep", "/acme", True) is not None
    assert store.retrieve(the_table, "sib", "/acme", True) is None  # a sibling sharing the prefix
    assert store.retrieve(the_table, "own", "/acme/prod", True) is None  # above is never visible
    assert store.retrieve(the_table, "own", "/", True) is not None
    assert store.retrieve(the_table, "own", "/", False) is None
    assert store.retrieve(the_table, "nope", "/acme", True) is None


# -- a table without namespace or identifier --------------------------------------------------

LOG_COLUMNS = (Column("label", "label", "string", "TEXT", filterable=True, orderable=True),)


def log_table(cap: int | None = None, deletes: bool = False) -> Table:
    return Table(
        name="entry",
        category="entries",
        columns=LOG_COLUMNS,
        identifier=None,
        namespace=None,
        default_order=(),
        cap=cap,
        deletes=deletes,
    )


class Entry:
    def __init__(self, label: str | None) -> None:
        self.label = label


def log_resource(the_table: Table) -> Resource[Entry]:
    return Resource(
        table=the_table,
        model=Entry,
        prepare=lambda e: e,
        to_row=lambda e: (e.label,),
        from_wire=lambda d: Entry(d.get("label")),
    )


def test_a_table_without_namespace_or_identifier(tmp_path: Path) -> None:
    the_table = log_table()
    store = Store(tmp_path / "log.db", resources=[log_resource(the_table)])
    store.record_many(Entry(label) for label in ["b", None, "a", "b"])
    body, total = store.list(the_table, "/any", query(keys=[("label", True)], limit=3, recursive=True, of=the_table))
    assert (decoded(body), total) == ([{"label": "b"}, {"label": "b"}, {"label": "a"}], 4)
    body, total = store.list(the_table, "/any", query(of=the_table, limit=10))
    assert decoded(body) == [{"label": "b"}, {}, {"label": "a"}, {"label": "b"}] and total == 4
    where, params = compile_filter(parse('label == "b"'), the_table)
    assert store.list(the_table, "/", query(where=where, params=params, of=the_table))[1] == 2
    assert store.retrieve(the_table, "1", "/", True) is None
    store.close()


# -- caps -------------------------------------------------------------------------------------


@pytest.mark.parametrize("deletes", [False, True])
def test_a_capped_table_keeps_the_newest_entries(tmp_path: Path, deletes: bool) -> None:
    the_table = log_table(cap=3, deletes=deletes)
    store = Store(tmp_path / "cap.db", resources=[log_resource(the_table)])
    store.record_many(Entry(str(i)) for i in range(5))

    def labels() -> list[str]:
        return [e["label"] for e in decoded(store.list(the_table, "/", query(of=the_table))[0])]

    assert labels() == ["2", "3", "4"]
    store.record(Entry("5"))
    assert labels() == ["3", "4", "5"]
    if deletes:  # gaps in the arrival sequence: the cap still keeps the newest three
        with store.writing() as conn:
            conn.execute("DELETE FROM entry WHERE label = '4'")
        assert labels() == ["3", "5"]
        store.record(Entry("6"))
        assert labels() == ["3", "5", "6"]
        store.record(Entry("7"))
        assert labels() == ["5", "6", "7"]
    with store.writing() as conn:
        store.insert(conn, Entry("8"))
    assert labels()[-1] == "8" and len(labels()) == 3
    store.close()


def test_caps_are_configurable_by_model_name(tmp_path: Path) -> None:
    the_table = log_table(cap=3)
    store = Store(tmp_path / "cap.db", resources=[log_resource(the_table)], caps={"entry": 1})
    assert store.caps == {"entry": 1}
    store.record_many(Entry(str(i)) for i in range(4))
    assert store.count(the_table) == 1
    store.close()
    with pytest.raises(StoreError) as caught:
        Store(tmp_path / "cap.db", resources=[log_resource(the_table)], caps={"entry": 0})
    assert str(caught.value) == "the cap of entry must be at least 1, not 0"
    with pytest.raises(StoreError) as caught:
        Store(tmp_path / "cap.db", resources=[log_resource(the_table)], caps={"thing": 5})
    assert str(caught.value) == "thing is not a capped model (capped: entry)"
    with pytest.raises(StoreError) as caught:
        Store(tmp_path / "x.db", resources=[resource()], caps={"thing": 5})
    assert str(caught.value) == "thing is not a capped model (capped: none)"
    sized = Store(tmp_path / "bytes.db", resources=[log_resource(the_table)], cap_bytes={"entry": 100})
    assert sized.cap_bytes == {"entry": 100}  # and the others keep DEFAULT_CAP_BYTES
    sized.close()
    with pytest.raises(StoreError) as caught:
        Store(tmp_path / "bytes.db", resources=[log_resource(the_table)], cap_bytes={"entry": 0})
    assert str(caught.value) == "the byte cap of entry must be at least 1, not 0"


def test_a_bulk_load_of_many_batches_is_capped_and_analysed(tmp_path: Path) -> None:
    the_table = log_table(cap=BATCH + 5)
    store = Store(tmp_path / "bulk.db", resources=[log_resource(the_table)])
    store.record_many(Entry(str(i)) for i in range(2 * BATCH + 10))
    assert store.count(the_table) == BATCH + 5
    first = decoded(store.list(the_table, "/", query(of=the_table, limit=1))[0])
    assert first == [{"label": str(BATCH + 5)}]
    with sqlite3.connect(tmp_path / "bulk.db") as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_stat1").fetchone()[0] > 0
    store.close()


# -- writes and refusals ----------------------------------------------------------------------


def test_record_prepares_and_returns_the_stored_objects(store: Store) -> None:
    stored = store.record(Thing(namespace="/r", name="n"))
    assert stored.id is not None and len(stored.id) == 24 and stored.date is not None
    listed = decoded(store.list(resource().table, "/r", query(of=resource().table))[0])
    assert listed == [stored.to_dict()]
    assert store.count(resource().table) == 1


def test_a_refused_object_stores_nothing_of_its_batch(store: Store) -> None:
    with pytest.raises(InvalidRecord) as caught:
        store.record_many([Thing(id="ok", namespace="/r"), Thing(id="bad", namespace="r")])
    assert caught.value.errors[0]["data"] == {"attribute": "namespace"}
    with pytest.raises(InvalidRecord) as duplicate:
        store.record_many([Thing(id="one", namespace="/r"), Thing(id="one", namespace="/r")])
    assert duplicate.value.errors[0]["code"] == 409
    assert duplicate.value.errors[0]["title"] == "Conflict"
    assert duplicate.value.errors[0]["description"].startswith("an object with the same unique value exists (")
    assert store.count(resource().table) == 0
    store.record(Thing(id="one", namespace="/r"))
    assert store.count(resource().table) == 1


def test_an_object_of_another_model_is_refused(store: Store) -> None:
    with pytest.raises(TypeError) as caught:
        store.record(Entry("x"))
    assert str(caught.value) == "Entry is not a model this store keeps"


def test_a_failed_write_block_is_rolled_back(store: Store) -> None:
    with pytest.raises(RuntimeError), store.writing() as conn:
        store.insert(conn, Thing(id="gone", namespace="/r"))
        raise RuntimeError("abort")
    assert store.count(resource().table) == 0
    with store.writing() as conn:
        store.insert(conn, Thing(id="kept", namespace="/r"))
    assert store.count(resource().table) == 1


# -- counts remembered, and forgotten when the data changes -----------------------------------


@pytest.mark.parametrize("cache", [0, 1, 256])
def test_counts_follow_every_write(tmp_path: Path, cache: int) -> None:
    the_table = resource().table
    store = Store(tmp_path / "c.db", resources=[resource()], count_cache=cache)
    other = Store(tmp_path / "c.db", resources=[resource()], count_cache=cache)

    def total(namespace: str = "/c") -> int:
        return store.list(the_table, namespace, query(of=the_table, limit=1, offset=5))[1]

    assert total() == 0 and total("/d") == 0
    store.record(Thing(namespace="/c"))
    assert total() == 1 and total() == 1
    with store.writing() as conn:
        store.insert(conn, Thing(namespace="/c"))
    assert total() == 2
    other.record(Thing(namespace="/c"))  # another connection, as another process would write
    assert total() == 3
    assert total("/d") == 0
    other.record(Thing(namespace="/d"))
    assert total() == 3 and total("/d") == 1 and total() == 3
    other.close()
    store.close()


# -- opening ----------------------------------------------------------------------------------


def test_opening_refusals(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        Store(tmp_path / "a.db")
    assert str(caught.value) == "a store keeps at least one model: pass resources="
    with pytest.raises(StoreError) as caught:
        Store(tmp_path / "missing" / "a.db", resources=[resource()])
    assert str(caught.value) == f"{tmp_path / 'missing' / 'a.db'}: folder {tmp_path / 'missing'} does not exist"
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute('CREATE TABLE "thing" ("_seq" INTEGER PRIMARY KEY, "id" TEXT)')
    with pytest.raises(StoreError) as caught:
        Store(tmp_path / "old.db", resources=[resource()])
    refusal = str(caught.value)  # a column made NOT NULL rewrites data: refused, the plan and the command shown
    old_db = tmp_path / "old.db"
    assert refusal.startswith(
        f"{old_db}: the spec changed in ways that lose or rewrite stored data, so nothing was changed:\n"
        "  thing: rebuild the table (0 rows) [loses or rewrites data]\n"
        "    - column id becomes NOT NULL: refused if a row has none (0 rows)\n"
        "    - add column name\n"
    ), refusal
    assert "    - add unique constraint on (id): refused if stored values repeat\n" in refusal
    assert refusal.endswith(
        f"see the plan with `specgen migrate --db {old_db} --dry-run`, then apply it with"
        f" `specgen migrate --db {old_db}` (it keeps a backup)"
    ), refusal
    with sqlite3.connect(tmp_path / "old.db") as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert tables == set(), "a refused database is left as it was"
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StoreError) as caught:
        Store(tmp_path / "dir.db", resources=[resource()])
    assert str(caught.value).startswith(f"{tmp_path / 'dir.db'}: ")


def test_a_store_class_names_its_models_and_reopens_its_file(tmp_path: Path) -> None:
    class ThingStore(Store):
        resources = (resource(),)

    store = ThingStore(tmp_path / "t.db")
    store.record(Thing(id="kept", namespace="/k"))
    store.close()
    again = ThingStore(tmp_path / "t.db")
    assert again.count(resource().table) == 1
    assert set(again.tables) == {"thing"}
    again.close()
    with sqlite3.connect(tmp_path / "t.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_closed_store_opens_a_new_connection_when_used_again(store: Store) -> None:
    store.record(Thing(id="a", namespace="/r"))
    store.close()
    assert store.count(resource().table) == 1
    store.record(Thing(id="b", namespace="/r"))
    assert store.count(resource().table) == 2


def test_matches_works_on_the_store_connections(store: Store) -> None:
    store.record_many([Thing(id="m1", name="xay", namespace="/m"), Thing(id="m2", name="b", namespace="/m")])
    where, params = compile_filter(parse('name matches "a"'), resource().table)
    body, total = store.list(resource().table, "/m", query(where=where, params=params, of=resource().table))
    assert total == 1 and decoded(body)[0]["ID"] == "m1"


def test_time_values_of_any_offset_are_stored_in_utc(store: Store) -> None:
    from datetime import timezone

    local = datetime(2020, 1, 1, 1, 30, tzinfo=timezone(timedelta(hours=2)))
    store.record(Thing(id="tz", date=local, namespace="/tz"))
    listed = decoded(store.list(resource().table, "/tz", query(of=resource().table))[0])
    assert listed[0]["date"] == "2019-12-31T23:30:00Z"


# -- the plan: counts remembered, and the order's index walked when that is cheaper ------------
# Both are about cost, not results (the properties above hold the results): the SQL the store
# sends shows them.


def traced(store: Store) -> list[str]:
    """The statements this thread's connection of the store runs from now on."""
    statements: list[str] = []
    store._connection().set_trace_callback(statements.append)
    return statements


def counts(statements: list[str]) -> int:
    return sum(1 for s in statements if s.startswith('SELECT count(*) FROM "thing" WHERE'))


@pytest.mark.parametrize(("cache", "again"), [(256, 0), (0, 1)])
def test_a_count_is_remembered_until_the_data_changes(tmp_path: Path, cache: int, again: int) -> None:
    the_table = resource().table
    store = Store(tmp_path / "c.db", resources=[resource()], count_cache=cache)
    store.record_many(Thing(namespace="/c") for _ in range(3))
    statements = traced(store)
    assert store.list(the_table, "/c", query(of=the_table, limit=1))[1] == 3
    assert counts(statements) == 1
    assert store.list(the_table, "/c", query(of=the_table, limit=1, offset=1))[1] == 3
    assert counts(statements) == 1 + again
    store.record(Thing(namespace="/c"))
    assert store.list(the_table, "/c", query(of=the_table, limit=1))[1] == 4
    assert counts(statements) == 2 + again
    store.close()


def test_remembered_counts_are_the_most_recently_used(tmp_path: Path) -> None:
    the_table = resource().table
    store = Store(tmp_path / "c.db", resources=[resource()], count_cache=2)
    store.record_many(Thing(namespace=ns) for ns in ("/a", "/b", "/b", "/c"))
    statements = traced(store)
    for namespace, total in (("/a", 1), ("/b", 2), ("/a", 1), ("/c", 1), ("/a", 1), ("/b", 2)):
        assert store.list(the_table, namespace, query(of=the_table))[1] == total
    # /a, /b counted; /a remembered; /c counted (drops /b, the least recently used); /a
    # remembered; /b counted again.
    assert counts(statements) == 4
    store.close()


@pytest.mark.parametrize(
    ("keys", "recursive", "limit", "offset", "walks"),
    [
        ([("count", False)], True, 2, 0, True),  # (0 + 2) * 40 < 40 * 40: walk the index
        ([("count", True), ("name", False)], True, 10, 20, True),  # 30 * 40 < 1600
        ([("count", False)], True, 40, 0, False),  # 40 * 40 is not less than 40 * 40
        ([("count", False)], False, 2, 0, False),  # one namespace: (namespace, count) serves it
        ([("raw", False)], True, 2, 0, False),  # JSON columns have no index
        ([("ID", False)], True, 2, 0, False),  # unique columns neither
        ([], True, 2, 0, False),
    ],
)
def test_the_order_index_is_walked_when_that_is_cheaper(
    store: Store, keys: list[tuple[str, bool]], recursive: bool, limit: int, offset: int, walks: bool
) -> None:
    the_table = resource().table
    rows = store.record_many(Thing(count=i % 7, name=str(i), raw=i, namespace=f"/w/{i % 3}") for i in range(40))
    asked = "/w" if recursive else "/w/1"
    statements = traced(store)
    body, total = store.list(
        the_table, asked, query(keys=keys, limit=limit, offset=offset, recursive=recursive, of=the_table)
    )
    seen = [t for t in rows if within(t.namespace or "", asked)]
    assert total == len(seen) == (40 if recursive else 13)
    assert decoded(body) == [t.to_dict() for t in reference_order(seen, keys)[offset : offset + limit]]
    (page,) = [s for s in statements if s.startswith("SELECT '{'")]
    hint = f'INDEXED BY "thing_order_{keys[0][0].lower()}"' if keys else "INDEXED BY"
    assert (hint in page) == walks


def test_the_walk_is_judged_on_the_rows_of_the_table(tmp_path: Path) -> None:
    """Rows are counted from the ends of the arrival sequence: 100 rows, 10 matching, a page of 5
    costs about (0 + 5) * 100 = 500 walking, 10 * 10 = 100 sorting: sort."""
    the_table = resource().table
    store = Store(tmp_path / "r.db", resources=[resource()])
    store.record_many(Thing(count=i, namespace="/in" if i % 10 == 0 else "/out") for i in range(100))
    statements = traced(store)
    body, total = store.list(the_table, "/in", query(keys=[("count", False)], limit=5, recursive=True, of=the_table))
    assert total == 10 and [t["count"] for t in decoded(body)] == [0, 10, 20, 30, 40]
    assert not any("INDEXED BY" in s for s in statements)
    store.close()


# -- threads, failures and tables of other shapes ---------------------------------------------


def test_each_thread_has_its_connection_and_close_ends_them_all(tmp_path: Path) -> None:
    import threading

    the_table = resource().table
    store = Store(tmp_path / "t.db", resources=[resource()])
    store.record(Thing(id="main", namespace="/t"))
    seen: list[int] = []
    worker = threading.Thread(target=lambda: seen.append(store.count(the_table)))
    worker.start()
    worker.join()
    assert seen == [1]
    store.close()  # from this thread, the worker's connection included
    assert store.count(the_table) == 1


def test_the_capped_models_are_named_when_a_cap_is_unknown(tmp_path: Path) -> None:
    first, second = (
        log_table(cap=3),
        Table(
            name="journal",
            category="journals",
            columns=LOG_COLUMNS,
            identifier=None,
            namespace=None,
            default_order=(),
            cap=5,
        ),
    )
    resources: list[Resource[Any]] = [log_resource(first), Resource(second, Thing, prepare, to_row, from_wire)]
    with pytest.raises(StoreError) as caught:
        Store(tmp_path / "x.db", resources=resources, caps={"nope": 1})
    assert str(caught.value) == "nope is not a capped model (capped: entry, journal)"


def test_two_records_in_a_row_are_both_counted(store: Store) -> None:
    the_table = resource().table

    def total() -> int:
        return store.list(the_table, "/r", query(of=the_table, limit=1))[1]

    assert total() == 0
    store.record(Thing(namespace="/r"))
    assert total() == 1
    store.record(Thing(namespace="/r"))
    assert total() == 2


def test_a_failed_batch_is_rolled_back_and_its_error_raised(tmp_path: Path) -> None:
    broken = replace(log_resource(log_table()), to_row=lambda e: (e.label, "one value too many"))
    store = Store(tmp_path / "f.db", resources=[broken])
    with pytest.raises(sqlite3.ProgrammingError):
        store.record_many([Entry("x")])
    with store.writing() as conn:  # no transaction was left open
        conn.execute("INSERT INTO entry (label) VALUES ('after')")
    assert store.count(log_table()) == 1
    store.close()


def test_a_load_of_one_batch_is_analysed(tmp_path: Path) -> None:
    store = Store(tmp_path / "one.db", resources=[log_resource(log_table())])
    store.record_many(Entry(str(i)) for i in range(BATCH - 1))
    with sqlite3.connect(tmp_path / "one.db") as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0] == 0
    store.record_many(Entry(str(i)) for i in range(BATCH))
    with sqlite3.connect(tmp_path / "one.db") as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_stat1").fetchone()[0] > 0
    store.close()


def test_retrieve_in_a_table_without_namespace(tmp_path: Path) -> None:
    columns = (Column("key", "key", "string", "TEXT"), Column("label", "label", "string", "TEXT"))
    keyed = Table(
        name="keyed", category="keyeds", columns=columns, identifier="key", namespace=None, default_order=(), cap=None
    )
    pairs = Resource(
        table=keyed, model=Entry, prepare=lambda e: e, to_row=lambda e: ("k1", e.label), from_wire=lambda d: Entry("")
    )
    store = Store(tmp_path / "k.db", resources=[pairs])
    store.record(Entry("one"))
    assert store.retrieve(keyed, "k1", "/any", False) == '{"key":"k1","label":"one"}'
    assert store.retrieve(keyed, "k2", "/any", True) is None
    store.close()


def test_a_rollback_inside_a_budget_leaves_the_budget_in_force(store: Store) -> None:
    the_table = resource().table
    store.record_many(Thing(id=f"b{i}", name=f"n{i % 97}", namespace="/b") for i in range(3000))
    stop = threading.Event()
    by_name = query(keys=[("name", False)], limit=1, offset=2999, of=the_table)
    with pytest.raises(StoreUnavailable) as caught, store.budget(time.monotonic() + 600, stop=stop.is_set):
        assert store.list(the_table, "/b", by_name)[1] == 3000  # a read ends in a rollback
        with pytest.raises(InvalidRecord):
            store.record(Thing(id="b0", namespace="/b"))  # refused, so rolled back
        stop.set()  # the budget still applies after both rollbacks: the next read is stopped
        store.list(the_table, "/b", by_name)
    assert caught.value.reason == "cancelled"


def test_a_new_database_is_its_owner_s_alone_and_says_what_opening_it_did(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    opened = Store(path, resources=[resource()], spec_version="2.1")
    assert path.stat().st_mode & 0o777 == 0o600  # it will hold what clients sent: no other user reads it
    assert opened.spec_version == "2.1"
    assert opened.migrated is not None and opened.migrated.spec_version == "2.1" and opened.migrated.steps
    opened.close()
    again = Store(path, resources=[resource()], spec_version="2.1")
    assert again.migrated is not None and again.migrated.steps == ()  # nothing left to do
    again.close()
    long = tmp_path / ("x" * 300 + ".db")
    with pytest.raises(StoreError) as caught:
        Store(long, resources=[resource()])
    assert str(caught.value) == f"{long}: File name too long"


def test_store_options_name_what_is_wrong() -> None:
    sealed = Column("note", "note", "string", "TEXT", encrypted=True)

    def keeping(name: str, cap: int | None = None) -> Table:
        return Table(
            name=name,
            category=name + "s",
            columns=(*LOG_COLUMNS, sealed),
            identifier=None,
            namespace=None,
            default_order=(),
            cap=cap,
        )

    with pytest.raises(StoreError) as caught:
        store_options({"box": keeping("box")}, None, None, None)
    assert str(caught.value) == (
        "box keeps encrypted attributes: the store needs the encryption key they were (or will be) sealed with"
    )
    with pytest.raises(StoreError) as caught:
        store_options({"safe": keeping("safe"), "box": keeping("box")}, None, None, None)
    assert str(caught.value).startswith("box, safe keep encrypted attributes: ")
    plain = {"entry": log_table(cap=3), "thing": resource().table}
    with pytest.raises(StoreError) as caught:
        store_options(plain, None, {"thing": 10}, None)
    assert str(caught.value) == "thing is not a capped model (capped: entry)"
    with pytest.raises(StoreError) as caught:
        store_options({"thing": resource().table}, None, {"thing": 10}, None)
    assert str(caught.value) == "thing is not a capped model (capped: none)"
    _, entries, sizes = store_options(plain, None, {"entry": 1}, None)  # one byte is a cap
    assert (entries, sizes) == ({"entry": 3}, {"entry": 1})


def test_a_change_that_loses_data_is_refused_with_the_plan_and_the_commands(tmp_path: Path) -> None:
    two = (*LOG_COLUMNS, Column("note", "note", "string", "TEXT"))
    wide = Table(
        name="entry", category="entries", columns=two, identifier=None, namespace=None, default_order=(), cap=None
    )
    path = tmp_path / "it's.db"
    Store(
        path, resources=[Resource(wide, Entry, lambda e: e, lambda e: (e.label, None), lambda d: Entry(None))]
    ).close()
    with pytest.raises(MigrationNeeded) as caught:
        Store(path, resources=[log_resource(log_table())])
    refused = caught.value
    assert (refused.path, refused.plan.additive) == (path, False)
    # The refusal lists the steps without their SQL (the dry run shows it).
    assert len(refused.plan.lines(sql=True)) > len(refused.plan.lines(sql=False)) > 0
    steps = "".join(f"\n  {line}" for line in refused.plan.lines(sql=False))
    quoted = shlex.quote(str(path))
    assert str(refused) == (
        f"{path}: the spec changed in ways that lose or rewrite stored data, so nothing was changed:{steps}\n"
        f"see the plan with `specgen migrate --db {quoted} --dry-run`, then apply it with"
        f" `specgen migrate --db {quoted}` (it keeps a backup)"
    )
    assert refused.explain("squall migrate", db="x.db").endswith(
        "see the plan with `squall migrate --db x.db --dry-run`, then apply it with `squall migrate --db x.db` (it keeps a backup)"
    )
