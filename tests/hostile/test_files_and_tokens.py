"""Namespaces, database files, tokens files and database schemas: the smaller findings.

Once, namespaces accepted ``.`` and ``..`` segments; the database and its ``-wal``/``-shm``
files were readable by every local user; a tokens file could hold 1-character tokens or tokens
no client can send, and was read even when others could write it; the schema check compared
column names only (loading twice into a table without a unique identifier duplicated every
row); and a read-only database was served, every write a generic 500.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from squallserver import Store, Tokens

from tests.conftest import ROOT, Cli
from tests.hostile.api_support import check_error_body
from tests.hostile.test_slow_requests import PATIENCE, until
from tests.server.conftest import TOKEN, headers, serve
from tests.server.test_activity_log import ledger, make_app

__all__ = ["ledger"]  # the fixture, used by name below

DOTS = ["/.", "/..", "/acme/..", "/acme/.", "/./acme", "/acme/../other", "/acme/./prod"]


@pytest.mark.parametrize("namespace", DOTS)
def test_dot_segments_are_refused_on_reads_and_writes(ledger: Any, tmp_path: Path, namespace: str) -> None:
    store = ledger.Store(tmp_path / "dots.db")
    try:
        for live in serve(store, app=make_app(ledger, store)):
            with httpx.Client(base_url=live.url, timeout=PATIENCE) as http:
                for method, path in (("POST", "/policies"), ("GET", "/policies"), ("GET", "/activities")):
                    answer = http.request(method, path, headers=headers(namespace), json={"name": "p"})
                    errors = check_error_body(answer.status_code, answer.content)
                    assert answer.status_code == 400 and errors[0]["data"] == {"header": "X-Namespace"}, errors
                assert http.get("/activities", headers=headers("/"), params={"recursive": "true"}).json() == []
    finally:
        store.close()
    assert ".." in namespace or "." in namespace
    with pytest.raises(ValueError, match="namespaces"):
        Tokens.from_data([{"token": TOKEN, "namespaces": [namespace]}])


def test_dot_segments_are_refused_in_loaded_objects(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "dots.jsonl"
    source.write_text("".join(json.dumps({"ID": f"d{i}", "namespace": ns}) + "\n" for i, ns in enumerate(DOTS)))
    run = cli("load", "--db", str(tmp_path / "dots.db"), str(source))
    assert run.code == 1 and all(f"line {i + 1}: namespace" in run.err for i in range(len(DOTS)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(*args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    command = [sys.executable, "-m", "generator", "serve", *args, "--host", "127.0.0.1", "--port", str(port)]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        try:
            yield f"http://127.0.0.1:{port}", process
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(PATIENCE)


def tokens_file(tmp_path: Path, token: str = TOKEN, mode: int = 0o600) -> Path:
    path = tmp_path / "tokens.yaml"
    path.write_text(f"- token: {json.dumps(token)}\n  namespaces: [/]\n")
    path.chmod(mode)
    return path


def test_the_database_and_its_side_files_are_created_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "private.db"
    with serving("--db", str(db), "--tokens", str(tokens_file(tmp_path))) as (url, process):

        def up() -> bool:
            assert process.poll() is None, process.communicate()
            try:
                return httpx.get(url + "/activities", headers=headers(), timeout=5).status_code == 200
            except httpx.TransportError:
                return False

        until(up, "serving")
        for suffix in ("", "-wal", "-shm"):
            mode = stat.S_IMODE(Path(f"{db}{suffix}").stat().st_mode)
            assert mode & 0o077 == 0, f"{db.name}{suffix} is {oct(mode)}"


@pytest.mark.parametrize(
    ("token", "says"),
    [
        ("x", "at least 16 characters"),
        ("short-token-15ch", None),  # exactly 16: accepted
        ("  spaced-token-for-tests-0123  ", "no spaces"),
        ("tab\tseparated-token-0123456", "no spaces"),
        ("unicode-tökén-for-tests-0123456", "no spaces"),
        ('quote"token-for-tests-0123456', "no spaces"),
    ],
)
def test_tokens_a_client_cannot_send_or_guess_are_refused(token: str, says: str | None) -> None:
    entry = [{"token": token, "namespaces": ["/"]}]
    if says is None:
        assert Tokens.from_data(entry)
        return
    with pytest.raises(ValueError, match=says):
        Tokens.from_data(entry)


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666, 0o777])
def test_a_tokens_file_others_can_write_is_refused(cli: Cli, tmp_path: Path, mode: int) -> None:
    path = tokens_file(tmp_path, mode=mode)
    run = cli("serve", "--db", str(tmp_path / "t.db"), "--tokens", str(path))
    assert run.code == 1 and "other users can write this file" in run.err and "chmod go-w" in run.err
    assert not (tmp_path / "t.db").exists()


def make_table(path: Path, ddl: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(ddl)


ACTIVITY_COLUMNS = [
    "claims",
    "data",
    "date",
    "error",
    "id",
    "message",
    "namespace",
    "operation",
    "original_data",
    "source",
    "target_identity",
]


@pytest.mark.parametrize(
    "shape",
    [
        "no unique identifier",
        "other types",
        "a unique constraint the spec lacks",
    ],
)
def test_a_table_with_the_right_names_but_the_wrong_shape_is_refused(cli: Cli, tmp_path: Path, shape: str) -> None:
    db = tmp_path / "shape.db"
    columns = []
    for name in ACTIVITY_COLUMNS:
        kind = "INTEGER" if shape == "other types" and name == "message" else "TEXT"
        unique = (
            " UNIQUE"
            if (name == "id" and shape != "no unique identifier")
            or (shape == "a unique constraint the spec lacks" and name == "message")
            else ""
        )
        columns.append(f'"{name}" {kind}{unique}')
    make_table(
        db,
        'CREATE TABLE activity ("_seq" INTEGER PRIMARY KEY, '
        + ", ".join(columns)
        + ', "_upto" INTEGER NOT NULL DEFAULT 0)',
    )
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"ID": "one", "namespace": "/acme", "message": "m"}) + "\n")
    for _ in range(2):  # loading twice must never leave two rows with one ID
        run = cli("load", "--db", str(db), str(source))
        assert run.code == 1 and "is not what the spec wants" in run.err and "use a new database file" in run.err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == 0


def test_the_right_shape_loads_once_and_refuses_a_second_copy(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "right.db"
    Store(db).close()
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"ID": "one", "namespace": "/acme"}) + "\n")
    assert cli("load", "--db", str(db), str(source)).code == 0
    again = cli("load", "--db", str(db), str(source))
    assert again.code == 1 and "same unique value" in again.err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == 1


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The file cannot be written by this process: immutable for root (who ignores modes), 0444 otherwise."""
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if made.returncode != 0:
            pytest.skip(f"root, and chattr +i does not work here: {made.stderr!r}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o600)


def test_a_read_only_database_is_refused_at_start_up(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "ro.db"
    Store(db).close()
    with read_only(db):
        run = cli("serve", "--db", str(db), "--tokens", str(tokens_file(tmp_path)))
        assert run.code == 1 and "cannot be written" in run.err and "Traceback" not in run.err
        source = tmp_path / "one.jsonl"
        source.write_text(json.dumps({"ID": "one", "namespace": "/acme"}) + "\n")
        run = cli("load", "--db", str(db), str(source))
        assert run.code == 1 and "cannot be written" in run.err
