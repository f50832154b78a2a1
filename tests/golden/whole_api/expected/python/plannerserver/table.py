# Copied by specgen from generator/runtime/server/table.py, the same in every API. Do not edit by hand.
"""A model's table: its columns (from the spec) and the SQL derived from them.

Column and table names come from the spec as safe identifiers and are checked again here,
because they are the only names ever placed in SQL text; values always travel as parameters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

Kind = Literal["string", "integer", "float", "boolean", "time", "enum", "list", "object", "raw_data"]
JSON_KINDS = frozenset({"list", "object", "raw_data"})
SEQUENCE = '"_seq"'  # arrival order; also what the cap trims by
UPTO = '"_upto"'  # capped tables: bytes stored up to and including this row, since the table began
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")


def quote(name: str) -> str:
    if _IDENTIFIER.fullmatch(name) is None:
        raise ValueError(f"not a safe SQL identifier: {name!r}")
    return f'"{name}"'


@dataclass(frozen=True, slots=True)
class Column:
    attribute: str  # the exposed (wire) name
    name: str  # the SQL column name
    kind: Kind
    sql_type: str
    filterable: bool = False
    orderable: bool = False
    unique: bool = False
    unique_in_namespace: bool = False  # unique among the objects of one namespace, not globally
    choices: tuple[str, ...] = ()

    @property
    def quoted(self) -> str:
        return quote(self.name)

    @property
    def is_json(self) -> bool:
        return self.kind in JSON_KINDS

    @property
    def wire_sql(self) -> str:
        """SQL giving ``,"name":value`` for this column, or nothing when it is NULL.

        Unset attributes are left out of the wire form, as the models' ``to_dict`` does;
        JSON columns already hold canonical JSON text, so they are spliced in as they are.
        """
        column = self.quoted
        if self.is_json:
            value = column
        elif self.kind == "boolean":
            value = f"CASE {column} WHEN 0 THEN 'false' ELSE 'true' END"
        elif self.kind == "time":  # whole seconds drop the fraction, like format_time
            value = f"json_quote(CASE substr({column}, 21, 6) WHEN '000000' THEN substr({column}, 1, 19) || 'Z' ELSE {column} END)"
        else:
            value = f"json_quote({column})"
        key = _sql_string("," + json.dumps(self.attribute, ensure_ascii=False) + ":")
        return f"CASE WHEN {column} IS NULL THEN '' ELSE {key} || {value} END"


class Table:
    """Everything the store and the request parsers need to know about one model."""

    def __init__(
        self,
        *,
        name: str,
        category: str,
        columns: tuple[Column, ...],
        identifier: str | None,
        namespace: str | None,
        default_order: tuple[str, ...],
        cap: int | None,
        deletes: bool = False,
    ) -> None:
        self.name = name
        self.category = category
        self.quoted = quote(name)
        self.columns = columns
        self.by_attribute = {c.attribute: c for c in columns}
        self._by_folded = {c.attribute.casefold(): c for c in columns}
        self.identifier = self.by_attribute[identifier] if identifier else None
        self.namespace = self.by_attribute[namespace] if namespace else None
        self.default_order = default_order
        self.cap = cap
        # Whether the API deletes objects: then the arrival sequence may have gaps (see Store._trim).
        self.deletes = deletes
        self.unique_columns = tuple(c for c in columns if c.unique or c is self.identifier)
        # The whole object is built by SQLite, in C: the hot path never decodes a row in Python.
        self.select_json = "'{' || substr(" + " || ".join(c.wire_sql for c in columns) + ", 2) || '}'"
        names = ", ".join(c.quoted for c in columns)
        marks = ", ".join(f"?{i}" for i in range(1, len(columns) + 1))
        if cap is None:
            self.insert_sql = f"INSERT INTO {self.quoted} ({names}) VALUES ({marks})"
        else:
            # A capped log also keeps bytes in order (see UPTO): this row's size, from its own
            # parameters, plus the running total of the row before it.
            size = " + ".join(f"coalesce(length(CAST(?{i} AS BLOB)), 0)" for i in range(1, len(columns) + 1))
            before = f"coalesce((SELECT {UPTO} FROM {self.quoted} ORDER BY {SEQUENCE} DESC LIMIT 1), 0)"
            self.insert_sql = f"INSERT INTO {self.quoted} ({names}, {UPTO}) VALUES ({marks}, {size} + {before})"
        # The same size, of a stored row (to fill UPTO in a database made before it existed).
        self.row_size_sql = " + ".join(f"coalesce(length(CAST({c.quoted} AS BLOB)), 0)" for c in columns)
        # Updates and deletes find their object by identifier (a model without one has neither).
        key = self.identifier.quoted if self.identifier is not None else SEQUENCE
        settings = ", ".join(f"{c.quoted} = ?" for c in columns)
        self.update_sql = f"UPDATE {self.quoted} SET {settings} WHERE {key} = ?"
        self.delete_sql = f"DELETE FROM {self.quoted} WHERE {key} = ?"

    def column(self, attribute: str) -> Column | None:
        """The column of an exposed name; an unambiguous case-insensitive match also counts."""
        return self.by_attribute.get(attribute) or self._by_folded.get(attribute.casefold())

    def indexes(self) -> dict[str, list[Column]]:
        """Index name -> key columns: two per filterable or orderable column of a namespaced table.

        Every list is confined to a namespace. ``(namespace, c)`` serves a list of exactly one
        namespace (conditions on c, order by c); ``(c, namespace)`` serves a recursive list,
        where the namespace is a range (equality on c then the range; walking c in order).
        JSON columns are matched by content, where an index does not help, so they get none.
        """
        found: dict[str, list[Column]] = {}
        ns = self.namespace
        for c in self.columns:
            if not (c.filterable or c.orderable) or c.is_json or c.unique or c is self.identifier or c is ns:
                continue
            if ns is None:
                found[self.order_index(c)] = [c]
            else:
                found[f"{self.name}_by_{c.name}"] = [ns, c]
                found[self.order_index(c)] = [c, ns]
        if ns is not None and not found:
            found[f"{self.name}_by_{ns.name}"] = [ns]
        return found

    def order_index(self, column: Column) -> str:
        """The name of the index that lists the table in the order of ``column``."""
        return f"{self.name}_order_{column.name}"

    def ddl(self) -> list[str]:
        """CREATE statements: the table, then its indexes."""
        columns = [f"{SEQUENCE} INTEGER PRIMARY KEY"]
        for c in self.columns:
            if c is self.identifier:
                constraint = " NOT NULL UNIQUE"
            elif c.unique and not c.unique_in_namespace:
                constraint = " UNIQUE"
            else:
                constraint = ""
            columns.append(f"{c.quoted} {c.sql_type}{constraint}")
        if self.cap is not None:
            columns.append(f"{UPTO} INTEGER NOT NULL DEFAULT 0")
        statements = [f"CREATE TABLE IF NOT EXISTS {self.quoted} (" + ", ".join(columns) + ")"]
        for name, keys in self.indexes().items():
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {self.quoted} (" + ", ".join(k.quoted for k in keys) + ")"
            )
        for c in self.columns:
            if c.unique_in_namespace and self.namespace is not None:
                statements.append(
                    f"CREATE UNIQUE INDEX IF NOT EXISTS {quote(f'{self.name}_unique_{c.name}')} ON {self.quoted}"
                    f" ({self.namespace.quoted}, {c.quoted})"
                )
        return statements


T = TypeVar("T")
Row = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Resource(Generic[T]):
    """A model class bound to its table, with the conversions the store needs."""

    table: Table
    model: type[T]
    prepare: Callable[[T], T]  # fill server-made values, validate; raises InvalidRecord
    to_row: Callable[[T], Row]  # values in the order of table.columns
    from_wire: Callable[[dict[str, Any]], T]  # raises InvalidRecord
    # The API's writes, for the models that allow them; both raise InvalidRecord (422 errors).
    creating: Callable[[Any, str], T] | None = None  # client body, namespace -> object to insert
    updating: Callable[[T, Any], T] | None = None  # stored object, client body -> object to store


def find_resource(resources: Sequence[Resource[Any]], name: str) -> Resource[Any]:
    """The resource of a model name (``activity``) or category (``activities``); KeyError if none."""
    for resource in resources:
        if name in (resource.table.name, resource.table.category):
            return resource
    names = ", ".join(r.table.name for r in resources)
    raise KeyError(f"no model named {name!r} (models: {names})")


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
