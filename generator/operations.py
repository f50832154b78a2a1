"""What each operation of a model is over HTTP: its method, path, query parameters and errors.

The server target routes from these, the docs describe them; the parameters and limits are
read from the server runtime, which enforces them, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.runtime.server import limits, params
from generator.spec import Api, Model, Operation, OperationSpec, Parameter

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
# Any request, before it reaches the operation (generator/runtime/server/web.py).
_HEAD_LIMITS = (
    (414, "the path or the query string is too long"),
    (431, "too many headers, or a header too long"),
)
_TOO_LARGE = (413, f"the body is larger than {BODY_LIMIT}")
_INVALID = (422, "the object does not validate: each error names its attribute")
# What no request can avoid: the server's own load and state (generator/runtime/server/work.py).
_BUSY_READ = (
    503,
    "the server is busy, or the request ran out of its time budget: ask again after `Retry-After` seconds",
)
_BUSY_WRITE = (
    503,
    "the server is busy, the request ran out of its time budget, or the database cannot be written:"
    " ask again after `Retry-After` seconds",
)
_SLOW_BODY = (408, f"the body was not sent within {int(limits.BODY_TIMEOUT)} seconds")
_FULL = (507, "the database cannot grow (its disk is full)")
ERRORS: dict[Operation, tuple[tuple[int, str], ...]] = {
    "list": (
        (400, "an unknown parameter, too many parameters, or a malformed `q`, `order`, `page` or `pagesize`"),
        *_READ_AUTH_ERRORS,
        *_HEAD_LIMITS,
        _BUSY_READ,
    ),
    "retrieve": (
        (400, "an unknown parameter, or `recursive` neither `true` nor `false`"),
        *_READ_AUTH_ERRORS,
        _NOT_FOUND,
        *_HEAD_LIMITS,
        _BUSY_READ,
    ),
    "create": (
        (400, "an unknown parameter, or a body that is not a JSON object"),
        *_WRITE_AUTH_ERRORS,
        _TOO_LARGE,
        *_HEAD_LIMITS,
        _INVALID,
        _SLOW_BODY,
        _BUSY_WRITE,
        _FULL,
    ),
    "update": (
        (400, "an unknown parameter, or a body that is not a JSON object"),
        *_WRITE_AUTH_ERRORS,
        _NOT_FOUND,
        _TOO_LARGE,
        *_HEAD_LIMITS,
        _INVALID,
        _SLOW_BODY,
        _BUSY_WRITE,
        _FULL,
    ),
    "delete": ((400, "an unknown parameter"), *_WRITE_AUTH_ERRORS, _NOT_FOUND, *_HEAD_LIMITS, _BUSY_WRITE, _FULL),
}
# What a success answers.
SUCCESS: dict[Operation, tuple[int, str]] = {
    "list": (200, "a JSON array of the matching objects: one page"),
    "retrieve": (200, "the object"),
    "create": (201, "the object as stored"),
    "update": (200, "the object as stored"),
    "delete": (200, "the object it deleted"),
}
# Every status the API answers, for the overview of the reference page, by code.
API_STATUSES: tuple[tuple[int, str], ...] = (
    (200, "OK: a list, an object, an update or a delete done."),
    (201, "Created: the object as stored."),
    (400, "Bad request: an unknown parameter, a malformed filter or order, or a body that is not a JSON object."),
    (401, "No credentials, or a token the server does not know."),
    (403, "The token may not use the namespace."),
    (404, "No such object."),
    (405, "The model does not allow this method."),
    (413, f"The body is larger than {BODY_LIMIT}."),
    (414, "The path or the query string is too long."),
    (
        422,
        "The object does not validate, or a unique value is already used: one error per problem, naming its attribute in `data`.",
    ),
    (431, "Too many headers, or a header too long."),
    (408, f"The body was not sent within {int(limits.BODY_TIMEOUT)} seconds."),
    (
        503,
        "Try again later, after the seconds in `Retry-After`: the server is busy (`data.reason` is `busy`), the"
        " request ran out of its time budget (`budget`: narrow the filter or the page), or the database cannot be"
        " written (`read-only`).",
    ),
    (507, "The database cannot grow (its disk is full)."),
)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One operation of a model as the HTTP API serves it: at the top of the API, or on the
    collection of a parent object (``/projects/{id}/lists``) when ``parent`` names its model."""

    operation: Operation
    method: str
    path: str  # "/activities", "/activities/{id}" or "/projects/{id}/lists"
    parameters: tuple[str, ...]  # built-in query parameters it accepts
    errors: tuple[tuple[int, str], ...]  # (status, when)
    spec: OperationSpec = field(default_factory=OperationSpec)  # the description and own parameters
    parent: str | None = None  # the parent model's name, for an operation under a parent

    @property
    def has_body(self) -> bool:
        return self.operation in WITH_BODY

    @property
    def on_one_object(self) -> bool:
        return self.operation in ON_ONE_OBJECT

    @property
    def custom_parameters(self) -> tuple[Parameter, ...]:
        """The spec's own parameters, beyond the built-in ones."""
        return self.spec.parameters


def statuses(endpoint: Endpoint) -> tuple[tuple[int, str], ...]:
    """Every status an operation answers: its success, then its errors by code."""
    return (SUCCESS[endpoint.operation], *sorted(endpoint.errors))


def collection_path(model: Model) -> str:
    return f"/{model.category}"


def child_path(parent: Model, child: Model) -> str:
    """The collection of a child model under one parent object: ``/projects/{id}/lists``."""
    return f"/{parent.category}/{{id}}/{child.category}"


_PARENT_NOT_FOUND = (404, "no parent object with this identifier in the namespace")


def endpoints(api: Api, model: Model) -> tuple[Endpoint, ...]:
    """The model's operations at the top of the API, in the order list, retrieve, create,
    update, delete; then list and create under each of its parents, parent by parent."""
    out = []
    for operation in OPERATIONS:
        if not model.allows(operation):
            continue
        path = collection_path(model) + ("/{id}" if operation in ON_ONE_OBJECT else "")
        builtin = _PARAMETERS.get(operation, ())
        spec = model.operation_spec(operation)
        out.append(Endpoint(operation, METHODS[operation], path, builtin, ERRORS[operation], spec))
    for parent, relation in api.parents_of(model):
        for operation in relation.operations:
            spec = getattr(relation, operation)
            errors = tuple(sorted({*ERRORS[operation], _PARENT_NOT_FOUND}))
            path = child_path(parent, model)
            builtin = _PARAMETERS.get(operation, ())
            out.append(Endpoint(operation, METHODS[operation], path, builtin, errors, spec, parent.name))
    return tuple(out)
