"""Query parameters of the endpoints: pages, order, filters, recursion, and every refusal (400)."""

from __future__ import annotations

from typing import Any

import pytest

from generator.runtime.server.errors import APIError
from generator.runtime.server.limits import (
    DEFAULT_PAGE_SIZE,
    MAX_FILTERS,
    MAX_ORDER_KEYS,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_PARAMETERS,
)
from generator.runtime.server.params import ListQuery, parse_list, parse_retrieve, parse_write
from generator.runtime.server.pg_sql import POSTGRES
from tests.runtime.things import table

TABLE = table(default_order=("-date", "name"))
ORDERABLE = "ID, name, kind, count, ratio, enabled, date, raw, namespace"


def bad(call: Any, *args: Any) -> tuple[str, dict[str, Any]]:
    with pytest.raises(APIError) as caught:
        call(*args)
    assert caught.value.status == 400
    (error,) = caught.value.errors
    assert error["code"] == 400 and error["title"] == "Bad Request"
    return error["description"], error["data"]


def test_defaults_the_spec_order_and_no_filter() -> None:
    query = parse_list([], TABLE)
    assert query == ListQuery(
        where="",
        params=[],
        order_by='"date" DESC, "name" ASC, "_seq" ASC',
        order_column=TABLE.column("date"),
        limit=DEFAULT_PAGE_SIZE,
        offset=0,
        recursive=False,
    )
    assert parse_list([], table()).order_by == '"_seq" ASC' and parse_list([], table()).order_column is None


def test_a_number_may_be_written_with_up_to_twelve_digits() -> None:
    assert parse_list([("page", "0" * 11 + "7")], TABLE).offset == 6 * DEFAULT_PAGE_SIZE


def test_pages_are_one_based_and_sized() -> None:
    query = parse_list([("page", "3"), ("pagesize", "20")], TABLE)
    assert (query.limit, query.offset) == (20, 40)
    assert parse_list([("page", "1")], TABLE).offset == 0
    assert parse_list([("pagesize", str(MAX_PAGE_SIZE))], TABLE).limit == MAX_PAGE_SIZE
    last = parse_list([("page", str(MAX_PAGE)), ("pagesize", "1")], TABLE)
    assert last.offset == MAX_PAGE - 1


def test_order_keys_in_the_order_given_and_the_first_key_named() -> None:
    query = parse_list([("order", "-count"), ("order", "NAME")], TABLE)
    assert query.order_by == '"count" DESC, "name" ASC, "_seq" ASC'
    assert query.order_column is TABLE.column("count")
    assert parse_list([("order", "raw")], TABLE).order_by == '"raw" ASC, "_seq" ASC'


def test_several_filters_are_ored_and_keep_their_parameters() -> None:
    query = parse_list([("q", 'name == "a"'), ("q", "count > 1 and count < 5")], TABLE)
    assert query.where == '("name" = ? OR ("count" > ? AND "count" < ?))'
    assert query.params == ["a", 1, 5]
    one = parse_list([("q", 'name == "a"')], TABLE)
    assert (one.where, one.params) == ('("name" = ?)', ["a"])


@pytest.mark.parametrize(("text", "value"), [("true", True), ("TRUE", True), ("False", False), ("false", False)])
def test_recursive_is_true_or_false_in_any_case(text: str, value: bool) -> None:
    assert parse_list([("recursive", text)], TABLE).recursive is value
    assert parse_retrieve([("recursive", text)]) == (value, {})


def test_retrieve_takes_only_recursive_and_writes_take_nothing() -> None:
    assert parse_retrieve([]) == (False, {})
    assert bad(parse_retrieve, [("page", "1")]) == (
        "unknown parameter 'page'; this endpoint takes: recursive",
        {"parameter": "page"},
    )
    assert bad(parse_retrieve, [("recursive", "yes")]) == (
        "recursive must be true or false",
        {"parameter": "recursive"},
    )
    parse_write([])
    assert bad(parse_write, [("x" * 100, "1")]) == (
        f"unknown parameter {'x' * 64!r}; this endpoint takes: none",
        {"parameter": "x" * 64},
    )


LIST_REFUSALS = [
    (
        [("limit", "5")],
        "unknown parameter 'limit'; this endpoint takes: q, order, page, pagesize, recursive",
        {"parameter": "limit"},
    ),
    (
        [("z" * 100, "1")],
        f"unknown parameter {'z' * 64!r}; this endpoint takes: q, order, page, pagesize, recursive",
        {"parameter": "z" * 64},
    ),
    (
        [("Q", "name exists")],
        "unknown parameter 'Q'; this endpoint takes: q, order, page, pagesize, recursive",
        {"parameter": "Q"},
    ),
    ([("page", "0")], f"page must be a whole number from 1 to {MAX_PAGE}", {"parameter": "page"}),
    ([("page", "-1")], f"page must be a whole number from 1 to {MAX_PAGE}", {"parameter": "page"}),
    ([("page", "1.5")], f"page must be a whole number from 1 to {MAX_PAGE}", {"parameter": "page"}),
    ([("page", "")], f"page must be a whole number from 1 to {MAX_PAGE}", {"parameter": "page"}),
    ([("page", "٣")], f"page must be a whole number from 1 to {MAX_PAGE}", {"parameter": "page"}),  # not ASCII
    ([("page", str(MAX_PAGE + 1))], f"page must be a whole number from 1 to {MAX_PAGE}", {"parameter": "page"}),
    ([("page", "0" * 12 + "1")], f"page must be a whole number from 1 to {MAX_PAGE}", {"parameter": "page"}),
    (
        [("pagesize", str(MAX_PAGE_SIZE + 1))],
        f"pagesize must be a whole number from 1 to {MAX_PAGE_SIZE}",
        {"parameter": "pagesize"},
    ),
    ([("pagesize", "0")], f"pagesize must be a whole number from 1 to {MAX_PAGE_SIZE}", {"parameter": "pagesize"}),
    ([("page", "1"), ("page", "2")], "parameter 'page' is given more than once", {"parameter": "page"}),
    ([("pagesize", "1"), ("pagesize", "1")], "parameter 'pagesize' is given more than once", {"parameter": "pagesize"}),
    (
        [("recursive", "true"), ("recursive", "true")],
        "parameter 'recursive' is given more than once",
        {"parameter": "recursive"},
    ),
    ([("recursive", "1")], "recursive must be true or false", {"parameter": "recursive"}),
    (
        [("q", "ID exists")] * (MAX_FILTERS + 1),
        f"parameter 'q' is given more than {MAX_FILTERS} times",
        {"parameter": "q", "limit": MAX_FILTERS},
    ),
    (
        [("order", "ID")] * (MAX_ORDER_KEYS + 1),
        f"parameter 'order' is given more than {MAX_ORDER_KEYS} times",
        {"parameter": "order", "limit": MAX_ORDER_KEYS},
    ),
    (
        [("order", "nope")],
        f"order: 'nope' is unknown attribute; orderable attributes: {ORDERABLE} (prefix - for descending)",
        {"parameter": "order"},
    ),
    (
        [("order", "-tags")],
        f"order: 'tags' is not orderable; orderable attributes: {ORDERABLE} (prefix - for descending)",
        {"parameter": "order"},
    ),
    (
        [("order", "--name")],
        f"order: '-name' is unknown attribute; orderable attributes: {ORDERABLE} (prefix - for descending)",
        {"parameter": "order"},
    ),
    (
        [("order", "+name")],
        f"order: '+name' is unknown attribute; orderable attributes: {ORDERABLE} (prefix - for descending)",
        {"parameter": "order"},
    ),
    (
        [("order", "y" * 100)],
        f"order: {'y' * 64!r} is unknown attribute; orderable attributes: {ORDERABLE} (prefix - for descending)",
        {"parameter": "order"},
    ),
    (
        [("q", "name == ")],
        "q: invalid filter at column 9: expected a value after '==', found the end of the filter",
        {"parameter": "q", "position": 9, "index": 1},
    ),
    (
        [("q", "name exists"), ("q", "secret exists")],
        "q: invalid filter (filter 2 of 2) at column 1: secret is not filterable; filterable attributes:"
        " ID, name, kind, count, ratio, enabled, date, tags, data, raw, namespace",
        {"parameter": "q", "position": 1, "index": 2},
    ),
]


@pytest.mark.parametrize(("items", "description", "data"), LIST_REFUSALS, ids=[d for _, d, _ in LIST_REFUSALS])
def test_list_refusals(items: list[tuple[str, str]], description: str, data: dict[str, Any]) -> None:
    assert bad(parse_list, items, TABLE) == (description, data)


def test_the_number_of_parameters_is_limited() -> None:
    at_most = [("q", "ID exists")] * MAX_FILTERS + [("order", "ID")] * MAX_ORDER_KEYS
    at_most += [("page", "1"), ("pagesize", "1"), ("recursive", "false")]
    assert len(at_most) <= MAX_PARAMETERS
    parse_list(at_most, TABLE)
    too_many = [("zz", "1")] * (MAX_PARAMETERS + 1)
    assert bad(parse_list, too_many, TABLE) == (
        "unknown parameter 'zz'; this endpoint takes: q, order, page, pagesize, recursive",
        {"parameter": "zz"},
    )
    unknown_last = [("q", "ID exists")] * MAX_PARAMETERS + [("zz", "1")]
    assert bad(parse_list, unknown_last, TABLE) == (
        f"more than {MAX_PARAMETERS} query parameters",
        {"limit": MAX_PARAMETERS},
    )
    exactly = [("recursive", "true")] + [("order", "ID")] * 0 + [("q", "ID exists")] * (MAX_PARAMETERS - 1)
    assert bad(parse_list, exactly, TABLE)[0] == f"parameter 'q' is given more than {MAX_FILTERS} times"
    assert bad(parse_retrieve, [("recursive", "true")] * (MAX_PARAMETERS + 1)) == (
        f"more than {MAX_PARAMETERS} query parameters",
        {"limit": MAX_PARAMETERS},
    )


def test_a_processor_narrows_a_list_with_any_stored_attribute() -> None:
    query = parse_list([("q", 'name == "a"'), ("q", "count > 1")], TABLE)
    narrowed = query.narrowed(TABLE, ['secret == "s"', "count < 5"])
    assert narrowed.where == '("name" = ? OR "count" > ?) AND "secret" = ? AND "count" < ?'
    assert narrowed.params == ["a", 1, "s", 5]
    assert (query.where, query.params) == ('("name" = ? OR "count" > ?)', ["a", 1])  # the query is kept
    assert narrowed.order_by == query.order_by and narrowed.limit == query.limit
    bare = parse_list([], TABLE).narrowed(TABLE, ['code == "c"'])
    assert (bare.where, bare.params) == ('"code" = ?', ["c"])
    assert parse_list([], TABLE).narrowed(TABLE, []).where == ""
    with pytest.raises(ValueError) as caught:
        query.narrowed(TABLE, ["nope == 1"])
    assert str(caught.value) == (
        "a processor's filter 'nope == 1': column 1: no stored, unencrypted attribute 'nope' in thing"
    )


def test_a_list_query_keeps_the_dialect_it_was_compiled_in() -> None:
    # A PostgreSQL store's query: its filters, its order and a processor's narrowing are all
    # written in PostgreSQL's SQL (the store refuses a query compiled for another).
    things = table()
    query = parse_list([("q", 'name == "a"'), ("order", "name")], things, dialect=POSTGRES)
    assert query.dialect is POSTGRES
    assert (query.where, query.order_by) == ('("name" = %s)', '"name" ASC NULLS FIRST, "_seq" ASC')
    assert query.narrowed(things, ["count > 1"]).where == '("name" = %s) AND "count" > %s'
