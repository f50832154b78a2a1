"""The client runtime where it stands (generator/runtime/client/), over httpx's mock transport.

Every generated client copies these modules verbatim, so what holds here holds there: the
headers, the typed errors with the error array, the retry policy (what is retried, how long
it waits, Retry-After), paging by X-Count-Total, the settings from the environment.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from generator.runtime.client import calls, errors, output, paging, retry, settings, transport

ENV = settings.Environment("API_URL", "API_NAMESPACE", "API_TOKEN")
SETTINGS = settings.Settings(url="http://api.test", namespace="/acme", token="secret-token")
Handler = Callable[[httpx.Request], httpx.Response]


def error_body(status: int, description: str, **data: Any) -> bytes:
    error = {"code": status, "title": "T", "description": description, "subject": "srv", "data": data}
    return json.dumps([error]).encode()


def sync_transport(
    handler: Handler, policy: retry.Retry | None = None, sleeps: list[float] | None = None
) -> transport.Transport:
    waits = sleeps if sleeps is not None else []
    return transport.Transport(
        SETTINGS,
        ENV,
        retry=policy or retry.Retry(),
        http=httpx.Client(transport=httpx.MockTransport(handler)),
        sleep=waits.append,
        rng=lambda: 1.0,
    )


# -- headers and errors ----------------------------------------------------------------------


def test_every_request_carries_the_namespace_the_token_and_json() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"ok": True})

    with sync_transport(handler) as t:
        t.request("POST", "/widgets", body={"name": "é"}, params=[("q", "a == 1"), ("q", "b == 2")])
        t.request("GET", "/widgets", namespace="/other")
    first, second = seen
    assert str(first.url) == "http://api.test/widgets?q=a+%3D%3D+1&q=b+%3D%3D+2"
    assert first.headers["Authorization"] == "Bearer secret-token"
    assert first.headers["X-Namespace"] == "/acme"
    assert first.headers["Content-Type"] == "application/json"
    assert json.loads(first.content) == {"name": "é"}
    assert second.headers["X-Namespace"] == "/other" and "Content-Type" not in second.headers


def test_no_namespace_says_which_variable_to_set() -> None:
    t = transport.Transport(
        settings.Settings(url="http://api.test", namespace=None, token=None),
        ENV,
        http=httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200))),
    )
    with pytest.raises(errors.ConfigurationError, match="API_NAMESPACE"):
        t.request("GET", "/widgets")


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, errors.BadRequest),
        (401, errors.Unauthorized),
        (403, errors.Forbidden),
        (404, errors.NotFound),
        (405, errors.MethodNotAllowed),
        (409, errors.Conflict),
        (413, errors.PayloadTooLarge),
        (418, errors.APIError),
        (422, errors.ValidationError),
        (500, errors.ServerError),
        (507, errors.ServerError),
    ],
)
def test_an_error_answer_is_its_typed_exception_with_the_whole_array(status: int, kind: type[Exception]) -> None:
    body = json.dumps(
        [
            {"code": status, "title": "Nope", "description": "first", "subject": "srv", "data": {"attribute": "a"}},
            {"code": status, "title": "Nope", "description": "second", "subject": "srv", "data": {}},
        ]
    )
    with sync_transport(lambda r: httpx.Response(status, content=body)) as t, pytest.raises(kind) as caught:
        t.request("GET", "/x")
    error = caught.value
    assert type(error) is kind
    assert isinstance(error, errors.APIError)
    assert error.status == status
    assert [e.description for e in error.errors] == ["first", "second"]
    assert error.errors[0].data == {"attribute": "a"}
    assert str(error) == f"{status} Nope: first (and 1 more)"


def test_a_validation_error_names_its_attributes_and_a_foreign_body_still_reads() -> None:
    with (
        sync_transport(lambda r: httpx.Response(422, content=error_body(422, "bad", attribute="name"))) as t,
        pytest.raises(errors.ValidationError) as caught,
    ):
        t.request("POST", "/x", body={})
    assert caught.value.attributes == ["name"]
    # A proxy's own answer (not the error array) still becomes one error that says what came.
    with (
        sync_transport(lambda r: httpx.Response(502, text="<html>Bad gateway</html>")) as t,
        pytest.raises(errors.ServerError) as server,
    ):
        t.request("GET", "/x")
    assert server.value.errors[0].description == "<html>Bad gateway</html>"


# -- retries ---------------------------------------------------------------------------------


def test_a_busy_server_is_asked_again_after_its_retry_after() -> None:
    answers = iter(
        [
            httpx.Response(503, content=error_body(503, "busy", reason="busy"), headers={"Retry-After": "3"}),
            httpx.Response(429, content=error_body(429, "slow down"), headers={"Retry-After": "1"}),
            httpx.Response(200, json=[]),
        ]
    )
    sleeps: list[float] = []
    with sync_transport(lambda r: next(answers), sleeps=sleeps) as t:
        assert t.request("POST", "/x", body={}).status_code == 200  # a create too: the server did not act
    assert sleeps == [3.0, 1.0]


def test_retries_stop_after_the_attempts_and_raise_the_last_error() -> None:
    calls_made: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls_made.append(1)
        return httpx.Response(503, content=error_body(503, "busy"))

    sleeps: list[float] = []
    with (
        sync_transport(handler, retry.Retry(attempts=3, backoff=0.5), sleeps) as t,
        pytest.raises(errors.ServiceUnavailable),
    ):
        t.request("GET", "/x")
    assert len(calls_made) == 3
    assert sleeps == [0.5, 1.0]  # doubling (the random point is the top of each range here)


def test_a_retry_after_longer_than_allowed_is_raised_at_once() -> None:
    answer = httpx.Response(503, content=error_body(503, "read-only"), headers={"Retry-After": "3600"})
    sleeps: list[float] = []
    with sync_transport(lambda r: answer, sleeps=sleeps) as t, pytest.raises(errors.ServiceUnavailable) as caught:
        t.request("GET", "/x")
    assert sleeps == [] and caught.value.retry_after == 3600.0


@pytest.mark.parametrize("status", [400, 404, 422, 500])
def test_other_errors_are_never_retried(status: int) -> None:
    count: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        count.append(1)
        return httpx.Response(status, content=error_body(status, "no"))

    with sync_transport(handler) as t, pytest.raises(errors.APIError):
        t.request("GET", "/x")
    assert len(count) == 1


def _failing(failures: list[Exception]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if failures:
            raise failures.pop(0)
        return httpx.Response(200, json={})

    return handler


def test_a_connection_never_made_is_retried_for_every_method() -> None:
    with sync_transport(_failing([httpx.ConnectError("refused"), httpx.ConnectTimeout("slow")])) as t:
        assert t.request("POST", "/x", body={}).status_code == 200


def test_a_request_lost_after_sending_is_retried_only_when_idempotent() -> None:
    with sync_transport(_failing([httpx.ReadTimeout("lost")])) as t:
        assert t.request("PUT", "/x", body={}).status_code == 200
    with sync_transport(_failing([httpx.ReadTimeout("lost")])) as t, pytest.raises(errors.Unreachable) as caught:
        t.request("POST", "/x", body={})  # it may have been created: not repeated blindly
    assert caught.value.attempts == 1 and "no answer" in str(caught.value)


def test_no_answer_at_all_is_unreachable_after_every_try() -> None:
    with (
        sync_transport(_failing([httpx.ConnectError("refused")] * 10), retry.Retry(attempts=4)) as t,
        pytest.raises(errors.Unreachable) as caught,
    ):
        t.request("GET", "/x")
    assert caught.value.attempts == 4 and "(4 tries)" in str(caught.value)


def test_the_backoff_doubles_up_to_its_ceiling_within_the_upper_half() -> None:
    policy = retry.Retry(backoff=1.0, max_delay=4.0)
    assert [policy.delay(n, rng=lambda: 1.0) for n in range(1, 6)] == [1.0, 2.0, 4.0, 4.0, 4.0]
    assert [policy.delay(n, rng=lambda: 0.0) for n in range(1, 4)] == [0.5, 1.0, 2.0]
    assert policy.delay(1, retry_after=7.0, rng=lambda: 0.5) == 7.0
    with pytest.raises(ValueError):
        retry.Retry(attempts=0)


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert errors.retry_after_seconds({"Retry-After": "12"}) == 12.0
    assert errors.retry_after_seconds({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0  # in the past
    assert errors.retry_after_seconds({"Retry-After": "soon"}) is None
    assert errors.retry_after_seconds({}) is None


def test_the_async_transport_behaves_the_same() -> None:
    answers = iter(
        [
            httpx.Response(503, content=error_body(503, "busy"), headers={"Retry-After": "2"}),
            httpx.Response(404, content=error_body(404, "gone")),
        ]
    )
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def run() -> None:
        t = transport.AsyncTransport(
            SETTINGS,
            ENV,
            http=httpx.AsyncClient(transport=httpx.MockTransport(lambda r: next(answers))),
            sleep=sleep,
            rng=lambda: 1.0,
        )
        async with t:
            with pytest.raises(errors.NotFound):
                await t.request("GET", "/x")

    asyncio.run(run())
    assert sleeps == [2.0]


# -- paging ----------------------------------------------------------------------------------


def _pages(total: int, header: bool = True) -> tuple[Callable[[int, int], paging.Page], list[tuple[int, int]]]:
    asked: list[tuple[int, int]] = []

    def fetch(number: int, size: int) -> paging.Page:
        asked.append((number, size))
        start = (number - 1) * size
        items = [{"n": i} for i in range(start, min(start + size, total))]
        return items, total if header else None

    return fetch, asked


def test_a_listing_pages_until_the_total() -> None:
    fetch, asked = _pages(25)
    listing = paging.Listing(fetch, lambda d: d["n"], page_size=10)
    assert list(listing) == list(range(25))
    assert asked == [(1, 10), (2, 10), (3, 10)]


def test_a_listing_stops_at_the_total_without_asking_for_an_empty_page() -> None:
    fetch, asked = _pages(20)
    assert len(list(paging.Listing(fetch, dict, page_size=10))) == 20
    assert asked == [(1, 10), (2, 10)]  # page 2 completes the total: no page 3
    fetch, asked = _pages(20, header=False)
    assert len(list(paging.Listing(fetch, dict, page_size=10))) == 20
    assert asked == [(1, 10), (2, 10), (3, 10)]  # without the header, an empty page ends it


def test_total_is_read_from_the_first_page_which_the_iteration_reuses() -> None:
    fetch, asked = _pages(7)
    listing = paging.Listing(fetch, dict, page_size=5, limit=6)
    assert listing.total == 7
    assert len(list(listing)) == 6
    assert asked == [(1, 5), (2, 5)]


def test_a_limit_stops_early() -> None:
    fetch, asked = _pages(1000)
    assert len(list(paging.Listing(fetch, dict, page_size=100, limit=150))) == 150
    assert asked == [(1, 100), (2, 100)]
    fetch, asked = _pages(1000)
    assert list(paging.Listing(fetch, dict, limit=0)) == [] and asked == []


def test_an_async_listing_pages_the_same() -> None:
    fetch, asked = _pages(12)

    async def afetch(number: int, size: int) -> paging.Page:
        return fetch(number, size)

    async def run() -> tuple[int, list[int]]:
        listing = paging.AsyncListing(afetch, lambda d: int(d["n"]), page_size=5)
        return await listing.count(), await listing.to_list()

    total, items = asyncio.run(run())
    assert total == 12 and items == list(range(12))
    assert asked == [(1, 5), (2, 5), (3, 5)]


def test_count_header_reads_only_numbers() -> None:
    assert paging.count_header("42") == 42
    assert paging.count_header(None) is None
    assert paging.count_header("-1") is None


# -- calls, settings, output -----------------------------------------------------------------


def test_query_parameters_from_python_values() -> None:
    assert calls.query({"q": "a == 1", "order": ["-date", "ID"], "recursive": True, "page": None, "n": 2.5}) == [
        ("q", "a == 1"),
        ("order", "-date"),
        ("order", "ID"),
        ("recursive", "true"),
        ("n", "2.5"),
    ]


def test_a_body_sends_only_what_the_operation_takes() -> None:
    class Obj:
        def to_dict(self) -> dict[str, Any]:
            return {"ID": "x", "name": "n", "createdAt": "2020-01-01T00:00:00Z"}

    assert calls.body_of(Obj(), frozenset({"name"})) == {"name": "n"}
    assert calls.body_of({"anything": 1}, frozenset()) == {"anything": 1}


def test_an_answer_that_is_not_the_model_is_unexpected() -> None:
    def decode(data: dict[str, Any]) -> str:
        raise ValueError("bad")

    with pytest.raises(calls.UnexpectedAnswer):
        calls.decoded(decode, {"a": 1})
    with pytest.raises(calls.UnexpectedAnswer):
        calls.decoded(str, [1])


def test_settings_come_from_the_arguments_then_the_environment() -> None:
    env = {"API_URL": "http://env.test/", "API_NAMESPACE": "/env", "API_TOKEN": "env-token"}
    got = settings.resolve(ENV, environ=env)
    assert (got.url, got.namespace, got.token) == ("http://env.test", "/env", "env-token")
    got = settings.resolve(ENV, url="https://arg.test", namespace="/arg", token="t", timeout=2, environ=env)
    assert (got.url, got.namespace, got.token, got.timeout) == ("https://arg.test", "/arg", "t", 2)
    with pytest.raises(errors.ConfigurationError, match="API_URL"):
        settings.resolve(ENV, environ={})
    with pytest.raises(errors.ConfigurationError, match="http"):
        settings.resolve(ENV, url="ftp://x", environ={})


def test_output_formats() -> None:
    rows = [{"ID": "a", "n": 1, "data": {"k": [1, 2]}, "long": "x" * 60}, {"ID": "bb"}]
    table = output.render(rows, "table", ["ID", "n", "data", "long"]).splitlines()
    assert table[0].split() == ["ID", "n", "data", "long"]
    assert table[1].split()[:3] == ["a", "1", '{"k":[1,2]}'] and table[1].endswith("x" * 39 + "\u2026")
    assert table[2].rstrip() == "bb"
    assert json.loads(output.render(rows, "json", [])) == rows
    assert output.render({"a": [1]}, "yaml", []) == "a:\n- 1"


def test_an_error_detail_reads_back_as_it_was_sent() -> None:
    wire = {"code": 422, "title": "Validation Error", "description": "d", "subject": "s", "data": {"attribute": "a"}}
    assert errors.ErrorDetail.from_wire(wire, 400).to_dict() == wire


@pytest.mark.parametrize(
    ("identifier", "segment"),
    [("abc", "abc"), ("a/b", "a%2Fb"), ("a b?c#d", "a%20b%3Fc%23d"), ("..", ".."), ("é", "%C3%A9"), ("~_-.", "~_-.")],
)
def test_an_identifier_is_one_path_segment(identifier: str, segment: str) -> None:
    assert transport.path_segment(identifier) == segment
