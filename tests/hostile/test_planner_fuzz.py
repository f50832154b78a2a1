"""Property-based, on the Planner (tests/golden/whole_api) with its processors: whatever query
parameters and bodies reach its routes (under parents, with custom parameters, nested values),
it answers below 500, and every 4xx is the documented JSON error array.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import GOLDEN
from tests.hostile.api_support import Caller, check_answer
from tests.server.conftest import TOKEN

WHOLE_API = GOLDEN / "whole_api"
for folder in (WHOLE_API / "expected" / "python", WHOLE_API):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from plannerhooks.processors import processors  # noqa: E402
from plannerserver import Store  # noqa: E402
from plannerserver.app import create_app  # noqa: E402

from tests.server.test_whole_api import KEY, planner_tokens  # noqa: E402

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
HEADERS = {"Authorization": f"Bearer {TOKEN}", "X-Namespace": "/acme"}


@pytest.fixture(scope="module")
def planner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Caller, dict[str, str]]]:
    store = Store(tmp_path_factory.mktemp("planner-fuzz") / "planner.db", encryption_key=KEY)
    caller = Caller(create_app(store, planner_tokens(), processors=processors))
    ids: dict[str, str] = {}
    answer = caller.http("POST", "/projects", HEADERS, json={"name": "launch"})
    ids["project"] = json.loads(answer.body)["ID"]
    answer = caller.http("POST", f"/projects/{ids['project']}/lists", HEADERS, json={"title": "Backlog"})
    ids["list"] = json.loads(answer.body)["ID"]
    answer = caller.http("POST", f"/lists/{ids['list']}/tasks", HEADERS, json={"title": "Ship it"})
    ids["task"] = json.loads(answer.body)["ID"]
    yield caller, ids
    caller.close()
    store.close()


NAMES = ["archived", "force", "shout", "since", "until", "last", "q", "order", "page", "pagesize", "recursive", "x"]
VALUES = st.sampled_from(
    [
        "true",
        "false",
        "include",
        "only",
        "exclude",
        "24h",
        "1h30m",
        "-1h",
        "99999999999999999999d",
        "2024-01-01T00:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-23:59",
        "2024-02-30",
        'title == "x"',
        "estimate.hours > 2",
        "-priority",
        "0",
        "",
    ]
) | st.text(st.characters(codec="utf-8"), max_size=12)
PATHS = [
    ("GET", "/projects"),
    ("GET", "/projects/{project}/lists"),
    ("GET", "/lists/{list}/tasks"),
    ("GET", "/tasks/{task}"),
    ("DELETE", "/projects/{project}"),
    ("DELETE", "/projects/missing"),
    ("GET", "/projects/missing/lists"),
]


@FUZZ
@given(route=st.sampled_from(PATHS), params=st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=6))
def test_any_parameters_on_any_route(
    planner: tuple[Caller, dict[str, str]], route: tuple[str, str], params: list[tuple[str, str]]
) -> None:
    caller, ids = planner
    method, path = route
    answer = caller.http(method, path.format(**ids), HEADERS, params=params)
    check_answer(answer.status, answer.body)
    if method == "DELETE" and answer.status == 200:  # a forced delete: make the project again for the others
        caller.http("POST", "/projects", HEADERS, json={"name": "launch"})


json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
json_values = st.recursive(
    json_leaves,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["name", "color", "text", "done", "steps", "email", "password", "x"]), inner, max_size=4
        )
    ),
    max_leaves=12,
)
TASK_KEYS = [
    "title",
    "status",
    "priority",
    "labels",
    "checklist",
    "firstStep",
    "reviewer",
    "estimate",
    "owners",
    "grid",
    "labelByName",
    "start",
    "due",
    "privateNote",
    "notify",
    "ID",
    "internalScore",
]


@FUZZ
@given(body=st.dictionaries(st.sampled_from(TASK_KEYS), json_values, max_size=8), update=st.booleans())
def test_any_nested_body_on_create_and_update(
    planner: tuple[Caller, dict[str, str]], body: dict[str, Any], update: bool
) -> None:
    caller, ids = planner
    if update:
        answer = caller.http("PUT", f"/tasks/{ids['task']}", HEADERS, json={"title": "Ship it", **body})
    else:
        answer = caller.http("POST", f"/lists/{ids['list']}/tasks", HEADERS, json=body)
    check_answer(answer.status, answer.body)
