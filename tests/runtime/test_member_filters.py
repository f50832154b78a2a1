"""Filters on a member of a JSON attribute (``data.k``), against a Python reference of each
store's reading of a member, over random rows in real SQLite and in a real PostgreSQL.

On SQLite (``json_extract``) a member reads as text, a number, 1 or 0 for true or false, or
nothing (SQL NULL) when the member is null or missing; values of different kinds never compare
equal and order as SQLite orders them (numbers before text). On PostgreSQL a member is a jsonb
value: true and false are booleans, not the numbers 1 and 0, and values of different JSON types
order as jsonb orders them (an empty list < string < number < boolean < list < object). Where a member holds
one type, as a spec's members do, the two agree. On both, a negation is the complement of its
positive form (unset members included), and ``contains`` and ``matches`` read a string's own
characters and any other value's JSON text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.runtime.server import pg_sql
from generator.runtime.server.encoding import json_text
from generator.runtime.server.filters import Comparison, FilterError, Node, parse
from generator.runtime.server.sql import compile_filter
from generator.runtime.server.table import Table
from tests.runtime.conftest import Selector
from tests.runtime.test_filter_semantics import (
    ORDERED,
    PATTERNS,
    TABLE,
    TEXT,
    expected,
    json_scalars,
    literal,
    quoted,
    selected,
)
from tests.runtime.things import Thing

Compiler = Callable[[Node, Table], tuple[str, list[object]]]
PROPERTY = settings(max_examples=150, deadline=None, derandomize=True)
values = st.booleans() | st.integers(-2, 2) | st.sampled_from([1.0, 0.5, -1.5]) | TEXT | st.sampled_from(["1", "0.5"])


@st.composite
def rows(draw: st.DrawFn) -> list[Thing]:
    members = st.dictionaries(st.sampled_from(["k", "K", "j"]), json_scalars | st.lists(TEXT, max_size=2), max_size=3)
    return [
        Thing(id=f"t{i}", data=draw(st.none() | members), raw=draw(st.none() | members), namespace="/a")
        for i in range(draw(st.integers(0, 10)))
    ]


def member(row: Thing, attribute: str) -> Any:
    """What json_extract(attribute, '$.k') gives: None for unset, null or missing; 1/0 for booleans."""
    holder = getattr(row, attribute)
    value = holder.get("k") if isinstance(holder, dict) else None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list):
        return "[" + ",".join(f'"{v}"' for v in value) + "]"  # its JSON text, as SQLite writes it
    return value


def stored(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


def same(a: Any, b: Any) -> bool:
    """SQLite's = between a member and a parameter: numbers by value, text by text, never across."""
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    return bool(a == b)


def order_key(value: Any) -> tuple[int, Any]:
    return (1, value) if isinstance(value, str) else (0, value)


def text_of(value: Any) -> str:
    """The text SQLite reads a member as (instr, CAST AS BLOB)."""
    return value if isinstance(value, str) else repr(value)


@dataclass(frozen=True)
class Reading:
    """How one store reads a member: its value, equality, order and text."""

    member: Callable[[Thing, str], Any]
    same: Callable[[Any, Any], bool]
    order_key: Callable[[Any], Any]
    text_of: Callable[[Any], str]
    stored: Callable[[Any], Any]


SQLITE = Reading(member, same, order_key, text_of, stored)


def pg_member(row: Thing, attribute: str) -> Any:
    """What ``nullif(col #> '{k}', 'null')`` gives: None for unset, null or missing; else the value."""
    holder = getattr(row, attribute)
    return holder.get("k") if isinstance(holder, dict) else None


def json_type(value: Any) -> int:
    """jsonb's order of types: string < number < boolean < array < object; an empty list sorts
    first of all (PostgreSQL keeps this for historical reasons, its documentation says)."""
    if value == []:
        return -1
    if isinstance(value, str):
        return 0
    if isinstance(value, bool):
        return 2
    if isinstance(value, (int, float)):
        return 1
    return 3 if isinstance(value, list) else 4


def pg_same(a: Any, b: Any) -> bool:
    return json_type(a) == json_type(b) and bool(a == b)


def pg_order_key(value: Any) -> tuple[int, Any]:
    return (json_type(value), value if 0 <= json_type(value) < 3 else 0)


def pg_text_of(value: Any) -> str:
    """A string's own characters, anything else its canonical JSON text."""
    return value if isinstance(value, str) else str(json_text(value))


POSTGRESQL = Reading(pg_member, pg_same, pg_order_key, pg_text_of, lambda value: value)


@st.composite
def cases(draw: st.DrawFn, reading: Reading = SQLITE) -> tuple[str, Any]:
    attribute = draw(st.sampled_from(["data", "raw"]))
    op = draw(
        st.sampled_from(
            [
                "==",
                "!=",
                "<",
                "<=",
                ">",
                ">=",
                "contains",
                "not contains",
                "matches",
                "in",
                "not in",
                "exists",
                "not exists",
            ]
        )
    )
    path = f"{attribute}.k"

    def get(r: Thing) -> Any:
        return reading.member(r, attribute)

    if op == "exists":
        return f"{path} exists", lambda r: get(r) is not None
    if op == "not exists":
        return f"{path} not exists", lambda r: get(r) is None
    if op in ("contains", "not contains"):
        part = draw(TEXT | st.sampled_from(["1", "0", ".5", '"']))

        def has_part(r: Thing) -> bool:
            return get(r) is not None and part in reading.text_of(get(r))

        return f"{path} {op} {quoted(part)}", has_part if op == "contains" else (lambda r: not has_part(r))
    if op == "matches":
        pattern = draw(PATTERNS | st.sampled_from(["^1", r"\.5$", "^-"]))
        return (
            f"{path} matches {quoted(pattern)}",
            lambda r: get(r) is not None and (re.search(pattern, reading.text_of(get(r))) is not None),
        )
    if op in ("in", "not in"):
        chosen = draw(st.lists(values, max_size=3))
        written = "[" + ", ".join(literal(v) for v in chosen) + "]"

        def is_in(r: Thing) -> bool:
            return get(r) is not None and any(reading.same(get(r), reading.stored(v)) for v in chosen)

        return f"{path} {op} {written}", is_in if op == "in" else (lambda r: not is_in(r))
    value = draw(values)
    v = reading.stored(value)
    if op == "==":
        return f"{path} == {literal(value)}", lambda r: get(r) is not None and reading.same(get(r), v)
    if op == "!=":
        return f"{path} != {literal(value)}", lambda r: get(r) is None or not reading.same(get(r), v)
    compare = ORDERED[op]
    return (
        f"{path} {op} {literal(value)}",
        lambda r: get(r) is not None and compare(reading.order_key(get(r)), reading.order_key(v)),
    )


@PROPERTY
@given(things=rows(), case=cases())
def test_a_member_filter_selects_what_the_reference_holds_for(things: list[Thing], case: tuple[str, Any]) -> None:
    text, holds = case
    assert selected(things, text) == expected(things, holds), text


@settings(PROPERTY, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(things=rows(), case=cases(POSTGRESQL))
def test_a_member_filter_selects_what_the_jsonb_reference_holds_for_on_postgresql(
    pg_selected: Selector, things: list[Thing], case: tuple[str, Any]
) -> None:
    text, holds = case
    assert pg_selected(things, text) == expected(things, holds), text


def test_where_the_stores_read_a_member_differently_on_fixed_rows(pg_selected: Selector) -> None:
    """The documented differences, and that a member of one type reads alike on both."""
    rows = [
        Thing(id="t0", data={"k": True}),
        Thing(id="t1", data={"k": 1}),
        Thing(id="t2", data={"k": "b"}),
        Thing(id="t3", data={"k": ["a"]}),
        Thing(id="t4", data={"k": None}),
        Thing(id="t5", data={}),
    ]
    assert selected(rows, "data.k == 1") == {"t0", "t1"} and pg_selected(rows, "data.k == 1") == {"t1"}
    assert selected(rows, "data.k == true") == {"t0", "t1"} and pg_selected(rows, "data.k == true") == {"t0"}
    assert selected(rows, 'data.k > "a"') == {"t2"} and pg_selected(rows, 'data.k > "a"') == {"t0", "t1", "t2", "t3"}
    assert selected(rows, 'data.k contains "1"') == {"t0", "t1"}
    assert pg_selected(rows, 'data.k contains "1"') == {"t1"}
    assert pg_selected(rows, 'data.k contains "tru"') == {"t0"} and pg_selected(rows, 'data.k matches "^\\["') == {"t3"}
    for text in ['data.k == "b"', "data.k not exists", 'data.k not in ["b"]', 'data.k != "b"']:
        assert selected(rows, text) == pg_selected(rows, text), text
    assert pg_selected(rows, "data.k not exists") == {"t4", "t5"}


def compiled(text: str) -> tuple[str, list[object]]:
    return compile_filter(parse(text), TABLE)


def test_a_member_compiles_to_json_extract_with_the_value_as_a_parameter() -> None:
    member_sql = "json_extract(\"data\", '$.k')"
    assert compiled('data.k == "x"') == (f"{member_sql} = ?", ["x"])
    assert compiled("data.k != true") == (f"{member_sql} IS NOT ?", [1])
    assert compiled("data.k >= 2.5") == (f"{member_sql} >= ?", [2.5])
    assert compiled("data.k in [1, false]") == (f"{member_sql} IN (?, ?)", [1, 0])
    assert compiled("data.k in []") == ("0", []) and compiled("data.k not in []") == ("1", [])
    assert compiled("data.k not in ['a']") == (f"({member_sql} IS NULL OR {member_sql} NOT IN (?))", ["a"])
    assert compiled('data.k contains "a"') == (f"instr({member_sql}, ?) > 0", ["a"])
    assert compiled('data.k not contains "a"') == (f"({member_sql} IS NULL OR NOT instr({member_sql}, ?) > 0)", ["a"])
    assert compiled('data.k matches "^a"') == (
        f"filter_matches(?, substr(CAST({member_sql} AS BLOB), 1, 65536))",
        ["^a"],
    )
    assert compiled("data.k.deeper_2 exists") == ("json_extract(\"data\", '$.k.deeper_2') IS NOT NULL", [])
    assert compiled("raw.k not exists") == ("json_extract(\"raw\", '$.k') IS NULL", [])


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("name.k == 1", 1, "'name.k': name is a string, with no members"),
        ("count.k exists", 1, "'count.k': count is a integer, with no members"),
        (
            "data.k == date(2020-01-01)",
            11,
            "a member of a JSON attribute holds text, not a time: compare it with a quoted string",
        ),
        (
            "data.k in [date(2020-01-01)]",
            11,
            "a member of a JSON attribute holds text, not a time: compare it with a quoted string",
        ),
        ("data.k contains 1", 17, "'contains' takes a quoted string"),
        ("data.k not contains true", 21, "'not contains' takes a quoted string"),
        ("data.k matches 2", 16, "'matches' takes a quoted string"),
        ('data.k matches "("', 16, "not a valid regular expression (RE2 syntax): missing ): ("),
    ],
)
@pytest.mark.parametrize("dialect", [compile_filter, pg_sql.compile_filter], ids=["sqlite", "postgresql"])
def test_member_filters_that_cannot_work_are_refused_where_they_go_wrong(
    dialect: Compiler, text: str, column: int, message: str
) -> None:
    with pytest.raises(FilterError) as caught:
        dialect(parse(text), TABLE)
    assert (caught.value.column, caught.value.message) == (column, message)


@pytest.mark.parametrize("dialect", [compile_filter, pg_sql.compile_filter], ids=["sqlite", "postgresql"])
def test_a_list_where_a_member_value_goes_is_refused(dialect: Compiler) -> None:
    for op in ("==", "<"):
        with pytest.raises(FilterError) as caught:
            dialect(Comparison("data.k", op, ("a",), 1, 11), TABLE)
        assert (caught.value.column, caught.value.message) == (11, "a list goes with 'in' or 'not in' only")


def test_a_member_compiles_to_a_jsonb_path_with_the_value_as_a_parameter_on_postgresql() -> None:
    def pg(text: str) -> tuple[str, list[object]]:
        return pg_sql.compile_filter(parse(text), TABLE)

    member_sql = "nullif(\"data\" #> '{k}', 'null'::jsonb)"
    assert pg('data.k == "x"') == (f"{member_sql} = to_jsonb(%s::text)", ["x"])
    assert pg("data.k != true") == (f"{member_sql} IS DISTINCT FROM to_jsonb(%s::boolean)", [True])
    assert pg("data.k >= 2.5") == (f"{member_sql} >= to_jsonb(%s::numeric)", [2.5])
    assert pg("data.k in []") == ("FALSE", []) and pg("data.k not in []") == ("TRUE", [])
    assert pg("data.k.deeper_2.j exists") == ("nullif(\"data\" #> '{k,deeper_2,j}', 'null'::jsonb) IS NOT NULL", [])


def test_a_member_deep_inside_a_value_is_found_on_both_stores(pg_selected: Selector) -> None:
    rows = [
        Thing(id="t0", data={"k": {"j": "deep", "i": 2}}),
        Thing(id="t1", data={"k": {"j": "other"}}),
        Thing(id="t2", data={"j": "deep"}),
    ]
    for text, ids in [
        ('data.k.j == "deep"', {"t0"}),
        ("data.k.i >= 2", {"t0"}),
        ('data.k.j contains "the"', {"t1"}),
        ('data.k.j matches "^d"', {"t0"}),
        ("data.k.j exists", {"t0", "t1"}),
        ('data.k.j not in ["deep"]', {"t1", "t2"}),
    ]:
        assert selected(rows, text) == ids and pg_selected(rows, text) == ids, text
