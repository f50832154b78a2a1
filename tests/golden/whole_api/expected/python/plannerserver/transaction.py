# Copied by specgen from generator/runtime/server/transaction.py, the same in every API. Do not edit by hand.
"""One write transaction of the store: what a create, update or delete of the API does.

``transaction(store)`` opens it, so reading the stored object, checking unique values and
writing happen with nothing in between, and the write and its activity are committed together
or not at all. On SQLite (``Transaction``, here) it is ``BEGIN IMMEDIATE``: one writer at a
time; PostgreSQL's (``postgres.PostgresTransaction``) takes a lock per table written instead.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .backend import Backend, WriteTransaction
from .errors import ErrorObject, InvalidRecord
from .store import Store
from .table import Resource, Table
from .unique import unique_checks


@contextmanager
def transaction(store: Backend) -> Iterator[WriteTransaction]:
    """One write transaction: committed when the block ends, rolled back if it raises."""
    with store.transaction() as tx:
        yield tx


class Transaction:
    def __init__(self, conn: sqlite3.Connection, store: Store) -> None:
        self._conn = conn
        self.store = store

    def get(self, table: Table, identifier: str, namespace: str) -> dict[str, Any] | None:
        """The object with this identifier in exactly this namespace, in the wire form; or None."""
        found = self._get(table, identifier, namespace, table.select_json)
        return None if found is None else found[0]

    def get_both(self, table: Table, identifier: str, namespace: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The object as ``get`` gives it, and in the store's own form (``Table.select_stored``:
        hidden and secret attributes too, encrypted ones opened); or None."""
        found: tuple[dict[str, Any], dict[str, Any]] | None = self._get(
            table, identifier, namespace, f"{table.select_json}, {table.select_stored}"
        )
        return found

    def exists(self, table: Table, identifier: str, namespace: str) -> bool:
        """Whether the object with this identifier is in exactly this namespace."""
        return self._get(table, identifier, namespace, "1") is not None

    def _get(self, table: Table, identifier: str, namespace: str, select: str) -> Any:
        if table.identifier is None:
            return None
        sql = f"SELECT {select} FROM {table.quoted} WHERE {table.identifier.quoted} = ?"
        params: list[object] = [identifier]
        if table.namespace is not None:
            sql += f" AND {table.namespace.quoted} = ?"
            params.append(namespace)
        row = self._conn.execute(sql, params).fetchone()
        if row is None:
            return None
        return tuple(json.loads(value) if isinstance(value, str) else value for value in row)

    def record(self, obj: Any) -> Any:
        """Store one object as ``Store.record`` does (prepared, capped log trimmed), in this transaction."""
        return self.store.insert(self._conn, obj)

    def insert(self, resource: Resource[Any], obj: Any, parent: tuple[str, str] | None = None) -> Any:
        """Store a new object (under ``parent``: its model and identifier, if given); InvalidRecord
        (422) when a unique value is already used."""
        clashes = self.clashes(resource, obj, None)
        if clashes:
            raise InvalidRecord(clashes)
        return self.store.insert(self._conn, obj, parent)

    def replace(self, resource: Resource[Any], identifier: str, obj: Any) -> Any:
        """Overwrite the object with this identifier; InvalidRecord (422) on a unique clash."""
        clashes = self.clashes(resource, obj, identifier)
        if clashes:
            raise InvalidRecord(clashes)
        self._conn.execute(resource.table.update_sql, (*self.store.row(resource, obj), identifier))
        return obj

    def delete(self, table: Table, identifier: str) -> None:
        """Delete the object; the objects that lived under it stay (see ``Store.unlink``)."""
        self._conn.execute(table.delete_sql, (identifier,))
        self.store.unlink(self._conn, table, identifier)

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """A part of the transaction undone alone when it raises (a savepoint): a refused write
        leaves nothing behind, and its activity is still recorded after it."""
        self._conn.execute("SAVEPOINT attempt")
        try:
            yield
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK TO attempt")
                self._conn.execute("RELEASE attempt")
            raise
        self._conn.execute("RELEASE attempt")

    def clashes(self, resource: Resource[Any], obj: Any, identifier: str | None) -> list[ErrorObject]:
        """A 422 error per unique value of ``obj`` another object already has.

        Uniqueness holds in the whole table, or within the object's namespace for attributes
        with ``unique_scope: namespace``; ``identifier`` is the object itself, on an update.
        """
        row = resource.to_row(obj)  # unique values are never encrypted: compared as they are
        checks = unique_checks(resource.table, row, row, identifier, "?")
        return [check.clash() for check in checks if self._conn.execute(check.sql, check.params).fetchone()]
