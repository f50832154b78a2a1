"""The attribute types of the spec language, and what each one is in Python, SQL and prose.

One table, read by the spec objects, the targets and the validator. The model schema's
``type`` enum and the server runtime's ``table.Kind`` list the same names
(tests/test_attribute_types.py holds the three together).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

JSON = None | bool | int | float | str | list["JSON"] | dict[str, "JSON"]
AttributeType = Literal["string", "integer", "float", "boolean", "time", "enum", "list", "object", "raw_data"]


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """What one attribute type is beyond its name."""

    python: str  # the field's annotation, without ``| None`` (enum and list are built per attribute)
    sql: str  # the SQLite column type
    expected: str  # "a string": what a value must be, in error messages
    plural: str  # "strings": the items of a list of this type
    example: JSON  # a plausible value, for docs and examples, when the spec gives none
    is_json: bool = False  # free-form JSON, stored as canonical JSON text


TYPES: dict[AttributeType, TypeInfo] = {
    "string": TypeInfo("str", "TEXT", "a string", "strings", None),
    "integer": TypeInfo("int", "INTEGER", "an integer", "integers", 42),
    "float": TypeInfo("float", "REAL", "a number", "numbers", 0.5),
    "boolean": TypeInfo("bool", "INTEGER", "a boolean", "booleans", True),
    # RFC 3339 UTC with fixed width sorts chronologically as text.
    "time": TypeInfo("datetime", "TEXT", "a time", "times", "2019-06-17T10:00:00Z"),
    "enum": TypeInfo("str", "TEXT", "a string", "strings", None),
    "list": TypeInfo("list", "TEXT", "a list", "lists", None, is_json=True),
    "object": TypeInfo("dict[str, JSONValue]", "TEXT", "an object", "objects", {"key": "value"}, is_json=True),
    "raw_data": TypeInfo("JSONValue", "TEXT", "JSON", "JSON values", {"key": "value"}, is_json=True),
}
NAMES: tuple[AttributeType, ...] = tuple(TYPES)
# The types a list's items may have: any but enum and list.
SUBTYPES: tuple[AttributeType, ...] = tuple(name for name in NAMES if name not in ("enum", "list"))
