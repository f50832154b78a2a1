"""Create, update and delete in one transaction each, every attempt told to the audit hook and its
record kept with the write (or alone, when the write fails)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator.runtime.server import writes
from generator.runtime.server.auth import Caller
from generator.runtime.server.backend import Backend
from generator.runtime.server.errors import APIError, InvalidRecord, error_object
from generator.runtime.server.limits import MAX_LOGGED_BODY
from generator.runtime.server.postgres import PostgresStore
from generator.runtime.server.store import Store
from generator.runtime.server.table import Column, Resource, Table
from generator.runtime.server.transaction import transaction
from generator.runtime.server.writes import WriteEvent
from tests.runtime.test_store import query
from tests.runtime.things import decoded, resource

THINGS = resource()
CALLER = Caller(claims=["@auth:subject=me"], namespace="/a", source="127.0.0.1")
LOG = Table(
    name="note",
    category="notes",
    columns=(Column("text", "text", "string", "TEXT"),),
    identifier=None,
    namespace=None,
    default_order=(),
    cap=None,
)


class Note:
    def __init__(self, text: str) -> None:
        self.text = text

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text}


NOTES: Resource[Note] = Resource(
    table=LOG, model=Note, prepare=lambda n: n, to_row=lambda n: (n.text,), from_wire=lambda d: Note(d["text"])
)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """The writes on each store: SQLite's file, and PostgreSQL's (a schema of the session's server)."""
    opened: Backend
    if request.param == "sqlite":
        opened = Store(tmp_path / "w.db", resources=[THINGS, NOTES])
    else:
        opened = PostgresStore(request.getfixturevalue("pg_url"), resources=[THINGS, NOTES], pool_size=2)
    yield opened
    opened.close()


class Audit:
    """Records every event, and keeps a note of each in the store (or nothing, when told)."""

    def __init__(self, keep: bool = True) -> None:
        self.events: list[WriteEvent] = []
        self.keep = keep

    def __call__(self, event: WriteEvent) -> Any:
        self.events.append(event)
        return Note(event.message) if self.keep else None


def notes(store: Backend) -> list[str]:
    return [n["text"] for n in decoded(store.list(LOG, "/", query(of=LOG, dialect=store.dialect))[0])]


def things(store: Backend, namespace: str = "/a") -> list[dict[str, Any]]:
    return decoded(store.list(THINGS.table, namespace, query(of=THINGS.table, dialect=store.dialect))[0])


def failure(call: Any, *args: Any) -> APIError:
    with pytest.raises(APIError) as caught:
        call(*args)
    return caught.value


def test_create_stores_the_object_and_its_note_together(store: Backend) -> None:
    audit = Audit()
    created = writes.create(store, THINGS, CALLER, {"name": "n", "code": "c1"}, audit)
    assert things(store) == [created]
    assert created["name"] == "n" and created["namespace"] == "/a" and len(created["ID"]) == 24
    (event,) = audit.events
    assert event == WriteEvent("create", "thing", CALLER, created["ID"], created, None, None)
    assert notes(store) == [f"created thing {created['ID']}"]


def test_a_refused_create_keeps_only_its_note(store: Backend) -> None:
    audit = Audit()
    error = failure(writes.create, store, THINGS, CALLER, {"name": "n", "ID": "x", "date": "2020-01-01"}, audit)
    assert error.status == 422
    assert [e["description"] for e in error.errors] == ["ID is read-only", "date is read-only"]
    (event,) = audit.events
    assert (event.operation, event.identifier, event.data, event.original) == (
        "create",
        None,
        {"name": "n", "ID": "x", "date": "2020-01-01"},
        None,
    )
    assert event.errors == error.errors
    assert things(store) == []
    assert notes(store) == ["create of thing failed: ID is read-only (and 1 more)"]


def test_unique_values_clash_in_the_table_or_in_the_namespace(store: Backend) -> None:
    writes.create(store, THINGS, CALLER, {"code": "c"}, None)
    elsewhere = Caller(claims=[], namespace="/b", source="")
    writes.create(store, THINGS, elsewhere, {"code": "c"}, None)  # unique only within a namespace
    error = failure(writes.create, store, THINGS, CALLER, {"code": "c", "name": "again"}, Audit(keep=False))
    assert error.status == 422
    assert error.errors == [
        error_object(422, "code 'c' is already used by another thing in namespace /a", {"attribute": "code"})
    ]
    assert len(things(store)) == 1 and notes(store) == []


def test_the_identifier_is_unique_in_any_namespace(tmp_path: Path) -> None:
    store = Store(tmp_path / "i.db", resources=[THINGS])
    with transaction(store) as tx:
        tx.insert(THINGS, THINGS.creating({"name": "x"}, "/a"))  # type: ignore[misc]
    (first,) = things(store)
    with transaction(store) as tx:
        stored = THINGS.from_wire(first)
        clashes = tx.clashes(THINGS, stored, None)
        assert clashes == [
            error_object(
                422,
                f"ID {first['ID']!r} is already used by another thing in any namespace",
                {"attribute": "ID"},
            )
        ]
        assert tx.clashes(THINGS, stored, first["ID"]) == []  # an update does not clash with itself
    store.close()


def test_update_replaces_the_settable_attributes(store: Backend) -> None:
    created = writes.create(store, THINGS, CALLER, {"name": "old", "count": 1, "code": "k"}, None)
    audit = Audit()
    updated = writes.update(store, THINGS, CALLER, created["ID"], {"name": "new"}, audit)
    assert updated == {**{k: v for k, v in created.items() if k != "count"}, "name": "new"}
    assert things(store) == [updated]
    (event,) = audit.events
    assert event == WriteEvent("update", "thing", CALLER, created["ID"], updated, created, None)
    assert notes(store) == [f"updated thing {created['ID']}"]


def test_an_update_may_keep_its_own_unique_values_but_not_take_others(store: Backend) -> None:
    one = writes.create(store, THINGS, CALLER, {"code": "k1"}, None)
    two = writes.create(store, THINGS, CALLER, {"code": "k2"}, None)
    with transaction(store) as tx:
        taken = THINGS.from_wire({**two, "code": "k1"})
        assert [e["description"] for e in tx.clashes(THINGS, taken, two["ID"])] == [
            "code 'k1' is already used by another thing in namespace /a"
        ]
        assert tx.clashes(THINGS, THINGS.from_wire(one), one["ID"]) == []


def test_a_refused_update_changes_nothing(store: Backend) -> None:
    created = writes.create(store, THINGS, CALLER, {"name": "old"}, None)
    audit = Audit()
    error = failure(writes.update, store, THINGS, CALLER, created["ID"], {"code": "x"}, audit)
    assert error.status == 422 and error.errors[0]["description"] == "code is read-only"
    assert things(store) == [created]
    (event,) = audit.events
    assert event.original == created and event.data == {"code": "x"} and event.errors == error.errors
    assert notes(store) == [f"update of thing {created['ID']} failed: code is read-only"]


def test_update_and_delete_see_only_their_own_namespace(store: Backend) -> None:
    created = writes.create(store, THINGS, CALLER, {"name": "mine"}, None)
    below = Caller(claims=[], namespace="/a/b", source="")
    audit = Audit()
    missing = failure(writes.update, store, THINGS, below, created["ID"], {"name": "theirs"}, audit)
    assert missing.status == 404
    assert missing.errors == [
        error_object(404, f"no thing with ID {created['ID']!r} in namespace /a/b", {"id": created["ID"]})
    ]
    gone = failure(writes.delete, store, THINGS, below, created["ID"], audit)
    assert gone.status == 404 and gone.errors == missing.errors
    assert [(e.operation, e.identifier, e.errors) for e in audit.events] == [
        ("update", created["ID"], missing.errors),
        ("delete", created["ID"], missing.errors),
    ]
    assert things(store) == [created]
    assert notes(store) == [
        f"update of thing {created['ID']} failed: no thing with ID {created['ID']!r} in namespace /a/b",
        f"delete of thing {created['ID']} failed: no thing with ID {created['ID']!r} in namespace /a/b",
    ]


def test_delete_answers_the_object_it_removed(store: Backend) -> None:
    created = writes.create(store, THINGS, CALLER, {"name": "bye"}, None)
    audit = Audit()
    assert writes.delete(store, THINGS, CALLER, created["ID"], audit) == created
    assert things(store) == []
    (event,) = audit.events
    assert event == WriteEvent("delete", "thing", CALLER, created["ID"], None, created, None)
    assert notes(store) == [f"deleted thing {created['ID']}"]
    assert failure(writes.delete, store, THINGS, CALLER, created["ID"], None).status == 404


def test_without_an_audit_hook_nothing_else_is_recorded(store: Backend) -> None:
    created = writes.create(store, THINGS, CALLER, {"name": "quiet"}, None)
    writes.update(store, THINGS, CALLER, created["ID"], {"name": "still"}, Audit(keep=False))
    writes.delete(store, THINGS, CALLER, created["ID"], None)
    assert notes(store) == []


def test_messages_of_events() -> None:
    done = WriteEvent("create", "thing", CALLER, "x" * 150, {}, None, None)
    assert done.message == "created thing " + "x" * 100
    assert WriteEvent("delete", "thing", CALLER, None, None, None, None).message == "deleted thing"
    one = [error_object(422, "bad")]
    assert WriteEvent("update", "thing", CALLER, "i", {}, None, one).message == "update of thing i failed: bad"
    three = [*one, error_object(422, "worse"), error_object(422, "worst")]
    assert WriteEvent("update", "thing", CALLER, "i", {}, None, three).message == (
        "update of thing i failed: bad (and 2 more)"
    )


def test_the_transaction_reads_one_namespace_and_writes_atomically(store: Backend) -> None:
    created = writes.create(store, THINGS, CALLER, {"name": "t"}, None)
    with transaction(store) as tx:
        assert tx.get(THINGS.table, created["ID"], "/a") == created
        assert tx.get(THINGS.table, created["ID"], "/") is None
        assert tx.get(THINGS.table, "nope", "/a") is None
        assert tx.get(LOG, "1", "/") is None  # no identifier: nothing to get
    with pytest.raises(RuntimeError), transaction(store) as tx:
        tx.delete(THINGS.table, created["ID"])
        tx.record(Note("lost"))
        raise RuntimeError("abort")
    assert things(store) == [created] and notes(store) == []
    with transaction(store) as tx:
        stored = THINGS.from_wire(created)
        assert tx.replace(THINGS, created["ID"], stored) is stored
    assert json.dumps(things(store)) == json.dumps([created])


class Pair:
    def __init__(self, first: str | None, second: str | None) -> None:
        self.first, self.second = first, second


PAIRS: Resource[Pair] = Resource(
    table=Table(
        name="pair",
        category="pairs",
        columns=(
            Column("first", "first", "string", "TEXT", unique=True),
            Column("second", "second", "string", "TEXT", unique=True),
        ),
        identifier=None,
        namespace=None,
        default_order=(),
        cap=None,
    ),
    model=Pair,
    prepare=lambda p: p,
    to_row=lambda p: (p.first, p.second),
    from_wire=lambda d: Pair(d.get("first"), d.get("second")),
)


def test_every_unique_value_is_checked_even_after_an_unset_one(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.db", resources=[PAIRS])
    store.record(Pair("a", "b"))
    with transaction(store) as tx:
        assert [e["data"] for e in tx.clashes(PAIRS, Pair(None, "b"), None)] == [{"attribute": "second"}]
        assert [e["data"] for e in tx.clashes(PAIRS, Pair("a", "b"), None)] == [
            {"attribute": "first"},
            {"attribute": "second"},
        ]
        assert tx.clashes(PAIRS, Pair(None, None), None) == []
        assert tx.clashes(PAIRS, Pair("a", "b"), "ignored: no identifier") != []
    store.close()


def test_a_clash_quotes_at_most_100_characters_of_the_value(store: Backend) -> None:
    long = "c" * 150
    writes.create(store, THINGS, CALLER, {"code": long}, None)
    error = failure(writes.create, store, THINGS, CALLER, {"code": long}, None)
    assert error.errors[0]["description"] == f"code {'c' * 100!r} is already used by another thing in namespace /a"


def test_replace_refuses_a_unique_value_of_another_object(store: Backend) -> None:
    writes.create(store, THINGS, CALLER, {"code": "k1"}, None)
    two = writes.create(store, THINGS, CALLER, {"code": "k2"}, None)
    with pytest.raises(InvalidRecord) as caught, transaction(store) as tx:
        tx.replace(THINGS, two["ID"], THINGS.from_wire({**two, "code": "k1"}))
    assert [e["data"] for e in caught.value.errors] == [{"attribute": "code"}]
    assert [t["code"] for t in things(store)] == ["k1", "k2"]


def test_a_model_without_identifier_is_created_without_one(tmp_path: Path) -> None:
    creatable = replace(NOTES, creating=lambda body, namespace: Note(body["text"]))
    store = Store(tmp_path / "n.db", resources=[creatable])
    audit = Audit(keep=False)
    assert writes.create(store, creatable, CALLER, {"text": "hello"}, audit) == {"text": "hello"}
    assert [(e.identifier, e.message) for e in audit.events] == [(None, "created note")]
    store.close()


def test_a_refused_bodys_summary_keeps_it_whole_up_to_the_limit() -> None:
    # Compact JSON, characters not bytes: "é" counts one.
    at_limit = {"k": "é" * (MAX_LOGGED_BODY - len('{"k":""}'))}
    assert len(json.dumps(at_limit, ensure_ascii=False, separators=(",", ":"))) == MAX_LOGGED_BODY
    assert writes.summary(at_limit) is at_limit
    over = {"k": "é" * (MAX_LOGGED_BODY - len('{"k":""}') + 1)}
    text = json.dumps(over, ensure_ascii=False, separators=(",", ":"))
    assert writes.summary(over) == {
        "_truncated": {"characters": MAX_LOGGED_BODY + 1, "kept": MAX_LOGGED_BODY},
        "_head": text[:MAX_LOGGED_BODY],
    }
    assert writes.summary(None) is None and writes.summary([1, 2]) == [1, 2]


def test_a_clash_of_a_secret_never_tells_its_value(tmp_path: Path) -> None:
    columns = (
        Column("ID", "id", "string", "TEXT", unique=True),
        Column("pin", "pin", "string", "TEXT", unique=True, secret=True),
    )
    vault = Table(
        name="vault", category="vaults", columns=columns, identifier="ID", namespace=None, default_order=(), cap=None
    )

    class Box:
        def __init__(self, pin: str) -> None:
            self.pin = pin

    boxes: Resource[Box] = Resource(
        table=vault,
        model=Box,
        prepare=lambda b: b,
        to_row=lambda b: ("i-" + b.pin, b.pin),
        from_wire=lambda d: Box(d["pin"]),
    )
    opened = Store(tmp_path / "v.db", resources=[boxes])
    opened.record(Box("1234"))
    with transaction(opened) as tx:
        assert tx.clashes(boxes, Box("1234"), "other") == [
            error_object(422, "ID 'i-1234' is already used by another vault in any namespace", {"attribute": "ID"}),
            error_object(422, "pin is already used by another vault in any namespace", {"attribute": "pin"}),
        ]
        assert tx.clashes(boxes, Box("1234"), "i-1234") == []  # itself, on an update
    opened.close()


def test_a_summary_counts_the_compact_json_of_several_keys() -> None:
    body = {"a": "x" * (MAX_LOGGED_BODY - len('{"a":"","b":1}')), "b": 1}
    assert len(json.dumps(body, separators=(",", ":"))) == MAX_LOGGED_BODY
    assert writes.summary(body) is body


def test_the_answer_and_the_activity_use_the_models_own_hooks(store: Backend) -> None:
    hooked = replace(
        THINGS,
        answer=lambda obj: {"shown": obj.name},
        logged=lambda data: {"kept": data.get("shown") if "shown" in data else data.get("name")},
    )
    audit = Audit()
    assert writes.create(store, hooked, CALLER, {"name": "n"}, audit) == {"shown": "n"}
    assert audit.events[0].data == {"kept": "n"}
