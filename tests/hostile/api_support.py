"""Shared by the hostile API tests: a realistic store, a raw ASGI caller and the error-body check.

The generated packages are imported from generated/python (Squall) and the kitchen-sink golden
output (sinkserver), as tests/server does.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
from squallmodels import Activity

from tests.server.conftest import START, dataset

ERROR_KEYS = {"code", "title", "description", "subject", "data"}


def activities(extra: int = 96) -> list[Activity]:
    """The tests/server data set plus ``extra`` more, with text a filter may trip over."""
    objects = dataset()
    words = ["create", "update", "delete", 'quote"d', "back\\slash", "ünïcödé", "percent%20", "x" * 40]
    namespaces = ["/acme", "/acme/prod", "/acme/prod/eu", "/other", "/o"]
    for i in range(extra):
        objects.append(
            Activity(
                id=f"extra{i:03d}",
                namespace=namespaces[i % len(namespaces)],
                operation=words[i % 3],
                target_identity=words[i % len(words)],
                date=START + timedelta(minutes=7 * i),
                message=None if i % 6 == 0 else f"{words[i % len(words)]} {i}",
                source=words[(i + 3) % len(words)],
                data={"index": i, "nested": {"list": [i, str(i), None, True]}, "text": words[i % len(words)]},
                original_data=None if i % 2 else {"index": i - 1},
                error=None if i % 5 else {"code": 400 + i % 100},
                claims=[f"@auth:subject=user{i % 7}", "@auth:realm=vince"],
            )
        )
    return objects


def fingerprint(path: Path) -> str:
    """A digest of every row of every table, read on a connection of its own."""
    digest = hashlib.sha256()
    with sqlite3.connect(path) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def check_error_body(status: int, body: bytes) -> list[dict[str, Any]]:
    """A 4xx body is the documented JSON array of error objects; raise AssertionError otherwise."""
    assert b"Traceback" not in body, body[:500]
    errors = json.loads(body)
    assert isinstance(errors, list) and errors, body[:500]
    for error in errors:
        assert isinstance(error, dict) and set(error) == ERROR_KEYS, error
        assert error["code"] == status, (status, error)
        assert isinstance(error["title"], str) and error["title"]
        assert isinstance(error["description"], str) and error["description"]
        assert isinstance(error["subject"], str) and error["subject"]
        assert isinstance(error["data"], dict)
    return errors


def check_answer(status: int, body: bytes, allowed: frozenset[int] | None = None) -> None:
    """Never 5xx; every 4xx is the JSON error array; the status is one of ``allowed`` if given."""
    assert status < 500, (status, body[:500])
    if allowed is not None:
        assert status in allowed, (status, body[:500])
    if status >= 400:
        check_error_body(status, body)
    else:
        json.loads(body)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Caller:
    """One event loop and one client for a whole module: hypothesis calls it hundreds of times."""

    app: Any
    loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    tried: int = 0

    def __post_init__(self) -> None:
        transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
        self.client = httpx.AsyncClient(transport=transport, base_url="http://squall.test")

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()

    def http(self, method: str, url: str, headers: dict[str, str], **kwargs: Any) -> Answer:
        """Through httpx (it encodes what it is given, as a client would)."""
        self.tried += 1
        response = self.loop.run_until_complete(self.client.request(method, url, headers=headers, **kwargs))
        return Answer(response.status_code, dict(response.headers), response.content)

    def raw(
        self, method: str, raw_path: bytes, query: bytes, headers: list[tuple[bytes, bytes]], body: bytes = b""
    ) -> Answer:
        """Straight to the ASGI app with bytes no client would send (the server in front may pass them)."""
        self.tried += 1
        return self.loop.run_until_complete(self._raw(method, raw_path, query, headers, body))

    async def _raw(
        self, method: str, raw_path: bytes, query: bytes, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> Answer:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": unquote(raw_path.decode("latin-1")),
            "raw_path": raw_path,
            "root_path": "",
            "query_string": query,
            "headers": headers,
            "client": ("127.0.0.1", 5000),
            "server": ("squall.test", 80),
        }
        sent = False
        messages: list[dict[str, Any]] = []
        answered = asyncio.Event()

        async def receive() -> dict[str, Any]:
            # As a server does: the body, then http.disconnect only once the answer is sent (a
            # disconnect before it means the client left, and the app may stop its work).
            nonlocal sent
            if sent:
                await answered.wait()
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                answered.set()

        await self.app(scope, receive, send)
        start = next(m for m in messages if m["type"] == "http.response.start")
        content = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        fields = {k.decode("latin-1"): v.decode("latin-1") for k, v in start.get("headers", [])}
        return Answer(int(start["status"]), fields, content)


def worst_filters(
    attribute: str = "message", pattern: str = "[a-z]+[0-9]{3}[a-z]+"
) -> list[tuple[str, str | int | float | bool | None]]:
    """The costliest list query the limits let through: as many ``matches`` as fit, none matching.

    Every comparison of an ``or`` chain that fails is evaluated, on every row: with RE2 each
    costs time linear in the text, so the query's cost is rows x comparisons x text length.
    """
    from urllib.parse import quote, urlencode

    from squallserver import limits

    comparison = f'{attribute} matches "{pattern}"'
    params: list[tuple[str, str | int | float | bool | None]] = [("recursive", "true")]
    parts: list[str] = []

    def size(items: list[tuple[str, str | int | float | bool | None]]) -> int:
        return len(urlencode(items, quote_via=quote))

    while len(params) < limits.MAX_FILTERS + 1:
        candidate = " or ".join([*parts, comparison])
        fits_filter = len(candidate) <= limits.MAX_FILTER_LENGTH and len(parts) < limits.MAX_COMPARISONS
        if fits_filter and size([*params, ("q", candidate)]) <= limits.MAX_QUERY_BYTES:
            parts.append(comparison)
            continue
        if not parts:
            break
        params.append(("q", " or ".join(parts)))
        parts = []
        if size([*params, ("q", comparison)]) > limits.MAX_QUERY_BYTES:
            break
    if parts:
        params.append(("q", " or ".join(parts)))
    return params


def long_text_activities(rows: int, seed: int = 3) -> list[Activity]:
    """Activities with about 2 KB of words in their message and data: what costly filters read."""
    import random

    rng = random.Random(seed)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda"]
    objects = []
    for i in range(rows):
        text = " ".join(rng.choice(words) for _ in range(300))[:2000]
        objects.append(
            Activity(
                id=f"long{i:05d}",
                namespace="/acme",
                operation="create",
                target_identity="widget",
                date=START + timedelta(seconds=i),
                message=text,
                data={"text": text},
                claims=["@auth:subject=filler"],
            )
        )
    return objects
