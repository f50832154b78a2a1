"""Opening the PostgreSQL store at its source: what it refuses and with which words, what it
tells the rest of the runtime (its spec version, its path, what opening did), the pool it keeps
and the threads it names, the watcher that stops a request past its deadline or given up, and
the bulk load that leaves the planner its statistics."""

from __future__ import annotations

import shlex
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

import psycopg
import pytest

from generator.runtime.server.errors import StoreUnavailable
from generator.runtime.server.limits import BUDGET
from generator.runtime.server.postgres import PostgresStore, _safe
from generator.runtime.server.store import BATCH, MigrationNeeded, StoreError
from generator.runtime.server.table import Column, Resource, Table
from tests.postgres_server import Server
from tests.runtime.test_postgres_store import THINGS, Flagged, flagged_log, labels
from tests.runtime.test_store_secrets import KEY, Box, from_wire
from tests.runtime.things import Thing


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    opened = PostgresStore(pg_url, resources=[THINGS], pool_size=3)
    yield opened
    opened.close()


# -- refusals: the words a user reads when a store cannot open --------------------------------


def test_a_store_of_no_model_is_refused_and_a_subclass_s_models_are_its_own(pg_url: str) -> None:
    with pytest.raises(StoreError) as caught:
        PostgresStore(pg_url, resources=[])
    assert str(caught.value) == "a store keeps at least one model: pass resources="

    class Generated(PostgresStore):  # as a generated package's store names its models
        resources = (THINGS,)

    opened = Generated(pg_url, pool_size=1)
    try:
        assert opened.tables == {"thing": THINGS.table}
    finally:
        opened.close()


def secret_note(*, filterable: bool, orderable: bool) -> Resource[Box]:
    note = Column("note", "note", "string", "TEXT", encrypted=True, filterable=filterable, orderable=orderable)
    table = Table(
        name="safe",
        category="safes",
        columns=(Column("ID", "id", "string", "TEXT"), note),
        identifier="ID",
        namespace=None,
        default_order=(),
        cap=None,
    )
    return Resource(table=table, model=Box, prepare=lambda b: b, to_row=lambda b: (b.id, b.note), from_wire=from_wire)


@pytest.mark.parametrize(("filterable", "orderable"), [(True, False), (False, True), (True, True)])
def test_an_encrypted_attribute_that_filters_or_orders_is_refused(
    pg_url: str, filterable: bool, orderable: bool
) -> None:
    with pytest.raises(StoreError) as caught:
        PostgresStore(pg_url, resources=[secret_note(filterable=filterable, orderable=orderable)], encryption_key=KEY)
    assert str(caught.value) == (
        "safe.note is filterable or orderable and holds what a client may not see (encrypted, or nested"
        " secret or hidden parts): only the SQLite store filters it"
    )


def test_an_encrypted_attribute_neither_filtered_nor_ordered_is_kept(pg_url: str) -> None:
    opened = PostgresStore(
        pg_url, resources=[secret_note(filterable=False, orderable=False)], encryption_key=KEY, pool_size=1
    )
    opened.close()


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_database_that_cannot_be_reached_is_named_without_its_password() -> None:
    """The pool is given its ten seconds to make its first connection, then the store says so
    (a test of ten seconds: the pool retries a refused connection until then)."""
    url = f"postgresql://someone:secret@127.0.0.1:{_closed_port()}/app"
    with pytest.raises(StoreError) as caught:
        PostgresStore(url, resources=[THINGS], pool_size=1)
    assert str(caught.value) == f"{_safe(url)}: cannot connect: pool initialization incomplete after 10 sec"
    assert "secret" not in str(caught.value) and str(caught.value).startswith("postgresql://someone@127.0.0.1:")


def test_a_search_path_naming_no_schema_is_refused_with_postgresql_s_reason(postgres: Server) -> None:
    missing = f"none{uuid.uuid4().hex[:12]}"
    url = postgres.url() + f"?options=-c%20search_path%3D{missing}"
    with pytest.raises(StoreError) as caught:
        PostgresStore(url, resources=[THINGS], pool_size=1)
    assert str(caught.value) == f"{_safe(url)}: no schema has been selected to create in"


def test_a_database_the_user_may_not_write_to_is_refused_with_postgresql_s_reason(pg_url: str) -> None:
    """A role that may use the schema but not create in it: the first statement that creates
    (the JSON text function) is refused, and the store names the database and the reason."""
    role = f"reader{uuid.uuid4().hex[:12]}"
    schema = pg_url.rsplit("search_path%3D", 1)[1]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN".encode())
        conn.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}".encode())
    try:
        url = pg_url.replace("postgresql://postgres@", f"postgresql://{role}@")
        with pytest.raises(StoreError) as caught:
            PostgresStore(url, resources=[THINGS], pool_size=1)
        assert str(caught.value) == f"{_safe(url)}: permission denied for schema {schema}"
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"REVOKE ALL ON SCHEMA {schema} FROM {role}".encode())
            conn.execute(f"DROP ROLE {role}".encode())


def test_a_change_that_loses_rows_is_refused_naming_the_database_and_the_plan(pg_url: str) -> None:
    first = PostgresStore(pg_url, resources=[flagged_log(5)], pool_size=1)
    first.record_many(Flagged(f"e{i}") for i in range(5))
    first.close()
    with pytest.raises(MigrationNeeded) as caught:
        PostgresStore(pg_url, resources=[flagged_log(2)], pool_size=1)
    refusal = caught.value
    assert refusal.path == _safe(pg_url) and not refusal.plan.additive
    assert str(refusal).startswith(
        f"{_safe(pg_url)}: the spec changed in ways that lose or rewrite stored data, so nothing was changed:\n  "
    )
    # The schema of the tables (search_path) stays in the --db to copy: the same tables are planned.
    assert f"specgen migrate --db {shlex.quote(_safe(pg_url))} --dry-run" in str(refusal)
    again = PostgresStore(pg_url, resources=[flagged_log(5)], pool_size=1)  # nothing was changed
    try:
        assert labels(again) == [f"e{i}" for i in range(5)]
    finally:
        again.close()


# -- what the rest of the runtime reads of an open store --------------------------------------


def test_an_open_store_names_its_database_its_spec_version_and_what_opening_did(pg_url: str) -> None:
    opened = PostgresStore(pg_url, resources=[THINGS], pool_size=1, spec_version="2.1")
    try:
        assert (opened.url, opened.path, opened.spec_version) == (pg_url, pg_url, "2.1")
        assert opened.migrated is not None and opened.migrated.spec_version == "2.1" and opened.migrated.steps
    finally:
        opened.close()
    again = PostgresStore(pg_url, resources=[THINGS], pool_size=1)
    try:
        assert again.spec_version == ""  # none given: none claimed
        assert again.migrated is not None and again.migrated.found.spec_version == "2.1"
    finally:
        again.close()


# -- the pool and the threads -----------------------------------------------------------------


def test_the_pool_holds_pool_size_connections_and_a_request_waits_its_budget_for_one(pg_url: str) -> None:
    """Three connections at once on a pool of three, three server processes; a fourth request
    waits (BUDGET: two seconds) and is refused as busy."""
    opened = PostgresStore(pg_url, resources=[THINGS], pool_size=3)
    try:
        assert opened._pool.timeout == BUDGET  # how long a request waits for a connection
        with opened._connection() as a, opened._connection() as b, opened._connection() as c:
            pids = {conn.execute("SELECT pg_backend_pid()").fetchone() for conn in (a, b, c)}
            assert len(pids) == 3
            with pytest.raises(StoreUnavailable) as caught, opened._connection():
                pass
        assert (caught.value.reason, caught.value.description) == (
            "busy",
            "every connection to the database is in use; try again later",
        )
    finally:
        opened.close()


def test_the_store_s_threads_say_whose_they_are_and_do_not_keep_a_process_alive(pg_url: str) -> None:
    before = set(threading.enumerate())
    opened = PostgresStore(pg_url, resources=[THINGS], pool_size=1)
    try:
        started = {t.name: t for t in set(threading.enumerate()) - before}
        workers = {f"specgen-worker-{i}" for i in range(opened._pool.num_workers)}
        assert set(started) == {"specgen-scheduler", *workers, "specgen-pg-cancel"}
        assert all(t.daemon for t in started.values())
    finally:
        opened.close()


# -- the watcher: a statement outside a transaction has no statement_timeout -------------------


def sleep_within(store: PostgresStore, deadline: float, stop: Any = None) -> StoreUnavailable | None:
    """A statement of 30 seconds run for a request with this deadline and stop: how it ended."""
    try:
        with store.budget(deadline, stop), store._connection() as conn:
            conn.execute("SELECT pg_sleep(30)")
    except StoreUnavailable as exc:
        return exc
    return None


def test_a_statement_past_its_request_s_deadline_is_cancelled(store: PostgresStore) -> None:
    stopped = sleep_within(store, time.monotonic() + 0.2)
    assert stopped is not None and stopped.reason == "budget"


def test_a_statement_of_a_request_given_up_is_cancelled_though_its_deadline_is_far(store: PostgresStore) -> None:
    gone = threading.Event()
    gone.set()  # the client went away
    stopped = sleep_within(store, time.monotonic() + 1000, gone.is_set)
    assert stopped is not None and stopped.reason == "cancelled"


class HeldCancel:
    """A loopback relay to the server that passes every connection on, except the first cancel
    request: that one it takes and never answers, as a server or a path that went silent would."""

    CANCEL_REQUEST = 80877102  # the code of PostgreSQL's CancelRequest packet

    def __init__(self, port: int) -> None:
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.held = threading.Event()
        self.sockets: list[socket.socket] = [self.listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with suppress(OSError):
            while True:
                client, _ = self.listener.accept()
                self.sockets.append(client)
                threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        with suppress(OSError):
            head = b""
            while len(head) < 8:  # a length and a code: a startup message or a cancel request
                chunk = client.recv(8 - len(head))
                if not chunk:
                    return
                head += chunk
            if int.from_bytes(head[4:8], "big") == self.CANCEL_REQUEST and not self.held.is_set():
                self.held.set()
                return  # accepted, never answered
            server = socket.create_connection(("127.0.0.1", self.target))
            self.sockets.append(server)
            server.sendall(head)
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()
            self._pump(client, server)

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
            sink.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        for sock in self.sockets:
            sock.close()


def test_a_cancel_never_answered_keeps_the_watcher_stopping_the_other_requests(postgres: Server, pg_url: str) -> None:
    """The first request's cancel is held unanswered: the watcher gives it up after its second
    and goes on, so the next request past its deadline is still stopped."""
    relay = HeldCancel(postgres.port)
    url = pg_url.replace(f":{postgres.port}/", f":{relay.port}/") + "&sslmode=disable&gssencmode=disable"
    opened = PostgresStore(url, resources=[THINGS], pool_size=2)
    try:
        first = threading.Thread(target=sleep_within, args=(opened, time.monotonic() + 0.1))
        first.start()
        assert relay.held.wait(60)  # the first request's cancel was sent, and is held
        stopped = sleep_within(opened, time.monotonic() + 0.1)
        first.join()
    finally:
        opened.close()
        relay.close()
    assert stopped is not None and stopped.reason == "budget"


def test_a_statement_within_its_budget_runs_to_its_end(store: PostgresStore) -> None:
    with store.budget(time.monotonic() + 1000, lambda: False), store._connection() as conn:
        assert conn.execute("SELECT pg_sleep(0.3), 1").fetchone() == ("", 1)


# -- writes: a refusal rolls back, a bulk load is analyzed --------------------------------------


def test_a_row_postgresql_refuses_mid_batch_stores_nothing_and_raises_its_error(store: PostgresStore) -> None:
    with pytest.raises(psycopg.DataError):  # text may not hold NUL: refused by the driver
        store.record_many([Thing(id="a", namespace="/n"), Thing(id="b", name="nul\x00", namespace="/n")])
    store.record(Thing(id="c", namespace="/n"))  # the connection went back clean
    with psycopg.connect(store.url) as conn:
        assert conn.execute("SELECT id FROM thing").fetchall() == [("c",)]


def test_a_bulk_load_of_a_batch_leaves_the_planner_its_statistics(store: PostgresStore) -> None:
    store.record_many(Thing(id=f"t{i:04}", namespace="/n") for i in range(BATCH))
    with psycopg.connect(store.url) as conn:
        analyzed = conn.execute("SELECT reltuples FROM pg_class WHERE oid = 'thing'::regclass").fetchone()
    assert analyzed == (BATCH,)  # ANALYZE counted them (a table never analyzed says -1)
