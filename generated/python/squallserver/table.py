# Copied by specgen from generator/runtime/server/table.py, the same in every API. Do not edit by hand.
"""A model's table: its columns (from the spec) and the SQL derived from them.

Column and table names come from the spec as safe identifiers and are checked again here,
because they are the only names ever placed in SQL text; values always travel as parameters.

What a column shows and keeps follows the attribute's flags:

- hidden (``exposed: false``) and secret columns are stored but never in the wire form that
  lists and retrieves build (``select_json``); ``select_stored`` reads every stored column, for
  updates and processors;
- transient attributes (``stored: false``) have no column at all;
- ``omit_empty`` leaves "", 0, false, [] and {} out of the wire form, as an unset value is;
- encrypted columns hold ciphertext (``crypto``), opened by the SQL function ``OPEN_FUNCTION``
  that the store registers with its key; nested values that hold secret or hidden attributes
  (``visibility.Pruning``) are shown through ``VIEW_FUNCTION``.

The wire form of everything else is built by SQLite, in C: lists and retrieves never decode a
row in Python. A store without SQL functions of its own (PostgreSQL) builds the columns whose
``Column.needs_python`` is true in Python instead, from ``select_stored``.

A model that lives under parents gets one link column per parent model (``_parent_<name>``:
the parent's identifier, set when the object is created under it); links are never on the wire.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from .visibility import Pruned

Kind = Literal[
    "string",
    "integer",
    "float",
    "boolean",
    "time",
    "enum",
    "list",
    "map",
    "object",
    "raw_data",
    "ref",
    "ref_list",
    "ref_map",
]
JSON_KINDS = frozenset({"list", "map", "object", "raw_data", "ref", "ref_list", "ref_map"})
LIST_KINDS = frozenset({"list", "ref_list"})
# JSON kinds whose value holds named members a dotted path can reach (estimate.hours).
OBJECT_KINDS = frozenset({"map", "object", "raw_data", "ref", "ref_map"})
SEQUENCE = '"_seq"'  # arrival order; also what the cap trims by
UPTO = '"_upto"'  # capped tables: bytes stored up to and including this row, since the table began
OPEN_FUNCTION = "specgen_open"  # (table, column, ciphertext) -> the stored JSON text; registered by the store
VIEW_FUNCTION = "specgen_view"  # (table, column, JSON text) -> the JSON text a client may see
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_MEMBER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# The canonical JSON texts (encoding.json_text) of the values omit_empty leaves out.
_EMPTY_JSON = "('[]', '{}', '\"\"', '0', '0.0', '-0.0', 'false')"


def quote(name: str) -> str:
    if _IDENTIFIER.fullmatch(name) is None:
        raise ValueError(f"not a safe SQL identifier: {name!r}")
    return f'"{name}"'


def json_path_sql(column_sql: str, path: Sequence[str]) -> str:
    """``json_extract(column, '$.a.b')``: a member inside a JSON column, with the path written
    into the SQL (so that an expression index on it serves a filter on it). Members are names
    (letters, digits, underscores), the only text that reaches the SQL; else ValueError."""
    for member in path:
        if _MEMBER.fullmatch(member) is None:
            raise ValueError(f"not a member name: {member!r}")
    return f"json_extract({column_sql}, '$.{'.'.join(path)}')"


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
    exposed: bool = True  # False: stored, never on the wire, unknown to clients (filters, order)
    secret: bool = False  # stored, never returned
    omit_empty: bool = False  # "", 0, false, [] and {} left out of the wire form
    encrypted: bool = False  # the column holds ciphertext of the value's JSON text (see crypto)
    # The spec's default in its stored form: what rows stored before the attribute existed get
    # when a migration adds its column (None: they stay unset).
    default: str | int | float | None = None
    # Nested values holding secret or hidden attributes: what a client may see of them.
    view: Pruned | None = field(default=None, compare=False)

    @property
    def quoted(self) -> str:
        return quote(self.name)

    @property
    def is_json(self) -> bool:
        return self.kind in JSON_KINDS

    @property
    def returned(self) -> bool:
        """Whether lists, retrieves and write answers show it (exposed and not secret)."""
        return self.exposed and not self.secret

    @property
    def needs_python(self) -> bool:
        """Whether its wire value takes Python to build: opening ciphertext, pruning nested values."""
        return self.encrypted or self.view is not None

    def stored_value_sql(self, table: str) -> str:
        """SQL giving the stored value as its JSON text: ciphertext opened, nothing hidden."""
        column = self.quoted
        if self.encrypted:
            return f"{OPEN_FUNCTION}({_sql_string(table)}, {_sql_string(self.name)}, {column})"
        if self.is_json:
            return column
        if self.kind == "boolean":
            return f"CASE {column} WHEN 0 THEN 'false' ELSE 'true' END"
        if self.kind == "time":  # whole seconds drop the fraction, like format_time
            return f"json_quote(CASE substr({column}, 21, 6) WHEN '000000' THEN substr({column}, 1, 19) || 'Z' ELSE {column} END)"
        return f"json_quote({column})"

    def value_sql(self, table: str) -> str:
        """SQL of the value as filters and orders see it: a client never reaches what it may
        not see, so nested values with hidden parts (and ciphertext) go through the view."""
        if not self.needs_python:
            return self.quoted
        return self.wire_value_sql(table)

    def wire_value_sql(self, table: str) -> str:
        """SQL giving the JSON text a client sees of this column (NULL when unset)."""
        value = self.stored_value_sql(table)
        if self.view is not None:
            value = f"{VIEW_FUNCTION}({_sql_string(table)}, {_sql_string(self.name)}, {value})"
        return value

    def wire_sql(self, table: str) -> str:
        """SQL giving ``,"name":value`` for this column, or nothing when it is NULL (or empty,
        with omit_empty). Unset attributes are left out of the wire form, as the models'
        ``to_dict`` does; JSON columns already hold canonical JSON text, spliced in as it is."""
        key = _sql_string("," + json.dumps(self.attribute, ensure_ascii=False) + ":")
        return f"CASE WHEN {self._absent_sql()} THEN '' ELSE {key} || {self.wire_value_sql(table)} END"

    def _absent_sql(self) -> str:
        column = self.quoted
        if not self.omit_empty or self.encrypted or self.kind in ("time", "ref"):
            # An encrypted value is stored only when it is not empty (the models' to_dict leaves
            # an empty one out); a time or a nested object is never empty.
            return f"{column} IS NULL"
        if self.is_json:
            return f"{column} IS NULL OR {column} IN {_EMPTY_JSON}"
        if self.kind in ("string", "enum"):
            return f"{column} IS NULL OR {column} = ''"
        return f"{column} IS NULL OR {column} = 0"

    def stored_sql(self, table: str) -> str:
        """``,"name":value`` of the stored value, or nothing when it is NULL (see ``select_stored``)."""
        key = _sql_string("," + json.dumps(self.attribute, ensure_ascii=False) + ":")
        return f"CASE WHEN {self.quoted} IS NULL THEN '' ELSE {key} || {self.stored_value_sql(table)} END"


def link_column(parent: str) -> str:
    """The quoted column holding the identifier of an object's parent of model ``parent``."""
    quote(parent)
    return f'"_parent_{parent}"'


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
        parents: tuple[str, ...] = (),
        indexes: tuple[tuple[str, ...], ...] = (),
    ) -> None:
        """``parents``: the models it lives under (each a link column); ``indexes``: the spec's
        own indexes, each a tuple of column names or dotted paths into JSON columns
        (``estimate.hours``), besides those made for every filterable or orderable column."""
        self.name = name
        self.category = category
        self.quoted = quote(name)
        self.columns = columns
        self.by_attribute = {c.attribute: c for c in columns}
        self.by_name = {c.name: c for c in columns}
        self._visible = {c.attribute: c for c in columns if c.exposed}
        self._by_folded = {c.attribute.casefold(): c for c in columns if c.exposed}
        self.identifier = self.by_attribute[identifier] if identifier else None
        self.namespace = self.by_attribute[namespace] if namespace else None
        self.default_order = default_order
        self.cap = cap
        # Whether the API deletes objects: then the arrival sequence may have gaps (see Store._trim).
        self.deletes = deletes
        self.links = {parent: link_column(parent) for parent in parents}
        self.spec_indexes = indexes
        self.unique_columns = tuple(c for c in columns if c.unique or c is self.identifier)
        self.encrypted_columns = tuple(c for c in columns if c.encrypted)
        returned = [c for c in columns if c.returned]
        # The whole object is built by SQLite, in C: the hot path never decodes a row in Python.
        self.select_json = self._object_sql([c.wire_sql(name) for c in returned])
        # Every stored column (hidden and secret ones too), for the server's own use.
        self.select_stored = self._object_sql([c.stored_sql(name) for c in columns])
        into = [c.quoted for c in columns] + list(self.links.values())
        values = [f"?{i}" for i in range(1, len(into) + 1)]
        if cap is not None:
            # A capped log also keeps bytes in order (see UPTO): this row's size, from its own
            # parameters, plus the running total of the row before it.
            size = " + ".join(f"coalesce(length(CAST(?{i} AS BLOB)), 0)" for i in range(1, len(columns) + 1)) or "0"
            before = f"coalesce((SELECT {UPTO} FROM {self.quoted} ORDER BY {SEQUENCE} DESC LIMIT 1), 0)"
            into.append(UPTO)
            values.append(f"{size} + {before}")
        # A model may store nothing (a request such as an authorization check): its row is then
        # its arrival sequence alone.
        self.insert_sql = (
            f"INSERT INTO {self.quoted} ({', '.join(into)}) VALUES ({', '.join(values)})"
            if into
            else f"INSERT INTO {self.quoted} DEFAULT VALUES"
        )
        # The same size, of a stored row (to fill UPTO in a database made before it existed).
        self.row_size_sql = " + ".join(f"coalesce(length(CAST({c.quoted} AS BLOB)), 0)" for c in columns) or "0"
        # Updates and deletes find their object by identifier (a model without one has neither).
        key = self.identifier.quoted if self.identifier is not None else SEQUENCE
        settings = ", ".join(f"{c.quoted} = ?" for c in columns)
        self.update_sql = f"UPDATE {self.quoted} SET {settings} WHERE {key} = ?"
        self.delete_sql = f"DELETE FROM {self.quoted} WHERE {key} = ?"
        self._index_keys = self._indexes()

    @staticmethod
    def _object_sql(parts: list[str]) -> str:
        if not parts:
            return "'{}'"
        return "'{' || substr(" + " || ".join(parts) + ", 2) || '}'"

    def column(self, attribute: str) -> Column | None:
        """The column of an exposed name a client may use (hidden ones are unknown to clients);
        an unambiguous case-insensitive match also counts."""
        return self._visible.get(attribute) or self._by_folded.get(attribute.casefold())

    def indexes(self) -> dict[str, list[str]]:
        """Index name -> its keys as SQL (columns, or ``json_extract`` of a path in a JSON column)."""
        return self._index_keys

    def index_keys(self, path_sql: Callable[[str, Sequence[str]], str]) -> dict[str, list[str]]:
        """``indexes`` with paths into JSON columns written by ``path_sql`` (another store's SQL)."""
        return self._indexes(path_sql)

    def _indexes(self, path_sql: Callable[[str, Sequence[str]], str] = json_path_sql) -> dict[str, list[str]]:
        """Two per filterable or orderable column of a namespaced table, one per link, then the spec's.

        Every list is confined to a namespace. ``(namespace, c)`` serves a list of exactly one
        namespace (conditions on c, order by c); ``(c, namespace)`` serves a recursive list,
        where the namespace is a range (equality on c then the range; walking c in order).
        JSON columns are matched by content, where an index does not help, so they get none;
        a spec index on a path inside one (``estimate.hours``) serves filters on that path.
        """
        found: dict[str, list[str]] = {}
        ns = self.namespace
        for c in self.columns:
            if not (c.filterable or c.orderable) or c.is_json or c.unique or c is self.identifier or c is ns:
                continue
            if not c.exposed:
                continue
            if ns is None:
                found[self.order_index(c)] = [c.quoted]
            else:
                found[f"{self.name}_by_{c.name}"] = [ns.quoted, c.quoted]
                found[self.order_index(c)] = [c.quoted, ns.quoted]
        for parent, link in self.links.items():
            # The children of one parent: the link first, then the namespace every list has.
            found[f"{self.name}_under_{parent}"] = [link] + ([ns.quoted] if ns is not None else [])
        if ns is not None and not found:
            found[f"{self.name}_by_{ns.name}"] = [ns.quoted]
        have = {tuple(keys) for keys in found.values()}
        for keys in self.spec_indexes:
            sql = [self.key_sql(key, path_sql) for key in keys]
            if tuple(sql) in have:
                continue  # the same keys as an index made anyway
            have.add(tuple(sql))
            base = f"{self.name}_index_" + "_".join(key.replace(".", "_").lower() for key in keys)
            index_name, number = base, 2
            while index_name in found:
                index_name, number = f"{base}_{number}", number + 1
            quote(index_name)
            found[index_name] = sql
        return found

    def key_sql(self, key: str, path_sql: Callable[[str, Sequence[str]], str] = json_path_sql) -> str:
        """One key of a spec index as SQL: a column name, or a dotted path into a JSON column."""
        name, *path = key.split(".")
        column = self.by_name.get(name) or self.by_attribute.get(name)
        if column is None:
            raise ValueError(f"index of {self.name}: no column {name!r}")
        if not path:
            return column.quoted
        if column.kind not in OBJECT_KINDS:
            raise ValueError(f"index of {self.name}: {key!r} reaches into {column.attribute}, a {column.kind}")
        return path_sql(column.quoted, path)

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
        columns.extend(f"{link} TEXT" for link in self.links.values())
        if self.cap is not None:
            columns.append(f"{UPTO} INTEGER NOT NULL DEFAULT 0")
        statements = [f"CREATE TABLE IF NOT EXISTS {self.quoted} (" + ", ".join(columns) + ")"]
        for name, keys in self.indexes().items():
            statements.append(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {self.quoted} (" + ", ".join(keys) + ")")
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
    to_row: Callable[[T], Row]  # values in the order of table.columns (encrypted ones: JSON text, not yet sealed)
    from_wire: Callable[[dict[str, Any]], T]  # raises InvalidRecord
    # The API's writes, for the models that allow them; both raise InvalidRecord (422 errors).
    creating: Callable[[Any, str], T] | None = None  # client body, namespace -> object to insert
    updating: Callable[[T, Any], T] | None = None  # stored object, client body -> object to store
    # The object in the store's own form (``select_stored``: hidden and secret attributes too).
    from_stored: Callable[[dict[str, Any]], T] | None = None
    # The object as a write answers it: the wire form without secrets (nested ones too).
    answer: Callable[[T], dict[str, Any]] | None = None
    # What an activity may keep of a wire form or a body sent: no secret, nothing kept encrypted.
    logged: Callable[[Any], Any] | None = None
    # Wire names a load (``specgen load``) accepts: every attribute, hidden and transient ones too.
    accepts: tuple[str, ...] = ()


def find_resource(resources: Sequence[Resource[Any]], name: str) -> Resource[Any]:
    """The resource of a model name (``activity``) or category (``activities``); KeyError if none."""
    for resource in resources:
        if name in (resource.table.name, resource.table.category):
            return resource
    names = ", ".join(r.table.name for r in resources)
    raise KeyError(f"no model named {name!r} (models: {names})")


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
