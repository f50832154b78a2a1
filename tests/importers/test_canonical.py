"""The canonical writer: any data comes back exactly as written, in one stable layout."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.importers.canonical import WIDTH, spec_text
from generator.yamlsource import load_yaml
from tests.conftest import GOLDEN
from tests.spec_strategies import PIECES, model_specs

text = st.lists(
    st.sampled_from([*PIECES, "yes", "no", "1.0", "- x", ": ", " #", "'", "\r", "\x85", "\u2028"]), max_size=12
).map("".join)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**15), 10**15)
    | st.floats(allow_nan=False, allow_infinity=False)
    | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)


def _read(text_: str) -> Any:
    return load_yaml(text_.encode("utf-8"), "x").data


@settings(max_examples=200, deadline=None)
@given(description=text.filter(bool), example=json_values, default=json_values)
def test_any_text_and_value_come_back_exactly(description: str, example: Any, default: Any) -> None:
    data = {
        "model": {
            "name": "task",
            "category": "tasks",
            "class_name": "Task",
            "description": description,
            "operations": ["list"],
        },
        "attributes": [
            {
                "name": "a",
                "description": description,
                "type": "raw_data",
                "example_value": example,
                "default_value": default,
            }
        ],
    }
    written = spec_text("model", data)  # checks its own round trip; this holds it here too
    assert _read(written) == data


@settings(max_examples=50, deadline=None)
@given(spec=model_specs(0))
def test_random_models_are_stable(spec: dict[str, Any]) -> None:
    first = spec_text("model", spec, schema_ref="../schemas/model.schema.json")
    assert spec_text("model", _read(first), schema_ref="../schemas/model.schema.json") == first


@pytest.mark.parametrize(
    "name", ["task.spec.yaml", "project.spec.yaml", "_api.yaml", "timed.abstract.yaml", "label.type.yaml"]
)
def test_layout_of_the_whole_api_fixture(name: str) -> None:
    path = GOLDEN / "whole_api" / "specs" / name
    kind = {"_api.yaml": "api"}.get(name, name.split(".")[-2].replace("spec", "model"))
    data = _read(path.read_text("utf-8"))
    written = spec_text(kind, data, schema_ref="s.json", comment="One line.\nTwo lines.")
    lines = written.splitlines()
    assert lines[:3] == ["# yaml-language-server: $schema=s.json", "# One line.", "# Two lines."]
    assert all(len(line) <= WIDTH or " " not in line.strip() for line in lines)
    top_keys = [line.split(":")[0] for line in lines if line and not line.startswith((" ", "#"))]
    assert top_keys == list(data)  # the order the schema lists them in, as the fixture has them
    if "attributes" in data:
        assert "\n\n  - name:" in written  # a blank line between attributes


def test_keys_follow_the_schema_order_whatever_the_input_order() -> None:
    attribute = {"type": "string", "example_value": "x", "name": "a", "required": True, "description": "A."}
    data = {
        "attributes": [attribute],
        "model": {"operations": ["list"], "name": "t", "class_name": "T", "category": "ts", "description": "T."},
    }
    written = spec_text("model", data)
    assert written.index("model:") < written.index("attributes:")
    body = written[written.index("  - name") :]
    assert [line.strip().split(":")[0] for line in body.splitlines()] == [
        "- name",
        "description",
        "type",
        "required",
        "example_value",
    ]


def test_long_prose_is_folded_and_short_text_stays_on_its_line() -> None:
    long = " ".join(["word"] * 40) + "."
    data = {
        "abstract": {"name": "a", "description": long},
        "attributes": [{"name": "x", "description": "Short.", "type": "string", "example_value": long}],
    }
    written = spec_text("abstract", data)
    assert "  description: >-\n" in written
    assert f"example_value: {long}" in written  # values are never folded
    assert "description: Short." in written


def test_text_of_several_lines_is_a_literal_block() -> None:
    data = {"abstract": {"name": "a", "description": "One.\n\n- two\n- three"}, "attributes": []}
    assert "  description: |-\n    One.\n\n    - two\n    - three\n" in spec_text("abstract", data)


def test_strings_that_read_as_other_types_are_quoted() -> None:
    data = {
        "abstract": {"name": "a", "description": "A."},
        "attributes": [
            {
                "name": "x",
                "description": "X.",
                "type": "raw_data",
                "example_value": ["yes", "1.0", "null", "2024-01-01", "@a", "ok"],
            }
        ],
    }
    assert "example_value: ['yes', '1.0', 'null', '2024-01-01', '@a', ok]" in spec_text("abstract", data)
