"""Every filter operator against a Python reference predicate, over random rows, in real SQLite
and in a real PostgreSQL.

A filter is written as text, parsed (filters.py), compiled to SQL (sql.py for SQLite, pg_sql.py
for PostgreSQL) and run on a table of random ``Thing`` rows (on PostgreSQL, the table and its
functions as the store makes them, the rows as it converts them); the rows it selects must be
exactly those the reference predicate holds for, on both. Rows leave attributes unset at random; values come from small alphabets that differ in case
(``a``/``A``), so ties, case, unset values and anchoring are met in most examples.

The reference is the documented semantics: a negation (``!=``, ``not in``, ``not contains``) is
the complement of its positive form, so it holds where the attribute is unset; ``contains``
is a case-sensitive substring test on text (membership on lists, the JSON text on free-form
values); ``matches`` searches anywhere (it is not anchored); ``and`` binds tighter than ``or``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.runtime.server.encoding import json_text
from generator.runtime.server.filters import FilterError, parse
from generator.runtime.server.pg_sql import POSTGRES
from generator.runtime.server.sql import REGEXP_FUNCTION, SQLITE, Dialect, compile_filter, regexp
from tests.runtime.conftest import Selector
from tests.runtime.things import KINDS, Thing, table, to_row

TABLE = table()

Predicate = Callable[[Thing], bool]

# -- random rows ------------------------------------------------------------------------------

TEXT = st.text(alphabet="aAbB/.", max_size=4)
BASE = datetime(2020, 3, 1, 12, 0, tzinfo=UTC)
INSTANTS = [BASE + timedelta(minutes=30 * i) for i in range(-2, 3)] + [BASE + timedelta(microseconds=1)]
OFFSETS = [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))]
moments = st.builds(lambda t, tz: t.astimezone(tz), st.sampled_from(INSTANTS), st.sampled_from(OFFSETS))
numbers = st.integers(-3, 3) | st.sampled_from([-1.5, 0.5, 2.0, 0.0])
json_scalars = st.none() | st.booleans() | st.integers(-2, 2) | st.sampled_from([1.0, 0.5]) | TEXT
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["k", "K", "a"]), inner, max_size=2),
    max_leaves=4,
)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def things(draw: st.DrawFn) -> list[Thing]:
    size = draw(st.integers(0, 10))
    return [
        Thing(
            id=f"t{i}",
            name=draw(maybe(TEXT)),
            kind=draw(maybe(st.sampled_from(KINDS))),
            count=draw(maybe(st.integers(-3, 3))),
            ratio=draw(maybe(st.sampled_from([-1.5, 0.0, 0.5, 1.0, 2.0]))),
            enabled=draw(maybe(st.booleans())),
            date=draw(maybe(moments)),
            tags=draw(maybe(st.lists(st.sampled_from(["a", "A", "b", "a b"]) | st.integers(0, 1), max_size=3))),
            data=draw(maybe(st.dictionaries(st.sampled_from(["k", "K"]), json_scalars, max_size=2))),
            raw=draw(json_values),
            namespace="/a",
        )
        for i in range(size)
    ]


def _database() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.create_function(REGEXP_FUNCTION, 2, regexp, deterministic=True)
    for statement in TABLE.ddl():
        conn.execute(statement)
    return conn


DATABASE = _database()  # one for the module: each example empties it and inserts its own rows


def selected(rows: list[Thing], text: str) -> set[str]:
    """The IDs of the rows the filter selects, in SQLite."""
    where, params = compile_filter(parse(text), TABLE)
    DATABASE.execute("DELETE FROM thing")
    DATABASE.executemany(TABLE.insert_sql, [to_row(r) for r in rows])
    return {row[0] for row in DATABASE.execute(f"SELECT id FROM thing WHERE {where}", params)}


@pytest.fixture(params=["sqlite", "postgresql"])
def select(request: pytest.FixtureRequest) -> Selector:
    """Each property runs on both stores' SQL: the same rows, the same filter, the same answer."""
    if request.param == "sqlite":
        return selected
    chosen: Selector = request.getfixturevalue("pg_selected")
    return chosen


def expected(rows: list[Thing], predicate: Predicate) -> set[str]:
    return {r.id for r in rows if r.id is not None and predicate(r)}


# -- writing values in the filter language ----------------------------------------------------


def quoted(text: str, quote: str = '"') -> str:
    return quote + text.replace("\\", "\\\\").replace(quote, "\\" + quote) + quote


def literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, datetime):
        return f"date({value.isoformat()})"
    assert isinstance(value, str)
    return quoted(value)


def listed(values: list[Any]) -> str:
    return "[" + ", ".join(literal(v) for v in values) + "]"


def swapcase_some(draw: st.DrawFn, word: str) -> str:
    """Keywords and attribute names are case-insensitive: write them in a random case."""
    return "".join(c.swapcase() if draw(st.booleans()) else c for c in word)


# -- the reference ----------------------------------------------------------------------------


def _value(row: Thing, attribute: str) -> Any:
    return getattr(row, {"ID": "id"}.get(attribute, attribute))


def _json(row: Thing, attribute: str) -> str | None:
    return json_text(_value(row, attribute))


ORDERED: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
}


@dataclass(frozen=True)
class Case:
    text: str
    holds: Predicate


def positive_and_negative(draw: st.DrawFn, attribute: str, word: str, value_text: str, positive: Predicate) -> Case:
    """``attribute word value`` or its negation ``not word`` (the complement, unset included)."""
    name = swapcase_some(draw, attribute)
    if draw(st.booleans()):
        return Case(f"{name} {swapcase_some(draw, word)} {value_text}", positive)
    negated = swapcase_some(draw, f"not {word}").replace(" ", draw(st.sampled_from([" ", "  ", "\t"])))
    return Case(f"{name} {negated} {value_text}", lambda r: not positive(r))


@st.composite
def text_comparisons(draw: st.DrawFn) -> Case:
    """string and enum attributes: equality, order, contains, matches, in, exists."""
    attribute = draw(st.sampled_from(["name", "kind", "ID"]))
    pool = st.sampled_from(KINDS) if attribute == "kind" else TEXT | st.sampled_from(["t1", "t2"])
    op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "contains", "matches", "in", "exists"]))
    name = swapcase_some(draw, attribute)

    def get(r: Thing) -> Any:
        return _value(r, attribute)

    if op == "exists":
        return positive_and_negative(draw, attribute, "exists", "", lambda r: get(r) is not None)
    if op == "in":
        values = draw(st.lists(pool, max_size=3))
        return positive_and_negative(
            draw, attribute, "in", listed(values), lambda r: get(r) is not None and get(r) in values
        )
    if op == "contains":
        part = draw(TEXT if attribute != "kind" else st.sampled_from(["a", "A", "m", "M", "ll"]))
        return positive_and_negative(
            draw, attribute, "contains", quoted(part), lambda r: get(r) is not None and part in get(r)
        )
    if op == "matches":
        pattern = draw(PATTERNS)
        return Case(
            f"{name} matches {quoted(pattern)}", lambda r: get(r) is not None and re.search(pattern, get(r)) is not None
        )
    value = draw(pool)
    quote = draw(st.sampled_from(['"', "'"]))
    if op == "==":
        return Case(f"{name} == {quoted(value, quote)}", lambda r: get(r) is not None and get(r) == value)
    if op == "!=":
        return Case(f"{name} != {quoted(value, quote)}", lambda r: get(r) != value)
    compare = ORDERED[op]
    return Case(f"{name} {op} {quoted(value, quote)}", lambda r: get(r) is not None and compare(get(r), value))


PATTERNS = st.sampled_from(["a", "A", "^a", "a$", "^A$", "b.", "[ab]", "^$", "/", r"\.", "a|B", "(?i)a", "^[aA]+$"])


@st.composite
def number_comparisons(draw: st.DrawFn) -> Case:
    attribute = draw(st.sampled_from(["count", "ratio"]))
    op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "in", "exists"]))
    name = swapcase_some(draw, attribute)

    def get(r: Thing) -> Any:
        return _value(r, attribute)

    if op == "exists":
        return positive_and_negative(draw, attribute, "exists", "", lambda r: get(r) is not None)
    if op == "in":
        values = draw(st.lists(numbers, max_size=3))
        return positive_and_negative(
            draw, attribute, "in", listed(values), lambda r: get(r) is not None and get(r) in values
        )
    value = draw(numbers)
    if op == "==":
        return Case(f"{name} == {literal(value)}", lambda r: get(r) is not None and get(r) == value)
    if op == "!=":
        return Case(f"{name} != {literal(value)}", lambda r: get(r) is None or get(r) != value)
    compare = ORDERED[op]
    return Case(f"{name} {op} {literal(value)}", lambda r: get(r) is not None and compare(get(r), value))


@st.composite
def boolean_comparisons(draw: st.DrawFn) -> Case:
    value = draw(st.booleans())
    op = draw(st.sampled_from(["==", "!=", "in"]))
    written = swapcase_some(draw, literal(value))
    if op == "==":
        return Case(f"enabled == {written}", lambda r: r.enabled is value)
    if op == "!=":
        return Case(f"enabled != {written}", lambda r: r.enabled is not value)
    return positive_and_negative(draw, "enabled", "in", f"[{written}]", lambda r: r.enabled is value)


@st.composite
def time_comparisons(draw: st.DrawFn) -> Case:
    """Times compare as instants, whatever offset the row or the filter was written with."""
    op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "in"]))
    value = draw(moments)
    form = draw(st.sampled_from(["date", "string", "now"]))
    if form == "date":
        written = f"date({value.isoformat()})"
    elif form == "string":
        written = quoted(value.isoformat())
    else:  # every instant of the pool is years before an hour ago
        value, written = datetime.now(UTC) - timedelta(hours=1), "now(-1h)"
    if op == "in":
        return positive_and_negative(
            draw, "date", "in", f"[{written}]", lambda r: r.date is not None and r.date == value
        )
    if op == "==":
        return Case(f"date == {written}", lambda r: r.date is not None and r.date == value)
    if op == "!=":
        return Case(f"date != {written}", lambda r: r.date is None or r.date != value)
    compare = ORDERED[op]
    return Case(f"date {op} {written}", lambda r: r.date is not None and compare(r.date, value))


@st.composite
def list_comparisons(draw: st.DrawFn) -> Case:
    """On a list, ``contains`` is membership of the value, not a substring of the JSON text."""
    op = draw(st.sampled_from(["contains", "==", "matches", "exists"]))
    if op == "contains":
        item = draw(st.sampled_from(["a", "A", "b", "a b", "1", " "]))
        return positive_and_negative(
            draw, "tags", "contains", quoted(item), lambda r: r.tags is not None and item in r.tags
        )
    if op == "==":
        value = draw(TEXT)
        return Case(f"tags == {quoted(value)}", lambda r: r.tags is not None and json_text(value) == _json(r, "tags"))
    if op == "matches":
        pattern = draw(PATTERNS | st.sampled_from([r'^\["a"', r"\]$", "1"]))
        return Case(
            f"tags matches {quoted(pattern)}",
            lambda r: r.tags is not None and re.search(pattern, _json(r, "tags") or "") is not None,
        )
    return positive_and_negative(draw, "tags", "exists", "", lambda r: r.tags is not None)


@st.composite
def json_comparisons(draw: st.DrawFn) -> Case:
    """Free-form values: ``==``/``in`` compare canonical JSON; ``contains``/``matches`` read the JSON text."""
    attribute = draw(st.sampled_from(["data", "raw"]))
    op = draw(st.sampled_from(["==", "!=", "contains", "matches", "in", "exists"]))

    def text(r: Thing) -> str | None:
        return _json(r, attribute)

    if op == "exists":
        return positive_and_negative(draw, attribute, "exists", "", lambda r: text(r) is not None)
    if op == "contains":
        part = draw(TEXT | st.sampled_from(['"k"', ":", "1", "[", "true"]))
        return positive_and_negative(
            draw, attribute, "contains", quoted(part), lambda r: text(r) is not None and part in (text(r) or "")
        )
    if op == "matches":
        pattern = draw(PATTERNS | st.sampled_from([r"^\{", r"^\[", r'"k":', "^1$", "null"]))
        return Case(
            f"{attribute} matches {quoted(pattern)}",
            lambda r: text(r) is not None and re.search(pattern, text(r) or "") is not None,
        )
    scalars = TEXT | st.integers(-2, 2) | st.booleans() | st.sampled_from([1.0, 0.5])
    if op == "in":
        values = draw(st.lists(scalars, max_size=3))
        wanted = {json_text(v) for v in values}
        return positive_and_negative(draw, attribute, "in", listed(values), lambda r: text(r) in wanted)
    value = draw(scalars)
    if op == "==":
        return Case(f"{attribute} == {literal(value)}", lambda r: text(r) == json_text(value))
    return Case(f"{attribute} != {literal(value)}", lambda r: text(r) != json_text(value))


@st.composite
def match_comparisons(draw: st.DrawFn) -> Case:
    """``matches`` searches anywhere in the text (a pattern is anchored only by its own ^ and $)."""
    attribute = draw(st.sampled_from(["name", "ID", "kind", "tags", "raw"]))
    pattern = draw(PATTERNS | st.sampled_from(["M", "e", r'"a"', "^t", "1$"]))

    def text(r: Thing) -> str | None:
        value = _value(r, attribute)
        return value if isinstance(value, str) and attribute in ("name", "ID", "kind") else _json(r, attribute)

    return Case(
        f"{swapcase_some(draw, attribute)} {swapcase_some(draw, 'matches')} {quoted(pattern)}",
        lambda r: text(r) is not None and re.search(pattern, text(r) or "") is not None,
    )


FAMILIES = {
    "text": text_comparisons(),
    "number": number_comparisons(),
    "boolean": boolean_comparisons(),
    "time": time_comparisons(),
    "list": list_comparisons(),
    "json": json_comparisons(),
    "matches": match_comparisons(),
}
comparisons = st.one_of(*FAMILIES.values())


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> Case:
    """``t1 g1 t2 g2 t3 ...`` with each glue ``and`` or ``or``, unparenthesised, so precedence
    matters; a term is a comparison or, now and then, a parenthesised expression."""
    count = draw(st.integers(1, 4 if depth == 0 else 2))
    terms: list[Case] = []
    for _ in range(count):
        if depth < 2 and draw(st.integers(0, 5)) == 0:
            inner = draw(expressions(depth + 1))
            terms.append(Case(f"({inner.text})", inner.holds))
        else:
            terms.append(draw(comparisons))
    glues = [draw(st.sampled_from(["and", "or"])) for _ in range(count - 1)]
    text = terms[0].text
    groups: list[list[Case]] = [[terms[0]]]
    for glue, term in zip(glues, terms[1:], strict=True):
        text += f" {swapcase_some(draw, glue)} {term.text}"
        if glue == "and":
            groups[-1].append(term)
        else:
            groups.append([term])

    def holds(r: Thing) -> bool:
        return any(all(t.holds(r) for t in group) for group in groups)

    return Case(text, holds)


# -- the properties ---------------------------------------------------------------------------


# The selector fixture is function-scoped but holds no state between examples: each example
# empties the table and inserts its own rows.
EACH_EXAMPLE = [HealthCheck.function_scoped_fixture]


@pytest.mark.parametrize("family", FAMILIES)
@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=EACH_EXAMPLE)
@given(data=st.data())
def test_each_operator_selects_what_its_reference_predicate_holds_for(
    select: Selector, family: str, data: st.DataObject
) -> None:
    rows = data.draw(things(), label="rows")
    case = data.draw(FAMILIES[family], label="comparison")
    assert select(rows, case.text) == expected(rows, case.holds), case.text


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=EACH_EXAMPLE)
@given(rows=things(), case=expressions())
def test_and_binds_tighter_than_or_and_parentheses_group(select: Selector, rows: list[Thing], case: Case) -> None:
    assert select(rows, case.text) == expected(rows, case.holds), case.text


def test_a_sample_of_the_rules_on_fixed_rows(select: Selector) -> None:
    """The rules the properties cover, spelt out once on rows a reader can check by eye."""
    selected = select
    rows = [
        Thing(id="t0", name="Alpha", tags=["x", "y"], count=1, raw={"k": "Alpha"}),
        Thing(id="t1", name="alpha", tags=["xy"], count=2, raw="alpha"),
        Thing(id="t2", name=None, tags=None, count=None, raw=None),
        Thing(id="t3", name="beta alpha", tags=[], count=2),
    ]
    assert selected(rows, 'name contains "alpha"') == {"t1", "t3"}  # case-sensitive
    assert selected(rows, 'name not contains "alpha"') == {"t0", "t2"}  # unset included
    assert selected(rows, 'name matches "alpha"') == {"t1", "t3"}  # anywhere, not anchored
    assert selected(rows, 'name matches "^alpha$"') == {"t1"}
    assert selected(rows, 'name not in ["alpha"]') == {"t0", "t2", "t3"}
    assert selected(rows, "name not in []") == {"t0", "t1", "t2", "t3"}
    assert selected(rows, "name in []") == set()
    assert selected(rows, 'name != "alpha"') == {"t0", "t2", "t3"}
    assert selected(rows, 'tags contains "x"') == {"t0"}  # membership, not substring of "xy"
    assert selected(rows, 'tags not contains "x"') == {"t1", "t2", "t3"}
    assert selected(rows, 'raw contains "Alpha"') == {"t0"}
    assert selected(rows, 'raw == "alpha"') == {"t1"}
    assert selected(rows, "count == 2 or count == 1 and name == 'nope'") == {"t1", "t3"}
    assert selected(rows, "(count == 2 or count == 1) and name == 'alpha'") == {"t1"}
    assert selected(rows, "count not exists") == {"t2"}


@pytest.mark.parametrize("dialect", [SQLITE, POSTGRES], ids=lambda d: d.name)
def test_a_client_filters_only_on_filterable_attributes_and_the_server_on_any(dialect: Dialect) -> None:
    """Each store's dialect, as the list parameters call it: a client's filter (not trusted) on an
    attribute that is not filterable is refused; the server's own (processors) may use it."""
    with pytest.raises(FilterError) as caught:
        dialect.compile_filter(parse('secret == "x"'), TABLE)
    assert caught.value.message.startswith("secret is not filterable; filterable attributes: ID, name, kind,")
    where, params = dialect.compile_filter(parse('secret == "x"'), TABLE, trusted=True)
    assert where.startswith('"secret" = ') and params == ["x"]
    where, params = dialect.compile_filter(
        parse('name == "n" and (secret == "x" or secret == "y")'), TABLE, trusted=True
    )
    assert where.count('"secret"') == 2 and params == ["n", "x", "y"]  # trusted all the way down
    keys = [(TABLE.columns[3], True), (TABLE.columns[1], False)]
    assert (
        dialect.order_by(keys, "thing")
        == {
            "sqlite": '"count" DESC, "name" ASC, "_seq" ASC',
            "postgresql": '"count" DESC NULLS LAST, "name" ASC NULLS FIRST, "_seq" ASC',
        }[dialect.name]
    )
