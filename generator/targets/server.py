"""The HTTP API target: a self-contained Starlette + SQLite server package per API.

Shared runtime modules (filter language, SQL, auth, errors, paging, store) are rendered once
from ``templates/server/``; each model gets one module under ``resources/`` describing its
table. The output depends on starlette, the generated models package and the standard library.
"""

from __future__ import annotations

from generator.render import Templates
from generator.spec import Api

NAME = "server"

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
    "resources/__init__.py",
)


def render(api: Api, templates: Templates) -> dict[str, str]:
    base = f"python/{api.server_package}"
    files: dict[str, str] = {f"{base}/py.typed": ""}  # PEP 561 marker: empty, like the models'
    for name in SHARED_MODULES:
        files[f"{base}/{name}"] = templates.render(f"server/{name}.j2", api=api)
    for model in api.models:
        # A subpackage, so a model's module name can never collide with a runtime module.
        files[f"{base}/resources/{model.module_name}.py"] = templates.render(
            "server/resources/model.py.j2", api=api, model=model
        )
    return files
