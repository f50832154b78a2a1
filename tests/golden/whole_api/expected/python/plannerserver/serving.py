# Copied by specgen from generator/runtime/server/serving.py, the same in every API. Do not edit by hand.
"""Serving the app under uvicorn with the connection limits of ``limits``.

uvicorn bounds neither how long a client may take to send a request head (a connection that
sends half a head, or nothing, stays open for ever) nor how many connections are open at once
(past the process's file limit the server refuses everyone). ``options()`` gives uvicorn
protocol classes, its own HTTP/1.1 parsers with a watch per connection, that add:

- ``HEAD_TIMEOUT``: a connection must send a whole request head within this many seconds of
  connecting, and of the previous answer; else it is closed;
- ``SEND_TIMEOUT``: a client that leaves an answer unread this long is disconnected;
- ``MAX_CONNECTIONS`` (below the process's file limit): a connection past it closes the one
  that has waited longest for a head (idle, or sending one slowly); a connection whose
  request is being answered is never closed, and when every one is, the newcomer gets a 503.

Bodies have their own timeout in the app (``body.read_body``, 408), and the work of each
request its budget (``work``). ``options()`` also sets uvicorn's keep-alive and graceful
shutdown timeouts and the head size its h11 parser lets through.
"""

from __future__ import annotations

import asyncio
import json
import resource
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from .errors import error_object
from .limits import (
    HEAD_TIMEOUT,
    KEEP_ALIVE,
    MAX_CONNECTIONS,
    MAX_REQUEST_HEAD,
    SEND_TIMEOUT,
    SHUTDOWN_TIMEOUT,
)

FILES_RESERVED = 128  # file descriptors kept for the database, its journal and the rest of the process


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    max_connections: int = MAX_CONNECTIONS
    head_timeout: float = HEAD_TIMEOUT
    send_timeout: float = SEND_TIMEOUT


def _refusal() -> bytes:
    body = json.dumps([error_object(503, "the server has too many connections; try again later", {"reason": "busy"})])
    head = (
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\n"
        f"connection: close\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return (head + body).encode()


class _Watch:
    """What one connection is waiting for, and the timers that end the wait."""

    def __init__(self, protocol: Any, limits: ConnectionLimits) -> None:
        self.protocol = protocol
        self.limits = limits
        self.loop = asyncio.get_running_loop()
        self.since = self.loop.time()  # when it began waiting for a request head
        self.head_timer: asyncio.TimerHandle | None = None
        self.send_timer: asyncio.TimerHandle | None = None
        self.head_cycle: object = None

    def idle(self) -> bool:
        """Waiting for a request head: no request, or the last one answered."""
        cycle = self.protocol.cycle
        return cycle is None or bool(cycle.response_complete)

    def wait_for_head(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
        self.since = self.loop.time()
        self.head_cycle = self.protocol.cycle
        self.head_timer = self.loop.call_later(self.limits.head_timeout, self._head_late)

    def _head_late(self) -> None:
        self.head_timer = None
        if self.protocol.cycle is self.head_cycle and self.idle():  # no new request head in time
            self.protocol.transport.close()

    def sending(self) -> None:
        if self.send_timer is None:
            self.send_timer = self.loop.call_later(self.limits.send_timeout, self._send_late)

    def sent(self) -> None:
        if self.send_timer is not None:
            self.send_timer.cancel()
            self.send_timer = None

    def _send_late(self) -> None:
        self.send_timer = None
        self.protocol.transport.abort()

    def stop(self) -> None:
        for timer in (self.head_timer, self.send_timer):
            if timer is not None:
                timer.cancel()
        self.head_timer = self.send_timer = None

    def admit(self) -> None:
        """Past the connection limit, close the connection that has waited longest for a head."""
        connections = self.protocol.connections
        if len(connections) <= self.limits.max_connections:
            return
        waiting = [
            c
            for c in connections
            if c is not self.protocol and isinstance(getattr(c, "watch", None), _Watch) and c.watch.idle()
        ]
        if waiting:
            oldest = min(waiting, key=lambda c: c.watch.since)
            oldest.watch.stop()
            oldest.transport.close()
            connections.discard(oldest)
            return
        self.stop()
        self.protocol.transport.write(_refusal())
        self.protocol.transport.close()


def _protocol_class(base: type[Any], limits: ConnectionLimits) -> type[asyncio.Protocol]:
    """``base`` (one of uvicorn's HTTP/1.1 protocols) with a watch on each connection."""

    class Watched(base):  # type: ignore[misc]
        def connection_made(self, transport: asyncio.Transport) -> None:
            super().connection_made(transport)
            self.watch = _Watch(self, limits)
            self.watch.wait_for_head()
            self.watch.admit()

        def connection_lost(self, exc: Exception | None) -> None:
            self.watch.stop()
            super().connection_lost(exc)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self.watch.wait_for_head()

        def pause_writing(self) -> None:
            super().pause_writing()
            self.watch.sending()

        def resume_writing(self) -> None:
            super().resume_writing()
            self.watch.sent()

    Watched.__name__ = Watched.__qualname__ = f"Watched{base.__name__}"
    return Watched


def file_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit; the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        wanted = 1 << 16 if hard == resource.RLIM_INFINITY else hard
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return int(soft)


def options(limits: ConnectionLimits | None = None, http: str | None = None) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config``: the protocol with its watch,
    keep-alive, graceful shutdown and h11's head size. ``http``: ``httptools`` (the default
    when installed: several times h11's speed) or ``h11``."""
    limits = limits or ConnectionLimits()
    usable = max(1, file_limit() - FILES_RESERVED)
    if limits.max_connections > usable:
        limits = ConnectionLimits(usable, limits.head_timeout, limits.send_timeout)
    base: type[Any] = H11Protocol
    if http != "h11":
        try:
            from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
        except ImportError:
            if http == "httptools":
                raise
        else:
            base = HttpToolsProtocol
    return {
        "http": _protocol_class(base, limits),
        "h11_max_incomplete_event_size": MAX_REQUEST_HEAD,
        "timeout_keep_alive": KEEP_ALIVE,
        "timeout_graceful_shutdown": SHUTDOWN_TIMEOUT,
    }
