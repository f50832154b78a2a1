"""An endpoint's own query parameters (server/params.py ``Parameter`` and ``Parameters``) at
their source: each type at the edges of what it reads, the exact 400 of a value that does not
fit, defaults as a request would give them, and which parameters must come together."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from generator.runtime.server.errors import APIError
from generator.runtime.server.params import Parameter, Parameters, parse_list, parse_retrieve, parse_write
from tests.runtime.things import table


def refusal(call: Any, *args: Any) -> tuple[str, dict[str, Any]]:
    with pytest.raises(APIError) as caught:
        call(*args)
    (error,) = caught.value.errors
    assert caught.value.status == 400
    return error["description"], error["data"]


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("integer", str(2**63 - 1), 2**63 - 1),
        ("integer", str(-(2**63)), -(2**63)),
        ("integer", "0", 0),
        ("integer", "-0", 0),
        ("float", "1.", 1.0),
        ("float", "-.5e-2", -0.005),
        ("float", "+3E2", 300.0),
        ("float", "7", 7.0),
        ("boolean", "True", True),
        ("boolean", "FALSE", False),
        ("string", "", ""),
        ("time", "2024-06-01t10:00:00z", datetime(2024, 6, 1, 10, tzinfo=UTC)),
        ("duration", "30s", timedelta(seconds=30)),
    ],
)
def test_each_type_reads_the_whole_of_its_range(kind: Any, text: str, value: object) -> None:
    got = Parameter("p", kind).parse(text)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("integer", str(2**63), "a whole number"),
        ("integer", str(-(2**63) - 1), "a whole number"),
        ("integer", "1" * 20, "a whole number"),
        ("integer", " 1", "a whole number"),
        ("integer", "1_000", "a whole number"),
        ("integer", "٣", "a whole number"),  # a digit, but not an ASCII one
        ("float", "inf", "a number"),
        ("float", "-1e400", "a number"),
        ("float", "1e", "a number"),
        ("float", ".", "a number"),
        ("boolean", "1", "true or false"),
        ("boolean", "", "true or false"),
        ("time", "", "an RFC 3339 date or time such as 2019-06-17T10:00:00Z"),
        ("time", "9999-12-31T23:59:59-01:00", "an RFC 3339 date or time such as 2019-06-17T10:00:00Z"),
        ("duration", "", "a duration such as 30m, 24h or 1h30m (units s, m, h, d)"),
        ("duration", "5w", "a duration such as 30m, 24h or 1h30m (units s, m, h, d)"),
    ],
)
def test_a_value_that_does_not_fit_says_what_was_expected(kind: Any, text: str, expected: str) -> None:
    assert refusal(Parameter("when", kind).parse, text) == (
        f"parameter 'when' must be {expected}, not {text!r}",
        {"parameter": "when"},
    )


def test_a_refused_value_is_quoted_up_to_64_characters() -> None:
    assert (
        refusal(Parameter("n", "integer").parse, "x" * 100)[0]
        == f"parameter 'n' must be a whole number, not {'x' * 64!r}"
    )
    mode = Parameter("mode", "enum", choices=("fast", "Slow"))
    assert mode.parse("Slow") == "Slow"
    assert refusal(mode.parse, "slow" + "w" * 100) == (
        f"parameter 'mode' must be one of fast, Slow, not {('slow' + 'w' * 100)[:64]!r}",
        {"parameter": "mode"},
    )


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        (Parameter("a", "integer", default=3), 3),
        (Parameter("a", "float", default=3), 3.0),
        (Parameter("a", "float", default=True), 1.0),
        (Parameter("a", "boolean", default=False), False),
        (Parameter("a", "integer", default="12"), 12),
        (Parameter("a", "string", default=5), "5"),
        (Parameter("a", "time", default="2024-01-01"), datetime(2024, 1, 1, tzinfo=UTC)),
        (Parameter("a", "duration", default="1h"), timedelta(hours=1)),
        (Parameter("a", "enum", choices=("x", "y"), default="y"), "y"),
        (Parameter("a", "integer", multiple=True, default=4), [4]),
        (Parameter("a", "float", multiple=True, default=[1, 2.5]), [1.0, 2.5]),
        (Parameter("a", "string", multiple=True, default=("p", "q")), ["p", "q"]),
        (Parameter("a", "integer"), None),
        (Parameter("a", "integer", multiple=True), None),
    ],
)
def test_a_default_is_given_as_a_value_sent_would_be(parameter: Parameter, value: Any) -> None:
    got = parameter.default_value()
    assert got == value and type(got) is type(value)
    if isinstance(value, list):
        assert [type(v) for v in got] == [type(v) for v in value]
    assert Parameters([parameter]).parse({}) == {"a": value}


def test_several_values_of_a_multiple_parameter_are_each_checked() -> None:
    tags = Parameters([Parameter("n", "integer", multiple=True)])
    assert tags.parse({"n": ["1", "2", "1"]}) == {"n": [1, 2, 1]}
    assert refusal(tags.parse, {"n": ["1", "x"]})[0] == "parameter 'n' must be a whole number, not 'x'"
    assert tags.parse({"n": []}) == {"n": None}  # given with no value is not given


def test_a_required_parameter_and_one_given_twice() -> None:
    need = Parameters([Parameter("who", "string", required=True), Parameter("n", "integer", required=True)])
    assert refusal(need.parse, {"n": ["1"]}) == ("parameter 'who' is required", {"parameter": "who"})
    assert refusal(need.parse, {"who": ["a"], "n": []}) == ("parameter 'n' is required", {"parameter": "n"})
    assert refusal(need.parse, {"who": ["a"], "n": ["1", "2"]}) == (
        "parameter 'n' is given more than once",
        {"parameter": "n"},
    )
    assert need.names == ("who", "n") and set(need.by_name) == {"who", "n"}


def test_the_missing_parameter_named_is_from_the_alternative_most_nearly_given() -> None:
    window = Parameters(
        [Parameter(n, "string") for n in ("a", "b", "c", "d", "e")],
        combinations=[[["a", "b", "c"], ["d", "e"]], [["e"]]],
    )
    assert window.parse({"d": ["1"], "e": ["2"]})["d"] == "1"
    assert window.parse({"a": ["1"], "b": ["1"], "c": ["1"], "e": ["1"]})["a"] == "1"
    give = "give a and b and c or d and e: parameter"
    assert refusal(window.parse, {"a": ["1"], "c": ["1"], "e": ["1"]}) == (f"{give} 'b' is missing", {"parameter": "b"})
    assert refusal(window.parse, {"d": ["1"]}) == (f"{give} 'e' is missing", {"parameter": "e"})
    assert refusal(window.parse, {})[0] == f"{give} 'a' is missing"  # a tie: the first alternative
    assert refusal(window.parse, {"a": ["1"], "b": ["1"], "c": ["1"]})[0] == "give e: parameter 'e' is missing"


def test_every_endpoint_takes_its_own_parameters_beside_the_built_in_ones() -> None:
    own = Parameters([Parameter("shout", "boolean", default=False), Parameter("n", "integer")])
    assert parse_retrieve([("recursive", "true"), ("shout", "TRUE")], own) == (True, {"shout": True, "n": None})
    assert parse_retrieve([("n", "2")], own) == (False, {"shout": False, "n": 2})
    assert parse_write([("n", "5")], own) == {"shout": False, "n": 5}
    assert parse_write([], own) == {"shout": False, "n": None}
    assert parse_list([("n", "1")], table(), own).parameters == {"shout": False, "n": 1}
    assert refusal(parse_write, [("recursive", "true")], own) == (
        "unknown parameter 'recursive'; this endpoint takes: shout, n",
        {"parameter": "recursive"},
    )
    assert refusal(parse_retrieve, [("page", "1")], own)[0] == (
        "unknown parameter 'page'; this endpoint takes: recursive, shout, n"
    )
