"""Fixtures for the generated server: a seeded store, the app in-process, and uvicorn on loopback.

The generated packages are imported from generated/python, as a user of the output would.
In-process requests go through ``httpx.AsyncClient`` with ``ASGITransport`` (Starlette's
TestClient warns unless httpx2 is installed, and the suite treats warnings as errors).
"""

from __future__ import annotations

import asyncio
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import GENERATED

if str(GENERATED / "python") not in sys.path:
    sys.path.insert(0, str(GENERATED / "python"))

from squallmodels import Activity
from squallserver import Store, Tokens
from squallserver.app import create_app

TOKEN = "root-token-for-tests-0123456789"  # reads every namespace
ACME_TOKEN = "acme-token-for-tests-0123456789"  # reads /acme and below only
START = datetime(2024, 1, 1, tzinfo=UTC)


def tokens() -> Tokens:
    return Tokens.from_data(
        [
            {"token": TOKEN, "claims": ["@auth:subject=root"], "namespaces": ["/"]},
            {"token": ACME_TOKEN, "claims": {"subject": "acme"}, "namespaces": ["/acme"]},
        ]
    )


def headers(namespace: str = "/acme", token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "X-Namespace": namespace}


def dataset() -> list[Activity]:
    """Sixteen activities over five namespaces, one hour apart, with every kind of value."""
    namespaces = ["/acme", "/acme/prod", "/acme/dev", "/acmecorp", "/other"]
    operations = ["create", "update", "delete"]
    targets = ["widget", "gadget"]
    objects = []
    for i in range(16):
        objects.append(
            Activity(
                id=f"act{i:02d}",
                namespace=namespaces[i % 5],
                operation=operations[i % 3],
                target_identity=targets[i % 2],
                date=START + timedelta(hours=i),
                message=None if i % 4 == 3 else f"message {i} {'urgent' if i % 5 == 0 else 'routine'}",
                source="apoctl" if i % 2 else "web ui",
                data={"index": i, "tags": ["a", "b"] if i % 2 else ["c"]},
                original_data=None if i % 3 == 0 else {"index": i - 1},
                error={"code": 500} if i == 7 else None,
                claims=[f"@auth:subject=user{i % 3}"],
            )
        )
    return objects


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "squall.db")
    opened.record_many(dataset())
    yield opened
    opened.close()


@dataclass
class InProcess:
    """Requests to the app without a network, each one a short-lived event loop."""

    app: Any

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> httpx.Response:
        return self.request("GET", path, headers, params)

    def request(
        self,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        params: Any = None,
        *,
        json: Any = None,
        content: bytes | None = None,
    ) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://squall.test") as client:
                return await client.request(method, path, headers=headers, params=params, json=json, content=content)

        return asyncio.run(send())


@pytest.fixture
def api(store: Store) -> InProcess:
    return InProcess(create_app(store, tokens()))


@dataclass
class Live:
    url: str
    port: int
    store: Store
    server: Any  # the uvicorn.Server


def serve(store: Any, app_tokens: Any = None, app: Any = None, options: dict[str, Any] | None = None) -> Iterator[Live]:
    """uvicorn on 127.0.0.1, on a socket bound before the server starts (no port race).

    ``app`` defaults to Squall's over ``store``; tests of other generated servers pass theirs.
    ``options`` are more uvicorn settings (``serving.options()`` gives those of specgen serve).
    """
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    if app is None:
        app = create_app(store, app_tokens or tokens())
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False, **(options or {}))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start within 10 s")
        time.sleep(0.01)
    try:
        yield Live(f"http://127.0.0.1:{port}", port, store, server)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """One server for a test module, over the standard data set."""
    module_store = Store(tmp_path_factory.mktemp("live") / "squall.db")
    module_store.record_many(dataset())
    yield from serve(module_store)
    module_store.close()


@pytest.fixture
def http(live: Live) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=10) as client:
        yield client
