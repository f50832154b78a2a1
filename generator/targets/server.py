"""The HTTP API target: a self-contained Starlette + SQLite server package per API.

The runtime (filter language, SQL, store, auth, errors, paging, processors) is copied verbatim
from ``generator/runtime/server/``; only the write path's modules when some model allows a
write. What varies with the spec is rendered: the package's ``__init__``, ``app.py`` (the
routes: each model's own, then those under each parent), ``audit.py`` (the activity log, when
there is one to fill) and one module per model under ``resources/`` describing its table, its
endpoints' own parameters and what a client sees of it. The output depends on the generated
models package and the standard library to record and load objects, and to serve them on
starlette, uvicorn and google-re2 (the ``serve`` extra; ``cryptography`` for encrypted attributes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator import activity, openapi, operations, packaging
from generator.attribute_types import ValueType
from generator.escape import python_string, python_tuple, python_tuple_lines, python_value
from generator.render import Templates
from generator.ruff_layout import LINE_LENGTH
from generator.runtime.server.encoding import json_text, parse_time, time_text
from generator.runtime_files import copy_runtime
from generator.spec import Api, Attribute, Model, NestedType, OperationSpec, Parameter
from generator.targets.models import shape_of

NAME = "server"
# The rendered shared files (app, __init__, resources/__init__, audit) go through ruff.
SHARED_IN_RUFF_LAYOUT = False

# Runtime modules every server has, and those only an API with writes needs.
READ_MODULES = (
    "auth.py",
    "backend.py",
    "crypto.py",
    "encoding.py",
    "errors.py",
    "filters.py",
    "handlers.py",
    "limits.py",
    "loader.py",
    "migration.py",
    "namespaces.py",
    "params.py",
    "pg_schema.py",
    "pg_sql.py",
    "postgres.py",
    "processors.py",
    "schema.py",
    "serving.py",
    "sql.py",
    "sqlite_schema.py",
    "store.py",
    "table.py",
    "transaction.py",
    "unique.py",
    "visibility.py",
    "web.py",
    "work.py",
)
WRITE_MODULES = ("body.py", "write_handlers.py", "writes.py")


@dataclass(frozen=True, slots=True)
class MethodCall:
    """One method of a route and the Python expression that makes its endpoint."""

    method: str
    call: str


@dataclass(frozen=True, slots=True)
class RouteView:
    path: str
    methods: tuple[MethodCall, ...]


class AppView:
    """What app.py.j2 writes: its imports and the routes, each endpoint call worked out."""

    def __init__(self, api: Api) -> None:
        logs = activity.logs_writes(api)
        audit = "activity_of" if logs else "None"
        self.routes: list[RouteView] = []
        read_handlers: set[str] = set()
        write_handlers: set[str] = set()
        by_path: dict[str, list[MethodCall]] = {}
        paths: list[str] = []  # each model's own paths, then those under its parents, as endpoints() lists them
        served: dict[str, list[str]] = {}
        for model in api.models:
            for endpoint in operations.endpoints(api, model):
                handler = f"{endpoint.operation}_endpoint"
                module = model.module_name
                arguments = [f"{module}.TABLE" if endpoint.operation in ("list", "retrieve") else f"{module}.RESOURCE"]
                arguments += ["work", "tokens"]
                if endpoint.operation in ("list", "retrieve"):
                    read_handlers.add(handler)
                else:
                    write_handlers.add(handler)
                    arguments.append(audit)
                if endpoint.spec.parameters:
                    arguments.append(f"parameters={module}.{parameters_name(endpoint)}")
                if endpoint.parent is not None:
                    arguments.append(f"parent={api.models_by_name[endpoint.parent].module_name}.TABLE")
                arguments.append("processors=processors")
                call = f"{handler}({', '.join(arguments)})"
                if endpoint.path not in by_path:
                    by_path[endpoint.path] = []
                    paths.append(endpoint.path)
                by_path[endpoint.path].append(MethodCall(endpoint.method, call))
                served.setdefault(model.name, [])
                if endpoint.operation not in served[model.name]:
                    served[model.name].append(endpoint.operation)
        # Per model, the collection's path first, then the one-object path, then those under parents.
        for path in paths:
            self.routes.append(RouteView(path, tuple(by_path[path])))
        self.served = [(name, python_tuple([python_string(op) for op in ops])) for name, ops in served.items()]
        if any(len(route.methods) > 1 for route in self.routes):
            read_handlers.add("by_method")
        imports = {
            ".audit": ["activity_of"] if logs else [],
            ".auth": ["Tokens"],
            ".backend": ["Backend"],
            ".handlers": sorted(read_handlers),
            ".processors": ["NO_PROCESSORS", "Processors"],
            ".resources": sorted(model.module_name for model in api.models),
            ".web": ["application"],
            ".work": ["Settings", "Work"],
            ".write_handlers": sorted(write_handlers),
        }
        self.imports = [f"from {module} import {', '.join(names)}" for module, names in imports.items() if names]


def parameters_name(endpoint: operations.Endpoint) -> str:
    """The constant of a resource module holding an endpoint's own parameters:
    ``LIST_PARAMETERS``, or ``LIST_UNDER_PROJECT_PARAMETERS`` under a parent."""
    under = f"_UNDER_{endpoint.parent.upper()}" if endpoint.parent is not None else ""
    return f"{endpoint.operation.upper()}{under}_PARAMETERS"


class AuditView:
    """What audit.py.j2 writes: each field of the log the activity model has, and its value."""

    _VALUES = (
        ("operation", "event.operation"),
        ("targetIdentity", "event.target"),
        ("data", "event.data"),
        ("originalData", "event.original"),
        ("error", "cast(JSONValue, event.errors)"),
        ("claims", "cast(JSONValue, event.caller.claims)"),
        ("namespace", "event.caller.namespace"),
        ("date", "now()"),
        ("source", "event.caller.source"),
        ("message", "event.message"),
    )

    def __init__(self, api: Api, model: Model) -> None:
        self.model = model
        fields = activity.logged_fields(model)
        self.arguments = [(fields[field].python_name, value) for field, value in self._VALUES if field in fields]
        self.uses_cast = "error" in fields or "claims" in fields
        self.uses_now = "date" in fields
        names = [model.class_name, "JSONValue"] if self.uses_cast else [model.class_name]
        self.models_import = f"from {api.models_package} import {', '.join(sorted(names))}"


class ResourceView:
    """What resources/model.py.j2 writes for one model beyond its spec, worked out once."""

    def __init__(self, api: Api, model: Model) -> None:
        self.model = model
        # Created at the top or under a parent: either way from a client's body.
        self.creates = model.allows("create") or any(r.create is not None for _, r in api.parents_of(model))
        self.updates = model.allows("update")
        self.namespace = model.attribute("namespace") if model.namespaced else None
        self.identifier = model.identifier_attribute
        stored = model.stored_attributes
        unseen = _Pruning(api, model.attributes, _unseen)
        unlogged = _Pruning(api, model.attributes, _unlogged)
        unkept = _Pruning(api, model.attributes, _unkept)
        self.unseen = unseen.literal
        same = unlogged.literal == unseen.literal
        self.unlogged = "_UNSEEN" if same and unlogged.literal else unlogged.literal
        self.unkept = unkept.literal
        self.columns = [_column(api, model, a, unseen) for a in stored]
        # Values taken from the stored form the models write (to_dict(hidden=True)): nested
        # shapes and encrypted values; the others are read off the object directly.
        self.from_data = {a.name for a in stored if _from_data(api, a)}
        self.uses_data = bool(self.from_data)
        self.stored = [_stored(a, a.name in self.from_data, unkept) for a in stored]
        self.default_order = python_tuple(
            [python_string(("-" if descending else "") + a.exposed_name) for a, descending in model.default_order_keys]
        )
        self.parents = python_tuple([python_string(parent.name) for parent, _ in api.parents_of(model)])
        self.indexes = python_tuple(
            [python_tuple([python_string(_index_key(model, key)) for key in index]) for index in model.indexes]
        )
        # What a write answers without (secrets, nested secret and hidden parts), and what an
        # activity keeps without (that, and what is kept encrypted): Concealment expressions.
        self.answered = _concealment(model, unseen, "_UNSEEN", lambda a: a.secret)
        self.logged = _concealment(model, unlogged, "_UNLOGGED", lambda a: a.secret or a.encrypted)
        # Secrets an update keeps when its body leaves them out.
        self.kept_secrets = python_tuple(
            [python_string(a.exposed_name) for a in model.updatable_attributes if a.secret]
        )
        # One name a line: it fits however many there are.
        self.accepts = python_tuple_lines([python_string(a.exposed_name) for a in model.attributes], 4)
        self.parameters = _parameters(api, model)
        self.imports = _resource_imports(api, model, self)


class _Pruning:
    """Which nested types reachable from some attributes have attributes to leave out (``drop``),
    and the ``visibility.Pruning`` literal that leaves them out (``literal``; "" when none)."""

    def __init__(self, api: Api, attributes: Iterable[Attribute], drop: Callable[[Attribute], bool]) -> None:
        self.api = api
        self.needing = _needing(api, drop)
        self.literal = ""
        if not self.needing:  # the common case: nothing to leave out anywhere in the API
            return
        reachable: list[str] = []
        pending = [ref for a in attributes for ref in a.refs]
        while pending:
            name = pending.pop(0)
            if name in reachable:
                continue
            reachable.append(name)
            pending.extend(api.object_type(name).refs)
        entries = []
        for name in sorted(n for n in reachable if n in self.needing):
            obj = api.object_type(name)
            dropped = python_tuple([python_string(a.exposed_name) for a in obj.attributes if drop(a)])
            inner = ", ".join(
                f"{python_string(a.exposed_name)}: {shape_of(a.value_type)}"
                for a in obj.attributes
                if not drop(a) and self.reaches(a.value_type)
            )
            entries.append(f"{python_string(name)}: ({dropped}, {{{inner}}})")
        self.literal = f"Pruning({{{', '.join(entries)}}})" if entries else ""

    def reaches(self, value_type: ValueType) -> bool:
        return bool(self.needing) and any(ref in self.needing for ref in value_type.refs)


# (API, drop rule) -> the types needing a pruning: worked out once per API, not once per model
# (a model's module is rendered knowing the whole API; keyed by identity, the API is large to hash).
_NEEDING: dict[tuple[int, Callable[[Attribute], bool]], tuple[Api, frozenset[str]]] = {}


def _needing(api: Api, drop: Callable[[Attribute], bool]) -> frozenset[str]:
    """The names of the types that hold, at any depth, an attribute ``drop`` leaves out."""
    key = (id(api), drop)
    cached = _NEEDING.get(key)
    if cached is not None and cached[0] is api:
        return cached[1]
    every: list[Model | NestedType] = [*api.models, *api.nested_types]
    needing = {t.name for t in every if any(drop(a) for a in t.attributes)}
    if needing:  # then the types holding those, to a fixed point
        changed = True
        while changed:
            changed = False
            for t in every:
                if t.name not in needing and any(ref in needing for a in t.attributes for ref in a.refs):
                    needing.add(t.name)
                    changed = True
    if len(_NEEDING) > 16:
        _NEEDING.clear()
    found = frozenset(needing)
    _NEEDING[key] = (api, found)
    return found


def _unseen(a: Attribute) -> bool:
    """Never shown to a client: secret or hidden."""
    return a.secret or not a.exposed


def _unlogged(a: Attribute) -> bool:
    """Never in an activity: never shown, or kept encrypted (the log is not encrypted)."""
    return a.secret or not a.exposed or a.encrypted


def _concealment(model: Model, pruning: _Pruning, name: str, left_out: Callable[[Attribute], bool]) -> str:
    """The ``Concealment(...)`` of a model's wire form: "" when nothing is left out."""
    out = [a for a in model.attributes if a.exposed and left_out(a)]
    if not out and not pruning.needing:
        return ""
    nested = [
        f"{python_string(a.exposed_name)}: {name}.bind({shape_of(a.value_type)})"
        for a in model.attributes
        if a.exposed and not left_out(a) and pruning.reaches(a.value_type)
    ]
    if not out and not nested:
        return ""
    names = python_tuple([python_string(a.exposed_name) for a in out])
    return f"Concealment({names}, {{{', '.join(nested)}}})" if nested else f"Concealment({names})"


def _unkept(a: Attribute) -> bool:
    """Never stored: transient."""
    return not a.stored


def _is_encrypted(a: Attribute) -> bool:
    return a.encrypted


def _encrypted(api: Api, a: Attribute) -> bool:
    """Kept encrypted at rest: the attribute is, or a nested value it holds has an encrypted attribute."""
    if a.encrypted:
        return True
    holding = _needing(api, _is_encrypted)
    return bool(holding) and any(ref in holding for ref in a.refs)


def _from_data(api: Api, a: Attribute) -> bool:
    """Whether to_row takes the value from the models' stored form rather than off the object."""
    return _shaped(a) or _encrypted(api, a)


def _shaped(a: Attribute) -> bool:
    """Values the models encode by their shape: objects of nested types, maps, nested lists, and
    lists holding times."""
    value_type = a.value_type
    if value_type.refs or value_type.kind == "map":
        return True
    item = value_type.item
    return item is not None and (item.item is not None or item.kind == "time")


def _column(api: Api, model: Model, a: Attribute, unseen: _Pruning) -> str:
    """The ``Column(...)`` expression of one stored attribute."""
    encrypted = _encrypted(api, a)
    sql_type = "BLOB" if encrypted else a.sql_type
    parts = [python_string(a.exposed_name), python_string(a.python_name), python_string(a.type)]
    parts += [
        python_string(sql_type),
        f"filterable={a.filterable is True and a.exposed}",
        f"orderable={a.orderable is True and a.exposed}",
    ]
    if a.unique:
        parts.append("unique=True")
    if model.unique_in_namespace(a):
        parts.append("unique_in_namespace=True")
    if a.choices:
        parts.append(f"choices={python_tuple([python_string(c) for c in a.choices])}")
    if not a.exposed:
        parts.append("exposed=False")
    if a.secret:
        parts.append("secret=True")
    if a.omit_empty:
        parts.append("omit_empty=True")
    if encrypted:
        parts.append("encrypted=True")
    default = None if encrypted else stored_default(a)
    if default is not None:
        parts.append(f"default={python_value(default)}")
    if a.exposed and not a.secret and unseen.reaches(a.value_type):
        parts.append(f"view=_UNSEEN.bind({shape_of(a.value_type)})")
    if default is not None:
        # One argument a line, with ruff's magic trailing comma: a default (a JSON text, say)
        # would push the one-line form past the line length, and ruff keeps this form as it is.
        return "Column(\n" + "".join(f"            {part},\n" for part in parts) + "        )"
    return f"Column({', '.join(parts)})"


def stored_default(a: Attribute) -> str | int | float | None:
    """The spec's default of an attribute in its stored form (see the runtime's encoding), for
    the rows a migration gives a new column; None for none, and for nested objects, whose stored
    form only their models know."""
    value = a.default_value
    if value is None or a.refs:
        return None
    if a.is_json:
        return json_text(value)
    if a.type == "boolean":
        return int(bool(value))
    if a.type == "time":
        try:
            return time_text(parse_time(str(value)))
        except ValueError:
            return None
    if isinstance(value, (str, int, float)):
        return value
    return None


def _stored(a: Attribute, from_data: bool, unkept: _Pruning) -> str:
    """The expression giving an attribute's stored form (see the runtime's encoding): from ``obj``,
    or from ``data``, the models' stored form, for nested shapes and encrypted values (the JSON
    text of the value, sealed by the store)."""
    if from_data:
        value = f"data.get({python_string(a.exposed_name)})"
        if unkept.reaches(a.value_type):
            value = f"_UNKEPT.apply({value}, {shape_of(a.value_type)})"
        return f"json_text({value})"
    value = f"obj.{a.python_name}"
    if a.is_json:
        return f"json_text({value})"
    if a.type == "time":
        return f"None if {value} is None else time_text({value})"
    if a.type == "boolean":
        return f"None if {value} is None else int({value})"
    return value


def _index_key(model: Model, key: str) -> str:
    """A key of a spec index as the table names it: the column's name, then any path inside it."""
    name, dot, path = key.partition(".")
    return model.attribute(name).python_name + dot + path


@dataclass(frozen=True, slots=True)
class ParametersView:
    """One endpoint's own parameters, as a resource module declares them."""

    name: str  # the module constant: LIST_PARAMETERS, LIST_UNDER_LIST_PARAMETERS
    entries: tuple[str, ...]  # Parameter(...) expressions
    combinations: str  # a tuple literal, "" when none

    @property
    def single(self) -> str:
        """The tuple of a lone entry on one line, as ruff writes it when it fits (a one-item
        tuple's comma is not a magic trailing comma); "" otherwise."""
        if len(self.entries) != 1:
            return ""
        line = f"({self.entries[0]},)"
        # non-ASCII stays on one line, as in ruff_layout: such a file goes through ruff itself
        return line if not line.isascii() or len(f"    {line},") <= LINE_LENGTH else ""


def _parameters(api: Api, model: Model) -> list[ParametersView]:
    views = []
    for endpoint in operations.endpoints(api, model):
        spec: OperationSpec = endpoint.spec
        if not spec.parameters:
            continue
        entries = tuple(_parameter(p) for p in spec.parameters)
        combinations = ""
        if spec.combinations:
            combinations = python_tuple(
                [
                    python_tuple([python_tuple([python_string(name) for name in alt]) for alt in group])
                    for group in spec.combinations
                ]
            )
        views.append(ParametersView(parameters_name(endpoint), entries, combinations))
    return views


def _parameter(p: Parameter) -> str:
    parts = [python_string(p.name), python_string(p.type)]
    if p.choices:
        parts.append(f"choices={python_tuple([python_string(c) for c in p.choices])}")
    if p.multiple:
        parts.append("multiple=True")
    if p.required:
        parts.append("required=True")
    if p.default_value is not None:
        parts.append(f"default={python_value(p.default_value)}")
    return f"Parameter({', '.join(parts)})"


def _resource_imports(api: Api, model: Model, view: ResourceView) -> list[str]:
    """The import lines of a resource module, only what its code uses, in ruff's order."""
    attributes = model.stored_attributes
    creates, updates = view.creates, view.updates
    encoding = [
        name
        for name, used in (
            ("json_text", any(a.is_json or a.name in view.from_data for a in attributes)),
            ("new_identifier", model.generated_identifier is not None),
            ("now", bool(model.generated_times)),
            ("time_text", any(a.type == "time" and a.name not in view.from_data for a in attributes)),
        )
        if used
    ]
    models = sorted([model.class_name, "ValidationFailed"])
    errors = ["InvalidRecord"] + (["error_object"] if model.namespaced or model.identifier_attribute else [])
    lines = []
    if model.generated_identifier or model.generated_times or updates or (creates and model.namespaced):
        lines.append("from dataclasses import replace")
    lines += ["from typing import Any", "", f"from {api.models_package} import {', '.join(models)}", ""]
    if encoding:
        lines.append(f"from ..encoding import {', '.join(encoding)}")
    lines.append(f"from ..errors import {', '.join(errors)}")
    if model.namespaced:
        lines.append("from ..namespaces import is_namespace")
    if view.parameters:
        lines.append("from ..params import Parameter, Parameters")
    # A model with nothing stored (an action such as regolithe's import) has no Column to build.
    table = (["Column"] if view.columns else []) + ["Resource", "Row", "Table"]
    lines.append(f"from ..table import {', '.join(table)}")
    visibility = [
        name
        for name, used in (
            ("Concealment", bool(view.answered or view.logged)),
            ("Pruning", bool(view.unseen or view.unkept or view.unlogged)),
            ("with_secrets", updates and view.kept_secrets != "()"),
        )
        if used
    ]
    if visibility:
        lines.append(f"from ..visibility import {', '.join(visibility)}")
    return lines


def runtime_files(api: Api) -> dict[str, str]:
    base = f"python/{api.server_package}"
    modules = READ_MODULES + (WRITE_MODULES if api.writes else ())
    files = {f"{base}/{name}": copy_runtime("server", name) for name in modules}
    files[f"{base}/py.typed"] = ""  # PEP 561 marker: empty, like the models'
    return files


def render_shared(api: Api, templates: Templates) -> dict[str, str]:
    base = f"python/{api.server_package}"
    files = {
        f"{base}/__init__.py": templates.render("server/__init__.py.j2", api=api),
        f"{base}/app.py": templates.render("server/app.py.j2", api=api, view=AppView(api)),
        f"{base}/resources/__init__.py": templates.render("server/resources/__init__.py.j2", api=api),
        # Served at /openapi.json (web.py): the same document as the openapi target's.
        f"{base}/openapi.json": openapi.document_text(api),
        f"{base}/pyproject.toml": packaging.pyproject(
            api, packaging.distribution(api, "server", api.server_package, ("resources",)), templates
        ),
    }
    log = activity.activity_model(api)
    if log is not None and api.writes:
        files[f"{base}/audit.py"] = templates.render("server/audit.py.j2", api=api, view=AuditView(api, log))
    return files


def render_model(api: Api, model: Model, templates: Templates) -> dict[str, str]:
    # A subpackage, so a model's module name can never collide with a runtime module.
    path = f"python/{api.server_package}/resources/{model.module_name}.py"
    view = ResourceView(api, model)
    return {path: templates.render("server/resources/model.py.j2", api=api, model=model, view=view)}


def render_type(api: Api, nested: NestedType, templates: Templates) -> dict[str, str]:
    return {}
