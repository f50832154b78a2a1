# Copied by specgen from generator/runtime/server/params.py, the same in every API. Do not edit by hand.
"""Query parameters of the endpoints: checked, then compiled for the store.

A list is paged (``page`` from 1, ``pagesize`` default ``DEFAULT_PAGE_SIZE``, at most ``MAX_PAGE_SIZE``), ordered
(``order``, repeatable, ``-`` for descending; the spec's default order otherwise) and
filtered (``q``, repeatable, several are ORed). Any other parameter answers 400, and so does
a query with more than ``MAX_PARAMETERS`` parameters, ``MAX_FILTERS`` filters or
``MAX_ORDER_KEYS`` order keys: SQLite has its own limits (expression depth, terms of an ORDER
BY), and a request must meet ours, with a clear answer, long before it meets those.

An endpoint may take parameters of its own, from the spec (``Parameters``): each is parsed to
its type (a 400 naming it otherwise), defaults applied, required ones and the combinations of
its parameter sets checked; the values go to the processors (``ListQuery.parameters``...).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any, Literal

from .encoding import parse_time
from .errors import bad_request
from .filters import FilterError, parse, parse_duration
from .limits import DEFAULT_PAGE_SIZE, MAX_FILTERS, MAX_ORDER_KEYS, MAX_PAGE, MAX_PAGE_SIZE, MAX_PARAMETERS
from .sql import compile_filter, order_by
from .table import Column, Table

LIST_PARAMETERS = ("q", "order", "page", "pagesize", "recursive")  # in the order the docs list them
RETRIEVE_PARAMETERS = ("recursive",)
_SINGLE = ("page", "pagesize", "recursive")

ParameterType = Literal["string", "integer", "float", "boolean", "enum", "time", "duration"]
_INTEGER = re.compile(r"[-+]?[0-9]{1,19}")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_EXPECTED = {
    "string": "text",
    "integer": "a whole number",
    "float": "a number",
    "boolean": "true or false",
    "time": "an RFC 3339 date or time such as 2019-06-17T10:00:00Z",
    "duration": "a duration such as 30m, 24h or 1h30m (units s, m, h, d)",
}


@dataclass(frozen=True, slots=True)
class Parameter:
    """A query parameter of an endpoint beyond the built-in ones, as the spec declares it;
    ``default`` is the spec's default value (JSON), parsed as a value sent would be."""

    name: str
    type: ParameterType
    choices: tuple[str, ...] = ()
    multiple: bool = False
    required: bool = False
    default: object = None

    def parse(self, text: str) -> Any:
        """One value sent; 400 naming the parameter when it is not of its type."""
        kind = self.type
        value: Any = None
        if kind == "string":
            return text
        if kind == "enum":
            if text in self.choices:
                return text
            raise bad_request(
                f"parameter {self.name!r} must be one of {', '.join(self.choices)}, not {text[:64]!r}",
                parameter=self.name,
            )
        if kind == "boolean" and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if kind == "integer" and _INTEGER.fullmatch(text) and -(2**63) <= int(text) < 2**63:
            return int(text)
        if kind == "float" and _FLOAT.fullmatch(text) and math.isfinite(float(text)):
            return float(text)
        if kind == "time":
            try:
                value = parse_time(text)
            except (ValueError, OverflowError):
                value = None
        if kind == "duration":
            value = _duration(text)
        if value is not None:
            return value
        raise bad_request(f"parameter {self.name!r} must be {_EXPECTED[kind]}, not {text[:64]!r}", parameter=self.name)

    def default_value(self) -> Any:
        """The default as the endpoint hands it over (a list for ``multiple``), or None."""
        if self.default is None:
            return None
        if self.multiple:
            items = self.default if isinstance(self.default, (list, tuple)) else [self.default]
            return [self._decoded(item) for item in items]
        return self._decoded(self.default)

    def _decoded(self, value: object) -> Any:
        if self.type in ("boolean", "integer", "float") and isinstance(value, (bool, int, float)):
            return float(value) if self.type == "float" else value
        return self.parse(str(value))


def _duration(text: str) -> timedelta | None:
    try:
        return parse_duration(text)
    except (ValueError, OverflowError):
        return None


class Parameters:
    """The parameters an endpoint takes beyond the built-in ones, and which must come together.

    ``combinations`` are groups of alternatives: a request satisfies a group when it gives
    every parameter of one of its alternatives (regolithe's required parameter sets); every
    group must be satisfied.
    """

    def __init__(self, entries: Sequence[Parameter] = (), combinations: Sequence[Sequence[Sequence[str]]] = ()) -> None:
        self.entries = tuple(entries)
        self.by_name = {p.name: p for p in self.entries}
        self.names = tuple(self.by_name)
        self.combinations = tuple(tuple(tuple(alternative) for alternative in group) for group in combinations)
        self._defaults = {p.name: p.default_value() for p in self.entries}  # a bad default fails at start

    def parse(self, found: Mapping[str, list[str]]) -> dict[str, Any]:
        """Every parameter by name: its value (a list for ``multiple``), its default or None."""
        values: dict[str, Any] = {}
        for parameter in self.entries:
            sent = found.get(parameter.name)
            if not sent:
                if parameter.required:
                    raise bad_request(f"parameter {parameter.name!r} is required", parameter=parameter.name)
                values[parameter.name] = self._defaults[parameter.name]
            elif parameter.multiple:
                values[parameter.name] = [parameter.parse(text) for text in sent]
            elif len(sent) > 1:
                raise bad_request(f"parameter {parameter.name!r} is given more than once", parameter=parameter.name)
            else:
                values[parameter.name] = parameter.parse(sent[0])
        for group in self.combinations:
            if not any(all(name in found for name in alternative) for alternative in group):
                raise _combination(group, found)
        return values


def _combination(group: tuple[tuple[str, ...], ...], found: Mapping[str, list[str]]) -> Exception:
    """400 for a group none of whose alternatives was given whole, naming the first parameter missing
    from the alternative most nearly given."""
    best = max(group, key=lambda alternative: sum(name in found for name in alternative))
    missing = next(name for name in best if name not in found)
    choices = " or ".join(" and ".join(alternative) for alternative in group)
    return bad_request(f"give {choices}: parameter {missing!r} is missing", parameter=missing)


NO_PARAMETERS = Parameters()


@dataclass(frozen=True, slots=True)
class ListQuery:
    where: str  # SQL condition of the filters ("" when none)
    params: list[object]
    order_by: str
    order_column: Column | None  # the first order key, if any: the store may walk its index
    limit: int
    offset: int
    recursive: bool
    parameters: dict[str, Any] = field(default_factory=dict)  # the endpoint's own, parsed

    def narrowed(self, table: Table, filters: Sequence[str]) -> ListQuery:
        """The query with more filters ANDed, from the server's own code (processors): they may
        use any stored attribute, filterable or not; a bad one is a programming error (ValueError)."""
        clauses: list[str] = [self.where] if self.where else []
        params = list(self.params)
        for text in filters:
            try:
                sql, values = compile_filter(parse(text), table, trusted=True)
            except FilterError as exc:
                raise ValueError(f"a processor's filter {text!r}: {exc}") from None
            clauses.append(sql)
            params.extend(values)
        return replace(self, where=" AND ".join(clauses), params=params)


def _grouped(
    items: Iterable[tuple[str, str]], allowed: tuple[str, ...], custom: Parameters = NO_PARAMETERS
) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for number, (key, value) in enumerate(items, start=1):
        if number > MAX_PARAMETERS:
            raise bad_request(f"more than {MAX_PARAMETERS} query parameters", limit=MAX_PARAMETERS)
        if key not in allowed and key not in custom.by_name:
            takes = ", ".join((*allowed, *custom.names)) or "none"
            raise bad_request(f"unknown parameter {key[:64]!r}; this endpoint takes: {takes}", parameter=key[:64])
        found.setdefault(key, []).append(value)
    for key in _SINGLE:
        if len(found.get(key, ())) > 1:
            raise bad_request(f"parameter {key!r} is given more than once", parameter=key)
    for key, most in (("q", MAX_FILTERS), ("order", MAX_ORDER_KEYS)):
        if len(found.get(key, ())) > most:
            raise bad_request(f"parameter {key!r} is given more than {most} times", parameter=key, limit=most)
    return found


def _recursive(values: list[str] | None) -> bool:
    if not values:
        return False
    value = values[0].lower()
    if value not in ("true", "false"):
        raise bad_request("recursive must be true or false", parameter="recursive")
    return value == "true"


def _positive(values: list[str] | None, name: str, default: int, most: int) -> int:
    if not values:
        return default
    text = values[0]
    if not (text.isascii() and text.isdigit()) or len(text) > 12 or not 1 <= int(text) <= most:
        raise bad_request(f"{name} must be a whole number from 1 to {most}", parameter=name)
    return int(text)


def _order(values: list[str] | None, table: Table) -> list[tuple[Column, bool]]:
    keys: list[tuple[Column, bool]] = []
    for text in values or table.default_order:
        descending = text.startswith("-")
        name = text[1:] if descending else text
        column = table.column(name)
        orderable = ", ".join(c.attribute for c in table.columns if c.orderable and c.exposed)
        if column is None or not column.orderable:
            reason = "unknown attribute" if column is None else "not orderable"
            raise bad_request(
                f"order: {name[:64]!r} is {reason}; orderable attributes: {orderable} (prefix - for descending)",
                parameter="order",
            )
        keys.append((column, descending))
    return keys


def _filters(values: list[str] | None, table: Table) -> tuple[str, list[object]]:
    if not values:
        return "", []
    clauses: list[str] = []
    params: list[object] = []
    for index, text in enumerate(values, start=1):
        try:
            sql, values_ = compile_filter(parse(text), table)
        except FilterError as exc:
            which = f" (filter {index} of {len(values)})" if len(values) > 1 else ""
            raise bad_request(
                f"q: invalid filter{which} at column {exc.column}: {exc.message}",
                parameter="q",
                position=exc.column,
                index=index,
            ) from None
        clauses.append(sql)
        params.extend(values_)
    return "(" + " OR ".join(clauses) + ")", params


def parse_list(items: Iterable[tuple[str, str]], table: Table, custom: Parameters = NO_PARAMETERS) -> ListQuery:
    found = _grouped(items, LIST_PARAMETERS, custom)
    page = _positive(found.get("page"), "page", 1, MAX_PAGE)
    size = _positive(found.get("pagesize"), "pagesize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    keys = _order(found.get("order"), table)
    where, params = _filters(found.get("q"), table)
    first = keys[0][0] if keys else None
    recursive = _recursive(found.get("recursive"))
    parameters = custom.parse(found) if custom.entries else {}
    return ListQuery(where, params, order_by(keys, table.name), first, size, (page - 1) * size, recursive, parameters)


def parse_retrieve(items: Iterable[tuple[str, str]], custom: Parameters = NO_PARAMETERS) -> tuple[bool, dict[str, Any]]:
    """The ``recursive`` flag of a retrieve, and the endpoint's own parameters."""
    found = _grouped(items, RETRIEVE_PARAMETERS, custom)
    return _recursive(found.get("recursive")), custom.parse(found) if custom.entries else {}


def parse_write(items: Iterable[tuple[str, str]], custom: Parameters = NO_PARAMETERS) -> dict[str, Any]:
    """Create, update and delete take only the endpoint's own parameters: any other answers 400."""
    found = _grouped(items, (), custom)
    return custom.parse(found) if custom.entries else {}
