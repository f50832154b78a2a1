"""The generated clients against a live ``specgen serve``: what they give is what the API answers.

Squall's (a read-only log, seeded with make serve's sample data) is held to plain HTTP
requests: the same objects, in the same order, across pages, filtered, counted; the kitchen
sink's creates, updates and deletes. Their command lines run as a user runs them (``python -m``
in a subprocess): output, exit codes and messages.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.conftest import GENERATED, GOLDEN, ROOT, SPECS
from tests.live_serve import Live, free_port, serving

KITCHEN = GOLDEN / "kitchen_sink"
for folder in (GENERATED / "python", KITCHEN / "expected" / "python"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import sinkclient  # noqa: E402
from sinkmodels import Widget  # noqa: E402
from squallclient import (  # noqa: E402
    AsyncClient,
    BadRequest,
    Client,
    ConfigurationError,
    NotFound,
    Unauthorized,
    Unreachable,
)
from squallmodels import Activity  # noqa: E402

NAMESPACE = "/acme"


@pytest.fixture(scope="module")
def squall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("squall")
    with serving(SPECS, GENERATED, folder, seed=ROOT / "examples" / "activities.jsonl") as live:
        yield live


@pytest.fixture(scope="module")
def sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with serving(KITCHEN / "specs", KITCHEN / "expected", tmp_path_factory.mktemp("sink")) as live:
        yield live


def raw(live: Live, path: str, namespace: str = NAMESPACE, **params: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {live.token}", "X-Namespace": namespace}
    return httpx.get(live.url + path, headers=headers, params=params, timeout=10)


def client(live: Live, **overrides: Any) -> Client:
    return Client(live.url, **{"namespace": NAMESPACE, "token": live.token, **overrides})


# -- the library -----------------------------------------------------------------------------


def test_a_listing_gives_every_object_page_after_page_as_the_api_orders_them(squall: Live) -> None:
    everything = raw(squall, "/activities", pagesize="1000")
    with client(squall) as c:
        listing = c.activities.list(page_size=7)
        assert listing.total == int(everything.headers["X-Count-Total"]) == len(everything.json()) == 67
        objects = list(listing)
    assert all(isinstance(obj, Activity) for obj in objects)
    assert [obj.to_dict() for obj in objects] == [Activity.from_dict(o).to_dict() for o in everything.json()]


def test_filters_orders_and_recursion_reach_the_api(squall: Live) -> None:
    q = ['operation == "create"', 'targetIdentity == "namespace"']
    expected = raw(squall, "/activities", q=q, order=["targetIdentity", "-ID"], recursive="true", pagesize="1000")
    with client(squall) as c:
        got = c.activities.list(q=q, order=["targetIdentity", "-ID"], recursive=True, page_size=50)
        assert [a.id for a in got] == [o["ID"] for o in expected.json()]
        assert c.activities.count(q=q, recursive=True) == int(expected.headers["X-Count-Total"])
        assert c.activities.count(recursive=True) == 360
        assert len(list(c.activities.list(limit=5))) == 5


def test_get_gives_the_object_and_errors_are_typed_with_the_error_array(squall: Live) -> None:
    first = raw(squall, "/activities", pagesize="1").json()[0]
    with client(squall) as c:
        assert c.activities.get(first["ID"]).to_dict() == Activity.from_dict(first).to_dict()
        with pytest.raises(NotFound) as missing:
            c.activities.get("no-such-id")
        assert missing.value.status == 404 and "no-such-id" in missing.value.errors[0].description
        with pytest.raises(BadRequest) as bad:
            list(c.activities.list(q="operation =="))
        assert bad.value.errors[0].data["parameter"] == "q"
    with client(squall, token="not-a-token-at-all") as refused, pytest.raises(Unauthorized):
        refused.activities.count()


def test_the_settings_come_from_the_environment_the_docs_export(squall: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQUALL_URL", squall.url)
    monkeypatch.setenv("SQUALL_NAMESPACE", "/acme/prod")
    monkeypatch.setenv("SQUALL_TOKEN", squall.token)
    with Client() as c:
        assert c.activities.count() == 64
        assert c.activities.count(namespace="/acme/dev") == 81
    monkeypatch.delenv("SQUALL_URL")
    with pytest.raises(ConfigurationError, match="SQUALL_URL"):
        Client()


def test_the_async_client_gives_the_same(squall: Live) -> None:
    async def run() -> tuple[int, list[str], str]:
        async with AsyncClient(squall.url, namespace=NAMESPACE, token=squall.token) as c:
            listing = c.activities.list(page_size=10, order="-date")
            ids = [a.id async for a in listing if a.id is not None]
            total = await c.activities.count()
            one = await c.activities.get(ids[0])
            return total, ids, one.id or ""

    total, ids, first = asyncio.run(run())
    with client(squall) as c:
        assert ids == [a.id for a in c.activities.list(order="-date")]
    assert total == len(ids) == 67 and first == ids[0]


def test_nothing_listening_is_unreachable_after_the_retries(squall: Live) -> None:
    from squallclient import Retry

    with (
        Client(f"http://127.0.0.1:{free_port()}", namespace="/x", retry=Retry(attempts=2, backoff=0)) as c,
        pytest.raises(Unreachable) as caught,
    ):
        c.activities.count()
    assert caught.value.attempts == 2


def test_create_update_and_delete_go_through_the_model_classes(sink: Live) -> None:
    with sinkclient.Client(sink.url, namespace="/acme/dev", token=sink.token) as c:
        made = c.widgets.create(Widget(name="gizmo", class_="large", field_2fa_code=42, tags=["a"]))
        assert made.id and made.namespace == "/acme/dev" and made.created_at is not None
        assert (made.name, made.class_, made.field_2fa_code, made.tags) == ("gizmo", "large", 42, ["a"])
        # The object as answered goes back: read-only attributes are left out of the update's body.
        made.name = "gizmo-2"
        updated = c.widgets.update(made)
        assert (updated.id, updated.name, updated.field_2fa_code) == (made.id, "gizmo-2", 42)
        assert [w.id for w in c.widgets.list(q=f'ID == "{made.id}"')] == [made.id]
        with pytest.raises(sinkclient.ValidationError) as invalid:
            c.widgets.create({"import": 9.5})
        assert invalid.value.attributes == ["name", "import"]
        assert c.widgets.delete(made.id).name == "gizmo-2"
        with pytest.raises(sinkclient.NotFound):
            c.widgets.get(made.id)


# -- the command line ------------------------------------------------------------------------


def ctl(live: Live, package: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    python = GENERATED / "python" if package.startswith("squall") else KITCHEN / "expected" / "python"
    prefix = "SQUALL" if package.startswith("squall") else "KITCHEN_SINK"
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(python),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",  # the goldens' folders stay as they are
        f"{prefix}_URL": live.url,
        f"{prefix}_TOKEN": live.token,
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", package, *args], env=environment, capture_output=True, text=True, timeout=60, check=False
    )


def test_ctl_lists_what_the_client_lists_as_json_yaml_and_a_table(squall: Live) -> None:
    result = ctl(
        squall, "squallclient", "api", "list", "activities", "-n", NAMESPACE, "--order", "-date", "--limit", "12"
    )
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    with client(squall) as c:
        assert listed == [a.to_dict() for a in c.activities.list(order="-date", limit=12)]
    as_yaml = ctl(squall, "squallclient", "api", "list", "activities", "-n", NAMESPACE, "--limit", "3", "-o", "yaml")
    assert yaml.safe_load(as_yaml.stdout) == json.loads(
        ctl(squall, "squallclient", "api", "list", "activities", "-n", NAMESPACE, "--limit", "3").stdout
    )
    table = ctl(
        squall, "squallclient", "api", "list", "activities", "-n", NAMESPACE, "--limit", "2", "-o", "table",
        "--columns", "ID,operation",
    )  # fmt: skip
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["ID", "operation"] and len(lines) == 3
    assert lines[1].split()[0] == listed[0]["ID"] if listed else True


def test_ctl_count_get_filters_and_aliases(squall: Live) -> None:
    count = ctl(
        squall, "squallclient", "api", "count", "activities", "-n", "/acme", "-q", 'operation == "create"', "-r"
    )
    assert count.returncode == 0 and int(count.stdout) == int(
        raw(squall, "/activities", q='operation == "create"', recursive="true").headers["X-Count-Total"]
    )
    first = raw(squall, "/activities", pagesize="1").json()[0]
    got = ctl(squall, "squallclient", "api", "get", "activity", first["ID"], "-n", NAMESPACE)
    assert got.returncode == 0 and json.loads(got.stdout) == first
    by_category = ctl(squall, "squallclient", "api", "get", "activities", first["ID"], "-n", NAMESPACE)
    assert json.loads(by_category.stdout) == first


def test_ctl_exit_codes_and_messages(squall: Live) -> None:
    missing = ctl(squall, "squallclient", "api", "get", "activity", "nope", "-n", NAMESPACE)
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.startswith("squallctl: 404 Not Found: no activity with ID 'nope'")
    bad_filter = ctl(squall, "squallclient", "api", "list", "activities", "-n", NAMESPACE, "-q", "date >")
    assert bad_filter.returncode == 1 and "400 Bad Request: q: invalid filter" in bad_filter.stderr
    no_url = ctl(squall, "squallclient", "api", "count", "activities", "-n", NAMESPACE, SQUALL_URL="")
    assert no_url.returncode == 2 and "SQUALL_URL" in no_url.stderr
    no_namespace = ctl(squall, "squallclient", "api", "count", "activities")
    assert no_namespace.returncode == 2 and "SQUALL_NAMESPACE" in no_namespace.stderr
    nowhere = ctl(
        squall,
        "squallclient",
        "api",
        "count",
        "activities",
        "-n",
        NAMESPACE,
        "--url",
        f"http://127.0.0.1:{free_port()}",
    )
    assert nowhere.returncode == 3 and "no answer" in nowhere.stderr
    unknown = ctl(squall, "squallclient", "api", "list", "widgets")
    assert unknown.returncode == 2 and "list applies to: activities" in unknown.stderr
    not_orderable = ctl(squall, "squallclient", "api", "list", "activities", "--order", "operation")
    assert not_orderable.returncode == 2  # not a choice: operation is not orderable


def test_ctl_help_tells_each_model_from_its_spec(squall: Live) -> None:
    top = ctl(squall, "squallclient", "--help")
    assert top.returncode == 0 and "The Squall API 1.0 from the command line." in top.stdout
    listing = ctl(squall, "squallclient", "api", "list", "--help")
    assert "activities" in listing.stdout and "Contains all the activity log" in listing.stdout
    one = ctl(squall, "squallclient", "api", "list", "activities", "--help")
    assert "Filterable (--filter): claims, data, date, ID" in one.stdout and "--recursive" in one.stdout
    assert "Orderable" in one.stdout and "operation" not in one.stdout.split("Orderable")[1].split("\n")[0]
    version = ctl(squall, "squallclient", "--version")
    assert version.stdout.strip() == "squallctl 1.0"


def test_ctl_prints_its_shell_completion_and_completes_models(squall: Live) -> None:
    script = ctl(squall, "squallclient", "completion", "bash")
    assert script.returncode == 0 and "_SQUALLCTL_COMPLETE" in script.stdout and "complete " in script.stdout
    # What bash asks when the user presses tab after `squallctl api list act`.
    words = ctl(
        squall, "squallclient", COMP_WORDS="squallctl api list act", COMP_CWORD="3", _SQUALLCTL_COMPLETE="bash_complete"
    )
    assert "plain,activities" in words.stdout.splitlines()


def test_ctl_creates_updates_and_deletes(sink: Live, tmp_path: Path) -> None:
    body = tmp_path / "widget.yaml"
    body.write_text("name: from-a-file\nclass: small\ntags: [x, y]\n", "utf-8")
    made = ctl(sink, "sinkclient", "api", "create", "widget", "-f", str(body), "-n", "/acme")
    assert made.returncode == 0, made.stderr
    widget = json.loads(made.stdout)
    assert (widget["name"], widget["class"], widget["tags"], widget["namespace"]) == (
        "from-a-file",
        "small",
        ["x", "y"],
        "/acme",
    )
    # --set alone changes those attributes and keeps the others.
    updated = ctl(sink, "sinkclient", "api", "update", "widget", widget["ID"], "--set", "import=0.5", "-n", "/acme")
    assert updated.returncode == 0, updated.stderr
    assert json.loads(updated.stdout)["import"] == 0.5 and json.loads(updated.stdout)["tags"] == ["x", "y"]
    refused = ctl(sink, "sinkclient", "api", "create", "widget", "-d", '{"import": 7}', "-n", "/acme")
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[1:] == [
        "  - name: Attribute 'name' is required.",
        "  - import: Attribute 'import' must be at most 1.5.",
    ]
    deleted = ctl(sink, "sinkclient", "api", "delete", "widget", widget["ID"], "-n", "/acme", "-o", "yaml")
    assert deleted.returncode == 0 and yaml.safe_load(deleted.stdout)["ID"] == widget["ID"]
    gone = ctl(sink, "sinkclient", "api", "get", "widget", widget["ID"], "-n", "/acme")
    assert gone.returncode == 1
