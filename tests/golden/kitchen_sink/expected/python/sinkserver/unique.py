# Copied by specgen from generator/runtime/server/unique.py, the same in every API. Do not edit by hand.
"""The unique checks a write runs before it lands, the same on both stores.

Uniqueness holds in the whole table, or within the object's namespace for attributes with
``unique_scope: namespace``; on an update the object itself is left out. Each store runs the
queries in its own transaction (PostgreSQL under the table's lock) with its own placeholder;
what is asked and what a clash answers (a 422 per value) is decided here once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .errors import ErrorObject, error_object
from .table import Column, Row, Table


@dataclass(frozen=True, slots=True)
class UniqueCheck:
    """One query: does another object hold this value? ``sql`` returns a row when one does."""

    table: Table
    column: Column
    sql: str
    params: tuple[object, ...]
    where: str  # "in any namespace", "in namespace /a"
    shown: object  # the value as the row holds it, for the message

    def clash(self) -> ErrorObject:
        """The 422 when another object holds the value; a secret is never told back."""
        shown = "" if self.column.secret else f" {str(self.shown)[:100]!r}"
        return error_object(
            422,
            f"{self.column.attribute}{shown} is already used by another {self.table.name} {self.where}",
            {"attribute": self.column.attribute},
        )


def unique_checks(
    table: Table, row: Row, values: Sequence[object], identifier: str | None, placeholder: str
) -> Iterator[UniqueCheck]:
    """A check per unique value of the row that is set. ``values`` are the row's values as the
    store compares them (a store may convert them), ``identifier`` the object being replaced."""
    for column in table.unique_columns:
        index = table.columns.index(column)
        value = values[index]
        if value is None:
            continue
        sql = f"SELECT 1 FROM {table.quoted} WHERE {column.quoted} = {placeholder}"
        params: list[object] = [value]
        where = "in any namespace"
        if column.unique_in_namespace and table.namespace is not None:
            namespace = row[table.columns.index(table.namespace)]
            sql += f" AND {table.namespace.quoted} = {placeholder}"
            params.append(namespace)
            where = f"in namespace {namespace}"
        if identifier is not None and table.identifier is not None:
            sql += f" AND {table.identifier.quoted} <> {placeholder}"
            params.append(identifier)
        yield UniqueCheck(table, column, sql + " LIMIT 1", tuple(params), where, row[index])
