"""The parser of the filter language: the tree it builds, the values it reads, and where it says it broke.

Columns are 1-based and point at the token that is wrong (the API answers them to the client),
so every error case checks its column and its message.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.runtime.server import encoding
from generator.runtime.server.filters import Comparison, Conjunction, Disjunction, FilterError, parse, parse_duration
from generator.runtime.server.limits import MAX_COMPARISONS, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, MAX_LIST_ITEMS
from tests.ids import plain_id


def only(text: str) -> Comparison:
    node = parse(text)
    assert isinstance(node, Comparison)
    return node


def error(text: str) -> tuple[int, str]:
    with pytest.raises(FilterError) as caught:
        parse(text)
    assert str(caught.value) == f"column {caught.value.column}: {caught.value.message}"
    return caught.value.column, caught.value.message


# -- the tree ---------------------------------------------------------------------------------


def test_a_comparison_records_where_its_name_and_value_start() -> None:
    assert parse('  name == "x"') == Comparison("name", "==", "x", 3, 11)
    assert parse("count>=2") == Comparison("count", ">=", 2, 1, 8)
    assert parse("ID exists") == Comparison("ID", "exists", None, 1, 4)
    assert parse("ID not   exists") == Comparison("ID", "not exists", None, 1, 10)
    assert parse("tags NOT Contains 'a'") == Comparison("tags", "not contains", "a", 1, 19)
    assert parse("a In [1, 2]") == Comparison("a", "in", (1, 2), 1, 6)
    assert parse("a not in []") == Comparison("a", "not in", (), 1, 10)
    assert parse('a matches "^x"') == Comparison("a", "matches", "^x", 1, 11)


@pytest.mark.parametrize("operator", ["==", "!=", "<", "<=", ">", ">="])
def test_every_symbol_operator_reads_with_and_without_spaces(operator: str) -> None:
    assert parse(f"a {operator} 1") == Comparison("a", operator, 1, 1, 4 + len(operator))
    assert parse(f"a{operator}1") == Comparison("a", operator, 1, 1, 2 + len(operator))


def test_and_binds_tighter_than_or_and_chains_are_flat() -> None:
    tree = parse("a exists or b exists and c exists or d exists")
    assert isinstance(tree, Disjunction) and len(tree.parts) == 3
    first, middle, last = tree.parts
    assert first == Comparison("a", "exists", None, 1, 3)
    assert middle == Conjunction((Comparison("b", "exists", None, 13, 15), Comparison("c", "exists", None, 26, 28)))
    assert last == Comparison("d", "exists", None, 38, 40)
    grouped = parse("(a exists OR b exists) AND c exists")
    assert grouped == Conjunction(
        (
            Disjunction((Comparison("a", "exists", None, 2, 4), Comparison("b", "exists", None, 14, 16))),
            Comparison("c", "exists", None, 28, 30),
        )
    )
    assert parse("((a exists))") == Comparison("a", "exists", None, 3, 5)
    chain = parse("a == 1 and b == 2 and c == 3")
    assert isinstance(chain, Conjunction) and [p.attribute for p in chain.parts] == ["a", "b", "c"]  # type: ignore[union-attr]


def test_date_and_now_are_attribute_names_unless_called() -> None:
    assert parse("date > now(-1h)").attribute == "date"  # type: ignore[union-attr]
    assert parse("now == 1") == Comparison("now", "==", 1, 1, 8)
    assert parse("date exists") == Comparison("date", "exists", None, 1, 6)


# -- values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ('"plain"', "plain"),
        ("'single'", "single"),
        ('"with \\"quote\\""', 'with "quote"'),
        ("'it\\'s'", "it's"),
        ('"a\\\\b"', "a\\b"),
        ('"\\d+\\.\\w"', "\\d+\\.\\w"),  # other backslashes stay, for regular expressions
        ("'say \"hi\"'", 'say "hi"'),
        ('""', ""),
        ('"and or ( ) [ ] , == not"', "and or ( ) [ ] , == not"),
        ("42", 42),
        ("-7", -7),
        ("+3", 3),
        ("0", 0),
        ("1.5", 1.5),
        ("-0.25", -0.25),
        (".5", 0.5),
        ("5.", 5.0),
        ("1e3", 1000.0),
        ("2E-2", 0.02),
        ("-1e+2", -100.0),
        ("true", True),
        ("TRUE", True),
        ("False", False),
        (str(2**63 - 1), 2**63 - 1),
        (str(-(2**63)), -(2**63)),
    ],
)
def test_values_read_as_their_type(written: str, value: object) -> None:
    got = only(f"a == {written}").value
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(
    ("written", "moment"),
    [
        ("date(2019-06-17)", datetime(2019, 6, 17, tzinfo=UTC)),
        ("DATE( 2019-06-17T10:00:00Z )", datetime(2019, 6, 17, 10, tzinfo=UTC)),
        ('date("2019-06-17T10:00:00+02:00")', datetime(2019, 6, 17, 8, tzinfo=UTC)),
        ("date('2019-06-17T10:00:00.5-01:30')", datetime(2019, 6, 17, 11, 30, 0, 500000, tzinfo=UTC)),
        ("date (2019-06-17t10:00:00z)", datetime(2019, 6, 17, 10, tzinfo=UTC)),
    ],
)
def test_dates_are_instants_in_utc(written: str, moment: datetime) -> None:
    got = only(f"date > {written}").value
    assert got == moment
    assert isinstance(got, datetime) and got.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("argument", "delta"),
    [
        ("-1h", -timedelta(hours=1)),
        ("+2d", timedelta(days=2)),
        ("30m", timedelta(minutes=30)),
        ("-1h30m", -timedelta(hours=1, minutes=30)),
        ("-1d2h3m4s", -timedelta(days=1, hours=2, minutes=3, seconds=4)),
        ("", timedelta()),
        (" - 90 s ", -timedelta(seconds=90)),
        ("'-1h'", -timedelta(hours=1)),
    ],
)
def test_now_is_the_current_instant_moved_by_a_duration(argument: str, delta: timedelta) -> None:
    before = encoding.now()
    got = only(f"date < now({argument})").value
    after = encoding.now()
    assert isinstance(got, datetime)
    assert before + delta <= got <= after + delta


def test_list_items_are_scalars_of_any_kind() -> None:
    assert only("a in ['x', 2, 2.5, false, date(2020-01-01)]").value == (
        "x",
        2,
        2.5,
        False,
        datetime(2020, 1, 1, tzinfo=UTC),
    )
    assert only("a in [ 'x' ]").value == ("x",)
    assert only("a in [" + ", ".join(["1"] * MAX_LIST_ITEMS) + "]").value == (1,) * MAX_LIST_ITEMS


@settings(max_examples=200, deadline=None, derandomize=True)
@given(text=st.text(max_size=20), quote=st.sampled_from(['"', "'"]))
def test_any_text_round_trips_through_a_quoted_string(text: str, quote: str) -> None:
    written = quote + text.replace("\\", "\\\\").replace(quote, "\\" + quote) + quote
    assert only(f"name == {written}").value == text


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    moment=st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9998, 12, 30), timezones=st.just(UTC)),
    minutes=st.integers(-23 * 60 - 59, 23 * 60 + 59),
)
def test_a_date_with_any_offset_is_the_same_instant(moment: datetime, minutes: int) -> None:
    local = moment.astimezone(timezone(timedelta(minutes=minutes)))
    assert only(f"date == date({local.isoformat()})").value == moment


# -- errors, with their column ----------------------------------------------------------------

ERRORS = [
    ("", 1, "the filter is empty"),
    ("   \t", 1, "the filter is empty"),
    ("a = 1", 3, "'=' is not an operator; use == or !="),
    ("a ! 1", 3, "'!' is not an operator; use == or !="),
    ("a == 1 # b", 8, "unexpected character '#'"),
    ('a == "open', 6, 'the string opened here is never closed with "'),
    ("a == 'open\\'", 6, "the string opened here is never closed with '"),
    ("a == date(2019", 6, "date( is never closed with ')'"),
    ("a == 1 b", 8, "expected 'and', 'or' or the end of the filter, found 'b'"),
    ("a == 1 'x'", 8, "expected 'and', 'or' or the end of the filter, found a string"),
    ("a == 1)", 7, "expected 'and', 'or' or the end of the filter, found ')'"),
    ("(a == 1", 8, "expected ')' to close the '(' at column 1, found the end of the filter"),
    ("x == 1 and (a == 1 'b'", 20, "expected ')' to close the '(' at column 12, found a string"),
    ("== 1", 1, "expected an attribute name or '(', found '=='"),
    ("a == 1 and", 11, "expected an attribute name or '(', found the end of the filter"),
    ("a == 1 or 3", 11, "expected an attribute name or '(', found '3'"),
    (
        "a 1",
        3,
        "expected an operator after 'a' (==, !=, <, <=, >, >=, contains, not contains, matches, in, not in,"
        " exists, not exists), found '1'",
    ),
    (
        'a "contains" "x"',
        3,
        "expected an operator after 'a' (==, !=, <, <=, >, >=, contains, not contains, matches, in, not in,"
        " exists, not exists), found a string",
    ),
    (
        "a",
        2,
        "expected an operator after 'a' (==, !=, <, <=, >, >=, contains, not contains, matches, in, not in,"
        " exists, not exists), found the end of the filter",
    ),
    ("a not == 1", 7, "expected contains, in or exists after 'not', found '=='"),
    ('a not "in" [1]', 7, "expected contains, in or exists after 'not', found a string"),
    ("a not matches 'x'", 7, "expected contains, in or exists after 'not', found 'matches'"),
    ("a not", 6, "expected contains, in or exists after 'not', found the end of the filter"),
    ("a in 'x'", 6, 'expected a list like ["a", "b"], found a string'),
    ("a not in (1)", 10, 'expected a list like ["a", "b"], found \'(\''),
    ("a in [1 2]", 9, "expected ',' or ']' in the list, found '2'"),
    ("a in [1,", 9, "expected a value after 'in', found the end of the filter"),
    ("a in [[1]]", 7, "a list goes with 'in' or 'not in', not 'in'"),
    ("a == [1]", 6, "a list goes with 'in' or 'not in', not '=='"),
    ("a contains [1]", 12, "a list goes with 'in' or 'not in', not 'contains'"),
    ("a == x", 6, "expected a value after '==', found 'x'; quote text values"),
    ("a == )", 6, "expected a value after '==', found ')'"),
    ("a >=", 5, "expected a value after '>=', found the end of the filter"),
    ("a == 1e999", 6, "number 1e999 is out of range"),
    ("a == -1e999", 6, "number -1e999 is out of range"),
    (f"a == {2**63}", 6, f"number {2**63} is out of range"),
    (f"a == {-(2**63) - 1}", 6, f"number {-(2**63) - 1} is out of range"),
    (
        "a == date(yesterday)",
        11,
        "date(...) takes an RFC 3339 date or time, e.g. date(2019-06-17) or date(2019-06-17T10:00:00Z)",
    ),
    (
        "a == date(  '2019-13-01' )",
        14,
        "date(...) takes an RFC 3339 date or time, e.g. date(2019-06-17) or date(2019-06-17T10:00:00Z)",
    ),
    ("a == now(1x)", 10, "now(...) takes a duration like -1h, -30m, +2d or -1h30m (units s, m, h, d)"),
    ("a == now(-h)", 10, "now(...) takes a duration like -1h, -30m, +2d or -1h30m (units s, m, h, d)"),
    ("a == now( -1h 2 )", 11, "now(...) takes a duration like -1h, -30m, +2d or -1h30m (units s, m, h, d)"),
    ("a == now(--1h)", 10, "now(...) takes a duration like -1h, -30m, +2d or -1h30m (units s, m, h, d)"),
    ("a == now(-99999999999d)", 10, "now(...) duration is out of range"),
]


@pytest.mark.parametrize(("text", "column", "message"), ERRORS, ids=[plain_id(e[0]) for e in ERRORS])
def test_errors_say_where_and_why(text: str, column: int, message: str) -> None:
    assert error(text) == (column, message)


def test_the_limits_of_one_filter() -> None:
    longest = "a == " + '"' + "x" * (MAX_FILTER_LENGTH - 7) + '"'
    assert len(longest) == MAX_FILTER_LENGTH
    assert only(longest).value == "x" * (MAX_FILTER_LENGTH - 7)
    assert error(longest + " ") == (MAX_FILTER_LENGTH + 1, f"a filter is at most {MAX_FILTER_LENGTH} characters")

    deepest = "(" * MAX_FILTER_DEPTH + "a exists" + ")" * MAX_FILTER_DEPTH
    assert only(deepest).attribute == "a"
    too_deep = "(" * (MAX_FILTER_DEPTH + 1) + "a exists" + ")" * (MAX_FILTER_DEPTH + 1)
    assert error(too_deep) == (MAX_FILTER_DEPTH + 1, f"parentheses nest deeper than {MAX_FILTER_DEPTH}")
    beside = " or ".join(["(" * MAX_FILTER_DEPTH + "a exists" + ")" * MAX_FILTER_DEPTH] * 2)
    assert isinstance(parse(beside), Disjunction), "depth is nesting, not the number of parentheses"

    most = " or ".join(["a exists"] * MAX_COMPARISONS)
    assert isinstance(parse(most), Disjunction)
    column = len(most) + len(" or ") + 1
    assert error(most + " or a exists") == (column, f"more than {MAX_COMPARISONS} comparisons")

    too_many = "a in [" + ", ".join(["1"] * (MAX_LIST_ITEMS + 1)) + "]"
    assert error(too_many) == (7 + 3 * MAX_LIST_ITEMS, f"a list holds at most {MAX_LIST_ITEMS} values")


def test_a_string_left_open_after_a_backslash_is_a_filter_error() -> None:
    with pytest.raises(FilterError) as caught:
        parse('name == "abc\\')
    assert str(caught.value) == 'column 9: the string opened here is never closed with "'


def test_a_duration_is_at_most_64_characters() -> None:
    assert parse_duration("0" * 63 + "s") == timedelta(0)
    with pytest.raises(ValueError) as caught:
        parse_duration("0" * 64 + "s")
    assert str(caught.value) == f"not a duration: {'0' * 64!r}"  # quoted to 64 characters too
