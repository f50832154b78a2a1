"""Regolithe's external types (``_type.mapping``) and list subtypes as specgen value types.

A mapping gives each external type a type per generator: a Go type for ``elemental``, often a
JSON Schema for ``jsonschema`` or ``openapi3``. Either describes the JSON on the wire; this
module reads both into a :class:`~generator.attribute_types.ValueType`, or None when the
shape is not one specgen knows (a Go struct of another package, say): the attribute is then
carried as raw_data (any JSON), with a note.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.attribute_types import ValueType

_GO_SCALARS: dict[str, str] = {
    "string": "string",
    "bool": "boolean",
    "time.Time": "time",
    "float32": "float",
    "float64": "float",
    **{
        name: "integer"
        for name in ("int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64")
    },
}
_GO_ANY = ("any", "interface{}", "interface {}", "json.RawMessage")
# Regolithe's own type names, as a list's subtype may give them.
_REGOLITHE_SCALARS = {"string": "string", "integer": "integer", "float": "float", "boolean": "boolean", "time": "time"}
_MAP = re.compile(r"^map\[\s*string\s*\](.+)$")


def go_type(text: str) -> ValueType | None:
    """``map[string][]string`` -> map[list[string]]; None for a type whose JSON shape is unknown.

    ``any`` at the top is raw_data; as the values of a map of strings it makes the map an
    ``object`` (any JSON object).
    """
    text = text.strip().lstrip("*")
    if text in _GO_SCALARS:
        return ValueType(_GO_SCALARS[text])  # type: ignore[arg-type]
    if text in _GO_ANY:
        return ValueType("raw_data")
    if text == "[]byte":
        return ValueType("string")  # encoding/json writes bytes as base64 text
    if text.startswith("[]"):
        item = go_type(text[2:])
        return ValueType("list", item=item) if item is not None else None
    match = _MAP.match(text)
    if match:
        values = match.group(1).strip()
        if values.lstrip("*") in _GO_ANY:
            return ValueType("object")
        item = go_type(values)
        return ValueType("map", item=item) if item is not None else None
    return None


def list_item(subtype: str | None) -> ValueType | None:
    """A regolithe list's subtype (a Go type, or a regolithe type name) as the item type;
    a list without one holds any JSON (Go ``[]interface{}``)."""
    if subtype is None or subtype == "":
        return ValueType("raw_data")
    if subtype in _REGOLITHE_SCALARS:
        return ValueType(_REGOLITHE_SCALARS[subtype])  # type: ignore[arg-type]
    if subtype == "object":
        return ValueType("object")
    return go_type(subtype)


def json_schema_type(text: str) -> ValueType | None:
    """A JSON Schema (as ``jsonschema`` and ``openapi3`` mappings give it) as a value type."""
    try:
        schema = json.loads(text)
    except ValueError:
        return None
    return _from_schema(schema)


def _from_schema(schema: Any) -> ValueType | None:
    if not isinstance(schema, dict):
        return None
    kind = schema.get("type")
    if kind == "string":
        return ValueType("time") if schema.get("format") == "date-time" else ValueType("string")
    if kind == "integer":
        return ValueType("integer")
    if kind == "number":
        return ValueType("float")
    if kind == "boolean":
        return ValueType("boolean")
    if kind == "array":
        item = _from_schema(schema.get("items")) if "items" in schema else ValueType("raw_data")
        return ValueType("list", item=item) if item is not None else None
    if kind == "object":
        extra = schema.get("additionalProperties", True)
        if schema.get("properties"):
            return ValueType("object")
        if extra is True or extra == {}:
            return ValueType("object")
        item = _from_schema(extra)
        return ValueType("map", item=item) if item is not None else None
    if kind is None and not schema:
        return ValueType("raw_data")
    return None


def attribute_type(value_type: ValueType) -> tuple[str, str | None]:
    """The attribute ``type`` and ``subtype`` that hold values of this type."""
    if value_type.kind in ("list", "map"):
        assert value_type.item is not None
        return value_type.kind, str(value_type.item)
    return value_type.kind, None
