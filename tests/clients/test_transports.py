"""The sync and the async transport (generator/runtime/client/transport.py) held to the same
behaviour, request by request, over httpx's mock transport: what each request carries, which
answers and failures are tried again and after how long, and what is raised in the end."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from generator.runtime.client import errors, retry, settings, transport

ENV = settings.Environment("API_URL", "API_NAMESPACE", "API_TOKEN")
SETTINGS = settings.Settings(url="http://api.test", namespace="/acme", token="secret-token")
KINDS = ["sync", "async"]


def error_body(status: int, description: str) -> bytes:
    return json.dumps([{"code": status, "title": "T", "description": description, "subject": "s", "data": {}}]).encode()


@dataclass
class Run:
    """What one request did: its answer or what it raised, the waits, the requests sent."""

    answer: httpx.Response | None = None
    raised: BaseException | None = None
    sleeps: list[float] = field(default_factory=list)
    sent: list[httpx.Request] = field(default_factory=list)


def run(
    kind: str,
    answers: list[httpx.Response | Exception],
    method: str = "GET",
    path: str = "/x",
    *,
    policy: retry.Retry | None = None,
    config: settings.Settings = SETTINGS,
    **options: Any,
) -> Run:
    out = Run()
    pending = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        out.sent.append(request)
        answer = pending.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    rng: Callable[[], float] = lambda: 1.0  # noqa: E731  (the top of each backoff range)
    if kind == "sync":
        with transport.Transport(
            config,
            ENV,
            retry=policy,
            http=httpx.Client(transport=httpx.MockTransport(handler)),
            sleep=out.sleeps.append,
            rng=rng,
        ) as t:
            try:
                out.answer = t.request(method, path, **options)
            except Exception as exc:
                out.raised = exc
        return out

    async def sleep(seconds: float) -> None:
        out.sleeps.append(seconds)

    async def go() -> None:
        async with transport.AsyncTransport(
            config,
            ENV,
            retry=policy,
            http=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
            sleep=sleep,
            rng=rng,
        ) as t:
            try:
                out.answer = await t.request(method, path, **options)
            except Exception as exc:
                out.raised = exc

    asyncio.run(go())
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_a_request_carries_the_url_parameters_headers_and_json_body(kind: str) -> None:
    done = run(kind, [httpx.Response(201, json={})], "POST", "/w", params=[("q", "a b"), ("q", "c")], body={"n": "é"})
    assert done.answer is not None and done.answer.status_code == 201
    (sent,) = done.sent
    assert (sent.method, str(sent.url)) == ("POST", "http://api.test/w?q=a+b&q=c")
    assert {k: sent.headers[k] for k in ("authorization", "x-namespace", "accept", "user-agent", "content-type")} == {
        "authorization": "Bearer secret-token",
        "x-namespace": "/acme",
        "accept": "application/json",
        "user-agent": "specgen-client",
        "content-type": "application/json",
    }
    assert sent.content == '{"n": "é"}'.encode()


@pytest.mark.parametrize("kind", KINDS)
def test_without_a_body_or_a_token_those_headers_are_left_out(kind: str) -> None:
    anonymous = settings.Settings(url="http://api.test", namespace="/acme", token=None)
    done = run(kind, [httpx.Response(200, json={})], namespace="/other", config=anonymous)
    (sent,) = done.sent
    assert sent.headers["x-namespace"] == "/other" and sent.content == b""
    assert "authorization" not in sent.headers and "content-type" not in sent.headers


@pytest.mark.parametrize("kind", KINDS)
def test_a_busy_answer_is_tried_again_after_its_retry_after(kind: str) -> None:
    answers: list[httpx.Response | Exception] = [
        httpx.Response(503, content=error_body(503, "busy"), headers={"Retry-After": "3"}),
        httpx.Response(429, content=error_body(429, "slow")),
        httpx.Response(200, json=[]),
    ]
    done = run(kind, answers, "POST", body={})
    assert done.answer is not None and done.answer.status_code == 200
    assert done.sleeps == [3.0, 1.0] and len(done.sent) == 3  # 1.0: the backoff of the second retry


@pytest.mark.parametrize("kind", KINDS)
def test_the_last_error_is_raised_when_the_attempts_are_spent(kind: str) -> None:
    busy: list[httpx.Response | Exception] = [
        httpx.Response(503, content=error_body(503, f"busy {n}")) for n in range(3)
    ]
    done = run(kind, busy, policy=retry.Retry(attempts=3, backoff=0.5))
    assert isinstance(done.raised, errors.ServiceUnavailable) and str(done.raised) == "503 T: busy 2"
    assert done.sleeps == [0.5, 1.0] and len(done.sent) == 3


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("status", [400, 404, 409, 422, 500])
def test_other_errors_are_raised_at_once_with_their_array(kind: str, status: int) -> None:
    done = run(kind, [httpx.Response(status, content=error_body(status, "no"))])
    assert isinstance(done.raised, errors.APIError) and done.raised.status == status
    assert [e.description for e in done.raised.errors] == ["no"]
    assert done.sleeps == [] and len(done.sent) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_retry_after_past_the_longest_honoured_is_raised_at_once(kind: str) -> None:
    long = httpx.Response(503, content=error_body(503, "later"), headers={"Retry-After": "61"})
    done = run(kind, [long])
    assert isinstance(done.raised, errors.ServiceUnavailable) and done.sleeps == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_connection_never_made_is_tried_again_for_any_method(kind: str) -> None:
    done = run(kind, [httpx.ConnectError("refused"), httpx.PoolTimeout("pool"), httpx.Response(200, json={})], "POST")
    assert done.answer is not None and done.sleeps == [0.5, 1.0] and len(done.sent) == 3


@pytest.mark.parametrize("kind", KINDS)
def test_a_request_lost_after_sending_is_tried_again_only_when_idempotent(kind: str) -> None:
    done = run(kind, [httpx.ReadTimeout("lost"), httpx.Response(200, json={})], "PUT", body={})
    assert done.answer is not None and done.sleeps == [0.5]
    done = run(kind, [httpx.ReadTimeout("lost")], "POST", body={})
    assert isinstance(done.raised, errors.Unreachable)
    assert str(done.raised) == "POST http://api.test/x: no answer: lost" and done.raised.attempts == 1
    assert isinstance(done.raised.__cause__, httpx.ReadTimeout) and done.sleeps == []


@pytest.mark.parametrize("kind", KINDS)
def test_no_answer_after_every_try_is_unreachable_and_says_how_many(kind: str) -> None:
    done = run(kind, [httpx.ConnectError("")] * 4, "GET", "/y", policy=retry.Retry(attempts=4, backoff=1.0))
    assert isinstance(done.raised, errors.Unreachable) and done.raised.attempts == 4
    assert str(done.raised) == "GET http://api.test/y: no answer (4 tries): ConnectError"  # no text: the kind
    assert done.sleeps == [1.0, 2.0, 4.0] and len(done.sent) == 4


@pytest.mark.parametrize("kind", KINDS)
def test_no_namespace_is_a_configuration_error_before_anything_is_sent(kind: str) -> None:
    nowhere = settings.Settings(url="http://api.test", namespace=None, token="t")
    done = run(kind, [], config=nowhere)
    assert isinstance(done.raised, errors.ConfigurationError) and done.sent == []
    assert str(done.raised) == "no namespace: pass namespace=... or set API_NAMESPACE (e.g. export API_NAMESPACE=/acme)"


def test_transports_made_without_a_client_make_their_own_with_the_settings_timeout() -> None:
    timed = settings.Settings(url="http://api.test", namespace="/a", token=None, timeout=7.5)
    with transport.Transport(timed, ENV) as t:
        assert t.http.timeout == httpx.Timeout(7.5) and t.retry == retry.Retry()

    async def go() -> None:
        async with transport.AsyncTransport(timed, ENV) as t:
            assert (
                t.http.timeout == httpx.Timeout(7.5) and t.retry == retry.Retry() and t.user_agent == "specgen-client"
            )

    asyncio.run(go())


@pytest.mark.parametrize("kind", KINDS)
def test_two_tries_are_counted_in_the_message(kind: str) -> None:
    done = run(kind, [httpx.ConnectError("refused")] * 2, policy=retry.Retry(attempts=2))
    assert str(done.raised) == "GET http://api.test/x: no answer (2 tries): refused"
