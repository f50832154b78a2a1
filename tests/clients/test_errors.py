"""The client's typed errors (generator/runtime/client/errors.py), from any answer a server or a
proxy in front of it may send: each field read or defaulted, the class of each status, the
summary, and Retry-After in seconds or as a date."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from generator.runtime.client import errors
from generator.runtime.client.errors import ErrorDetail, error_from_answer


def detail(code: int, description: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "title": "T", "description": description, "subject": "srv", "data": {}, **extra}


@pytest.mark.parametrize(
    ("wire", "read"),
    [
        (detail(409, "taken", data={"a": 1}), ErrorDetail(409, "T", "taken", "srv", {"a": 1})),
        ({}, ErrorDetail(400, "Error", "", "", {})),
        (
            {"code": True, "title": 5, "description": ["x"], "subject": None, "data": [1]},
            ErrorDetail(400, "5", '["x"]', "null", {}),
        ),
        ({"code": "404", "description": "é"}, ErrorDetail(400, "Error", "é", "", {})),
        ("plain text", ErrorDetail(400, "Error", "plain text")),
        (12, ErrorDetail(400, "Error", "12")),
        ({"description": {"k": "é"}}, ErrorDetail(400, "Error", '{"k": "é"}')),
    ],
)
def test_an_error_object_is_read_with_a_plain_default_for_what_is_missing_or_odd(wire: Any, read: ErrorDetail) -> None:
    assert ErrorDetail.from_wire(wire, 400) == read


def test_a_detail_keeps_its_own_copy_of_the_data() -> None:
    data = {"attribute": "a"}
    read = ErrorDetail.from_wire({"data": data}, 422)
    data["attribute"] = "changed"
    assert read.data == {"attribute": "a"}


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, errors.BadRequest),
        (401, errors.Unauthorized),
        (403, errors.Forbidden),
        (404, errors.NotFound),
        (405, errors.MethodNotAllowed),
        (409, errors.Conflict),
        (413, errors.PayloadTooLarge),
        (422, errors.ValidationError),
        (429, errors.TooManyRequests),
        (503, errors.ServiceUnavailable),
        (500, errors.ServerError),
        (502, errors.ServerError),
        (599, errors.ServerError),
        (499, errors.APIError),
        (418, errors.APIError),
    ],
)
def test_each_status_has_its_class(status: int, kind: type[errors.APIError]) -> None:
    error = error_from_answer(status, json.dumps([detail(status, "d")]).encode(), {"X-A": "1"})
    assert type(error) is kind and error.status == status and error.headers == {"X-A": "1"}
    assert isinstance(error, errors.ClientError)


def test_the_summary_is_the_first_error_and_how_many_more() -> None:
    two = error_from_answer(422, json.dumps([detail(422, "first"), detail(422, "second")]).encode(), {})
    assert str(two) == two.summary() == "422 T: first (and 1 more)"
    three = error_from_answer(404, json.dumps([detail(404, "a"), detail(404, "b"), detail(404, "c")]).encode(), {})
    assert str(three) == "404 T: a (and 2 more)"
    assert str(error_from_answer(404, json.dumps([detail(404, "only")]).encode(), {})) == "404 T: only"
    none = error_from_answer(500, b"[]", {})
    assert (none.errors, str(none)) == ([], "500 error")
    empty = error_from_answer(502, b"", {})
    assert (empty.errors, str(empty)) == ([], "502 error")


def test_a_body_that_is_not_the_error_array_becomes_one_error_that_shows_it() -> None:
    html = error_from_answer(502, b"<html>gateway</html>", {})
    assert html.errors == [ErrorDetail(502, "Error", "<html>gateway</html>", "", {})]
    long = error_from_answer(502, b"x" * 2000, {})
    assert long.errors[0].description == "x" * 1000
    broken = error_from_answer(500, b"\xff\xfe bad", {})
    assert broken.errors[0].description == "\ufffd\ufffd bad"
    one = error_from_answer(409, json.dumps(detail(409, "just one")).encode(), {})
    assert [(e.code, e.description) for e in one.errors] == [(409, "just one")]
    text = error_from_answer(400, b'"quoted"', {})
    assert text.errors == [ErrorDetail(400, "Error", "quoted", "", {})]
    # An error object without its code (a proxy's, a hand-written one) takes the answer's status.
    bare = error_from_answer(503, json.dumps([{"description": "down"}, "gone"]).encode(), {})
    assert bare.errors == [ErrorDetail(503, "Error", "down", "", {}), ErrorDetail(503, "Error", "gone", "", {})]


def test_a_validation_error_names_the_attributes_of_its_errors_in_order() -> None:
    body = [detail(422, "a", data={"attribute": "name"}), detail(422, "b"), detail(422, "c", data={"attribute": 7})]
    error = error_from_answer(422, json.dumps(body).encode(), {})
    assert isinstance(error, errors.ValidationError) and error.attributes == ["name", "7"]


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert errors.retry_after_seconds({"Retry-After": " 30 "}) == 30.0
    assert errors.retry_after_seconds({"RETRY-AFTER": "0"}) == 0.0
    assert errors.retry_after_seconds({"Other": "5"}) is None
    assert errors.retry_after_seconds({"Retry-After": "-5"}) is None
    assert errors.retry_after_seconds({"Retry-After": "1.5"}) is None
    assert errors.retry_after_seconds({"Retry-After": "²"}) is None
    assert errors.retry_after_seconds({"Retry-After": ""}) is None
    later = datetime.now(UTC) + timedelta(hours=1)
    waited = errors.retry_after_seconds({"Retry-After": format_datetime(later, usegmt=True)})
    assert waited is not None and 3500 < waited <= 3600
    naive = format_datetime(later.replace(tzinfo=None))  # "-0000": no zone, taken as UTC
    waited = errors.retry_after_seconds({"Retry-After": naive})
    assert waited is not None and 3500 < waited <= 3600
    assert errors.retry_after_seconds({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    error = error_from_answer(503, b"[]", {"Retry-After": "7"})
    assert error.retry_after == 7.0 and error_from_answer(503, b"[]", {}).retry_after is None


def test_unreachable_keeps_its_attempts() -> None:
    gone = errors.Unreachable("GET x: no answer", 3)
    assert (str(gone), gone.attempts) == ("GET x: no answer", 3) and isinstance(gone, errors.ClientError)
