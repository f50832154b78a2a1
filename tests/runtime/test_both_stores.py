"""Rules both stores keep alike, each test run on SQLite's store and on PostgreSQL's (a schema of
the session's server): the wire form of every kind of value, pages past the end and at the byte
limit, ties in order, unique values. The list property over random data is test_list_property.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.runtime.server.backend import Backend
from generator.runtime.server.errors import APIError, InvalidRecord, page_too_large
from tests.runtime.conftest import open_store
from tests.runtime.test_store import query
from tests.runtime.things import Thing, decoded, resource


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    opened = open_store(request, tmp_path, [resource()])
    yield opened
    opened.close()


def page(
    store: Backend, namespace: str, *, keys: list[tuple[str, bool]] | None = None, limit: int = 100, offset: int = 0
) -> tuple[list[str], int]:
    """The IDs of a list's page, and its count."""
    the_table = resource().table
    asked = query(keys=keys, limit=limit, offset=offset, of=the_table, dialect=store.dialect)
    body, total = store.list(the_table, namespace, asked)
    return [str(t["ID"]) for t in decoded(body)], total


def test_the_wire_form_of_every_kind(store: Backend) -> None:
    full = Thing(
        id="w1",
        name='quote " and \\ and é',
        kind="Medium",
        count=-3,
        ratio=2.5,
        enabled=False,
        date=datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC),
        tags=["a", 1, None],
        data={"b": [1, {"c": None}], "a": "x"},
        raw="text",
        secret="s",
        code="c",
        namespace="/w",
    )
    fraction = replace(
        full, id="w2", code="d", enabled=True, ratio=1.0, date=datetime(2020, 1, 2, 3, 4, 5, 60, tzinfo=UTC)
    )
    empty = Thing(id="w3", namespace="/w", date=datetime(2021, 5, 4, 3, 2, 1, tzinfo=UTC))
    store.record_many([full, fraction, empty])
    the_table = resource().table
    body = store.list(the_table, "/w", query(of=the_table, dialect=store.dialect))[0]
    answered = decoded(body)
    assert answered[0] == full.to_dict()
    assert answered[0]["date"] == "2020-01-02T03:04:05Z" and answered[0]["enabled"] is False
    assert answered[1]["date"] == "2020-01-02T03:04:05.000060Z" and answered[1]["enabled"] is True
    assert '"ratio":1.0,' in body  # a whole float keeps its point, as SQLite writes it
    assert answered[2] == {"ID": "w3", "date": "2021-05-04T03:02:01Z", "namespace": "/w"}
    retrieved = store.retrieve(the_table, "w1", "/w", False)
    assert retrieved is not None and body.startswith("[" + retrieved + ",")


def test_a_page_past_the_end_is_empty_but_counts(store: Backend) -> None:
    store.record_many(Thing(id=f"p{i}", namespace="/p") for i in range(3))
    assert page(store, "/p", limit=2, offset=2) == (["p2"], 3)
    assert page(store, "/p", limit=2, offset=3) == ([], 3)
    assert page(store, "/p", limit=2, offset=4) == ([], 3)
    assert page(store, "/q") == ([], 0)


def test_ties_follow_arrival_in_the_direction_of_the_last_key(store: Backend) -> None:
    store.record_many(Thing(id=f"t{i}", name="same", count=i % 2, namespace="/t") for i in range(5))

    def ids(keys: list[tuple[str, bool]]) -> list[str]:
        return page(store, "/t", keys=keys)[0]

    assert ids([]) == ["t0", "t1", "t2", "t3", "t4"]
    assert ids([("name", False)]) == ["t0", "t1", "t2", "t3", "t4"]
    assert ids([("name", True)]) == ["t4", "t3", "t2", "t1", "t0"]
    assert ids([("count", False)]) == ["t0", "t2", "t4", "t1", "t3"]
    assert ids([("count", True)]) == ["t3", "t1", "t4", "t2", "t0"]
    assert ids([("count", True), ("name", False)]) == ["t1", "t3", "t0", "t2", "t4"]


def test_unique_values_are_unique_in_the_table_or_in_a_namespace(store: Backend) -> None:
    store.record(Thing(id="u1", code="c", namespace="/a"))
    store.record(Thing(id="u2", code="c", namespace="/b"))  # unique within its namespace only
    with pytest.raises(InvalidRecord):
        store.record(Thing(id="u3", code="c", namespace="/a"))
    with pytest.raises(InvalidRecord):
        store.record(Thing(id="u1", namespace="/c"))  # the identifier, in any namespace
    assert store.count(resource().table) == 2


def test_a_page_at_its_byte_limit_is_served_and_one_character_more_is_refused(store: Backend) -> None:
    the_table = resource().table
    store.record_many(Thing(id=f"s{i}", name="x" * (10 * i), namespace="/s") for i in range(3))
    everything = query(of=the_table, dialect=store.dialect)
    body, total = store.list(the_table, "/s", everything)
    first_two = store.list(the_table, "/s", query(limit=2, of=the_table, dialect=store.dialect))[0]
    assert total == 3 and len(decoded(body)) == 3
    # The limit counts the characters of the page's JSON: brackets, objects and the commas between.
    assert store.list(the_table, "/s", everything, max_bytes=len(body)) == (body, 3)
    with pytest.raises(APIError) as caught:
        store.list(the_table, "/s", everything, max_bytes=len(body) - 1)
    assert caught.value.errors == page_too_large(len(body) - 1, 2).errors
    with pytest.raises(APIError) as caught:  # the advice is the number of objects that fit
        store.list(the_table, "/s", everything, max_bytes=len(first_two) - 1)
    assert caught.value.errors[0]["data"]["pagesize"] == 1
    with pytest.raises(APIError) as caught:
        store.list(the_table, "/s", everything, max_bytes=3)
    assert caught.value.errors == page_too_large(3, 0).errors
