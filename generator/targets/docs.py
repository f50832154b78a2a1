"""The docs target: ``docs/`` Markdown pages for mkdocs (Material): an index, one page per model,
and the spec-format reference whose key tables come from the shipped JSON Schemas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import validate
from generator.errors import SpecError, SpecProblem
from generator.render import Templates
from generator.spec import Api, Model

NAME = "docs"
# No Python among the shared files.
SHARED_IN_RUFF_LAYOUT = False

# Pages the docs target writes beside the model pages; a model may not take their names.
_OWN_PAGES = ("index", "spec-format")
_SCHEMA_FILES = "generator/schemas/api.schema.json and generator/schemas/model.schema.json"
_JSON_KINDS = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean", "object": "mapping"}


@dataclass(frozen=True, slots=True)
class SchemaKey:
    """One key of a spec file as the reference page shows it."""

    name: str
    type: str  # Markdown, already formatted (may hold code spans)
    required: bool
    description: str  # plain text from the schema
    rules: tuple[str, ...]  # Markdown, already formatted


@dataclass(frozen=True, slots=True)
class SchemaSection:
    """The keys of one mapping of a spec file (``model:``, an attribute, ``_api.yaml``...)."""

    path: str  # where the mapping sits, e.g. ``attributes[]``
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


def _type_of(root: dict[str, Any], node: dict[str, Any]) -> str:
    if node.get("$ref") == "#/$defs/flag":
        return "flag: `true`, `false`, or leave the key out (unset)"
    node = _resolve(root, node)
    if "enum" in node:
        return "one of " + ", ".join(_code(str(v)) for v in node["enum"])
    kind = node.get("type")
    if kind == "boolean":
        return "`true` or `false`"
    if kind == "array":
        items = _resolve(root, node.get("items", {}))
        if "$ref" in node.get("items", {}) or items.get("type") == "object":
            return "list of mappings"
        return "list of " + _type_of(root, items).replace("one of ", "", 1)
    if isinstance(kind, str):
        return _JSON_KINDS.get(kind, kind)
    return "any value of the attribute's type"


def _rules_of(root: dict[str, Any], node: dict[str, Any]) -> tuple[str, ...]:
    node = _resolve(root, node)
    rules = []
    if node.get("minLength") == 1:
        rules.append("not empty")
    if "pattern" in node:
        rules.append("matches " + _code(node["pattern"]))
    if "minimum" in node:
        rules.append(f"at least {node['minimum']}")
    if node.get("minItems") == 1:
        rules.append("at least one item")
    if node.get("uniqueItems"):
        rules.append("no duplicates")
    items = node.get("items")
    if isinstance(items, dict) and "pattern" in items:
        rules.append("each matches " + _code(items["pattern"]))
    return tuple(rules)


def _section(root: dict[str, Any], path: str, node: dict[str, Any]) -> SchemaSection:
    node = _resolve(root, node)
    required = set(node.get("required", ()))
    keys = tuple(
        SchemaKey(
            name=name,
            type=_type_of(root, sub),
            required=name in required,
            description=_resolve(root, sub).get("description", ""),
            rules=_rules_of(root, sub),
        )
        for name, sub in node["properties"].items()
    )
    return SchemaSection(path=path, description=node.get("description", ""), keys=keys)


def schema_sections() -> dict[str, SchemaSection]:
    """Every mapping of the spec files, read from the shipped JSON Schemas (so the page never drifts)."""
    api = validate.schema("api")
    model = validate.schema("model")
    return {
        "api": _section(api, "_api.yaml", api),
        "packages": _section(api, "packages", api["properties"]["packages"]),
        "model_file": _section(model, "<name>.spec.yaml", model),
        "model": _section(model, "model", model["properties"]["model"]),
        "attribute": _section(model, "attributes[]", model["properties"]["attributes"]["items"]),
    }


def attribute_types() -> tuple[str, ...]:
    """The attribute types the model schema allows, in its order."""
    types: list[str] = validate.schema("model")["$defs"]["attribute"]["properties"]["type"]["enum"]
    return tuple(types)


def flag_names() -> tuple[str, ...]:
    """The tri-state flags: the attribute keys whose schema is the shared ``flag``."""
    properties = validate.schema("model")["$defs"]["attribute"]["properties"]
    return tuple(name for name, sub in properties.items() if sub.get("$ref") == "#/$defs/flag")


def _check_names(api: Api) -> None:
    taken = [m for m in api.models if m.name in _OWN_PAGES]
    if taken:
        raise SpecError(
            [
                SpecProblem(m.spec_file, 1, 1, "model.name", f"{m.name!r} is the name of a docs page; rename the model")
                for m in taken
            ]
        )


def render_shared(api: Api, templates: Templates) -> dict[str, str]:
    _check_names(api)
    return {
        "docs/index.md": templates.render("docs/index.md.j2", api=api),
        "docs/spec-format.md": templates.render(
            "docs/spec-format.md.j2",
            api=api,
            source=_SCHEMA_FILES,
            sections=schema_sections(),
            types=attribute_types(),
            flags=flag_names(),
        ),
    }


def render_model(api: Api, model: Model, templates: Templates) -> dict[str, str]:
    return {f"docs/{model.name}.md": templates.render("docs/model.md.j2", api=api, model=model)}
