"""The docs target: ``docs/`` Markdown pages for mkdocs (Material).

``index.md`` is the overview (the models, the tree of their relations, the nested types);
``models/<name>.md`` one page per model; ``nested-types/<name>.md`` one page per nested type;
``reference/`` holds how to call the API, the attributes shared through abstracts (documented
once, there) and the spec-format reference, whose key tables come from the shipped JSON
Schemas. mkdocs builds its navigation from these folders, in the order of their names:
Overview, Models, Nested types, Reference (hence ``nested-types``: a folder named ``types``
would sort after Reference). ``assets/`` holds the site's stylesheet and script, copied from
``generator/runtime/docs/``.

Private models and nested types are served but not documented: no page, no entry in the
navigation or the overview, and no route that leads to one (the collection of a private
child under a documented parent, or a documented child's collection under a private parent).
An attribute that holds an object of a private type says so, without a link.

Hidden attributes (``exposed: false``) are not documented at all: a client never sees one,
and sending one is refused like sending any attribute the model does not have; naming them
would only publish how the server works inside.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from generator import activity, indented_json, naming, operations
from generator.attribute_types import JSON, ValueType
from generator.escape import code_spans_html, html_cell, html_text, json_text, python_string, shell_quote
from generator.importers.regolithe import keys as regolithe_keys
from generator.render import Templates
from generator.runtime.client.settings import parameter_flag
from generator.runtime.server import limits
from generator.runtime_files import copy_asset
from generator.spec import Abstract, Api, Attribute, Model, NestedType, Operation, Parameter
from generator.targets import docs_examples
from generator.targets.docs_examples import Mode
from generator.targets.docs_reference import SCHEMA_FILES, attribute_types, flag_names, schema_sections

__all__ = ["attribute_types", "flag_names", "schema_sections"]  # the spec-format page's tables, read by tests

NAME = "docs"
# No Python among the shared files.
SHARED_IN_RUFF_LAYOUT = False

MODELS = "models"  # the folder of the model pages
TYPES = "nested-types"  # the folder of the nested type pages
REFERENCE = "reference"  # the folder of the pages about the API and the spec format as a whole
SHARED = "shared-attributes"  # the reference page of the abstracts' attributes
ASSETS = ("specgen.css", "specgen.js")  # generator/runtime/docs/ -> docs/assets/
# An identifier the server makes up, as it makes them (24 hex digits), for example responses.
EXAMPLE_ID = "5d07a1f0e1a2b3c4d5e6f701"
# What each type of custom parameter takes, in words.
_PARAMETER_VALUES = {
    "string": "string",
    "integer": "integer",
    "float": "number",
    "boolean": "`true` or `false`",
    "time": "RFC 3339 time",
    "duration": "duration (`90s`, `15m`, `1h30m`, `2d`)",
}
_REGOLITHE_TABLE = "generator/importers/regolithe/keys.py"
_CHANGES_RULES = "generator/diff.py"  # the rules the "Changing a spec" page tabulates


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


# --- links and names ------------------------------------------------------------------------


def link(here: str, folder: str, page: str, anchor: str = "", suffix: str = ".md") -> str:
    """A relative link from a page in folder ``here`` ("" for the top) to ``folder/page.md#anchor``.

    Page names and anchors are spec names (letters, digits, ``_`` and ``-``): safe in a link.
    """
    if folder == here:
        path = f"{page}{suffix}"
    elif not here:
        path = f"{folder}/{page}{suffix}"
    else:
        path = f"../{folder}/{page}{suffix}" if folder else f"../{page}{suffix}"
    return f"{path}#{anchor}" if anchor else path


def href(here: str, folder: str, page: str, anchor: str = "") -> str:
    """The same link as :func:`link`, to the built page (``.html``), for the tables written as HTML.

    mkdocs neither checks nor rewrites a link inside HTML: this is the URL the page has in the
    built site (``use_directory_urls: false``), and the specgen mkdocs plugin checks that every
    one of them leads to a page and an id that exist (generator/docs_site/links.py).
    """
    return link(here, folder, page, anchor, ".html")


def title(model: Model | NestedType | Abstract) -> str:
    """``activity`` -> ``Activity``, ``access_rule`` -> ``Access Rule``."""
    return naming.title_case(model.name)


def object_href(api: Api, name: str, here: str) -> str | None:
    """The built page of a model or nested type, or None when it is private (it has none)."""
    target = api.object_type(name)
    if target.private:
        return None
    return href(here, MODELS if isinstance(target, Model) else TYPES, target.name)


def type_html(api: Api, value_type: ValueType, here: str) -> str:
    """A value type in words, linked, as HTML: ``list of <a href="../nested-types/label.html">Label</a>``."""
    if value_type.item is not None:
        return f"{value_type.kind} of {type_html(api, value_type.item, here)}"
    if value_type.ref is not None:
        target = object_href(api, value_type.ref, here)
        if target is None:
            return f"<code>{html_text(value_type.ref)}</code> (not documented)"
        return f'<a href="{target}">{html_text(naming.title_case(value_type.ref))}</a>'
    return f"<code>{value_type.kind}</code>"


def code(text: str, css_class: str = "") -> str:
    """Spec text as inline code in HTML (a table cell): escaped, characters one cannot see shown
    as escapes, one line. ``css_class="sg-value"`` marks a value (a default, an example...) that
    may wrap, where a name never does."""
    shown = text if text.isprintable() else "".join(c if c.isprintable() else json.dumps(c)[1:-1] for c in text)
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<code{attribute}>{html_text(shown)}</code>"


def _words(names: list[str] | tuple[str, ...], last: str = "and") -> str:
    """```a`, `b` and `c```: names are spec names, safe in code spans."""
    shown = [f"`{name}`" for name in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" {last} " + shown[-1]


# --- attributes -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttributeProperties:
    """The twelve published properties of an attribute, compactly, as HTML (spec text escaped).

    The description and the type have cells of their own in the attributes table; ``facts``
    holds the other values (choices, unique_scope) when set, then what is not one of the twelve
    (Python field, exposed name, default, bounds); each flag sits in the group of its value, so
    *unset* never reads as ``false``, and an empty group is left out.
    """

    facts: tuple[tuple[str, str], ...]  # (label, HTML)
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # ("true", names), ("false", ...), ("unset", ...)


def attribute_properties(attribute: Attribute) -> AttributeProperties:
    facts: list[tuple[str, str]] = []
    groups: dict[str, list[str]] = {"true": [], "false": [], "unset": []}
    for key, value in attribute.doc_properties():
        if key in ("description", "type"):
            continue  # each in its own cell
        if value is None:
            groups["unset"].append(key)
        elif value is True or value is False:
            groups["true" if value else "false"].append(key)
        elif isinstance(value, tuple):
            facts.append((key, ", ".join(code(choice, "sg-value") for choice in value)))
        else:
            facts.append((key, code(str(value), "sg-value")))
    facts.append(("Python field", code(attribute.python_name)))
    if attribute.exposed_name != attribute.name:
        facts.append(("exposed name", code(attribute.exposed_name)))
    for key in ("default_value", "example_value"):
        if getattr(attribute, key) is not None:
            facts.append((key, code(json_text(getattr(attribute, key)), "sg-value")))
    for key in ("min_length", "max_length", "min_value", "max_value"):
        if getattr(attribute, key) is not None:
            facts.append((key, code(str(getattr(attribute, key)))))
    return AttributeProperties(tuple(facts), tuple((label, tuple(names)) for label, names in groups.items() if names))


@dataclass(frozen=True, slots=True)
class AttributeView:
    """An attribute as a row of an attributes table shows it: its type in words, what its flags
    of visibility, storage and validation mean for a client, and its twelve properties; or, for
    one a model takes from an abstract, a link to where the shared attributes page documents it."""

    attribute: Attribute
    anchor: str  # the id of its row, on the page that documents it
    href: str  # a link to that row, from the page that shows it
    type: str  # HTML: 'list of <a href="../nested-types/label.html">Label</a>'
    tags: tuple[str, ...]  # short words beside the type: "write-only", "transient"...
    notes: tuple[str, ...]  # HTML sentences, one per flag or validator
    properties: AttributeProperties
    shared: tuple[str, str] | None = None  # (title, link) of the abstract that documents it elsewhere

    @property
    def summary_type(self) -> str:
        return ", ".join((self.type, *self.tags))


def _accepted_on(owner: Model | NestedType | Abstract, attribute: Attribute, api: Api) -> str:
    """When a client may send the attribute: "on create and update", "on create"..."""
    if isinstance(owner, NestedType):
        return "whenever the object that holds it is written"
    if isinstance(owner, Abstract):  # documented once for every model that extends it
        return "on create and update"
    creates = owner.allows("create") or any(relation.create is not None for _, relation in api.parents_of(owner))
    updates = owner.allows("update") and not attribute.creation_only
    writes = [word for word, allowed in (("create", creates), ("update", updates)) if allowed]
    return "on " + " and ".join(writes) if writes else "on write"


def attribute_notes(api: Api, owner: Model | NestedType | Abstract, attribute: Attribute) -> tuple[str, ...]:
    """What the attribute's visibility, storage and validators mean for a client, in HTML."""
    notes = []
    logged = activity.activity_model(api) is not None and api.writes
    if attribute.secret:
        never = "never returned, nor recorded in the activity log" if logged else "never returned"
        notes.append(f"<strong>Write-only:</strong> accepted {_accepted_on(owner, attribute, api)}, {never}.")
    if not attribute.stored:
        notes.append("<strong>Transient:</strong> accepted on write, returned by that write, never kept.")
    if attribute.omit_empty:
        notes.append(
            "<strong>Omitted when empty:</strong> an empty value (<code>&quot;&quot;</code>, <code>0</code>,"
            " <code>false</code>, <code>[]</code> or <code>{}</code>) is left out of responses,"
            " as an unset one is."
        )
    if attribute.encrypted:
        notes.append(
            "<strong>Encrypted at rest:</strong> the server stores it encrypted with its key; it is sent as is."
        )
    if attribute.pattern is not None:
        reason = f" ({html_cell(attribute.pattern_message)})" if attribute.pattern_message else ""
        notes.append(f"<strong>Pattern:</strong> must match {code(attribute.pattern)}{reason}.")
    for name in attribute.validators:
        notes.append(_validator_note(api, name))
    return tuple(notes)


def _validator_note(api: Api, name: str) -> str:
    validator = api.validators_by_name[name]
    text = f"<strong>Validator <code>{name}</code>:</strong> {html_cell(validator.description)}"
    if validator.pattern is not None:
        reason = f" ({html_cell(validator.message)})" if validator.message else ""
        text += f" Must match {code(validator.pattern)}{reason}."
    return text


def _tags(attribute: Attribute) -> tuple[str, ...]:
    flags = (
        ("write-only", attribute.secret),
        ("transient", not attribute.stored),
        ("encrypted", attribute.encrypted),
    )
    return tuple(word for word, on in flags if on)


def attribute_view(
    api: Api,
    owner: Model | NestedType | Abstract,
    attribute: Attribute,
    here: str,
    anchor: str,
    href: str,
    shared: tuple[str, str] | None = None,
) -> AttributeView:
    return AttributeView(
        attribute=attribute,
        anchor=anchor,
        href=href,
        type=type_html(api, attribute.value_type, here),
        tags=_tags(attribute),
        notes=attribute_notes(api, owner, attribute),
        properties=attribute_properties(attribute),
        shared=shared,
    )


def shared_anchor(abstract: str, attribute: str) -> str:
    """The id of an abstract's attribute on the shared attributes page (abstract names hold no ``-``)."""
    return f"{abstract}-attribute-{attribute}"


class Attributes:
    """The attributes a model or nested type page shows, one row each in its attributes table:
    every one on the wire, in full only its own; those of its abstracts link to the shared
    attributes page, which documents them once."""

    def __init__(self, api: Api, owner: Model | NestedType, here: str) -> None:
        self.rows: list[AttributeView] = []
        for attribute in (a for a in owner.attributes if a.exposed):
            if attribute.origin is None:
                anchor = f"attribute-{attribute.name}"
                view = attribute_view(api, owner, attribute, here, anchor, f"#{anchor}")
            else:
                anchor = shared_anchor(attribute.origin, attribute.name)
                origin = (naming.title_case(attribute.origin), href(here, REFERENCE, SHARED, attribute.origin))
                view = attribute_view(
                    api, owner, attribute, here, anchor, href(here, REFERENCE, SHARED, anchor), origin
                )
            self.rows.append(view)
        self.shared = any(view.shared for view in self.rows)
        self.shared_page = link(here, REFERENCE, SHARED)
        self.by_name = {view.attribute.name: view for view in self.rows}


# --- operations -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParameterRow:
    """A custom parameter of an operation, as a row of its parameters table."""

    name: str
    value: str  # HTML: its type, whether required or repeatable, its default
    meaning: str  # HTML: its description, and the set it comes from


def parameter_row(parameter: Parameter) -> ParameterRow:
    if parameter.type == "enum" and parameter.choices:
        value = "one of " + ", ".join(code(choice) for choice in parameter.choices)
    else:
        value = code_spans_html(_PARAMETER_VALUES[parameter.type])
    value += ", required" if parameter.required else ", optional"
    if parameter.multiple:
        value += ", repeatable"
    default = parameter.default_value
    if default is not None:
        value += "; default " + code(default if isinstance(default, str) else json_text(default))
    meaning = html_cell(parameter.description)
    if parameter.parameter_set is not None:
        meaning += f" From the parameter set <code>{parameter.parameter_set}</code>."
    return ParameterRow(parameter.name, value, meaning)


def combination_rule(group: tuple[tuple[str, ...], ...]) -> str:
    """A combination group in words: "A request must give `since` and `until`, or `last`"."""
    alternatives = [_words(alternative) for alternative in group]
    if len(alternatives) == 1:
        return f"A request must give {alternatives[0]} together; otherwise it answers `400`."
    return f"A request must give {', or '.join(alternatives)}; otherwise it answers `400`."


@dataclass(frozen=True, slots=True)
class ParentView:
    """A parent model as the operations under it name it."""

    model: Model
    title: str
    identifier: str  # the name of its identifier, which ``{id}`` holds
    id_env_var: str  # where the examples read one parent's identifier

    @classmethod
    def of(cls, parent: Model) -> ParentView:
        return cls(parent, title(parent), parent.identifier or "identifier", id_env_var(parent))


@dataclass(frozen=True, slots=True)
class PageEndpoint:
    """An operation as its section of the page shows it."""

    endpoint: operations.Endpoint
    title: str  # "Retrieve all Activities", as the published docs name it
    anchor: str  # "list"; "list-under-project" for the collection under a parent
    statuses: tuple[tuple[int, str], ...]  # every status it answers, success first, then by code
    response: str  # an example response body, JSON text
    body: str | None  # an example request body, JSON text
    parameters: tuple[ParameterRow, ...]  # the spec's own, after the built-in ones
    parameter_sets: tuple[tuple[str, str], ...]  # (name, description) of the sets it uses
    rules: tuple[str, ...]  # the combinations, in words
    parent: ParentView | None  # the parent, for an operation under one
    example_query: str  # "?last=24h": what the example request must give
    example_parameters: tuple[tuple[str, str], ...]  # the same, as (name, value) pairs
    cli_options: str  # the same, as the generated command line's options: " --last 24h"
    python_arguments: str  # the same, as the generated client's keyword arguments: 'last="24h"'

    @property
    def go_parameters(self) -> str:
        """The example's parameters as a Go ``url.Values`` literal."""
        entries = ", ".join(f"{_go_string(name)}: {{{_go_string(value)}}}" for name, value in self.example_parameters)
        return f"url.Values{{{entries}}}"

    @property
    def operation(self) -> str:
        return self.endpoint.operation

    @property
    def has_parameters(self) -> bool:
        return bool(self.endpoint.parameters or self.parameters)


def _cli_option(parameter: Parameter) -> str:
    """A parameter of an example as the generated command line takes it: `` --archived exclude``."""
    flag = parameter_flag(parameter.name)
    value = docs_examples.parameter_example(parameter)
    if parameter.type == "boolean" and not parameter.multiple:
        return f" --{flag}" if value == "true" else f" --no-{flag}"
    return f" --{flag} {shell_quote(value)}"


def _python_argument(parameter: Parameter) -> str:
    """A parameter of an example as the generated client takes it: ``archived="exclude"``."""
    value = docs_examples.parameter_example(parameter)
    literal: str
    if parameter.type == "boolean":
        literal = "True" if value == "true" else "False"
    elif parameter.type in ("integer", "float"):
        literal = value
    else:
        literal = python_string(value)
    if parameter.multiple:
        literal = f"[{literal}]"
    return f"{naming.python_name(parameter.name)}={literal}"


_CUSTOM_400 = "a parameter missing, malformed or outside its choices"


def _statuses(endpoint: operations.Endpoint) -> tuple[tuple[int, str], ...]:
    """:func:`operations.statuses`, the ``400`` naming the operation's own parameters when it has some."""
    found = operations.statuses(endpoint)
    if not endpoint.custom_parameters:
        return found
    return tuple((code, f"{when}, or {_CUSTOM_400}" if code == 400 else when) for code, when in found)


def id_env_var(model: Model) -> str:
    """Where the examples read one object's identifier: ``TASK_ID``."""
    return f"{model.name.upper()}_ID"


def documented_endpoints(api: Api, model: Model) -> tuple[operations.Endpoint, ...]:
    """The model's endpoints the docs show: those under a private parent are served, not documented."""
    return tuple(
        e for e in operations.endpoints(api, model) if e.parent is None or not api.models_by_name[e.parent].private
    )


def endpoint_anchor(endpoint: operations.Endpoint) -> str:
    return f"{endpoint.operation}-under-{endpoint.parent}" if endpoint.parent else endpoint.operation


def _go_string(text: str) -> str:
    """A Go string literal: JSON's escapes are Go's (``\\uXXXX`` for controls, never a surrogate pair)."""
    return json.dumps(text, ensure_ascii=False)


def _json_block(value: JSON) -> str:
    """Indented JSON: no line can start a Markdown fence (each holds a key, a value or a bracket)."""
    return indented_json.indented(value, sort_keys=True)


def example_object(api: Api, model: Model) -> dict[str, JSON]:
    """One object with every attribute's example value (the spec's, else one of its type); the
    namespace is the example namespace, a made-up identifier looks real. Filter it with
    :func:`generator.targets.docs_examples.wire_object` for the message it is shown in."""
    out: dict[str, JSON] = {}
    for attribute in model.attributes:
        value = attribute.example
        if attribute.example_value is None and attribute is model.generated_identifier:
            value = EXAMPLE_ID
        elif attribute.example_value is None and attribute.name == "namespace" and model.namespaced:
            value = api.example_namespace
        out[attribute.exposed_name] = value
    return out


_RESPONSE_MODES: dict[Operation, Mode] = {
    "list": "stored",
    "retrieve": "stored",
    "create": "written",
    "update": "written",
    "delete": "stored",
}


class ModelPage:
    """What model.md.j2 and the example snippets show beyond the spec, worked out once."""

    def __init__(self, api: Api, model: Model) -> None:
        self.title = title(model)
        self.plural_title = naming.title_case(model.category)
        self.article = naming.article(self.title)  # "an Activity", "a User"
        # The collection in CamelCase, as Go's client names its lists (``ActivitiesList``).
        self.plural_class_name = "".join(part[:1].upper() + part[1:] for part in model.category.split("_"))
        self.env = EnvVars.of(api)
        self.id_env_var = id_env_var(model)
        self.attributes = Attributes(api, model, MODELS)
        identifier = model.identifier_attribute
        self.identifier = self.attributes.by_name.get(identifier.name) if identifier is not None else None
        wire = [a for a in model.attributes if a.exposed]
        self.filterable = tuple(a.exposed_name for a in wire if a.filterable)
        self.orderable = tuple(a.exposed_name for a in wire if a.orderable)
        writable = {a.name for a in model.writable_attributes}  # by name: comparing attributes compares every field
        self.server_filled = tuple(a.exposed_name for a in wire if a.name not in writable)
        self.unique = tuple(
            (a.exposed_name, model.unique_in_namespace(a))
            for a in model.unique_attributes
            if a.exposed and a.name != model.identifier
        )
        self.validators = tuple((name, api.validators_by_name[name].description) for name in model.validators)
        # The example object, and what each kind of answer shows of it: the same for every section.
        self._example = example_object(api, model)
        self._responses: dict[Mode, dict[str, JSON]] = {}
        self.endpoints = [self._section(api, model, e) for e in documented_endpoints(api, model)]
        # The statuses every operation of the page answers alike (no credentials, limits of the
        # request head): said once above the operations, not in each one's table.
        # Never the success, which comes first; only when there are several operations.
        others = [set(s.statuses) for s in self.endpoints[1:]]
        self.common_statuses = (
            tuple(status for status in self.endpoints[0].statuses[1:] if all(status in e for e in others))
            if others
            else ()
        )
        self.parents = tuple({s.parent.model.name: s.parent for s in self.endpoints if s.parent is not None}.values())
        self.relations = relation_rows(api, model, self)
        log = activity.activity_model(api)
        # The log every write of this model is recorded in (never the log itself).
        writes = model.writes or any(s.operation == "create" for s in self.endpoints)
        self.activity_log = log if log is not None and writes and log.name != model.name else None
        self.activity_title = title(log) if log is not None else ""
        self.activity_article = naming.article(self.activity_title)
        self.activity_href = link(MODELS, MODELS, log.name) if log is not None and not log.private else None
        self.exports = example_exports(api, api.base_url, None)
        self.default_page_size = limits.DEFAULT_PAGE_SIZE
        self.max_page_size = limits.MAX_PAGE_SIZE

    def _section(self, api: Api, model: Model, endpoint: operations.Endpoint) -> PageEndpoint:
        parent = ParentView.of(api.models_by_name[endpoint.parent]) if endpoint.parent else None
        plural, single = self.plural_title, self.title
        if parent is None:
            titles = {
                "list": f"Retrieve all {plural}",
                "retrieve": f"Retrieve a given {single}",
                "create": f"Create {self.article} {single}",
                "update": f"Update a given {single}",
                "delete": f"Delete a given {single}",
            }
        else:
            parent_title = parent.title
            titles = {
                "list": f"Retrieve the {plural} of {naming.article(parent_title)} {parent_title}",
                "create": f"Create {self.article} {single} in {naming.article(parent_title)} {parent_title}",
            }
        mode = _RESPONSE_MODES[endpoint.operation]
        response = self._responses.get(mode)
        if response is None:
            response = self._responses[mode] = docs_examples.wire_object(api, model, self._example, mode)
        body: str | None = None
        if endpoint.has_body:
            sent = model.example_body if endpoint.operation == "create" else model.example_update_body
            body = json_text(docs_examples.wire_object(api, model, sent, "request"))
        spec = endpoint.spec
        sets = tuple(dict.fromkeys(p.parameter_set for p in endpoint.custom_parameters if p.parameter_set is not None))
        sets_by_name = {s.name: s for s in api.parameter_sets}
        given = docs_examples.example_parameters(spec.parameters, spec.combinations)
        return PageEndpoint(
            endpoint=endpoint,
            title=titles[endpoint.operation],
            anchor=endpoint_anchor(endpoint),
            statuses=_statuses(endpoint),
            response=_json_block([response] if endpoint.operation == "list" else response),
            body=body,
            parameters=tuple(parameter_row(p) for p in endpoint.custom_parameters),
            parameter_sets=tuple((name, sets_by_name[name].description) for name in sets),
            rules=tuple(combination_rule(group) for group in spec.combinations),
            parent=parent,
            example_query=docs_examples.query_string(given),
            example_parameters=tuple((p.name, docs_examples.parameter_example(p)) for p in given),
            cli_options="".join(_cli_option(p) for p in given),
            python_arguments=", ".join(_python_argument(p) for p in given),
        )

    @property
    def examples_need(self) -> tuple[ParentView, ...]:
        """The parents whose identifier an example reads (a list under a parent)."""
        return tuple(s.parent for s in self.endpoints if s.parent is not None and s.operation == "list")


@dataclass(frozen=True, slots=True)
class RelationRow:
    """A parent or a child of a model, with the routes that join them."""

    role: str  # "parent" or "child"
    title: str
    href: str
    routes: tuple[tuple[str, str], ...]  # ("GET /projects/{id}/lists", href of the operation's section)


def relation_rows(api: Api, model: Model, page: ModelPage) -> tuple[RelationRow, ...]:
    """The model's documented parents (its operations under each), then its documented children."""
    rows = []
    for parent in page.parents:
        routes = tuple(
            (f"{s.endpoint.method} {s.endpoint.path}", f"#{s.anchor}")
            for s in page.endpoints
            if s.parent is not None and s.parent.model is parent.model
        )
        rows.append(RelationRow("parent", parent.title, href(MODELS, MODELS, parent.model.name), routes))
    for child, relation in api.children_of(model):
        if child.private:
            continue
        path = operations.child_path(model, child)
        routes = tuple(
            (f"{operations.METHODS[op]} {path}", href(MODELS, MODELS, child.name, f"{op}-under-{model.name}"))
            for op in relation.operations
        )
        rows.append(RelationRow("child", title(child), href(MODELS, MODELS, child.name), routes))
    return tuple(rows)


# --- nested types and abstracts -------------------------------------------------------------


def _objects(api: Api) -> tuple[Model | NestedType, ...]:
    """The models and nested types the docs show, models first."""
    models: tuple[Model | NestedType, ...] = tuple(m for m in api.models if not m.private)
    return models + tuple(t for t in api.nested_types if not t.private)


def holders(api: Api, name: str, here: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """The documented models and nested types with an attribute on the wire that holds objects of
    ``name``: (title, link, attribute names)."""
    found = []
    for owner in _objects(api):
        names = tuple(a.name for a in owner.attributes if a.exposed and name in a.refs)
        if names:
            folder = MODELS if isinstance(owner, Model) else TYPES
            found.append((title(owner), link(here, folder, owner.name), names))
    return tuple(found)


def users_of(api: Api, abstract: str, here: str) -> tuple[tuple[str, str], ...]:
    """The documented models and nested types that extend an abstract: (title, link)."""
    found = []
    for owner in _objects(api):
        if abstract in owner.extends:
            folder = MODELS if isinstance(owner, Model) else TYPES
            found.append((title(owner), link(here, folder, owner.name)))
    return tuple(found)


class TypePage:
    """What type.md.j2 shows of a nested type."""

    def __init__(self, api: Api, nested: NestedType) -> None:
        self.title = title(nested)
        self.article = naming.article(self.title)
        self.attributes = Attributes(api, nested, TYPES)
        self.holders = holders(api, nested.name, TYPES)
        self.validators = tuple((name, api.validators_by_name[name].description) for name in nested.validators)
        sent = {a.exposed_name: a.example for a in nested.writable_attributes}
        self.example = _json_block(docs_examples.wire_object(api, nested, sent, "request"))


@dataclass(frozen=True, slots=True)
class SharedSection:
    """One abstract on the shared attributes page."""

    abstract: Abstract
    title: str
    users: tuple[tuple[str, str], ...]
    attributes: tuple[AttributeView, ...]


class SharedPage:
    """What shared-attributes.md.j2 shows: each abstract a documented object extends, with its attributes in full."""

    def __init__(self, api: Api) -> None:
        sections = []
        for abstract in api.abstracts:
            users = users_of(api, abstract.name, REFERENCE)
            if not users:
                continue
            views = tuple(
                attribute_view(api, abstract, a, REFERENCE, anchor, f"#{anchor}")
                for a in abstract.attributes
                if a.exposed
                for anchor in (shared_anchor(abstract.name, a.name),)
            )
            if views:
                sections.append(SharedSection(abstract, title(abstract), users, views))
        self.sections = tuple(sections)


# --- the overview ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndexRow:
    title: str
    href: str
    routes: str  # HTML
    operations: str
    description: str


def _top_routes(model: Model) -> list[str]:
    routes = []
    if model.allows("list") or model.allows("create"):
        routes.append(operations.collection_path(model))
    if any(model.allows(op) for op in operations.ON_ONE_OBJECT):
        routes.append(operations.collection_path(model) + "/{id}")
    return routes


def tree_lines(api: Api) -> tuple[str, ...]:
    """The documented models as a tree, one Markdown list item each: the root collections (models
    with no documented parent, or with a collection of their own at the top) and, under each
    model, its documented children with the route of their collection under it. A model met
    again below itself, or a second time, is named without its subtree."""
    documented = [m for m in api.models if not m.private]
    shown: set[str] = set()
    lines: list[str] = []

    def visit(model: Model, route: str, depth: int, above: tuple[str, ...]) -> None:
        again = model.name in shown or model.name in above
        suffix = " (children above)" if again and any(not c.private for c, _ in api.children_of(model)) else ""
        lines.append(f"{'    ' * depth}- [{title(model)}]({link('', MODELS, model.name)}): `{route}`{suffix}")
        if again:
            return
        shown.add(model.name)
        for child, _ in api.children_of(model):
            if not child.private:
                visit(child, operations.child_path(model, child), depth + 1, (*above, model.name))

    def visit_root(model: Model) -> None:
        routes = _top_routes(model)
        visit(model, routes[0] if routes else operations.collection_path(model), 0, ())

    for model in documented:
        parents = [p for p, _ in api.parents_of(model) if not p.private]
        if not parents or model.allows("list") or model.allows("create"):
            visit_root(model)
    for model in documented:  # under no root: only under itself, or in a loop of children
        if model.name not in shown:
            visit_root(model)
    return tuple(lines)


class IndexPage:
    """What index.md.j2 and reference/api.md.j2 show beyond the spec: each documented model and
    nested type, the tree of relations, the statuses every request may answer, the limits as
    the server has them."""

    def __init__(self, api: Api) -> None:
        self.models = tuple(m for m in api.models if not m.private)
        self.rows = tuple(self._row(api, m) for m in self.models)
        relations = any(not c.private for m in self.models for c, _ in api.children_of(m))
        self.tree = tree_lines(api) if relations else ()
        self.types = tuple(
            (title(t), href("", TYPES, t.name), t.description) for t in api.nested_types if not t.private
        )
        self.shared = bool(SharedPage(api).sections)
        self.custom_parameters = any(e.custom_parameters for m in self.models for e in documented_endpoints(api, m))
        self.visibility = any(
            a.exposed and (a.secret or not a.stored or a.omit_empty)
            for owner in _objects(api)
            for a in owner.attributes
        )
        self.limits = limits
        self.body_limit = operations.BODY_LIMIT
        self.statuses = operations.API_STATUSES

    @staticmethod
    def _row(api: Api, model: Model) -> IndexRow:
        routes = _top_routes(model)
        ops: list[str] = list(model.operations)
        for parent, relation in api.parents_of(model):
            if parent.private:
                continue
            routes.append(operations.child_path(parent, model))
            ops.extend(f"{op} under {title(parent)}" for op in relation.operations)
        return IndexRow(
            title=title(model),
            href=href("", MODELS, model.name),
            routes=", ".join(f"<code>{html_text(route)}</code>" for route in routes),
            operations=", ".join(ops),
            description=model.description,
        )


# --- the target -----------------------------------------------------------------------------


def runtime_files(api: Api) -> dict[str, str]:
    """The site's stylesheet and script, the same for every API."""
    return {f"docs/assets/{name}": copy_asset("docs", name) for name in ASSETS}


def render_shared(api: Api, templates: Templates) -> dict[str, str]:
    page = IndexPage(api)
    files = {
        "docs/index.md": templates.render("docs/index.md.j2", api=api, page=page),
        f"docs/{REFERENCE}/api.md": templates.render("docs/api.md.j2", api=api, page=page),
        f"docs/{REFERENCE}/spec-format.md": templates.render(
            "docs/spec-format.md.j2",
            api=api,
            source=SCHEMA_FILES,
            sections=schema_sections(),
            types=attribute_types(),
            flags=flag_names(),
        ),
        f"docs/{REFERENCE}/coming-from-regolithe.md": templates.render(
            "docs/coming-from-regolithe.md.j2", source=_REGOLITHE_TABLE, mapping=regolithe_keys.MAPPING
        ),
        f"docs/{REFERENCE}/changing-a-spec.md": templates.render("docs/changing-a-spec.md.j2", source=_CHANGES_RULES),
    }
    shared = SharedPage(api)
    if shared.sections:
        files[f"docs/{REFERENCE}/{SHARED}.md"] = templates.render("docs/shared-attributes.md.j2", api=api, page=shared)
    return files


def render_model(api: Api, model: Model, templates: Templates) -> dict[str, str]:
    if model.private:
        return {}
    page = ModelPage(api, model)
    return {f"docs/{MODELS}/{model.name}.md": templates.render("docs/model.md.j2", api=api, model=model, page=page)}


def render_type(api: Api, nested: NestedType, templates: Templates) -> dict[str, str]:
    if nested.private:
        return {}
    page = TypePage(api, nested)
    return {f"docs/{TYPES}/{nested.name}.md": templates.render("docs/type.md.j2", api=api, nested=nested, page=page)}
