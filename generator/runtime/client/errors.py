"""What a request can fail with: the API's own error array as typed exceptions, or no answer at all.

Every error the API answers is a status code and a JSON array of error objects (``code``,
``title``, ``description``, ``subject``, ``data``). ``APIError`` carries that array whole,
as ``ErrorDetail`` objects; its subclasses name the statuses a program may want to catch on
their own (``NotFound``, ``ValidationError``...). ``Unreachable`` is the other failure: no
answer came, even after the retries.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    """One error object of the API's error array."""

    code: int
    title: str
    description: str
    subject: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_wire(cls, value: Any, status: int) -> ErrorDetail:
        """An error object as sent; whatever is missing or of the wrong type gets a plain default."""
        if not isinstance(value, Mapping):
            return cls(status, "Error", _text(value))
        code = value.get("code")
        data = value.get("data")
        return cls(
            code=code if isinstance(code, int) and not isinstance(code, bool) else status,
            title=_text(value.get("title", "Error")),
            description=_text(value.get("description", "")),
            subject=_text(value.get("subject", "")),
            data=dict(data) if isinstance(data, Mapping) else {},
        )

    def to_dict(self) -> dict[str, Any]:
        """The wire form again."""
        return {
            "code": self.code,
            "title": self.title,
            "description": self.description,
            "subject": self.subject,
            "data": self.data,
        }


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class ClientError(Exception):
    """Every error this client raises."""


class ConfigurationError(ClientError):
    """The client lacks a setting (the API's URL, a namespace): the message says how to give it."""


class Unreachable(ClientError):
    """No answer: the connection failed or timed out, every retry included."""

    def __init__(self, message: str, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


class APIError(ClientError):
    """The API answered an error: ``status``, the error array (``errors``) and the headers."""

    status: int

    def __init__(self, status: int, errors: list[ErrorDetail], headers: Mapping[str, str] | None = None) -> None:
        self.status = status
        self.errors = errors
        self.headers = dict(headers or {})
        super().__init__(self.summary())

    def summary(self) -> str:
        """``404 Not Found: no activity with ID 'x' in namespace /acme``, and how many more errors."""
        if not self.errors:
            return f"{self.status} error"
        first = self.errors[0]
        more = f" (and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
        return f"{self.status} {first.title}: {first.description}{more}"

    @property
    def retry_after(self) -> float | None:
        """The seconds the server asked to wait (``Retry-After``), when it said."""
        return retry_after_seconds(self.headers)


class BadRequest(APIError):
    """400: an unknown or malformed parameter, a malformed filter, or a body that is not an object."""


class Unauthorized(APIError):
    """401: no token, or one the server does not know."""


class Forbidden(APIError):
    """403: the token may not use this namespace."""


class NotFound(APIError):
    """404: no such object in the namespace (or no such path)."""


class MethodNotAllowed(APIError):
    """405: the model does not allow this operation."""


class Conflict(APIError):
    """409: the request conflicts with what is stored."""


class PayloadTooLarge(APIError):
    """413: the body is larger than the server takes."""


class ValidationError(APIError):
    """422: the object does not validate; each error names its attribute in ``data``."""

    @property
    def attributes(self) -> list[str]:
        """The attributes at fault, in the order of the errors."""
        return [str(e.data["attribute"]) for e in self.errors if "attribute" in e.data]


class TooManyRequests(APIError):
    """429: slow down; ``retry_after`` says for how long."""


class ServerError(APIError):
    """5xx: the server could not do it; ``ServiceUnavailable`` (503) says when to ask again."""


class ServiceUnavailable(ServerError):
    """503: busy, out of its time budget, or read-only: ask again after ``retry_after`` seconds."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    409: Conflict,
    413: PayloadTooLarge,
    422: ValidationError,
    429: TooManyRequests,
    503: ServiceUnavailable,
}


def error_from_answer(status: int, body: bytes, headers: Mapping[str, str]) -> APIError:
    """The typed error of an error answer; a body that is not the error array becomes one error."""
    try:
        data = json.loads(body.decode("utf-8")) if body else []
    except (UnicodeDecodeError, ValueError):
        data = body.decode("utf-8", "replace")[:1000]
    if isinstance(data, list) and data:
        errors = [ErrorDetail.from_wire(item, status) for item in data]
    elif isinstance(data, list):
        errors = []
    else:
        errors = [ErrorDetail.from_wire({"description": data} if isinstance(data, str) else data, status)]
    kind = _BY_STATUS.get(status) or (ServerError if status >= 500 else APIError)
    return kind(status, errors, headers)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """``Retry-After`` in seconds (a number of seconds or an HTTP date), None when absent or unreadable."""
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
