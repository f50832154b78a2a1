"""API errors at their source (server/errors.py): the wire form, the bounds on what an error
array may hold, and the errors every server raises with the same words."""

from __future__ import annotations

import json

import pytest

from generator.runtime.server.errors import (
    SUBJECT,
    APIError,
    InvalidRecord,
    StoreUnavailable,
    bad_request,
    bounded,
    error_object,
    not_found,
    page_too_large,
)
from generator.runtime.server.limits import MAX_ERROR_TEXT, MAX_ERRORS


def test_an_error_object_has_the_five_fields_and_the_title_of_its_code() -> None:
    assert SUBJECT == "generator.runtime.server"  # a generated server says its package's name
    assert error_object(404, "gone", {"id": "x"}) == {
        "code": 404,
        "title": "Not Found",
        "description": "gone",
        "subject": SUBJECT,
        "data": {"id": "x"},
    }
    assert error_object(418, "odd")["title"] == "Error" and error_object(418, "odd")["data"] == {}


@pytest.mark.parametrize("count", [0, 1, MAX_ERRORS])
def test_up_to_the_most_errors_of_a_fitting_size_pass_as_they_are(count: int) -> None:
    errors = [error_object(422, "x" * MAX_ERROR_TEXT, {"attribute": "y" * MAX_ERROR_TEXT})] * count
    assert bounded(422, errors) is errors


def test_more_errors_are_cut_and_one_more_says_how_many_were_left_out() -> None:
    errors = [error_object(422, f"e{n}", {"n": n}) for n in range(MAX_ERRORS + 3)]
    kept = bounded(422, errors)
    assert kept[:MAX_ERRORS] == errors[:MAX_ERRORS]
    assert kept[MAX_ERRORS:] == [error_object(422, "3 more errors not shown", {"omitted": 3})]


def test_a_long_text_is_clipped_with_an_ellipsis_wherever_it_is() -> None:
    long = "é" * (MAX_ERROR_TEXT + 1)
    clipped = "é" * (MAX_ERROR_TEXT - 1) + "\u2026"
    kept = bounded(400, [error_object(400, long, {"value": long, "n": 12345, "short": "s"})])
    assert kept == [{**error_object(400, clipped, {"value": clipped, "n": 12345, "short": "s"})}]
    assert len(kept[0]["description"]) == MAX_ERROR_TEXT
    only_data = bounded(400, [error_object(400, "d", {"value": long})])
    assert only_data[0]["description"] == "d" and only_data[0]["data"]["value"] == clipped
    assert len(only_data) == 1  # nothing left out: no counting error


def test_an_api_error_is_its_status_its_errors_and_its_headers() -> None:
    error = APIError.single(409, "taken", attribute="code")
    assert (error.status, error.headers, str(error)) == (409, {}, "taken")
    assert error.errors == [error_object(409, "taken", {"attribute": "code"})]
    assert json.loads(error.body()) == error.errors
    assert "é" in APIError.single(400, "é").body().decode("utf-8")  # UTF-8, not \\u escapes
    assert str(APIError(503, [])) == "Service Unavailable" and str(APIError(599, [])) == "Error"
    assert APIError(401, [], {"WWW-Authenticate": "Bearer"}).headers == {"WWW-Authenticate": "Bearer"}
    many = APIError(422, [error_object(422, str(n)) for n in range(MAX_ERRORS + 1)])
    assert len(many.errors) == MAX_ERRORS + 1 and many.errors[-1]["data"] == {"omitted": 1}
    assert bad_request("bad", parameter="q").errors == [error_object(400, "bad", {"parameter": "q"})]


def test_a_page_too_large_says_what_fits() -> None:
    assert page_too_large(1000, 3).errors == [
        error_object(
            400,
            "this page is larger than 1000 characters of JSON; ask for pagesize=3 or less",
            {"limit": 1000, "pagesize": 3},
        )
    ]
    assert page_too_large(1000, 0).errors[0]["description"] == (
        "this page is larger than 1000 characters of JSON; the first object alone is over it: retrieve it by"
        " its identifier"
    )
    assert page_too_large(10, 0).status == 400


def test_not_found_quotes_at_most_100_characters_of_the_identifier() -> None:
    error = not_found("thing", "ID", "x" * 150, "/a")
    assert error.status == 404
    assert error.errors == [error_object(404, f"no thing with ID {'x' * 100!r} in namespace /a", {"id": "x" * 100})]


def test_an_invalid_record_joins_its_descriptions() -> None:
    refused = InvalidRecord([error_object(422, "a"), error_object(409, "b")])
    assert str(refused) == "a; b" and [e["code"] for e in refused.errors] == [422, 409]


def test_store_unavailable_is_503_with_retry_after_or_its_own_status() -> None:
    busy = StoreUnavailable("busy", "the database is busy")
    assert (busy.reason, busy.description, busy.status, str(busy)) == (
        "busy",
        "the database is busy",
        503,
        "the database is busy",
    )
    error = busy.api_error(7)
    assert (error.status, error.headers) == (503, {"Retry-After": "7"})
    assert error.errors == [error_object(503, "the database is busy", {"reason": "busy"})]
    full = StoreUnavailable("full", "the disk is full", status=507).api_error(7)
    assert (full.status, full.headers) == (507, {})
    assert full.errors == [error_object(507, "the disk is full", {"reason": "full"})]


def test_each_text_of_an_error_is_clipped_alone_and_missing_fields_are_fine() -> None:
    exact, long = "d" * MAX_ERROR_TEXT, "v" * (MAX_ERROR_TEXT + 1)
    kept = bounded(400, [error_object(400, exact, {"value": long})])
    assert kept[0]["description"] == exact and kept[0]["data"]["value"] == "v" * (MAX_ERROR_TEXT - 1) + "\u2026"
    only_description = bounded(400, [error_object(400, long, {"n": 1})])
    assert only_description[0]["description"] == "v" * (MAX_ERROR_TEXT - 1) + "\u2026"
    bare = bounded(400, [{"code": 400}] * (MAX_ERRORS + 1))
    assert bare[0] == {"code": 400, "description": "", "data": {}} and bare[-1]["code"] == 400
    assert bounded(400, [{"code": 400, "description": long}])[0]["data"] == {}


def test_the_count_of_errors_left_out_has_the_status_of_the_answer() -> None:
    many = APIError(409, [error_object(409, str(n)) for n in range(MAX_ERRORS + 2)])
    assert many.errors[-1] == error_object(409, "2 more errors not shown", {"omitted": 2})
