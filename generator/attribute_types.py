"""The attribute types of the spec language, and what each one is in Python, SQL and prose.

One table, read by the spec objects, the targets and the validator. The model schema's
``type`` enum and the server runtime's ``table.Kind`` list the same names
(tests/test_attribute_types.py holds the three together).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

JSON = None | bool | int | float | str | list["JSON"] | dict[str, "JSON"]
AttributeType = Literal[
    "string",
    "integer",
    "float",
    "boolean",
    "time",
    "enum",
    "list",
    "map",
    "object",
    "raw_data",
    "ref",
    "ref_list",
    "ref_map",
]
# The types of one value: what a list or map holds, what a subtype expression names.
ValueKind = Literal["string", "integer", "float", "boolean", "time", "enum", "object", "raw_data", "list", "map", "ref"]


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
    "map": TypeInfo("dict", "TEXT", "a map", "maps", None, is_json=True),
    "object": TypeInfo("dict[str, JSONValue]", "TEXT", "an object", "objects", {"key": "value"}, is_json=True),
    "raw_data": TypeInfo("JSONValue", "TEXT", "JSON", "JSON values", {"key": "value"}, is_json=True),
    "ref": TypeInfo("object", "TEXT", "an object", "objects", None, is_json=True),
    "ref_list": TypeInfo("list", "TEXT", "a list", "lists", None, is_json=True),
    "ref_map": TypeInfo("dict", "TEXT", "a map", "maps", None, is_json=True),
}
NAMES: tuple[AttributeType, ...] = tuple(TYPES)
# The value types a subtype expression may name (besides list[...], map[...]): any but enum.
SCALARS: tuple[ValueKind, ...] = ("string", "integer", "float", "boolean", "time", "object", "raw_data")
# Types whose subtype names a nested type or a model.
REF_TYPES: frozenset[AttributeType] = frozenset({"ref", "ref_list", "ref_map"})


@dataclass(frozen=True, slots=True)
class ValueType:
    """The type of a value: a scalar, a list or map (string keys) of values, or an object of a
    nested type or model (``ref``, naming it). An attribute's type and subtype come down to one."""

    kind: ValueKind
    item: ValueType | None = None  # list and map
    ref: str | None = None  # ref: the nested type or model

    def __str__(self) -> str:
        if self.item is not None:
            return f"{self.kind}[{self.item}]"
        return self.ref if self.ref is not None else self.kind

    @property
    def refs(self) -> tuple[str, ...]:
        """Every nested type or model this type reaches."""
        if self.ref is not None:
            return (self.ref,)
        return self.item.refs if self.item is not None else ()


class SubtypeError(ValueError):
    """A subtype expression that is not one; the message says what is allowed."""


def parse_subtype(text: str) -> ValueType:
    """``string``, ``list[string]``, ``map[list[integer]]``: a value type (refs are not written here)."""
    for container in ("list", "map"):
        if text.startswith(f"{container}[") and text.endswith("]"):
            return ValueType(container, item=parse_subtype(text[len(container) + 1 : -1]))
    if text in SCALARS:
        return ValueType(text)
    allowed = ", ".join(SCALARS)
    raise SubtypeError(f"{text!r} is not a value type; allowed: {allowed}, or list[T] or map[T] of one")


def attribute_value_type(kind: AttributeType, subtype: str | None) -> ValueType:
    """An attribute's type and subtype as one value type; SubtypeError when the subtype is malformed."""
    if kind in ("list", "map"):
        assert subtype is not None
        return ValueType(kind, item=parse_subtype(subtype))
    if kind == "ref":
        return ValueType("ref", ref=subtype)
    if kind == "ref_list":
        return ValueType("list", item=ValueType("ref", ref=subtype))
    if kind == "ref_map":
        return ValueType("map", item=ValueType("ref", ref=subtype))
    return ValueType(kind)
