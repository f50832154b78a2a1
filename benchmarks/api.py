"""The generated API against a hand-written FastAPI endpoint, over real HTTP, on either store.

Run: ``.venv/bin/python benchmarks/api.py [--store sqlite|postgresql]`` (needs the ``bench`` and
``postgresql`` extras: ``pip install -e '.[bench,postgresql]'``).

``--store sqlite`` (the default): the servers share one SQLite file; the FastAPI endpoint uses
sqlite3 and pydantic. ``--store postgresql``: a throwaway PostgreSQL server is started
(``tests.postgres_server``: Debian's initdb and pg_ctl) and both servers use one database of it;
the FastAPI endpoint is FastAPI + pydantic over SQLAlchemy 2's async engine on asyncpg.

The API served is Squall's, with its activity log writable by clients (generated for the run
into a temporary folder: the same runtime, one more operation), so that creates can be timed.
Each server runs under uvicorn (same settings, one process each, access log off) on 127.0.0.1
over 50,000 activities, one after the other so they never share the CPU. A load generator in
this process (raw HTTP/1.1 keep-alive connections on asyncio, so the client costs as little
as possible) keeps ``--concurrency`` requests in flight and records each latency. Scenarios:

- list: ``GET /activities?recursive=true&q=operation == "create"&order=-date&pagesize=100``
  in ``/acme`` (about a third of the 50,000 match: a page of 100 and the count of all);
- get: ``GET /activities/{id}`` over 1,000 IDs in turn;
- create: ``POST /activities`` with a small activity, timed after every read: the log is at
  its cap of 50,000, so the generated server deletes the oldest entry on each create (under
  PostgreSQL's advisory lock there); the hand-written endpoint only inserts.

Every figure printed is the median over ``--rounds`` rounds. The servers' answers to list
and get are checked to be the same before anything is timed.
"""

# No ``from __future__ import annotations``: FastAPI reads the endpoint's annotations at
# runtime, and the FastAPI names are imported inside fastapi_app (a benchmark-only extra).
import argparse
import asyncio
import hmac
import json
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generated" / "python"))  # the models; the server is generated for the run

TOKEN = "benchmark-token-0123456789abcdef"
NAMESPACE = "/acme"
LIST_QUERY = {"recursive": "true", "q": 'operation == "create"', "order": "-date", "pagesize": "100"}
CREATE_BODY = {"message": "enforcer e-1 created"}  # the one attribute of an activity a client sets
# squall-nc is the generated server with its count cache off: every list counts its matches
# afresh, as the FastAPI endpoint does (and as squall does after every write to the log). The
# PostgreSQL store keeps no count cache: its squall is always uncached.
SERVERS = {"sqlite": ("squall", "squall-nc", "fastapi"), "postgresql": ("squall", "fastapi")}


# -- data ----------------------------------------------------------------------------------


def writable_api(folder: Path) -> Path:
    """Squall's API with the activity log writable (create) generated below ``folder``; its python/."""
    from generator.load import load_api
    from generator.render import Templates
    from generator.targets import flatten, render_all

    specs = folder / "specs"
    specs.mkdir()
    for source in (ROOT / "specs").iterdir():
        text = source.read_text(encoding="utf-8")
        if source.name == "activity.spec.yaml":
            text = text.replace("operations: [list, retrieve]\n", "operations: [list, retrieve, create]\n")
        (specs / source.name).write_text(text, encoding="utf-8")
    for rel, text in flatten(render_all(load_api(specs), Templates())).items():
        path = folder / "out" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / "out" / "python"


def build_database(location: str, rows: int, seed: int = 7) -> list[str]:
    """``rows`` realistic activities through the generated store's Python API; their IDs."""
    from squallmodels import Activity
    from squallserver import open_store

    rng = random.Random(seed)
    start = datetime(2019, 6, 17, tzinfo=UTC)
    objects = []
    for i in range(rows):
        operation = rng.choice(("create", "update", "delete"))
        identity = rng.choice(("processingunit", "networkaccesspolicy", "namespace", "enforcer"))
        name = f"{identity}-{rng.randrange(1000)}"
        objects.append(
            Activity(
                id=f"{i:024x}",
                claims={"@auth:realm": "certificate", "@auth:subject": f"user{rng.randrange(50)}"},
                data={"name": name, "protected": rng.random() < 0.2} if operation != "delete" else None,
                date=start + timedelta(seconds=i * 7, microseconds=rng.randrange(10**6)),
                error={"code": 422, "description": "name is required"} if rng.random() < 0.05 else None,
                message=f"{identity} {name} {operation}d",
                namespace=f"/acme/{rng.choice(('dev', 'prod', 'staging'))}",
                operation=operation,
                original_data={"name": name, "protected": False} if operation != "create" else None,
                source=rng.choice(("apoctl", "ui", "api")),
                target_identity=identity,
            )
        )
    store = open_store(location)
    store.record_many(objects)
    store.close()
    return [o.id or "" for o in objects]


# -- the two servers (each run in its own process by --serve) ------------------------------


def squall_app(db: str, count_cache: bool) -> Any:
    from squallserver import Tokens, open_store
    from squallserver.app import create_app

    tokens = Tokens.from_data([{"token": TOKEN, "claims": [], "namespaces": ["/"]}])
    return create_app(open_store(db, count_cache=256 if count_cache else 0), tokens)


def fastapi_app(db: str) -> Any:
    """What one would write by hand: pydantic response model, header and query dependencies,
    the same SQL (namespace range, the one filter this benchmark sends, order, page, count)."""
    from fastapi import FastAPI, Header, HTTPException, Query, Response
    from pydantic import AwareDatetime, BaseModel
    from squallserver.encoding import new_identifier, now, time_text

    class ActivityOut(BaseModel):
        claims: Any = None
        data: Any = None
        date: AwareDatetime | None = None
        error: Any = None
        ID: str
        message: str | None = None
        namespace: str | None = None
        operation: str | None = None
        originalData: Any = None
        source: str | None = None
        targetIdentity: str | None = None

    class ActivityIn(BaseModel):
        operation: str | None = None
        targetIdentity: str | None = None
        message: str | None = None

    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    columns = "claims, data, date, error, id, message, namespace, operation, original_data, source, target_identity"
    filterable = {"operation": "operation", "ID": "id", "targetIdentity": "target_identity", "source": "source"}
    app = FastAPI()

    def authorize(authorization: str, namespace: str) -> None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), TOKEN.encode()):
            raise HTTPException(401, "bad token")
        if not namespace.startswith("/"):
            raise HTTPException(400, "bad namespace")

    def out(row: tuple[Any, ...]) -> ActivityOut:
        return ActivityOut(
            claims=json.loads(row[0]) if row[0] else None,
            data=json.loads(row[1]) if row[1] else None,
            date=row[2],
            error=json.loads(row[3]) if row[3] else None,
            ID=row[4],
            message=row[5],
            namespace=row[6],
            operation=row[7],
            originalData=json.loads(row[8]) if row[8] else None,
            source=row[9],
            targetIdentity=row[10],
        )

    @app.get("/activities", response_model=list[ActivityOut], response_model_exclude_none=True)
    async def list_activities(
        response: Response,
        authorization: str = Header(),
        x_namespace: str = Header(),
        q: str | None = None,
        order: str = "-date",
        page: int = Query(1, ge=1),
        pagesize: int = Query(100, ge=1, le=1000),
        recursive: bool = False,
    ) -> list[ActivityOut]:
        authorize(authorization, x_namespace)
        where, params = (
            ["(namespace = ? OR (namespace >= ? AND namespace < ?))"],
            [
                x_namespace,
                x_namespace + "/",
                x_namespace + "0",
            ],
        )
        if not recursive:
            where, params = ["namespace = ?"], [x_namespace]
        if q:
            found = re.fullmatch(r'\s*(\w+)\s*==\s*"([^"]*)"\s*', q)
            if found is None or found.group(1) not in filterable:
                raise HTTPException(400, "unsupported filter")
            where.append(f"{filterable[found.group(1)]} = ?")
            params.append(found.group(2))
        if order not in ("-date", "date"):
            raise HTTPException(400, "unsupported order")
        direction = "DESC" if order.startswith("-") else "ASC"
        condition = " AND ".join(where)
        # The same statements the generated store issues for this request (its count, then
        # the page by row id through the date index), so only the framework differs.
        conn.execute("BEGIN")
        try:
            total = conn.execute(f"SELECT count(*) FROM activity WHERE {condition}", params).fetchone()[0]
            hint = "INDEXED BY activity_order_date" if recursive else ""
            page_ids = (
                f"SELECT _seq FROM activity {hint} WHERE {condition}"
                f" ORDER BY date {direction}, _seq {direction} LIMIT ? OFFSET ?"
            )
            rows = conn.execute(
                f"SELECT {columns} FROM activity WHERE _seq IN ({page_ids}) ORDER BY date {direction}, _seq {direction}",
                [*params, pagesize, (page - 1) * pagesize],
            ).fetchall()
        finally:
            conn.execute("COMMIT")
        response.headers["X-Count-Total"] = str(total)
        return [out(row) for row in rows]

    @app.get("/activities/{identifier}", response_model=ActivityOut, response_model_exclude_none=True)
    async def get_activity(identifier: str, authorization: str = Header(), x_namespace: str = Header()) -> ActivityOut:
        authorize(authorization, x_namespace)
        row = conn.execute(f"SELECT {columns} FROM activity WHERE id = ?", (identifier,)).fetchone()
        if row is None or row[6] != x_namespace:
            raise HTTPException(404, "not found")
        return out(row)

    @app.post("/activities", status_code=201, response_model=ActivityOut, response_model_exclude_none=True)
    async def create_activity(
        body: ActivityIn, authorization: str = Header(), x_namespace: str = Header()
    ) -> ActivityOut:
        authorize(authorization, x_namespace)
        made = (time_text(now()), new_identifier())
        row = (
            None,
            None,
            made[0],
            None,
            made[1],
            body.message,
            x_namespace,
            body.operation,
            None,
            None,
            body.targetIdentity,
        )
        conn.execute(f"INSERT INTO activity ({columns}) VALUES ({', '.join('?' * len(row))})", row)
        return out(row)

    return app


def fastapi_sqlalchemy_app(url: str) -> Any:
    """The same endpoints by hand on PostgreSQL: FastAPI + pydantic over SQLAlchemy 2's async
    engine on asyncpg (Core statements on a Table, a pool of connections), the same SQL."""
    from fastapi import FastAPI, Header, HTTPException, Query, Response
    from pydantic import AwareDatetime, BaseModel
    from sqlalchemy import BigInteger, Column, DateTime, MetaData, Table, Text, and_, func, insert, or_, select
    from sqlalchemy.dialects.postgresql import JSONB
    from sqlalchemy.ext.asyncio import create_async_engine
    from squallserver.encoding import new_identifier, now
    from squallserver.postgres import lock_key
    from squallserver.resources.activity import TABLE

    lock = lock_key(TABLE)

    class ActivityOut(BaseModel):
        claims: Any = None
        data: Any = None
        date: AwareDatetime | None = None
        error: Any = None
        ID: str
        message: str | None = None
        namespace: str | None = None
        operation: str | None = None
        originalData: Any = None
        source: str | None = None
        targetIdentity: str | None = None

    class ActivityIn(BaseModel):
        operation: str | None = None
        targetIdentity: str | None = None
        message: str | None = None

    activity = Table(
        "activity",
        MetaData(),
        Column("_seq", BigInteger, primary_key=True),
        Column("claims", JSONB),
        Column("data", JSONB),
        Column("date", DateTime(timezone=True)),
        Column("error", JSONB),
        Column("id", Text),
        Column("message", Text),
        Column("namespace", Text),
        Column("operation", Text),
        Column("original_data", JSONB),
        Column("source", Text),
        Column("target_identity", Text),
    )
    c = activity.c
    selected = [c.claims, c.data, c.date, c.error, c.id, c.message, c.namespace, c.operation, c.original_data]
    selected += [c.source, c.target_identity]
    filterable = {"operation": c.operation, "ID": c.id, "targetIdentity": c.target_identity, "source": c.source}
    engine = create_async_engine(url.replace("postgresql://", "postgresql+asyncpg://"), pool_size=16)
    app = FastAPI()

    def authorize(authorization: str, namespace: str) -> None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), TOKEN.encode()):
            raise HTTPException(401, "bad token")
        if not namespace.startswith("/"):
            raise HTTPException(400, "bad namespace")

    def out(row: Any) -> ActivityOut:
        return ActivityOut(
            claims=row.claims,
            data=row.data,
            date=row.date,
            error=row.error,
            ID=row.id,
            message=row.message,
            namespace=row.namespace,
            operation=row.operation,
            originalData=row.original_data,
            source=row.source,
            targetIdentity=row.target_identity,
        )

    @app.get("/activities", response_model=list[ActivityOut], response_model_exclude_none=True)
    async def list_activities(
        response: Response,
        authorization: str = Header(),
        x_namespace: str = Header(),
        q: str | None = None,
        order: str = "-date",
        page: int = Query(1, ge=1),
        pagesize: int = Query(100, ge=1, le=1000),
        recursive: bool = False,
    ) -> list[ActivityOut]:
        authorize(authorization, x_namespace)
        if recursive:
            below = and_(c.namespace >= x_namespace + "/", c.namespace < x_namespace + "0")
            conditions = [or_(c.namespace == x_namespace, below)]
        else:
            conditions = [c.namespace == x_namespace]
        if q:
            found = re.fullmatch(r'\s*(\w+)\s*==\s*"([^"]*)"\s*', q)
            if found is None or found.group(1) not in filterable:
                raise HTTPException(400, "unsupported filter")
            conditions.append(filterable[found.group(1)] == found.group(2))
        if order not in ("-date", "date"):
            raise HTTPException(400, "unsupported order")
        keys = (c.date.desc().nulls_last(), c._seq.desc()) if order == "-date" else (c.date.asc(), c._seq.asc())
        where = and_(*conditions)
        async with engine.connect() as conn:  # one transaction: the count and the page agree
            total = await conn.scalar(select(func.count()).select_from(activity).where(where))
            statement = select(*selected).where(where).order_by(*keys).limit(pagesize).offset((page - 1) * pagesize)
            rows = (await conn.execute(statement)).all()
        response.headers["X-Count-Total"] = str(total)
        return [out(row) for row in rows]

    @app.get("/activities/{identifier}", response_model=ActivityOut, response_model_exclude_none=True)
    async def get_activity(identifier: str, authorization: str = Header(), x_namespace: str = Header()) -> ActivityOut:
        authorize(authorization, x_namespace)
        async with engine.connect() as conn:
            row = (await conn.execute(select(*selected).where(c.id == identifier))).first()
        if row is None or row.namespace != x_namespace:
            raise HTTPException(404, "not found")
        return out(row)

    @app.post("/activities", status_code=201, response_model=ActivityOut, response_model_exclude_none=True)
    async def create_activity(
        body: ActivityIn, authorization: str = Header(), x_namespace: str = Header()
    ) -> ActivityOut:
        authorize(authorization, x_namespace)
        values = {"id": new_identifier(), "date": now(), "namespace": x_namespace, "operation": body.operation}
        values |= {"message": body.message, "target_identity": body.targetIdentity}
        # The log is the generated server's table: its rows are numbered in order under its lock.
        values["_seq"] = select(func.coalesce(func.max(c._seq), 0) + 1).scalar_subquery()
        async with engine.begin() as conn:
            await conn.execute(select(func.pg_advisory_xact_lock(lock)))
            row = (await conn.execute(insert(activity).values(**values).returning(*selected))).one()
        return out(row)

    return app


def run_server(kind: str, db: str, port: int) -> None:
    import uvicorn

    if kind == "fastapi":
        app = fastapi_sqlalchemy_app(db) if db.startswith("postgresql://") else fastapi_app(db)
    else:
        app = squall_app(db, count_cache=kind == "squall")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# -- load generator ------------------------------------------------------------------------


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list[float]
    failures: int
    statuses: list[int]  # what the failures answered

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def request_bytes(path: str, namespace: str, body: Any = None) -> bytes:
    """One request as sent: a GET, or with ``body`` a POST of its JSON."""
    head = f"Host: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\nX-Namespace: {namespace}\r\n"
    if body is None:
        return f"GET {path} HTTP/1.1\r\n{head}\r\n".encode()
    data = json.dumps(body).encode()
    head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
    return f"POST {path} HTTP/1.1\r\n{head}\r\n".encode() + data


_LENGTH = re.compile(rb"(?i)\r\ncontent-length: *(\d+)")


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> tuple[int, bytes]:
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    found = _LENGTH.search(head)
    body = await reader.readexactly(int(found.group(1))) if found else b""
    return int(head[9:12]), body


async def _load(
    port: int, requests: list[bytes], concurrency: int, seconds: float, warmup: float, ok: int = 200
) -> Result:
    latencies: list[float] = []
    statuses: list[int] = []  # of the failures
    failures = 0
    count = 0
    loop_start = time.perf_counter()
    measure_from = loop_start + warmup
    stop_at = measure_from + seconds

    async def worker(offset: int) -> None:
        nonlocal failures, count
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = offset
        while True:
            began = time.perf_counter()
            if began >= stop_at:
                break
            status, _ = await _exchange(reader, writer, requests[i % len(requests)])
            ended = time.perf_counter()
            i += concurrency
            if began >= measure_from:
                latencies.append(ended - began)
                count += 1
                if status != ok:
                    failures += 1
                    statuses.append(status)
        writer.close()

    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return Result(count, seconds, latencies, failures, sorted(set(statuses)))


async def _fetch(port: int, raw: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        return await _exchange(reader, writer, raw)
    finally:
        writer.close()


def start_server(kind: str, db: str, port: int, package: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, __file__, "--serve", kind, "--db", db, "--port", str(port), "--package", str(package)]
    process = subprocess.Popen(command)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            asyncio.run(_fetch(port, request_bytes("/activities", NAMESPACE)))
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{kind} server did not start")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", choices=tuple(SERVERS), default="sqlite", help="the database both servers use")
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0, help="measured time per round and scenario")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", choices=SERVERS["sqlite"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--package", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        sys.path.insert(0, str(args.package))
        run_server(args.serve, args.db, args.port)
        return
    with tempfile.TemporaryDirectory(prefix="specgen-bench-") as tmp, ExitStack() as stack:
        package = writable_api(Path(tmp))
        sys.path.insert(0, str(package))
        if args.store == "postgresql":
            sys.path.insert(0, str(ROOT))
            from tests.postgres_server import create_database, running

            db = create_database(stack.enter_context(running()), "bench")
        else:
            db = str(Path(tmp) / "bench.db")
        began = time.perf_counter()
        ids = build_database(db, args.rows)
        print(f"{args.rows} activities written in {time.perf_counter() - began:.1f} s ({args.store})")
        if args.store == "postgresql":
            import psycopg

            with psycopg.connect(db, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE activity")  # as autovacuum would soon after a bulk load
        measure(args, db, ids, package)


def measure(args: argparse.Namespace, db: str, ids: list[str], package: Path) -> None:
    servers = SERVERS[args.store]
    sample = random.Random(1).sample(ids, min(1000, len(ids)))
    scenarios = {
        "list": [request_bytes("/activities?" + urlencode(LIST_QUERY), NAMESPACE)],
        "get": [request_bytes(f"/activities/{i}", f"/acme/{ns}") for i in sample for ns in ("dev", "prod", "staging")],
        "create": [request_bytes("/activities", "/acme/bench", CREATE_BODY)],
    }
    # Each ID is asked in all three namespaces; only its own finds it (filtered below).
    results: dict[tuple[str, str], list[Result]] = {}
    answers: dict[str, list[tuple[int, Any]]] = {}
    # Every round of reads first, then the creates': the reads see the data built, never the rows
    # created (newer than all of it, they would be walked past first by a list ordered by -date).
    phases = (("list", "get"), ("create",))
    for phase in phases:
        for round_ in range(args.rounds):
            for kind in servers:
                port = free_port()
                process = start_server(kind, db, port, package)
                try:
                    if round_ == 0 and phase == phases[0]:
                        if kind == "squall":  # squall runs first: keep the IDs asked in their own namespace
                            scenarios["get"] = [r for r in scenarios["get"] if asyncio.run(_fetch(port, r))[0] == 200]
                        checks = [scenarios["list"][0], *scenarios["get"][:30]]
                        answers[kind] = [
                            (status, json.loads(body))
                            for status, body in (asyncio.run(_fetch(port, r)) for r in checks)
                        ]
                    for name in phase:
                        ok = 201 if name == "create" else 200
                        result = asyncio.run(
                            _load(port, scenarios[name], args.concurrency, args.seconds, args.warmup, ok)
                        )
                        if result.failures:
                            raise SystemExit(f"{kind} {name}: {result.failures} requests failed ({result.statuses})")
                        results.setdefault((kind, name), []).append(result)
                finally:
                    process.terminate()
                    process.wait(timeout=10)
            if round_ == 0 and phase == phases[0] and any(answers[kind] != answers["squall"] for kind in servers):
                raise SystemExit("the servers answer differently; the comparison would be meaningless")
    print(
        f"the servers give identical answers; concurrency {args.concurrency}, {args.rounds} rounds x {args.seconds:g} s"
    )
    print(f"{'scenario':8} {'server':9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    medians: dict[tuple[str, str], float] = {}
    for name in scenarios:
        for kind in servers:
            runs = results[(kind, name)]
            rps = statistics.median(r.rps for r in runs)
            medians[(kind, name)] = rps
            p50 = statistics.median(r.percentile(50) for r in runs)
            p99 = statistics.median(r.percentile(99) for r in runs)
            print(f"{name:8} {kind:9} {rps:8.0f} {p50:8.2f} {p99:8.2f}")
        for kind in servers[:-1]:
            ratio = medians[(kind, name)] / medians[("fastapi", name)]
            print(f"{name:8} {kind + '/fastapi':18} {ratio:8.2f}x")


if __name__ == "__main__":
    main()
