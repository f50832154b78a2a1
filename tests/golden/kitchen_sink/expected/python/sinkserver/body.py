# Copied by specgen from generator/runtime/server/body.py, the same in every API. Do not edit by hand.
"""Request bodies of create and update: a JSON object of at most ``MAX_BODY`` bytes, else 400/413."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from .errors import APIError, bad_request
from .limits import MAX_BODY

_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean"}


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


async def read_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object, read in chunks so an oversized body stops at ``MAX_BODY``."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise APIError.single(413, f"the body is larger than {MAX_BODY} bytes", limit=MAX_BODY)
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        raise bad_request("the body is empty: send the object as JSON, e.g. {}", body="empty")
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise bad_request("the body is not UTF-8 text", body="encoding") from None
    except ValueError as exc:  # JSONDecodeError, and NaN or Infinity
        raise bad_request(f"the body is not valid JSON: {str(exc)[:200]}", body="json") from None
    except RecursionError:
        raise bad_request("the body nests too deeply", body="json") from None
    if not isinstance(data, dict):
        raise bad_request(f"the body must be a JSON object, not {_KINDS.get(type(data), 'null')}", body="type")
    return data
