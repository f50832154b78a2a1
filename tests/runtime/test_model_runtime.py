"""What every generated model shares (models/_runtime.py): the RFC 3339 time format across offsets,
error objects and their wording, the registry lookup, and how a client's body is checked."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, ClassVar

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.runtime.models import _runtime as rt
from generator.runtime.models._runtime import AttributeSpec, Identity, ValidationError, ValidationFailed

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True)
offsets = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
instants = st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9998, 12, 30), timezones=st.just(UTC))


@PROPERTY
@given(moment=instants, offset=offsets, upper=st.booleans())
@example(moment=datetime(2020, 1, 1, tzinfo=UTC), offset=timezone(timedelta(hours=14)), upper=False)
def test_a_time_written_with_any_offset_reads_as_the_utc_instant(
    moment: datetime, offset: timezone, upper: bool
) -> None:
    text = moment.astimezone(offset).isoformat()
    if not upper:
        text = text.replace("T", "t")
    parsed = rt.parse_time(text)
    assert parsed == moment and parsed.tzinfo is UTC
    assert rt.format_time(moment.astimezone(offset)) == rt.format_time(moment)
    assert rt.parse_time(rt.format_time(parsed)) == moment


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2019-06-17T10:00:00Z", datetime(2019, 6, 17, 10, tzinfo=UTC)),
        ("2019-06-17t10:00:00z", datetime(2019, 6, 17, 10, tzinfo=UTC)),
        ("2019-06-17T12:30:00+02:30", datetime(2019, 6, 17, 10, tzinfo=UTC)),
        ("2019-06-17T00:00:00-01:00", datetime(2019, 6, 17, 1, tzinfo=UTC)),
        ("2019-06-17T10:00:00.5Z", datetime(2019, 6, 17, 10, 0, 0, 500000, tzinfo=UTC)),
        ("2019-06-17T10:00:00.123456Z", datetime(2019, 6, 17, 10, 0, 0, 123456, tzinfo=UTC)),
        ("2019-06-17T10:00:00.123456789Z", datetime(2019, 6, 17, 10, 0, 0, 123456, tzinfo=UTC)),
        ("2019-06-17T10:00:00.1234567+01:00", datetime(2019, 6, 17, 9, 0, 0, 123456, tzinfo=UTC)),
    ],
)
def test_parse_time(text: str, moment: datetime) -> None:
    assert rt.parse_time(text) == moment


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2019-06-17T10:00:00", "not an RFC 3339 time: '2019-06-17T10:00:00'"),  # the offset is mandatory
        ("2019-06-17", "not an RFC 3339 time: '2019-06-17'"),
        ("2019-06-17 10:00:00Z", "not an RFC 3339 time: '2019-06-17 10:00:00Z'"),
        ("2019-06-17T10:00:00.Z", "not an RFC 3339 time: '2019-06-17T10:00:00.Z'"),
        ("2019-06-17T10:00:00+0100", "not an RFC 3339 time: '2019-06-17T10:00:00+0100'"),
        ("2019-06-17T10:00:00Z\n", "not an RFC 3339 time: '2019-06-17T10:00:00Z\\n'"),
        ("0001-01-01T00:00:00+01:00", "out of range in UTC: '0001-01-01T00:00:00+01:00'"),
        ("2019-02-30T10:00:00Z", None),
    ],
)
def test_parse_time_refusals(text: str, message: str | None) -> None:
    with pytest.raises(ValueError) as caught:
        rt.parse_time(text)
    if message is not None:
        assert str(caught.value) == message


def test_format_time_is_utc_with_a_z_and_a_fraction_only_when_there_is_one() -> None:
    assert rt.format_time(datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2020-01-02T03:04:05Z"
    assert rt.format_time(datetime(2020, 1, 2, 3, 4, 5, 60)) == "2020-01-02T03:04:05.000060Z"  # naive: UTC
    assert rt.format_time(datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=5)))) == (
        "2020-01-01T22:04:05Z"
    )


@pytest.fixture
def away_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's local time zone is not UTC (naive times must still be taken as UTC)."""
    monkeypatch.setenv("TZ", "XST3:30")  # POSIX form (no zoneinfo needed): 03:30 behind UTC
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_naive_and_aware_times_format_the_same_whatever_the_local_zone(away_from_utc: None) -> None:
    assert time.timezone != 0
    assert rt.format_time(datetime(2020, 6, 1, 12, 0)) == "2020-06-01T12:00:00Z"
    assert rt.format_time(datetime(2020, 6, 1, 12, 0, tzinfo=UTC)) == "2020-06-01T12:00:00Z"
    assert rt.format_time(datetime(2020, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=1)))) == "2020-06-01T11:00:00Z"
    assert rt.parse_time("2020-06-01T12:00:00+01:00").tzinfo is UTC


def test_aware_times_only() -> None:
    assert rt.is_aware_time(datetime(2020, 1, 1, tzinfo=UTC))
    assert not rt.is_aware_time(datetime(2020, 1, 1))
    assert not rt.is_aware_time("2020-01-01T00:00:00Z")


def test_error_wording() -> None:
    assert rt.type_error("a", "an integer", "x") == ValidationError(
        "a", "Attribute 'a' must be an integer, not a string.", rule="type"
    )
    assert rt.required_error("a") == ValidationError("a", "Attribute 'a' is required.", rule="required")
    assert rt.choice_error("a", "x, y") == ValidationError("a", "Attribute 'a' must be one of x, y.", rule="choices")
    assert rt.length_error("a", "at most", 3) == ValidationError(
        "a", "Attribute 'a' must be at most 3 long.", rule="length"
    )
    assert rt.range_error("a", "at least", 0) == ValidationError("a", "Attribute 'a' must be at least 0.", rule="range")
    assert rt.time_error("a", "y" * 60).attribute == "a"
    assert rt.time_error("a", "y" * 60).description == (
        "Attribute 'a' must be an RFC 3339 time such as 2019-06-17T10:00:00Z, not " + repr("y" * 60)[:40] + "."
    )
    kinds = [True, 1, 1.5, "s", [], {}, None, (1,)]
    assert [rt.type_error("a", "x", v).description.split(", not ")[1] for v in kinds] == [
        "a boolean.",
        "an integer.",
        "a number.",
        "a string.",
        "a list.",
        "an object.",
        "null.",
        "tuple.",
    ]


def test_an_error_in_the_wire_form() -> None:
    error = ValidationError("name", "Attribute 'name' is required.")
    assert error.to_dict() == {
        "code": 422,
        "title": "Validation Error",
        "description": "Attribute 'name' is required.",
        "subject": "generator.runtime.models",
        "data": {"attribute": "name"},
    }
    failed = ValidationFailed([error, ValidationError("b", "bad.")])
    assert str(failed) == "name: Attribute 'name' is required.; b: bad."
    assert failed.errors[1].attribute == "b"


def test_decode_time_reports_what_is_not_a_time() -> None:
    errors: list[ValidationError] = []
    assert rt.decode_time("2020-01-01T00:00:00+01:00", "t", errors) == datetime(2019, 12, 31, 23, tzinfo=UTC)
    assert errors == []
    assert rt.decode_time("2020-01-01", "t", errors) is None
    assert rt.decode_time(5, "t", errors) is None
    assert [e.description for e in errors] == [
        "Attribute 't' must be an RFC 3339 time such as 2019-06-17T10:00:00Z, not '2020-01-01'.",
        "Attribute 't' must be an RFC 3339 time such as 2019-06-17T10:00:00Z, not 5.",
    ]


# -- a small model, written the way the generator writes one ----------------------------------


@dataclass(slots=True, kw_only=True)
class Gizmo:
    name: str | None = None
    size: int | None = None
    when: datetime | None = None
    note: str | None = None

    identity: ClassVar[Identity] = Identity(name="gizmo", category="gizmos")
    attributes: ClassVar[tuple[AttributeSpec, ...]] = (
        AttributeSpec(name="name", exposed_name="name", python_name="name", type="string", description="N."),
        AttributeSpec(name="size", exposed_name="size", python_name="size", type="integer", description="S."),
        AttributeSpec(name="when", exposed_name="when", python_name="when", type="time", description="W."),
        AttributeSpec(name="note", exposed_name="note", python_name="note", type="string", description="R."),
    )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, hidden: bool = False) -> Gizmo:
        del hidden  # nothing here is hidden from the wire
        errors: list[ValidationError] = []
        size = data.get("size")
        if size is not None and type(size) is not int:
            errors.append(rt.type_error("size", "an integer", size))
        raw = data.get("when")
        when = None if raw is None else rt.decode_time(raw, "when", errors)
        if errors:
            raise ValidationFailed(errors)
        return cls(name=data.get("name"), size=size, when=when, note=data.get("note"))

    def to_dict(self, *, hidden: bool = False) -> dict[str, rt.JSONValue]:
        del hidden
        return {"name": self.name}

    def validate(self) -> list[ValidationError]:
        required = [rt.required_error("name")] if self.name is None else []
        ranges = [rt.range_error("size", "at least", 0)] if self.size is not None and self.size < 0 else []
        return required + ranges


MODELS: dict[str, type[rt.Model]] = {"gizmo": Gizmo}


def test_find_model_by_name_or_category() -> None:
    assert rt.find_model(MODELS, "gizmo") is Gizmo
    assert rt.find_model(MODELS, "gizmos") is Gizmo
    with pytest.raises(KeyError) as caught:
        rt.find_model(MODELS, "Gizmo")
    assert caught.value.args[0] == "no model named 'Gizmo'"


def test_a_body_is_checked_key_by_key_then_validated() -> None:
    assert rt.input_errors(Gizmo, {"name": "g", "size": 1}, refused={}) == []
    got = rt.input_errors(Gizmo, {"nope": 1, "note": "x", "size": -1}, refused={"note": "read-only"})
    assert [(e.attribute, e.description) for e in got] == [
        ("nope", "Attribute 'nope' does not exist in gizmo."),
        ("note", "Attribute 'note' is read-only and cannot be set by a client."),
        ("name", "Attribute 'name' is required."),
        ("size", "Attribute 'size' must be at least 0."),
    ]


def test_a_refused_attribute_is_not_validated_as_well() -> None:
    got = rt.input_errors(Gizmo, {"name": "g", "size": -5}, refused={"size": "read-only"})
    assert [(e.attribute, e.description) for e in got] == [
        ("size", "Attribute 'size' is read-only and cannot be set by a client.")
    ]


def test_a_type_error_does_not_hide_the_other_problems() -> None:
    got = rt.input_errors(Gizmo, {"size": "big", "when": "later", 5: "x"}, refused={})
    assert [(e.attribute, e.description) for e in got] == [
        ("5", "Attribute '5' does not exist in gizmo."),
        ("size", "Attribute 'size' must be an integer, not a string."),
        ("when", "Attribute 'when' must be an RFC 3339 time such as 2019-06-17T10:00:00Z, not 'later'."),
        ("name", "Attribute 'name' is required."),
    ]
    # An attribute a client may not send is never required of it, type errors or not.
    got = rt.input_errors(Gizmo, {"size": "big", 5: "x"}, refused={"name": "read-only"})
    assert [(e.attribute, e.rule) for e in got] == [("5", ""), ("size", "type")]
    got = rt.input_errors(Gizmo, {"size": "big", "name": "ok"}, refused={})
    assert [e.attribute for e in got] == ["size"]  # the wrong attribute is reported once, not again by validate


@pytest.mark.parametrize(("body", "kind"), [([], "a list"), ("x", "a string"), (None, "null"), (3, "an integer")])
def test_a_body_that_is_not_an_object(body: Any, kind: str) -> None:
    assert rt.input_errors(Gizmo, body, refused={}) == [
        ValidationError("", f"The body must be a JSON object, not {kind}.")
    ]


@pytest.mark.parametrize(
    ("text", "micro"),
    [
        ("2019-06-17T10:00:00.123456789Z", 123456),
        ("2019-06-17T10:00:00.1234567+01:00", 123456),
        ("2019-06-17T10:00:00.123456Z", 123456),
        ("2019-06-17T10:00:00.5Z", 500000),
        ("2019-06-17T10:00:00Z", 0),
    ],
)
def test_a_fraction_is_cut_to_microseconds_not_rounded(text: str, micro: int) -> None:
    parsed = rt.parse_time(text)
    assert parsed.microsecond == micro and parsed.second == 0 and parsed.tzinfo is UTC
    assert parsed.hour == (9 if "+01:00" in text else 10)
