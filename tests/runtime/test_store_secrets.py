"""The store's encrypted and pruned columns and its time budget, at the source: ciphertext on
disk and plain text on the wire, the key checked when a database is opened again, nested values
filtered and ordered as a client sees them, and a request stopped when its budget runs out."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.runtime.server.encoding import json_text
from generator.runtime.server.errors import StoreUnavailable
from generator.runtime.server.filters import parse
from generator.runtime.server.params import parse_list
from generator.runtime.server.sql import compile_filter
from generator.runtime.server.store import Store, StoreError
from generator.runtime.server.table import Column, Resource, Table
from generator.runtime.server.visibility import Pruning

KEY, OTHER_KEY = bytes(range(32)), bytes(32)
VIEW = Pruning({"card": (["pin"], {})}).bind(("ref", "card"))


@dataclass(frozen=True, slots=True)
class Box:
    id: str
    note: str | None
    card: dict[str, Any] | None


def from_wire(data: dict[str, Any]) -> Box:
    return Box(data["ID"], data.get("note"), data.get("card"))


# Built per test, not at import: mutmut maps a function to the tests that call it, and a table
# built while the module is collected is called by none (its mutants would run no test).
def boxes() -> Resource[Box]:
    safe = Table(
        name="safe",
        category="safes",
        columns=(
            Column("ID", "id", "string", "TEXT", filterable=True, orderable=True),
            Column("note", "note", "string", "TEXT", encrypted=True),
            Column("card", "card", "ref", "TEXT", filterable=True, orderable=True, view=VIEW),
        ),
        identifier="ID",
        namespace=None,
        default_order=(),
        cap=None,
    )
    return Resource(
        table=safe,
        model=Box,
        prepare=lambda b: b,
        to_row=lambda b: (b.id, json_text(b.note), json_text(b.card)),
        from_wire=from_wire,
        from_stored=from_wire,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "safe.db", resources=[boxes()], encryption_key=KEY)
    opened.record_many(
        [
            Box("a", "first secret", {"pin": "1111", "owner": "zed"}),
            Box("b", "second", {"pin": "2222", "owner": "amy"}),
            Box("c", None, None),
        ]
    )
    yield opened
    opened.close()


def listed(store: Store, *params: tuple[str, str]) -> list[dict[str, Any]]:
    import json

    text, _ = store.list(store.tables["safe"], "/", parse_list(list(params), store.tables["safe"]))
    result: list[dict[str, Any]] = json.loads(text)
    return result


def test_an_encrypted_value_is_ciphertext_on_disk_and_text_on_the_wire(store: Store, tmp_path: Path) -> None:
    assert listed(store, ("order", "ID")) == [
        {"ID": "a", "note": "first secret", "card": {"owner": "zed"}},
        {"ID": "b", "note": "second", "card": {"owner": "amy"}},
        {"ID": "c"},
    ]
    with sqlite3.connect(tmp_path / "safe.db") as raw:
        notes = [row[0] for row in raw.execute("SELECT note FROM safe ORDER BY id")]
    assert isinstance(notes[0], bytes) and b"secret" not in notes[0] and notes[2] is None
    assert (
        store.retrieve(store.tables["safe"], "a", "/", False)
        == '{"ID":"a","note":"first secret","card":{"owner":"zed"}}'
    )


def test_filters_and_orders_see_a_nested_value_as_the_client_does(store: Store) -> None:
    assert [b["ID"] for b in listed(store, ("q", 'card.owner == "amy"'))] == ["b"]
    assert listed(store, ("q", 'card contains "1111"')) == []  # the pin is not there for a client
    assert [b["ID"] for b in listed(store, ("q", 'card contains "zed"'))] == ["a"]
    assert [b["ID"] for b in listed(store, ("order", "-card"))] == ["a", "b", "c"]  # {"owner":"zed"} > {"owner":"amy"}
    trusted, params = compile_filter(parse('card contains "1111"'), store.tables["safe"], trusted=True)
    assert trusted == 'instr("card", ?) > 0' and params == ["1111"]  # the server's own code reads it all


def test_the_key_is_checked_when_the_database_is_opened_again(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "safe.db"
    again = Store(path, resources=[boxes()], encryption_key=KEY)
    assert again.retrieve(again.tables["safe"], "b", "/", False) is not None
    again.close()
    with pytest.raises(StoreError) as caught:
        Store(path, resources=[boxes()], encryption_key=OTHER_KEY)
    assert str(caught.value) == f"{path}: the encryption key is not the one this database was written with"
    with pytest.raises(StoreError) as caught:
        Store(path, resources=[boxes()])
    assert str(caught.value) == (
        "safe keeps encrypted attributes: the store needs the encryption key they were (or will be) sealed with"
    )
    with pytest.raises(StoreError) as caught:
        Store(path, resources=[boxes()], encryption_key=b"short")
    assert str(caught.value) == "an encryption key is 32 bytes, not 5"


def test_a_request_past_its_deadline_or_stopped_is_refused_with_the_reason(store: Store) -> None:
    with pytest.raises(StoreUnavailable) as caught, store.budget(time.monotonic() - 1):
        pass
    assert (caught.value.reason, caught.value.description) == (
        "budget",
        "the request waited its whole time budget for a worker; try again later",
    )
    store.record_many([Box(f"x{n}", "n", {"owner": str(n)}) for n in range(3000)])
    with pytest.raises(StoreUnavailable) as caught, store.budget(time.monotonic() + 60, stop=lambda: True):
        listed(store, ("q", 'card.owner contains "1"'))
    assert (caught.value.reason, caught.value.description) == ("cancelled", "the request was cancelled")

    def slow() -> bool:  # each look at the budget takes a little time: the deadline soon passes
        time.sleep(0.002)
        return False

    with pytest.raises(StoreUnavailable) as caught, store.budget(time.monotonic() + 0.001, stop=slow):
        listed(store, ("q", 'card.owner contains "1"'))
    assert caught.value.reason == "budget" and caught.value.description.startswith("the request ran out of its time")
    with store.budget(time.monotonic() + 60, stop=lambda: False):  # within its budget, the work is done
        assert len(listed(store, ("q", 'card.owner contains "1"'), ("pagesize", "500"))) > 0
    assert len(listed(store, ("pagesize", "500"))) == 500  # and after a budget, none applies


def test_values_a_client_sees_as_equal_are_ordered_by_arrival_whatever_they_hide(store: Store) -> None:
    # Ordered by the stored text, the hidden pin would decide: a client could learn it from the order.
    store.record_many([Box("x", None, {"owner": "amy", "pin": "9"}), Box("y", None, {"owner": "amy", "pin": "1"})])
    amy = ("q", 'card.owner == "amy"')
    assert [b["ID"] for b in listed(store, amy, ("order", "card"))] == ["b", "x", "y"]
    assert [b["ID"] for b in listed(store, amy, ("order", "-card"))] == ["y", "x", "b"]
