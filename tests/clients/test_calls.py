"""The requests behind the generated collections (generator/runtime/client/calls.py), over
httpx's mock transport: the query a listing sends for each page, a count read from
X-Count-Total, one object per call, and an answer that is not what the document says."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from generator.runtime.client import calls, retry, settings, transport

ENV = settings.Environment("API_URL", "API_NAMESPACE", "API_TOKEN")
SETTINGS = settings.Settings(url="http://api.test", namespace="/acme", token="secret-token")
ITEMS = [{"ID": str(n), "n": n} for n in range(7)]


class Server:
    """Answers lists of ITEMS by page (X-Count-Total unless ``counted`` is False), echoes a body."""

    def __init__(self, counted: bool = True, answer: Any = None, content: bytes | None = None) -> None:
        self.seen: list[tuple[str, str, list[tuple[str, str]], str, Any]] = []
        self.counted = counted
        self.answer = answer
        self.content = content

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = urlsplit(str(request.url))
        params = parse_qsl(url.query, keep_blank_values=True)
        body = json.loads(request.content) if request.content else None
        self.seen.append((request.method, url.path, params, request.headers["X-Namespace"], body))
        if self.content is not None:
            return httpx.Response(200, content=self.content)
        if self.answer is not None:
            return httpx.Response(200, json=self.answer)
        if request.method == "GET" and "page" in dict(params):
            page, size = int(dict(params)["page"]), int(dict(params)["pagesize"])
            headers = {"X-Count-Total": str(len(ITEMS))} if self.counted else {}
            return httpx.Response(200, json=ITEMS[(page - 1) * size : page * size], headers=headers)
        return httpx.Response(200, json={"ID": "x", "method": request.method, "body": body})


def sync(server: Server) -> transport.Transport:
    return transport.Transport(
        SETTINGS,
        ENV,
        retry=retry.Retry(attempts=1),
        http=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=lambda _: None,
        rng=lambda: 1.0,
    )


def asynchronous(server: Server) -> transport.AsyncTransport:
    async def sleep(_: float) -> None:
        return None

    return transport.AsyncTransport(
        SETTINGS,
        ENV,
        retry=retry.Retry(attempts=1),
        http=httpx.AsyncClient(transport=httpx.MockTransport(server)),
        sleep=sleep,
        rng=lambda: 1.0,
    )


def number(data: dict[str, Any]) -> int:
    return int(data["n"])


def test_a_listing_asks_page_by_page_with_its_own_parameters() -> None:
    server = Server()
    with sync(server) as t:
        found = calls.listing(t, "/things", [("q", "n > 0"), ("order", "n")], number, namespace="/x", page_size=3)
        assert list(found) == list(range(7))
    assert server.seen == [
        ("GET", "/things", [("q", "n > 0"), ("order", "n"), ("page", str(p)), ("pagesize", "3")], "/x", None)
        for p in (1, 2, 3)
    ]


def test_a_listing_has_a_default_page_size_the_namespace_of_the_settings_and_a_limit() -> None:
    server = Server()
    with sync(server) as t:
        assert list(calls.listing(t, "/things", [], number, limit=2)) == [0, 1]
    assert server.seen == [("GET", "/things", [("page", "1"), ("pagesize", "100")], "/acme", None)]


def test_a_count_is_one_page_of_one_object_and_its_total() -> None:
    server = Server()
    with sync(server) as t:
        assert calls.count(t, "/things", [("q", "n > 1")], namespace="/y") == 7
    assert server.seen == [("GET", "/things", [("q", "n > 1"), ("page", "1"), ("pagesize", "1")], "/y", None)]
    uncounted = Server(counted=False)  # a server that sends no X-Count-Total: the items are counted
    with sync(uncounted) as t:
        assert calls.count(t, "/things", []) == 1
    assert uncounted.seen[0][3] == "/acme"


def test_a_call_sends_its_method_parameters_and_body_and_decodes_the_object() -> None:
    server = Server()
    with sync(server) as t:
        got = calls.call(t, "PUT", "/things/x", dict, params=[("p", "1")], body={"n": 1}, namespace="/z")
        assert got == {"ID": "x", "method": "PUT", "body": {"n": 1}}
        assert calls.call(t, "DELETE", "/things/x", dict)["method"] == "DELETE"
    assert server.seen == [
        ("PUT", "/things/x", [("p", "1")], "/z", {"n": 1}),
        ("DELETE", "/things/x", [], "/acme", None),
    ]


def test_the_async_calls_send_and_read_the_same() -> None:
    server = Server()

    async def run() -> tuple[list[int], int, dict[str, Any], int, dict[str, Any]]:
        async with asynchronous(server) as t:
            found = calls.async_listing(t, "/things", [("q", "a")], number, namespace="/x", page_size=4)
            items = await found.to_list()
            total = await calls.async_count(t, "/things", [("q", "b")], namespace="/y")
            one = await calls.async_call(t, "POST", "/things", dict, params=[("p", "2")], body={"n": 2}, namespace="/z")
            limited = await calls.async_listing(t, "/things", [], number, limit=1).to_list()
            plain = await calls.async_call(t, "GET", "/things/x", dict)
            return items, total, one, len(limited), plain

    items, total, one, limited, plain = asyncio.run(run())
    assert (items, total, limited) == (list(range(7)), 7, 1)
    assert one == {"ID": "x", "method": "POST", "body": {"n": 2}} and plain["method"] == "GET"
    assert server.seen == [
        ("GET", "/things", [("q", "a"), ("page", "1"), ("pagesize", "4")], "/x", None),
        ("GET", "/things", [("q", "a"), ("page", "2"), ("pagesize", "4")], "/x", None),
        ("GET", "/things", [("q", "b"), ("page", "1"), ("pagesize", "1")], "/y", None),
        ("POST", "/things", [("p", "2")], "/z", {"n": 2}),
        ("GET", "/things", [("page", "1"), ("pagesize", "100")], "/acme", None),
        ("GET", "/things/x", [], "/acme", None),
    ]


def test_an_async_count_without_the_header_counts_the_items() -> None:
    async def run() -> int:
        async with asynchronous(Server(counted=False)) as t:
            return await calls.async_count(t, "/things", [])

    assert asyncio.run(run()) == 1


@pytest.mark.parametrize(
    ("server", "message"),
    [
        (Server(content=b"<html>"), "GET http://api.test/things?page=1&pagesize=100: the answer is not JSON: "),
        (Server(answer={"ID": "x"}), "a list answered dict, not a JSON array"),
        (Server(answer=[1]), "expected a JSON object, got int"),
    ],
)
def test_a_list_answer_that_is_not_a_page_of_objects_is_unexpected(server: Server, message: str) -> None:
    with sync(server) as t, pytest.raises(calls.UnexpectedAnswer) as caught:
        list(calls.listing(t, "/things", [], dict))
    assert str(caught.value).startswith(message)


def test_a_call_answered_with_something_else_is_unexpected() -> None:
    with sync(Server(content=b"not json")) as t, pytest.raises(calls.UnexpectedAnswer) as caught:
        calls.call(t, "GET", "/things/x", dict)
    assert str(caught.value).startswith("GET http://api.test/things/x: the answer is not JSON: ")
    with sync(Server(answer=["x"])) as t, pytest.raises(calls.UnexpectedAnswer) as caught:
        calls.call(t, "GET", "/things/x", dict)
    assert str(caught.value) == "expected a JSON object, got list"

    def refuse(data: Any) -> Any:
        raise ValueError("Attribute 'n' must be an integer.")

    with sync(Server()) as t, pytest.raises(calls.UnexpectedAnswer) as caught:
        calls.call(t, "GET", "/things/x", refuse)
    assert str(caught.value) == "the answer does not fit its model: Attribute 'n' must be an integer."
    assert isinstance(caught.value.__cause__, ValueError)


def test_query_values_are_written_as_the_server_reads_them() -> None:
    assert calls.wire(True) == "true" and calls.wire(False) == "false"
    assert calls.wire(3) == "3" and calls.wire(0.5) == "0.5" and calls.wire("x y") == "x y"
    assert calls.query({"q": "abc", "n": 0, "f": False, "none": None, "list": []}) == [
        ("q", "abc"),
        ("n", "0"),
        ("f", "false"),
    ]
    assert calls.query({"order": ("a", True, 1)}) == [("order", "a"), ("order", "true"), ("order", "1")]
