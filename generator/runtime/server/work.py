"""Store work off the event loop: lanes of worker threads, a time budget per request, a fast 503.

The event loop only reads requests, checks tokens and writes answers; every parse of a filter
and every query or write runs in a lane:

- ``lists``: lists (filters parsed, counted, paged), whose cost grows with the data and the filter;
- ``reads``: one object by identifier, an indexed lookup, kept apart so that no list, however
  costly, holds it up;
- ``writes``: creates, updates and deletes (SQLite writes one at a time anyway).

A lane runs at most ``workers`` requests at once and lets ``queue`` more wait; past that a
request waits up to ``LANE_PATIENCE`` for a place, then is answered 503 with ``Retry-After``. Each request has a deadline,
``budget`` seconds after it was admitted (waiting included): the store stops a query that runs
past it, and the answer is 503. A list whose client hangs up is stopped as well, and so is
everything still running when the server stops.

``Lane`` knows nothing of SQLite: it admits or refuses work and runs it in its threads. A store
whose calls are async (PostgreSQL, with ``statement_timeout`` as its budget) can keep the same
admission and deadlines and await its own calls instead.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from . import limits
from .auth import Caller
from .errors import APIError, StoreUnavailable
from .params import NO_PARAMETERS, Parameters, parse_list
from .processors import NO_PROCESSORS, Context, Processors
from .store import Store
from .table import Table

T = TypeVar("T")
P = ParamSpec("P")
SEND_CHUNK = 64 * 1024  # bytes handed to the server at a time (see _Counted)


@dataclass(frozen=True, slots=True)
class Settings:
    """How much work the server takes on at once; the defaults are the documented limits."""

    budget: float = limits.BUDGET
    list_workers: int = limits.LIST_WORKERS
    list_queue: int = limits.LIST_QUEUE
    read_workers: int = limits.READ_WORKERS
    read_queue: int = limits.READ_QUEUE
    write_workers: int = limits.WRITE_WORKERS
    write_queue: int = limits.WRITE_QUEUE
    retry_after: int = limits.RETRY_AFTER
    lane_patience: float = limits.LANE_PATIENCE
    max_response_bytes: int = limits.MAX_RESPONSE_BYTES
    max_sending: int = limits.MAX_SENDING
    body_timeout: float = limits.BODY_TIMEOUT


class _Ticket:
    """A request waiting for a place in a full lane; ``granted`` once a leaving one hands it over."""

    __slots__ = ("granted", "loop", "woken")

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.woken: asyncio.Future[None] = self.loop.create_future()
        self.granted = False


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class Lane:
    """Worker threads for one kind of work, and how many requests may be in it at once.

    ``workers + queue`` requests are let in at once (running, or queued for a worker). When the
    lane is full, a request waits up to ``patience`` seconds for one to leave, then is answered
    503: so that a client that ignores Retry-After and asks again at once asks at most about
    once per ``patience``, not as fast as the event loop can refuse it.
    """

    def __init__(self, name: str, workers: int, queue: int, retry_after: int, patience: float = 0.0) -> None:
        if workers < 1 or queue < 0:
            raise ValueError(f"lane {name}: at least one worker and a queue of 0 or more")
        self.name = name
        self.capacity = workers + queue
        self._retry_after = retry_after
        self._patience = patience
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"store-{name}")
        self._lock = threading.Lock()
        self._taken = 0
        self._waiting: deque[_Ticket] = deque()

    @property
    def taken(self) -> int:
        """Requests running or queued in this lane now (not those waiting to get in)."""
        return self._taken

    async def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Run ``fn`` in a worker; 503 when the lane stays full for ``patience`` or is stopped."""
        await self._enter()
        try:
            future = self._executor.submit(fn, *args, **kwargs)
        except RuntimeError:  # shut down
            self._leave()
            raise self._busy("the server is stopping") from None
        future.add_done_callback(self._leave)  # when the thread is done, not when the client gives up
        return future

    async def _enter(self) -> None:
        with self._lock:
            if self._taken < self.capacity:
                self._taken += 1
                return
            if self._patience <= 0:
                raise self._busy(f"the server is busy: {self.capacity} {self.name} are running or waiting")
            ticket = _Ticket()
            self._waiting.append(ticket)
        try:
            await asyncio.wait_for(asyncio.shield(ticket.woken), self._patience)
        except (TimeoutError, asyncio.CancelledError) as exc:
            with self._lock:
                granted = ticket.granted
                if not granted:
                    self._waiting.remove(ticket)
            if isinstance(exc, asyncio.CancelledError):
                if granted:
                    self._leave()
                raise
            if not granted:
                raise self._busy(f"the server is busy: {self.capacity} {self.name} are running or waiting") from None

    def _leave(self, _: object = None) -> None:
        """A request left (from any thread): its place goes to the first one waiting, if any."""
        with self._lock:
            if self._waiting:
                ticket = self._waiting.popleft()
                ticket.granted = True
                ticket.loop.call_soon_threadsafe(_wake, ticket.woken)
                return
            self._taken -= 1

    def _busy(self, description: str) -> APIError:
        error = APIError.single(503, description, reason="busy", lane=self.name)
        error.headers["Retry-After"] = str(self._retry_after)
        return error

    def close(self) -> None:
        """Drop what waits for a worker and wait for the running jobs (stopped by then: ``Work.close``)."""
        self._executor.shutdown(wait=True, cancel_futures=True)


class Work:
    """The store as the endpoints use it: every call awaited, none run on the event loop."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings = settings or Settings()
        retry, patience = settings.retry_after, settings.lane_patience
        self.lists = Lane("lists", settings.list_workers, settings.list_queue, retry, patience)
        self.reads = Lane("reads", settings.read_workers, settings.read_queue, retry, patience)
        self.writes = Lane("writes", settings.write_workers, settings.write_queue, retry, patience)
        self._stopping = threading.Event()  # set by close(): every job still running stops
        self._sending = 0  # bytes of answers made and not yet sent (only touched on the event loop)

    @property
    def lanes(self) -> Iterable[Lane]:
        return (self.lists, self.reads, self.writes)

    async def list(
        self,
        request: Request,
        table: Table,
        caller: Caller,
        parameters: Parameters = NO_PARAMETERS,
        parent: tuple[Table, str] | None = None,
        processors: Processors = NO_PROCESSORS,
    ) -> Response:
        """One page of a list and, in X-Count-Total, the count before paging; stopped if the client leaves.

        ``parent`` (its table and identifier): the objects that live under it. Processors run
        around the query: before it (more filters), after it (the page as objects)."""
        items = request.query_params.multi_items()
        limit = self.settings.max_response_bytes
        before = processors.has(table.name, "list", "before")
        after = processors.has(table.name, "list", "after")

        def job() -> tuple[bytes, int]:
            query = parse_list(items, table, parameters)
            ctx = None
            if before or after:
                under = None if parent is None else (parent[0].name, parent[1])
                ctx = Context(table.name, "list", caller, query.parameters, parent=under, store=self.store)
                processors.run("before", ctx)
                if ctx.filters:
                    query = query.narrowed(table, ctx.filters)
            text, total = self.store.list(table, caller.namespace, query, limit, parent)
            if ctx is not None and after:
                ctx.answer = json.loads(text)
                processors.run("after", ctx)
                text = json.dumps(ctx.answer, ensure_ascii=False, separators=(",", ":"))
            return text.encode("utf-8"), total

        body, total = await self._run(self.lists, job, watch=request)
        return self.answer(body, {"X-Count-Total": str(total)})

    async def retrieve(
        self,
        table: Table,
        identifier: str,
        caller: Caller,
        recursive: bool,
        parameters: dict[str, Any] | None = None,
        processors: Processors = NO_PROCESSORS,
    ) -> Response | None:
        """The object as a response, or None when there is none the caller may see."""
        hooked = processors.has(table.name, "retrieve", "before") or processors.has(table.name, "retrieve", "after")

        def job() -> bytes | None:
            ctx = None
            if hooked:
                ctx = Context(
                    table.name,
                    "retrieve",
                    caller,
                    parameters or {},
                    identifier=identifier,
                    store=self.store,
                    _children=lambda child: self.store.children(table.name, identifier, child),
                )
                processors.run("before", ctx)
            text = self.store.retrieve(table, identifier, caller.namespace, recursive)
            if text is None:
                return None
            if ctx is not None:
                ctx.answer = json.loads(text)
                processors.run("after", ctx)
                text = json.dumps(ctx.answer, ensure_ascii=False, separators=(",", ":"))
            return text.encode("utf-8")

        body = await self._run(self.reads, job)
        return None if body is None else self.answer(body)

    def answer(self, body: bytes, headers: dict[str, str] | None = None, status: int = 200) -> Response:
        """A JSON response whose bytes count as being sent until they are (or the client is gone);
        503 when ``max_sending`` bytes of answers already are: slow readers cannot pile them up."""
        if self._sending + len(body) > self.settings.max_sending and self._sending:
            error = APIError.single(503, "the server is busy sending other answers; try again later", reason="busy")
            error.headers["Retry-After"] = str(self.settings.retry_after)
            raise error
        self._sending += len(body)
        return _Counted(body, status, headers, self._sent)

    def _sent(self, size: int) -> None:
        self._sending -= size

    @property
    def sending(self) -> int:
        """Bytes of answers made and not yet sent."""
        return self._sending

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(store, *args)`` in the write lane: a create, update or delete of ``writes``."""
        return await self._run(self.writes, fn, self.store, *args)

    async def _run(self, lane: Lane, fn: Callable[..., T], *args: Any, watch: Request | None = None) -> T:
        deadline = time.monotonic() + self.settings.budget
        cancel = threading.Event()
        future = asyncio.wrap_future(await lane.submit(self._job, deadline, cancel, fn, *args))
        try:
            if watch is None:
                return await future
            gone = asyncio.ensure_future(_disconnected(watch))
            try:
                await asyncio.wait((future, gone), return_when=asyncio.FIRST_COMPLETED)
            finally:
                gone.cancel()
            if not future.done():
                cancel.set()  # the client left: stop its query, then let the answer go nowhere
            return await future
        except asyncio.CancelledError:
            cancel.set()  # the server gave up on this request (stopping): its worker stops too
            raise
        except StoreUnavailable as exc:
            raise exc.api_error(self.settings.retry_after) from None

    def _job(self, deadline: float, cancel: threading.Event, fn: Callable[..., T], *args: Any) -> T:
        stopping = self._stopping

        def stop() -> bool:
            return cancel.is_set() or stopping.is_set()

        with self.store.budget(deadline, stop):
            return fn(*args)

    def close(self) -> None:
        """Stop every job still running (their requests answer 503) and the lanes' threads."""
        self._stopping.set()
        self.store.interrupt()
        for lane in self.lanes:
            lane.close()


class _Counted(Response):
    """A JSON response that tells ``done`` its size once it is sent, or abandoned.

    Sent in pieces of ``SEND_CHUNK`` bytes: a server waits for a slow client to take each piece
    before it is handed the next, so the body is held here, and counted, until it is gone.
    """

    media_type = "application/json"

    def __init__(self, body: bytes, status: int, headers: dict[str, str] | None, done: Callable[[int], None]) -> None:
        super().__init__(body, status_code=status, headers=headers)
        self._size = len(body)
        self._done: Callable[[int], None] | None = done

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            body = self.body
            for start in range(0, max(len(body), 1), SEND_CHUNK):
                end = start + SEND_CHUNK
                await send({"type": "http.response.body", "body": body[start:end], "more_body": end < len(body)})
        finally:
            self._release()

    def _release(self) -> None:
        done = self._done
        if done is not None:
            self._done = None
            done(self._size)

    def __del__(self) -> None:  # never sent (the request failed after it was made)
        self._release()


async def _disconnected(request: Request) -> None:
    """Return when the client hangs up (a list's body is empty: the first message is all of it)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
