"""The docs target: ``docs/`` Markdown pages for mkdocs (Material).

``index.md`` is the overview; ``models/<name>.md`` one page per model; ``reference/`` holds how
to call the API and the spec-format reference, whose key tables come from the shipped JSON
Schemas. mkdocs builds its navigation from these folders (Overview, Models, Reference).
``assets/`` holds the site's stylesheet and script, copied from ``generator/runtime/docs/``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from generator import activity, naming, operations, validate
from generator.attribute_types import JSON
from generator.escape import html_text, json_text, shell_quote
from generator.importers.regolithe import keys as regolithe_keys
from generator.render import Templates
from generator.runtime.server import limits
from generator.runtime_files import copy_asset
from generator.spec import Api, Attribute, Model, NestedType

NAME = "docs"
# No Python among the shared files.
SHARED_IN_RUFF_LAYOUT = False

MODELS = "models"  # the folder of the model pages
REFERENCE = "reference"  # the folder of the pages about the API and the spec format as a whole
ASSETS = ("specgen.css", "specgen.js")  # generator/runtime/docs/ -> docs/assets/
# An identifier the server makes up, as it makes them (24 hex digits), for example responses.
EXAMPLE_ID = "5d07a1f0e1a2b3c4d5e6f701"
_SCHEMA_FILES = "generator/schemas/api.schema.json and generator/schemas/model.schema.json"
_REGOLITHE_TABLE = "generator/importers/regolithe/keys.py"
_JSON_KINDS = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean", "object": "mapping"}


@dataclass(frozen=True, slots=True)
class EnvVars:
    """The environment variables the examples read: ``SQUALL_URL``, ``SQUALL_TOKEN``, ``SQUALL_NAMESPACE``."""

    url: str
    token: str
    namespace: str

    @classmethod
    def of(cls, api: Api) -> EnvVars:
        prefix = naming.snake_case(api.title).upper() or "API"
        if prefix[0].isdigit():  # a shell variable's name cannot start with a digit
            prefix = f"API_{prefix}"
        return cls(f"{prefix}_URL", f"{prefix}_TOKEN", f"{prefix}_NAMESPACE")


TOKEN_PLACEHOLDER = "the-token-specgen-serve-printed"


def example_exports(api: Api, url: str, token: str | None) -> list[str]:
    """The lines that set the examples' variables: what ``specgen serve`` prints for its run
    (its URL and token), and what the docs show (the spec's base URL, a placeholder token).
    The namespace is the spec's example namespace, where ``make serve``'s sample data lives."""
    env = EnvVars.of(api)
    return [
        f"export {env.url}={shell_quote(url)}",
        f"export {env.namespace}={shell_quote(api.example_namespace)}",
        f"export {env.token}={shell_quote(token or TOKEN_PLACEHOLDER)}",
    ]


@dataclass(frozen=True, slots=True)
class AttributeProperties:
    """The twelve published properties of an attribute, compactly, as HTML (spec text escaped).

    The description is the paragraph above; ``facts`` holds the type and the other values
    (choices, unique_scope) when set, then what is not one of the twelve (Python field, exposed
    name, default, bounds); each flag sits in the group of its value, so *unset* never reads as
    ``false``, and an empty group is left out.
    """

    facts: tuple[tuple[str, str], ...]  # (label, HTML)
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # ("true", names), ("false", ...), ("unset", ...)

    def shown(self) -> dict[str, str]:
        """Each property the page shows and how: ``true``, ``false``, ``unset`` or its value's HTML."""
        out = {label: html for label, html in self.facts}
        for value, names in self.groups:
            out.update(dict.fromkeys(names, value))
        return out


def _code_html(text: str) -> str:
    return f"<code>{html_text(text)}</code>"


def attribute_properties(attribute: Attribute) -> AttributeProperties:
    facts: list[tuple[str, str]] = []
    groups: dict[str, list[str]] = {"true": [], "false": [], "unset": []}
    for key, value in attribute.doc_properties():
        if key == "description":
            continue  # the paragraph above the properties
        if key == "type":
            subtype = f" of {_code_html(attribute.subtype)}" if attribute.subtype else ""
            facts.append(("type", _code_html(attribute.type) + subtype))
        elif value is None:
            groups["unset"].append(key)
        elif value is True or value is False:
            groups["true" if value else "false"].append(key)
        elif isinstance(value, tuple):
            facts.append((key, ", ".join(_code_html(choice) for choice in value)))
        else:
            facts.append((key, _code_html(str(value))))
    facts.append(("Python field", _code_html(attribute.python_name)))
    if attribute.exposed_name != attribute.name:
        facts.append(("exposed name", _code_html(attribute.exposed_name)))
    for key in ("default_value", "example_value"):
        if getattr(attribute, key) is not None:
            facts.append((key, _code_html(json_text(getattr(attribute, key)))))
    for key in ("min_length", "max_length", "min_value", "max_value"):
        if getattr(attribute, key) is not None:
            facts.append((key, _code_html(str(getattr(attribute, key)))))
    return AttributeProperties(tuple(facts), tuple((label, tuple(names)) for label, names in groups.items() if names))


@dataclass(frozen=True, slots=True)
class PageEndpoint:
    """An operation as its section of the page shows it."""

    endpoint: operations.Endpoint
    title: str  # "Retrieve all Activities", as the published docs name it
    statuses: tuple[tuple[int, str], ...]  # every status it answers, success first, then by code
    response: str  # an example response body, JSON text

    @property
    def operation(self) -> str:
        return self.endpoint.operation


def title(model: Model) -> str:
    """``activity`` -> ``Activity``, ``access_rule`` -> ``Access Rule``."""
    return naming.title_case(model.name)


def example_object(api: Api, model: Model) -> dict[str, JSON]:
    """One object as the API answers it: every attribute with an example value (the spec's, else
    one of its type); the namespace is the example namespace, a made-up identifier looks real."""
    out: dict[str, JSON] = {}
    for attribute in model.attributes:
        value = attribute.example
        if attribute.example_value is None and attribute is model.generated_identifier:
            value = EXAMPLE_ID
        elif attribute.example_value is None and attribute.name == "namespace" and model.namespaced:
            value = api.example_namespace
        out[attribute.exposed_name] = value
    return out


def _response(operation: str, obj: dict[str, JSON]) -> str:
    """Indented JSON: no line can start a Markdown fence (each holds a key, a value or a bracket)."""
    return json.dumps([obj] if operation == "list" else obj, indent=2, ensure_ascii=False, sort_keys=True)


class ModelPage:
    """What model.md.j2 and the example snippets show beyond the spec, worked out once."""

    def __init__(self, api: Api, model: Model) -> None:
        self.title = title(model)
        self.plural_title = naming.title_case(model.category)
        self.article = naming.article(self.title)  # "an Activity", "a User"
        # The collection in CamelCase, as Go's client names its lists (``ActivitiesList``).
        self.plural_class_name = "".join(part[:1].upper() + part[1:] for part in model.category.split("_"))
        self.env = EnvVars.of(api)
        self.id_env_var = f"{model.name.upper()}_ID"  # where the examples read one object's identifier
        titles = {
            "list": f"Retrieve all {self.plural_title}",
            "retrieve": f"Retrieve a given {self.title}",
            "create": f"Create {self.article} {self.title}",
            "update": f"Update a given {self.title}",
            "delete": f"Delete a given {self.title}",
        }
        example = example_object(api, model)
        self.endpoints = [
            PageEndpoint(e, titles[e.operation], operations.statuses(e), _response(e.operation, example))
            for e in operations.endpoints(api, model)
        ]
        log = activity.activity_model(api)
        # The log every write of this model is recorded in (never the log itself).
        self.activity_log = log if log is not None and model.writes and log.name != model.name else None
        self.activity_title = title(log) if log is not None else ""
        self.activity_article = naming.article(self.activity_title)
        self.properties = {a.name: attribute_properties(a) for a in model.attributes}
        self.exports = example_exports(api, api.base_url, None)
        self.default_page_size = limits.DEFAULT_PAGE_SIZE
        self.max_page_size = limits.MAX_PAGE_SIZE


class IndexPage:
    """What index.md.j2 and reference/api.md.j2 show beyond the spec: each model's title, the
    statuses every request may answer, the limits as the server has them."""

    def __init__(self, api: Api) -> None:
        self.titles = {model.name: title(model) for model in api.models}
        self.limits = limits
        self.body_limit = operations.BODY_LIMIT
        self.statuses = operations.API_STATUSES


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
    if "anyOf" in node:  # several shapes: a list of names, or a mapping of each to its details
        return " or ".join(_type_of(root, branch) for branch in node["anyOf"])
    kind = node.get("type")
    if kind == "boolean":
        return "`true` or `false`"
    if kind == "object" and "propertyNames" in node:
        return "mapping of " + ", ".join(_code(str(v)) for v in node["propertyNames"].get("enum", []))
    if kind == "array":
        items = _resolve(root, node.get("items", {}))
        if items.get("type") == "string":
            return "list of " + _type_of(root, items).replace("one of ", "", 1)
        if "$ref" in node.get("items", {}) or items.get("type") == "object" or "anyOf" in items:
            return "list of mappings"
        return "list of " + _type_of(root, items).replace("one of ", "", 1)
    if isinstance(kind, str):
        return _JSON_KINDS.get(kind, kind)
    return "any value of the attribute's type"


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
        "attribute": _section(model, "attributes[]", model["$defs"]["attribute"]),
    }


def attribute_types() -> tuple[str, ...]:
    """The attribute types the model schema allows, in its order."""
    types: list[str] = validate.schema("model")["$defs"]["attribute"]["properties"]["type"]["enum"]
    return tuple(types)


def flag_names() -> tuple[str, ...]:
    """The tri-state flags: the attribute keys whose schema is the shared ``flag``."""
    properties = validate.schema("model")["$defs"]["attribute"]["properties"]
    return tuple(name for name, sub in properties.items() if sub.get("$ref") == "#/$defs/flag")


def runtime_files(api: Api) -> dict[str, str]:
    """The site's stylesheet and script, the same for every API."""
    return {f"docs/assets/{name}": copy_asset("docs", name) for name in ASSETS}


def render_shared(api: Api, templates: Templates) -> dict[str, str]:
    page = IndexPage(api)
    return {
        "docs/index.md": templates.render("docs/index.md.j2", api=api, page=page),
        f"docs/{REFERENCE}/api.md": templates.render("docs/api.md.j2", api=api, page=page),
        f"docs/{REFERENCE}/spec-format.md": templates.render(
            "docs/spec-format.md.j2",
            api=api,
            source=_SCHEMA_FILES,
            sections=schema_sections(),
            types=attribute_types(),
            flags=flag_names(),
        ),
        f"docs/{REFERENCE}/coming-from-regolithe.md": templates.render(
            "docs/coming-from-regolithe.md.j2", source=_REGOLITHE_TABLE, mapping=regolithe_keys.MAPPING
        ),
    }


def render_model(api: Api, model: Model, templates: Templates) -> dict[str, str]:
    page = ModelPage(api, model)
    return {f"docs/{MODELS}/{model.name}.md": templates.render("docs/model.md.j2", api=api, model=model, page=page)}


def render_type(api: Api, nested: NestedType, templates: Templates) -> dict[str, str]:
    return {}
