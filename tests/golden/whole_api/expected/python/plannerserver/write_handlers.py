# Copied by specgen from generator/runtime/server/write_handlers.py, the same in every API. Do not edit by hand.
"""Write endpoints (create, update, delete), kept thin: authorize, read the body, act, answer.

The write itself runs in the write lane (``work``), within the request's budget. Only APIs
with a model that allows a write ship this module.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from . import writes
from .auth import Caller, Tokens
from .body import parse_object, read_body
from .handlers import JSON, Endpoint, client
from .params import NO_PARAMETERS, Parameters, parse_write
from .processors import NO_PROCESSORS, Processors
from .store import Store
from .table import Resource, Table
from .work import Work
from .writes import Audit


def _caller(request: Request, tokens: Tokens, parameters: Parameters) -> tuple[Caller, dict[str, Any]]:
    caller = tokens.caller(request.headers, client(request), "write in")
    return caller, parse_write(request.query_params.multi_items(), parameters)


def _object(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type=JSON)


def _json(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


# What runs in the write lane: the body parsed, the write done, the answer encoded, all off the loop.
def _create(
    store: Store,
    resource: Resource[Any],
    caller: Caller,
    raw: bytes,
    audit: Audit | None,
    values: dict[str, Any],
    parent: tuple[Table, str] | None,
    processors: Processors,
) -> bytes:
    body = parse_object(raw)
    return _json(writes.create(store, resource, caller, body, audit, values, parent, processors))


def _update(
    store: Store,
    resource: Resource[Any],
    caller: Caller,
    identifier: str,
    raw: bytes,
    audit: Audit | None,
    values: dict[str, Any],
    processors: Processors,
) -> bytes:
    body = parse_object(raw)
    return _json(writes.update(store, resource, caller, identifier, body, audit, values, processors))


def _delete(
    store: Store,
    resource: Resource[Any],
    caller: Caller,
    identifier: str,
    audit: Audit | None,
    values: dict[str, Any],
    processors: Processors,
) -> bytes:
    return _json(writes.delete(store, resource, caller, identifier, audit, values, processors))


def create_endpoint(
    resource: Resource[Any],
    work: Work,
    tokens: Tokens,
    audit: Audit | None,
    parameters: Parameters = NO_PARAMETERS,
    parent: Table | None = None,
    processors: Processors = NO_PROCESSORS,
) -> Endpoint:
    """``POST /<category>``, or with ``parent`` ``POST /<parents>/{id}/<category>``: the new object
    lives under that parent (404 when it does not exist in the caller's namespace)."""

    async def endpoint(request: Request) -> Response:
        caller, values = _caller(request, tokens, parameters)
        under = None if parent is None else (parent, str(request.path_params["id"]))
        raw = await read_body(request, work.settings.body_timeout)
        return _object(await work.write(_create, resource, caller, raw, audit, values, under, processors), 201)

    return endpoint


def update_endpoint(
    resource: Resource[Any],
    work: Work,
    tokens: Tokens,
    audit: Audit | None,
    parameters: Parameters = NO_PARAMETERS,
    processors: Processors = NO_PROCESSORS,
) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        caller, values = _caller(request, tokens, parameters)
        raw = await read_body(request, work.settings.body_timeout)
        identifier = request.path_params["id"]
        return _object(await work.write(_update, resource, caller, identifier, raw, audit, values, processors))

    return endpoint


def delete_endpoint(
    resource: Resource[Any],
    work: Work,
    tokens: Tokens,
    audit: Audit | None,
    parameters: Parameters = NO_PARAMETERS,
    processors: Processors = NO_PROCESSORS,
) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        caller, values = _caller(request, tokens, parameters)
        identifier = request.path_params["id"]
        return _object(await work.write(_delete, resource, caller, identifier, audit, values, processors))

    return endpoint
