"""Oversized requests are refused with a clear 4xx: in-process (the app's own limits, JSON errors) and
over uvicorn as ``specgen serve`` runs it (where its parser's limits come first, with a clean 400)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from squallserver import Store, limits, serving
from squallserver.app import create_app

from tests.hostile.api_support import Answer, Caller, activities, check_error_body
from tests.server.conftest import TOKEN, headers, tokens

# Each case: query parameters or headers just over a limit, the status and the limit named in data.
OVER_LIMITS = [
    ("query string", [("q", "ID exists or " * 1400 + "ID exists")], {}, 414, limits.MAX_QUERY_BYTES),
    ("parameters", [("recursive", "false")] * (limits.MAX_PARAMETERS + 1), {}, 400, limits.MAX_PARAMETERS),
    ("q repeated", [("q", 'ID == "x"')] * (limits.MAX_FILTERS + 1), {}, 400, limits.MAX_FILTERS),
    ("order repeated", [("order", "date")] * (limits.MAX_ORDER_KEYS + 1), {}, 400, limits.MAX_ORDER_KEYS),
    ("header value", [], {"X-Junk": "j" * (limits.MAX_HEADER_BYTES + 1)}, 431, limits.MAX_HEADER_BYTES),
    ("headers", [], {f"X-Junk-{i}": "j" for i in range(limits.MAX_HEADERS)}, 431, limits.MAX_HEADERS),
    ("headers in all", [], {f"X-Junk-{i}": "j" * 7000 for i in range(5)}, 431, limits.MAX_HEADERS_BYTES),
]


@pytest.fixture(scope="module")
def caller(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caller]:
    store = Store(tmp_path_factory.mktemp("limits") / "squall.db")
    store.record_many(activities(extra=0))
    opened = Caller(create_app(store, tokens()))
    yield opened
    opened.close()
    store.close()


@pytest.mark.parametrize(("what", "query", "extra", "status", "limit"), OVER_LIMITS, ids=[c[0] for c in OVER_LIMITS])
def test_over_a_limit_in_process(
    caller: Caller, what: str, query: list[tuple[str, str]], extra: dict[str, str], status: int, limit: int
) -> None:
    answer = caller.http("GET", "/activities", {**headers(), **extra}, params=query)
    errors = check_error_body(answer.status, answer.body)
    assert answer.status == status, errors
    assert errors[0]["data"]["limit"] == limit


def test_at_the_limits_in_process(caller: Caller) -> None:
    """Right at every limit the request is served: the limits refuse only what is over them."""
    answer = caller.http(
        "GET",
        "/activities",
        {**headers(), "X-Junk": "j" * limits.MAX_HEADER_BYTES},
        params=[("q", 'ID == "act00"')] * limits.MAX_FILTERS + [("order", "date")] * limits.MAX_ORDER_KEYS,
    )
    assert answer.status == 200, answer.body
    longest = 'ID == "' + "a" * (limits.MAX_FILTER_LENGTH - 8) + '"'
    assert len(longest) == limits.MAX_FILTER_LENGTH
    assert caller.http("GET", "/activities", headers(), params={"q": longest}).status == 200
    path = "/activities/" + "a" * (limits.MAX_PATH_BYTES - len("/activities/"))
    assert caller.http("GET", path, headers()).status == 404


def test_long_path_and_id_in_process(caller: Caller) -> None:
    answer = caller.http("GET", "/activities/" + "a" * limits.MAX_PATH_BYTES, headers())
    assert answer.status == 414 and check_error_body(414, answer.body)[0]["data"]["limit"] == limits.MAX_PATH_BYTES
    answer = caller.http("GET", "/" + "%2F.." * 1000, headers())
    assert answer.status == 414


# -- over uvicorn -----------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["httptools", "h11"])
def port(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """uvicorn with each of its HTTP/1.1 parsers, configured as ``specgen serve`` configures it."""
    import threading
    import time

    store = Store(tmp_path_factory.mktemp("uvicorn") / "squall.db")
    store.record_many(activities(extra=0))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    options = serving.options(http=request.param)
    config = uvicorn.Config(
        create_app(store, tokens()), log_level="critical", lifespan="off", access_log=False, **options
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.01)
    yield sock.getsockname()[1]
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    store.close()


def exchange(port: int, target: bytes, fields: list[bytes]) -> Answer:
    """One request on a raw socket, read to the end: a reset connection fails the test."""
    head = b"GET " + target + b" HTTP/1.1\r\nHost: squall.test\r\nConnection: close\r\n"
    head += f"Authorization: Bearer {TOKEN}\r\nX-Namespace: /acme\r\n".encode()
    head += b"".join(field + b"\r\n" for field in fields) + b"\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(head)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    status_line, _, rest = received.partition(b"\r\n")
    header_block, _, body = rest.partition(b"\r\n\r\n")
    fields_out = dict(line.decode("latin-1").lower().split(": ", 1) for line in header_block.split(b"\r\n"))
    return Answer(int(status_line.split()[1]), fields_out, body)


UVICORN_CASES = [
    ("long query", b"/activities?q=" + b"a" * (limits.MAX_QUERY_BYTES + 10), [], 414),
    ("long path", b"/activities/" + b"a" * (limits.MAX_PATH_BYTES + 10), [], 414),
    ("long header", b"/activities", [b"X-Junk: " + b"j" * (limits.MAX_HEADER_BYTES + 10)], 431),
    ("many headers", b"/activities", [b"X-Junk-%d: j" % i for i in range(limits.MAX_HEADERS)], 431),
    ("many q", b"/activities?" + b"&".join([b"q=ID%20exists"] * (limits.MAX_FILTERS + 1)), [], 400),
]


@pytest.mark.parametrize(("what", "target", "fields", "status"), UVICORN_CASES, ids=[c[0] for c in UVICORN_CASES])
def test_over_a_limit_over_uvicorn(port: int, what: str, target: bytes, fields: list[bytes], status: int) -> None:
    answer = exchange(port, target, fields)
    assert answer.status == status, answer.body[:300]
    assert answer.headers["content-type"] == "application/json"
    check_error_body(status, answer.body)


def test_within_the_limits_over_uvicorn(port: int) -> None:
    """A head as big as the app allows reaches the app (h11 alone would stop at 16 KiB)."""
    query = b"&".join([b"q=ID%20exists%20or%20ID%20exists"] * limits.MAX_FILTERS)
    fields = [b"X-Junk-%d: " % i + b"j" * 3000 for i in range(8)]
    answer = exchange(port, b"/activities?" + query, fields)
    assert answer.status == 200, answer.body[:300]
    assert answer.headers["x-count-total"] == "4"


@pytest.mark.parametrize("size", [100_000, 2_000_000])
def test_far_over_the_limits_over_uvicorn(request: pytest.FixtureRequest, port: int, size: int) -> None:
    """Far past the app's limits the parser may answer first. What is promised:

    - httptools (what ``specgen serve`` picks) passes any header to the app and refuses a URL
      over 64 KiB with a plain-text 400: always a 4xx answer, never a dropped connection;
    - h11 refuses a head past ``MAX_REQUEST_HEAD`` with a 400 and closes at once. While the
      client is still sending, that close resets the connection, and the kernel may drop the
      400 before the client reads it: a reset (or broken pipe) is the refusal, equally.
    Either way the request is never served and the server goes on answering others.
    """
    parser = request.node.callspec.params["port"]
    for target, fields in ((b"/activities?q=" + b"a" * size, []), (b"/activities", [b"X-Junk: " + b"j" * size])):
        try:
            answer = exchange(port, target, fields)
        except (ConnectionResetError, BrokenPipeError) as exc:
            if parser == "h11" and size > limits.MAX_REQUEST_HEAD:
                continue
            pytest.fail(f"uvicorn ({parser}) dropped the connection on a {size}-byte request head: {exc!r}")
        assert 400 <= answer.status < 500, answer.body[:300]
        if answer.headers.get("content-type") == "application/json":
            check_error_body(answer.status, answer.body)
    assert exchange(port, b"/activities", []).status == 200, "the server stopped answering after the refusal"


def test_serve_picks_httptools_and_lifts_h11_limit() -> None:
    options = serving.options()
    assert options["http"].__name__ == "WatchedHttpToolsProtocol"
    assert serving.options(http="h11")["http"].__name__ == "WatchedH11Protocol"
    assert options["h11_max_incomplete_event_size"] == limits.MAX_REQUEST_HEAD
    assert limits.MAX_REQUEST_HEAD > limits.MAX_PATH_BYTES + limits.MAX_QUERY_BYTES + limits.MAX_HEADERS_BYTES


def test_the_docs_state_the_limits(tmp_path: Path) -> None:
    """The limits in the docs are the ones in the code."""
    from tests.conftest import GENERATED

    index = (GENERATED / "docs" / "reference" / "api.md").read_text("utf-8")
    section = " ".join(index.split("## Limits", 1)[1].split("\n## ", 1)[0].split())
    for stated in (
        f"path: {limits.MAX_PATH_BYTES} bytes",
        f"query string: {limits.MAX_QUERY_BYTES // 1024} KiB",
        f"{limits.MAX_PARAMETERS} in all; `q` at most {limits.MAX_FILTERS} times, `order` at most {limits.MAX_ORDER_KEYS}",
        f"{limits.MAX_FILTER_LENGTH} characters, {limits.MAX_COMPARISONS} comparisons",
        f"{limits.MAX_HEADERS} fields; one value {limits.MAX_HEADER_BYTES // 1024} KiB",
        f"together {limits.MAX_HEADERS_BYTES // 1024} KiB",
        f"{limits.MAX_RESPONSE_BYTES // (1 << 20)} MiB of JSON",
        f"Time: {limits.BUDGET} seconds of work per request",
        f"lists {limits.LIST_WORKERS} running and {limits.LIST_QUEUE} waiting",
        f"reads of one object {limits.READ_WORKERS} and {limits.READ_QUEUE}",
        f"within {int(limits.HEAD_TIMEOUT)} seconds of connecting",
        f"{limits.MAX_CONNECTIONS} connections are open at once",
        f"at most {limits.MAX_LOGGED_BODY} characters of what was sent",
        f"Retry-After: {limits.RETRY_AFTER}",
    ):
        assert stated in section, stated
