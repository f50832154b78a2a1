"""The key tables of the spec-format page, read from the shipped JSON Schemas.

Each mapping a spec file may hold (``_api.yaml``, a parameter set, a model, an attribute, a
relation, a nested type, an abstract...) is one :class:`SchemaSection`: its keys with their
type in words, whether they are required, their description and their rules. The page never
drifts from what ``validate`` accepts because it is made from the same schemas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import validate

SCHEMA_FILES = (
    "generator/schemas/api.schema.json, model.schema.json, type.schema.json, abstract.schema.json"
    " and common.schema.json"
)
_NOUNS = {"string": "string", "integer": "integer", "number": "number", "object": "mapping"}
# Shared parts of the schemas, and the section of the page that lists their keys.
_DEF_SECTIONS = {"attribute": "attributes", "operation": "operations", "parameter": "parameters"}


@dataclass(frozen=True, slots=True)
class SchemaKey:
    """One key of a spec file as the reference page shows it."""

    name: str
    type: str  # Markdown, already formatted (may hold code spans and links to other sections)
    required: bool
    description: str  # plain text from the schema
    rules: tuple[str, ...]  # Markdown, already formatted


@dataclass(frozen=True, slots=True)
class SchemaSection:
    """The keys of one mapping of a spec file (``model:``, an attribute, ``_api.yaml``...)."""

    path: str  # where the mapping sits, e.g. ``attributes[]``
    anchor: str  # the id of its heading on the page
    description: str
    keys: tuple[SchemaKey, ...]


def _code(text: str) -> str:
    # Schema literals hold no backticks; a double-backtick span keeps a leading/trailing one safe anyway.
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node
    target: Any = root
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    merged: dict[str, Any] = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return merged


def _def_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    return ref.removeprefix("#/$defs/") if isinstance(ref, str) and ref.startswith("#/$defs/") else None


def _type_of(root: dict[str, Any], node: dict[str, Any], plural: bool = False) -> str:
    """The type of a schema node in words (Markdown); ``plural`` for the items of a list."""
    name = _def_name(node)
    if name == "flag":
        return "flags" if plural else "flag: `true`, `false`, or leave the key out (unset)"
    if name == "name":
        return "names" if plural else "name"
    if name == "names":
        return "lists of names" if plural else "list of names"
    if name == "attributes":
        return "list of [attribute](#attributes) mappings"
    if name == "parameters":
        return "list of `$set` names or [parameter](#parameters) mappings"
    if name in _DEF_SECTIONS:
        return f"[{name}](#{_DEF_SECTIONS[name]}) mapping{'s' if plural else ''}"
    node = _resolve(root, node)
    if "enum" in node:
        values = ", ".join(_code(str(v)) for v in node["enum"])
        return values if plural else f"one of {values}"
    if "anyOf" in node:  # several shapes: a list of names, or a mapping of each to its details
        return ", or ".join(_type_of(root, branch, plural) for branch in node["anyOf"])
    kind = node.get("type")
    if kind == "boolean":
        return "booleans" if plural else "`true` or `false`"
    if kind == "object":
        return _mapping(root, node, plural)
    if kind == "array":
        items = node.get("items", {})
        inner = _type_of(root, items, plural=True)
        return f"lists of {inner}" if plural else f"list of {inner}"
    if isinstance(kind, str):
        noun = _NOUNS.get(kind, kind)
        return f"{noun}s" if plural else noun
    return "values of its type" if plural else "any value of its type"


def _mapping(root: dict[str, Any], node: dict[str, Any], plural: bool) -> str:
    values = node.get("additionalProperties")
    keys = node.get("propertyNames", {})
    if isinstance(values, dict):
        named = (
            ", ".join(_code(str(v)) for v in keys["enum"])
            if "enum" in keys
            else "names"
            if "pattern" in keys
            else "strings"
        )
        value = _type_of(root, values)
        # A mapping of its own is described by a section below the table.
        value = "mappings (below)" if value == "mapping" else value.removeprefix("one of ")
        return f"mapping{'s' if plural else ''} of {named} to {value}"
    return "mappings" if plural else "mapping"


def _rules_of(root: dict[str, Any], node: dict[str, Any]) -> tuple[str, ...]:
    node = _resolve(root, node)
    if "anyOf" in node:  # the rules of each shape, once
        return tuple(dict.fromkeys(rule for branch in node["anyOf"] for rule in _rules_of(root, branch)))
    rules = []
    if node.get("minLength") == 1:
        rules.append("not empty")
    if "pattern" in node:
        rules.append("matches " + _code(node["pattern"]))
    if "minimum" in node:
        rules.append(f"at least {node['minimum']}")
    if node.get("minItems") == 1 or node.get("minProperties") == 1:
        rules.append("at least one item")
    if node.get("uniqueItems"):
        rules.append("no duplicates")
    keys = node.get("propertyNames")
    if isinstance(keys, dict) and "pattern" in keys:
        rules.append("each name matches " + _code(keys["pattern"]))
    items = node.get("items")
    if isinstance(items, dict):
        items = _resolve(root, items)
        if "pattern" in items:
            rules.append("each matches " + _code(items["pattern"]))
        for branch in items.get("anyOf", ()):
            branch = _resolve(root, branch)
            if branch.get("type") == "string" and "pattern" in branch:
                rules.append("each name matches " + _code(branch["pattern"]))
    return tuple(rules)


# Keys whose value is a mapping (or a list of them) with a section of its own on the page.
_KEY_SECTIONS = {
    "packages": "packages",
    "model": "model",
    "relations": "relations",
    "type": "type",
    "abstract": "abstract",
}


def _key_type(root: dict[str, Any], name: str, sub: dict[str, Any]) -> str:
    text = _type_of(root, sub)
    if name in _KEY_SECTIONS and text in ("mapping", "list of mappings"):
        return f"{text} ([below](#{_KEY_SECTIONS[name]}))"
    return text


def _section(root: dict[str, Any], path: str, anchor: str, node: dict[str, Any]) -> SchemaSection:
    node = _resolve(root, node)
    required = set(node.get("required", ()))
    keys = tuple(
        SchemaKey(
            name=name,
            type=_key_type(root, name, sub),
            required=name in required,
            description=_resolve(root, sub).get("description", ""),
            rules=_rules_of(root, sub),
        )
        for name, sub in node["properties"].items()
    )
    return SchemaSection(path=path, anchor=anchor, description=node.get("description", ""), keys=keys)


def schema_sections() -> dict[str, SchemaSection]:
    """Every mapping of the spec files, read from the shipped JSON Schemas (so the page never drifts)."""
    api = validate.schema("api")
    model = validate.schema("model")
    nested = validate.schema("type")
    abstract = validate.schema("abstract")
    api_keys = api["properties"]
    return {
        "api": _section(api, "_api.yaml", "api-yaml", api),
        "packages": _section(api, "packages", "packages", api_keys["packages"]),
        "parameter_set": _section(
            api, "parameters.<set>", "parameter-sets", api_keys["parameters"]["additionalProperties"]
        ),
        "validator": _section(api, "validators.<name>", "validators", api_keys["validators"]["additionalProperties"]),
        "model_file": _section(model, "<name>.spec.yaml", "model-files", model),
        "model": _section(model, "model", "model", model["properties"]["model"]),
        "attribute": _section(model, "attributes[]", "attributes", model["$defs"]["attribute"]),
        "operation": _section(model, "operations.<operation>", "operations", model["$defs"]["operation"]),
        "parameter": _section(model, "parameters[]", "parameters", model["$defs"]["parameter"]),
        "relation": _section(model, "relations[]", "relations", model["properties"]["relations"]["items"]),
        "type_file": _section(nested, "<name>.type.yaml", "type-files", nested),
        "type": _section(nested, "type", "type", nested["properties"]["type"]),
        "abstract_file": _section(abstract, "<name>.abstract.yaml", "abstract-files", abstract),
        "abstract": _section(abstract, "abstract", "abstract", abstract["properties"]["abstract"]),
    }


def attribute_types() -> tuple[str, ...]:
    """The attribute types the model schema allows, in its order."""
    types: list[str] = validate.schema("model")["$defs"]["attribute"]["properties"]["type"]["enum"]
    return tuple(types)


def flag_names() -> tuple[str, ...]:
    """The tri-state flags: the attribute keys whose schema is the shared ``flag``."""
    properties = validate.schema("model")["$defs"]["attribute"]["properties"]
    return tuple(name for name, sub in properties.items() if sub.get("$ref") == "#/$defs/flag")
