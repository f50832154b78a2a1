"""The whole_api golden's client builds the requests its document describes: children under their
parents, the spec's own parameters, bodies with only what an operation takes.

Its server is being rewritten for these constructs, so the requests are checked here against
httpx's mock transport; the same paths and parameters are those of its openapi.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.conftest import GOLDEN

EXPECTED = GOLDEN / "whole_api" / "expected"
if str(EXPECTED / "python") not in sys.path:
    sys.path.insert(0, str(EXPECTED / "python"))

from plannerclient import Client  # noqa: E402
from plannermodels import Project, Task  # noqa: E402

PROJECT = {"ID": "p1", "namespace": "/acme", "name": "launch", "archived": False}
LIST = {"ID": "l1", "namespace": "/acme", "title": "Backlog"}
TASK = {"ID": "t1", "namespace": "/acme", "title": "Ship it", "status": "todo", "priority": 1}


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        answer: Any = TASK if "/tasks" in path else LIST if "/lists" in path else PROJECT
        if request.method == "GET" and not path.rstrip("/").split("/")[-1].startswith(("p1", "l1", "t1")):
            return httpx.Response(200, json=[answer], headers={"X-Count-Total": "1"})
        return httpx.Response(201 if request.method == "POST" else 200, json=answer)

    def last(self) -> tuple[str, str, list[tuple[str, str]], Any]:
        request = self.requests[-1]
        body = json.loads(request.content) if request.content else None
        path = request.url.raw_path.decode("ascii").split("?", 1)[0]  # as sent: escapes kept
        return request.method, path, list(request.url.params.multi_items()), body


@pytest.fixture
def recorded() -> tuple[Client, Recorder]:
    recorder = Recorder()
    client = Client(
        "http://planner.test", namespace="/acme", token="t", http=httpx.Client(transport=httpx.MockTransport(recorder))
    )
    return client, recorder


def test_children_are_listed_and_created_under_their_parent(recorded: tuple[Client, Recorder]) -> None:
    client, recorder = recorded
    lists = list(client.projects.lists("p/1").list(order="-title", page_size=10))
    assert [type(x).__name__ for x in lists] == ["TaskList"]
    assert recorder.last()[:3] == (
        "GET",
        "/projects/p%2F1/lists",
        [("order", "-title"), ("page", "1"), ("pagesize", "10")],
    )
    made = client.lists.tasks("l1").create(Task(title="Ship it", id="read-only-so-not-sent", priority=3))
    assert made.id == "t1"
    method, path, params, body = recorder.last()
    assert (method, path, params) == ("POST", "/lists/l1/tasks", [])
    assert body["title"] == "Ship it" and body["priority"] == 3 and "ID" not in body


def test_the_specs_own_parameters_reach_the_query(recorded: tuple[Client, Recorder]) -> None:
    client, recorder = recorded
    since = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    list(client.lists.tasks("l1").list(since=since, last="24h", q='status == "todo"'))
    assert recorder.last()[2] == [
        ("q", 'status == "todo"'),
        ("since", "2024-01-02T03:04:05Z"),
        ("last", "24h"),
        ("page", "1"),
        ("pagesize", "100"),
    ]
    list(client.projects.list(archived="only"))
    assert recorder.last()[2][0] == ("archived", "only")
    client.projects.delete("p1", force=True)
    assert recorder.last()[:3] == ("DELETE", "/projects/p1", [("force", "true")])
    client.tasks.get("t1", shout=False)
    assert recorder.last()[:3] == ("GET", "/tasks/t1", [("shout", "false")])


def test_an_update_sends_what_an_update_takes_to_the_objects_own_path(recorded: tuple[Client, Recorder]) -> None:
    client, recorder = recorded
    project = Project(id="p1", namespace="/acme", name="launch", webhook_secret="s" * 20, internal_score=9)
    client.projects.update(project)
    method, path, _, body = recorder.last()
    assert (method, path) == ("PUT", "/projects/p1")
    # The secret is sent (write-only), the hidden and read-only attributes never are.
    assert body == {"name": "launch", "archived": False, "webhookSecret": "s" * 20}
    with pytest.raises(ValueError, match="ID"):
        client.projects.update(Project(name="no-id"))


def test_private_models_are_left_out_of_the_client() -> None:
    client = Client("http://planner.test", namespace="/acme")
    assert not hasattr(client, "users")
    assert {"activities", "projects", "lists", "tasks"} <= set(vars(client))
    client.close()


def _plannerctl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plannerclient", *args],
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(EXPECTED / "python"),
            "PYTHONDONTWRITEBYTECODE": "1",  # the golden folder stays as it is
            "COLUMNS": "200",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_command_line_names_models_by_alias_and_shows_relations_and_parameters() -> None:
    listing = _plannerctl("api", "list", "--help")
    assert listing.returncode == 0
    assert [line.split()[0] for line in listing.stdout.split("Commands:")[1].strip().splitlines()] == [
        "activities",
        "lists",
        "projects",
        "tasks",
    ]  # users is private: not in the command line either
    by_alias = _plannerctl("api", "get", "proj", "--help")
    assert by_alias.returncode == 0 and "A project, the top of the tree." in by_alias.stdout
    tasks = _plannerctl("api", "list", "tasks", "--help")
    assert "--parent MODEL ID" in tasks.stdout
    assert "--since TIME" in tasks.stdout and "--last DURATION" in tasks.stdout
    assert "Lists the tasks of a list. (under a list)" in tasks.stdout
    needs_parent = _plannerctl("api", "list", "tasks", "--url", "http://127.0.0.1:9", "-n", "/acme")
    assert needs_parent.returncode == 2 and "--parent" in needs_parent.stderr
    delete = _plannerctl("api", "delete", "project", "--help")
    assert "--force / --no-force" in delete.stdout
    create = _plannerctl("api", "create", "project", "--help")
    assert (
        "* name (string)" in create.stdout and "webhookSecret" in create.stdout and "internalScore" not in create.stdout
    )
    private = _plannerctl("api", "list", "users")
    assert private.returncode == 2 and "no model 'users'" in private.stderr
