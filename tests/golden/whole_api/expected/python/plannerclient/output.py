# Copied by specgen from generator/runtime/client/output.py, the same in every API. Do not edit by hand.
"""How the command line prints objects: JSON (the wire form, as the API answered), YAML, or a table."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import yaml

Format = Literal["json", "yaml", "table"]
FORMATS: tuple[Format, ...] = ("json", "yaml", "table")
CELL = 40  # characters of a table cell; longer values are cut with an ellipsis


def as_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def as_yaml(data: Any) -> str:
    text: str = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return text.rstrip("\n")


def cell(value: Any) -> str:
    """One value in a table cell: text as it is, other values as compact JSON, one line, cut at CELL."""
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = " ".join(text.split())
    return text if len(text) <= CELL else text[: CELL - 1] + "\u2026"


def as_table(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    """A plain-text table: a header of the column names, then one line per object."""
    body = [[cell(row.get(column)) for column in columns] for row in rows]
    widths = [max([len(column), *(len(line[i]) for line in body)]) for i, column in enumerate(columns)]
    lines = ["  ".join(name.ljust(width) for name, width in zip(columns, widths, strict=True))]
    lines += ["  ".join(value.ljust(width) for value, width in zip(line, widths, strict=True)) for line in body]
    return "\n".join(line.rstrip() for line in lines)


def render(data: Any, fmt: Format, columns: Sequence[str]) -> str:
    """One object (a dict) or a list of them, in the format asked for."""
    if fmt == "json":
        return as_json(data)
    if fmt == "yaml":
        return as_yaml(data)
    rows = data if isinstance(data, list) else [data]
    return as_table([row for row in rows if isinstance(row, dict)], columns)
