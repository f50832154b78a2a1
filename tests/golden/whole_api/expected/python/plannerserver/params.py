# Copied by specgen from generator/runtime/server/params.py, the same in every API. Do not edit by hand.
"""Query parameters of the endpoints: checked, then compiled for the store.

A list is paged (``page`` from 1, ``pagesize`` default ``DEFAULT_PAGE_SIZE``, at most ``MAX_PAGE_SIZE``), ordered
(``order``, repeatable, ``-`` for descending; the spec's default order otherwise) and
filtered (``q``, repeatable, several are ORed). Any other parameter answers 400, and so does
a query with more than ``MAX_PARAMETERS`` parameters, ``MAX_FILTERS`` filters or
``MAX_ORDER_KEYS`` order keys: SQLite has its own limits (expression depth, terms of an ORDER
BY), and a request must meet ours, with a clear answer, long before it meets those.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .errors import bad_request
from .filters import FilterError, parse
from .limits import DEFAULT_PAGE_SIZE, MAX_FILTERS, MAX_ORDER_KEYS, MAX_PAGE, MAX_PAGE_SIZE, MAX_PARAMETERS
from .sql import compile_filter, order_by
from .table import Column, Table

LIST_PARAMETERS = ("q", "order", "page", "pagesize", "recursive")  # in the order the docs list them
RETRIEVE_PARAMETERS = ("recursive",)
_SINGLE = ("page", "pagesize", "recursive")


@dataclass(frozen=True, slots=True)
class ListQuery:
    where: str  # SQL condition of the filters ("" when none)
    params: list[object]
    order_by: str
    order_column: Column | None  # the first order key, if any: the store may walk its index
    limit: int
    offset: int
    recursive: bool


def _grouped(items: Iterable[tuple[str, str]], allowed: tuple[str, ...]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for number, (key, value) in enumerate(items, start=1):
        if number > MAX_PARAMETERS:
            raise bad_request(f"more than {MAX_PARAMETERS} query parameters", limit=MAX_PARAMETERS)
        if key not in allowed:
            raise bad_request(
                f"unknown parameter {key[:64]!r}; this endpoint takes: {', '.join(allowed)}", parameter=key[:64]
            )
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
        orderable = ", ".join(c.attribute for c in table.columns if c.orderable)
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


def parse_list(items: Iterable[tuple[str, str]], table: Table) -> ListQuery:
    found = _grouped(items, LIST_PARAMETERS)
    page = _positive(found.get("page"), "page", 1, MAX_PAGE)
    size = _positive(found.get("pagesize"), "pagesize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    keys = _order(found.get("order"), table)
    where, params = _filters(found.get("q"), table)
    first = keys[0][0] if keys else None
    recursive = _recursive(found.get("recursive"))
    return ListQuery(where, params, order_by(keys), first, size, (page - 1) * size, recursive)


def parse_retrieve(items: Iterable[tuple[str, str]]) -> bool:
    """The ``recursive`` flag of a retrieve (the only parameter it takes)."""
    return _recursive(_grouped(items, RETRIEVE_PARAMETERS).get("recursive"))


def parse_write(items: Iterable[tuple[str, str]]) -> None:
    """Create, update and delete take no parameter: any one answers 400."""
    for key, _ in items:
        raise bad_request(f"unknown parameter {key[:64]!r}; this endpoint takes none", parameter=key[:64])
