"""Nested values in the models runtime (models/_runtime.py): lists, maps and objects of nested
types decoded from the wire with every problem at its path, encoded back, checked when set from
Python; what omit_empty leaves out; the validators a spec names as Python functions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, ClassVar

import pytest

from generator.runtime.models import _runtime as rt
from generator.runtime.models._runtime import AttributeSpec, ValidationError, ValidationFailed


@rt.registered("test_part")
@dataclass(slots=True, kw_only=True)
class Part:
    """A nested type as the generator writes one: ``label`` required, ``weight`` at least 0."""

    label: str | None = None
    weight: int | None = None

    attributes: ClassVar[tuple[AttributeSpec, ...]] = (
        AttributeSpec(name="label", exposed_name="label", python_name="label", type="string", description="L."),
        AttributeSpec(name="weight", exposed_name="weight", python_name="weight", type="integer", description="W."),
    )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, hidden: bool = False) -> Part:
        weight = data.get("weight")
        if weight is not None and type(weight) is not int:
            raise ValidationFailed([rt.type_error("weight", "an integer", weight)])
        return cls(label=data.get("label"), weight=weight)

    def to_dict(self, *, hidden: bool = False) -> dict[str, rt.JSONValue]:
        out: dict[str, rt.JSONValue] = {"label": self.label, "weight": self.weight}
        if hidden:
            out["_hidden"] = True
        return out

    def validate(self) -> list[ValidationError]:
        errors = [rt.required_error("label")] if self.label is None else []
        if self.weight is not None and self.weight < 0:
            errors.append(rt.range_error("weight", "at least", 0))
        return errors


PART = ("ref", "test_part")
TIME = ("time",)


def decoded(value: Any, shape: rt.Shape) -> tuple[Any, list[tuple[str, str, str]]]:
    errors: list[ValidationError] = []
    result = rt.decode_value(value, shape, "v", errors)
    return result, [(e.attribute, e.description, e.rule) for e in errors]


def checked(value: Any, shape: rt.Shape) -> list[tuple[str, str, str]]:
    errors: list[ValidationError] = []
    rt.check_shape(value, shape, "v", errors)
    return [(e.attribute, e.description, e.rule) for e in errors]


@pytest.mark.parametrize(
    ("value", "shape", "expected"),
    [
        ("a", ("string",), "a"),
        (3, ("integer",), 3),
        (3, ("float",), 3.0),
        (2.5, ("float",), 2.5),
        (True, ("boolean",), True),
        ({"k": [1]}, ("object",), {"k": [1]}),
        ([None, 1, "x"], ("raw_data",), [None, 1, "x"]),
        (None, ("raw_data",), None),
        ([[1, 2], []], ("list", ("list", ("integer",))), [[1, 2], []]),
        ({"a": 1.5, "b": 2}, ("map", ("float",)), {"a": 1.5, "b": 2.0}),
        ("2020-01-02T03:04:05+01:00", TIME, datetime(2020, 1, 2, 2, 4, 5, tzinfo=UTC)),
        ({"label": "x", "weight": 2}, PART, Part(label="x", weight=2)),
        ([{"label": "x"}], ("list", PART), [Part(label="x")]),
    ],
)
def test_each_shape_decodes_to_python(value: Any, shape: rt.Shape, expected: Any) -> None:
    result, errors = decoded(value, shape)
    assert errors == [] and result == expected and type(result) is type(expected)
    if shape == ("float",):
        assert type(result) is float  # an integer where a float goes reads as a float


@pytest.mark.parametrize(
    ("value", "shape", "errors"),
    [
        ("1", ("integer",), [("v", "Attribute 'v' must be an integer, not a string.", "type")]),
        (1.0, ("integer",), [("v", "Attribute 'v' must be an integer, not a number.", "type")]),
        (True, ("integer",), [("v", "Attribute 'v' must be an integer, not a boolean.", "type")]),
        (True, ("float",), [("v", "Attribute 'v' must be a number, not a boolean.", "type")]),
        (1, ("string",), [("v", "Attribute 'v' must be a string, not an integer.", "type")]),
        (0, ("boolean",), [("v", "Attribute 'v' must be a boolean, not an integer.", "type")]),
        ([], ("object",), [("v", "Attribute 'v' must be an object, not a list.", "type")]),
        ({}, ("list", ("string",)), [("v", "Attribute 'v' must be a list, not an object.", "type")]),
        ([], ("map", ("string",)), [("v", "Attribute 'v' must be an object, not a list.", "type")]),
        ("x", PART, [("v", "Attribute 'v' must be an object, not a string.", "type")]),
        (
            ["a", 1, "b", 2.5],
            ("list", ("string",)),
            [
                ("v[1]", "Attribute 'v[1]' must be a string, not an integer.", "type"),
                ("v[3]", "Attribute 'v[3]' must be a string, not a number.", "type"),
            ],
        ),
        (
            {"a": [1], "b": [1, "x"]},
            ("map", ("list", ("integer",))),
            [("v.b[1]", "Attribute 'v.b[1]' must be an integer, not a string.", "type")],
        ),
        (
            [{"label": "a"}, {"weight": "heavy"}],
            ("list", PART),
            [("v[1].weight", "Attribute 'v[1].weight' must be an integer, not a string.", "type")],
        ),
        (
            "yesterday",
            TIME,
            [
                (
                    "v",
                    "Attribute 'v' must be an RFC 3339 time such as 2019-06-17T10:00:00Z, not 'yesterday'.",
                    "",
                )
            ],
        ),
    ],
)
def test_every_problem_is_reported_at_its_path_and_the_value_is_none(
    value: Any, shape: rt.Shape, errors: list[tuple[str, str, str]]
) -> None:
    result, found = decoded(value, shape)
    assert found == errors
    if shape[0] not in ("list", "map") or not isinstance(value, list | dict):
        assert result is None


def test_items_that_do_not_decode_are_none_and_the_rest_stay() -> None:
    assert decoded(["a", 1], ("list", ("string",)))[0] == ["a", None]
    assert decoded({"a": "x", "b": 2}, ("map", ("integer",)))[0] == {"a": None, "b": 2}


def test_a_default_decodes_or_says_why() -> None:
    assert rt.decode_default([1, 2], ("list", ("integer",))) == [1, 2]
    assert rt.decode_default("2020-01-01T00:00:00Z", TIME) == datetime(2020, 1, 1, tzinfo=UTC)
    with pytest.raises(ValidationFailed) as caught:
        rt.decode_default(["x"], ("list", ("integer",)))
    assert [(e.attribute, e.description) for e in caught.value.errors] == [
        ("default[0]", "Attribute 'default[0]' must be an integer, not a string.")
    ]


def test_encoding_gives_the_wire_form_back() -> None:
    when = datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    assert rt.encode_value(None, ("list", ("string",))) is None
    assert rt.encode_value([["a"], []], ("list", ("list", ("string",)))) == [["a"], []]
    assert rt.encode_value({"k": when}, ("map", TIME)) == {"k": "2020-01-02T01:04:05Z"}
    assert rt.encode_value([when, None], ("list", TIME)) == ["2020-01-02T01:04:05Z", None]
    assert rt.encode_value(Part(label="x", weight=1), PART) == {"label": "x", "weight": 1}
    assert rt.encode_value([Part(label="x")], ("list", PART), hidden=True) == [
        {"label": "x", "weight": None, "_hidden": True}
    ]
    assert rt.encode_value({"a": Part(label="y")}, ("map", PART), True) == {
        "a": {"label": "y", "weight": None, "_hidden": True}
    }
    assert rt.encode_value(Part(label="x"), PART) == {"label": "x", "weight": None}  # hidden only when asked
    assert rt.encode_value(1.5, ("float",)) == 1.5 and rt.encode_value({"r": [1]}, ("raw_data",)) == {"r": [1]}


def test_a_value_set_from_python_is_checked_shape_by_shape() -> None:
    aware = datetime(2020, 1, 1, tzinfo=UTC)
    assert checked(None, ("list", ("string",))) == []
    assert checked([["a"]], ("list", ("list", ("string",)))) == []
    assert checked({"k": aware}, ("map", TIME)) == []
    assert checked([Part(label="a", weight=0)], ("list", PART)) == []
    assert checked(3, ("float",)) == [] and checked(2.5, ("float",)) == []
    assert checked("x", ("list", ("string",))) == [("v", "Attribute 'v' must be a list, not a string.", "type")]
    assert checked(["x"], ("map", ("string",))) == [("v", "Attribute 'v' must be an object, not a list.", "type")]
    assert checked(["a", 1, 2], ("list", ("string",))) == [
        ("v[1]", "Attribute 'v[1]' must be a string, not an integer.", "type"),
        ("v[2]", "Attribute 'v[2]' must be a string, not an integer.", "type"),
    ]
    assert checked({"a": "x", "b": 1}, ("map", ("string",))) == [
        ("v.b", "Attribute 'v.b' must be a string, not an integer.", "type")
    ]
    assert checked(datetime(2020, 1, 1), TIME) == [("v", "Attribute 'v' must be a time, not datetime.", "type")]
    assert checked("2020-01-01T00:00:00Z", TIME) == [("v", "Attribute 'v' must be a time, not a string.", "type")]
    assert checked({"label": "x"}, PART) == [("v", "Attribute 'v' must be a Part, not an object.", "type")]
    assert checked([Part(weight=-1)], ("list", PART)) == [
        ("v[0].label", "Attribute 'v[0].label' is required.", "required"),
        ("v[0].weight", "Attribute 'v[0].weight' must be at least 0.", "range"),
    ]
    assert checked({"k": Part(label="x", weight=-2)}, ("map", PART)) == [
        ("v.k.weight", "Attribute 'v.k.weight' must be at least 0.", "range")
    ]


def test_errors_of_a_nested_object_move_under_its_attribute() -> None:
    inner = [
        ValidationError("name", "Attribute 'name' is required; 'name' again.", 400, "T", "S", "required"),
        ValidationError("", "The object is wrong.", rule="validator"),
    ]
    assert rt.within("owner", inner) == [
        ValidationError("owner.name", "Attribute 'owner.name' is required; 'name' again.", 400, "T", "S", "required"),
        ValidationError("owner", "The object is wrong.", rule="validator"),
    ]


@pytest.mark.parametrize(
    ("value", "empty"),
    [
        (None, True),
        (False, True),
        ("", True),
        ([], True),
        ({}, True),
        (0, True),
        (0.0, True),
        (-0.0, True),
        (True, False),
        ("0", False),
        (" ", False),
        ([None], False),
        ({"": None}, False),
        (1, False),
        (-1, False),
        (0.5, False),
        (datetime(2020, 1, 1, tzinfo=UTC), False),
        (Part(), False),
    ],
)
def test_omit_empty_leaves_out_unset_and_the_empty_values_only(value: Any, empty: bool) -> None:
    assert rt.is_empty(value) is empty


def test_a_pattern_error_says_what_is_wanted() -> None:
    assert rt.pattern_error("code", "three capital letters") == ValidationError(
        "code", "Attribute 'code' must be three capital letters.", rule="pattern"
    )


def no_spaces(value: Any) -> str | None:
    return "must hold no spaces." if " " in str(value) else None


def both_or_neither(obj: Any) -> list[tuple[str, str]]:
    return [("weight", "goes with label.")] if obj.weight is not None and obj.label is None else []


def nothing(obj: Any) -> None:
    return None


def test_validators_named_as_python_functions_run_and_say_why() -> None:
    here = __name__
    assert rt.check_value(f"{here}:no_spaces", "name", "ab") is None
    assert rt.check_value(f"{here}:no_spaces", "name", "a b") == ValidationError(
        "name", "Attribute 'name' must hold no spaces.", rule="validator"
    )
    assert rt.check_object(f"{here}:both_or_neither", Part(label="x", weight=1)) == []
    assert rt.check_object(f"{here}:both_or_neither", Part(weight=1)) == [
        ValidationError("weight", "goes with label.", rule="validator")
    ]
    assert rt.check_object(f"{here}:nothing", Part()) == []  # None reads as no problem


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("tests.runtime.no_such_module:f", "No module named 'tests.runtime.no_such_module'"),
        (f"{__name__}:no_such_function", f"module '{__name__}' has no attribute 'no_such_function'"),
    ],
)
def test_a_validator_that_cannot_be_imported_says_which(path: str, reason: str) -> None:
    with pytest.raises(rt.ValidatorMissing) as caught:
        rt.check_value(path, "a", 1)
    assert str(caught.value) == f"the validator {path} named by the spec cannot be imported: {reason}"


def test_registered_files_the_class_under_its_spec_name() -> None:
    assert rt.OBJECTS["test_part"] is Part


@dataclass(slots=True, kw_only=True)
class Kit:
    """A model holding nested values: ``parts`` (a list of Part) and ``owner`` (one Part)."""

    name: str | None = None
    parts: list[Part] | None = None
    owner: Part | None = None

    identity: ClassVar[rt.Identity] = rt.Identity(name="kit", category="kits")
    attributes: ClassVar[tuple[AttributeSpec, ...]] = tuple(
        AttributeSpec(name=n, exposed_name=n, python_name=n, type=t, description="D.")
        for n, t in (("name", "string"), ("parts", "list"), ("owner", "ref"))
    )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, hidden: bool = False) -> Kit:
        errors: list[ValidationError] = []
        parts = rt.decode_value(data["parts"], ("list", PART), "parts", errors) if "parts" in data else None
        owner = rt.decode_value(data["owner"], PART, "owner", errors) if "owner" in data else None
        if errors:
            raise ValidationFailed(errors)
        return cls(name=data.get("name"), parts=parts, owner=owner)

    def to_dict(self, *, hidden: bool = False) -> dict[str, rt.JSONValue]:
        return {"name": self.name}

    def validate(self) -> list[ValidationError]:
        errors = [rt.required_error("name")] if self.name is None else []
        rt.check_shape(self.parts, ("list", PART), "parts", errors)
        rt.check_shape(self.owner, PART, "owner", errors)
        return errors


def test_a_body_with_nested_values_that_do_not_decode_reports_them_and_the_rest() -> None:
    body = {"parts": [{"label": "a"}, {"weight": "x"}], "owner": {"weight": "y"}}
    assert [(e.attribute, e.rule) for e in rt.input_errors(Kit, body, refused={})] == [
        ("parts[1].weight", "type"),
        ("owner.weight", "type"),
        ("name", "required"),
    ]
    body = {"name": "k", "parts": [{"weight": "x"}], "owner": {"weight": -1}}
    assert [(e.attribute, e.rule) for e in rt.input_errors(Kit, body, refused={})] == [
        ("parts[0].weight", "type"),
        ("owner.label", "required"),
        ("owner.weight", "range"),
    ]


@pytest.mark.parametrize(("length", "shown"), [(100, "k" * 100), (101, "k" * 99 + "\u2026")])
def test_an_unknown_key_is_quoted_up_to_100_characters(length: int, shown: str) -> None:
    (error,) = rt.input_errors(Kit, {"name": "n", "k" * length: 1}, refused={})
    assert (error.attribute, error.description) == (shown, f"Attribute '{shown}' does not exist in kit.")


def test_registering_files_a_class_under_its_name_and_gives_it_back() -> None:
    class Later:
        pass

    assert rt.registered("test_later")(Later) is Later
    found: object = rt.OBJECTS["test_later"]
    assert found is Later
