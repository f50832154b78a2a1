"""The Planner (tests/golden/whole_api), served by uvicorn on loopback: relations three levels
deep, secrets, hidden, transient and encrypted attributes, custom parameters and the processors
of tests/golden/whole_api/plannerhooks, validators with nested paths, indexes.

One server for the module; each test works in a namespace of its own.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import GOLDEN
from tests.server.conftest import ACME_TOKEN, TOKEN, Live, serve

WHOLE_API = GOLDEN / "whole_api"
for folder in (WHOLE_API / "expected" / "python", WHOLE_API):  # the packages, and plannerhooks
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from plannerhooks import validators  # noqa: E402
from plannerhooks.processors import processors  # noqa: E402
from plannerserver import Processors, Store, StoreError  # noqa: E402
from plannerserver import Tokens as PlannerTokens  # noqa: E402
from plannerserver.app import create_app  # noqa: E402

KEY = bytes.fromhex("00112233445566778899aabbccddeeff" * 2)
SECRET = "webhook-s3cr3t-d0-n0t-l3ak"
NOTE = "the launch code is 0451"
PASSWORD = "hunter2-hunter2"
ERROR_KEYS = {"code", "title", "description", "subject", "data"}


def planner_tokens() -> Any:
    return PlannerTokens.from_data(
        [
            {"token": TOKEN, "claims": ["@auth:subject=root"], "namespaces": ["/"]},
            {"token": ACME_TOKEN, "claims": {"subject": "acme"}, "namespaces": ["/acme"]},
        ]
    )


@pytest.fixture(scope="module")
def planner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    store = Store(tmp_path_factory.mktemp("planner") / "planner.db", encryption_key=KEY)
    yield from serve(store, app=create_app(store, planner_tokens(), processors=processors))
    store.close()


@pytest.fixture
def client(planner: Live) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=planner.url, timeout=10) as http:
        yield http


@pytest.fixture
def ns(request: pytest.FixtureRequest) -> str:
    """A namespace of the test's own, below /acme."""
    return "/acme/" + re.sub(r"[^A-Za-z0-9.-]+", "-", request.node.name).strip("-")


def h(namespace: str, token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "X-Namespace": namespace}


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def errors(response: httpx.Response, status: int) -> list[dict[str, Any]]:
    """The documented error array, each error with the status as its code."""
    assert response.status_code == status, response.text
    assert b"Traceback" not in response.content
    found: list[dict[str, Any]] = response.json()
    assert isinstance(found, list) and found
    for error in found:
        assert set(error) == ERROR_KEYS and error["code"] == status and error["description"], error
    return found


def project(client: httpx.Client, ns: str, name: str = "launch", **extra: Any) -> dict[str, Any]:
    created: dict[str, Any] = ok(client.post("/projects", headers=h(ns), json={"name": name, **extra}), 201)
    return created


def tasklist(client: httpx.Client, ns: str, project_id: str, title: str = "Backlog") -> dict[str, Any]:
    created: dict[str, Any] = ok(
        client.post(f"/projects/{project_id}/lists", headers=h(ns), json={"title": title}), 201
    )
    return created


def task(client: httpx.Client, ns: str, list_id: str, title: str = "Ship it", **extra: Any) -> dict[str, Any]:
    created: dict[str, Any] = ok(
        client.post(f"/lists/{list_id}/tasks", headers=h(ns), json={"title": title, **extra}), 201
    )
    return created


def activities(client: httpx.Client, ns: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = ok(client.get("/activities", headers=h(ns), params={"pagesize": 1000}))
    return found


def database_bytes(live: Live) -> bytes:
    """Everything SQLite has written for the database: the file and its write-ahead log."""
    path = Path(live.store.path)
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


# -- relations -------------------------------------------------------------------------------


def test_three_levels_list_and_create_under_each_parent(client: httpx.Client, ns: str) -> None:
    launch, other = project(client, ns, "launch"), project(client, ns, "other")
    backlog = tasklist(client, ns, launch["ID"], "Backlog")
    tasklist(client, ns, launch["ID"], "Doing")
    tasklist(client, ns, other["ID"], "Elsewhere")
    first = task(client, ns, backlog["ID"], "Write the tests", priority=3)
    task(client, ns, backlog["ID"], "Ship it", priority=5)
    task(client, ns, backlog["ID"], "Celebrate", priority=0)

    lists = client.get(f"/projects/{launch['ID']}/lists", headers=h(ns), params={"order": "title"})
    assert [item["title"] for item in ok(lists)] == ["Backlog", "Doing"]
    assert lists.headers["X-Count-Total"] == "2"
    window = {"last": "1h"}
    tasks = client.get(f"/lists/{backlog['ID']}/tasks", headers=h(ns), params=window)
    assert [item["title"] for item in ok(tasks)] == ["Ship it", "Write the tests", "Celebrate"]  # -priority, title
    assert tasks.headers["X-Count-Total"] == "3"
    # q, order and paging as on any list; the count is of every match.
    page = client.get(
        f"/lists/{backlog['ID']}/tasks",
        headers=h(ns),
        params={**window, "q": 'title != "Celebrate"', "order": "title", "pagesize": 1, "page": 2},
    )
    assert [item["title"] for item in ok(page)] == ["Write the tests"]
    assert page.headers["X-Count-Total"] == "2"
    # Each object is also reachable by its own identifier; links are never on the wire.
    assert ok(client.get(f"/tasks/{first['ID']}", headers=h(ns)))["title"] == "Write the tests"
    assert ok(client.get(f"/lists/{backlog['ID']}", headers=h(ns)))["title"] == "Backlog"
    assert not any(key.startswith("_") for item in ok(tasks) for key in item)
    # A parent's children are its own: the other project's list is not among them.
    assert ok(client.get(f"/projects/{other['ID']}/lists", headers=h(ns)))[0]["title"] == "Elsewhere"
    # recursive=true from above finds the same children, and sees the parent below.
    above = client.get(f"/projects/{launch['ID']}/lists", headers=h("/acme"), params={"recursive": "true"})
    assert ok(above) and above.headers["X-Count-Total"] == "2"
    # The routes a relation does not have answer 405 in the documented shape.
    errors(client.put(f"/projects/{launch['ID']}/lists", headers=h(ns), json={}), 405)
    # A top-level list of a model that lives only under parents does not exist.
    errors(client.get("/lists", headers=h(ns)), 404)


def test_a_parent_in_another_namespace_is_not_found(client: httpx.Client, ns: str) -> None:
    elsewhere = f"{ns}/dev"
    launch = project(client, elsewhere)
    backlog = tasklist(client, elsewhere, launch["ID"])
    for response in (
        client.get(f"/projects/{launch['ID']}/lists", headers=h(ns)),
        client.post(f"/projects/{launch['ID']}/lists", headers=h(ns), json={"title": "Sneaky"}),
        client.get(f"/lists/{backlog['ID']}/tasks", headers=h("/other"), params={"last": "1h"}),
        client.post(f"/lists/{backlog['ID']}/tasks", headers=h("/other"), json={"title": "Sneaky"}),
        client.get("/projects/no-such-project/lists", headers=h(ns)),
    ):
        (error,) = errors(response, 404)
        assert error["description"].startswith(("no project with ID", "no list with ID")), error
    # Nothing was created under it from the wrong namespace; the refusals are logged.
    assert len(ok(client.get(f"/projects/{launch['ID']}/lists", headers=h(elsewhere)))) == 1
    refused = [a for a in activities(client, ns) if a.get("error")]
    assert [a["targetIdentity"] for a in refused] == ["list"]
    # Another token's namespaces are not reachable at all.
    errors(client.get(f"/projects/{launch['ID']}/lists", headers=h("/other", ACME_TOKEN)), 403)


def test_deleting_a_parent_leaves_its_children(client: httpx.Client, ns: str, planner: Live) -> None:
    launch = project(client, ns)
    backlog = tasklist(client, ns, launch["ID"])
    # The Planner's processor refuses while the project has lists, unless force=true.
    (refused,) = errors(client.delete(f"/projects/{launch['ID']}", headers=h(ns)), 409)
    assert refused["data"] == {"lists": 1} and "force=true" in refused["description"]
    assert ok(client.get(f"/projects/{launch['ID']}", headers=h(ns)))["ID"] == launch["ID"]
    errors(client.delete(f"/projects/{launch['ID']}", headers=h(ns), params={"force": "yes"}), 400)
    gone = ok(client.delete(f"/projects/{launch['ID']}", headers=h(ns), params={"force": "true"}))
    assert gone["ID"] == launch["ID"]
    # The list stays, reachable by its identifier, and belongs to no project any more.
    assert ok(client.get(f"/lists/{backlog['ID']}", headers=h(ns)))["title"] == "Backlog"
    errors(client.get(f"/projects/{launch['ID']}/lists", headers=h(ns)), 404)
    with sqlite3.connect(planner.store.path) as conn:
        (link,) = conn.execute('SELECT "_parent_project" FROM list WHERE id = ?', (backlog["ID"],)).fetchone()
    assert link is None
    # A project without lists is deleted at once.
    empty = project(client, ns, "empty")
    ok(client.delete(f"/projects/{empty['ID']}", headers=h(ns)))
    logged = [
        (a["operation"], bool(a.get("error"))) for a in activities(client, ns) if a["targetIdentity"] == "project"
    ]
    assert sorted(logged) == [
        ("create", False),
        ("create", False),
        ("delete", False),
        ("delete", False),
        ("delete", True),
    ]


# -- visibility -----------------------------------------------------------------------------


def test_a_secret_is_never_returned_nor_logged(
    client: httpx.Client, ns: str, planner: Live, capfd: pytest.CaptureFixture[str]
) -> None:
    launch = project(client, ns, webhookSecret=SECRET)
    answers = [json.dumps(launch)]
    answers.append(client.get(f"/projects/{launch['ID']}", headers=h(ns)).text)
    answers.append(client.get("/projects", headers=h(ns), params={"archived": "include"}).text)
    updated = client.put(f"/projects/{launch['ID']}", headers=h(ns), json={"name": "renamed"})
    answers.append(updated.text)
    # A refused write (the name breaks its validator) with the secret in its body.
    refused = client.post("/projects", headers=h(ns), json={"name": "Not A Slug", "webhookSecret": SECRET})
    errors(refused, 422)
    answers.append(refused.text)
    # A unique clash names the attribute, never the value of a secret (none is unique here: the name is).
    answers.append(client.post("/projects", headers=h(ns), json={"name": "renamed", "webhookSecret": SECRET}).text)
    answers.append(client.get("/activities", headers=h(ns)).text)
    for text in answers:
        assert SECRET not in text and "webhookSecret" not in text, text
    assert all(a["operation"] != "create" or "webhookSecret" not in json.dumps(a) for a in activities(client, ns))
    out, err = capfd.readouterr()
    assert SECRET not in out + err
    # The store keeps it: the update that left it out kept it, and a null clears it.
    with sqlite3.connect(planner.store.path) as conn:
        stored = conn.execute('SELECT "webhook_secret" FROM project WHERE id = ?', (launch["ID"],)).fetchone()
        assert stored == (SECRET,)
        ok(client.put(f"/projects/{launch['ID']}", headers=h(ns), json={"name": "renamed", "webhookSecret": None}))
        stored = conn.execute('SELECT "webhook_secret" FROM project WHERE id = ?', (launch["ID"],)).fetchone()
        assert stored == (None,)
    # A secret sent on update is validated like any value, and still never told back.
    (short,) = errors(
        client.put(f"/projects/{launch['ID']}", headers=h(ns), json={"name": "x", "webhookSecret": "short"}), 422
    )
    assert short["data"] == {"attribute": "webhookSecret"} and "short" not in short["description"]


def test_a_hidden_attribute_is_refused_on_input_and_kept(client: httpx.Client, ns: str, planner: Live) -> None:
    (error,) = errors(client.post("/projects", headers=h(ns), json={"name": "launch", "internalScore": 9}), 422)
    assert error["data"] == {"attribute": "internalScore"}
    launch = project(client, ns)
    assert "internalScore" not in launch
    with sqlite3.connect(planner.store.path) as conn:
        assert conn.execute("SELECT internal_score FROM project WHERE id = ?", (launch["ID"],)).fetchone() == (0,)
        conn.execute("UPDATE project SET internal_score = 7 WHERE id = ?", (launch["ID"],))
    errors(client.put(f"/projects/{launch['ID']}", headers=h(ns), json={"name": "x", "internalScore": 1}), 422)
    updated = ok(client.put(f"/projects/{launch['ID']}", headers=h(ns), json={"name": "renamed"}))
    assert "internalScore" not in updated and "internalScore" not in client.get("/projects", headers=h(ns)).text
    with sqlite3.connect(planner.store.path) as conn:  # the update kept what only the server sets
        assert conn.execute("SELECT internal_score FROM project WHERE id = ?", (launch["ID"],)).fetchone() == (7,)
    # Clients cannot filter or order on it, nor learn it exists.
    (unknown,) = errors(client.get("/projects", headers=h(ns), params={"q": "internalScore == 7"}), 400)
    assert "unknown attribute" in unknown["description"]
    assert "internalScore" not in unknown["description"].partition("filterable attributes:")[2]
    errors(client.get("/projects", headers=h(ns), params={"order": "internalScore"}), 400)


def test_a_transient_attribute_is_returned_by_the_write_and_never_stored(
    client: httpx.Client, ns: str, planner: Live
) -> None:
    backlog = tasklist(client, ns, project(client, ns)["ID"])
    created = task(client, ns, backlog["ID"], notify=True)
    assert created["notify"] is True
    assert "notify" not in ok(client.get(f"/tasks/{created['ID']}", headers=h(ns)))
    updated = ok(client.put(f"/tasks/{created['ID']}", headers=h(ns), json={"title": "Ship it", "notify": False}))
    assert updated["notify"] is False
    with sqlite3.connect(planner.store.path) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(task)")]
    assert "notify" not in columns


def test_omit_empty_and_nested_secrets_in_every_answer(client: httpx.Client, ns: str) -> None:
    backlog = tasklist(client, ns, project(client, ns)["ID"])
    reviewer = {"email": "alice@example.com", "password": PASSWORD}
    created = task(client, ns, backlog["ID"], labels=[], grid=[], priority=0, reviewer=reviewer, privateNote="")
    listed = ok(client.get(f"/lists/{backlog['ID']}/tasks", headers=h(ns), params={"last": "1h"}))
    retrieved = ok(client.get(f"/tasks/{created['ID']}", headers=h(ns)))
    for answer in (created, listed[0], retrieved):
        assert "labels" not in answer and "grid" not in answer and "privateNote" not in answer, answer
        assert answer["priority"] == 0  # not omit_empty: a zero is a value
        assert answer["reviewer"] == {"email": "alice@example.com"}  # the nested user's password left out
    for activity in activities(client, ns):
        assert PASSWORD not in json.dumps(activity)


def test_a_write_answers_what_a_retrieve_and_a_list_answer(client: httpx.Client, ns: str) -> None:
    """The write's answer is built in Python, lists and retrieves in SQL: the same object either way."""
    backlog = tasklist(client, ns, project(client, ns)["ID"])
    body: dict[str, Any] = {
        "status": "doing",
        "labels": [{"name": "urgent", "color": "red"}, {"name": "later"}],
        "checklist": [{"text": "plan", "done": True, "steps": [{"text": "think"}]}],
        "firstStep": {"text": "plan"},
        "estimate": {"hours": 3, "by": {"code": 2.5}},
        "owners": {"code": ["alice"], "review": []},
        "grid": [[1, 2], [3]],
        "labelByName": {"urgent": {"name": "urgent"}},
        "start": "2024-06-03T10:00:00.250Z",
        "due": "2024-06-04T12:00:00+02:00",
        "privateNote": NOTE,
    }
    created = task(client, ns, backlog["ID"], **body)
    retrieved = ok(client.get(f"/tasks/{created['ID']}", headers=h(ns)))
    (listed,) = ok(client.get(f"/lists/{backlog['ID']}/tasks", headers=h(ns), params={"last": "1h"}))
    assert created == retrieved == listed
    assert retrieved["start"] == "2024-06-03T10:00:00.250000Z" and retrieved["due"] == "2024-06-04T10:00:00Z"
    updated = ok(client.put(f"/tasks/{created['ID']}", headers=h(ns), json={**body, "title": "Renamed"}))
    assert updated == ok(client.get(f"/tasks/{created['ID']}", headers=h(ns)))


def test_an_encrypted_attribute_is_unreadable_in_the_database(client: httpx.Client, ns: str, planner: Live) -> None:
    backlog = tasklist(client, ns, project(client, ns)["ID"])
    created = task(
        client, ns, backlog["ID"], privateNote=NOTE, reviewer={"email": "bob@example.com", "password": PASSWORD}
    )
    assert ok(client.get(f"/tasks/{created['ID']}", headers=h(ns)))["privateNote"] == NOTE
    user = ok(client.post("/users", headers=h(ns), json={"email": "carol@example.com", "password": PASSWORD}), 201)
    assert "password" not in user and "password" not in client.get(f"/users/{user['ID']}", headers=h(ns)).text
    with sqlite3.connect(planner.store.path) as conn:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
        # The reviewer holds a user, whose password is encrypted: the whole value is sealed.
        (reviewer,) = conn.execute("SELECT reviewer FROM task WHERE id = ?", (created["ID"],)).fetchone()
    assert isinstance(reviewer, bytes) and b"bob@example.com" not in reviewer
    raw = database_bytes(planner)
    assert created["ID"].encode() in raw  # the file is readable: what is not encrypted is there
    for plain in (NOTE, PASSWORD):  # nor is it copied into the activity log, which is not encrypted
        assert plain.encode() not in raw, plain
    # An update keeps it readable, under a fresh nonce.
    ok(client.put(f"/tasks/{created['ID']}", headers=h(ns), json={"title": "Ship it", "privateNote": NOTE + "!"}))
    assert ok(client.get(f"/tasks/{created['ID']}", headers=h(ns)))["privateNote"] == NOTE + "!"


def test_the_store_refuses_to_open_without_its_key_or_with_another(tmp_path: Path) -> None:
    path = tmp_path / "planner.db"
    with pytest.raises(StoreError, match="task, user keep encrypted attributes"):
        Store(path)
    Store(path, encryption_key=KEY).close()
    with pytest.raises(StoreError, match="not the one this database was written with"):
        Store(path, encryption_key=bytes(32))
    with pytest.raises(StoreError, match="32 bytes"):
        Store(path, encryption_key=b"short")


# -- parameters and processors --------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/projects", {"archived": "maybe"}, "archived"),
        ("/projects", {"archived": ["include", "only"]}, "archived"),
        ("/projects", {"shout": "true"}, "shout"),
        ("/tasks/{task}", {"shout": "loudly"}, "shout"),
        ("/lists/{list}/tasks", {}, "since"),
        ("/lists/{list}/tasks", {"since": "2024-01-01T00:00:00Z"}, "until"),
        ("/lists/{list}/tasks", {"until": "2024-01-01T00:00:00Z"}, "since"),
        ("/lists/{list}/tasks", {"last": "a day"}, "last"),
        ("/lists/{list}/tasks", {"last": "99999999999999999999d"}, "last"),
        ("/lists/{list}/tasks", {"since": "yesterday", "until": "2024-01-01"}, "since"),
        ("/lists/{list}/tasks", {"last": ["1h", "2h"]}, "last"),
    ],
)
def test_custom_parameters_are_validated(
    client: httpx.Client, ns: str, path: str, params: dict[str, Any], parameter: str
) -> None:
    backlog = tasklist(client, ns, project(client, ns)["ID"])
    one = task(client, ns, backlog["ID"])
    url = path.format(task=one["ID"], list=backlog["ID"])
    (error,) = errors(client.get(url, headers=h(ns), params=params), 400)
    assert error["data"]["parameter"] == parameter and repr(parameter) in error["description"], error


def test_custom_parameters_on_writes(client: httpx.Client, ns: str) -> None:
    launch = project(client, ns)
    (error,) = errors(client.delete(f"/projects/{launch['ID']}", headers=h(ns), params={"force": "1"}), 400)
    assert error["data"] == {"parameter": "force"}
    (error,) = errors(client.post("/projects", headers=h(ns), params={"force": "true"}, json={"name": "x"}), 400)
    assert "this endpoint takes: none" in error["description"]
    (error,) = errors(client.delete(f"/projects/{launch['ID']}", headers=h(ns), params={"hard": "true"}), 400)
    assert "this endpoint takes: force" in error["description"]


def test_a_processor_implements_shout(client: httpx.Client, ns: str, planner: Live) -> None:
    backlog = tasklist(client, ns, project(client, ns)["ID"])
    created = task(client, ns, backlog["ID"], "Ship it")
    assert ok(client.get(f"/tasks/{created['ID']}", headers=h(ns), params={"shout": "true"}))["title"] == "SHIP IT"
    assert ok(client.get(f"/tasks/{created['ID']}", headers=h(ns), params={"shout": "false"}))["title"] == "Ship it"
    assert ok(client.get(f"/tasks/{created['ID']}", headers=h(ns)))["title"] == "Ship it"
    with sqlite3.connect(planner.store.path) as conn:
        assert conn.execute("SELECT title FROM task WHERE id = ?", (created["ID"],)).fetchone() == ("Ship it",)


def test_a_processor_implements_archived(client: httpx.Client, ns: str) -> None:
    project(client, ns, "live")
    project(client, ns, "old", archived=True)

    def names(**params: str) -> tuple[list[str], str]:
        response = client.get("/projects", headers=h(ns), params=params)
        return [p["name"] for p in ok(response)], response.headers["X-Count-Total"]

    assert names() == (["live"], "1")  # the spec's default: exclude
    assert names(archived="include") == (["live", "old"], "2")
    assert names(archived="only") == (["old"], "1")
    assert names(archived="include", q='name == "old"') == (["old"], "1")


def test_a_processor_implements_the_window(client: httpx.Client, ns: str) -> None:
    backlog = tasklist(client, ns, project(client, ns)["ID"])
    task(client, ns, backlog["ID"])
    url = f"/lists/{backlog['ID']}/tasks"
    assert len(ok(client.get(url, headers=h(ns), params={"last": "1d"}))) == 1
    old = {"since": "2000-01-01T00:00:00Z", "until": "2000-12-31"}
    assert ok(client.get(url, headers=h(ns), params=old)) == []
    wide = {"since": "2000-01-01", "until": "9999-12-31T23:59:59Z"}
    assert len(ok(client.get(url, headers=h(ns), params=wide))) == 1


def test_processors_for_what_the_api_does_not_have_are_refused(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.db", encryption_key=KEY)
    try:
        typo = Processors()
        typo.before("tasks", "list")(lambda ctx: None)
        with pytest.raises(ValueError, match="no model named 'tasks'"):
            create_app(store, planner_tokens(), processors=typo)
        not_allowed = Processors()
        not_allowed.after("user", "delete")(lambda ctx: None)
        with pytest.raises(ValueError, match="user does not allow delete"):
            create_app(store, planner_tokens(), processors=not_allowed)
    finally:
        store.close()


# -- validation, indexes --------------------------------------------------------------------


def test_the_function_validators_are_the_planners() -> None:
    saturday = datetime(2024, 6, 1, tzinfo=UTC)
    assert validators.weekday(saturday) == "must fall on a weekday, not a Saturday"
    assert validators.weekday(saturday + timedelta(days=2)) is None


def test_validator_errors_name_nested_paths(client: httpx.Client, ns: str) -> None:
    backlog = tasklist(client, ns, project(client, ns)["ID"])
    body = {
        "title": "Ship it",
        "labels": [{"name": "ok"}, {"name": "x" * 40}],
        "checklist": [{"text": "step", "steps": [{"text": "sub", "steps": [{"text": ""}]}]}],
        "firstStep": {"done": "yes"},
        "owners": {"code": ["alice", 3]},
        "start": "2024-06-03T10:00:00Z",  # a Monday
        "due": "2024-06-01T10:00:00Z",  # a Saturday, and before the start
    }
    found = errors(client.post(f"/lists/{backlog['ID']}/tasks", headers=h(ns), json=body), 422)
    paths = {e["data"]["attribute"] for e in found}
    assert {
        "labels[1].name",
        "checklist[0].steps[0].steps[0].text",
        "firstStep.done",
        "owners.code[1]",
        "due",
        "start",
    } <= paths, paths
    assert ok(client.get(f"/lists/{backlog['ID']}/tasks", headers=h(ns), params={"last": "1h"})) == []


def test_the_spec_indexes_are_in_the_database_and_used(planner: Live) -> None:
    with sqlite3.connect(planner.store.path) as conn:
        indexes = {name: sql for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")}
        assert "task_index_namespace_status" not in indexes  # the same keys as the index every filter uses
        assert indexes["task_by_status"].endswith('("namespace", "status")')
        expression = indexes["task_index_namespace_estimate_hours"]
        assert "json_extract(\"estimate\", '$.hours')" in expression
        assert indexes["task_under_list"].endswith('("_parent_list", "namespace")')
        plan = " ".join(
            str(row[-1])
            for row in conn.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM task WHERE namespace = ? AND json_extract(\"estimate\", '$.hours') > ?",
                ("/acme", 2),
            )
        )
    assert "task_index_namespace_estimate_hours" in plan, plan


def test_a_database_without_a_spec_index_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "planner.db"
    Store(path, encryption_key=KEY).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX task_index_namespace_estimate_hours")
        conn.execute(
            "CREATE INDEX task_index_namespace_estimate_hours ON task (namespace, json_extract(estimate, '$.minutes'))"
        )
    with pytest.raises(StoreError, match="table task is not what the spec wants: its indexes"):
        Store(path, encryption_key=KEY)


def test_processor_filters_on_a_path_use_its_index(tmp_path: Path) -> None:
    """A filter on a path inside a JSON attribute (from a processor: estimate is not filterable
    by clients) compiles to the expression of the spec's index."""
    from plannerserver.params import parse_list
    from plannerserver.resources import task

    store = Store(tmp_path / "p.db", encryption_key=KEY)
    try:
        query = parse_list([], task.TABLE).narrowed(task.TABLE, ["estimate.hours > 2"])
        conn = sqlite3.connect(store.path)
        plan = " ".join(
            str(row[-1])
            for row in conn.execute(
                f"EXPLAIN QUERY PLAN SELECT id FROM task WHERE namespace = ? AND {query.where}",
                ["/acme", *query.params],
            )
        )
        conn.close()
        assert "task_index_namespace_estimate_hours" in plan, plan
        with pytest.raises(ValueError, match="with no members"):
            parse_list([], task.TABLE).narrowed(task.TABLE, ["title.x == 1"])
    finally:
        store.close()
