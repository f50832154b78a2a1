"""Each validation rule and type of the generated models, on the kitchen-sink fixture (every type and flag)."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import GOLDEN

GOOD: dict[str, Any] = {
    "ID": "w1",
    "name": "gizmo",
    "class": "large",
    "2fa-code": 123456,
    "import": 0.25,
    "enabled": False,
    "createdAt": "2020-01-02T03:04:05Z",
    "tags": ["a", "b"],
    "checkpoints": ["2020-01-02T03:04:05Z", "2021-01-02T03:04:05+01:00"],
    "metadata": {"team": "core"},
    "rawPayload": [1, "two", {"three": None}],
    "namespace": "/acme",
}


def _widget() -> Any:
    from sinkmodels import Widget

    return Widget


def test_keywords_digits_and_dashes_get_safe_names_and_keep_wire_names() -> None:
    obj = _widget().from_dict(GOOD)
    assert obj.class_ == "large"
    assert obj.import_ == 0.25
    assert obj.field_2fa_code == 123456
    assert obj.payload == [1, "two", {"three": None}]
    assert obj.checkpoints == [datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC), datetime(2021, 1, 2, 2, 4, 5, tzinfo=UTC)]
    assert obj.validate() == []
    assert obj.to_dict() == {**GOOD, "checkpoints": ["2020-01-02T03:04:05Z", "2021-01-02T02:04:05Z"]}


def test_defaults_apply_when_absent() -> None:
    obj = _widget().from_dict({"name": "x"})
    assert obj.class_ == "medium" and obj.enabled is True and obj.tags == []
    other = _widget().from_dict({"name": "y"})
    other.tags.append("mine")
    assert obj.tags == [], "a mutable default must not be shared between objects"


def test_integers_are_accepted_as_floats_but_booleans_are_not_integers() -> None:
    from sinkmodels import ValidationFailed

    assert _widget().from_dict({"import": 1}).import_ == 1.0
    with pytest.raises(ValidationFailed) as caught:
        _widget().from_dict({"2fa-code": True, "import": "1", "enabled": "yes", "tags": ["a", 2], "metadata": []})
    assert [e.attribute for e in caught.value.errors] == ["2fa-code", "import", "enabled", "tags", "metadata"]


def test_validate_orders_required_then_choices_types_lengths_ranges() -> None:
    widget = _widget()
    obj = widget(
        name=None,
        class_="huge",
        field_2fa_code=1_000_000,
        import_=-2.0,
        enabled="nope",
        tags=["t"] * 11,
        created_at=datetime(2020, 1, 1),  # naive: not allowed
    )
    got = [(e.attribute, e.description) for e in obj.validate()]
    assert got == [
        ("name", "Attribute 'name' is required."),
        ("class", "Attribute 'class' must be one of small, medium, large, it's \"odd\"."),
        ("enabled", "Attribute 'enabled' must be a boolean, not a string."),
        ("createdAt", "Attribute 'createdAt' must be a time, not datetime."),
        ("tags", "Attribute 'tags' must be at most 10 long."),
        ("2fa-code", "Attribute '2fa-code' must be at most 999999."),
        ("import", "Attribute 'import' must be at least -1.5."),
    ]


def test_required_string_must_not_be_empty_and_lengths_apply() -> None:
    widget = _widget()
    assert [e.attribute for e in widget(name="").validate()] == ["name", "name"]  # required, then min_length
    assert [e.description for e in widget(name="x" * 65).validate()] == ["Attribute 'name' must be at most 64 long."]


def test_create_refuses_read_only_and_update_refuses_creation_only() -> None:
    widget = _widget()
    create = widget.validate_create({"name": "n", "ID": "x", "createdAt": "2020-01-01T00:00:00Z", "2fa-code": 1})
    assert [(e.attribute, e.description.split(" is ")[1]) for e in create] == [
        ("ID", "read-only and cannot be set by a client."),
        ("createdAt", "read-only and cannot be set by a client."),
    ]
    update = widget.validate_update({"name": "n", "2fa-code": 1})
    assert [(e.attribute, e.description) for e in update] == [
        ("2fa-code", "Attribute '2fa-code' is creation-only and cannot be set by a client.")
    ]
    assert widget.validate_create({"name": "n"}) == []
    assert [e.attribute for e in widget.validate_create({})] == ["name"]
    unknown = widget.validate_create({"name": "n", "nope": 1})
    assert [(e.attribute, e.description) for e in unknown] == [("nope", "Attribute 'nope' does not exist in widget.")]
    assert widget.validate_create(["not", "an", "object"])[0].description.startswith("The body must be a JSON object")


def test_hostile_descriptions_survive_in_the_attribute_table_and_docstrings() -> None:
    from sinkmodels import widget as module

    widget = _widget()
    table = {a.name: a for a in widget.attributes}
    assert (
        table["payload"].description == "Raw data: a backslash \\ at the end \\\nand a second line with a tab\tinside."
    )
    assert table["name"].description == 'Name of the widget; it ends with a quote "here".'
    assert widget.__doc__ is not None and '"""triple quotes"""' in widget.__doc__
    assert "<script>alert(1)</script>" in widget.__doc__
    source = (GOLDEN / "kitchen_sink/expected/python/sinkmodels/widget.py").read_text()
    ast.parse(source)
    assert module.__doc__ is not None and "{{ jinja }}" in module.__doc__


def test_unset_flags_stay_unset_in_the_table() -> None:
    table = {a.name: a for a in _widget().attributes}
    assert table["import"].required is False
    assert table["tags"].required is None
    assert table["payload"].filterable is False
    assert table["tags"].filterable is None
    assert table["payload"].exposed_name == "rawPayload"
    assert table["class"].choices == ("small", "medium", "large", 'it\'s "odd"')


def test_registry_lists_every_model() -> None:
    import sinkmodels

    assert sorted(sinkmodels.MODELS) == ["gadget", "widget"]
    assert sinkmodels.model_for("gadgets").identity.name == "gadget"


def test_a_type_error_does_not_hide_the_other_problems_of_a_body() -> None:
    errors = _widget().validate_create({"2fa-code": "not a number", "class": "huge"})
    assert [(e.attribute, e.description.split(" must ")[0].split(" is ")[0]) for e in errors] == [
        ("2fa-code", "Attribute '2fa-code'"),
        ("name", "Attribute 'name'"),
        ("class", "Attribute 'class'"),
    ]
    assert "is required" in errors[1].description and "must be one of" in errors[2].description


def test_every_bound_is_checked_at_its_edge_zero_included() -> None:
    widget = _widget()

    def problems(**values: Any) -> list[str]:
        return [e.description for e in widget(name="n", **values).validate()]

    assert problems(field_2fa_code=0) == [] and problems(field_2fa_code=999999) == []
    assert problems(field_2fa_code=-1) == ["Attribute '2fa-code' must be at least 0."]
    assert problems(field_2fa_code=1_000_000) == ["Attribute '2fa-code' must be at most 999999."]
    assert problems(import_=-1.5) == [] and problems(import_=1.5) == []
    assert problems(import_=1.5000001) == ["Attribute 'import' must be at most 1.5."]
    assert problems(import_=-1.5000001) == ["Attribute 'import' must be at least -1.5."]
    assert problems(tags=["t"] * 10) == [] and problems(tags=[]) == []
    assert [e.description for e in widget(name="x" * 64).validate()] == []
    assert [e.description for e in widget(name="x").validate()] == []


def test_choices_are_compared_exactly() -> None:
    widget = _widget()
    assert widget(name="n", class_="large").validate() == []
    assert widget(name="n", class_='it\'s "odd"').validate() == []
    for wrong in ("Large", "LARGE", " large", "larg"):
        assert [e.attribute for e in widget(name="n", class_=wrong).validate()] == ["class"], wrong


def test_times_from_any_offset_come_out_in_utc() -> None:
    widget = _widget()
    obj = widget.from_dict(
        {"name": "n", "createdAt": "2020-01-02T03:04:05.5+02:00", "checkpoints": ["2020-01-01T00:00:00-01:30"]}
    )
    assert obj.created_at == datetime(2020, 1, 2, 1, 4, 5, 500000, tzinfo=UTC)
    assert obj.to_dict()["createdAt"] == "2020-01-02T01:04:05.500000Z"
    assert obj.to_dict()["checkpoints"] == ["2020-01-01T01:30:00Z"]
