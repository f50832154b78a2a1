# Copied by specgen from generator/runtime/server/backend.py, the same in every API. Do not edit by hand.
"""What the API needs of a store: the seam between the endpoints and SQLite or PostgreSQL.

``store.Store`` (SQLite, one file) and ``postgres.PostgresStore`` (one database, any number of
servers) both give this; the endpoints (``work``, ``writes``), the loader and ``specgen serve``
know nothing else of either. ``open_store`` picks one from where the data lives: a
``postgresql://`` URL, or a file path.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TypeVar

from .errors import ErrorObject
from .limits import MAX_RESPONSE_BYTES
from .migration import Plan
from .params import ListQuery
from .sql import Dialect
from .table import Resource, Table

T = TypeVar("T")
URL_SCHEMES = ("postgresql://", "postgres://")


class WriteTransaction(Protocol):
    """One write transaction (``Backend.transaction``): what a create, update or delete does in it."""

    @property
    def store(self) -> Backend: ...

    def get(self, table: Table, identifier: str, namespace: str) -> dict[str, Any] | None: ...

    def get_both(
        self, table: Table, identifier: str, namespace: str
    ) -> tuple[dict[str, Any], dict[str, Any]] | None: ...

    def exists(self, table: Table, identifier: str, namespace: str) -> bool: ...

    def record(self, obj: Any) -> Any: ...

    def insert(self, resource: Resource[Any], obj: Any, parent: tuple[str, str] | None = None) -> Any: ...

    def replace(self, resource: Resource[Any], identifier: str, obj: Any) -> Any: ...

    def delete(self, table: Table, identifier: str) -> None: ...

    def clashes(self, resource: Resource[Any], obj: Any, identifier: str | None) -> list[ErrorObject]:
        """The unique values of ``obj`` another object in their scope holds (``identifier``: the
        object being replaced, which may keep its own)."""
        ...

    def attempt(self) -> AbstractContextManager[None]: ...


class Backend(Protocol):
    """A store of an API's models, as the server and the loader use it."""

    @property
    def tables(self) -> Mapping[str, Table]: ...

    @property
    def dialect(self) -> Dialect: ...

    @property
    def migrated(self) -> Plan | None:
        """What opening the database did to bring it to the spec (``migration``)."""
        ...

    @property
    def list_workers(self) -> int:
        """How many lists to run at once unless the server is told (``work.Settings``)."""
        ...

    def close(self) -> None: ...

    def interrupt(self) -> None: ...

    def budget(self, deadline: float, stop: Any = None) -> AbstractContextManager[None]: ...

    def transaction(self) -> AbstractContextManager[WriteTransaction]: ...

    def record(self, obj: T) -> T: ...

    def record_many(self, objects: Iterable[T]) -> list[T]: ...

    def count(self, table: Table) -> int: ...

    def list(
        self,
        table: Table,
        namespace: str,
        query: ListQuery,
        max_bytes: int = MAX_RESPONSE_BYTES,
        parent: tuple[Table, str] | None = None,
    ) -> tuple[str, int]: ...

    def retrieve(self, table: Table, identifier: str, namespace: str, recursive: bool) -> str | None: ...

    def children(self, parent: str, identifier: str, child: str) -> int: ...


class Migration(NamedTuple):
    """What ``migrate`` did: the plan, and where the data as it was is kept (None: nothing
    applied, or PostgreSQL, which keeps it in the retired columns and tables the plan names)."""

    plan: Plan
    backup: Path | None


def migrate(
    location: str | os.PathLike[str],
    resources: Sequence[Resource[Any]],
    spec_version: str,
    *,
    apply: bool,
    drop: bool = False,
) -> Migration:
    """``specgen migrate``: the plan (every step, those that lose data too) bringing the database
    at ``location`` to the tables of ``resources``, and with ``apply`` the plan applied in one
    transaction, the data it replaces kept: SQLite copies the file beside it first; PostgreSQL
    renames columns instead of dropping them and copies trimmed rows aside, unless ``drop``.
    StoreError when it cannot be done; then nothing changed."""
    from .migration import MigrationError
    from .store import StoreError

    tables = [r.table for r in resources]
    try:
        if is_database_url(location):
            from .postgres import migrate_database

            return Migration(migrate_database(str(location), tables, spec_version, apply_plan=apply, drop=drop), None)
        from .sqlite_schema import migrate_file

        return Migration(*migrate_file(Path(location), tables, spec_version, apply_plan=apply))
    except MigrationError as exc:
        raise StoreError(str(exc)) from None


def is_database_url(location: str | os.PathLike[str]) -> bool:
    """Whether ``location`` names a PostgreSQL database rather than an SQLite file."""
    return isinstance(location, str) and location.startswith(URL_SCHEMES)


def open_store(location: str | os.PathLike[str], resources: Sequence[Resource[Any]], **options: Any) -> Backend:
    """The store of ``resources`` at ``location``: PostgreSQL for a ``postgresql://`` URL (psycopg
    needed: the ``postgresql`` extra), else the SQLite file at that path. ``options`` are the
    stores' own (``caps``, ``cap_bytes``, ``encryption_key``...); StoreError when it cannot open."""
    if is_database_url(location):
        from .postgres import PostgresStore

        return PostgresStore(str(location), resources=resources, **options)
    from .store import Store

    return Store(location, resources=resources, **options)
