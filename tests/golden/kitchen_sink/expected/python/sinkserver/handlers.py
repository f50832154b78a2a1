# Copied by specgen from generator/runtime/server/handlers.py, the same in every API. Do not edit by hand.
"""Read endpoints, kept thin: authorize, hand the work to a lane (``work``), answer.

Errors are raised as APIError. The event loop only checks the token and the headers: parsing
the filter and running the query happen in a worker thread, within the request's budget, and
so do the processors (``processors``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import Response

from .auth import Tokens
from .errors import not_found
from .params import NO_PARAMETERS, Parameters, parse_retrieve
from .processors import NO_PROCESSORS, Processors
from .table import Table
from .work import Work

JSON = "application/json"
Endpoint = Callable[[Request], Awaitable[Response]]


def client(request: Request) -> str | None:
    """The client's address, as activities and processors see it."""
    return request.client.host if request.client is not None and request.client.host else None


def list_endpoint(
    table: Table,
    work: Work,
    tokens: Tokens,
    parameters: Parameters = NO_PARAMETERS,
    parent: Table | None = None,
    processors: Processors = NO_PROCESSORS,
) -> Endpoint:
    """``GET /<category>``, or with ``parent`` ``GET /<parents>/{id}/<category>``: the objects
    that live under that parent (404 when the caller cannot see it)."""

    async def endpoint(request: Request) -> Response:
        caller = tokens.caller(request.headers, client(request))
        under = None if parent is None else (parent, str(request.path_params["id"]))
        return await work.list(request, table, caller, parameters, under, processors)

    return endpoint


def retrieve_endpoint(
    table: Table,
    work: Work,
    tokens: Tokens,
    parameters: Parameters = NO_PARAMETERS,
    processors: Processors = NO_PROCESSORS,
) -> Endpoint:
    assert table.identifier is not None, "retrieve needs an identifier (the spec validator ensures one)"
    key = table.identifier.attribute

    async def endpoint(request: Request) -> Response:
        caller = tokens.caller(request.headers, client(request))
        recursive, values = parse_retrieve(request.query_params.multi_items(), parameters)
        identifier: str = request.path_params["id"]
        found = await work.retrieve(table, identifier, caller, recursive, values, processors)
        if found is None:
            raise not_found(table.name, key, identifier, caller.namespace)
        return found

    return endpoint


def by_method(endpoints: Mapping[str, Endpoint]) -> Endpoint:
    """One endpoint for a path served by several methods (the route answers 405 to the others)."""
    if "GET" in endpoints:
        endpoints = {"HEAD": endpoints["GET"], **endpoints}

    async def endpoint(request: Request) -> Response:
        return await endpoints[request.method](request)

    return endpoint
