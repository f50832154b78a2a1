"""The docs target: ``docs/`` Markdown pages for mkdocs (Material): an index, one page per model,
and the spec-format reference whose key tables come from the shipped JSON Schemas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import activity, naming, operations, validate
from generator.errors import SpecError, SpecProblem
from generator.render import Templates
from generator.runtime.server import limits
from generator.spec import Api, Model

NAME = "docs"
# No Python among the shared files.
SHARED_IN_RUFF_LAYOUT = False

# Pages the docs target writes beside the model pages; a model may not take their names.
_OWN_PAGES = ("index", "spec-format")
_SCHEMA_FILES = "generator/schemas/api.schema.json and generator/schemas/model.schema.json"
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


@dataclass(frozen=True, slots=True)
class PageEndpoint:
    """An operation as its section of the page shows it."""

    endpoint: operations.Endpoint
    title: str  # "Retrieve all Activities", as the published docs name it

    @property
    def operation(self) -> str:
        return self.endpoint.operation


def title(model: Model) -> str:
    """``activity`` -> ``Activity``, ``access_rule`` -> ``Access Rule``."""
    return naming.title_case(model.name)


class ModelPage:
    """What model.md.j2 and the example snippets show beyond the spec, worked out once."""

    def __init__(self, api: Api, model: Model) -> None:
        self.title = title(model)
        self.plural_title = naming.title_case(model.category)
        self.article = "an" if self.title[:1].lower() in "aeiou" else "a"  # "an Activity"
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
        self.endpoints = [PageEndpoint(e, titles[e.operation]) for e in operations.endpoints(model)]
        log = activity.activity_model(api)
        # The log every write of this model is recorded in (never the log itself).
        self.activity_log = log if log is not None and model.writes and log.name != model.name else None
        self.activity_title = title(log) if log is not None else ""
        self.default_page_size = limits.DEFAULT_PAGE_SIZE
        self.max_page_size = limits.MAX_PAGE_SIZE


class IndexPage:
    """What index.md.j2 shows beyond the spec: each model's title, the limits as the server has them."""

    def __init__(self, api: Api) -> None:
        self.titles = {model.name: title(model) for model in api.models}
        self.limits = limits
        self.body_limit = operations.BODY_LIMIT


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


def runtime_files(api: Api) -> dict[str, str]:
    return {}  # the docs copy no runtime code


def render_shared(api: Api, templates: Templates) -> dict[str, str]:
    _check_names(api)
    return {
        "docs/index.md": templates.render("docs/index.md.j2", api=api, page=IndexPage(api)),
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
    page = ModelPage(api, model)
    return {f"docs/{model.name}.md": templates.render("docs/model.md.j2", api=api, model=model, page=page)}
