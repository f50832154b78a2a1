"""The OpenAPI target: ``openapi.json`` (OpenAPI 3.1) and ``schemas/<name>.json`` (JSON Schema 2020-12).

Both are data built by :mod:`generator.openapi` from the spec objects and the operations, not
templates: JSON has one right way to be written. A schema file is written for each published
model, each nested type, and each private model a published one holds.
"""

from __future__ import annotations

from generator import openapi
from generator.render import Templates
from generator.spec import Api, Model, NestedType

NAME = "openapi"
# No Python here.
SHARED_IN_RUFF_LAYOUT = True

DOCUMENT = "openapi.json"
SCHEMAS = "schemas"


def runtime_files(api: Api) -> dict[str, str]:
    return {}


def render_shared(api: Api, templates: Templates) -> dict[str, str]:
    return {DOCUMENT: openapi.json_text(openapi.document(api))}


def render_model(api: Api, model: Model, templates: Templates) -> dict[str, str]:
    if model.private and model.name not in openapi.published_shapes(api):
        return {}
    return _schema_file(api, model)


def render_type(api: Api, nested: NestedType, templates: Templates) -> dict[str, str]:
    return _schema_file(api, nested)


def _schema_file(api: Api, obj: Model | NestedType) -> dict[str, str]:
    path = f"{SCHEMAS}/{openapi.schema_file_name(obj)}"
    return {path: openapi.json_text(openapi.json_schema(api, obj))}
