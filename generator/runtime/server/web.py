"""The ASGI application around the routes: request-head limits, JSON errors everywhere.

A request head larger than the limits is refused before routing: 414 for the path or the
query string, 431 for the headers. A server in front must let at least ``MAX_REQUEST_HEAD``
bytes through (``specgen serve`` sets uvicorn's h11 limit to it), so that the answer is this
JSON error rather than its own.

The API's OpenAPI document, ``openapi.json`` beside this module in a generated package, is
served at ``/openapi.json`` to anyone (it holds no data).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from importlib import resources

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import APIError
from .limits import MAX_HEADER_BYTES, MAX_HEADERS, MAX_HEADERS_BYTES, MAX_PATH_BYTES, MAX_QUERY_BYTES

JSON = "application/json"
OPENAPI_PATH = "/openapi.json"


def error_response(error: APIError) -> Response:
    return Response(error.body(), status_code=error.status, media_type=JSON, headers=error.headers)


def oversized(scope: Scope) -> APIError | None:
    """The error for a request head over the limits, or None when it fits."""
    path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    if len(path) > MAX_PATH_BYTES:
        return APIError.single(414, f"the path is longer than {MAX_PATH_BYTES} bytes", limit=MAX_PATH_BYTES)
    if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
        return APIError.single(414, f"the query string is longer than {MAX_QUERY_BYTES} bytes", limit=MAX_QUERY_BYTES)
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    if len(headers) > MAX_HEADERS:
        return APIError.single(431, f"more than {MAX_HEADERS} header fields", limit=MAX_HEADERS)
    total = 0
    for name, value in headers:
        if len(value) > MAX_HEADER_BYTES:
            shown = name.decode("latin-1")[:64]
            return APIError.single(
                431, f"the {shown} header is longer than {MAX_HEADER_BYTES} bytes", header=shown, limit=MAX_HEADER_BYTES
            )
        total += len(name) + len(value)
    if total > MAX_HEADERS_BYTES:
        return APIError.single(
            431, f"the headers add up to more than {MAX_HEADERS_BYTES} bytes", limit=MAX_HEADERS_BYTES
        )
    return None


class RequestLimits:
    """ASGI middleware: answers an oversized request head with its JSON error, before routing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (error := oversized(scope)) is not None:
            await error_response(error)(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, APIError)
    return error_response(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 (no such path) and 405 (method not allowed), as JSON."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        description = f"no such path: {request.url.path[:200]}"
    elif exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        description = f"{request.method} is not allowed on {request.url.path[:200]}; allowed: {allowed}"
    else:
        description = exc.detail
    error = APIError.single(exc.status_code, description)
    error.headers.update(exc.headers or {})
    return error_response(error)


async def _server_error(request: Request, exc: Exception) -> Response:
    return error_response(APIError.single(500, "internal error; the server log has the details"))


def openapi_document() -> bytes | None:
    """The package's OpenAPI document (``openapi.json`` beside this module), if it ships one."""
    document = resources.files(__package__ or __name__).joinpath("openapi.json")
    return document.read_bytes() if document.is_file() else None


def openapi_route(document: bytes) -> Route:
    async def endpoint(request: Request) -> Response:
        return Response(document, media_type=JSON)

    return Route(OPENAPI_PATH, endpoint, methods=["GET"])


def application(routes: Sequence[BaseRoute], on_shutdown: Callable[[], None] | None = None) -> Starlette:
    """The Starlette app serving ``routes`` (and the OpenAPI document, when the package has one),
    with the limits and the JSON error handlers; ``on_shutdown`` runs when the server stops
    (stopping the work still running)."""
    document = openapi_document()
    if document is not None:
        routes = [*routes, openapi_route(document)]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if on_shutdown is not None:
                on_shutdown()

    return Starlette(
        routes=list(routes),
        middleware=[Middleware(RequestLimits)],
        exception_handlers={APIError: _api_error, HTTPException: _http_error, Exception: _server_error},
        lifespan=lifespan,
    )
