"""Indented JSON text as the generated files hold it (the OpenAPI document, the docs' examples).

orjson, not ``json.dumps(indent=2)``: with an indent the standard library encodes in pure
Python (0.4 s for the OpenAPI document of 250 models, written twice: the server ships it too).
For what specs hold the two write the same bytes (tests/test_indented_json.py), small floats
aside: orjson writes ``0.00001`` where Python writes ``1e-05``. orjson refuses integers beyond
64 bits, which a spec's JSON example may hold: those documents go through ``json.dumps``.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def indented(value: Any, sort_keys: bool = False) -> str:
    """Two-space indents, non-ASCII kept as is; keys sorted on request, else in their order."""
    option = orjson.OPT_INDENT_2 | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    try:
        return orjson.dumps(value, option=option).decode()
    except orjson.JSONEncodeError:  # an integer beyond 64 bits
        return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys)
