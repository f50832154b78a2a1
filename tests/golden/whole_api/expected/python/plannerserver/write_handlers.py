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
from .auth import Tokens
from .body import parse_object, read_body
from .handlers import JSON, Endpoint
from .params import parse_write
from .store import Store
from .table import Resource
from .work import Work
from .writes import Audit, Caller


def _caller(request: Request, tokens: Tokens) -> Caller:
    principal, namespace = tokens.access(request.headers, "write in")
    parse_write(request.query_params.multi_items())
    source = request.client.host if request.client is not None and request.client.host else "api"
    return Caller(claims=principal.claims, namespace=namespace, source=source)


def _object(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type=JSON)


def _json(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


# What runs in the write lane: the body parsed, the write done, the answer encoded, all off the loop.
def _create(store: Store, resource: Resource[Any], caller: Caller, raw: bytes, audit: Audit | None) -> bytes:
    return _json(writes.create(store, resource, caller, parse_object(raw), audit))


def _update(
    store: Store, resource: Resource[Any], caller: Caller, identifier: str, raw: bytes, audit: Audit | None
) -> bytes:
    return _json(writes.update(store, resource, caller, identifier, parse_object(raw), audit))


def _delete(store: Store, resource: Resource[Any], caller: Caller, identifier: str, audit: Audit | None) -> bytes:
    return _json(writes.delete(store, resource, caller, identifier, audit))


def create_endpoint(resource: Resource[Any], work: Work, tokens: Tokens, audit: Audit | None) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        caller = _caller(request, tokens)
        raw = await read_body(request, work.settings.body_timeout)
        return _object(await work.write(_create, resource, caller, raw, audit), 201)

    return endpoint


def update_endpoint(resource: Resource[Any], work: Work, tokens: Tokens, audit: Audit | None) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        caller = _caller(request, tokens)
        raw = await read_body(request, work.settings.body_timeout)
        return _object(await work.write(_update, resource, caller, request.path_params["id"], raw, audit))

    return endpoint


def delete_endpoint(resource: Resource[Any], work: Work, tokens: Tokens, audit: Audit | None) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        caller = _caller(request, tokens)
        return _object(await work.write(_delete, resource, caller, request.path_params["id"], audit))

    return endpoint
