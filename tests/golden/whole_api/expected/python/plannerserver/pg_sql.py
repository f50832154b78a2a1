# Copied by specgen from generator/runtime/server/pg_sql.py, the same in every API. Do not edit by hand.
"""The filter language and orders as PostgreSQL SQL: the same checks as ``sql``, another dialect.

``sql`` decides what a filter means (which attributes a client may use, which values fit,
which patterns RE2 accepts and how costly they are); this module only says it in PostgreSQL's
SQL, with every value a ``%s`` parameter of psycopg. Column types are PostgreSQL's own
(``postgres.column_type``): text in the "C" collation (byte order, as SQLite compares), bigint,
double precision, boolean, timestamptz, and jsonb for every JSON value, so:

- ``==``/``in`` on a JSON attribute compare jsonb values; ``contains`` and ``matches`` read the
  canonical JSON text (``specgen_json_text``, the form SQLite stores), so they see what they see
  on SQLite; ``contains`` on a list is jsonb containment of the one string;
- a member of a JSON attribute (``estimate.hours``) is ``nullif(col #> '{estimate,hours}', 'null')``,
  compared as jsonb with the value given, and a spec index on the path is the same expression
  (so, unlike SQLite's ``json_extract``, true is not the number 1, and values of different JSON
  types order as jsonb orders them: the README's "What differs");
- ``matches`` is PostgreSQL's own regular expression operator ``~`` on the first
  ``MAX_MATCH_TEXT`` characters, after RE2 has accepted the pattern (so the syntax accepted is
  what both read alike); the store bounds its time with ``statement_timeout``;
- NULL sorts first ascending and last descending, as in SQLite (``NULLS FIRST``/``NULLS LAST``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from .encoding import parse_time
from .filters import Comparison, Conjunction, FilterError, Node, Value
from .limits import MAX_MATCH_TEXT
from .sql import _ORDERED_KINDS, _column, _pattern, _stored, _text_operand
from .table import LIST_KINDS, SEQUENCE, Column, Table

JSON_TEXT_FUNCTION = "specgen_json_text"  # jsonb -> canonical JSON text; created by the store


def member_sql(column_sql: str, path: Sequence[str]) -> str:
    """A member inside a jsonb column, JSON null as SQL NULL (as SQLite's ``json_extract`` gives it);
    the members were checked to be plain names (``sql._column``), the only text reaching the SQL."""
    return f"nullif({column_sql} #> '{{{','.join(path)}}}', 'null'::jsonb)"


def compile_filter(node: Node, table: Table, trusted: bool = False) -> tuple[str, list[object]]:
    params: list[object] = []
    return _node(node, table, params, trusted), params


def _node(node: Node, table: Table, params: list[object], trusted: bool) -> str:
    if isinstance(node, Comparison):
        return _comparison(node, table, params, trusted)
    glue = " AND " if isinstance(node, Conjunction) else " OR "
    return "(" + glue.join(_node(part, table, params, trusted) for part in node.parts) + ")"


def _comparison(c: Comparison, table: Table, params: list[object], trusted: bool) -> str:
    column, path = _column(c, table, trusted)
    name = column.quoted
    if path:
        return _member(c, member_sql(name, path), params)
    op = c.operator
    if op == "exists":
        return f"{name} IS NOT NULL"
    if op == "not exists":
        return f"{name} IS NULL"
    if op in ("contains", "not contains", "matches"):
        operand = _text_operand(c, column)
        text = f"{JSON_TEXT_FUNCTION}({name})" if column.is_json else name
        if op == "matches":
            params.append(_pattern(operand, c.value_column))
            return f"substr({text}, 1, {MAX_MATCH_TEXT}) ~ %s"
        params.append(operand)
        # A list holds the string as a member; any other value, in its text.
        listed = column.kind in LIST_KINDS
        positive = f"{name} @> jsonb_build_array(%s::text)" if listed else f"strpos({text}, %s) > 0"
        return positive if op == "contains" else f"({name} IS NULL OR NOT {positive})"
    mark = "%s::jsonb" if column.is_json else "%s"
    if op in ("in", "not in"):
        assert isinstance(c.value, tuple)
        params.extend(_value(column, item, c.value_column) for item in c.value)
        marks = ", ".join(mark for _ in c.value)
        if op == "in":
            return f"{name} IN ({marks})" if marks else "FALSE"
        return f"({name} IS NULL OR {name} NOT IN ({marks}))" if marks else "TRUE"
    assert c.value is not None
    params.append(_value(column, c.value, c.value_column))
    if op == "==":
        return f"{name} = {mark}"
    if op == "!=":
        return f"{name} IS DISTINCT FROM {mark}"
    if column.kind not in _ORDERED_KINDS:
        raise FilterError(f"{op!r} does not apply to {column.kind} attribute {column.attribute}", c.column)
    return f"{name} {op} {mark}"


def _value(column: Column, value: Value, at: int) -> object:
    """The value as the PostgreSQL column holds it (checked as SQLite's store checks it)."""
    stored = _stored(column, value, at)
    if column.kind == "time" and isinstance(stored, str):
        return parse_time(stored)
    if column.kind == "boolean":
        return bool(stored)
    return stored


def _member(c: Comparison, member: str, params: list[object]) -> str:
    op = c.operator
    if op == "exists":
        return f"{member} IS NOT NULL"
    if op == "not exists":
        return f"{member} IS NULL"
    if op in ("contains", "not contains", "matches"):
        if not isinstance(c.value, str):
            raise FilterError(f"{op!r} takes a quoted string", c.value_column)
        # Text as json_extract gives it: a string's own characters, anything else its JSON text.
        text = f"(CASE jsonb_typeof({member}) WHEN 'string' THEN {member} #>> '{{}}' ELSE {JSON_TEXT_FUNCTION}({member}) END)"
        if op == "matches":
            params.append(_pattern(c.value, c.value_column))
            return f"substr({text}, 1, {MAX_MATCH_TEXT}) ~ %s"
        params.append(c.value)
        positive = f"strpos({text}, %s) > 0"
        return positive if op == "contains" else f"({member} IS NULL OR NOT {positive})"
    if op in ("in", "not in"):
        assert isinstance(c.value, tuple)
        marks = ", ".join(_member_mark(item, c.value_column, params) for item in c.value)
        if op == "in":
            return f"{member} IN ({marks})" if marks else "FALSE"
        return f"({member} IS NULL OR {member} NOT IN ({marks}))" if marks else "TRUE"
    assert c.value is not None
    mark = _member_mark(c.value, c.value_column, params)
    if op == "==":
        return f"{member} = {mark}"
    if op == "!=":
        return f"{member} IS DISTINCT FROM {mark}"
    return f"{member} {op} {mark}"


def _member_mark(value: Value, at: int, params: list[object]) -> str:
    """The parameter's place, as jsonb of the value's own JSON type."""
    if isinstance(value, tuple):
        raise FilterError("a list goes with 'in' or 'not in' only", at)
    if isinstance(value, datetime):
        raise FilterError("a member of a JSON attribute holds text, not a time: compare it with a quoted string", at)
    params.append(value)
    if isinstance(value, bool):
        return "to_jsonb(%s::boolean)"
    if isinstance(value, str):
        return "to_jsonb(%s::text)"
    return "to_jsonb(%s::numeric)"


def order_by(keys: list[tuple[Column, bool]], table: str = "") -> str:
    """ORDER BY text, NULLs placed as SQLite places them, arrival order breaking ties."""
    terms = [f"{column.quoted} {'DESC NULLS LAST' if descending else 'ASC NULLS FIRST'}" for column, descending in keys]
    last_descending = keys[-1][1] if keys else False
    terms.append(f"{SEQUENCE} {'DESC' if last_descending else 'ASC'}")
    return ", ".join(terms)


@dataclass(frozen=True, slots=True)
class _Postgres:
    name: str = "postgresql"

    def compile_filter(self, node: Node, table: Table, trusted: bool = False) -> tuple[str, list[object]]:
        return compile_filter(node, table, trusted)

    def order_by(self, keys: list[tuple[Column, bool]], table: str = "") -> str:
        return order_by(keys, table)


POSTGRES = _Postgres()
