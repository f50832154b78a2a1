"""``specgen load`` and ``specgen serve``: the commands the docs tell a newcomer to run."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
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
    tokens.write_text("- token: abcdefghijklmnopqrstuvwxyz\n  namespaces: [acme]\n")
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


@contextlib.contextmanager
def _serving(*args: str, wait: bool = True) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``specgen serve ARGS`` on a free loopback port: its /activities URL and the process, stopped after."""
    port = _free_port()
    command = [sys.executable, "-m", "generator", "serve", *args, "--host", "127.0.0.1", "--port", str(port)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        command, cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as process:
        try:
            url = f"http://127.0.0.1:{port}/activities"
            if wait:
                _wait_for(url, process)
            yield url, process
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_serve_with_a_tokens_file_and_with_a_random_token(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.yaml"
    tokens.write_text("- token: s3cret-token-for-a-test\n  claims: ['@auth:subject=me']\n  namespaces: [/acme]\n")
    db = str(tmp_path / "s.db")
    with _serving("--db", db, "--tokens", str(tokens)) as (url, _):
        ok = httpx.get(url, headers={"Authorization": "Bearer s3cret-token-for-a-test", "X-Namespace": "/acme"})
        assert ok.status_code == 200 and ok.json() == []
        other = httpx.get(url, headers={"Authorization": "Bearer s3cret-token-for-a-test", "X-Namespace": "/b"})
        assert other.status_code == 403
    with _serving("--db", db, wait=False) as (url, process):
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "this run's token" in line
        token = line.rsplit(" ", 1)[1].strip()
        assert len(token) >= 40
        _wait_for(url, process)
        assert httpx.get(url, headers={"Authorization": f"Bearer {token}", "X-Namespace": "/"}).status_code == 200
        assert httpx.get(url, headers={"X-Namespace": "/"}).status_code == 401


EXAMPLES = ROOT / "examples"


def test_the_example_activities_are_up_to_date_and_load(cli: Cli, tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("example_activities", EXAMPLES / "activities.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (EXAMPLES / "activities.jsonl").read_text(encoding="utf-8")
    assert module.render() == text, "run: python examples/activities.py"
    entries = [json.loads(line) for line in text.splitlines()]
    assert 200 <= len(entries) <= 1000
    assert {e["namespace"] for e in entries} >= {"/acme", "/acme/dev", "/acme/prod"}
    assert {e["operation"] for e in entries} == {"create", "update", "delete"}
    assert 0 < sum("error" in e for e in entries) < len(entries) // 2
    assert all(e["claims"] and e["targetIdentity"] and e["message"] for e in entries)
    run = cli("load", "--db", str(tmp_path / "examples.db"), str(EXAMPLES / "activities.jsonl"))
    assert run.code == 0 and f"{len(entries)} activities" in run.out


def test_serve_seeds_only_a_new_database(tmp_path: Path) -> None:
    db = tmp_path / "seeded.db"
    seed = tmp_path / "seed.jsonl"
    seed.write_text(
        "".join(json.dumps({"namespace": "/acme", "operation": "create", "ID": f"s{i}"}) + "\n" for i in range(3))
    )
    tokens = tmp_path / "tokens.yaml"
    tokens.write_text("- token: seed-token-for-a-test\n  namespaces: [/]\n")
    headers = {"Authorization": "Bearer seed-token-for-a-test", "X-Namespace": "/acme"}
    for round_ in range(2):
        if round_ == 1:  # a second seed file must not be loaded into the now existing database
            seed.write_text(json.dumps({"namespace": "/acme", "operation": "delete", "ID": "other"}) + "\n")
        with _serving("--db", str(db), "--seed", str(seed), "--tokens", str(tokens)) as (url, _):
            listed = httpx.get(url, headers=headers)
            assert sorted(a["ID"] for a in listed.json()) == ["s0", "s1", "s2"]


def test_a_bad_seed_leaves_no_database(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "bad.db"
    seed = tmp_path / "bad.jsonl"
    seed.write_text('{"namespace": "relative"}\n')
    run = cli("serve", "--db", str(db), "--seed", str(seed))
    assert run.code == 1 and "nothing loaded" in run.err and "line 1: namespace" in run.err
    assert not db.exists()
    run = cli("serve", "--db", str(db), "--seed", str(tmp_path / "missing.jsonl"))
    assert run.code == 1 and "no such file" in run.err and not db.exists()


def test_serve_on_a_busy_port_says_so_in_one_line(cli: Cli, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = cli("serve", "--db", str(tmp_path / "s.db"), "--host", "127.0.0.1", "--port", str(port))
    assert run.code == 1
    assert run.err.splitlines() == [
        f"specgen serve: port {port} on 127.0.0.1 is already in use (another specgen serve?); stop it or pass --port N"
    ]
    assert not (tmp_path / "s.db").exists(), "nothing made before the port was known to be free"


def test_load_refuses_lines_that_do_not_fit_the_model(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "squall.db"
    users = tmp_path / "users.jsonl"
    users.write_text(
        json.dumps({"name": "alice", "email": "alice@acme.example"})
        + "\n{}\n"
        + json.dumps({"namespace": "/acme", "operation": "create", "colour": "blue"})
        + "\n"
    )
    run = cli("load", "--db", str(db), str(users))
    assert run.code == 1 and "Traceback" not in run.err
    assert "line 1: 'name', 'email': not an attribute of activity (attributes: claims, data, date," in run.err
    assert "line 2: an empty object: no attribute of activity" in run.err
    assert "line 3: 'colour': not an attribute of activity" in run.err
    assert run.err.endswith("(each line is read as an activity; --model NAME reads another model: activity)\n")
    # Nothing was stored: a later good load is all the table holds.
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"namespace": "/acme", "operation": "create", "ID": "only"}) + "\n")
    run = cli("load", "--db", str(db), str(good))
    assert run.code == 0 and "(1 stored)" in run.out
