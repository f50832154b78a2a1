"""Where the filter language meets the spec: which attributes and values fit, and the SQL made of them.

What a filter selects is held by test_filter_semantics.py; here are the refusals (each with
the column the API reports), the parameters values travel as, and the ORDER BY text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from generator.runtime.server import pg_sql
from generator.runtime.server.filters import Comparison, FilterError, Node, parse
from generator.runtime.server.limits import MAX_MATCH_TEXT, MAX_PATTERN, MAX_PATTERN_PROGRAM
from generator.runtime.server.sql import compile_filter, compiled_pattern, order_by, regexp
from generator.runtime.server.table import Table
from tests.ids import plain_id
from tests.runtime.things import table

TABLE = table()
Compiler = Callable[[Node, Table], tuple[str, list[object]]]
FILTERABLE = "ID, name, kind, count, ratio, enabled, date, tags, data, raw, namespace"


def compiled(text: str) -> tuple[str, list[object]]:
    return compile_filter(parse(text), TABLE)


def refusal(text: str, dialect: Compiler = compile_filter) -> tuple[int, str]:
    with pytest.raises(FilterError) as caught:
        dialect(parse(text), TABLE)
    return caught.value.column, caught.value.message


REFUSALS = [
    ('nope == "x"', 1, f"unknown attribute 'nope'; filterable attributes: {FILTERABLE}"),
    ('ID == "x" or secret == "x"', 14, f"secret is not filterable; filterable attributes: {FILTERABLE}"),
    ("code exists", 1, f"code is not filterable; filterable attributes: {FILTERABLE}"),
    ('count contains "1"', 1, "'contains' applies to text, lists and raw data, not to integer attribute count"),
    ('ratio not contains "1"', 1, "'not contains' applies to text, lists and raw data, not to float attribute ratio"),
    ('date matches "2020"', 1, "'matches' applies to text, lists and raw data, not to time attribute date"),
    ('enabled matches "t"', 1, "'matches' applies to text, lists and raw data, not to boolean attribute enabled"),
    ("name contains 1", 15, "'contains' takes a quoted string"),
    ("tags not contains true", 19, "'not contains' takes a quoted string"),
    ("name matches date(2020-01-01)", 14, "'matches' takes a quoted string"),
    ('name matches "("', 14, "not a valid regular expression (RE2 syntax): missing ): ("),
    ('name matches "a{2,1}"', 14, "not a valid regular expression (RE2 syntax): invalid repetition size: {2,1}"),
    ('name matches "(a)\\\\1"', 14, "not a valid regular expression (RE2 syntax): invalid escape sequence: \\1"),
    (  # refused before RE2 sees it (a lone surrogate has no UTF-8): the reason is still the whole message
        'name matches "\ud800"',
        14,
        "not a valid regular expression (RE2 syntax): 'utf-8' codec can't encode character '\\ud800' in position 0:"
        " surrogates not allowed",
    ),
    (
        'name matches "' + "a" * (MAX_PATTERN_PROGRAM - 3) + '"',
        14,
        f"the regular expression is too complex: {MAX_PATTERN_PROGRAM + 1} RE2 instructions, at most"
        f" {MAX_PATTERN_PROGRAM} (large counted repeats such as {{500}} cost the most)",
    ),
    (
        'name matches "' + "a" * (MAX_PATTERN + 1) + '"',
        14,
        f"a regular expression is at most {MAX_PATTERN} characters",
    ),
    ('kind == "huge"', 9, "'huge' is not one of kind's choices: small, Medium, large"),
    ('kind == "medium"', 9, "'medium' is not one of kind's choices: small, Medium, large"),  # choices are exact
    ('kind in ["small", "LARGE"]', 9, "'LARGE' is not one of kind's choices: small, Medium, large"),
    ("name == 1", 9, "name is text: quote the value"),
    ("ID != true", 7, "ID is text: quote the value"),
    ("name in ['a', 2]", 9, "name is text: quote the value"),  # items of a list: the list's column
    ("kind != 2", 9, "kind is text: quote the value"),
    (
        'date > "yesterday"',
        8,
        "date is a time: use date(2019-06-17T10:00:00Z), now(-1h) or an RFC 3339 string",
    ),
    ("date < 5", 8, "date is a time: use date(2019-06-17T10:00:00Z), now(-1h) or an RFC 3339 string"),
    ("date in [true]", 9, "date is a time: use date(2019-06-17T10:00:00Z), now(-1h) or an RFC 3339 string"),
    ("enabled == 1", 12, "enabled is a boolean: use true or false"),
    ('enabled != "true"', 12, "enabled is a boolean: use true or false"),
    ('count == "1"', 10, "count is a number"),
    ("ratio >= true", 10, "ratio is a number"),
    ("count in [1, false]", 10, "count is a number"),
    ("count == date(2020-01-01)", 10, "count is a number"),
    ("enabled < true", 1, "'<' does not apply to boolean attribute enabled"),
    ('tags >= "a"', 1, "'>=' does not apply to list attribute tags"),
    ('data > "a"', 1, "'>' does not apply to object attribute data"),
    ("raw <= 1", 1, "'<=' does not apply to raw_data attribute raw"),
]


@pytest.mark.parametrize("dialect", [compile_filter, pg_sql.compile_filter], ids=["sqlite", "postgresql"])
@pytest.mark.parametrize(("text", "column", "message"), REFUSALS, ids=[plain_id(r[0][:40]) for r in REFUSALS])
def test_filters_that_do_not_fit_the_spec_are_refused_where_they_go_wrong(
    dialect: Compiler, text: str, column: int, message: str
) -> None:
    """Both stores' SQL refuse the same filters, with the same words at the same place."""
    assert refusal(text, dialect) == (column, message)


def test_the_longest_pattern_is_accepted() -> None:
    longest = "[a-z]" * (MAX_PATTERN // 5) + "a" * (MAX_PATTERN % 5)  # few RE2 instructions
    assert len(longest) == MAX_PATTERN
    assert compiled(f'name matches "{longest}"')[1] == [longest]


def test_the_largest_program_is_accepted() -> None:
    """RE2 adds 4 instructions to one per literal character: 496 of them make 500."""
    largest = "a" * (MAX_PATTERN_PROGRAM - 4)
    assert compiled_pattern(largest).programsize == MAX_PATTERN_PROGRAM
    assert compiled(f'name matches "{largest}"')[1] == [largest]


@pytest.mark.parametrize("dialect", [compile_filter, pg_sql.compile_filter], ids=["sqlite", "postgresql"])
def test_a_list_value_outside_in_is_refused(dialect: Compiler) -> None:
    """The parser never makes one; the compiler still refuses a list where a scalar goes."""
    node = Comparison("name", "==", ("a",), 1, 9)
    with pytest.raises(FilterError) as caught:
        dialect(node, TABLE)
    assert (caught.value.column, caught.value.message) == (9, "a list goes with 'in' or 'not in' only")


def test_values_travel_as_parameters_in_their_postgresql_form() -> None:
    """On PostgreSQL a boolean is a boolean, a time a timestamptz (any offset, the same instant),
    a JSON value jsonb of its canonical text."""

    def pg(text: str) -> tuple[str, list[object]]:
        return pg_sql.compile_filter(parse(text), TABLE)

    assert pg('name == "x\'; DROP TABLE thing; --"') == ('"name" = %s', ["x'; DROP TABLE thing; --"])
    assert pg("enabled == true") == ('"enabled" = %s', [True])
    assert pg("enabled != false") == ('"enabled" IS DISTINCT FROM %s', [False])
    assert pg("date >= date(2020-01-02T03:04:05+01:00)") == (
        '"date" >= %s',
        [datetime(2020, 1, 2, 2, 4, 5, tzinfo=UTC)],
    )
    assert pg('date < "2020-01-02T00:00:00-05:30"') == ('"date" < %s', [datetime(2020, 1, 2, 5, 30, tzinfo=UTC)])
    assert pg("count in [1, 2.5]") == ('"count" IN (%s, %s)', [1, 2.5])
    assert pg("count not in [3]") == ('("count" IS NULL OR "count" NOT IN (%s))', [3])
    assert pg("count in []") == ("FALSE", []) and pg("count not in []") == ("TRUE", [])
    assert pg("raw in [1, 'a']") == ('"raw" IN (%s::jsonb, %s::jsonb)', ["1", '"a"'])
    assert pg("raw == true") == ('"raw" = %s::jsonb', ["true"])
    assert pg('NAME contains "a"') == ('strpos("name", %s) > 0', ["a"])
    assert pg('name not contains "a"') == ('("name" IS NULL OR NOT strpos("name", %s) > 0)', ["a"])
    assert pg('tags contains "a"') == ('"tags" @> jsonb_build_array(%s::text)', ["a"])
    assert pg('raw contains "a"') == ('strpos(specgen_json_text("raw"), %s) > 0', ["a"])
    assert pg('name matches "^a"') == ('substr("name", 1, 65536) ~ %s', ["^a"])
    assert pg("name exists") == ('"name" IS NOT NULL', []) and pg("name not exists") == ('"name" IS NULL', [])
    sql, params = pg('(name == "a" or count > 1) and kind in ["small", "large"] and raw exists')
    assert sql == '(("name" = %s OR "count" > %s) AND "kind" IN (%s, %s) AND "raw" IS NOT NULL)'
    assert params == ["a", 1, "small", "large"]


def test_values_travel_as_parameters_in_their_stored_form() -> None:
    assert compiled('name == "x\'; DROP TABLE thing; --"') == ('"name" = ?', ["x'; DROP TABLE thing; --"])
    assert compiled("enabled == true") == ('"enabled" = ?', [1])
    assert compiled("enabled != false") == ('"enabled" IS NOT ?', [0])
    assert compiled("date >= date(2020-01-02T03:04:05+01:00)") == ('"date" >= ?', ["2020-01-02T02:04:05.000000Z"])
    assert compiled('date < "2020-01-02"') == ('"date" < ?', ["2020-01-02T00:00:00.000000Z"])
    assert compiled("count in [1, 2.5]") == ('"count" IN (?, ?)', [1, 2.5])
    assert compiled("count not in [3]") == ('("count" IS NULL OR "count" NOT IN (?))', [3])
    assert compiled("count in []") == ("0", [])
    assert compiled("count not in []") == ("1", [])
    assert compiled("kind == 'Medium'") == ('"kind" = ?', ["Medium"])
    assert compiled("ratio <= -1") == ('"ratio" <= ?', [-1])
    assert compiled('NAME contains "a"') == ('instr("name", ?) > 0', ["a"])
    assert compiled('name not contains "a"') == ('("name" IS NULL OR NOT instr("name", ?) > 0)', ["a"])
    assert compiled('tags contains "a"') == ('EXISTS (SELECT 1 FROM json_each("tags") WHERE value = ?)', ["a"])
    # A search reads the first MAX_MATCH_TEXT bytes of a value, as UTF-8 (numbers and JSON as their text).
    assert MAX_MATCH_TEXT == 65536
    assert compiled('name matches "^a"') == ('filter_matches(?, substr(CAST("name" AS BLOB), 1, 65536))', ["^a"])
    assert compiled("name exists") == ('"name" IS NOT NULL', [])
    assert compiled("name not exists") == ('"name" IS NULL', [])


def test_free_form_values_compare_as_canonical_json() -> None:
    assert compiled('raw == "x"') == ('"raw" = ?', ['"x"'])
    assert compiled("raw == 1") == ('"raw" = ?', ["1"])
    assert compiled("raw == 1.5") == ('"raw" = ?', ["1.5"])
    assert compiled("raw == true") == ('"raw" = ?', ["true"])
    assert compiled("data in ['é', false]") == ('"data" IN (?, ?)', ['"é"', "false"])
    assert compiled("raw != date(2020-01-02T03:04:05Z)") == ('"raw" IS NOT ?', ['"2020-01-02T03:04:05.000000Z"'])
    assert compiled('raw contains "k"') == ('instr("raw", ?) > 0', ["k"])


def test_several_comparisons_keep_their_parameters_in_order() -> None:
    sql, params = compiled('(name == "a" or count > 1) and kind in ["small", "large"] and raw exists')
    assert sql == '(("name" = ? OR "count" > ?) AND "kind" IN (?, ?) AND "raw" IS NOT NULL)'
    assert params == ["a", 1, "small", "large"]


def test_matches_searches_anywhere_and_never_matches_unset() -> None:
    assert regexp("b", b"abc") and regexp("^a", b"abc") and regexp("c$", b"abc")
    assert not regexp("^b", b"abc") and not regexp("B", b"abc")
    assert regexp("é$", "café".encode()) and regexp("^caf.$", "café".encode())  # UTF-8, a character at a time
    assert not regexp(".*", None) and regexp(".*", b"")


def test_order_by_breaks_ties_by_arrival_in_the_direction_of_the_last_key() -> None:
    name, count = TABLE.column("name"), TABLE.column("count")
    assert name is not None and count is not None
    assert order_by([]) == '"_seq" ASC'
    assert order_by([(name, False)]) == '"name" ASC, "_seq" ASC'
    assert order_by([(name, True)]) == '"name" DESC, "_seq" DESC'
    assert order_by([(name, True), (count, False)]) == '"name" DESC, "count" ASC, "_seq" ASC'
    assert order_by([(name, False), (count, True)]) == '"name" ASC, "count" DESC, "_seq" DESC'
