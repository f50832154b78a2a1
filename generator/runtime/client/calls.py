"""The requests behind every method of the generated collections: query strings, pages, answers.

The generated classes know each model's paths, parameters and class; what they do with them
is the same for every API, and is here: a list is a ``Listing`` whose pages are GETs with
``page`` and ``pagesize``; a count is one GET of one object that reads ``X-Count-Total``; the
others send a body (or none) and decode the object answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import httpx

from .errors import ClientError
from .paging import AsyncListing, Listing, Page, count_header
from .transport import AsyncTransport, Transport

T = TypeVar("T")
Scalar = str | int | float | bool
QueryValue = Scalar | Sequence[Scalar] | None
COUNT_HEADER = "X-Count-Total"


class UnexpectedAnswer(ClientError):
    """The API answered 2xx with something that is not what the document says (not JSON, or an
    object its model cannot read): a client and a server of different versions, most likely."""


def wire(value: Scalar) -> str:
    """A query parameter's text: booleans as ``true``/``false``, numbers as JSON writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def query(values: Mapping[str, QueryValue]) -> list[tuple[str, str]]:
    """Query parameters from ``{name: value}``: None is left out, a sequence repeats the name.

    A single string is one value (``q="a == 1"``), never a sequence of characters.
    """
    out: list[tuple[str, str]] = []
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, (str, int, float, bool)):
            out.append((name, wire(value)))
        else:
            out.extend((name, wire(item)) for item in value)
    return out


def json_answer(answer: httpx.Response) -> Any:
    try:
        return answer.json()
    except ValueError as exc:
        raise UnexpectedAnswer(f"{answer.request.method} {answer.request.url}: the answer is not JSON: {exc}") from None


def decoded(decode: Callable[[Any], T], data: Any) -> T:
    """An object of the answer through its model's ``from_dict``; UnexpectedAnswer when it does not fit."""
    if not isinstance(data, dict):
        raise UnexpectedAnswer(f"expected a JSON object, got {type(data).__name__}")
    try:
        return decode(data)
    except ValueError as exc:  # the models' ValidationFailed
        raise UnexpectedAnswer(f"the answer does not fit its model: {exc}") from exc


def _page(answer: httpx.Response) -> Page:
    items = json_answer(answer)
    if not isinstance(items, list):
        raise UnexpectedAnswer(f"a list answered {type(items).__name__}, not a JSON array")
    return items, count_header(answer.headers.get(COUNT_HEADER))


def _with_page(params: Iterable[tuple[str, str]], number: int, size: int) -> list[tuple[str, str]]:
    return [*params, ("page", str(number)), ("pagesize", str(size))]


# -- sync ------------------------------------------------------------------------------------


def listing(
    transport: Transport,
    path: str,
    params: Sequence[tuple[str, str]],
    decode: Callable[[Any], T],
    *,
    namespace: str | None = None,
    page_size: int = 100,
    limit: int | None = None,
) -> Listing[T]:
    def fetch(number: int, size: int) -> Page:
        answer = transport.request("GET", path, namespace=namespace, params=_with_page(params, number, size))
        return _page(answer)

    return Listing(fetch, lambda data: decoded(decode, data), page_size=page_size, limit=limit)


def count(transport: Transport, path: str, params: Sequence[tuple[str, str]], namespace: str | None = None) -> int:
    """How many objects a list matches: one page of one object, and its ``X-Count-Total``."""
    items, total = _page(transport.request("GET", path, namespace=namespace, params=_with_page(params, 1, 1)))
    return total if total is not None else len(items)


def call(
    transport: Transport,
    method: str,
    path: str,
    decode: Callable[[Any], T],
    *,
    params: Sequence[tuple[str, str]] = (),
    body: Any = None,
    namespace: str | None = None,
) -> T:
    """One request answered by one object (retrieve, create, update, delete), decoded."""
    answer = transport.request(method, path, namespace=namespace, params=params, body=body)
    return decoded(decode, json_answer(answer))


# -- async -----------------------------------------------------------------------------------


def async_listing(
    transport: AsyncTransport,
    path: str,
    params: Sequence[tuple[str, str]],
    decode: Callable[[Any], T],
    *,
    namespace: str | None = None,
    page_size: int = 100,
    limit: int | None = None,
) -> AsyncListing[T]:
    async def fetch(number: int, size: int) -> Page:
        answer = await transport.request("GET", path, namespace=namespace, params=_with_page(params, number, size))
        return _page(answer)

    return AsyncListing(fetch, lambda data: decoded(decode, data), page_size=page_size, limit=limit)


async def async_count(
    transport: AsyncTransport, path: str, params: Sequence[tuple[str, str]], namespace: str | None = None
) -> int:
    answer = await transport.request("GET", path, namespace=namespace, params=_with_page(params, 1, 1))
    items, total = _page(answer)
    return total if total is not None else len(items)


async def async_call(
    transport: AsyncTransport,
    method: str,
    path: str,
    decode: Callable[[Any], T],
    *,
    params: Sequence[tuple[str, str]] = (),
    body: Any = None,
    namespace: str | None = None,
) -> T:
    answer = await transport.request(method, path, namespace=namespace, params=params, body=body)
    return decoded(decode, json_answer(answer))


def body_of(obj: Any, accepted: frozenset[str]) -> dict[str, Any]:
    """A request body from a model object (its ``to_dict``, only the attributes this operation
    accepts: the server refuses read-only ones with 422) or from a mapping in the wire form, as is."""
    if isinstance(obj, Mapping):
        return dict(obj)
    data: dict[str, Any] = obj.to_dict()
    return {key: value for key, value in data.items() if key in accepted}
