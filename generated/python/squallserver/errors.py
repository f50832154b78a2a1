# Copied by specgen from generator/runtime/server/errors.py, the same in every API. Do not edit by hand.
"""API errors: a status code and a JSON array of error objects, as every client expects."""

from __future__ import annotations

import json
from typing import Any

# The generated server package's name (``squallserver``): errors say which service answered.
SUBJECT = __name__.rpartition(".")[0] or __name__

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    414: "URI Too Long",
    422: "Validation Error",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
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


class APIError(Exception):
    """Raised anywhere in a request; the app turns it into the response."""

    def __init__(self, status: int, errors: list[ErrorObject], headers: dict[str, str] | None = None) -> None:
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
