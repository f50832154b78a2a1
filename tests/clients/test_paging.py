"""Paging in the client (generator/runtime/client/paging.py), sync and async, against what a list
must give: every object once, in order, cut at ``limit``, in pages of ``page_size``, asking for
no page more than it needs (with X-Count-Total) or one empty page at most (without)."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.runtime.client import paging
from tests.ids import plain_id

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True)


class Api:
    """``total`` objects 0..total-1, answered page by page; the pages asked are kept."""

    def __init__(self, total: int, header: bool) -> None:
        self.total, self.header = total, header
        self.asked: list[tuple[int, int]] = []

    def fetch(self, number: int, size: int) -> paging.Page:
        self.asked.append((number, size))
        start = (number - 1) * size
        return [{"n": n} for n in range(start, min(start + size, self.total))], self.total if self.header else None


def listing(kind: str, api: Api, size: int, limit: int | None, total_first: bool) -> tuple[list[list[int]], int | None]:
    """The pages a listing yields (decoded), and ``total`` when asked for it first."""
    if kind == "sync":
        sync = paging.Listing(api.fetch, lambda d: int(d["n"]), page_size=size, limit=limit)
        total = sync.total if total_first else None
        return list(sync.pages()), total

    async def fetch(number: int, size: int) -> paging.Page:
        return api.fetch(number, size)

    async def go() -> tuple[list[list[int]], int | None]:
        lazy = paging.AsyncListing(fetch, lambda d: int(d["n"]), page_size=size, limit=limit)
        total = await lazy.count() if total_first else None
        return [page async for page in lazy.pages()], total

    return asyncio.run(go())


def pages_needed(total: int, size: int, limit: int | None, header: bool) -> int:
    wanted = total if limit is None else min(total, limit)
    if limit == 0:
        return 0
    if header or (limit is not None and limit <= total):
        return max(1, math.ceil(wanted / size))
    return total // size + 1  # without a count, a short (or empty) page ends the list


@PROPERTY
@given(
    kind=st.sampled_from(["sync", "async"]),
    total=st.integers(0, 30),
    size=st.integers(1, 8),
    limit=st.none() | st.integers(0, 35),
    header=st.booleans(),
    total_first=st.booleans(),
)
def test_a_listing_gives_every_object_once_in_pages_asking_only_what_it_needs(
    kind: str, total: int, size: int, limit: int | None, header: bool, total_first: bool
) -> None:
    api = Api(total, header)
    pages, counted = listing(kind, api, size, limit, total_first)
    wanted = list(range(total if limit is None else min(total, limit)))
    assert [n for page in pages for n in page] == wanted
    assert pages == [wanted[i : i + size] for i in range(0, len(wanted), size)]  # no empty page
    if total_first:
        assert counted == (total if header else min(total, size))  # without the header: the first page's
        assert api.asked[0] == (1, size)
    needed = pages_needed(total, size, limit, header)
    if total_first and needed == 0:
        needed = 1  # the count asked for page 1 although the limit wants nothing
    assert api.asked == [(n, size) for n in range(1, needed + 1)]  # the first page is fetched once


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_the_last_page_number_ends_a_list(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "MAX_PAGE", 3)
    api = Api(100, header=False)
    pages, _ = listing(kind, api, 2, None, False)
    assert [n for page in pages for n in page] == list(range(6)) and len(api.asked) == 3


@pytest.mark.parametrize(
    ("size", "limit", "message"),
    [(0, None, "page_size: at least 1"), (-1, None, "page_size: at least 1"), (1, -1, "limit: 0 or more")],
)
def test_a_page_size_under_one_or_a_negative_limit_is_refused(size: int, limit: int | None, message: str) -> None:
    for make in (paging.Listing, paging.AsyncListing):
        with pytest.raises(ValueError) as caught:
            make(Api(1, True).fetch, dict, page_size=size, limit=limit)  # type: ignore[arg-type]
        assert str(caught.value) == message


def test_the_defaults_are_pages_of_100_and_no_limit() -> None:
    api = Api(250, header=True)
    assert len(list(paging.Listing(api.fetch, dict))) == 250
    assert api.asked == [(1, 100), (2, 100), (3, 100)]

    async def fetch(number: int, size: int) -> paging.Page:
        return api.fetch(number, size)

    api.asked.clear()
    assert len(asyncio.run(paging.AsyncListing(fetch, dict).to_list())) == 250
    assert api.asked == [(1, 100), (2, 100), (3, 100)]


@pytest.mark.parametrize(
    ("header", "total"),
    [("12", 12), (" 7 ", 7), ("0", 0), (None, None), ("", None), ("-3", None), ("3.0", None), ("x", None), ("²", None)],
    ids=lambda value: plain_id(str(value)),
)
def test_count_header_reads_a_whole_number_only(header: str | None, total: Any) -> None:
    assert paging.count_header(header) == total


def test_an_async_count_without_the_header_is_the_first_page_asked_once() -> None:
    api = Api(3, header=False)

    async def fetch(number: int, size: int) -> paging.Page:
        return api.fetch(number, size)

    async def go() -> tuple[int, int]:
        lazy = paging.AsyncListing(fetch, dict, page_size=5)
        return await lazy.count(), await lazy.count()

    assert asyncio.run(go()) == (3, 3) and api.asked == [(1, 5)]
    sync = paging.Listing(api.fetch, dict, page_size=5)
    assert (sync.total, sync.total) == (3, 3) and api.asked == [(1, 5), (1, 5)]
