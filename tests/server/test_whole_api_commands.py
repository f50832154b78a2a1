"""``specgen load`` and ``specgen serve`` for the Planner (tests/golden/whole_api): the encryption
key (refused without it, from a file or the environment) and ``--processors``."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import GOLDEN, Cli
from tests.server.test_commands import _free_port, _wait_for

WHOLE_API = GOLDEN / "whole_api"
PLANNER = ("--specs", str(WHOLE_API / "specs"), "--out", str(WHOLE_API / "expected"))
KEY_HEX = "00112233445566778899aabbccddeeff" * 2
TOKEN = "planner-token-for-a-test"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "planner.key"
    path.write_text(KEY_HEX + "\n")
    path.chmod(0o600)
    return path


@pytest.fixture
def tasks(tmp_path: Path) -> Path:
    path = tmp_path / "tasks.jsonl"
    lines = [
        {"namespace": "/acme", "title": "Ship it", "privateNote": "the launch code"},
        {"namespace": "/acme", "title": "Test it", "notify": True},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


@pytest.fixture(autouse=True)
def from_the_planner_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the folder that holds plannerhooks (the spec's validators), as a user runs from their project."""
    monkeypatch.chdir(WHOLE_API)


def test_a_validator_that_does_not_import_is_one_line(
    cli: Cli, tmp_path: Path, tasks: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "plannerhooks.validators", raising=False)
    monkeypatch.delitem(sys.modules, "plannerhooks", raising=False)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if Path(p or ".").resolve() != WHOLE_API])
    run = cli("load", *PLANNER, "--db", str(tmp_path / "p.db"), "--encryption-key-file", str(key_file), str(tasks))
    assert run.code == 1 and "Traceback" not in run.err
    assert run.err.splitlines() == [
        "specgen load: validator no_weekend: plannerhooks.validators:weekday cannot be imported (No module named"
        " 'plannerhooks'); run from the folder that holds plannerhooks or put it on PYTHONPATH"
    ]


def test_load_and_serve_refuse_to_start_without_the_key(cli: Cli, tmp_path: Path, tasks: Path) -> None:
    db = tmp_path / "planner.db"
    for run in (
        cli("load", *PLANNER, "--db", str(db), "--model", "task", str(tasks)),
        cli("serve", *PLANNER, "--db", str(db), "--port", str(_free_port())),
    ):
        assert run.code == 1
        problem = run.err.splitlines()[-1]
        assert problem.startswith("specgen ") and "task, user keep encrypted attributes: give their key" in problem
        assert "--encryption-key-file FILE or SPECGEN_ENCRYPTION_KEY" in problem and "Traceback" not in run.err
    assert not db.exists(), "nothing made without the key"


def test_a_key_file_others_can_read_or_that_holds_no_key_is_refused(
    cli: Cli, tmp_path: Path, tasks: Path, key_file: Path
) -> None:
    db = str(tmp_path / "planner.db")
    key_file.chmod(0o644)
    run = cli("load", *PLANNER, "--db", db, "--encryption-key-file", str(key_file), "--model", "task", str(tasks))
    assert (
        run.code == 1 and f"other users can read or write this file (mode -rw-r--r--): chmod 600 {key_file}" in run.err
    )
    key_file.write_text("not a key")
    key_file.chmod(0o600)
    run = cli("load", *PLANNER, "--db", db, "--encryption-key-file", str(key_file), "--model", "task", str(tasks))
    assert run.code == 1 and "an encryption key is 32 random bytes, written as 64 hex digits" in run.err
    run = cli("load", *PLANNER, "--db", db, "--encryption-key-file", str(tmp_path / "none"), str(tasks))
    assert run.code == 1 and "No such file" in run.err


def test_load_seals_with_the_key_from_a_file_or_the_environment(
    cli: Cli, tmp_path: Path, tasks: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "planner.db"
    run = cli("load", *PLANNER, "--db", str(db), "--encryption-key-file", str(key_file), "--model", "task", str(tasks))
    assert run.code == 0 and "2 tasks" in run.out, run.err
    monkeypatch.setenv("SPECGEN_ENCRYPTION_KEY", KEY_HEX)
    run = cli("load", *PLANNER, "--db", str(db), "--model", "task", str(tasks))
    assert run.code == 0 and "(4 stored)" in run.out, run.err
    projects = tmp_path / "projects.jsonl"
    projects.write_text(json.dumps({"namespace": "/acme", "name": "launch", "internalScore": 3}) + "\n")
    run = cli("load", *PLANNER, "--db", str(db), "--model", "project", str(projects))
    assert run.code == 0, run.err
    with sqlite3.connect(db) as conn:
        notes = [row[0] for row in conn.execute("SELECT private_note FROM task ORDER BY _seq")]
        scores = conn.execute("SELECT internal_score FROM project").fetchall()
    assert len(notes) == 4 and all(
        note is None or (isinstance(note, bytes) and b"launch" not in note) for note in notes
    )
    assert notes[0] is not None and notes[1] is None  # "Test it" has no note
    assert scores == [(3,)]  # a load may set what only the server sets
    monkeypatch.setenv("SPECGEN_ENCRYPTION_KEY", "ff" * 32)
    run = cli("load", *PLANNER, "--db", str(db), "--model", "task", str(tasks))
    assert run.code == 1 and "the encryption key is not the one this database was written with" in run.err


@pytest.mark.parametrize(
    ("module", "problem"),
    [
        ("no_such_hooks", "--processors no_such_hooks: cannot import it: No module named 'no_such_hooks'"),
        ("plannerhooks.validators", "--processors plannerhooks.validators: the module has no `processors`"),
        ("typo_hooks", "--processors typo_hooks: processor typo_hooks.<lambda>: no model named 'projet'"),
        ("broken_hooks", "--processors broken_hooks: importing it failed: ZeroDivisionError: division by zero"),
    ],
)
def test_a_processors_module_that_does_not_fit_is_one_line(
    cli: Cli, tmp_path: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch, module: str, problem: str
) -> None:
    (tmp_path / "typo_hooks.py").write_text(
        "from plannerserver.processors import Processors\n"
        "processors = Processors()\n"
        "processors.before('projet', 'list')(lambda ctx: None)\n"
    )
    (tmp_path / "broken_hooks.py").write_text("1 / 0\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    db = tmp_path / "planner.db"
    port = str(_free_port())
    run = cli(
        "serve",
        *PLANNER,
        "--db",
        str(db),
        "--encryption-key-file",
        str(key_file),
        "--processors",
        module,
        "--port",
        port,
    )
    assert run.code == 1 and "Traceback" not in run.err
    assert run.err.splitlines()[-1].startswith(f"specgen serve: {problem}"), run.err


def test_serve_runs_the_processors_module(tmp_path: Path, key_file: Path) -> None:
    tokens = tmp_path / "tokens.yaml"
    tokens.write_text(f"- token: {TOKEN}\n  namespaces: [/]\n")
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "generator",
        "serve",
        *PLANNER,
        "--db",
        str(tmp_path / "planner.db"),
        "--tokens",
        str(tokens),
        "--encryption-key-file",
        str(key_file),
        "--processors",
        "plannerhooks.processors",
        "--port",
        str(port),
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    headers = {"Authorization": f"Bearer {TOKEN}", "X-Namespace": "/acme"}
    url = f"http://127.0.0.1:{port}"
    # From the folder that holds plannerhooks, as a user serves from their project's root.
    with subprocess.Popen(
        command, cwd=WHOLE_API, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as process:
        try:
            _wait_for(f"{url}/projects", process)
            created = httpx.post(f"{url}/projects", headers=headers, json={"name": "old", "archived": True})
            assert created.status_code == 201, created.text
            assert httpx.get(f"{url}/projects", headers=headers).json() == []  # the archived processor
            everything = httpx.get(f"{url}/projects", headers=headers, params={"archived": "include"}).json()
            assert [p["name"] for p in everything] == ["old"]
        finally:
            process.terminate()
            process.wait(timeout=10)
