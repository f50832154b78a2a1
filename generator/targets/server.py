"""The HTTP API target: a self-contained Starlette + SQLite server package per API.

Shared runtime modules (filter language, SQL, auth, errors, paging, store) are rendered once
from ``templates/server/``; each model gets one module under ``resources/`` describing its
table. The output depends on starlette, the generated models package and the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.render import Templates
from generator.spec import Api, Model

NAME = "server"
# Its runtime modules are not in ruff's exact layout: ruff formats them on every run.
SHARED_IN_RUFF_LAYOUT = False

# Runtime modules that do not vary with the models, rendered with the api for their header.
SHARED_MODULES = (
    "__init__.py",
    "app.py",
    "auth.py",
    "encoding.py",
    "errors.py",
    "filters.py",
    "handlers.py",
    "loader.py",
    "namespaces.py",
    "params.py",
    "sql.py",
    "store.py",
    "table.py",
    "transaction.py",
    "writes.py",
    "body.py",
    "resources/__init__.py",
)
_METHODS = {"list": "GET", "create": "POST", "retrieve": "GET", "update": "PUT", "delete": "DELETE"}
# The two paths of a model and the operations each serves, in this order.
_PATHS = (("", ("list", "create")), ("/{id}", ("retrieve", "update", "delete")))


@dataclass(frozen=True, slots=True)
class Route:
    """One path of the app and the (method, operation) pairs it serves."""

    path: str
    model: Model
    methods: tuple[tuple[str, str], ...]


def routes(api: Api) -> tuple[Route, ...]:
    """Every path the specs allow some operation on, model by model."""
    found = []
    for model in api.models:
        for suffix, operations in _PATHS:
            methods = tuple((_METHODS[op], op) for op in operations if model.allows(op))
            if methods:
                found.append(Route(f"/{model.category}{suffix}", model, methods))
    return tuple(found)


def handler_names(api: Api) -> list[str]:
    """The names app.py imports from handlers: each operation's endpoint, and ``by_method``
    when a path serves more than one method."""
    all_routes = routes(api)
    names = {f"{op}_endpoint" for route in all_routes for _, op in route.methods}
    if any(len(route.methods) > 1 for route in all_routes):
        names.add("by_method")
    return sorted(names)


def render_shared(api: Api, templates: Templates) -> dict[str, str]:
    base = f"python/{api.server_package}"
    files: dict[str, str] = {f"{base}/py.typed": ""}  # PEP 561 marker: empty, like the models'
    shared = SHARED_MODULES + (("audit.py",) if api.activity_model is not None else ())
    context = {"api": api, "routes": routes(api), "handler_names": handler_names(api)}  # once, not per module
    for name in shared:
        files[f"{base}/{name}"] = templates.render(f"server/{name}.j2", **context)
    return files


def render_model(api: Api, model: Model, templates: Templates) -> dict[str, str]:
    # A subpackage, so a model's module name can never collide with a runtime module.
    path = f"python/{api.server_package}/resources/{model.module_name}.py"
    return {path: templates.render("server/resources/model.py.j2", api=api, model=model)}
