"""API errors: a status code and a JSON array of error objects, as every client expects."""

from __future__ import annotations

import json
from typing import Any

from .limits import MAX_ERROR_TEXT, MAX_ERRORS

# The generated server package's name (``squallserver``): errors say which service answered.
SUBJECT = __name__.rpartition(".")[0] or __name__

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    408: "Request Timeout",
    413: "Payload Too Large",
    414: "URI Too Long",
    422: "Validation Error",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
    507: "Insufficient Storage",
}

ErrorObject = dict[str, Any]


def error_object(code: int, description: str, data: dict[str, Any] | None = None) -> ErrorObject:
    """One error in the wire form: code, title, description, subject, data."""
    return {
        "code": code,
        "title": TITLES.get(code, "Error"),
        "description": description,
        "subject": SUBJECT,
        "data": data or {},
    }


def _clipped(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_ERROR_TEXT:
        return value[: MAX_ERROR_TEXT - 1] + "\u2026"
    return value


def bounded(status: int, errors: list[ErrorObject]) -> list[ErrorObject]:
    """At most ``MAX_ERRORS`` errors, each text clipped to ``MAX_ERROR_TEXT`` characters, and
    then one more that says how many were left out (``data.omitted``).

    An error may quote what the client sent (an unknown key, a value): however much was sent,
    the answer and the activity that logs it stay small.
    """
    if len(errors) <= MAX_ERRORS and all(_small(e) for e in errors):
        return errors
    kept = [
        {
            **e,
            "description": _clipped(e.get("description", "")),
            "data": {k: _clipped(v) for k, v in e.get("data", {}).items()},
        }
        for e in errors[:MAX_ERRORS]
    ]
    omitted = len(errors) - len(kept)
    if omitted > 0:
        kept.append(error_object(status, f"{omitted} more errors not shown", {"omitted": omitted}))
    return kept


def _small(error: ErrorObject) -> bool:
    texts = [error.get("description"), *error.get("data", {}).values()]
    return all(not isinstance(t, str) or len(t) <= MAX_ERROR_TEXT for t in texts)


class APIError(Exception):
    """Raised anywhere in a request; the app turns it into the response (errors ``bounded``)."""

    def __init__(self, status: int, errors: list[ErrorObject], headers: dict[str, str] | None = None) -> None:
        errors = bounded(status, errors)
        super().__init__(errors[0]["description"] if errors else TITLES.get(status, "Error"))
        self.status = status
        self.errors = errors
        self.headers = headers or {}

    @classmethod
    def single(cls, status: int, description: str, **data: Any) -> APIError:
        return cls(status, [error_object(status, description, data)])

    def body(self) -> bytes:
        return json.dumps(self.errors, ensure_ascii=False).encode("utf-8")


def bad_request(description: str, **data: Any) -> APIError:
    return APIError.single(400, description, **data)


def page_too_large(limit: int, fits: int) -> APIError:
    """400 for a page of a list whose JSON would be longer than ``limit`` characters."""
    if fits:
        advice = f"ask for pagesize={fits} or less"
    else:
        advice = "the first object alone is over it: retrieve it by its identifier"
    return APIError.single(
        400, f"this page is larger than {limit} characters of JSON; {advice}", limit=limit, pagesize=fits
    )


def not_found(model: str, key: str, identifier: str, namespace: str) -> APIError:
    """404 for an identifier with no object in the namespace (or none the caller may see)."""
    return APIError.single(
        404, f"no {model} with {key} {identifier[:100]!r} in namespace {namespace}", id=identifier[:100]
    )


class InvalidRecord(ValueError):
    """An object refused by the store: each problem is an API error object (422 or 409)."""

    def __init__(self, errors: list[ErrorObject]) -> None:
        super().__init__("; ".join(str(e["description"]) for e in errors))
        self.errors = errors


class StoreUnavailable(Exception):
    """The store cannot do the work now, through no fault of the request's content.

    ``reason``: ``budget`` (the request's time ran out), ``cancelled`` (its client left or the
    server is stopping), ``stopped`` (interrupted, reason not yet known), ``busy`` (another
    process holds the database), ``read-only`` or ``full``. The API answers ``status`` (503,
    with ``Retry-After``; or 507 when full).
    """

    def __init__(self, reason: str, description: str, status: int = 503) -> None:
        super().__init__(description)
        self.reason = reason
        self.description = description
        self.status = status

    def api_error(self, retry_after: int) -> APIError:
        error = APIError.single(self.status, self.description, reason=self.reason)
        if self.status == 503:  # every 503 says when to ask again
            error.headers["Retry-After"] = str(retry_after)
        return error
