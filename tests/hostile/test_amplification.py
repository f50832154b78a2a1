"""What a client sends cannot be multiplied into storage, responses or memory.

Once, a refused write (422) stored its whole body in its activity (40 refused 1 MB writes grew
the database by 44 MB), a body of 80,000 unknown keys gave 80,001 error objects (13 MB of
response, 27 MB of database), and listing such activities returned 150 MB at once; the log's
cap counted entries, not bytes. Now a refused write's activity keeps a marked summary, error
arrays keep MAX_ERRORS and a count, a page of a list is bounded in bytes, and a capped log is
capped in bytes too.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from squallmodels import Activity
from squallserver import Store, limits

from tests.conftest import Cli
from tests.hostile.api_support import check_error_body
from tests.server.conftest import START, Live, headers, serve
from tests.server.test_activity_log import ledger, make_app

__all__ = ["ledger"]  # the fixture, used by name below

PATIENCE = 60.0


def disk(path: Path) -> int:
    """Bytes of a database once its write-ahead log is checkpointed into it (a log is reused)."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size


@pytest.fixture
def ledger_live(ledger: Any, tmp_path: Path) -> Iterator[tuple[Live, Path]]:
    path = tmp_path / "ledger.db"
    store = ledger.Store(path)
    try:
        for live in serve(store, app=make_app(ledger, store)):
            yield live, path
    finally:
        store.close()


def log(http: httpx.Client) -> list[dict[str, Any]]:
    found = http.get("/activities", params={"recursive": "true", "order": "date", "pagesize": "1000"})
    assert found.status_code == 200, found.text[:300]
    listed: list[dict[str, Any]] = found.json()
    return listed


def test_refused_writes_log_a_bounded_marked_summary(ledger_live: tuple[Live, Path]) -> None:
    live, path = ledger_live
    with httpx.Client(base_url=live.url, timeout=PATIENCE, headers=headers()) as http:
        assert http.post("/policies", json={"name": "warm-up"}).status_code == 201
        before = disk(path)
        body = {"name": "p", "junk": "a" * 1_000_000}
        for _ in range(40):
            refused = http.post("/policies", json=body)
            assert refused.status_code == 422
        grown = disk(path) - before
        assert grown < 1_000_000, f"40 refused 1 MB writes grew the database by {grown} bytes"
        activity = log(http)[-1]
        sent = len(json.dumps(body, separators=(",", ":")))
        assert activity["data"]["_truncated"] == {"characters": sent, "kept": limits.MAX_LOGGED_BODY}
        assert activity["data"]["_head"] == json.dumps(body, separators=(",", ":"))[: limits.MAX_LOGGED_BODY]
        small = http.post("/policies", json={"name": "q", "nope": 1})
        assert log(http)[-1]["data"] == {"name": "q", "nope": 1}  # a small body is kept as it was
        assert small.status_code == 422


def test_80000_unknown_keys_give_a_bounded_error_array(ledger_live: tuple[Live, Path]) -> None:
    live, path = ledger_live
    with httpx.Client(base_url=live.url, timeout=PATIENCE, headers=headers()) as http:
        before = disk(path)
        body = {f"k{i}": 0 for i in range(80_000)}
        refused = http.post("/policies", json=body)
        errors = check_error_body(422, refused.content)
        assert refused.status_code == 422
        assert len(refused.content) < 20_000
        assert len(errors) == limits.MAX_ERRORS + 1
        total = limits.MAX_ERRORS + errors[-1]["data"]["omitted"]
        assert total == 80_001  # every unknown key, and the missing name
        assert errors[-1]["description"] == f"{total - limits.MAX_ERRORS} more errors not shown"
        activity = log(http)[-1]
        assert activity["error"] == errors
        assert activity["message"].endswith(f"(and {total - 1} more)")
        assert disk(path) - before < 200_000


def test_a_huge_key_or_value_is_clipped_where_an_error_quotes_it(ledger_live: tuple[Live, Path]) -> None:
    live, _ = ledger_live
    with httpx.Client(base_url=live.url, timeout=PATIENCE, headers=headers()) as http:
        for body in ({"x" * 500_000: 1, "name": "n"}, {"name": "n", "action": "y" * 500_000}):
            refused = http.post("/policies", json=body)
            errors = check_error_body(422, refused.content)
            assert refused.status_code == 422 and len(refused.content) < 10_000, errors
            assert log(http)[-1]["error"] == errors


def test_a_page_over_the_response_limit_is_refused_with_the_page_size_that_fits(cli: Cli, tmp_path: Path) -> None:
    big = {"blob": "z" * 1_000_000}
    source = tmp_path / "big.jsonl"
    with source.open("w") as out:
        for i in range(20):
            out.write(
                json.dumps({"ID": f"b{i:02d}", "namespace": "/acme", "date": f"2024-01-01T00:00:{i:02d}Z", "data": big})
                + "\n"
            )
    db = tmp_path / "big.db"
    assert cli("load", "--db", str(db), str(source)).code == 0
    store = Store(db)
    try:
        for live in serve(store):
            with httpx.Client(base_url=live.url, timeout=PATIENCE, headers=headers()) as http:
                refused = http.get("/activities", params={"pagesize": "100"})
                errors = check_error_body(refused.status_code, refused.content)
                assert refused.status_code == 400 and len(refused.content) < 10_000, errors
                fits = errors[0]["data"]["pagesize"]
                assert errors[0]["data"]["limit"] == limits.MAX_RESPONSE_BYTES
                assert 10 <= fits < 20
                page = http.get("/activities", params={"pagesize": str(fits)})
                assert page.status_code == 200 and len(page.json()) == fits
                assert len(page.content) <= limits.MAX_RESPONSE_BYTES
                assert page.headers["X-Count-Total"] == "20"
    finally:
        store.close()


def sized(count: int, size: int) -> list[dict[str, Any]]:
    return [
        {
            "ID": f"s{i:03d}",
            "namespace": "/acme",
            "date": f"2024-01-01T00:{i // 60:02d}:{i % 60:02d}Z",
            "message": "m" * size,
        }
        for i in range(count)
    ]


def test_a_capped_log_is_capped_in_bytes_too(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "sized.jsonl"
    rows = sized(50, 10_000)
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    db = tmp_path / "sized.db"
    run = cli("load", "--db", str(db), "--cap-bytes", "100K", str(source))
    assert run.code == 0, run.err
    with sqlite3.connect(db) as conn:
        kept = [r[0] for r in conn.execute('SELECT "ID" FROM activity ORDER BY _seq')]
        stored = conn.execute('SELECT sum(length(CAST("message" AS BLOB))) FROM activity').fetchone()[0]
    assert kept == [r["ID"] for r in rows[-len(kept) :]] and 5 <= len(kept) <= 10  # the newest, within 100 KiB
    assert stored <= 100 * 1024
    store = Store(db, cap_bytes={"activity": 100 * 1024})
    try:
        for live in serve(store):
            with httpx.Client(base_url=live.url, timeout=PATIENCE, headers=headers()) as http:
                assert http.get("/activities").headers["X-Count-Total"] == str(len(kept))
    finally:
        store.close()
    assert cli("load", "--db", str(db), "--cap-bytes", "0", str(source)).code == 2  # argparse: not a size


def test_a_database_from_before_byte_caps_gets_its_running_totals(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    store = Store(db)
    store.record_many(
        Activity(id=f"o{i}", namespace="/acme", message="x" * (i + 1), date=START + timedelta(seconds=i))
        for i in range(5)
    )
    store.close()
    with sqlite3.connect(db) as conn:
        conn.execute('ALTER TABLE activity DROP COLUMN "_upto"')
    store = Store(db, cap_bytes={"activity": 10**9})
    store.close()
    with sqlite3.connect(db) as conn:
        totals = [r[0] for r in conn.execute('SELECT "_upto" FROM activity ORDER BY _seq')]
    assert totals == sorted(totals) and len(set(totals)) == 5 and totals[0] > 0


def test_answers_left_unread_cannot_pile_up_in_memory(cli: Cli, tmp_path: Path) -> None:
    """Clients that ask for big pages and never read them hold at most MAX_SENDING bytes of answers
    (12 MB pages here: more than the kernel's socket buffers take, so the server holds the rest)."""
    import socket

    from squallserver.app import create_app
    from squallserver.work import Settings

    from tests.server.conftest import TOKEN, tokens

    source = tmp_path / "big.jsonl"
    source.write_text(
        "".join(
            json.dumps({"ID": f"b{i}", "namespace": "/acme", "date": START.isoformat(), "data": {"x": "z" * 1_000_000}})
            + "\n"
            for i in range(12)
        )
    )
    db = tmp_path / "big.db"
    assert cli("load", "--db", str(db), str(source)).code == 0
    store = Store(db)
    try:
        for live in serve(store, app=create_app(store, tokens(), Settings(max_sending=20_000_000))):
            work = live.server.config.app.state.work
            with socket.socket() as reader:
                reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                reader.connect(("127.0.0.1", live.port))
                reader.sendall(
                    f"GET /activities?pagesize=12 HTTP/1.1\r\nHost: s\r\nAuthorization: Bearer {TOKEN}\r\n"
                    "X-Namespace: /acme\r\n\r\n".encode()
                )
                from tests.hostile.test_slow_requests import until

                until(lambda w=work: w.sending > 0, "the first answer being sent")
                with httpx.Client(base_url=live.url, timeout=PATIENCE, headers=headers()) as http:
                    refused = http.get("/activities", params={"pagesize": "12"})
                    errors = check_error_body(refused.status_code, refused.content)
                    assert refused.status_code == 503 and errors[0]["data"] == {"reason": "busy"}, errors
                    assert refused.headers["Retry-After"] == "1"
                    assert http.get("/activities", params={"pagesize": "1", "q": 'ID == "none"'}).status_code == 200
            # The unread answer's client is gone: its bytes no longer count.
            until(lambda w=work: w.sending == 0, "the unread answer let go")
            with httpx.Client(base_url=live.url, timeout=PATIENCE, headers=headers()) as http:
                assert http.get("/activities", params={"pagesize": "12"}).status_code == 200
    finally:
        store.close()
