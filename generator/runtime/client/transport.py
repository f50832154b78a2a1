"""HTTP for the client, sync and async: the headers every request carries, JSON bodies, error
answers raised as typed exceptions, timeouts, and retries by the policy of ``retry``.

One request in, one ``httpx.Response`` of status 2xx out, or an exception: ``APIError`` (a
subclass per status) when the API answered an error, ``Unreachable`` when nothing answered.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

import httpx

from .errors import APIError, ConfigurationError, Unreachable, error_from_answer
from .retry import Retry
from .settings import Environment, Settings

Params = Sequence[tuple[str, str]]
# httpx's errors raised before anything was sent: asking again cannot repeat a write.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def path_segment(value: str) -> str:
    """An identifier as one segment of a path: every reserved character escaped (``/`` too)."""
    return quote(value, safe="")


class _Base:
    def __init__(self, settings: Settings, environment: Environment, retry: Retry, user_agent: str) -> None:
        self.settings = settings
        self.environment = environment
        self.retry = retry
        self.user_agent = user_agent

    def headers(self, namespace: str | None, body: bool) -> dict[str, str]:
        namespace = namespace or self.settings.namespace
        if not namespace:
            name = self.environment.namespace
            raise ConfigurationError(f"no namespace: pass namespace=... or set {name} (e.g. export {name}=/acme)")
        headers = {"X-Namespace": namespace, "Accept": "application/json", "User-Agent": self.user_agent}
        if self.settings.token:
            headers["Authorization"] = f"Bearer {self.settings.token}"
        if body:
            headers["Content-Type"] = "application/json"
        return headers

    @staticmethod
    def content(body: Any) -> bytes | None:
        return None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")

    def unreachable(self, method: str, path: str, exc: Exception, tried: int) -> Unreachable:
        what = type(exc).__name__
        detail = str(exc) or what
        tries = f" ({tried} tries)" if tried > 1 else ""
        return Unreachable(f"{method} {self.settings.url}{path}: no answer{tries}: {detail}", tried)


class Transport(_Base):
    """Requests over one ``httpx.Client`` (a pool of keep-alive connections); close it when done.

    ``http`` is an ``httpx.Client`` of your own (proxies, certificates, a mock transport): the
    transport sends absolute URLs through it and closes it when it is closed.
    """

    def __init__(
        self,
        settings: Settings,
        environment: Environment,
        *,
        retry: Retry | None = None,
        http: httpx.Client | None = None,
        user_agent: str = "specgen-client",
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(settings, environment, retry or Retry(), user_agent)
        self.http = http or httpx.Client(timeout=httpx.Timeout(settings.timeout))
        self._sleep = sleep
        self._rng = rng

    def request(
        self, method: str, path: str, *, namespace: str | None = None, params: Params = (), body: Any = None
    ) -> httpx.Response:
        headers = self.headers(namespace, body is not None)
        content = self.content(body)
        url = self.settings.url + path
        tried = 0
        while True:
            tried += 1
            try:
                answer = self.http.request(method, url, params=list(params), headers=headers, content=content)
            except httpx.TransportError as exc:
                if not self.retry.after_failure(method, not isinstance(exc, _NOT_SENT), tried):
                    raise self.unreachable(method, path, exc, tried) from exc
                self._sleep(self.retry.delay(tried, None, self._rng))
                continue
            if answer.is_success:
                return answer
            error = error_from_answer(answer.status_code, answer.read(), answer.headers)
            if not self.retry.after_status(error.status, error.retry_after, tried):
                raise error
            self._sleep(self.retry.delay(tried, error.retry_after, self._rng))

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncTransport(_Base):
    """Requests over one ``httpx.AsyncClient``; ``await close()`` (or ``async with``) when done."""

    def __init__(
        self,
        settings: Settings,
        environment: Environment,
        *,
        retry: Retry | None = None,
        http: httpx.AsyncClient | None = None,
        user_agent: str = "specgen-client",
        sleep: Callable[[float], Any] = asyncio.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(settings, environment, retry or Retry(), user_agent)
        self.http = http or httpx.AsyncClient(timeout=httpx.Timeout(settings.timeout))
        self._sleep = sleep
        self._rng = rng

    async def request(
        self, method: str, path: str, *, namespace: str | None = None, params: Params = (), body: Any = None
    ) -> httpx.Response:
        headers = self.headers(namespace, body is not None)
        content = self.content(body)
        url = self.settings.url + path
        tried = 0
        while True:
            tried += 1
            try:
                answer = await self.http.request(method, url, params=list(params), headers=headers, content=content)
            except httpx.TransportError as exc:
                if not self.retry.after_failure(method, not isinstance(exc, _NOT_SENT), tried):
                    raise self.unreachable(method, path, exc, tried) from exc
                await self._sleep(self.retry.delay(tried, None, self._rng))
                continue
            if answer.is_success:
                return answer
            error: APIError = error_from_answer(answer.status_code, await answer.aread(), answer.headers)
            if not self.retry.after_status(error.status, error.retry_after, tried):
                raise error
            await self._sleep(self.retry.delay(tried, error.retry_after, self._rng))

    async def close(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> AsyncTransport:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
