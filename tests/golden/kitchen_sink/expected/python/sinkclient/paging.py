# Copied by specgen from generator/runtime/client/paging.py, the same in every API. Do not edit by hand.
"""A list of the API as an iterator that pages by itself.

The API answers one page at a time (``page`` from 1, ``pagesize`` objects) and says in
``X-Count-Total`` how many objects match in all. A ``Listing`` asks for the next page only
when the iteration reaches it, and stops at the total, at a short or empty page, or after
``limit`` objects. ``total`` asks for the first page when nothing was fetched yet (and keeps it
for the iteration). Objects added or removed while a listing is walked may shift the pages:
for a stable walk, order by an attribute that does not change.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")
# One page: (the objects in their wire form, X-Count-Total or None when the answer lacked it).
Page = tuple[list[Any], int | None]
MAX_PAGE = 10**9  # the API's last page number


def count_header(value: str | None) -> int | None:
    """``X-Count-Total`` as a number, None when it is missing or not one."""
    # isdigit() alone also holds for digits int() cannot read (superscripts such as "²").
    if value is None or not (value.strip().isascii() and value.strip().isdigit()):
        return None
    return int(value.strip())


class _State:
    def __init__(self, page_size: int, limit: int | None) -> None:
        if page_size < 1:
            raise ValueError("page_size: at least 1")
        if limit is not None and limit < 0:
            raise ValueError("limit: 0 or more")
        self.page_size = page_size
        self.limit = limit
        self.total: int | None = None
        self.first: list[Any] | None = None  # the first page, fetched early for ``total``

    def take(self, page: Page) -> list[Any]:
        items, total = page
        if total is not None:
            self.total = total
        return items

    def last_page(self, number: int, items: list[Any], seen: int) -> bool:
        """Whether page ``number`` (holding ``items``, ``seen`` objects so far) is the last one."""
        return (
            not items
            or len(items) < self.page_size
            or (self.total is not None and seen >= self.total)
            or number >= MAX_PAGE
        )


class Listing(Generic[T]):
    """Every object a list matches, page after page: ``for obj in listing``; ``listing.total``."""

    def __init__(
        self,
        fetch: Callable[[int, int], Page],
        decode: Callable[[Any], T],
        *,
        page_size: int = 100,
        limit: int | None = None,
    ) -> None:
        self._fetch = fetch
        self._decode = decode
        self._state = _State(page_size, limit)

    @property
    def total(self) -> int:
        """How many objects match in all (before ``limit``): ``X-Count-Total`` of the first page."""
        state = self._state
        if state.total is None and state.first is None:
            state.first = state.take(self._fetch(1, state.page_size))
        return state.total if state.total is not None else len(state.first or [])

    def pages(self) -> Iterator[list[T]]:
        """The objects page by page (the last one cut at ``limit``)."""
        state = self._state
        seen = 0
        number = 1
        while state.limit is None or seen < state.limit:
            if number == 1 and state.first is not None:
                items = state.first
            else:
                items = state.take(self._fetch(number, state.page_size))
            seen += len(items)
            kept = items if state.limit is None else items[: max(0, state.limit - (seen - len(items)))]
            if kept:
                yield [self._decode(item) for item in kept]
            if state.last_page(number, items, seen):
                return
            number += 1

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page


class AsyncListing(Generic[T]):
    """As ``Listing``, for the async client: ``async for obj in listing``; ``await listing.count()``."""

    def __init__(
        self,
        fetch: Callable[[int, int], Awaitable[Page]],
        decode: Callable[[Any], T],
        *,
        page_size: int = 100,
        limit: int | None = None,
    ) -> None:
        self._fetch = fetch
        self._decode = decode
        self._state = _State(page_size, limit)

    async def count(self) -> int:
        """How many objects match in all (before ``limit``): ``X-Count-Total`` of the first page."""
        state = self._state
        if state.total is None and state.first is None:
            state.first = state.take(await self._fetch(1, state.page_size))
        return state.total if state.total is not None else len(state.first or [])

    async def pages(self) -> AsyncIterator[list[T]]:
        state = self._state
        seen = 0
        number = 1
        while state.limit is None or seen < state.limit:
            if number == 1 and state.first is not None:
                items = state.first
            else:
                items = state.take(await self._fetch(number, state.page_size))
            seen += len(items)
            kept = items if state.limit is None else items[: max(0, state.limit - (seen - len(items)))]
            if kept:
                yield [self._decode(item) for item in kept]
            if state.last_page(number, items, seen):
                return
            number += 1

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page:
                yield item

    async def to_list(self) -> list[T]:
        return [item async for item in self]
