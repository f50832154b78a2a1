"""Processors around the writes (server/processors.py, server/writes.py) at their source: what
each stage sees, what it may change, and that a refusal before or after a write leaves nothing
behind but its activity."""

from __future__ import annotations

import operator
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import pytest

from generator.runtime.server import writes
from generator.runtime.server.errors import APIError
from generator.runtime.server.processors import NO_PROCESSORS, Context, Processors
from generator.runtime.server.store import Store
from tests.runtime.test_relations import part_resource
from tests.runtime.test_store import query
from tests.runtime.test_writes import CALLER, NOTES, THINGS, Audit, failure, notes, things
from tests.runtime.things import Thing


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "p.db", resources=[THINGS, NOTES, part_resource()])
    yield opened
    opened.close()


def seen(ctx: Context) -> dict[str, Any]:
    assert ctx.caller == CALLER and ctx.store is not None
    return {
        "operation": ctx.operation,
        "identifier": ctx.identifier,
        "parent": ctx.parent,
        "parameters": dict(ctx.parameters),
        "name": None if ctx.obj is None else ctx.obj.name,
        "original": None if ctx.original is None else ctx.original.name,
        "answer": None if ctx.answer is None else ctx.answer.get("name"),
    }


def test_processors_see_a_create_and_change_the_object_and_the_answer(store: Store) -> None:
    processors, log = Processors(), []

    @processors.before("thing", "create")
    def rename(ctx: Context) -> None:
        log.append(("before", seen(ctx)))
        ctx.obj = replace(ctx.obj, name=ctx.obj.name.upper(), kind="Medium")

    @processors.after("thing", "create")
    def shout(ctx: Context) -> None:
        log.append(("after", seen(ctx)))
        assert ctx.children("part") == 0 and ctx.store is store
        ctx.answer["name"] += "!"

    audit = Audit()
    answer = writes.create(store, THINGS, CALLER, {"name": "n"}, audit, {"p": 1}, processors=processors)
    identifier = answer["ID"]
    assert answer["name"] == "N!" and answer["kind"] == "Medium"
    assert [t["name"] for t in things(store)] == ["N"]  # the answer is changed, not what is stored
    assert log == [
        (
            "before",
            {
                **dict.fromkeys(("identifier", "parent", "original", "answer")),
                "operation": "create",
                "parameters": {"p": 1},
                "name": "n",
            },
        ),
        (
            "after",
            {
                "operation": "create",
                "identifier": identifier,
                "parent": None,
                "parameters": {"p": 1},
                "name": "N",
                "original": None,
                "answer": "N",
            },
        ),
    ]
    assert audit.events[0].data["name"] == "N"  # the activity keeps what was stored


def test_an_object_changed_before_a_write_is_validated_again(store: Store) -> None:
    processors = Processors()
    processors.add("thing", "create", "before", lambda ctx: setattr(ctx, "obj", replace(ctx.obj, kind="huge")))
    error = failure(writes.create, store, THINGS, CALLER, {"name": "n"}, Audit(), None, None, processors)
    assert (error.status, [e["description"] for e in error.errors]) == (
        422,
        ["kind must be one of small, Medium, large"],
    )
    assert things(store) == []


def test_a_create_under_a_parent_links_it_and_tells_the_processors(store: Store) -> None:
    parent = writes.create(store, THINGS, CALLER, {"name": "p"}, None)
    processors, parents = Processors(), []
    processors.add("part", "create", "before", lambda ctx: parents.append(ctx.parent))
    link = (THINGS.table, parent["ID"])
    child = writes.create(store, part_resource(), CALLER, {"name": "c"}, None, parent=link, processors=processors)
    assert parents == [("thing", parent["ID"])]
    assert store.children("thing", parent["ID"], "part") == 1 and child["name"] == "c"
    error = failure(writes.create, store, part_resource(), CALLER, {"name": "c"}, None, None, (THINGS.table, "nope"))
    assert (error.status, error.errors[0]["description"]) == (404, "no thing with ID 'nope' in namespace /a")
    elsewhere = replace(CALLER, namespace="/b")  # a parent in another namespace is not there either
    error = failure(writes.create, store, part_resource(), elsewhere, {"name": "c"}, None, None, link)
    assert error.status == 404 and store.children("thing", parent["ID"], "part") == 1


@pytest.mark.parametrize("stage", ["before", "after"])
def test_a_refusal_before_or_after_a_write_leaves_only_its_activity(store: Store, stage: str) -> None:
    kept = writes.create(store, THINGS, CALLER, {"name": "kept"}, None)
    processors = Processors()

    def refuse(ctx: Context) -> None:
        raise APIError.single(409, f"no {ctx.operation} {stage}")

    for operation in ("create", "update", "delete"):
        processors.add("thing", operation, stage, refuse)  # type: ignore[arg-type]
    audit = Audit()
    assert failure(writes.create, store, THINGS, CALLER, {"name": "x"}, audit, None, None, processors).status == 409
    error = failure(writes.update, store, THINGS, CALLER, kept["ID"], {"name": "y"}, audit, None, processors)
    assert error.errors[0]["description"] == f"no update {stage}"
    error = failure(writes.delete, store, THINGS, CALLER, kept["ID"], audit, None, processors)
    assert error.errors[0]["description"] == f"no delete {stage}"
    assert [t["name"] for t in things(store)] == ["kept"]
    assert notes(store) == [
        f"create of thing failed: no create {stage}",
        f"update of thing {kept['ID']} failed: no update {stage}",
        f"delete of thing {kept['ID']} failed: no delete {stage}",
    ]
    assert [e.original for e in audit.events[1:]] == [kept, kept]


def test_processors_see_an_update_with_the_original_and_change_it(store: Store) -> None:
    created = writes.create(store, THINGS, CALLER, {"name": "old", "count": 1}, None)
    identifier = created["ID"]
    writes.create(store, part_resource(), CALLER, {"name": "c"}, None, parent=(THINGS.table, identifier))
    processors, log = Processors(), []

    @processors.before("thing", "update")
    def before(ctx: Context) -> None:
        log.append(("before", seen(ctx)))
        assert ctx.children("part") == 1 and ctx.store is store
        ctx.obj = replace(ctx.obj, count=ctx.original.count + 10)

    @processors.after("thing", "update")
    def after(ctx: Context) -> None:
        log.append(("after", seen(ctx)))
        ctx.answer = {**ctx.answer, "extra": True}

    audit = Audit()
    answer = writes.update(store, THINGS, CALLER, identifier, {"name": "new"}, audit, {"q": 2}, processors)
    assert answer["extra"] is True and answer["count"] == 11 and answer["name"] == "new"
    assert things(store)[0]["count"] == 11 and "extra" not in things(store)[0]
    common = {
        "operation": "update",
        "identifier": identifier,
        "parent": None,
        "parameters": {"q": 2},
        "original": "old",
    }
    assert log == [
        ("before", {**common, "name": "new", "answer": None}),
        ("after", {**common, "name": "new", "answer": "new"}),
    ]
    (event,) = audit.events
    assert (event.original, event.data["count"], event.errors) == (created, 11, None)


def test_an_update_with_only_an_after_processor_stores_the_object_as_given(store: Store) -> None:
    created = writes.create(store, THINGS, CALLER, {"name": "old"}, None)
    processors = Processors()
    processors.add("thing", "update", "after", lambda ctx: ctx.answer.update(name="shown"))
    answer = writes.update(store, THINGS, CALLER, created["ID"], {"name": "new"}, None, None, processors)
    assert answer["name"] == "shown" and things(store)[0]["name"] == "new"
    processors = Processors()  # a before processor alone: the answer is what is stored
    processors.add("thing", "update", "before", lambda ctx: setattr(ctx, "obj", replace(ctx.obj, count=5)))
    answer = writes.update(store, THINGS, CALLER, created["ID"], {"name": "newer"}, None, None, processors)
    assert answer["count"] == 5 and things(store)[0]["count"] == 5


def test_processors_see_a_delete_and_change_its_answer(store: Store) -> None:
    created = writes.create(store, THINGS, CALLER, {"name": "gone"}, None)
    identifier = created["ID"]
    writes.create(store, part_resource(), CALLER, {"name": "c"}, None, parent=(THINGS.table, identifier))
    processors, log = Processors(), []

    @processors.before("thing", "delete")
    def before(ctx: Context) -> None:
        assert ctx.store is store
        log.append(("before", seen(ctx), ctx.children("part")))

    @processors.after("thing", "delete")
    def after(ctx: Context) -> None:
        log.append(("after", seen(ctx), ctx.children("part")))  # unlinked by then
        ctx.answer["name"] = "was " + ctx.answer["name"]

    audit = Audit()
    answer = writes.delete(store, THINGS, CALLER, identifier, audit, {"r": 3}, processors)
    assert answer == {**created, "name": "was gone"}
    common = {"operation": "delete", "identifier": identifier, "parent": None, "parameters": {"r": 3}}
    assert log == [
        ("before", {**common, "name": "gone", "original": None, "answer": None}, 1),
        ("after", {**common, "name": "gone", "original": None, "answer": "gone"}, 0),
    ]
    assert (
        things(store) == [] and store.list(store.tables["part"], "/a", query(of=store.tables["part"]))[1] == 1
    )  # the child stays
    (event,) = audit.events
    assert (event.operation, event.identifier, event.original, event.errors) == ("delete", identifier, created, None)


def test_a_delete_without_processors_answers_the_object_as_it_was(store: Store) -> None:
    created = writes.create(store, THINGS, CALLER, {"name": "x"}, None)
    assert writes.delete(store, THINGS, CALLER, created["ID"], None, None, NO_PROCESSORS) == created
    assert failure(writes.delete, store, THINGS, CALLER, created["ID"], None).status == 404


def test_a_context_without_an_object_has_no_children_to_count() -> None:
    ctx = Context("thing", "list", CALLER, {})
    with pytest.raises(RuntimeError) as caught:
        ctx.children("part")
    assert str(caught.value) == "list of thing: no object to count the children of"
    assert (ctx.filters, ctx.obj, ctx.answer, ctx.store) == ([], None, None, None)


def registered(ctx: Context) -> None:
    return None


def test_registering_refuses_what_is_not_an_operation_or_a_stage() -> None:
    processors = Processors()
    with pytest.raises(ValueError) as caught:
        processors.add("thing", "replace", "before", registered)  # type: ignore[arg-type]
    assert str(caught.value) == (
        f"processor {__name__}.registered: 'replace' is not an operation (list, retrieve, create, update, delete)"
    )
    with pytest.raises(ValueError) as caught:
        processors.add("thing", "list", "during", registered)  # type: ignore[arg-type]
    assert str(caught.value) == f"processor {__name__}.registered: 'during' is neither before nor after"
    assert not processors.has("thing", "list", "before")


def test_processors_run_in_the_order_registered_for_their_model_operation_and_stage() -> None:
    processors, order = Processors(), []
    processors.before("thing", "list")(lambda ctx: order.append("b1"))
    processors.before("thing", "list")(lambda ctx: order.append("b2"))
    processors.after("thing", "list")(lambda ctx: order.append("a"))
    processors.before("part", "list")(lambda ctx: order.append("other model"))
    processors.before("thing", "retrieve")(lambda ctx: order.append("other operation"))
    processors.run("before", Context("thing", "list", CALLER, {}))
    assert order == ["b1", "b2"]
    assert processors.has("thing", "list", "after") and not processors.has("thing", "create", "before")


def test_check_names_a_processor_of_a_model_or_operation_the_api_does_not_serve() -> None:
    processors = Processors()
    processors.add("thing", "update", "after", registered)
    processors.check({"thing": ("list", "update")})
    with pytest.raises(ValueError) as caught:
        processors.check({"thing": ("list", "create", "delete")})
    assert str(caught.value) == (
        f"processor {__name__}.registered: thing does not allow update (after); it allows list, create, delete"
    )
    with pytest.raises(ValueError) as caught:
        processors.check({"part": ("list",), "other": ()})
    assert str(caught.value) == f"processor {__name__}.registered: no model named 'thing' (models: other, part)"
    unnamed = Processors()
    unnamed.add("x", "list", "before", Thing)  # type: ignore[arg-type]
    with pytest.raises(ValueError) as caught:
        unnamed.check({})
    assert str(caught.value) == "processor tests.runtime.things.Thing: no model named 'x' (models: )"
    oddities: list[tuple[Any, str]] = [
        (operator.itemgetter(0), "operator.operator.itemgetter(0)"),
        (cast(Any, registered).__call__, "?.function.__call__"),  # a method-wrapper
    ]
    for nameless, named in oddities:
        odd = Processors()  # a callable without a __qualname__, or without a __module__
        odd.add("x", "list", "before", nameless)
        with pytest.raises(ValueError) as caught:
            odd.check({})
        assert str(caught.value) == f"processor {named}: no model named 'x' (models: )"
