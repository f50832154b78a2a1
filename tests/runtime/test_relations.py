"""Objects that live under a parent (relations) in both stores at their source: the link set when
a child is created under its parent, a list under a parent the caller may not see is a 404,
the children counted, and a deleted parent's children kept under no parent."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import pytest

from generator.runtime.server.backend import Backend
from generator.runtime.server.errors import APIError
from generator.runtime.server.table import Resource, Table, link_column
from generator.runtime.server.transaction import transaction
from tests.runtime.conftest import open_store
from tests.runtime.test_store import query
from tests.runtime.things import COLUMNS, Thing, creating, decoded, from_wire, prepare, resource, to_row


@dataclass(frozen=True, slots=True, kw_only=True)
class Part(Thing):
    """A model that lives under a thing: the same attributes, its own table."""


def as_part(thing: Thing) -> Part:
    return Part(**{f.name: getattr(thing, f.name) for f in fields(thing)})


# Built per test, not at import: mutmut maps a function to the tests that call it, and a table
# built while the module is collected is called by none (its mutants would run no test).
def part_resource() -> Resource[Part]:
    parts = Table(
        name="part",
        category="parts",
        columns=COLUMNS,
        identifier="ID",
        namespace="namespace",
        default_order=(),
        cap=None,
        parents=("thing",),
    )
    return Resource(
        table=parts,
        model=Part,
        prepare=lambda p: as_part(prepare(p)),
        to_row=to_row,
        from_wire=lambda data: as_part(from_wire(data)),
        from_stored=lambda data: as_part(from_wire(data)),
        creating=lambda body, namespace: as_part(creating(body, namespace)),
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """Each test on both stores: the relations are the same rules on SQLite and PostgreSQL."""
    opened = open_store(request, tmp_path, [resource(), part_resource()])
    yield opened
    opened.close()


def names(text: str) -> list[str]:
    return sorted(str(item["name"]) for item in decoded(text))


def under(store: Backend, parent: str, namespace: str, recursive: bool = False) -> tuple[list[str], int]:
    parts = store.tables["part"]
    text, total = store.list(
        parts,
        namespace,
        query(of=parts, recursive=recursive, dialect=store.dialect),
        parent=(store.tables["thing"], parent),
    )
    return names(text), total


def family(store: Backend) -> tuple[Thing, Thing]:
    """A thing in /a with two parts, one in /a/b with one part, and a part under no parent."""
    top, low = store.record(Thing(name="top", namespace="/a")), store.record(Thing(name="low", namespace="/a/b"))
    parts = part_resource()
    with transaction(store) as tx:
        tx.insert(parts, Part(name="p1", namespace="/a"), parent=("thing", top.id or ""))
        tx.insert(parts, Part(name="p2", namespace="/a"), parent=("thing", top.id or ""))
        tx.insert(parts, Part(name="q1", namespace="/a/b"), parent=("thing", low.id or ""))
        tx.insert(parts, Part(name="loose", namespace="/a"))
    return top, low


def test_a_child_table_has_a_link_column_per_parent() -> None:
    assert link_column("thing") == '"_parent_thing"'
    PARTS = part_resource().table
    assert PARTS.links == {"thing": '"_parent_thing"'}
    assert PARTS.ddl()[0].endswith('"namespace" TEXT, "_parent_thing" TEXT)')
    assert PARTS.indexes()["part_under_thing"] == ['"_parent_thing"', '"namespace"']
    with pytest.raises(ValueError):
        link_column('x"; DROP TABLE part; --')


def test_a_list_under_a_parent_holds_its_children_only(store: Backend) -> None:
    top, low = family(store)
    assert under(store, top.id or "", "/a") == (["p1", "p2"], 2)
    assert under(store, low.id or "", "/a/b") == (["q1"], 1)
    everything, total = store.list(
        store.tables["part"], "/", query(of=store.tables["part"], recursive=True, dialect=store.dialect)
    )
    assert (names(everything), total) == (["loose", "p1", "p2", "q1"], 4)


def test_a_parent_the_caller_cannot_see_is_a_404(store: Backend) -> None:
    top, low = family(store)
    for parent, namespace, recursive in (
        (low.id or "", "/a", False),  # below the namespace: seen only by a recursive list
        (top.id or "", "/a/b", True),  # above it: never
        (top.id or "", "/ab", True),  # a sibling sharing the prefix
        ("nope", "/a", True),
    ):
        with pytest.raises(APIError) as caught:
            under(store, parent, namespace, recursive)
        assert caught.value.status == 404
        assert caught.value.errors[0]["description"] == (f"no thing with ID {parent!r} in namespace {namespace}")
    assert under(store, low.id or "", "/a", recursive=True) == (["q1"], 1)
    assert under(store, top.id or "", "/", recursive=True) == (["p1", "p2"], 2)


def test_children_are_counted_under_their_parent(store: Backend) -> None:
    top, low = family(store)
    assert store.children("thing", top.id or "", "part") == 2
    assert store.children("thing", low.id or "", "part") == 1
    assert store.children("thing", "nope", "part") == 0
    with pytest.raises(KeyError) as caught:
        store.children("part", top.id or "", "thing")
    assert caught.value.args[0] == "thing does not live under part"


def test_a_deleted_parents_children_stay_under_no_parent(store: Backend) -> None:
    top, low = family(store)
    with transaction(store) as tx:
        assert tx.exists(store.tables["thing"], top.id or "", "/a")
        assert not tx.exists(store.tables["thing"], top.id or "", "/a/b")  # exactly this namespace
        assert not tx.exists(store.tables["thing"], "nope", "/a")
        assert store.children("thing", top.id or "", "part") == 2
        tx.delete(store.tables["thing"], top.id or "")
        assert not tx.exists(store.tables["thing"], top.id or "", "/a")
        assert store.children("thing", top.id or "", "part") == 0  # inside the transaction: its own unlink seen
    assert store.children("thing", top.id or "", "part") == 0
    assert store.children("thing", low.id or "", "part") == 1  # another parent's children keep theirs
    everything, total = store.list(store.tables["part"], "/a", query(of=store.tables["part"], dialect=store.dialect))
    assert (names(everything), total) == (["loose", "p1", "p2"], 3)
    # A new thing given the old identifier adopts nothing.
    store.record(replace(Thing(name="again", namespace="/a"), id=top.id))
    assert under(store, top.id or "", "/a") == ([], 0)


def test_without_a_parent_nothing_is_linked(store: Backend) -> None:
    top, _ = family(store)
    stored: Any = store.record(Part(name="plain", namespace="/a"))
    assert isinstance(stored, Part)
    assert store.children("thing", top.id or "", "part") == 2
