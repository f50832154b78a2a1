# Copied by specgen from generator/runtime/server/handlers.py, the same in every API. Do not edit by hand.
"""Read endpoints, kept thin: authorize, parse, act, answer. Errors are raised as APIError.

They run on the event loop: an indexed SQLite read, or a write of one object and its
activity, takes well under a millisecond, less than handing it to a worker thread would cost.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import Response

from .auth import Tokens
from .errors import not_found
from .params import parse_list, parse_retrieve
from .store import Store
from .table import Table

JSON = "application/json"
Endpoint = Callable[[Request], Awaitable[Response]]


def list_endpoint(table: Table, store: Store, tokens: Tokens) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        namespace = tokens.authorize(request.headers)
        query = parse_list(request.query_params.multi_items(), table)
        body, total = store.list(table, namespace, query)
        return Response(body, media_type=JSON, headers={"X-Count-Total": str(total)})

    return endpoint


def retrieve_endpoint(table: Table, store: Store, tokens: Tokens) -> Endpoint:
    assert table.identifier is not None, "retrieve needs an identifier (the spec validator ensures one)"
    key = table.identifier.attribute

    async def endpoint(request: Request) -> Response:
        namespace = tokens.authorize(request.headers)
        recursive = parse_retrieve(request.query_params.multi_items())
        identifier: str = request.path_params["id"]
        body = store.retrieve(table, identifier, namespace, recursive)
        if body is None:
            raise not_found(table.name, key, identifier, namespace)
        return Response(body, media_type=JSON)

    return endpoint


def by_method(endpoints: Mapping[str, Endpoint]) -> Endpoint:
    """One endpoint for a path served by several methods (the route answers 405 to the others)."""
    if "GET" in endpoints:
        endpoints = {"HEAD": endpoints["GET"], **endpoints}

    async def endpoint(request: Request) -> Response:
        return await endpoints[request.method](request)

    return endpoint
