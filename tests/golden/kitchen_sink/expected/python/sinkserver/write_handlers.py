# Copied by specgen from generator/runtime/server/write_handlers.py, the same in every API. Do not edit by hand.
"""Write endpoints (create, update, delete), kept thin: authorize, read the body, act, answer.

Only APIs with a model that allows a write ship this module.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from . import writes
from .auth import Tokens
from .body import read_object
from .handlers import JSON, Endpoint
from .params import parse_write
from .store import Store
from .table import Resource
from .writes import Audit, Caller


def _caller(request: Request, tokens: Tokens) -> Caller:
    principal, namespace = tokens.access(request.headers, "write in")
    parse_write(request.query_params.multi_items())
    source = request.client.host if request.client is not None and request.client.host else "api"
    return Caller(claims=principal.claims, namespace=namespace, source=source)


def _object(obj: Any, status: int = 200) -> Response:
    return Response(json.dumps(obj, ensure_ascii=False), status_code=status, media_type=JSON)


def create_endpoint(resource: Resource[Any], store: Store, tokens: Tokens, audit: Audit | None) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        caller = _caller(request, tokens)
        body = await read_object(request)
        return _object(writes.create(store, resource, caller, body, audit), 201)

    return endpoint


def update_endpoint(resource: Resource[Any], store: Store, tokens: Tokens, audit: Audit | None) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        caller = _caller(request, tokens)
        body = await read_object(request)
        return _object(writes.update(store, resource, caller, request.path_params["id"], body, audit))

    return endpoint


def delete_endpoint(resource: Resource[Any], store: Store, tokens: Tokens, audit: Audit | None) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        caller = _caller(request, tokens)
        return _object(writes.delete(store, resource, caller, request.path_params["id"], audit))

    return endpoint
