"""One property over both stores: a list is the Python reference's page and count
(tests/runtime/test_store.py's ``reference_order`` and ``within``): order keys, NULLs first
ascending and last descending, ties broken by arrival in the direction of the last key, the
namespace alone or with every namespace below it (never a sibling sharing its prefix), filters,
pages past the end. Run on SQLite's store, then on PostgreSQL's (a schema of the session's
server), with the same examples."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.runtime.server.backend import Backend
from generator.runtime.server.filters import parse
from tests.runtime.conftest import open_store
from tests.runtime.test_store import BASE, FILTERS, ORDERABLE, query, reference_order, things, within
from tests.runtime.things import Thing, decoded, resource

_examples = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """One store for all of the property's examples (each keeps to namespaces of its own)."""
    opened = open_store(request, tmp_path, [resource()])
    yield opened
    opened.close()


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    relative=things(),
    keys=st.lists(st.tuples(st.sampled_from(ORDERABLE), st.booleans()), max_size=3, unique_by=lambda k: k[0]),
    the_filter=st.sampled_from(FILTERS[:1] * 3 + FILTERS),
    asked=st.sampled_from(["", "", "/a"]),
    recursive=st.booleans(),
    limit=st.sampled_from([2, 3, 5, 20]),
    page=st.sampled_from([0, 0, 1]),
)
# Drawn examples depend on the test's source (derandomized): these two always run, whatever is
# drawn. A recursive list beside a sibling sharing its prefix ("/a-"), ordered by a key some
# rows leave unset, descending; and a filtered second page ordered by two keys with ties.
@example(
    relative=[
        Thing(id="00", name="a", namespace="/a", date=BASE),
        Thing(id="01", name="ab", namespace="/a-", date=BASE),
        Thing(id="02", namespace="/a/b", date=BASE),
        Thing(id="03", name="é", namespace="/a/b", date=BASE),
        Thing(id="04", name="A", namespace="", date=BASE),
    ],
    keys=[("name", True)],
    the_filter=FILTERS[0],
    asked="/a",
    recursive=True,
    limit=20,
    page=0,
)
@example(
    relative=[
        Thing(id=f"{i:02d}", count=count, ratio=ratio, kind=kind, namespace="", date=BASE)
        for i, (count, ratio, kind) in enumerate(
            [(None, 1.5, "small"), (1, None, None), (0, 0.0, None), (1, 1.5, None), (-1, None, "small"), (0, 0.0, None)]
        )
    ],
    keys=[("count", False), ("ratio", True)],
    the_filter=FILTERS[2],
    asked="",
    recursive=False,
    limit=2,
    page=1,
)
def test_a_list_is_the_reference_page_and_count(
    store: Backend,
    relative: list[Thing],
    keys: list[tuple[str, bool]],
    the_filter: tuple[str, Callable[[Thing], bool]],
    asked: str,
    recursive: bool,
    limit: int,
    page: int,
) -> None:
    root = f"/x{next(_examples)}"  # each example has namespaces of its own in the shared store
    rows = [replace(t, id=f"{root[1:]}-{t.id}", namespace=root + (t.namespace or "")) for t in relative]
    store.record_many(rows)
    text, keep = the_filter
    the_table = store.tables["thing"]
    where, params = store.dialect.compile_filter(parse(text), the_table) if text else ("", [])
    offset = page * limit

    body, total = store.list(
        the_table,
        root + asked,
        query(
            where=where,
            params=params,
            keys=keys,
            limit=limit,
            offset=offset,
            recursive=recursive,
            of=the_table,
            dialect=store.dialect,
        ),
    )

    seen = [t for t in rows if (within(t.namespace or "", root + asked) if recursive else t.namespace == root + asked)]
    matching = [t for t in seen if keep(t)]
    assert total == len(matching)
    assert decoded(body) == [t.to_dict() for t in reference_order(matching, keys)[offset : offset + limit]]
