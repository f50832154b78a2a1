# Copied by specgen from generator/runtime/server/sql.py, the same in every API. Do not edit by hand.
"""Compile a filter tree to a parameterised SQL condition for one table.

Only column names the table declares reach the SQL text; every value is a ``?`` parameter.
This is also where the language meets the spec: unknown or non-filterable attributes, and
values that do not fit the attribute's type, are reported with their column in the filter.

Semantics: a negation (``!=``, ``not in``, ``not contains``) is the exact complement of its
positive form, so it matches objects where the attribute is unset. On free-form JSON
attributes ``==``/``in`` compare the canonical JSON of the value, ``contains`` and ``matches``
look at the JSON text; on list attributes ``contains`` tests membership. A path into a JSON
attribute (``estimate.hours``) compares the member's value (``json_extract``): text, numbers
and booleans; a spec index on the same path serves the comparison.

Clients reach only the attributes they may see: hidden ones are unknown, and nested values
holding secret or hidden parts are compared as the client sees them. Filters from the server's
own code (processors) are ``trusted``: any stored attribute, filterable or not.

``matches`` runs RE2 (google-re2): its syntax (no backreferences, no look-around), in time
linear in the text, with the GIL released, so no expression can stall the server. One search
costs at worst about (program size x text length), and SQLite cannot stop it half-way, so both
are bounded: a pattern whose RE2 program has more than ``MAX_PATTERN_PROGRAM`` instructions
(or needs more than ``MAX_PATTERN_MEMORY``) is a 400 like any bad filter, and a search reads
the first ``MAX_MATCH_TEXT`` bytes of each value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol

from .encoding import json_text, parse_time, time_text
from .filters import Comparison, Conjunction, FilterError, Node, Value
from .limits import MAX_MATCH_TEXT, MAX_PATTERN, MAX_PATTERN_MEMORY, MAX_PATTERN_PROGRAM
from .table import LIST_KINDS, OBJECT_KINDS, SEQUENCE, Column, Table, json_path_sql

REGEXP_FUNCTION = "filter_matches"  # registered on every connection by the store
_TEXT_KINDS = frozenset({"string", "enum", "list", "map", "object", "raw_data", "ref", "ref_list", "ref_map"})
_ORDERED_KINDS = frozenset({"string", "enum", "integer", "float", "time"})


@lru_cache(maxsize=1)
def _engine() -> tuple[Any, Any]:
    """google-re2 and its options, imported when a filter first uses ``matches`` (so that
    recording and loading objects need only the standard library)."""
    import re2  # type: ignore[import-untyped]

    options = re2.Options()
    options.max_mem = MAX_PATTERN_MEMORY
    options.never_capture = True  # only whether it matches counts
    options.log_errors = False  # a bad pattern is the client's 400, not a line in the server's log
    return re2, options


@lru_cache(maxsize=64)
def compiled_pattern(pattern: str) -> Any:
    """The RE2 program of a pattern (at most 64 kept, each within ``MAX_PATTERN_MEMORY``)."""
    re2, options = _engine()
    return re2.compile(pattern, options)


def regexp(pattern: str, value: bytes | None) -> bool:
    """The SQL function behind ``matches``: a search anywhere in the text, given as UTF-8 bytes."""
    return value is not None and compiled_pattern(pattern).search(value) is not None


def compile_filter(node: Node, table: Table, trusted: bool = False) -> tuple[str, list[object]]:
    params: list[object] = []
    return _node(node, table, params, trusted), params


def _node(node: Node, table: Table, params: list[object], trusted: bool) -> str:
    if isinstance(node, Comparison):
        return _comparison(node, table, params, trusted)
    glue = " AND " if isinstance(node, Conjunction) else " OR "
    return "(" + glue.join(_node(part, table, params, trusted) for part in node.parts) + ")"


def _column(c: Comparison, table: Table, trusted: bool) -> tuple[Column, list[str]]:
    """The column a comparison is on, and the path inside it (empty for the whole value)."""
    attribute, path = c.attribute, []
    if "." in attribute:
        attribute, *path = attribute.split(".")
    if trusted:
        column = table.by_attribute.get(attribute) or table.by_name.get(attribute)
        if column is None or column.encrypted:
            raise FilterError(f"no stored, unencrypted attribute {attribute!r} in {table.name}", c.column)
    else:
        column = table.column(attribute)
        if column is None or not column.filterable:
            filterable = ", ".join(col.attribute for col in table.columns if col.filterable and col.exposed)
            if column is None:
                raise FilterError(f"unknown attribute {attribute!r}; filterable attributes: {filterable}", c.column)
            raise FilterError(f"{column.attribute} is not filterable; filterable attributes: {filterable}", c.column)
    if path and column.kind not in OBJECT_KINDS:
        raise FilterError(f"{c.attribute!r}: {column.attribute} is a {column.kind}, with no members", c.column)
    return column, path


def _comparison(c: Comparison, table: Table, params: list[object], trusted: bool) -> str:
    column, path = _column(c, table, trusted)
    value = column.value_sql(table.name) if column.needs_python and not trusted else column.quoted
    if path:
        return _member(c, column, json_path_sql(value, path), params)
    name, op = value, c.operator
    if op == "exists":
        return f"{name} IS NOT NULL"
    if op == "not exists":
        return f"{name} IS NULL"
    if op in ("contains", "not contains", "matches"):
        operand = _text_operand(c, column)
        if op == "matches":
            params.append(_pattern(operand, c.value_column))
            return f"{REGEXP_FUNCTION}(?, substr(CAST({name} AS BLOB), 1, {MAX_MATCH_TEXT}))"
        params.append(operand)
        if column.kind in LIST_KINDS:
            positive = f"EXISTS (SELECT 1 FROM json_each({name}) WHERE value = ?)"
        else:
            positive = f"instr({name}, ?) > 0"
        return positive if op == "contains" else f"({name} IS NULL OR NOT {positive})"
    if op in ("in", "not in"):
        assert isinstance(c.value, tuple)
        params.extend(_stored(column, item, c.value_column) for item in c.value)
        marks = ", ".join("?" for _ in c.value)
        if op == "in":
            return f"{name} IN ({marks})" if marks else "0"
        return f"({name} IS NULL OR {name} NOT IN ({marks}))" if marks else "1"
    assert c.value is not None
    params.append(_stored(column, c.value, c.value_column))
    if op == "==":
        return f"{name} = ?"
    if op == "!=":
        return f"{name} IS NOT ?"
    if column.kind not in _ORDERED_KINDS:
        raise FilterError(f"{op!r} does not apply to {column.kind} attribute {column.attribute}", c.column)
    return f"{name} {op} ?"


def _member(c: Comparison, column: Column, member: str, params: list[object]) -> str:
    """A comparison on a member of a JSON value: ``json_extract`` gives text, a number, 1 or 0
    for true or false, or the JSON text of an object or a list."""
    op = c.operator
    if op == "exists":
        return f"{member} IS NOT NULL"
    if op == "not exists":
        return f"{member} IS NULL"
    if op in ("contains", "not contains", "matches"):
        if not isinstance(c.value, str):
            raise FilterError(f"{op!r} takes a quoted string", c.value_column)
        if op == "matches":
            params.append(_pattern(c.value, c.value_column))
            return f"{REGEXP_FUNCTION}(?, substr(CAST({member} AS BLOB), 1, {MAX_MATCH_TEXT}))"
        params.append(c.value)
        positive = f"instr({member}, ?) > 0"
        return positive if op == "contains" else f"({member} IS NULL OR NOT {positive})"
    if op in ("in", "not in"):
        assert isinstance(c.value, tuple)
        params.extend(_member_value(item, c.value_column) for item in c.value)
        marks = ", ".join("?" for _ in c.value)
        if op == "in":
            return f"{member} IN ({marks})" if marks else "0"
        return f"({member} IS NULL OR {member} NOT IN ({marks}))" if marks else "1"
    assert c.value is not None
    params.append(_member_value(c.value, c.value_column))
    if op == "==":
        return f"{member} = ?"
    if op == "!=":
        return f"{member} IS NOT ?"
    return f"{member} {op} ?"


def _member_value(value: Value, at: int) -> object:
    if isinstance(value, tuple):
        raise FilterError("a list goes with 'in' or 'not in' only", at)
    if isinstance(value, datetime):
        raise FilterError("a member of a JSON attribute holds text, not a time: compare it with a quoted string", at)
    if isinstance(value, bool):
        return int(value)
    return value


def _text_operand(c: Comparison, column: Column) -> str:
    """The quoted string ``contains`` or ``matches`` compares a text column with (both dialects ask this)."""
    if column.kind not in _TEXT_KINDS:
        raise FilterError(
            f"{c.operator!r} applies to text, lists and raw data, not to {column.kind} attribute {column.attribute}",
            c.column,
        )
    if not isinstance(c.value, str):
        raise FilterError(f"{c.operator!r} takes a quoted string", c.value_column)
    return c.value


def _pattern(pattern: str, at: int) -> str:
    if len(pattern) > MAX_PATTERN:
        raise FilterError(f"a regular expression is at most {MAX_PATTERN} characters", at)
    try:
        size = compiled_pattern(pattern).programsize
    except Exception as exc:  # RE2's own error, or any other refusal of a foreign parser: the client's 400
        reason = exc.args[0] if isinstance(exc, _engine()[0].error) and exc.args else str(exc)
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise FilterError(f"not a valid regular expression (RE2 syntax): {str(reason)[:200]}", at) from None
    if size > MAX_PATTERN_PROGRAM:
        raise FilterError(
            f"the regular expression is too complex: {size} RE2 instructions, at most {MAX_PATTERN_PROGRAM}"
            " (large counted repeats such as {500} cost the most)",
            at,
        )
    return pattern


def _stored(column: Column, value: Value, at: int) -> object:
    """The value as the column stores it, or FilterError when it does not fit the type."""
    kind = column.kind
    if isinstance(value, tuple):
        raise FilterError("a list goes with 'in' or 'not in' only", at)
    if column.is_json:
        if isinstance(value, datetime):
            return json_text(time_text(value))
        return json_text(value)
    if kind in ("string", "enum"):
        if not isinstance(value, str):
            raise FilterError(f"{column.attribute} is text: quote the value", at)
        if kind == "enum" and value not in column.choices:
            raise FilterError(f"{value!r} is not one of {column.attribute}'s choices: {', '.join(column.choices)}", at)
        return value
    if kind == "time":
        if isinstance(value, datetime):
            return time_text(value)
        if isinstance(value, str):
            try:
                return time_text(parse_time(value))
            except ValueError:
                pass
        raise FilterError(
            f"{column.attribute} is a time: use date(2019-06-17T10:00:00Z), now(-1h) or an RFC 3339 string", at
        )
    if kind == "boolean":
        if not isinstance(value, bool):
            raise FilterError(f"{column.attribute} is a boolean: use true or false", at)
        return int(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FilterError(f"{column.attribute} is a number", at)
    return value


def order_by(keys: list[tuple[Column, bool]], table: str = "") -> str:
    """ORDER BY text for (column, descending) keys; arrival order breaks ties, so pages are stable.

    The tie-breaker runs the same way as the last key: an index on that key already holds
    rows in that order (SQLite appends the row id to every index), so no sort is needed.
    Values with parts a client may not see are ordered as the client sees them.
    """
    terms = [
        f"{column.value_sql(table) if column.needs_python else column.quoted} {'DESC' if descending else 'ASC'}"
        for column, descending in keys
    ]
    last_descending = keys[-1][1] if keys else False
    terms.append(f"{SEQUENCE} {'DESC' if last_descending else 'ASC'}")
    return ", ".join(terms)


class Dialect(Protocol):
    """How one store's SQL says a filter and an order: SQLite's here, PostgreSQL's in ``pg_sql``."""

    @property
    def name(self) -> str: ...

    def compile_filter(self, node: Node, table: Table, trusted: bool = False) -> tuple[str, list[object]]: ...

    def order_by(self, keys: list[tuple[Column, bool]], table: str = "") -> str: ...


@dataclass(frozen=True, slots=True)
class _SQLite:
    name: str = "sqlite"

    def compile_filter(self, node: Node, table: Table, trusted: bool = False) -> tuple[str, list[object]]:
        return compile_filter(node, table, trusted)

    def order_by(self, keys: list[tuple[Column, bool]], table: str = "") -> str:
        return order_by(keys, table)


SQLITE: Dialect = _SQLite()
