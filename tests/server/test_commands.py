"""``specgen load`` and ``specgen serve``: the commands the docs tell a newcomer to run."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import ROOT, Cli


def test_load_then_bad_file_loads_nothing(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "squall.db"
    good = tmp_path / "good.jsonl"
    good.write_text(
        "\n".join(json.dumps({"namespace": "/acme", "operation": op, "ID": f"id-{op}"}) for op in ("create", "delete"))
        + "\n\n"
    )
    run = cli("load", "--db", str(db), str(good))
    assert run.code == 0 and "2 activities" in run.out
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"namespace": "/acme"}\n{not json\n{"namespace": "relative"}\n{"date": 3, "namespace": "/a"}\n')
    run = cli("load", "--db", str(db), str(bad))
    assert run.code == 1
    assert "line 2: not JSON" in run.err and "line 3: namespace" in run.err and "line 4:" in run.err
    assert "Traceback" not in run.err
    run = cli("load", "--db", str(tmp_path / "no" / "x.db"), str(good))
    assert run.code == 1 and "does not exist" in run.err
    run = cli("load", "--db", str(db), str(tmp_path / "missing.jsonl"))
    assert run.code == 1 and "no such file" in run.err


def test_serve_rejects_a_bad_tokens_file(cli: Cli, tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.yaml"
    tokens.write_text("- token: abc\n  namespaces: [acme]\n")
    run = cli("serve", "--db", str(tmp_path / "s.db"), "--tokens", str(tokens))
    assert run.code == 1 and "entry 1: namespaces" in run.err
    tokens.write_text("- token: [unclosed\n")
    run = cli("serve", "--db", str(tmp_path / "s.db"), "--tokens", str(tokens))
    assert run.code == 1 and "not valid YAML" in run.err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("the server did not answer within 20 s")


def test_serve_with_a_tokens_file_and_with_a_random_token(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.yaml"
    tokens.write_text("- token: s3cret-token-for-a-test\n  claims: ['@auth:subject=me']\n  namespaces: [/acme]\n")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    base = [sys.executable, "-m", "generator", "serve", "--db", str(tmp_path / "s.db"), "--host", "127.0.0.1"]
    port = _free_port()
    with subprocess.Popen(
        [*base, "--tokens", str(tokens), "--port", str(port)],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    ) as process:
        try:
            url = f"http://127.0.0.1:{port}/activities"
            _wait_for(url, process)
            ok = httpx.get(url, headers={"Authorization": "Bearer s3cret-token-for-a-test", "X-Namespace": "/acme"})
            assert ok.status_code == 200 and ok.json() == []
            other = httpx.get(url, headers={"Authorization": "Bearer s3cret-token-for-a-test", "X-Namespace": "/b"})
            assert other.status_code == 403
        finally:
            process.terminate()
            process.wait(timeout=10)
    port = _free_port()
    with subprocess.Popen(
        [*base, "--port", str(port)], cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert "this run's token" in line
            token = line.rsplit(" ", 1)[1].strip()
            assert len(token) >= 40
            url = f"http://127.0.0.1:{port}/activities"
            _wait_for(url, process)
            assert httpx.get(url, headers={"Authorization": f"Bearer {token}", "X-Namespace": "/"}).status_code == 200
            assert httpx.get(url, headers={"X-Namespace": "/"}).status_code == 401
        finally:
            process.terminate()
            process.wait(timeout=10)
