"""End to end over real HTTP: uvicorn on 127.0.0.1, the seed page's curl commands, every error."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import httpx
import pytest
from squallmodels import Activity

from tests.server.conftest import ACME_TOKEN, TOKEN, Live, dataset, headers

DATA = {a.id: a for a in dataset()}


def curl(*args: str) -> tuple[int, dict[str, str], str]:
    """Run curl as the docs show it; status, headers (lower-case) and body."""
    done = subprocess.run(["curl", "-s", "-i", *args], capture_output=True, timeout=10, check=True)
    head, _, body = done.stdout.decode("utf-8").partition("\r\n\r\n")
    status_line, *lines = head.split("\r\n")
    fields = dict(line.split(": ", 1) for line in lines)
    return int(status_line.split()[1]), {k.lower(): v for k, v in fields.items()}, body


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_seed_page_curl_commands(live: Live) -> None:
    # The seed page's two commands, with host, port, namespace and token filled in.
    status, fields, body = curl(
        "-X", "GET", "-H", "X-Namespace: /acme", "-H", f"Authorization: Bearer {TOKEN}", f"{live.url}/activities"
    )
    assert status == 200 and fields["x-count-total"] == "4"
    listed = httpx.Response(200, content=body.encode()).json()
    assert [a["ID"] for a in listed] == ["act15", "act10", "act05", "act00"]
    status, _, body = curl(
        "-X", "GET", "-H", "X-Namespace: /acme", "-H", f"Authorization: Bearer {TOKEN}", f"{live.url}/activities/act05"
    )
    assert status == 200
    assert Activity.from_dict(httpx.Response(200, content=body.encode()).json()) == DATA["act05"]


@pytest.mark.parametrize(
    ("q", "want"),
    [
        ('operation == "create"', {"act00", "act15"}),
        ('operation != "create"', {"act05", "act10"}),
        ("date < date(2024-01-01T06:00:00Z)", {"act00", "act05"}),
        ("date <= date(2024-01-01T05:00:00Z)", {"act00", "act05"}),
        ('date > "2024-01-01T10:00:00Z"', {"act15"}),
        ("date >= date(2024-01-01T10:00:00Z)", {"act10", "act15"}),
        ('message contains "urgent"', {"act00", "act05", "act10"}),
        ('message not contains "urgent"', {"act15"}),
        ('message matches "^message [01]"', {"act00", "act10"}),
        ('ID in ["act00", "act10", "act03"]', {"act00", "act10"}),
        ('ID not in ["act00", "act10"]', {"act05", "act15"}),
        ("message exists", {"act00", "act05", "act10"}),
        ("message not exists", {"act15"}),
        ('(ID == "act00" or ID == "act05") and operation == "delete"', {"act05"}),
    ],
)
def test_every_operator_over_http(http: httpx.Client, q: str, want: set[str]) -> None:
    response = http.get("/activities", headers=headers("/acme"), params={"q": q})
    assert response.status_code == 200, response.text
    assert {a["ID"] for a in response.json()} == want
    assert response.headers["X-Count-Total"] == str(len(want))


def test_order_paging_and_recursion_over_http(http: httpx.Client) -> None:
    params: dict[str, Any] = {"recursive": "true", "order": "date", "pagesize": "3", "page": "2"}
    response = http.get("/activities", headers=headers("/acme", ACME_TOKEN), params=params)
    assert response.status_code == 200
    # /acme, /acme/prod and /acme/dev hold 0,1,2, 5,6,7, 10,11,12, 15: the second page of 3 is 5,6,7.
    assert [a["ID"] for a in response.json()] == ["act05", "act06", "act07"]
    assert response.headers["X-Count-Total"] == "10"


def test_namespace_isolation_over_http(http: httpx.Client) -> None:
    for namespace in ("/acme", "/acme/prod", "/acmecorp", "/other"):
        listed = http.get("/activities", headers=headers(namespace)).json()
        assert listed and {a["namespace"] for a in listed} == {namespace}
    assert http.get("/activities/act03", headers=headers("/acme")).status_code == 404
    assert http.get("/activities/act03", headers=headers("/acmecorp")).status_code == 200
    assert http.get("/activities", headers=headers("/acmecorp", ACME_TOKEN)).status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "request_headers", "status"),
    [
        ("GET", "/activities", {"X-Namespace": "/acme"}, 401),
        ("GET", "/activities", {"X-Namespace": "/acme", "Authorization": "Bearer nope"}, 401),
        ("GET", "/activities", headers("/other", ACME_TOKEN), 403),
        ("GET", "/activities/nosuch", headers(), 404),
        ("GET", "/nosuch", headers(), 404),
        ("POST", "/activities", headers(), 405),
        ("DELETE", "/activities/act00", headers(), 405),
        ("GET", "/activities?q=operation%20%3D%3D", headers(), 400),
        ("GET", "/activities?sort=date", headers(), 400),
        ("GET", "/activities", {"Authorization": f"Bearer {TOKEN}"}, 400),
    ],
)
def test_errors_over_http_are_json_arrays(
    http: httpx.Client, method: str, path: str, request_headers: dict[str, str], status: int
) -> None:
    response = http.request(method, path, headers=request_headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == status and body[0]["description"]


INJECTIONS_400 = [
    {"q": 'operation == "create"; DROP TABLE activity; --'},
    {"q": "1 == 1 or ID == 'x'"},
    {"q": "ID == 'x' OR 1=1"},
    {"q": "ID == x' OR '1'='1"},
    {"q": 'message == "x" --'},
    {"q": "operation == 'create') OR (1 == 1"},
    {"q": 'ID == "x" UNION SELECT * FROM sqlite_master'},
    {"q": '"ID" == "x"'},
    {"order": "date; DROP TABLE activity"},
    {"order": "date DESC, (SELECT 1)"},
    {"page": "1; DELETE FROM activity"},
    {"pagesize": "1 OR 1=1"},
    {"recursive": "true' OR '1'='1"},
]


@pytest.mark.parametrize("params", INJECTIONS_400)
def test_sql_injection_in_parameters_answers_400_and_changes_nothing(
    http: httpx.Client, live: Live, params: dict[str, str]
) -> None:
    before = live.store.count(live.store.tables["activity"])
    response = http.get("/activities", headers=headers("/"), params={"recursive": "true", **params})
    assert response.status_code == 400, response.text
    assert live.store.count(live.store.tables["activity"]) == before == 16


@pytest.mark.parametrize(
    "q",
    [
        "ID == \"x' OR '1'='1\"",
        "message == 'x\\' OR 1=1 --'",
        'message contains "%"',
        'message contains "_"',
        'message in ["\'); DROP TABLE activity; --"]',
    ],
)
def test_sql_in_a_quoted_value_is_just_a_value(http: httpx.Client, live: Live, q: str) -> None:
    response = http.get("/activities", headers=headers("/"), params={"recursive": "true", "q": q})
    assert response.status_code == 200, response.text
    assert response.json() == [] and response.headers["X-Count-Total"] == "0"
    assert live.store.count(live.store.tables["activity"]) == 16


@pytest.mark.parametrize(
    ("path", "request_headers", "status"),
    [
        ("/activities/x' OR '1'='1", headers(), 404),
        ("/activities/act00'; DROP TABLE activity; --", headers(), 404),
        ("/activities/%27%20OR%201%3D1", headers(), 404),
        ("/activities", headers("/acme' OR '1'='1"), 400),
        ("/activities", headers("/acme/*"), 400),
        ("/activities", {"X-Namespace": "/", "Authorization": "Bearer ' OR '1'='1"}, 401),
    ],
)
def test_sql_injection_in_ids_and_headers(
    http: httpx.Client, live: Live, path: str, request_headers: dict[str, str], status: int
) -> None:
    assert http.get(path, headers=request_headers).status_code == status
    assert live.store.count(live.store.tables["activity"]) == 16
