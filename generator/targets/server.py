"""The HTTP API target: a self-contained Starlette + SQLite server package per API.

The runtime (filter language, SQL, store, auth, errors, paging) is copied verbatim from
``generator/runtime/server/``; only the write path's modules when some model allows a write.
What varies with the spec is rendered: the package's ``__init__``, ``app.py`` (the routes),
``audit.py`` (the activity log, when there is one to fill) and one module per model under
``resources/`` describing its table. The output depends on the generated models package and
the standard library to record and load objects, and to serve them on starlette, uvicorn and
google-re2 (the ``serve`` extra).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import activity, openapi, operations, packaging
from generator.escape import python_string, python_tuple
from generator.render import Templates
from generator.runtime_files import copy_runtime
from generator.spec import Api, Attribute, Model, NestedType

NAME = "server"
# The rendered shared files (app, __init__, resources/__init__, audit) go through ruff.
SHARED_IN_RUFF_LAYOUT = False

# Runtime modules every server has, and those only an API with writes needs.
READ_MODULES = (
    "auth.py",
    "encoding.py",
    "errors.py",
    "filters.py",
    "handlers.py",
    "limits.py",
    "loader.py",
    "namespaces.py",
    "params.py",
    "serving.py",
    "sql.py",
    "store.py",
    "table.py",
    "web.py",
    "work.py",
)
WRITE_MODULES = ("body.py", "transaction.py", "write_handlers.py", "writes.py")


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
        for model in api.models:
            by_path: dict[str, list[MethodCall]] = {}
            for endpoint in operations.endpoints(api, model):
                handler = f"{endpoint.operation}_endpoint"
                if endpoint.operation in ("list", "retrieve"):
                    read_handlers.add(handler)
                    call = f"{handler}({model.module_name}.TABLE, work, tokens)"
                else:
                    write_handlers.add(handler)
                    call = f"{handler}({model.module_name}.RESOURCE, work, tokens, {audit})"
                by_path.setdefault(endpoint.path, []).append(MethodCall(endpoint.method, call))
            # The collection's path first, then the one-object path, as the docs list them.
            for path in sorted(by_path, key=len):
                self.routes.append(RouteView(path, tuple(by_path[path])))
        if any(len(route.methods) > 1 for route in self.routes):
            read_handlers.add("by_method")
        imports = {
            ".audit": ["activity_of"] if logs else [],
            ".auth": ["Tokens"],
            ".handlers": sorted(read_handlers),
            ".resources": sorted(model.module_name for model in api.models),
            ".store": ["Store"],
            ".web": ["application"],
            ".work": ["Settings", "Work"],
            ".write_handlers": sorted(write_handlers),
        }
        self.imports = [f"from {module} import {', '.join(names)}" for module, names in imports.items() if names]


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
        self.creates = model.allows("create")
        self.updates = model.allows("update")
        self.namespace = model.attribute("namespace") if model.namespaced else None
        self.identifier = model.identifier_attribute
        self.columns = [_column(model, a) for a in model.attributes]
        self.stored = [_stored(a) for a in model.attributes]
        self.default_order = python_tuple(
            [python_string(("-" if descending else "") + a.exposed_name) for a, descending in model.default_order_keys]
        )
        self.imports = _resource_imports(api, model, self.creates, self.updates)


def _column(model: Model, a: Attribute) -> str:
    """The ``Column(...)`` expression of one attribute."""
    parts = [python_string(a.exposed_name), python_string(a.python_name), python_string(a.type)]
    parts += [python_string(a.sql_type), f"filterable={a.filterable is True}", f"orderable={a.orderable is True}"]
    if a.unique:
        parts.append("unique=True")
    if model.unique_in_namespace(a):
        parts.append("unique_in_namespace=True")
    if a.choices:
        parts.append(f"choices={python_tuple([python_string(c) for c in a.choices])}")
    return f"Column({', '.join(parts)})"


def _stored(a: Attribute) -> str:
    """The expression giving an attribute's stored form from ``obj`` (see the runtime's encoding)."""
    value = f"obj.{a.python_name}"
    if a.type == "list" and a.subtype == "time":
        return f"None if {value} is None else json_text([format_time(item) for item in {value}])"
    if a.is_json:
        return f"json_text({value})"
    if a.type == "time":
        return f"None if {value} is None else time_text({value})"
    if a.type == "boolean":
        return f"None if {value} is None else int({value})"
    return value


def _resource_imports(api: Api, model: Model, creates: bool, updates: bool) -> list[str]:
    """The import lines of a resource module, only what its code uses, in ruff's order."""
    attributes = model.attributes
    encoding = [
        name
        for name, used in (
            ("json_text", any(a.is_json for a in attributes)),
            ("new_identifier", model.generated_identifier is not None),
            ("now", bool(model.generated_times)),
            ("time_text", any(a.type == "time" for a in attributes)),
        )
        if used
    ]
    time_lists = any(a.type == "list" and a.subtype == "time" for a in attributes)
    models = sorted([model.class_name, "ValidationFailed", *(["format_time"] if time_lists else [])])
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
    lines.append("from ..table import Column, Resource, Row, Table")
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
