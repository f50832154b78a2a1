"""generator.indented_json writes what json.dumps(indent=2, ensure_ascii=False) writes, through orjson."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from generator.indented_json import indented

# What a spec's JSON can hold: YAML refuses .nan and .inf, strings are valid UTF-8 (no lone surrogates).
_TEXT = st.text(alphabet=st.characters(codec="utf-8"))
_NUMBERS = st.integers(min_value=-(2**63), max_value=2**64 - 1) | st.floats(allow_nan=False, allow_infinity=False)
_SCALARS = st.none() | st.booleans() | _NUMBERS | _TEXT


def _json(scalars: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(scalars, lambda children: st.lists(children) | st.dictionaries(_TEXT, children), max_leaves=40)


@given(_json(_SCALARS))
def test_it_reads_back_as_the_same_value(value: Any) -> None:
    assert json.loads(indented(value)) == value
    assert json.loads(indented(value, sort_keys=True)) == value


@given(_json(st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | _TEXT))
def test_without_floats_the_same_bytes_as_json_dumps(value: Any) -> None:
    assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)
    assert indented(value, sort_keys=True) == json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: f == 0 or 1e-4 <= abs(f) < 1e16))
def test_floats_of_ordinary_size_the_same_bytes_as_json_dumps(number: float) -> None:
    assert indented([number, {"x": number}]) == json.dumps([number, {"x": number}], indent=2)


def test_integers_beyond_64_bits_still_written() -> None:
    value = {"b": [10**30, -(10**30)], "a": "é"}
    assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)
    assert indented(value, sort_keys=True) == json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


def test_empty_containers_and_scalars_at_the_top() -> None:
    values: list[object] = [{}, [], {"a": {}, "b": []}, "text\n\x1f", 3, None, True]
    for value in values:
        assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)
