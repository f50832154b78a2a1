"""Connections cannot be held for ever, nor so many opened that real clients are refused.

Once, a connection that sent half a request head (or nothing) stayed open indefinitely, and
about 1,100 of them made ``specgen serve`` refuse real clients (the process ran out of files).
Now ``serving.options()`` (what ``specgen serve`` runs uvicorn with) closes a connection that
has not sent a whole head within HEAD_TIMEOUT, or left an answer unread for SEND_TIMEOUT, and
past MAX_CONNECTIONS closes the connection that has waited longest for a head; a body that
is not sent within BODY_TIMEOUT answers 408.

Timeouts here are made short so the tests are quick; every wait for the server to act has a
generous bound that only a server that never acts reaches.
"""

from __future__ import annotations

import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from squallserver import Store, serving
from squallserver.app import create_app

from tests.conftest import ROOT
from tests.hostile.api_support import activities, check_error_body, long_text_activities
from tests.hostile.test_slow_requests import PATIENCE, until
from tests.server.conftest import TOKEN, Live, headers, serve, tokens

HEAD = b"GET /activities HTTP/1.1\r\nHost: squall.test\r\nX-Namespace: /acme\r\n"  # no blank line: unfinished


@pytest.fixture(params=["httptools", "h11"])
def parser(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def live(tmp_path: Path, parser: str, **limits: Any) -> Iterator[Live]:
    store = Store(tmp_path / "c.db")
    store.record_many(activities(extra=0))
    options = serving.options(serving.ConnectionLimits(**limits), http=parser)
    try:
        yield from serve(store, app=create_app(store, tokens()), options=options)
    finally:
        store.close()


def closed_by_server(conn: socket.socket) -> bool:
    """Read what the server sent until it closes; False if it is still open after PATIENCE."""
    conn.settimeout(PATIENCE)
    try:
        while conn.recv(65536):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        pass
    return True


def test_a_half_sent_head_and_a_silent_connection_are_closed(tmp_path: Path, parser: str) -> None:
    for server in live(tmp_path, parser, head_timeout=0.5):
        silent = socket.create_connection(("127.0.0.1", server.port))
        half = socket.create_connection(("127.0.0.1", server.port))
        half.sendall(HEAD)
        # Keep-alive: one full request answered, then half of the next one.
        again = socket.create_connection(("127.0.0.1", server.port))
        again.sendall(HEAD + f"Authorization: Bearer {TOKEN}\r\n\r\n".encode())
        first = again.recv(65536)
        assert first.startswith(b"HTTP/1.1 200"), first[:200]
        again.sendall(HEAD)
        for conn in (silent, half, again):
            with conn:
                assert closed_by_server(conn)
        assert httpx.get(server.url + "/activities", headers=headers()).status_code == 200


def test_a_head_sent_byte_by_byte_past_the_timeout_is_closed(tmp_path: Path, parser: str) -> None:
    """A client that keeps sending a little (slowloris) is not let off: the timeout is for the whole head."""
    for server in live(tmp_path, parser, head_timeout=1.0):
        with socket.create_connection(("127.0.0.1", server.port)) as conn:
            conn.settimeout(PATIENCE)
            sent = 0
            deadline = time.monotonic() + PATIENCE
            try:
                while time.monotonic() < deadline:
                    conn.sendall(b"X-Slow: 1\r\n" if sent else HEAD)
                    sent += 1
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass
            else:
                pytest.fail("the connection was still open after PATIENCE")


def test_past_the_connection_limit_the_longest_waiting_idle_connection_goes(tmp_path: Path, parser: str) -> None:
    for server in live(tmp_path, parser, max_connections=20, head_timeout=PATIENCE * 2):
        idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(60)]
        try:
            with httpx.Client(base_url=server.url, headers=headers(), timeout=PATIENCE) as http:
                assert http.get("/activities").status_code == 200
            state = server.server.server_state
            until(lambda s=state: len(s.connections) <= 20, "down to the limit")
            assert closed_by_server(idle[0]), "the oldest idle connection is still open"
        finally:
            for conn in idle:
                conn.close()


def test_when_every_connection_is_busy_a_newcomer_gets_a_json_503(tmp_path: Path, parser: str) -> None:
    """Connections whose requests are in progress (here: bodies still being sent) are never closed."""
    from sinkserver import Store as SinkStore
    from sinkserver.app import create_app as sink_app

    from tests.server.test_writes import sink_tokens

    store = SinkStore(tmp_path / "sink.db")
    options = serving.options(serving.ConnectionLimits(max_connections=5), http=parser)
    busy: list[socket.socket] = []
    try:
        for server in serve(store, app=sink_app(store, sink_tokens()), options=options):
            for _ in range(5):
                conn = socket.create_connection(("127.0.0.1", server.port))
                conn.sendall(
                    b"POST /widgets HTTP/1.1\r\nHost: s\r\nX-Namespace: /acme\r\n"
                    + f"Authorization: Bearer {TOKEN}\r\nContent-Length: 100\r\n\r\n{{".encode()
                )
                busy.append(conn)
            state = server.server.server_state
            until(lambda s=state: len(s.tasks) == 5, "five requests in progress")
            with socket.create_connection(("127.0.0.1", server.port)) as newcomer:
                newcomer.settimeout(PATIENCE)
                received = b""
                while chunk := newcomer.recv(65536):
                    received += chunk
            head, _, body = received.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 503") and b"retry-after: 1" in head.lower()
            check_error_body(503, body)
            for conn in busy:
                conn.close()
    finally:
        for conn in busy:
            conn.close()
        store.close()


def test_a_body_not_sent_in_time_answers_408(tmp_path: Path) -> None:
    from sinkserver import Store as SinkStore
    from sinkserver.app import create_app as sink_app
    from sinkserver.work import Settings

    from tests.server.test_writes import sink_tokens

    store = SinkStore(tmp_path / "sink.db")
    try:
        for server in serve(store, app=sink_app(store, sink_tokens(), Settings(body_timeout=0.5))):
            with socket.create_connection(("127.0.0.1", server.port)) as conn:
                conn.sendall(
                    b"POST /widgets HTTP/1.1\r\nHost: s\r\nX-Namespace: /acme\r\n"
                    + f"Authorization: Bearer {TOKEN}\r\nContent-Length: 100\r\n\r\n{{".encode()
                )
                conn.settimeout(PATIENCE)
                received = b""
                while chunk := conn.recv(65536):
                    received += chunk
            head, _, body = received.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 408"), head
            check_error_body(408, body)
    finally:
        store.close()


def test_a_client_that_never_reads_its_answer_is_disconnected(tmp_path: Path, parser: str) -> None:
    store = Store(tmp_path / "big.db")
    store.record_many(long_text_activities(1000))
    options = serving.options(serving.ConnectionLimits(send_timeout=0.5), http=parser)
    try:
        for server in serve(store, app=create_app(store, tokens()), options=options):
            with socket.socket() as conn:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                conn.connect(("127.0.0.1", server.port))
                conn.sendall(
                    b"GET /activities?pagesize=1000 HTTP/1.1\r\nHost: s\r\nX-Namespace: /acme\r\n"
                    + f"Authorization: Bearer {TOKEN}\r\n\r\n".encode()
                )
                # The server gives up on the unread answer: the connection is gone on its side.
                state = server.server.server_state
                until(lambda s=state: not s.connections, "disconnected")
    finally:
        store.close()


def test_serve_under_a_file_limit_of_1024_answers_past_1100_idle_connections(tmp_path: Path) -> None:
    """The finding as it was seen: ``specgen serve`` with the usual file limit, 1,100 idle connections."""
    tokens_file = tmp_path / "tokens.yaml"
    tokens_file.write_text(f"- token: {TOKEN}\n  namespaces: [/]\n")
    tokens_file.chmod(0o600)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    command = [sys.executable, "-m", "generator", "serve", "--db", str(tmp_path / "s.db"), "--tokens", str(tokens_file)]
    command += ["--host", "127.0.0.1", "--port", str(port)]

    def low_file_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))

    url = f"http://127.0.0.1:{port}/activities"
    idle: list[socket.socket] = []
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=low_file_limit
    ) as process:
        try:

            def up() -> bool:
                assert process.poll() is None
                try:
                    return httpx.get(url, headers=headers(), timeout=5).status_code == 200
                except httpx.TransportError:
                    return False

            until(up, "serving")
            for _ in range(1100):
                idle.append(socket.create_connection(("127.0.0.1", port), timeout=PATIENCE))
            answer = httpx.get(url, headers=headers(), timeout=PATIENCE)
            assert answer.status_code == 200
        finally:
            for conn in idle:
                conn.close()
            process.terminate()
            process.wait(PATIENCE)
