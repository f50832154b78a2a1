# Copied by specgen from generator/runtime/server/handlers.py, the same in every API. Do not edit by hand.
"""Read endpoints, kept thin: authorize, hand the work to a lane (``work``), answer.

Errors are raised as APIError. The event loop only checks the token and the headers: parsing
the filter and running the query happen in a worker thread, within the request's budget.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import Response

from .auth import Tokens
from .errors import not_found
from .params import parse_retrieve
from .table import Table
from .work import Work

JSON = "application/json"
Endpoint = Callable[[Request], Awaitable[Response]]


def list_endpoint(table: Table, work: Work, tokens: Tokens) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        namespace = tokens.authorize(request.headers)
        return await work.list(request, table, namespace)

    return endpoint


def retrieve_endpoint(table: Table, work: Work, tokens: Tokens) -> Endpoint:
    assert table.identifier is not None, "retrieve needs an identifier (the spec validator ensures one)"
    key = table.identifier.attribute

    async def endpoint(request: Request) -> Response:
        namespace = tokens.authorize(request.headers)
        recursive = parse_retrieve(request.query_params.multi_items())
        identifier: str = request.path_params["id"]
        found = await work.retrieve(table, identifier, namespace, recursive)
        if found is None:
            raise not_found(table.name, key, identifier, namespace)
        return found

    return endpoint


def by_method(endpoints: Mapping[str, Endpoint]) -> Endpoint:
    """One endpoint for a path served by several methods (the route answers 405 to the others)."""
    if "GET" in endpoints:
        endpoints = {"HEAD": endpoints["GET"], **endpoints}

    async def endpoint(request: Request) -> Response:
        return await endpoints[request.method](request)

    return endpoint
