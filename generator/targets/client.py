"""The client target: ``python/<client>/``, a typed client (sync and async, on httpx) and its command line.

The runtime (transport, retries, paging, errors, settings, the command line's machinery) is
copied verbatim from ``generator/runtime/client/``. What varies is rendered: one module per
published model under ``resources/`` (a collection class with one typed method per operation,
and one per relation for the children under its objects), ``orders.py`` (the keys each list
may be ordered by, as Literal types), ``client.py`` (``Client`` and ``AsyncClient``),
``cli.py`` (the table of models the command line is built from), ``__init__`` and
``pyproject.toml``. It imports the models package for the classes it returns.

Private models are left out, as from the OpenAPI document and the docs: they are served, but
a published client is a published description of the API.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import naming, openapi, operations, packaging
from generator.escape import python_string, python_tuple
from generator.render import Templates
from generator.runtime_files import copy_runtime
from generator.spec import Api, Attribute, Model, NestedType, Parameter
from generator.targets.docs import EnvVars

NAME = "client"
SHARED_IN_RUFF_LAYOUT = False

RUNTIME_MODULES = (
    "calls.py",
    "command.py",
    "errors.py",
    "output.py",
    "paging.py",
    "retry.py",
    "settings.py",
    "transport.py",
)
# Names a collection's methods take as arguments or locals: a spec parameter never takes one.
_BUILTIN_KEYWORDS = frozenset(
    {"q", "order", "recursive", "page_size", "limit", "namespace", "key", "obj", "self", "params", "found"}
)
_PYTHON_TYPES = {
    "string": "str",
    "integer": "int",
    "float": "float",
    "boolean": "bool",
    "time": "datetime",
    "duration": "str",
}


@dataclass(frozen=True, slots=True)
class ParamView:
    """A spec parameter as a keyword argument: its Python name, annotation, default and wire value."""

    python_name: str
    wire_name: str
    annotation: str
    default: str  # "" when required
    value: str  # the expression put in the query: a time is formatted


def _param_view(parameter: Parameter) -> ParamView:
    name = naming.python_name(parameter.name)
    if name in _BUILTIN_KEYWORDS:
        name = f"{name}_"
    if parameter.type == "enum" and parameter.choices:
        item = "Literal[" + ", ".join(python_string(c) for c in parameter.choices) + "]"
    else:
        item = _PYTHON_TYPES.get(parameter.type, "str")
    annotation = f"Sequence[{item}]" if parameter.multiple else item
    if parameter.type == "time":
        value = f"[format_time(t) for t in {name}]" if parameter.multiple else f"format_time({name})"
        if not parameter.required:
            value = f"None if {name} is None else {value}"
    else:
        value = name
    if parameter.required:
        return ParamView(name, parameter.name, annotation, "", value)
    return ParamView(name, parameter.name, f"{annotation} | None", "None", value)


@dataclass(frozen=True, slots=True)
class MethodView:
    """One operation as methods of a collection (``list`` also gives ``count``)."""

    operation: str
    path: str  # a Python expression: "/activities" or f"/activities/{path_segment(id)}"
    description: str
    params: tuple[ParamView, ...]
    builtin: tuple[str, ...]  # q, order, page, pagesize, recursive


@dataclass(frozen=True, slots=True)
class ChildView:
    """The children of one parent object: a collection class in the parent's module."""

    accessor: str  # the parent collection's method: ``projects.lists(id)``
    class_name: str  # ProjectTaskListCollection
    model: Model
    methods: tuple[MethodView, ...]
    create_fields: str  # what a create under the parent sends


def collection_class(model: Model) -> str:
    return f"{model.class_name}Collection"


def order_type(model: Model) -> str:
    return f"{model.class_name}Order"


def client_attribute(model: Model) -> str:
    """``client.activities``: the model's category as a Python name."""
    return model.collection_attribute


class CollectionView:
    """What resources/model.py.j2 writes for one model."""

    def __init__(self, api: Api, model: Model) -> None:
        self.model = model
        self.class_name = collection_class(model)
        self.methods: list[MethodView] = []
        collection = f"/{model.category}"
        for endpoint in operations.endpoints(api, model):
            if endpoint.parent is not None:
                continue
            path = python_string(collection)
            if endpoint.on_one_object:
                path = "f" + python_string(collection + "/{path_segment(key)}")
            self.methods.append(_method(endpoint, path))
        self.children: list[ChildView] = []
        for child, relation in api.children_of(model):
            if child.private:
                continue
            accessor = child.child_accessor
            path = "f" + python_string(f"/{model.category}/{{path_segment(self._parent)}}/{child.category}")
            methods = tuple(
                _method(e, path)
                for e in operations.endpoints(api, child)
                if e.parent == model.name and e.operation in relation.operations
            )
            self.children.append(
                ChildView(
                    accessor,
                    f"{model.class_name}{child.class_name}Collection",
                    child,
                    methods,
                    _fields(child, "create"),
                )
            )
        self.create_fields = _fields(model, "create")
        self.update_fields = _fields(model, "update")
        self.identifier = model.identifier_attribute
        models = {model.class_name} | {c.model.class_name for c in self.children}
        times = any(
            p.annotation.startswith(("datetime", "Sequence[datetime")) for m in self.all_methods for p in m.params
        )
        self.models_import = sorted(models | ({"format_time"} if times else set()), key=lambda n: (n[0].islower(), n))
        self.uses_time = times
        self.uses_literal = any("Literal[" in p.annotation for m in self.all_methods for p in m.params)
        lists = [m for m in self.all_methods if m.operation == "list"]
        self.orders = sorted(
            {
                order_type(target)
                for target, m in self._targets()
                if m.operation == "list" and target.orderable_attributes
            }
        )
        used = {m.operation for m in self.all_methods}
        self.uses_body = bool(used & {"create", "update"})
        self.uses_mapping = self.uses_body
        self.uses_segment = bool(self.children) or any(
            m.operation in ("retrieve", "update", "delete") for m in self.methods
        )
        queried = bool(lists) or "retrieve" in used or any(m.params for m in self.all_methods)
        calls = {
            "listing": bool(lists),
            "count": bool(lists),
            "async_listing": bool(lists),
            "async_count": bool(lists),
            "call": bool(used - {"list"}),
            "async_call": bool(used - {"list"}),
            "body_of": self.uses_body,
            "query": queried,
        }
        self.calls_import = sorted(name for name, on in calls.items() if on)
        multiple = any(p.annotation.startswith("Sequence[") for m in self.all_methods for p in m.params)
        self.abc_import = [
            name for name, on in (("Mapping", self.uses_mapping), ("Sequence", bool(lists) or multiple)) if on
        ]
        self.paging_import = ["AsyncListing", "Listing"] if lists else []

    def _targets(self) -> list[tuple[Model, MethodView]]:
        return [(self.model, m) for m in self.methods] + [(c.model, m) for c in self.children for m in c.methods]

    @property
    def all_methods(self) -> list[MethodView]:
        return self.methods + [m for child in self.children for m in child.methods]


def _method(endpoint: operations.Endpoint, path: str) -> MethodView:
    return MethodView(
        endpoint.operation,
        path,
        endpoint.spec.description or "",
        tuple(_param_view(p) for p in endpoint.custom_parameters),
        endpoint.parameters,
    )


def _fields(model: Model, form: openapi.Form) -> str:
    names = [python_string(a.exposed_name) for a in openapi.form_attributes(model, form)]
    return "frozenset({" + ", ".join(names) + "})" if names else "frozenset()"


# -- the command line's table ----------------------------------------------------------------


def _field(model: Model, attribute: Attribute, creates: bool) -> str:
    """One attribute of the command line's table; ``creates``: a create of the model exists (at the top or under a parent)."""
    parts = [python_string(attribute.exposed_name), python_string(attribute.type), python_string(attribute.description)]
    flags = {
        "required": bool(attribute.required),
        "create": creates and attribute in openapi.form_attributes(model, "create"),
        "update": model.allows("update") and attribute in openapi.form_attributes(model, "update"),
        "answered": attribute in openapi.form_attributes(model, "answer"),
        "filterable": bool(attribute.filterable),
        "orderable": bool(attribute.orderable),
    }
    defaults = {"answered": True}
    parts += [f"{key}={value}" for key, value in flags.items() if value != defaults.get(key, False)]
    return f"Field({', '.join(parts)})"


def _param(parameter: Parameter) -> str:
    parts = [python_string(parameter.name), python_string(parameter.type), python_string(parameter.description)]
    if parameter.choices:
        parts.append(f"choices={python_tuple([python_string(c) for c in parameter.choices])}")
    if parameter.multiple:
        parts.append("multiple=True")
    if parameter.required:
        parts.append("required=True")
    return f"Param({', '.join(parts)})"


def _operation(api: Api, endpoint: operations.Endpoint) -> str:
    parts = [python_string(endpoint.operation), python_string(endpoint.spec.description or "")]
    if endpoint.custom_parameters:
        parts.append(f"params={python_tuple([_param(p) for p in endpoint.custom_parameters])}")
    if endpoint.parent is not None:
        parent = api.models_by_name[endpoint.parent]
        parts += [f"parent={python_string(parent.name)}", f"parent_category={python_string(parent.category)}"]
    return f"Operation({', '.join(parts)})"


@dataclass(frozen=True, slots=True)
class KindView:
    model: Model
    fields: tuple[str, ...]
    operations: tuple[str, ...]


def _kind(api: Api, model: Model) -> KindView:
    endpoints = [
        e for e in operations.endpoints(api, model) if e.parent is None or not api.models_by_name[e.parent].private
    ]
    creates = any(e.operation == "create" for e in endpoints)
    fields = tuple(_field(model, a, creates) for a in model.exposed_attributes)
    return KindView(model, fields, tuple(_operation(api, e) for e in endpoints))


# -- the target ------------------------------------------------------------------------------


def runtime_files(api: Api) -> dict[str, str]:
    base = f"python/{api.client}"
    files = {f"{base}/{name}": copy_runtime("client", name) for name in RUNTIME_MODULES}
    files[f"{base}/py.typed"] = ""
    return files


def render_shared(api: Api, templates: Templates) -> dict[str, str]:
    base = f"python/{api.client}"
    published = openapi.published_models(api)
    env = EnvVars.of(api)
    dist = packaging.distribution(
        api, "client", api.client, ("resources",), scripts=((api.command, f"{api.client}.cli:main"),)
    )
    context: dict[str, object] = {
        "api": api,
        "models": published,
        "env": env,
        "dist": dist,
        "collection_class": collection_class,
        "order_type": order_type,
        "client_attribute": client_attribute,
    }
    kinds = [_kind(api, model) for model in published]
    used = {"Field": any(k.fields for k in kinds), "Kind": True, "Operation": any(k.operations for k in kinds)}
    used["Param"] = any("Param(" in op for k in kinds for op in k.operations)
    context["command_imports"] = sorted(name for name, on in used.items() if on)
    context["collections"] = sorted(
        name for model in published for name in (collection_class(model), f"Async{collection_class(model)}")
    )
    return {
        f"{base}/__init__.py": templates.render("client/__init__.py.j2", **context),
        f"{base}/__main__.py": templates.render("client/__main__.py.j2", **context),
        f"{base}/client.py": templates.render("client/client.py.j2", **context),
        f"{base}/orders.py": templates.render("client/orders.py.j2", **context),
        f"{base}/cli.py": templates.render("client/cli.py.j2", kinds=kinds, **context),
        f"{base}/resources/__init__.py": templates.render("client/resources/__init__.py.j2", **context),
        f"{base}/pyproject.toml": packaging.pyproject(api, dist, templates),
    }


def render_model(api: Api, model: Model, templates: Templates) -> dict[str, str]:
    if model.private:
        return {}
    path = f"python/{api.client}/resources/{model.module_name}.py"
    view = CollectionView(api, model)
    return {
        path: templates.render("client/resources/model.py.j2", api=api, model=model, view=view, order_type=order_type)
    }


def render_type(api: Api, nested: NestedType, templates: Templates) -> dict[str, str]:
    return {}
