"""The API in-process, for breadth: every operator, order, paging, namespaces, every error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from squallmodels import Activity

from tests.server.conftest import ACME_TOKEN, START, TOKEN, InProcess, dataset, headers

DATA = dataset()


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["ID"] for item in response.json()]


def expected(predicate: Callable[[Activity], bool], namespace: str = "/", newest_first: bool = True) -> list[str]:
    chosen = [a for a in DATA if predicate(a) and (namespace == "/" or a.namespace == namespace)]
    chosen.sort(key=lambda a: a.date or START, reverse=newest_first)
    return [a.id or "" for a in chosen]


def error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body, list) and body, body
    first: dict[str, Any] = body[0]
    assert first["code"] == status and first["title"] and first["description"] and first["subject"]
    return first


# Every operator, with the Python predicate it must agree with (over all namespaces).
OPERATORS: list[tuple[str, Callable[[Activity], bool]]] = [
    ('operation == "create"', lambda a: a.operation == "create"),
    ("operation != 'create'", lambda a: a.operation != "create"),
    ("date < date(2024-01-01T05:00:00Z)", lambda a: a.date is not None and a.date.hour < 5),
    ("date <= date(2024-01-01T05:00:00Z)", lambda a: a.date is not None and a.date.hour <= 5),
    ('date > "2024-01-01T10:00:00Z"', lambda a: a.date is not None and a.date.hour > 10),
    ("date >= date(2024-01-01T10:00:00+00:00)", lambda a: a.date is not None and a.date.hour >= 10),
    ('message contains "urgent"', lambda a: a.message is not None and "urgent" in a.message),
    ('message not contains "urgent"', lambda a: a.message is None or "urgent" not in a.message),
    (
        r'message matches "^message 1\d "',
        lambda a: a.message is not None and a.message.startswith("message 1") and a.message[9:10].isdigit(),
    ),
    ('targetIdentity in ["gadget", "nothing"]', lambda a: a.target_identity == "gadget"),
    ('operation not in ["create", "delete"]', lambda a: a.operation == "update"),
    ("message exists", lambda a: a.message is not None),
    ("originalData not exists", lambda a: a.original_data is None),
    ('data contains "\\"tags\\":[\\"c\\"]"', lambda a: isinstance(a.data, dict) and a.data["tags"] == ["c"]),
    ('claims contains "user1"', lambda a: a.claims == ["@auth:subject=user1"]),
    ('ID == "act03"', lambda a: a.id == "act03"),
    ('source == "web ui" and operation == "update"', lambda a: a.source == "web ui" and a.operation == "update"),
    (
        'operation == "delete" or targetIdentity == "widget" and source == "web ui"',
        lambda a: a.operation == "delete" or (a.target_identity == "widget" and a.source == "web ui"),
    ),
    (
        '(operation == "delete" or targetIdentity == "widget") and source == "web ui"',
        lambda a: (a.operation == "delete" or a.target_identity == "widget") and a.source == "web ui",
    ),
    ('OPERATION == "create" AND date > now(-10000d)', lambda a: a.operation == "create"),
    ("date > now(-1h)", lambda a: False),
    ("targetIdentity in []", lambda a: False),
]


@pytest.mark.parametrize(("q", "predicate"), OPERATORS, ids=[q for q, _ in OPERATORS])
def test_each_operator_agrees_with_python(api: InProcess, q: str, predicate: Callable[[Activity], bool]) -> None:
    response = api.get("/activities", headers("/"), q=q, recursive="true")
    assert ids(response) == expected(predicate)
    assert response.headers["X-Count-Total"] == str(len(expected(predicate)))


def test_several_q_are_ored(api: InProcess) -> None:
    response = api.get("/activities", headers("/"), q=['ID == "act01"', 'ID == "act02"'], recursive="true")
    assert ids(response) == ["act02", "act01"]


def test_a_list_is_one_namespace_newest_first_by_default(api: InProcess) -> None:
    response = api.get("/activities", headers("/acme"))
    assert ids(response) == expected(lambda a: True, namespace="/acme")
    assert response.headers["content-type"] == "application/json"


def test_recursive_adds_namespaces_below_and_not_siblings_with_the_same_prefix(api: InProcess) -> None:
    got = ids(api.get("/activities", headers("/acme"), recursive="true"))
    want = expected(lambda a: a.namespace in ("/acme", "/acme/prod", "/acme/dev"))
    assert got == want
    assert not any(a.namespace == "/acmecorp" and a.id in got for a in DATA)


def test_order_ascending_descending_and_several_keys(api: InProcess) -> None:
    assert ids(api.get("/activities", headers("/"), recursive="true", order="date")) == expected(
        lambda a: True, newest_first=False
    )
    got = api.get("/activities", headers("/"), recursive="true", order=["targetIdentity", "-date"]).json()
    want = sorted(DATA, key=lambda a: (a.target_identity or "", -(a.date or START).timestamp()))
    assert [g["ID"] for g in got] == [a.id for a in want]


def test_paging_and_count_total(api: InProcess) -> None:
    everything = expected(lambda a: True)
    pages = [api.get("/activities", headers("/"), recursive="true", page=p, pagesize=5) for p in (1, 2, 3, 4, 5)]
    assert [i for page in pages for i in ids(page)] == everything
    assert [len(ids(p)) for p in pages] == [5, 5, 5, 1, 0]
    assert {p.headers["X-Count-Total"] for p in pages} == {"16"}


def test_default_page_size_is_100(api: InProcess, store: Any) -> None:
    store.record_many([Activity(namespace="/bulk", message=str(i)) for i in range(120)])
    response = api.get("/activities", headers("/bulk"))
    assert len(ids(response)) == 100 and response.headers["X-Count-Total"] == "120"


def test_retrieve_in_namespace_and_recursive(api: InProcess) -> None:
    body = api.get("/activities/act01", headers("/acme/prod")).json()
    assert Activity.from_dict(body) == DATA[1]
    assert body == DATA[1].to_dict()  # the wire form is exactly the models' to_dict
    error(api.get("/activities/act01", headers("/acme")), 404)
    assert api.get("/activities/act01", headers("/acme"), recursive="true").json()["ID"] == "act01"
    error(api.get("/activities/act03", headers("/acme"), recursive="true"), 404)  # /acmecorp is not below /acme


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"q": "operation == "}, "column 14"),
        ({"q": 'operation = "create"'}, "column 11"),
        ({"q": 'operation == "create" and'}, "column 26"),
        ({"q": '(operation == "create"'}, "column 23"),
        ({"q": 'operation == "unterminated'}, "column 14"),
        ({"q": 'error == "x"'}, "error is not filterable"),
        ({"q": 'nosuch == "x"'}, "unknown attribute 'nosuch'"),
        ({"q": "date > 3"}, "date is a time"),
        ({"q": "date contains 'x'"}, "applies to text"),
        ({"q": "message matches '('"}, "not a valid regular expression"),
        ({"q": "date > date(yesterday)"}, "RFC 3339"),
        ({"q": "date > now(-1y)"}, "now(...)"),
        ({"q": "message == unquoted"}, "quote text values"),
        ({"q": "(" * 40 + "ID == 'x'" + ")" * 40}, "deeper than"),
        ({"order": "operation"}, "not orderable"),
        ({"order": "nosuch"}, "unknown attribute"),
        ({"page": "0"}, "page must be"),
        ({"pagesize": "1001"}, "from 1 to 1000"),
        ({"pagesize": "ten"}, "pagesize must be"),
        ({"recursive": "yes"}, "true or false"),
        ({"limit": "10"}, "unknown parameter 'limit'"),
    ],
)
def test_bad_requests_say_what_and_where(api: InProcess, params: dict[str, str], where: str) -> None:
    found = error(api.get("/activities", headers(), **params), 400)
    assert where in found["description"]


def test_filter_error_data_has_the_position(api: InProcess) -> None:
    found = error(api.get("/activities", headers(), q=["ID == 'x'", "ID =="]), 400)
    assert found["data"] == {"parameter": "q", "position": 6, "index": 2}
    assert "filter 2 of 2" in found["description"]


def test_authentication_and_namespace_errors(api: InProcess) -> None:
    missing = error(api.get("/activities", {"X-Namespace": "/acme"}), 401)
    assert "Authorization" in missing["description"]
    error(api.get("/activities", {"X-Namespace": "/acme", "Authorization": "Bearer wrong"}), 401)
    error(api.get("/activities", {"X-Namespace": "/acme", "Authorization": TOKEN}), 401)  # no Bearer scheme
    assert api.get("/activities", {"X-Namespace": "/acme"}).headers["WWW-Authenticate"] == "Bearer"
    error(api.get("/activities", {"Authorization": f"Bearer {TOKEN}"}), 400)
    for bad in ("acme", "/acme/", "//acme", "/ac me", "/a'b"):
        error(api.get("/activities", headers(bad)), 400)
    error(api.get("/activities", headers("/acmecorp", ACME_TOKEN)), 403)
    error(api.get("/activities", headers("/", ACME_TOKEN)), 403)
    assert ids(api.get("/activities", headers("/acme/prod", ACME_TOKEN))) == expected(
        lambda a: True, namespace="/acme/prod"
    )


def test_methods_not_allowed_and_unknown_paths(api: InProcess) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        found = error(api.request(method, "/activities", headers()), 405)
        assert "GET" in found["description"]
        error(api.request(method, "/activities/act00", headers()), 405)
    error(api.get("/nothing", headers()), 404)
