"""What each operation of a model is over HTTP: its method, path, query parameters and errors.

The server target routes from these, the docs describe them; the parameters and limits are
read from the server runtime, which enforces them, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.runtime.server import limits, params
from generator.spec import Model, Operation

# The order the docs list operations in, and the method of each.
OPERATIONS: tuple[Operation, ...] = ("list", "retrieve", "create", "update", "delete")
METHODS: dict[Operation, str] = {
    "list": "GET",
    "retrieve": "GET",
    "create": "POST",
    "update": "PUT",
    "delete": "DELETE",
}
# Operations on one object, found by its identifier: ``/<category>/{id}``.
ON_ONE_OBJECT: frozenset[Operation] = frozenset({"retrieve", "update", "delete"})
WITH_BODY: frozenset[Operation] = frozenset({"create", "update"})

_PARAMETERS: dict[Operation, tuple[str, ...]] = {
    "list": params.LIST_PARAMETERS,
    "retrieve": params.RETRIEVE_PARAMETERS,
}


def _size(limit: int) -> str:
    return f"{limit >> 20} MiB" if limit % (1 << 20) == 0 else f"{limit // 1024} KiB"


BODY_LIMIT = _size(limits.MAX_BODY)
_READ_AUTH_ERRORS = (
    (401, "no credentials, or a token the server does not know"),
    (403, "the token may not read this namespace"),
)
_WRITE_AUTH_ERRORS = (
    (401, "no credentials, or a token the server does not know"),
    (403, "the token may not use this namespace"),
)
_NOT_FOUND = (404, "no object with this identifier in the namespace")
_TOO_LARGE = (413, f"the body is larger than {BODY_LIMIT}")
_INVALID = (422, "the object does not validate: each error names its attribute")
ERRORS: dict[Operation, tuple[tuple[int, str], ...]] = {
    "list": (
        (400, "an unknown parameter, too many parameters, or a malformed `q`, `order`, `page` or `pagesize`"),
        *_READ_AUTH_ERRORS,
    ),
    "retrieve": (
        (400, "an unknown parameter, or `recursive` neither `true` nor `false`"),
        *_READ_AUTH_ERRORS,
        _NOT_FOUND,
    ),
    "create": (
        (400, "an unknown parameter, or a body that is not a JSON object"),
        *_WRITE_AUTH_ERRORS,
        _TOO_LARGE,
        _INVALID,
    ),
    "update": (
        (400, "an unknown parameter, or a body that is not a JSON object"),
        *_WRITE_AUTH_ERRORS,
        _NOT_FOUND,
        _TOO_LARGE,
        _INVALID,
    ),
    "delete": ((400, "an unknown parameter"), *_WRITE_AUTH_ERRORS, _NOT_FOUND),
}


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One operation of a model as the HTTP API serves it."""

    operation: Operation
    method: str
    path: str  # "/activities" or "/activities/{id}"
    parameters: tuple[str, ...]  # query parameters it accepts
    errors: tuple[tuple[int, str], ...]  # (status, when)

    @property
    def has_body(self) -> bool:
        return self.operation in WITH_BODY

    @property
    def on_one_object(self) -> bool:
        return self.operation in ON_ONE_OBJECT


def collection_path(model: Model) -> str:
    return f"/{model.category}"


def endpoints(model: Model) -> tuple[Endpoint, ...]:
    """The model's operations, in the order list, retrieve, create, update, delete."""
    out = []
    for operation in OPERATIONS:
        if not model.allows(operation):
            continue
        path = collection_path(model) + ("/{id}" if operation in ON_ONE_OBJECT else "")
        out.append(Endpoint(operation, METHODS[operation], path, _PARAMETERS.get(operation, ()), ERRORS[operation]))
    return tuple(out)
