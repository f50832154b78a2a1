"""What only PostgreSQL does: several servers on one database, its schema, indexes and errors.

The behaviour every store shares is tested on both by the rest of tests/server (``store_kind``);
these tests start real ``specgen serve`` processes, or open the store on a schema of the
session's throwaway server (``tests.postgres_server``).
"""

from __future__ import annotations

import json
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from squallmodels import Activity
from squallserver import StoreError, open_store
from squallserver.app import create_app
from squallserver.resources import activity

from tests.conftest import SPECS, Cli
from tests.live_serve import TOKEN, generate_into, serving
from tests.postgres_server import Server
from tests.server.conftest import InProcess, dataset, headers, tokens
from tests.server.test_whole_api import KEY  # and the Planner's generated packages on sys.path

from plannerserver import StoreError as PlannerStoreError  # isort: skip
from plannerserver import open_store as open_planner  # isort: skip
from plannerserver.params import parse_list  # isort: skip
from plannerserver.resources import task  # isort: skip

LEDGER_SPECS = Path(__file__).resolve().parent / "logged_specs"
CAP = 60
WRITERS, WRITES_EACH = 4, 40


def new_schema(server: Server) -> str:
    """A URL whose tables live in a schema of their own (a new, empty database for the store)."""
    schema = f"t{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return server.url() + f"?options=-c%20search_path%3D{schema}"


@pytest.fixture
def url(postgres: Server) -> str:
    return new_schema(postgres)


@pytest.fixture(scope="module")
def ledger_specs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The ledger API (its activity log writable by clients), generated: (specs, out)."""
    folder = tmp_path_factory.mktemp("ledger")
    specs = folder / "specs"
    shutil.copytree(LEDGER_SPECS, specs)
    text = (SPECS / "activity.spec.yaml").read_text(encoding="utf-8")
    writable = text.replace("operations: [list, retrieve]\n", "operations: [list, retrieve, create, delete]\n")
    (specs / "activity.spec.yaml").write_text(writable, encoding="utf-8")
    return specs, generate_into(specs, folder / "out")


def _auth(namespace: str = "/acme") -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}", "X-Namespace": namespace}


@pytest.fixture
def two_servers(ledger_specs: tuple[Path, Path], url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two ``specgen serve`` processes on one PostgreSQL database, capped at ``CAP`` activities."""
    specs, out = ledger_specs
    options = ("--cap", str(CAP))
    with (
        serving(specs, out, tmp_path, db=url, options=options, log_name="a.log") as first,
        serving(specs, out, tmp_path, db=url, options=options, log_name="b.log") as second,
    ):
        yield first.url, second.url


def test_two_servers_share_one_database_and_keep_the_cap_exact(two_servers: tuple[str, str]) -> None:
    first, second = two_servers
    with (
        httpx.Client(base_url=first, headers=_auth(), timeout=30) as a,
        httpx.Client(base_url=second, headers=_auth(), timeout=30) as b,
    ):
        created = a.post("/policies", json={"name": "written-through-a"})
        assert created.status_code == 201, created.text
        listed = b.get("/policies").json()
        assert [p["ID"] for p in listed] == [created.json()["ID"]]
        assert b.get(f"/policies/{created.json()['ID']}").json() == created.json()
        # Its activity, recorded by the first server, is listed by the second.
        assert [x["operation"] for x in b.get("/activities").json()] == ["create"]
        # A unique name taken through one server is refused through the other.
        assert b.post("/policies", json={"name": "written-through-a"}).status_code == 422

    statuses: list[int] = []
    seen_totals: list[int] = []
    lock = threading.Lock()

    def writer(base: str, number: int) -> None:
        with httpx.Client(base_url=base, headers=_auth(), timeout=30) as http:
            for i in range(WRITES_EACH):
                response = http.post("/activities", json={"message": f"writer {number} entry {i}"})
                total = int(http.get("/activities", params={"pagesize": 1}).headers["X-Count-Total"])
                with lock:
                    statuses.append(response.status_code)
                    seen_totals.append(total)

    threads = [threading.Thread(target=writer, args=(two_servers[n % 2], n)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * (WRITERS * WRITES_EACH)
    assert max(seen_totals) == CAP  # never past the cap, whichever server counted
    with httpx.Client(base_url=second, headers=_auth(), timeout=30) as http:
        response = http.get("/activities", params={"pagesize": 1000, "order": "date"})
        assert response.headers["X-Count-Total"] == str(CAP)
        kept = response.json()
    assert len(kept) == CAP
    # The newest entries stay: of each writer's entries (in the order it wrote them), those kept
    # are its last ones, however the four interleaved (a writer done early may keep none).
    for number in range(WRITERS):
        entries = sorted(
            int(str(entry["message"]).rsplit(" ", 1)[1])
            for entry in kept
            if str(entry.get("message", "")).startswith(f"writer {number} ")
        )
        assert entries == list(range(WRITES_EACH - len(entries), WRITES_EACH)), (number, entries)


def test_load_and_serve_take_a_database_url(cli: Cli, url: str, tmp_path: Path) -> None:
    lines = [json.dumps(a.to_dict()) for a in dataset()]
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = cli("load", "--db", url, str(good))
    assert run.code == 0, run.err
    assert "16 activities" in run.out and "(16 stored)" in run.out
    bad = tmp_path / "bad.jsonl"
    bad.write_text(lines[0].replace("act00", "new00") + "\n{not json\n", encoding="utf-8")
    run = cli("load", "--db", url, str(bad))
    assert run.code != 0 and "line 2" in run.err
    store = open_store(url)
    try:
        assert store.count(activity.TABLE) == 16  # the refused file stored nothing
    finally:
        store.close()
    run = cli("load", "--db", "postgresql://nobody:secret@127.0.0.1:1/none", str(good))
    assert run.code != 0 and "cannot connect" in run.err and "secret" not in run.err


def test_a_pattern_postgresql_refuses_is_a_400(url: str) -> None:
    """RE2 takes \\pL (a letter); PostgreSQL's regular expressions do not: the client is told."""
    store = open_store(url)
    try:
        store.record_many(dataset())
        api = InProcess(create_app(store, tokens()))
        response = api.get("/activities", headers("/"), q='message matches "\\\\pL"', recursive="true")
        assert response.status_code == 400, response.text
        (error,) = response.json()
        assert "regular expression" in error["description"] and error["data"]["parameter"] == "q"
    finally:
        store.close()


def test_the_spec_indexes_are_in_the_database_and_serve_their_filters(url: str) -> None:
    store = open_planner(url, encryption_key=KEY)
    try:
        with psycopg.connect(url) as conn:
            rows = conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
            found: dict[str, str] = {str(name): str(definition) for name, definition in rows}
            assert "task_index_namespace_status" not in found  # the same keys as an index made anyway
            assert found["task_by_status"].endswith("(namespace NULLS FIRST, status NULLS FIRST, _seq)")
            assert "(estimate #> '{hours}'::text[])" in found["task_index_namespace_estimate_hours"]
            query = parse_list([], task.TABLE, dialect=store.dialect).narrowed(task.TABLE, ["estimate.hours > 98"])
            # Enough rows (in this transaction only) for the planner to choose by cost: 1% match.
            conn.execute(
                "INSERT INTO task (id, namespace, estimate) SELECT 't' || n, '/acme', jsonb_build_object('hours', n % 100)"
                " FROM generate_series(1, 5000) AS n"
            )
            conn.execute("ANALYZE task")
            plan = " ".join(
                str(row[0])
                for row in conn.execute(
                    f"EXPLAIN SELECT id FROM task WHERE namespace = %s AND {query.where}", ["/acme", *query.params]
                )
            )
            conn.rollback()
        assert "task_index_namespace_estimate_hours" in plan, plan
    finally:
        store.close()


def test_a_database_of_another_shape_is_refused_clearly(url: str) -> None:
    with psycopg.connect(url) as conn:
        conn.execute('CREATE TABLE activity ("_seq" bigint PRIMARY KEY, "id" text)')
    with pytest.raises(StoreError, match="lose or rewrite stored data") as refused:
        open_store(url)
    assert 'column id changes type from text to string (text COLLATE "C")' in str(refused.value)
    assert "specgen migrate --db" in str(refused.value)


def test_an_index_on_other_keys_is_made_again_and_the_key_is_checked(url: str) -> None:
    open_planner(url, encryption_key=KEY).close()
    with pytest.raises(PlannerStoreError, match="not the one this database was written with"):
        open_planner(url, encryption_key=bytes(32))
    with psycopg.connect(url) as conn:
        conn.execute("DROP INDEX task_index_namespace_estimate_hours")
        conn.execute("CREATE INDEX task_index_namespace_estimate_hours ON task (namespace, (estimate -> 'minutes'))")
    store = open_planner(url, encryption_key=KEY)
    store.close()
    assert store.migrated is not None
    assert [(s.what.split(" on ")[0], s.additive) for s in store.migrated.steps] == [
        ("drop index task_index_namespace_estimate_hours", True),
        ("add index task_index_namespace_estimate_hours", True),
    ]
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'task_index_namespace_estimate_hours'")
        assert "hours" in str(row.fetchone())


def test_the_cap_applies_one_record_at_a_time(url: str) -> None:
    store = open_store(url, caps={"activity": 5})
    try:
        for i in range(8):
            store.record(Activity(id=f"r{i}", namespace="/acme"))
        api = InProcess(create_app(store, tokens()))
        listed = api.get("/activities", headers("/acme"), order="ID").json()
        assert [a["ID"] for a in listed] == ["r3", "r4", "r5", "r6", "r7"]
    finally:
        store.close()


def test_times_keep_their_microseconds(url: str) -> None:
    from datetime import UTC, datetime

    store = open_store(url)
    try:
        moment = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
        store.record(Activity(id="precise", namespace="/acme", date=moment))
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT date, pg_typeof(date)::text FROM activity").fetchone()
        assert row is not None and row[0] == moment and row[1] == "timestamp with time zone"
        body: Any = InProcess(create_app(store, tokens())).get("/activities/precise", headers("/acme")).json()
        assert body["date"] == "2024-05-06T07:08:09.123456Z"
    finally:
        store.close()
