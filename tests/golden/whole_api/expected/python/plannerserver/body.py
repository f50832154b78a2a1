# Copied by specgen from generator/runtime/server/body.py, the same in every API. Do not edit by hand.
"""Request bodies of create and update: a JSON object of at most ``MAX_BODY`` bytes, sent within
``BODY_TIMEOUT`` seconds; else 400, 413 or 408."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.requests import Request

from .errors import APIError, bad_request
from .limits import BODY_TIMEOUT, MAX_BODY

_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean"}


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_INTEGERS = 2**63  # what SQLite stores as an integer


def _number(text: str) -> int | float:
    """A JSON number with a fraction or an exponent. JSON (and JSON Schema) has one number type:
    ``3.0`` is the integer 3, and an integer attribute takes it as one."""
    value = float(text)
    if value.is_integer() and -_INTEGERS <= value < _INTEGERS:
        return int(value)
    return value


async def read_body(request: Request, timeout: float = BODY_TIMEOUT) -> bytes:
    """The body's bytes, read in chunks so an oversized body stops at ``MAX_BODY`` and a slow
    one at ``timeout`` seconds. Parsing is left to ``parse_object``, in a worker thread."""
    try:
        async with asyncio.timeout(timeout):
            return await _read(request)
    except TimeoutError:
        error = APIError.single(408, f"the body was not sent within {timeout:g} s", limit=timeout)
        error.headers["Connection"] = "close"
        raise error from None


async def _read(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise APIError.single(413, f"the body is larger than {MAX_BODY} bytes", limit=MAX_BODY)
        chunks.append(chunk)
    return b"".join(chunks)


def parse_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object; 400 when it is empty, not UTF-8, not JSON or not an object."""
    if not raw.strip():
        raise bad_request("the body is empty: send the object as JSON, e.g. {}", body="empty")
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant, parse_float=_number)
    except UnicodeDecodeError:
        raise bad_request("the body is not UTF-8 text", body="encoding") from None
    except ValueError as exc:  # JSONDecodeError, and NaN or Infinity
        raise bad_request(f"the body is not valid JSON: {str(exc)[:200]}", body="json") from None
    except RecursionError:
        raise bad_request("the body nests too deeply", body="json") from None
    if not isinstance(data, dict):
        raise bad_request(f"the body must be a JSON object, not {_KINDS.get(type(data), 'null')}", body="type")
    return data
