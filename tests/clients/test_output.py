"""How the generated command line prints objects (generator/runtime/client/output.py), exactly."""

from __future__ import annotations

from typing import Any

import pytest

from generator.runtime.client import output


def test_json_is_indented_by_two_and_keeps_text_as_it_is() -> None:
    assert output.as_json({"b": [1, None], "a": "é"}) == '{\n  "b": [\n    1,\n    null\n  ],\n  "a": "é"\n}'
    assert output.render([{"x": True}], "json", ["ignored"]) == '[\n  {\n    "x": true\n  }\n]'


def test_yaml_keeps_the_order_of_the_keys_blocks_and_unicode_without_a_final_newline() -> None:
    assert output.as_yaml({"z": "é", "a": {"k": [1, 2]}}) == "z: é\na:\n  k:\n  - 1\n  - 2"
    assert output.render([{"a": 1}, {"b": None}], "yaml", []) == "- a: 1\n- b: null"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("plain", "plain"),
        ("two\nlines\t and  spaces ", "two lines and spaces"),
        (0, "0"),
        (False, "false"),
        (1.5, "1.5"),
        ({"k": [1, "é"]}, '{"k":[1,"é"]}'),
        ([], "[]"),
        ("x" * output.CELL, "x" * output.CELL),
        ("x" * (output.CELL + 1), "x" * (output.CELL - 1) + "\u2026"),
        ({"k": "y" * 50}, '{"k":"' + "y" * (output.CELL - 7) + "\u2026"),
    ],
)
def test_a_cell_is_one_line_of_at_most_its_width(value: Any, text: str) -> None:
    assert output.CELL == 40
    assert output.cell(value) == text


def test_a_table_is_the_header_then_a_line_per_object_in_columns_two_apart() -> None:
    rows: list[dict[str, Any]] = [{"ID": "a", "name": "long name", "n": 1}, {"ID": "bbbb", "n": None, "other": "x"}]
    assert output.as_table(rows, ["ID", "name", "n"]).split("\n") == [
        "ID    name       n",
        "a     long name  1",
        "bbbb",
    ]
    assert output.as_table([], ["ID", "n"]) == "ID  n"


def test_a_table_of_one_object_or_of_a_list_that_holds_other_things() -> None:
    assert output.render({"ID": "a", "n": 2}, "table", ["n", "ID"]) == "n  ID\n2  a"
    mixed: list[Any] = [{"ID": "a"}, "stray", 3, {"ID": "b"}]
    assert output.render(mixed, "table", ["ID"]) == "ID\na\nb"
    assert output.FORMATS == ("json", "yaml", "table")


def test_yaml_loses_only_its_final_newline() -> None:
    assert output.as_yaml({"k": "endsX"}) == "k: endsX"
    assert output.as_yaml(["a", "b"]) == "- a\n- b"
