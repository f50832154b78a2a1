"""The activity log: every write (and every failed write) on a model is exactly one Activity.

The fixture API (tests/server/logged_specs plus Squall's own activity spec, made writable
here) is generated in the test with the real CLI, then its server is imported and driven
in-process and over uvicorn.
"""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.cli import main
from tests.conftest import SPECS, Locations
from tests.server.conftest import ACME_TOKEN, TOKEN, InProcess, headers, serve

FIXTURE = Path(__file__).resolve().parent / "logged_specs"
ROOT_CLAIMS = ["@auth:subject=root", "@auth:realm=certificate"]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The generated ``ledgerserver`` package (its activity model allows create and delete)."""
    folder = tmp_path_factory.mktemp("ledger")
    specs = folder / "specs"
    shutil.copytree(FIXTURE, specs)
    activity = (SPECS / "activity.spec.yaml").read_text(encoding="utf-8")
    assert "operations: [list, retrieve]\n" in activity
    writable = activity.replace("operations: [list, retrieve]\n", "operations: [list, retrieve, create, delete]\n")
    (specs / "activity.spec.yaml").write_text(writable, encoding="utf-8")
    code = main(["generate", "--specs", str(specs), "--out", str(folder / "out"), "--no-cache"])
    assert code == 0
    sys.path.insert(0, str(folder / "out" / "python"))
    try:
        yield importlib.import_module("ledgerserver")
    finally:
        sys.path.remove(str(folder / "out" / "python"))


@pytest.fixture
def store(ledger: Any, locations: Locations) -> Iterator[Any]:
    opened = ledger.open_store(locations("ledger.db"))
    yield opened
    opened.close()


def make_app(ledger: Any, store: Any) -> Any:
    tokens = ledger.Tokens.from_data(
        [
            {"token": TOKEN, "claims": ROOT_CLAIMS, "namespaces": ["/"]},
            {"token": ACME_TOKEN, "claims": {"subject": "acme"}, "namespaces": ["/acme"]},
        ]
    )
    return importlib.import_module("ledgerserver.app").create_app(store, tokens)


@pytest.fixture
def api(ledger: Any, store: Any) -> InProcess:
    return InProcess(make_app(ledger, store))


def activities(api: InProcess) -> list[dict[str, Any]]:
    """Every activity, oldest first."""
    response = api.get("/activities", headers("/"), recursive="true", order="date", pagesize="1000")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def one_new(api: InProcess, before: list[dict[str, Any]]) -> dict[str, Any]:
    """The single activity added since ``before``; fails if there is none or more than one."""
    seen = {a["ID"] for a in before}
    new = [a for a in activities(api) if a["ID"] not in seen]
    assert len(new) == 1, new
    return new[0]


def check_common(activity: dict[str, Any], operation: str, namespace: str = "/acme") -> None:
    assert activity["operation"] == operation
    assert activity["targetIdentity"] == "policy"
    assert activity["namespace"] == namespace
    assert activity["claims"] == ROOT_CLAIMS
    assert activity["source"] == "127.0.0.1"  # the client address httpx's ASGI transport reports
    date = datetime.fromisoformat(activity["date"].replace("Z", "+00:00"))
    assert date.tzinfo is not None and abs(datetime.now(UTC) - date) < timedelta(seconds=30)


def write(api: InProcess, method: str, path: str, body: Any = None, namespace: str = "/acme") -> httpx.Response:
    return api.request(method, path, headers(namespace), json=body)


def test_a_successful_create_update_and_delete_are_one_activity_each(api: InProcess) -> None:
    log = activities(api)
    created = write(api, "POST", "/policies", {"name": "allow-dns", "priority": 5})
    assert created.status_code == 201, created.text
    policy = created.json()
    activity = one_new(api, log)
    check_common(activity, "create")
    assert activity["data"] == policy
    assert "originalData" not in activity and "error" not in activity
    assert policy["ID"] in activity["message"] and "created" in activity["message"]

    log = activities(api)
    updated = write(api, "PUT", f"/policies/{policy['ID']}", {"name": "allow-dns", "action": "reject"})
    assert updated.status_code == 200, updated.text
    activity = one_new(api, log)
    check_common(activity, "update")
    assert activity["originalData"] == policy
    assert activity["data"] == updated.json() and activity["data"]["action"] == "reject"
    assert updated.json()["priority"] == 5 and updated.json()["createTime"] == policy["createTime"]
    assert updated.json()["updateTime"] > policy["updateTime"]  # stamped again; createTime is not
    assert "error" not in activity

    log = activities(api)
    deleted = write(api, "DELETE", f"/policies/{policy['ID']}")
    assert deleted.status_code == 200
    activity = one_new(api, log)
    check_common(activity, "delete")
    assert activity["originalData"] == updated.json() == deleted.json()
    assert "data" not in activity and "error" not in activity


def test_failed_writes_are_one_activity_each_with_the_errors(api: InProcess) -> None:
    policy = write(api, "POST", "/policies", {"name": "p1"}).json()

    log = activities(api)
    refused = write(api, "POST", "/policies", {"name": "p2", "createTime": "2020-01-01T00:00:00Z", "nope": 1})
    assert refused.status_code == 422
    activity = one_new(api, log)
    check_common(activity, "create")
    assert activity["error"] == refused.json()
    assert activity["data"] == {"name": "p2", "createTime": "2020-01-01T00:00:00Z", "nope": 1}  # what was sent
    assert "failed" in activity["message"]

    log = activities(api)
    refused = write(api, "PUT", f"/policies/{policy['ID']}", {"name": "p1", "priority": 9})  # creation-only
    assert refused.status_code == 422
    activity = one_new(api, log)
    check_common(activity, "update")
    assert activity["error"] == refused.json() and activity["originalData"] == policy
    assert refused.json()[0]["data"] == {"attribute": "priority"}

    for method, body in (("PUT", {"name": "x"}), ("DELETE", None)):
        log = activities(api)
        missing = write(api, method, "/policies/nosuch", body)
        assert missing.status_code == 404
        activity = one_new(api, log)
        check_common(activity, "update" if method == "PUT" else "delete")
        assert activity["error"] == missing.json()
        assert "originalData" not in activity

    # The failed writes changed nothing.
    assert api.get(f"/policies/{policy['ID']}", headers("/acme")).json() == policy
    assert api.get("/policies", headers("/acme")).headers["X-Count-Total"] == "1"


def test_refused_requests_before_the_write_are_not_logged(api: InProcess) -> None:
    write(api, "POST", "/policies", {"name": "p1"})
    log = activities(api)
    assert api.request("POST", "/policies", {"X-Namespace": "/acme"}, json={"name": "p"}).status_code == 401
    assert api.request("POST", "/policies", headers("/other", ACME_TOKEN), json={"name": "p"}).status_code == 403
    assert api.request("POST", "/policies", headers("/acme"), content=b"{oops").status_code == 400
    assert api.request("PATCH", "/policies", headers("/acme"), json={}).status_code == 405
    assert activities(api) == log


def test_unique_values_clash_within_their_scope(api: InProcess) -> None:
    first = write(api, "POST", "/policies", {"name": "same", "externalID": "ext-1"}, "/acme")
    assert first.status_code == 201
    # name is unique in its namespace: the same name elsewhere is fine, in /acme it is not.
    other = write(api, "POST", "/policies", {"name": "same", "externalID": "ext-2"}, "/acme/dev")
    assert other.status_code == 201, other.text
    clash = write(api, "POST", "/policies", {"name": "same"}, "/acme")
    assert clash.status_code == 422 and clash.json()[0]["data"] == {"attribute": "name"}
    assert "in namespace /acme" in clash.json()[0]["description"]
    # externalID is unique in every namespace.
    clash = write(api, "POST", "/policies", {"name": "new", "externalID": "ext-1"}, "/other")
    assert clash.status_code == 422 and clash.json()[0]["data"] == {"attribute": "externalID"}
    # An update may keep its own values, but not take another object's.
    ident = first.json()["ID"]
    keep = write(api, "PUT", f"/policies/{ident}", {"name": "same", "externalID": "ext-1"})
    assert keep.status_code == 200, keep.text
    take = write(api, "PUT", f"/policies/{ident}", {"name": "same", "externalID": "ext-2"})
    assert take.status_code == 422 and take.json()[0]["data"] == {"attribute": "externalID"}
    assert api.get(f"/policies/{ident}", headers("/acme")).json()["externalID"] == "ext-1"
    total = api.get("/policies", headers("/"), recursive="true").headers["X-Count-Total"]
    assert total == "2"


def test_writes_on_the_activity_model_are_not_logged_again(api: InProcess) -> None:
    created = write(api, "POST", "/activities", {"message": "written by hand"})
    assert created.status_code == 201, created.text
    log = activities(api)
    assert [a["ID"] for a in log] == [created.json()["ID"]]  # itself, and no activity about it
    assert write(api, "DELETE", f"/activities/{created.json()['ID']}").status_code == 200
    assert activities(api) == []


def test_the_cap_keeps_the_newest_entries_when_deletes_leave_gaps(ledger: Any, locations: Locations) -> None:
    capped = ledger.open_store(locations("capped.db"), caps={"activity": 3})
    try:
        api = InProcess(make_app(ledger, capped))
        ids = [write(api, "POST", "/activities", {"message": f"m{i}"}).json()["ID"] for i in range(3)]
        assert write(api, "DELETE", f"/activities/{ids[1]}").status_code == 200
        for i in (3, 4):
            write(api, "POST", "/activities", {"message": f"m{i}"})
        # Newest three by arrival: m4, m3, and m2 (m1 was deleted, m0 trimmed).
        assert [a["message"] for a in activities(api)] == ["m2", "m3", "m4"]
    finally:
        capped.close()


def test_writes_are_logged_over_uvicorn(ledger: Any, store: Any) -> None:
    for live in serve(store, app=make_app(ledger, store)):
        with httpx.Client(base_url=live.url, timeout=10, headers=headers("/acme/prod")) as http:
            created = http.post("/policies", json={"name": "over-http"})
            assert created.status_code == 201
            assert http.post("/policies", json={"name": "over-http"}).status_code == 422
            logged = http.get("/activities", params={"order": "date"}).json()
            assert [(a["operation"], "error" in a) for a in logged] == [("create", False), ("create", True)]
            assert logged[0]["data"] == created.json()
            assert all(a["source"] == "127.0.0.1" and a["namespace"] == "/acme/prod" for a in logged)
