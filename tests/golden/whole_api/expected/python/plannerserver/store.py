# Copied by specgen from generator/runtime/server/store.py, the same in every API. Do not edit by hand.
"""The SQLite store: one file, WAL mode, a table per model, capped logs trimmed on write.

One connection per thread (SQLite connections are not shared across threads); WAL lets
readers go on while one writer writes. Every list reads its count and its page in one read
transaction, so the two agree even while a writer is adding entries.

Work run inside ``Store.budget(deadline)`` stops when the deadline passes (SQLite's progress
handler, checked every ``PROGRESS_STEPS`` virtual-machine steps) or when its ``stop()`` turns
true. What SQLite cannot do right now (stopped, busy with another writer, read-only, full) is
raised as ``StoreUnavailable``, never as a driver error, so the API can answer 503 or 507.

Encrypted attributes (``table.Column.encrypted``) are sealed here on their way in and opened
by an SQL function on their way out, with the key given to ``Store``: a store of a model
with one refuses to open without it, or with another key than the database was written with.

Objects created under a parent carry its identifier in a link column (``Table.links``); a list
under a parent checks the parent is visible in the same read transaction as its page. Deleting
an object unlinks the objects that lived under it (``unlink``): they stay, under no parent.

What is SQLite's own here (``postgres.PostgresStore`` is the other store, behind the same
``backend.Backend``): the wire form is built in SQL, with Python functions registered on each
connection for the columns whose ``Column.needs_python`` is true (PostgreSQL's builds it in Python from typed
columns); the spec's indexes on paths are ``json_extract`` expressions; writers take turns with
``BEGIN IMMEDIATE`` (PostgreSQL: an advisory lock per table written); a budget is the progress
handler (PostgreSQL: statement_timeout and cancel requests).
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import sqlite_schema
from .crypto import Cipher, CipherError
from .errors import InvalidRecord, StoreUnavailable, error_object, not_found, page_too_large
from .limits import BUSY_TIMEOUT, DEFAULT_CAP_BYTES, LIST_WORKERS, MAX_RESPONSE_BYTES, PROGRESS_STEPS
from .migration import MigrationError, Plan
from .namespaces import is_within, sql_clause
from .params import ListQuery
from .sql import REGEXP_FUNCTION, SQLITE, Dialect, regexp
from .table import OPEN_FUNCTION, SEQUENCE, UPTO, VIEW_FUNCTION, Resource, Row, Table, quote

if TYPE_CHECKING:
    from .backend import WriteTransaction

T = TypeVar("T")
BATCH = 1000  # rows per executemany; the cap is applied after each batch
# SQLite's primary result codes (the low byte of an extended code) that are no fault of the request.
_INTERRUPT, _BUSY, _LOCKED, _READONLY, _FULL, _CANTOPEN, _IOERR = 9, 5, 6, 8, 13, 14, 10
# Where a store with encrypted attributes keeps a value sealed with its key, to know the key again.
KEY_CHECK = '"_specgen_key"'
_KEY_CHECK_TEXT = '"specgen encryption key check"'


class StoreError(Exception):
    """The database cannot be opened or does not fit the spec; the message says which."""


class MigrationNeeded(StoreError):
    """The database was made by a spec whose tables differ in ways that lose or rewrite data:
    ``specgen migrate`` shows and applies the plan."""

    def __init__(self, path: Path | str, plan: Plan) -> None:
        self.path, self.plan = path, plan
        super().__init__(self.explain("specgen migrate"))

    def explain(self, command: str, db: str | None = None) -> str:
        """The refusal, naming ``command`` (``specgen migrate`` with the options to find the specs)
        and ``db`` (the database as the command was given it; default: its path or safe URL)."""
        steps = "".join(f"\n  {line}" for line in self.plan.lines(sql=False))
        where = shlex.quote(db if db is not None else str(self.path))
        return (
            f"{self.path}: the spec changed in ways that lose or rewrite stored data, so nothing was changed:{steps}\n"
            f"see the plan with `{command} --db {where} --dry-run`, then apply it with"
            f" `{command} --db {where}` (it keeps a backup)"
        )


class Store:
    """The database of an API's models. The generated package's ``Store`` names its models in
    ``resources``, so that ``Store(path)`` opens the API's database; ``resources=`` overrides them."""

    resources: Sequence[Resource[Any]] = ()
    dialect: Dialect = SQLITE
    list_workers = LIST_WORKERS  # SQLite works in this process: about one list per core
    spec_version = ""  # _api.yaml's version, recorded in the database (the generated Store sets it)
    migrated: Plan | None = None  # what opening the database did to bring it to the spec

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        caps: Mapping[str, int] | None = None,
        cap_bytes: Mapping[str, int] | None = None,
        resources: Sequence[Resource[Any]] | None = None,
        count_cache: int = 256,
        encryption_key: bytes | None = None,
        spec_version: str | None = None,
    ) -> None:
        """Open (creating if needed, readable by its owner only) the database; ``caps`` overrides
        a capped table's size in entries by model name, ``cap_bytes`` its size in bytes (default
        ``DEFAULT_CAP_BYTES``); ``count_cache`` is how many list counts each thread remembers (0: none);
        ``encryption_key`` (32 bytes, see ``crypto.parse_key``) seals the encrypted attributes;
        ``spec_version`` is what the database records (default: the class's ``spec_version``).

        StoreError when the file cannot be written, its tables are not the ones the spec
        wants (columns, types and constraints), or a model keeps encrypted attributes and the
        key is missing or not the one the database was written with."""
        resources = self.resources if resources is None else resources
        if not resources:
            raise StoreError("a store keeps at least one model: pass resources=")
        if spec_version is not None:
            self.spec_version = spec_version
        self.path = Path(path)
        if not self.path.parent.is_dir():
            raise StoreError(f"{self.path}: folder {self.path.parent} does not exist")
        self._by_type: dict[type[Any], Resource[Any]] = {r.model: r for r in resources}
        self.tables = {r.table.name: r.table for r in resources}
        self._children = children_of(self.tables)
        self._cipher, self.caps, self.cap_bytes = store_options(self.tables, caps, cap_bytes, encryption_key)
        try:  # created owner-only; SQLite gives its -wal and -shm files the same mode
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass
        except OSError as exc:
            raise StoreError(f"{self.path}: {exc.strerror or exc}") from None
        self._local = threading.local()
        self._count_cache = count_cache
        self._writes = 0  # bumped by every write through this store, from any thread
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            with self.translated():
                self._create_schema()
        except StoreError:
            self.close()
            raise
        except StoreUnavailable as exc:
            self.close()
            raise StoreError(f"{self.path}: {exc}") from None
        except sqlite3.Error as exc:
            self.close()
            raise StoreError(f"{self.path}: {exc}") from None

    # -- connections -----------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, nothing implicit.
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, cached_statements=256)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; safe with WAL
            conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            conn.create_function(REGEXP_FUNCTION, 2, regexp, deterministic=True)
            if self._cipher is not None:
                conn.create_function(OPEN_FUNCTION, 3, self._open, deterministic=True)
            if any(c.view is not None for t in self.tables.values() for c in t.columns):
                conn.create_function(VIEW_FUNCTION, 3, self._view, deterministic=True)
            conn.set_progress_handler(self._progress, PROGRESS_STEPS)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def _open(self, table: str, column: str, stored: bytes | None) -> str | None:
        """The SQL function OPEN_FUNCTION: a sealed value's JSON text."""
        if stored is None:
            return None
        assert self._cipher is not None
        return self._cipher.open(f"{table}.{column}", stored)

    def _view(self, table: str, column: str, text: str | None) -> str | None:
        """The SQL function VIEW_FUNCTION: a nested value without what a client may not see."""
        view = self.tables[table].by_name[column].view
        assert view is not None
        return view.text(text)

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def interrupt(self) -> None:
        """Stop whatever every connection of this store is running now (from any thread)."""
        with self._lock:
            for conn in self._connections:
                conn.interrupt()

    # -- budgets ---------------------------------------------------------------------------

    def _progress(self) -> int:
        """SQLite's progress handler: non-zero stops the running statement (SQLITE_INTERRUPT)."""
        deadline: float | None = getattr(self._local, "deadline", None)
        if deadline is None:
            return 0
        stop: Callable[[], bool] | None = self._local.stop
        return int(time.monotonic() > deadline or (stop is not None and stop()))

    @contextmanager
    def budget(self, deadline: float, stop: Callable[[], bool] | None = None) -> Iterator[None]:
        """Run the block's store work on this thread until ``deadline`` (``time.monotonic()``)
        or until ``stop()`` is true; past either, StoreUnavailable says which."""
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
            conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
            if conn is not None and conn.in_transaction:  # an interrupted read leaves its transaction open
                conn.execute("ROLLBACK")

    @contextmanager
    def translated(self) -> Iterator[None]:
        """SQLite errors that are no fault of the request, as StoreUnavailable; the rest as they are."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
            if code == _INTERRUPT:
                raise StoreUnavailable("stopped", "the request was stopped") from None
            if code in (_BUSY, _LOCKED):
                raise StoreUnavailable(
                    "busy",
                    f"the database is busy: another process (such as specgen load) has held it for {BUSY_TIMEOUT:g} s;"
                    " try again later",
                ) from None
            if code in (_READONLY, _CANTOPEN, _IOERR):
                raise StoreUnavailable(
                    "read-only", f"the database cannot be written ({exc}): check the permissions of its file and folder"
                ) from None
            if code == _FULL:
                raise StoreUnavailable("full", f"the database cannot grow ({exc})", status=507) from None
            raise

    def _create_schema(self) -> None:
        """Make the tables of a new database; bring those of an older spec's database to the
        spec when that loses nothing (``migration``), in this one transaction; else refuse."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            tables = list(self.tables.values())
            plan = sqlite_schema.plan_for(conn, tables, self.spec_version)
            if not plan.additive:
                raise MigrationNeeded(self.path, plan)
            try:
                sqlite_schema.apply(conn, plan, tables)
            except MigrationError as exc:
                raise StoreError(f"{self.path}: {exc}; nothing was changed") from None
            if self._cipher is not None:
                self._check_key(conn, self._cipher)
            # A write, so that a database this process cannot write is refused now, not at the
            # first request (the same version number: nothing changes).
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
            self.migrated = plan
        except BaseException:
            self._rollback(conn)
            raise

    def _check_key(self, conn: sqlite3.Connection, cipher: Cipher) -> None:
        """Seal a known text with the key in a new database; in an existing one, open it again."""
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {KEY_CHECK} (id INTEGER PRIMARY KEY CHECK (id = 1), sealed BLOB NOT NULL)"
        )
        row = conn.execute(f"SELECT sealed FROM {KEY_CHECK} WHERE id = 1").fetchone()
        if row is None:
            conn.execute(f"INSERT INTO {KEY_CHECK} (id, sealed) VALUES (1, ?)", (cipher.seal("key", _KEY_CHECK_TEXT),))
            return
        try:
            cipher.open("key", row[0])
        except CipherError:
            raise StoreError(f"{self.path}: the encryption key is not the one this database was written with") from None

    # -- writes ----------------------------------------------------------------------------

    def row(self, resource: Resource[Any], obj: Any) -> Row:
        """The column values of an object as stored: encrypted ones sealed."""
        row = resource.to_row(obj)
        table = resource.table
        if not table.encrypted_columns:
            return row
        cipher = self._cipher
        assert cipher is not None, "a store of encrypted attributes has its key (checked when opened)"
        values = list(row)
        for index, column in enumerate(table.columns):
            if column.encrypted and values[index] is not None:
                values[index] = cipher.seal(f"{table.name}.{column.name}", str(values[index]))
        return tuple(values)

    def _insert_row(self, resource: Resource[Any], obj: Any, parent: tuple[str, str] | None = None) -> Row:
        """``row`` with the link columns after it: the parent's identifier under its model's link."""
        row = self.row(resource, obj)
        links = resource.table.links
        if not links:
            return row
        return (*row, *(parent[1] if parent is not None and parent[0] == name else None for name in links))

    def _resource(self, obj: object) -> Resource[Any]:
        try:
            return self._by_type[type(obj)]
        except KeyError:
            raise TypeError(f"{type(obj).__name__} is not a model this store keeps") from None

    def record(self, obj: T) -> T:
        """Store one object (filling its ID and time if unset) and return it as stored."""
        return self.record_many([obj])[0]

    def record_many(self, objects: Iterable[T]) -> list[T]:
        """Store objects in one transaction: all of them, or none when one is refused.

        Capped logs keep only their newest entries (by arrival); older ones are deleted.
        """
        prepared: list[tuple[Resource[Any], Any]] = []
        for obj in objects:
            resource = self._resource(obj)
            prepared.append((resource, resource.prepare(obj)))
        conn = self._connection()
        with self.translated():
            return self._record(conn, prepared)

    def _record(self, conn: sqlite3.Connection, prepared: list[tuple[Resource[Any], Any]]) -> list[Any]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for start in range(0, len(prepared), BATCH):
                batch = prepared[start : start + BATCH]
                for table in {r.table.name: r.table for r, _ in batch}.values():
                    rows = [self._insert_row(r, obj) for r, obj in batch if r.table is table]
                    conn.executemany(table.insert_sql, rows)
                    self._trim(conn, table)
            conn.execute("COMMIT")
            self._writes += 1
        except sqlite3.IntegrityError as exc:
            self._rollback(conn)
            raise InvalidRecord([error_object(409, f"an object with the same unique value exists ({exc})")]) from None
        except BaseException:
            self._rollback(conn)
            raise
        if len(prepared) >= BATCH:
            conn.execute("ANALYZE")  # statistics for the planner after a bulk load (milliseconds)
        return [obj for _, obj in prepared]

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection inside one write transaction (``BEGIN IMMEDIATE``: one writer
        at a time), committed when the block ends, rolled back if it raises."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
            self._writes += 1
        except BaseException:
            self._rollback(conn)
            raise

    @contextmanager
    def transaction(self) -> Iterator[WriteTransaction]:
        """One write transaction of the API (see ``transaction``): ``writing``, with what a write does in it."""
        from .transaction import Transaction  # imported here: it builds on this module

        with self.writing() as conn:
            yield Transaction(conn, self)

    def _rollback(self, conn: sqlite3.Connection) -> None:
        """Roll back what is still open: SQLite has already rolled back a write it interrupted."""
        if conn.in_transaction:
            deadline = getattr(self._local, "deadline", None)
            self._local.deadline = None  # a rollback is never stopped half-way
            try:
                conn.execute("ROLLBACK")
            finally:
                self._local.deadline = deadline

    def insert(self, conn: sqlite3.Connection, obj: T, parent: tuple[str, str] | None = None) -> T:
        """Prepare and insert one object inside the caller's transaction, then apply the cap;
        ``parent`` (model name, identifier) links it to the parent it is created under."""
        resource = self._resource(obj)
        prepared: T = resource.prepare(obj)
        conn.execute(resource.table.insert_sql, self._insert_row(resource, prepared, parent))
        self._trim(conn, resource.table)
        return prepared

    def unlink(self, conn: sqlite3.Connection, parent: Table, identifier: str) -> None:
        """After a delete: the objects that lived under it stay, and belong to no parent any more
        (so that a new object given the same identifier does not adopt them)."""
        for child, link in self._children.get(parent.name, ()):
            conn.execute(f"UPDATE {child.quoted} SET {link} = NULL WHERE {link} = ?", (identifier,))

    def children(self, parent: str, identifier: str, child: str) -> int:
        """How many ``child`` objects live under the ``parent`` object with this identifier
        (on this thread's connection: inside the write transaction of a processor's write)."""
        table = self.tables[child]
        link = table.links.get(parent)
        if link is None:
            raise KeyError(f"{child} does not live under {parent}")
        row = self._connection().execute(f"SELECT count(*) FROM {table.quoted} WHERE {link} = ?", (identifier,))
        return int(row.fetchone()[0])

    def _trim(self, conn: sqlite3.Connection, table: Table) -> None:
        cap = self.caps.get(table.name)
        if cap is None:
            return
        # Bytes first: a row starts UPTO - its own size bytes into the table's history; the rows
        # that start at least newest UPTO - cap bytes in hold at most the cap, and the others go.
        # Starts grow with the sequence, so finding the first to keep reads only the rows that
        # go; the newest row stays, whatever its size.
        newest = f"(SELECT {UPTO} FROM {table.quoted} ORDER BY {SEQUENCE} DESC LIMIT 1)"
        conn.execute(
            f"DELETE FROM {table.quoted} WHERE {SEQUENCE} < coalesce((SELECT {SEQUENCE} FROM {table.quoted}"
            f" WHERE {UPTO} - ({table.row_size_sql}) >= {newest} - ? ORDER BY {SEQUENCE} LIMIT 1),"
            f" (SELECT max({SEQUENCE}) FROM {table.quoted}))",
            (self.cap_bytes[table.name],),
        )
        if table.deletes:
            # The API deletes objects here, so the sequence may have gaps: find the N-th newest.
            conn.execute(
                f"DELETE FROM {table.quoted} WHERE {SEQUENCE} <"
                f" (SELECT {SEQUENCE} FROM {table.quoted} ORDER BY {SEQUENCE} DESC LIMIT 1 OFFSET ?)",
                (cap - 1,),
            )
            return
        # Without API deletes, only this trim ever deletes, and always the oldest, so the sequence
        # is contiguous and "keep the newest N" is a range delete on the primary key: no scan.
        conn.execute(
            f"DELETE FROM {table.quoted} WHERE {SEQUENCE} <= (SELECT max({SEQUENCE}) FROM {table.quoted}) - ?",
            (cap,),
        )

    # -- reads -----------------------------------------------------------------------------

    def count(self, table: Table) -> int:
        row = self._connection().execute(f"SELECT count(*) FROM {table.quoted}").fetchone()
        return int(row[0])

    def list(
        self,
        table: Table,
        namespace: str,
        query: ListQuery,
        max_bytes: int = MAX_RESPONSE_BYTES,
        parent: tuple[Table, str] | None = None,
    ) -> tuple[str, int]:
        """One page as a JSON array text, and the count of all matches before paging.

        A page whose JSON would pass ``max_bytes`` characters is refused (400, see
        ``page_too_large``) before more than that is built. ``parent`` (its table and
        identifier) lists the objects that live under it: 404 when the caller cannot see it
        (in the namespace, or below it when the list is recursive).
        """
        conditions: list[str] = []
        params: list[object] = []
        if table.namespace is not None:
            clause, values = sql_clause(table.namespace.quoted, namespace, query.recursive)
            conditions.append(clause)
            params.extend(values)
        if parent is not None:
            conditions.append(f"{table.links[parent[0].name]} = ?")
            params.append(parent[1])
        if query.where:
            conditions.append(query.where)
            params.extend(query.params)
        where = " AND ".join(conditions) or "1"
        conn = self._connection()
        conn.execute("BEGIN")
        try:
            if parent is not None and not self._visible(conn, parent[0], parent[1], namespace, query.recursive):
                key = parent[0].identifier
                assert key is not None, "a parent has an identifier (the spec validator ensures one)"
                raise not_found(parent[0].name, key.attribute, parent[1], namespace)
            total = self._count(conn, table, where, params)
            if total <= query.offset:
                return "[]", total
            hint = self._order_hint(conn, table, query, total)
            # Choose the page by row id first, then build JSON for those rows only: SQLite would
            # otherwise build it for every match before sorting them.
            page = (
                f"SELECT {SEQUENCE} FROM {table.quoted} {hint} WHERE {where} ORDER BY {query.order_by} LIMIT ? OFFSET ?"
            )
            cursor = conn.execute(
                f"SELECT {table.select_json} FROM {table.quoted} WHERE {SEQUENCE} IN ({page})"
                f" ORDER BY {query.order_by}",
                [*params, query.limit, query.offset],
            )
            objects: list[str] = []
            size = 1  # "[" and "]", less the comma the first object goes without
            for (text,) in cursor:  # row by row: a page over the byte limit stops as soon as it is
                size += len(text) + 1  # the object and the comma before it
                if size > max_bytes:
                    raise page_too_large(max_bytes, len(objects))
                objects.append(text)
        finally:
            self._rollback(conn)  # a read transaction: nothing to keep, and never stopped half-way
        return "[" + ",".join(objects) + "]", total

    def _count(self, conn: sqlite3.Connection, table: Table, where: str, params: Sequence[object]) -> int:
        """The number of matches, remembered until the database changes.

        Counting is the costly part of a list (it visits every match, not one page), and
        paging through a result or polling a log asks the same count again and again. A
        remembered count is dropped when ``PRAGMA data_version`` says another connection
        committed, or when this store wrote.
        """
        sql = f"SELECT count(*) FROM {table.quoted} WHERE {where}"
        if not self._count_cache:
            return int(conn.execute(sql, params).fetchone()[0])
        version = (conn.execute("PRAGMA data_version").fetchone()[0], self._writes)
        counts: OrderedDict[tuple[object, ...], int] | None = getattr(self._local, "counts", None)
        if counts is None or getattr(self._local, "version", None) != version:
            counts = self._local.counts = OrderedDict()
            self._local.version = version
        key = (sql, *params)
        if key in counts:
            counts.move_to_end(key)
            return counts[key]
        total = counts[key] = int(conn.execute(sql, params).fetchone()[0])
        if len(counts) > self._count_cache:
            counts.popitem(last=False)
        return total

    def _order_hint(self, conn: sqlite3.Connection, table: Table, query: ListQuery, total: int) -> str:
        """``INDEXED BY`` the order's index when walking it in order is the cheaper plan.

        SQLite's planner does not count on LIMIT stopping a walk early, so with a filter it
        prefers the filter's index and sorts every match. The store has just counted the
        matches: walking the order index visits about (offset + limit) * rows / total rows,
        sorting costs about total; it walks when that is less. Only for recursive lists: in
        one namespace, the (namespace, column) index already gives both.
        """
        column = query.order_column
        if column is None or table.order_index(column) not in table.indexes():
            return ""
        if table.namespace is not None and not query.recursive:
            return ""
        # Rows in the table from the ends of the primary key (contiguous, see _trim; with API
        # deletes an overestimate, which only makes walking the index look dearer); two
        # subqueries, because SQLite seeks a lone min() or max() but scans for both at once.
        ends = f"(SELECT max({SEQUENCE}) FROM {table.quoted}) - (SELECT min({SEQUENCE}) FROM {table.quoted}) + 1"
        rows = int(conn.execute(f"SELECT {ends}").fetchone()[0] or 0)
        if (query.offset + query.limit) * rows >= total * total:
            return ""
        return f"INDEXED BY {quote(table.order_index(column))}"

    def _visible(
        self, conn: sqlite3.Connection, table: Table, identifier: str, namespace: str, recursive: bool
    ) -> bool:
        """Whether the object exists in the namespace (or below it, if recursive)."""
        assert table.identifier is not None
        sql = f"SELECT 1 FROM {table.quoted} WHERE {table.identifier.quoted} = ?"
        params: list[object] = [identifier]
        if table.namespace is not None:
            clause, values = sql_clause(table.namespace.quoted, namespace, recursive)
            sql += f" AND {clause}"
            params.extend(values)
        return conn.execute(sql, params).fetchone() is not None

    def retrieve(self, table: Table, identifier: str, namespace: str, recursive: bool) -> str | None:
        """One object as JSON text, or None when it does not exist in the namespace (or below it,
        if recursive): an object in a namespace the caller cannot see does not exist for it."""
        if table.identifier is None:
            return None
        where_ns = table.namespace.quoted if table.namespace is not None else "NULL"
        row = (
            self._connection()
            .execute(
                f"SELECT {table.select_json}, {where_ns} FROM {table.quoted} WHERE {table.identifier.quoted} = ?",
                (identifier,),
            )
            .fetchone()
        )
        if row is None:
            return None
        body, stored_namespace = row
        if table.namespace is not None:
            visible = stored_namespace == namespace or (recursive and is_within(stored_namespace, namespace))
            if not visible:
                return None
        return str(body)


def children_of(tables: Mapping[str, Table]) -> dict[str, list[tuple[Table, str]]]:
    """Parent model name -> (child table, its link column) for every model living under it."""
    found: dict[str, list[tuple[Table, str]]] = {}
    for table in tables.values():
        for parent, link in table.links.items():
            found.setdefault(parent, []).append((table, link))
    return found


def store_options(
    tables: Mapping[str, Table],
    caps: Mapping[str, int] | None,
    cap_bytes: Mapping[str, int] | None,
    encryption_key: bytes | None,
) -> tuple[Cipher | None, dict[str, int], dict[str, int]]:
    """The cipher (when a model keeps encrypted attributes), the caps in entries and in bytes of
    every capped model, from a store's options (the same for every store); StoreError if wrong."""
    encrypted = sorted(t.name for t in tables.values() if t.encrypted_columns)
    cipher: Cipher | None = None
    if encrypted:
        if encryption_key is None:
            raise StoreError(
                f"{', '.join(encrypted)} {'keeps' if len(encrypted) == 1 else 'keep'} encrypted attributes:"
                " the store needs the encryption key they were (or will be) sealed with"
            )
        try:
            cipher = Cipher(encryption_key)
        except CipherError as exc:
            raise StoreError(str(exc)) from None
    entries = {name: table.cap for name, table in tables.items() if table.cap is not None}
    for name, cap in (caps or {}).items():
        if name not in entries:
            raise StoreError(f"{name} is not a capped model (capped: {', '.join(sorted(entries)) or 'none'})")
        if cap < 1:
            raise StoreError(f"the cap of {name} must be at least 1, not {cap}")
        entries[name] = cap
    sizes = dict.fromkeys(entries, DEFAULT_CAP_BYTES)
    for name, size in (cap_bytes or {}).items():
        if name not in sizes:
            raise StoreError(f"{name} is not a capped model (capped: {', '.join(sorted(entries)) or 'none'})")
        if size < 1:
            raise StoreError(f"the byte cap of {name} must be at least 1, not {size}")
        sizes[name] = size
    return cipher, entries, sizes
