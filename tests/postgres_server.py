"""A throwaway PostgreSQL server for tests and benchmarks: Debian's ``initdb`` and ``pg_ctl``.

The cluster lives in a temporary folder, listens on 127.0.0.1 on a free port (and a Unix socket
in the same folder), trusts local connections, and is stopped and removed at the end. PostgreSQL
refuses to run as root: as root, the folder is handed to the ``postgres`` user (Debian's package
creates it) and every command runs through ``runuser``; as anyone else, as that user.

``.ci/install-postgresql`` installs the package where it is missing (``make test`` runs it).

``python -m tests.postgres_server COMMAND...`` runs a command beside one such server and names
its port in ``$SPECGEN_TEST_POSTGRES_PORT``; the tests' ``postgres`` fixture then uses it rather
than make its own. ``make mutation`` does so: mutmut runs the tests in a new process per mutant,
and an initdb each time would cost more than the mutant's tests.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Debian installs the server's programs here, one folder per major version, and not on PATH.
DEBIAN_BINARIES = Path("/usr/lib/postgresql")
RUN_AS = "postgres"  # the unprivileged user Debian's package creates
START_TIMEOUT = 30  # seconds
SHARED_PORT = "SPECGEN_TEST_POSTGRES_PORT"  # a running server's port, given to the tests (see main)
# The tests' server keeps its times in a zone off UTC by half an hour more than whole hours, so
# that whatever relies on a session's zone rather than saying UTC is seen to.
TEST_SETTINGS = {"timezone": "'Asia/Kolkata'"}


class PostgresMissing(RuntimeError):
    """No PostgreSQL server programs here: the message says how to install them."""


def binaries() -> Path:
    """The newest installed version's bin folder, or ``$SPECGEN_PG_BIN`` when set."""
    chosen = os.environ.get("SPECGEN_PG_BIN")
    if chosen:
        return Path(chosen)
    versions = sorted(
        (p for p in DEBIAN_BINARIES.glob("*/bin") if (p / "initdb").is_file()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1]
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PostgresMissing(
        "PostgreSQL's initdb and pg_ctl are missing: run .ci/install-postgresql (apt-get install -y postgresql)"
    )


@dataclass(frozen=True, slots=True)
class Server:
    port: int
    folder: Path

    def url(self, database: str = "postgres") -> str:
        """A libpq URL to a database of this server, as ``specgen serve --db`` takes it."""
        return f"postgresql://{RUN_AS}@127.0.0.1:{self.port}/{database}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_user(command: list[str]) -> list[str]:
    """The command as run by the unprivileged user (through runuser when we are root)."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", RUN_AS, "--", *command]


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_user(command), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:2])} failed ({done.returncode}): {done.stdout}{done.stderr}")


@contextmanager
def running(settings: dict[str, str] | None = None) -> Iterator[Server]:
    """A fresh cluster, started; stopped (fast) and removed when the block ends."""
    bin_folder = binaries()
    folder = Path(tempfile.mkdtemp(prefix="specgen-pg-"))
    try:
        if os.geteuid() == 0:
            shutil.chown(folder, RUN_AS)
        os.chmod(folder, 0o700)
        data = folder / "data"
        user = RUN_AS if os.geteuid() == 0 else None
        _run(
            [
                str(bin_folder / "initdb"),
                "-D",
                str(data),
                "-U",
                RUN_AS,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        port = _free_port()
        options = {
            "port": str(port),
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{folder}'",
            "fsync": "off",  # a throwaway cluster: durability buys nothing, and costs the tests time
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "200",
            **(settings or {}),
        }
        with (data / "postgresql.auto.conf").open("a", encoding="utf-8") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in options.items())
        if user is not None:
            shutil.chown(data / "postgresql.auto.conf", user)
        _run([str(bin_folder / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-t", "30", "start"])
        server = Server(port, folder)
        _wait(server)
        try:
            yield server
        finally:
            _run([str(bin_folder / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def shared_or_running() -> Iterator[Server]:
    """The server ``$SPECGEN_TEST_POSTGRES_PORT`` names (left running), else a fresh one (``running``).

    Each test keeps to a schema or a database of its own, so one server serves them all."""
    port = os.environ.get(SHARED_PORT)
    if not port:
        with running(TEST_SETTINGS) as server:
            yield server
        return
    if not port.isdigit():
        raise RuntimeError(f"${SHARED_PORT} is a port number, not {port!r}")
    server = Server(int(port), Path(tempfile.gettempdir()))  # its folder is its runner's, unknown here
    _wait(server)
    yield server


def _wait(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"PostgreSQL did not listen on port {server.port} within {START_TIMEOUT} s"
                ) from None
            time.sleep(0.05)


@contextmanager
def new_schema(server: Server) -> Iterator[str]:
    """A URL whose tables live in a new, empty schema of the server's database (as good as a new
    database for a store, and cheaper); the schema is dropped with all it holds when the block ends."""
    import psycopg

    schema = f"t{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}".encode())
    try:
        yield server.url() + f"?options=-c%20search_path%3D{schema}"
    finally:
        with psycopg.connect(server.url(), autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE".encode())


def create_database(server: Server, name: str) -> str:
    """A new, empty database on the server; its URL."""
    import psycopg

    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.url(name)


def main(command: list[str]) -> int:
    """Run ``command`` beside a fresh server (its port in ``$SPECGEN_TEST_POSTGRES_PORT``); the
    server is stopped and removed when the command ends, however it ends (SIGTERM included)."""
    if not command:
        print("usage: python -m tests.postgres_server COMMAND [ARGUMENT...]", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds through running()'s cleanup
    with running(TEST_SETTINGS) as server:
        done = subprocess.run(command, env={**os.environ, SHARED_PORT: str(server.port)}, check=False)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
