# Copied by specgen from generator/runtime/server/postgres.py, the same in every API. Do not edit by hand.
"""The PostgreSQL store: one database shared by any number of servers, on any number of machines.

The same interface as the SQLite store (``backend.Backend``) and the same answers, byte for
byte: the wire form is built here in Python from typed columns, as SQLite's SQL builds it (keys
in the spec's order, unset and omitted-when-empty values left out, times without a zero
fraction, floats as SQLite writes them, JSON values in their canonical text).

Columns (``column_type``): text in the "C" collation (byte order, as SQLite compares and
sorts), bigint, double precision, boolean, ``timestamptz`` (microseconds), ``jsonb`` for every
JSON value, ``bytea`` for encrypted ones. The spec's indexes are created, paths into JSON as
expression indexes on the very expression filters use (``pg_sql.member_sql``).

Psycopg 3 with its connection pool, synchronous, in the server's worker lanes (``work``): the
write path and the processors are plain functions run inside one transaction, and the lanes
already bound how much runs at once and for how long; psycopg waits on the network without the
GIL. Each request keeps its budget: a write transaction sets ``statement_timeout`` to the time
left (with its BEGIN, in the same round trip), and a watcher thread sends a cancel request for
any statement whose request is past its deadline, or was given up (client gone, server
stopping); a regular expression (``matches``) is stopped either way. A list is one statement
(its count and its page in one snapshot), a get by identifier another: one round trip each.

The cap, exact with several servers writing at once: an advisory lock. Inserting into a capped
table first takes ``pg_advisory_xact_lock`` on the table's key, held to the end of the
transaction, so the writers of one log take turns across every process: each numbers its rows
after the newest (the sequence stays contiguous, as in SQLite, so "keep the newest N" is a
range delete on the primary key), keeps the running total of bytes, and trims to the cap before
it commits. A trigger would do the same work under the same lock; a trim job would let the
count pass the cap between runs. Writes that check unique values take the same lock on their
table, so two servers cannot both find a value free. Lists read their count and their page in
one ``REPEATABLE READ`` snapshot, so the two agree while writers write.

The schema is created when missing and otherwise compared with what the spec wants (column
types with their collations and identities, NOT NULL, keys, unique constraints, every index's
definition), under an advisory lock, so servers starting together do not race: what loses
nothing is applied in the same transaction, anything else is refused naming ``specgen
migrate`` (``pg_schema`` reads the shapes and writes the steps, ``migration`` plans them from
``ddl``).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import psycopg
import psycopg.errors
from psycopg.types.string import TextLoader
from psycopg_pool import ConnectionPool, PoolTimeout

from . import pg_schema
from .crypto import Cipher, CipherError
from .encoding import time_text
from .errors import ErrorObject, InvalidRecord, StoreUnavailable, bad_request, error_object, not_found, page_too_large
from .limits import BUDGET, MAX_RESPONSE_BYTES, PG_LIST_WORKERS
from .migration import MigrationError, Plan
from .params import ListQuery
from .pg_sql import JSON_TEXT_FUNCTION, POSTGRES, member_sql
from .sql import Dialect
from .store import BATCH, KEY_CHECK, MigrationNeeded, StoreError, children_of, store_options
from .table import SEQUENCE, UPTO, Column, Resource, Row, Table
from .unique import unique_checks

T = TypeVar("T")
SIZE = '"_size"'  # capped tables: this row's size in bytes (what UPTO adds for it)
POOL_SIZE = 16  # connections per server: the lanes' workers (work.py: 8 + 4 + 1) and some to spare
CANCEL_POLL = 0.05  # seconds between two looks at whether a running request was given up
_SCHEMA_LOCK = 0x5EC6E1  # advisory lock key held while a server creates or checks the schema
_KEY_CHECK_TEXT = '"specgen encryption key check"'
_EMPTY_TEXTS = frozenset({"[]", "{}", '""', "0", "0.0", "-0.0", "false"})
# Made once: json.dumps builds an encoder on every call with options. The canonical one is
# encoding.json_text's (compact, keys sorted); the other quotes a string as SQLite's json_quote.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_QUOTED = json.JSONEncoder(ensure_ascii=False).encode

_TYPES = {
    "string": 'text COLLATE "C"',
    "enum": 'text COLLATE "C"',
    "integer": "bigint",
    "float": "double precision",
    "boolean": "boolean",
    "time": "timestamptz",
}
# Canonical JSON text of a jsonb value (encoding.json_text: compact, keys sorted by code point,
# which is UTF-8 byte order): what SQLite stores, so contains and matches read the same text.
JSON_TEXT_SQL = f"""CREATE OR REPLACE FUNCTION {JSON_TEXT_FUNCTION}(value jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN CASE jsonb_typeof(value)
    WHEN 'object' THEN '{{' || coalesce((SELECT string_agg(to_jsonb(key)::text || ':' || {JSON_TEXT_FUNCTION}(member),
      ',' ORDER BY key COLLATE "C") FROM jsonb_each(value) AS m(key, member)), '') || '}}'
    WHEN 'array' THEN '[' || coalesce((SELECT string_agg({JSON_TEXT_FUNCTION}(item), ',' ORDER BY n)
      FROM jsonb_array_elements(value) WITH ORDINALITY AS a(item, n)), '') || ']'
    ELSE value::text END;
END $$"""


def column_type(column: Column) -> str:
    if column.encrypted:
        return "bytea"
    if column.is_json:
        return "jsonb"
    return _TYPES[column.kind]


def lock_key(table: Table) -> int:
    """The advisory lock of one table (a signed 64-bit number from its name)."""
    digest = hashlib.sha256(f"specgen table {table.name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def real_text(value: float) -> str:
    """A float as SQLite writes it in JSON (15 significant digits, always a point or an exponent)."""
    if value == 0:
        return "0.0"
    text = f"{value:.15g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return (mantissa if "." in mantissa else mantissa + ".0") + "e" + exponent
    return text if "." in text else text + ".0"


def _size(value: object) -> int:
    """A stored value's size in bytes, as SQLite counts it (``length(CAST(v AS BLOB))``)."""
    if value is None:
        return 0
    if isinstance(value, bytes):
        return len(value)
    if isinstance(value, bool):
        return 1
    if isinstance(value, float):
        return len(real_text(value))
    if isinstance(value, datetime):  # SQLite keeps a time as its text (str() would write "+00:00")
        return len(time_text(value))
    return len(str(value).encode("utf-8"))


def _time(value: datetime) -> str:
    """The wire form of a time: UTC, microseconds, the fraction left out when it is zero."""
    utc = value.astimezone(UTC).replace(tzinfo=None)
    return '"' + utc.isoformat(timespec="microseconds" if utc.microsecond else "seconds") + 'Z"'


@dataclass(frozen=True, slots=True)
class _Field:
    """How one column's value becomes its part of the JSON text."""

    key: str  # '"name":'
    text: Callable[[Any], str]  # the value (as psycopg gives it) -> its JSON text
    omit_empty: bool


class _TableSQL:
    """The SQL and the conversions of one table on PostgreSQL."""

    def __init__(self, table: Table, cipher: Cipher | None) -> None:
        self.table = table
        self.capped = table.cap is not None
        columns = table.columns
        names = [c.quoted for c in columns] + list(table.links.values())
        marks = [self._mark(c) for c in columns] + ["%s"] * len(table.links)
        extra_names = [SEQUENCE, UPTO, SIZE] if self.capped else []
        extra_marks = ["%s"] * len(extra_names)
        self.insert = (
            f"INSERT INTO {table.quoted} ({', '.join(names + extra_names)}) VALUES ({', '.join(marks + extra_marks)})"
        )
        key = table.identifier.quoted if table.identifier is not None else SEQUENCE
        settings = ", ".join(f"{c.quoted} = {self._mark(c)}" for c in columns)
        self.update = f"UPDATE {table.quoted} SET {settings} WHERE {key} = %s"
        self.delete = f"DELETE FROM {table.quoted} WHERE {key} = %s"
        returned = [c for c in columns if c.returned]
        self.wire_columns = ", ".join(c.quoted for c in returned) or "NULL"
        self.wire_fields = [self._field(c, cipher, wire=True) for c in returned]
        self.stored_columns = ", ".join(c.quoted for c in columns) or "NULL"
        # A list's page selects the arrival order and every column (so that the order's keys,
        # whichever they are, can order the page again outside it); where each wire column is.
        self.page_columns = ", ".join([SEQUENCE, *(c.quoted for c in columns)])
        self.page_wire = [1 + columns.index(c) for c in returned]
        self.stored_fields = [self._field(c, cipher, wire=False) for c in columns]
        self.converters = [self._converter(c) for c in columns]

    @staticmethod
    def _mark(column: Column) -> str:
        return "%s::jsonb" if column.is_json and not column.encrypted else "%s"

    def _field(self, column: Column, cipher: Cipher | None, wire: bool) -> _Field:
        key = json.dumps(column.attribute, ensure_ascii=False) + ":"
        text: Callable[[Any], str]
        if column.encrypted:
            assert cipher is not None, "a store of encrypted attributes has its key (checked when opened)"
            where = f"{self.table.name}.{column.name}"
            text = lambda value: cipher.open(where, bytes(value))  # noqa: E731
        elif column.is_json:
            text = lambda value: _CANONICAL(json.loads(value))  # noqa: E731
        elif column.kind == "time":
            text = _time
        elif column.kind == "boolean":
            text = lambda value: "true" if value else "false"  # noqa: E731
        elif column.kind == "float":
            text = real_text
        elif column.kind == "integer":
            text = str
        else:
            text = _QUOTED
        view = column.view if wire else None
        if view is not None:
            plain = text
            text = lambda value: view.text(plain(value)) or "null"  # noqa: E731
        omit = wire and column.omit_empty and not column.encrypted and column.kind not in ("time", "ref")
        return _Field(key, text, omit)

    @staticmethod
    def _converter(column: Column) -> Callable[[Any], Any] | None:
        """What turns a value of ``Resource.to_row`` (SQLite's form) into PostgreSQL's, if anything."""
        if column.encrypted:
            return None
        if column.kind == "time":
            return lambda value: None if value is None else datetime.fromisoformat(value)
        if column.kind == "boolean":
            return lambda value: None if value is None else bool(value)
        return None

    def values(self, row: Row) -> list[Any]:
        values = list(row)
        for index, convert in enumerate(self.converters):
            if convert is not None:
                values[index] = convert(values[index])
        return values

    def wire_text(self, row: Sequence[Any]) -> str:
        """The wire form of a row that starts with ``wire_columns`` (a model that returns nothing
        selects one NULL there: no field reads it)."""
        return self.text(self.wire_fields, row[: len(self.wire_fields)])

    @staticmethod
    def text(fields: Sequence[_Field], row: Sequence[Any]) -> str:
        parts: list[str] = []
        for field_, value in zip(fields, row, strict=True):
            if value is None:
                continue
            text = field_.text(value)
            if field_.omit_empty and text in _EMPTY_TEXTS:
                continue
            parts.append(field_.key + text)
        return "{" + ",".join(parts) + "}"


def namespace_clause(column: str, namespace: str, recursive: bool) -> tuple[str, list[object]]:
    """``namespaces.sql_clause`` in PostgreSQL's SQL: the namespace, and if recursive all below it."""
    if not recursive:
        return f"{column} = %s", [namespace]
    if namespace == "/":
        return "TRUE", []
    # Below ns is exactly [ns + "/", ns + "0") in byte order ("0" follows "/", nothing between),
    # which the planner estimates well (a substr() test would hide how many rows match).
    return f"({column} = %s OR ({column} >= %s AND {column} < %s))", [namespace, namespace + "/", namespace + "0"]


def ddl(table: Table) -> list[str]:
    """CREATE statements of one table on PostgreSQL: the table, then its indexes."""
    # A capped table's rows are numbered by the store under the table's lock (see PostgresStore);
    # no default, so that a writer which does not take the lock fails rather than collides.
    numbering = "" if table.cap is not None else " GENERATED BY DEFAULT AS IDENTITY"
    columns = [f"{SEQUENCE} bigint{numbering} PRIMARY KEY"]
    for c in table.columns:
        if c is table.identifier:
            constraint = " NOT NULL UNIQUE"
        elif c.unique and not c.unique_in_namespace:
            constraint = " UNIQUE"
        else:
            constraint = ""
        columns.append(f"{c.quoted} {column_type(c)}{constraint}")
    columns.extend(f'{link} text COLLATE "C"' for link in table.links.values())
    if table.cap is not None:
        columns.append(f"{UPTO} bigint NOT NULL DEFAULT 0")
        columns.append(f"{SIZE} bigint NOT NULL DEFAULT 0")
    statements = [f"CREATE TABLE IF NOT EXISTS {table.quoted} (" + ", ".join(columns) + ")"]
    for name, keys in table.index_keys(member_sql).items():
        # NULLs first, as the store orders them; the arrival order last, as it breaks ties.
        ordered = [f"{key} NULLS FIRST" if key.startswith('"') else f"({key})" for key in keys]
        statements.append(f'CREATE INDEX IF NOT EXISTS "{name}" ON {table.quoted} ({", ".join([*ordered, SEQUENCE])})')
    for c in table.columns:
        if c.unique_in_namespace and table.namespace is not None:
            statements.append(
                f'CREATE UNIQUE INDEX IF NOT EXISTS "{table.name}_unique_{c.name}" ON {table.quoted}'
                f" ({table.namespace.quoted}, {c.quoted})"
            )
    return statements


class _Local(threading.local):
    deadline: float | None = None
    stop: Callable[[], bool] | None = None
    conn: psycopg.Connection[Any] | None = None  # the connection of this thread's write transaction


class PostgresStore:
    """The database of an API's models in PostgreSQL; see the module's docstring."""

    resources: Sequence[Resource[Any]] = ()
    dialect: Dialect = POSTGRES
    list_workers = PG_LIST_WORKERS
    spec_version = ""  # _api.yaml's version, recorded in the database
    migrated: Plan | None = None  # what opening the database did to bring it to the spec

    def __init__(
        self,
        url: str,
        *,
        caps: Mapping[str, int] | None = None,
        cap_bytes: Mapping[str, int] | None = None,
        resources: Sequence[Resource[Any]] | None = None,
        count_cache: int = 0,
        encryption_key: bytes | None = None,
        pool_size: int = POOL_SIZE,
        spec_version: str | None = None,
    ) -> None:
        """Connect to the database at ``url`` (``postgresql://user@host:port/name``), create the
        schema when missing, else check it; the options are ``store.Store``'s (``count_cache`` is
        accepted and unused: a log written all the time rarely asks the same count twice).

        StoreError when the database cannot be reached, its tables are not the spec's, a model
        needs what this store cannot do, or the encryption key is missing or not the database's."""
        del count_cache
        resources = self.resources if resources is None else resources
        if not resources:
            raise StoreError("a store keeps at least one model: pass resources=")
        if spec_version is not None:
            self.spec_version = spec_version
        self.url = url
        self.path = url  # what messages name the database by, as the SQLite store's path
        self._by_type: dict[type[Any], Resource[Any]] = {r.model: r for r in resources}
        self.tables = {r.table.name: r.table for r in resources}
        self._children = children_of(self.tables)
        self._cipher, self.caps, self.cap_bytes = store_options(self.tables, caps, cap_bytes, encryption_key)
        for table in self.tables.values():
            for c in table.columns:
                if c.exposed and c.needs_python and (c.filterable or c.orderable):
                    raise StoreError(
                        f"{table.name}.{c.attribute} is filterable or orderable and holds what a client may not"
                        " see (encrypted, or nested secret or hidden parts): only the SQLite store filters it"
                    )
        self._sql = {name: _TableSQL(table, self._cipher) for name, table in self.tables.items()}
        self._local = _Local()
        # Thread -> its connection, what stops its request and its deadline (see _watch).
        self._active: dict[int, tuple[psycopg.Connection[Any], Callable[[], bool] | None, float | None]] = {}
        self._active_lock = threading.Lock()
        self._closed = threading.Event()
        try:
            self._pool = ConnectionPool(
                url,
                min_size=1,
                max_size=pool_size,
                kwargs={"autocommit": True},
                configure=self._configure,
                open=False,
                timeout=BUDGET,
                name="specgen",
            )
            self._pool.open(wait=True, timeout=10)
        except (PoolTimeout, psycopg.Error) as exc:
            raise StoreError(f"{_safe(url)}: cannot connect: {_reason(exc)}") from None
        try:
            self._create_schema()
        except BaseException:
            self._pool.close()
            raise
        self._watcher = threading.Thread(target=self._watch, name="specgen-pg-cancel", daemon=True)
        self._watcher.start()

    @staticmethod
    def _configure(conn: psycopg.Connection[Any]) -> None:
        # No statement_timeout of the session: each request's budget is its own (_begin, _watch).
        conn.execute("SET TimeZone = 'UTC'")
        conn.adapters.register_loader("jsonb", TextLoader)  # the text, read once into canonical JSON

    # -- connections and budgets -----------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection for this thread's work (stopped with it when its budget ends)."""
        try:
            with self._pool.connection() as conn:
                ident = threading.get_ident()
                with self._active_lock:
                    self._active[ident] = (conn, self._local.stop, self._local.deadline)
                try:
                    yield conn
                finally:
                    with self._active_lock:
                        self._active.pop(ident, None)
        except PoolTimeout:
            raise StoreUnavailable("busy", "every connection to the database is in use; try again later") from None

    def _left(self) -> int:
        """Milliseconds the request has left (the whole budget outside one)."""
        deadline = self._local.deadline
        if deadline is None:
            return int(BUDGET * 1000)
        return max(1, int((deadline - time.monotonic()) * 1000))

    def _begin(self, conn: psycopg.Connection[Any], how: str = "BEGIN") -> None:
        """Open a transaction whose statements stop when the request's budget does."""
        conn.execute(f"{how}; SET LOCAL statement_timeout = {self._left()}")

    def _watch(self) -> None:
        """Send a cancel request for the work of a request past its deadline or given up (client
        gone, server stopping): a statement outside a transaction has no statement_timeout of its
        own (setting it would cost a round trip per request), so this is its budget, to within
        ``CANCEL_POLL``. Under the lock, so that a connection is never cancelled once its request
        has handed it back."""
        while not self._closed.wait(CANCEL_POLL):
            now = time.monotonic()
            with self._active_lock:
                for conn, stop, deadline in self._active.values():
                    if (deadline is not None and now > deadline) or (stop is not None and stop()):
                        with suppress(psycopg.Error):
                            conn.cancel_safe(timeout=1)

    def close(self) -> None:
        self._closed.set()
        self._pool.close()

    def interrupt(self) -> None:
        """Stop whatever every connection of this store is running now (from any thread)."""
        with self._active_lock:
            for conn, _, _ in self._active.values():
                with suppress(psycopg.Error):
                    conn.cancel_safe(timeout=1)

    @contextmanager
    def budget(self, deadline: float, stop: Callable[[], bool] | None = None) -> Iterator[None]:
        """Run the block's store work until ``deadline`` (``time.monotonic()``) or until ``stop()``
        is true; past either, StoreUnavailable says which."""
        if time.monotonic() > deadline:
            raise StoreUnavailable("budget", "the request waited its whole time budget for a worker; try again later")
        self._local.deadline, self._local.stop = deadline, stop
        try:
            with self.translated():
                yield
        except StoreUnavailable as exc:
            if exc.reason == "stopped":
                if stop is not None and stop():
                    raise StoreUnavailable("cancelled", "the request was cancelled") from None
                raise StoreUnavailable(
                    "budget",
                    "the request ran out of its time budget: narrow the filter or the page, or try again later",
                ) from None
            raise
        finally:
            self._local.deadline = self._local.stop = None

    @contextmanager
    def translated(self) -> Iterator[None]:
        """PostgreSQL errors that are no fault of the request, as StoreUnavailable; a regular
        expression PostgreSQL refuses as 400; the rest as they are."""
        try:
            yield
        except psycopg.errors.QueryCanceled:
            raise StoreUnavailable("stopped", "the request was stopped") from None
        except psycopg.errors.InvalidRegularExpression as exc:
            raise bad_request(f"q: not a valid regular expression: {_reason(exc)}", parameter="q") from None
        except (psycopg.errors.DiskFull, psycopg.errors.InsufficientResources) as exc:
            raise StoreUnavailable("full", f"the database cannot grow ({_reason(exc)})", status=507) from None
        except psycopg.errors.ReadOnlySqlTransaction as exc:
            raise StoreUnavailable("read-only", f"the database cannot be written ({_reason(exc)})") from None
        except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure, psycopg.errors.LockNotAvailable):
            raise StoreUnavailable("busy", "the database is busy with other writers; try again later") from None
        except psycopg.OperationalError as exc:
            raise StoreUnavailable("unavailable", f"the database cannot be reached ({_reason(exc)})") from None

    # -- schema ----------------------------------------------------------------------------

    def _create_schema(self) -> None:
        """Make the tables of a new database; bring those of an older spec's database to the
        spec when that loses nothing (``migration``), in this one transaction; else refuse."""
        try:
            with self._pool.connection() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                conn.execute(JSON_TEXT_SQL)
                tables = list(self.tables.values())
                plan = pg_schema.plan_for(conn, tables, ddl, self.spec_version)
                if not plan.additive:
                    raise MigrationNeeded(_safe(self.url), plan)
                pg_schema.apply(conn, plan, tables)
                if self._cipher is not None:
                    self._check_key(conn, self._cipher)
            self.migrated = plan
        except MigrationError as exc:
            raise StoreError(f"{_safe(self.url)}: {exc}; nothing was changed") from None
        except psycopg.Error as exc:
            raise StoreError(f"{_safe(self.url)}: {_reason(exc)}") from None

    def _check_key(self, conn: psycopg.Connection[Any], cipher: Cipher) -> None:
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {KEY_CHECK} (id integer PRIMARY KEY CHECK (id = 1), sealed bytea NOT NULL)"
        )
        row = conn.execute(f"SELECT sealed FROM {KEY_CHECK} WHERE id = 1").fetchone()
        if row is None:
            conn.execute(f"INSERT INTO {KEY_CHECK} (id, sealed) VALUES (1, %s)", (cipher.seal("key", _KEY_CHECK_TEXT),))
            return
        try:
            cipher.open("key", bytes(row[0]))
        except CipherError:
            raise StoreError(
                f"{_safe(self.url)}: the encryption key is not the one this database was written with"
            ) from None

    # -- writes ----------------------------------------------------------------------------

    def row(self, resource: Resource[Any], obj: Any) -> list[Any]:
        """The column values of an object as PostgreSQL stores them: encrypted ones sealed."""
        row = resource.to_row(obj)
        table = resource.table
        values = self._sql[table.name].values(row)
        if table.encrypted_columns:
            cipher = self._cipher
            assert cipher is not None, "a store of encrypted attributes has its key (checked when opened)"
            for index, column in enumerate(table.columns):
                if column.encrypted and values[index] is not None:
                    values[index] = cipher.seal(f"{table.name}.{column.name}", str(values[index]))
        return values

    def _resource(self, obj: object) -> Resource[Any]:
        try:
            return self._by_type[type(obj)]
        except KeyError:
            raise TypeError(f"{type(obj).__name__} is not a model this store keeps") from None

    def record(self, obj: T) -> T:
        """Store one object (filling its ID and time if unset) and return it as stored."""
        return self.record_many([obj])[0]

    def record_many(self, objects: Iterable[T]) -> list[T]:
        """Store objects in one transaction: all of them, or none when one is refused."""
        prepared: list[tuple[Resource[Any], Any]] = []
        for obj in objects:
            resource = self._resource(obj)
            prepared.append((resource, resource.prepare(obj)))
        with self.translated(), self._connection() as conn:
            try:
                self._begin(conn)
                for start in range(0, len(prepared), BATCH):
                    batch = prepared[start : start + BATCH]
                    for table in {r.table.name: r.table for r, _ in batch}.values():
                        rows = [self._links(r, self.row(r, obj), None) for r, obj in batch if r.table is table]
                        self._insert(conn, table, rows)
                conn.execute("COMMIT")
            except psycopg.errors.UniqueViolation as exc:
                conn.execute("ROLLBACK")
                raise InvalidRecord(
                    [error_object(409, f"an object with the same unique value exists ({_reason(exc)})")]
                ) from None
            except BaseException:
                _rollback(conn)
                raise
            if len(prepared) >= BATCH:
                conn.execute("ANALYZE")  # statistics for the planner after a bulk load
        return [obj for _, obj in prepared]

    @staticmethod
    def _links(resource: Resource[Any], values: list[Any], parent: tuple[str, str] | None) -> list[Any]:
        links = resource.table.links
        return [*values, *(parent[1] if parent is not None and parent[0] == name else None for name in links)]

    def _insert(self, conn: psycopg.Connection[Any], table: Table, rows: list[list[Any]]) -> None:
        """Insert rows of one table; a capped one under its lock, numbered, then trimmed to its cap."""
        sql = self._sql[table.name]
        if not sql.capped:
            with conn.cursor() as cursor:
                cursor.executemany(sql.insert, rows)
            return
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key(table),))
        last = conn.execute(
            f"SELECT {SEQUENCE}, {UPTO} FROM {table.quoted} ORDER BY {SEQUENCE} DESC LIMIT 1"
        ).fetchone()
        sequence, upto = (int(last[0]), int(last[1])) if last is not None else (0, 0)
        numbered = []
        width = len(table.columns)
        for values in rows:
            size = sum(_size(v) for v in values[:width])
            sequence += 1
            upto += size
            numbered.append([*values, sequence, upto, size])
        with conn.cursor() as cursor:
            cursor.executemany(sql.insert, numbered)
        self._trim(conn, table)

    def _trim(self, conn: psycopg.Connection[Any], table: Table) -> None:
        """The newest rows that fit the cap in bytes and in entries stay (the lock is held)."""
        cap = self.caps[table.name]
        newest = f"(SELECT {UPTO} FROM {table.quoted} ORDER BY {SEQUENCE} DESC LIMIT 1)"
        conn.execute(
            f"DELETE FROM {table.quoted} WHERE {SEQUENCE} < coalesce((SELECT {SEQUENCE} FROM {table.quoted}"
            f" WHERE {UPTO} - {SIZE} >= {newest} - %s ORDER BY {SEQUENCE} LIMIT 1),"
            f" (SELECT max({SEQUENCE}) FROM {table.quoted}))",
            (self.cap_bytes[table.name],),
        )
        if table.deletes:  # the API deletes here too: the sequence may have gaps, find the N-th newest
            conn.execute(
                f"DELETE FROM {table.quoted} WHERE {SEQUENCE} <"
                f" (SELECT {SEQUENCE} FROM {table.quoted} ORDER BY {SEQUENCE} DESC LIMIT 1 OFFSET %s)",
                (cap - 1,),
            )
            return
        conn.execute(
            f"DELETE FROM {table.quoted} WHERE {SEQUENCE} <= (SELECT max({SEQUENCE}) FROM {table.quoted}) - %s",
            (cap,),
        )

    def insert(self, conn: psycopg.Connection[Any], obj: Any, parent: tuple[str, str] | None = None) -> Any:
        """Prepare and insert one object inside the caller's transaction, then apply the cap."""
        resource = self._resource(obj)
        prepared = resource.prepare(obj)
        self._insert(conn, resource.table, [self._links(resource, self.row(resource, prepared), parent)])
        return prepared

    @contextmanager
    def transaction(self) -> Iterator[PostgresTransaction]:
        """One write transaction of the API: committed when the block ends, rolled back if it raises."""
        with self._connection() as conn:
            self._begin(conn)
            self._local.conn = conn
            try:
                yield PostgresTransaction(conn, self)
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
            finally:
                self._local.conn = None

    def unlink(self, conn: psycopg.Connection[Any], parent: Table, identifier: str) -> None:
        """After a delete: the objects that lived under it stay, under no parent."""
        for child, link in self._children.get(parent.name, ()):
            conn.execute(f"UPDATE {child.quoted} SET {link} = NULL WHERE {link} = %s", (identifier,))

    def children(self, parent: str, identifier: str, child: str) -> int:
        """How many ``child`` objects live under the ``parent`` object with this identifier (inside
        this thread's write transaction when there is one)."""
        table = self.tables[child]
        link = table.links.get(parent)
        if link is None:
            raise KeyError(f"{child} does not live under {parent}")
        sql = f"SELECT count(*) FROM {table.quoted} WHERE {link} = %s"
        if self._local.conn is not None:
            return int(_one(self._local.conn.execute(sql, (identifier,))))
        with self.translated(), self._connection() as conn:
            return int(_one(conn.execute(sql, (identifier,))))

    # -- reads -----------------------------------------------------------------------------

    def count(self, table: Table) -> int:
        with self.translated(), self._connection() as conn:
            return int(_one(conn.execute(f"SELECT count(*) FROM {table.quoted}")))

    def list(
        self,
        table: Table,
        namespace: str,
        query: ListQuery,
        max_bytes: int = MAX_RESPONSE_BYTES,
        parent: tuple[Table, str] | None = None,
    ) -> tuple[str, int]:
        """One page as a JSON array text, and the count of all matches before paging, read in one
        snapshot; ``parent`` as ``store.Store.list``."""
        if query.dialect.name != POSTGRES.name:
            raise ValueError("the query was compiled for another store's SQL")
        conditions: list[str] = []
        params: list[object] = []
        if table.namespace is not None:
            clause, values = namespace_clause(table.namespace.quoted, namespace, query.recursive)
            conditions.append(clause)
            params.extend(values)
        if parent is not None:
            conditions.append(f"{table.links[parent[0].name]} = %s")
            params.append(parent[1])
        if query.where:
            conditions.append(query.where)
            params.extend(query.params)
        where = " AND ".join(conditions) or "TRUE"
        sql = self._sql[table.name]
        with self._connection() as conn:
            if parent is None:
                # One statement, so one snapshot: the count and the page agree, in one round trip.
                page = (
                    f"SELECT {sql.page_columns} FROM {table.quoted} WHERE {where}"
                    f" ORDER BY {query.order_by} LIMIT %s OFFSET %s"
                )
                rows = conn.execute(
                    f"WITH total AS MATERIALIZED (SELECT count(*) AS n FROM {table.quoted} WHERE {where})"
                    f" SELECT total.n, page.* FROM total LEFT JOIN LATERAL ({page}) AS page ON TRUE"
                    f" ORDER BY {query.order_by}",
                    [*params, *params, query.limit, query.offset],
                ).fetchall()
                total = int(rows[0][0])
                if rows[0][1] is None:  # no page: the count alone
                    return "[]", total
                positions = [p + 1 for p in sql.page_wire]
                return self._page(sql, ([row[p] for p in positions] for row in rows), max_bytes), total
            self._begin(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                if not self._visible(conn, parent[0], parent[1], namespace, query.recursive):
                    key = parent[0].identifier
                    assert key is not None, "a parent has an identifier (the spec validator ensures one)"
                    raise not_found(parent[0].name, key.attribute, parent[1], namespace)
                total = int(_one(conn.execute(f"SELECT count(*) FROM {table.quoted} WHERE {where}", params)))
                if total <= query.offset:
                    return "[]", total
                cursor = conn.execute(
                    f"SELECT {sql.wire_columns} FROM {table.quoted} WHERE {where}"
                    f" ORDER BY {query.order_by} LIMIT %s OFFSET %s",
                    [*params, query.limit, query.offset],
                )
                return self._page(sql, cursor, max_bytes), total
            finally:
                _rollback(conn)

    @staticmethod
    def _page(sql: _TableSQL, rows: Iterable[Sequence[Any]], max_bytes: int) -> str:
        """The JSON array of a page's rows, refused (400) as soon as it passes ``max_bytes``."""
        objects: list[str] = []
        size = 1  # "[" and "]", less the comma the first object goes without
        for row in rows:
            text = sql.wire_text(row)
            size += len(text) + 1  # the object and the comma before it
            if size > max_bytes:
                raise page_too_large(max_bytes, len(objects))
            objects.append(text)
        return "[" + ",".join(objects) + "]"

    def _visible(
        self, conn: psycopg.Connection[Any], table: Table, identifier: str, namespace: str, recursive: bool
    ) -> bool:
        assert table.identifier is not None
        sql = f"SELECT 1 FROM {table.quoted} WHERE {table.identifier.quoted} = %s"
        params: list[object] = [identifier]
        if table.namespace is not None:
            clause, values = namespace_clause(table.namespace.quoted, namespace, recursive)
            sql += f" AND {clause}"
            params.extend(values)
        return conn.execute(sql, params).fetchone() is not None

    def retrieve(self, table: Table, identifier: str, namespace: str, recursive: bool) -> str | None:
        """One object as JSON text, or None when it does not exist in the namespace (or below it,
        if recursive)."""
        if table.identifier is None:
            return None
        sql = self._sql[table.name]
        where = f"{table.identifier.quoted} = %s"
        params: list[object] = [identifier]
        if table.namespace is not None:
            clause, values = namespace_clause(table.namespace.quoted, namespace, recursive)
            where += f" AND {clause}"
            params.extend(values)
        with self._connection() as conn:
            row = conn.execute(f"SELECT {sql.wire_columns} FROM {table.quoted} WHERE {where}", params).fetchone()
        return None if row is None else sql.wire_text(row)

    def _get(
        self, conn: psycopg.Connection[Any], table: Table, identifier: str, namespace: str, stored: bool
    ) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
        """An object in exactly this namespace: its wire form, and (``stored``) its stored form."""
        if table.identifier is None:
            return None
        sql = self._sql[table.name]
        columns = sql.wire_columns + (f", {sql.stored_columns}" if stored else "")
        where = f"{table.identifier.quoted} = %s"
        params: list[object] = [identifier]
        if table.namespace is not None:
            where += f" AND {table.namespace.quoted} = %s"
            params.append(namespace)
        row = conn.execute(f"SELECT {columns} FROM {table.quoted} WHERE {where}", params).fetchone()
        if row is None:
            return None
        width = max(1, len(sql.wire_fields))  # a model that returns nothing selects one NULL
        wire = json.loads(sql.wire_text(row))
        if not stored:
            return wire, None
        return wire, json.loads(sql.text(sql.stored_fields, row[width:]))


class PostgresTransaction:
    """One write transaction on PostgreSQL: ``transaction.Transaction``'s interface, with a lock per
    table written in place of SQLite's one writer at a time (see ``PostgresStore``)."""

    def __init__(self, conn: psycopg.Connection[Any], store: PostgresStore) -> None:
        self._conn = conn
        self.store = store
        self._locked: set[str] = set()

    def _lock(self, table: Table) -> None:
        if table.name not in self._locked:
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key(table),))
            self._locked.add(table.name)

    def get(self, table: Table, identifier: str, namespace: str) -> dict[str, Any] | None:
        found = self.store._get(self._conn, table, identifier, namespace, stored=False)
        return None if found is None else found[0]

    def get_both(self, table: Table, identifier: str, namespace: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        self._lock(table)  # the object read is the one written: no other server writes it in between
        found = self.store._get(self._conn, table, identifier, namespace, stored=True)
        if found is None or found[1] is None:
            return None
        return found[0], found[1]

    def exists(self, table: Table, identifier: str, namespace: str) -> bool:
        if table.identifier is None:
            return False
        sql = f"SELECT 1 FROM {table.quoted} WHERE {table.identifier.quoted} = %s"
        params: list[object] = [identifier]
        if table.namespace is not None:
            sql += f" AND {table.namespace.quoted} = %s"
            params.append(namespace)
        return self._conn.execute(sql, params).fetchone() is not None

    def record(self, obj: Any) -> Any:
        return self.store.insert(self._conn, obj)

    def insert(self, resource: Resource[Any], obj: Any, parent: tuple[str, str] | None = None) -> Any:
        clashes = self.clashes(resource, obj, None)
        if clashes:
            raise InvalidRecord(clashes)
        return self.store.insert(self._conn, obj, parent)

    def replace(self, resource: Resource[Any], identifier: str, obj: Any) -> Any:
        clashes = self.clashes(resource, obj, identifier)
        if clashes:
            raise InvalidRecord(clashes)
        sql = self.store._sql[resource.table.name]
        self._conn.execute(sql.update, (*self.store.row(resource, obj), identifier))
        return obj

    def delete(self, table: Table, identifier: str) -> None:
        self._lock(table)
        self._conn.execute(self.store._sql[table.name].delete, (identifier,))
        self.store.unlink(self._conn, table, identifier)

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """A part of the transaction undone alone when it raises (a savepoint)."""
        with self._conn.transaction():
            yield

    def clashes(self, resource: Resource[Any], obj: Any, identifier: str | None) -> list[ErrorObject]:
        """A 422 error per unique value of ``obj`` another object already has (see
        ``transaction.Transaction.clashes``), checked under the table's lock."""
        table = resource.table
        if not table.unique_columns:
            return []
        self._lock(table)
        row = resource.to_row(obj)
        values = self.store._sql[table.name].values(row)
        checks = unique_checks(table, row, values, identifier, "%s")
        return [check.clash() for check in checks if self._conn.execute(check.sql, check.params).fetchone()]


def _one(cursor: psycopg.Cursor[Any]) -> Any:
    row = cursor.fetchone()
    assert row is not None, "an aggregate gives one row"
    return row[0]


def _rollback(conn: psycopg.Connection[Any]) -> None:
    """Roll back what is still open (nothing when the connection has already lost it)."""
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE and not conn.closed:
        with suppress(psycopg.Error):
            conn.execute("ROLLBACK")


def _reason(exc: BaseException) -> str:
    """The first line of a driver's message, without the SQL it may quote."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# Connection parameters a message never shows.
_SECRET_PARAMETERS = frozenset({"password", "sslpassword"})


def _safe(url: str) -> str:
    """A database URL without its password, for messages: the other parameters stay (a
    ``search_path`` in ``options`` names where the tables are, so a `--db` copied from the
    message reaches the same tables)."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return "the database"
    host, port, name = info.get("host", ""), info.get("port", ""), info.get("dbname", "")
    rest = {
        key: str(value)
        for key, value in info.items()
        if key not in _SECRET_PARAMETERS and key not in ("host", "port", "dbname", "user")
    }
    if str(host).startswith("/"):  # a socket's folder: libpq reads it from the query, not the authority
        host, rest["host"] = "", str(host)
    query = f"?{urlencode(sorted(rest.items()), quote_via=quote)}" if rest else ""
    return f"postgresql://{info.get('user', '')}@{host}{':' + str(port) if port else ''}/{name}{query}"


def migrate_database(url: str, tables: Sequence[Table], spec_version: str, *, apply_plan: bool, drop: bool) -> Plan:
    """``specgen migrate`` on PostgreSQL: the plan and, when ``apply_plan``, the plan applied in
    one transaction, under the lock servers take to create or check the schema (so none starts
    half-way). What a step would drop is kept aside unless ``drop`` (see ``pg_schema``).
    MigrationError when the database cannot be reached or the data refuses a step."""
    try:
        with psycopg.connect(url, autocommit=False, connect_timeout=10) as conn:
            conn.execute("SET TimeZone = 'UTC'")
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            conn.execute(JSON_TEXT_SQL)
            plan = pg_schema.plan_for(conn, tables, ddl, spec_version, drop=drop)
            if not apply_plan or not plan.steps:
                conn.rollback()
                return plan
            pg_schema.apply(conn, plan, tables)
            conn.commit()
            return plan
    except MigrationError as exc:
        raise MigrationError(f"{_safe(url)}: {exc}; nothing was changed") from None
    except psycopg.Error as exc:
        raise MigrationError(f"{_safe(url)}: {_reason(exc)}; nothing was changed") from None
