"""The store and its Python API: recording, validation, the cap, the schema check."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from squallmodels import Activity
from squallserver import InvalidRecord, Store, StoreError
from squallserver.app import create_app
from squallserver.resources import activity

from tests.server.conftest import InProcess, headers, serve, tokens


def test_record_fills_id_and_date_and_validates(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    stored = store.record(Activity(namespace="/acme", operation="create"))
    assert stored.id is not None and len(stored.id) == 24
    assert stored.date is not None and (datetime.now(UTC) - stored.date).total_seconds() < 60
    with pytest.raises(InvalidRecord) as refused:
        store.record(Activity(namespace="not-absolute"))
    assert refused.value.errors[0]["data"] == {"attribute": "namespace"}
    with pytest.raises(InvalidRecord) as duplicate:
        store.record(Activity(id=stored.id, namespace="/acme"))
    assert duplicate.value.errors[0]["code"] == 409
    assert store.count(activity.TABLE) == 1
    store.close()


def test_the_database_uses_wal(tmp_path: Path) -> None:
    Store(tmp_path / "s.db").close()
    with sqlite3.connect(tmp_path / "s.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_cap_from_the_spec_keeps_the_newest_50000(tmp_path: Path) -> None:
    cap = activity.TABLE.cap
    assert cap == 50_000
    store = Store(tmp_path / "s.db")
    written = store.record_many(Activity(id=f"a{i:06d}", namespace="/log", message=str(i)) for i in range(cap + 10))
    assert store.count(activity.TABLE) == cap
    for live in serve(store):
        with httpx.Client(base_url=live.url) as http:
            first = http.get("/activities", headers=headers("/log"), params={"pagesize": 1})
            assert first.headers["X-Count-Total"] == str(cap)
            for gone in written[:10]:
                assert http.get(f"/activities/{gone.id}", headers=headers("/log")).status_code == 404
            for kept in (written[10], written[-1]):
                assert http.get(f"/activities/{kept.id}", headers=headers("/log")).status_code == 200
    store.close()


def test_the_cap_is_configurable_and_applies_one_record_at_a_time(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", caps={"activity": 5})
    for i in range(8):
        store.record(Activity(id=f"r{i}", namespace="/acme"))
    api = InProcess(create_app(store, tokens()))
    listed = api.get("/activities", headers("/acme"), order="ID").json()
    assert [a["ID"] for a in listed] == ["r3", "r4", "r5", "r6", "r7"]
    with pytest.raises(StoreError):
        Store(tmp_path / "t.db", caps={"activity": 0})
    with pytest.raises(StoreError):
        Store(tmp_path / "t.db", caps={"nosuch": 3})
    store.close()


def test_a_database_of_another_shape_is_refused_clearly(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute('CREATE TABLE "activity" ("_seq" INTEGER PRIMARY KEY, "id" TEXT)')
    with pytest.raises(StoreError, match="lose or rewrite stored data") as refused:
        Store(tmp_path / "old.db")
    assert "column id becomes NOT NULL" in str(refused.value) and "specgen migrate --db" in str(refused.value)
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "missing" / "x.db")


def test_remembered_counts_follow_writes_from_this_store_and_from_other_processes(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    api = InProcess(create_app(store, tokens()))

    def total() -> str:
        # Walk to page 2 of 1 first so the count is computed and remembered, not taken from a short page.
        return str(api.get("/activities", headers("/acme"), pagesize=1, page=2).headers["X-Count-Total"])

    store.record(Activity(namespace="/acme"))
    assert total() == total() == "1"
    store.record(Activity(namespace="/acme"))  # a write through this store
    assert total() == "2"
    other = Store(tmp_path / "s.db")  # another connection, as another process would have
    other.record(Activity(namespace="/acme"))
    other.close()
    assert total() == "3"
    store.close()
