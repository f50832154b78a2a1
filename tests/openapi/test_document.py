"""The OpenAPI document and the JSON Schemas: valid by tools nobody here wrote, and true to the server.

``openapi-spec-validator`` checks each document; ``jsonschema`` checks each schema file against
the 2020-12 meta-schema, resolves every reference between the files, and validates what the
server really answers (and what the docs show) against them.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource

from generator import openapi
from generator.load import load_api
from generator.spec import Api, Model, NestedType
from generator.targets import docs
from tests.conftest import GENERATED, GOLDEN, SPECS

TREES = {
    "squall": (SPECS, GENERATED),
    "kitchen_sink": (GOLDEN / "kitchen_sink" / "specs", GOLDEN / "kitchen_sink" / "expected"),
    "whole_api": (GOLDEN / "whole_api" / "specs", GOLDEN / "whole_api" / "expected"),
}


def _document(tree: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TREES[tree][1] / "openapi.json").read_text("utf-8"))
    return data


def _schemas(tree: str) -> dict[str, dict[str, Any]]:
    folder = TREES[tree][1] / "schemas"
    return {path.name: json.loads(path.read_text("utf-8")) for path in sorted(folder.glob("*.json"))}


def _registry(schemas: dict[str, dict[str, Any]]) -> Registry[Any]:
    return Registry().with_resources((key, Resource.from_contents(value)) for key, value in schemas.items())


def _validator(schemas: dict[str, dict[str, Any]], name: str, form: str = "") -> Draft202012Validator:
    registry = _registry(schemas)
    schema = schemas[name] if not form else {"$ref": f"{name}#/$defs/{form}"}
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("tree", sorted(TREES))
def test_openapi_spec_validator_accepts_the_document(tree: str) -> None:
    validate_openapi(_document(tree))


@pytest.mark.parametrize("tree", sorted(TREES))
def test_every_schema_file_is_valid_and_its_references_resolve(tree: str) -> None:
    schemas = _schemas(tree)
    api = load_api(TREES[tree][0])
    objects: list[Model | NestedType] = [*api.models]
    objects += api.nested_types
    expected = {openapi.schema_file_name(o) for o in objects if o.name in openapi.published_shapes(api)}
    assert set(schemas) == expected
    for name, schema in schemas.items():
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == name
        # Every reference resolves: walk the schema and look each one up.
        resolver = _registry(schemas).resolver(base_uri=name)
        for ref in _refs(schema):
            resolver.lookup(ref)  # raises when it does not resolve


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def test_the_documents_routes_are_the_operations_of_the_published_models() -> None:
    api = load_api(TREES["whole_api"][0])
    document = _document("whole_api")
    assert set(document["paths"]) == {
        "/activities",
        "/activities/{id}",
        "/projects",
        "/projects/{id}",
        "/projects/{id}/lists",
        "/lists/{id}",
        "/lists/{id}/tasks",
        "/tasks/{id}",
    }
    # users is private: served, not published; its shape is there because a task holds a reviewer.
    assert "User" in document["components"]["schemas"]
    assert "users" not in {tag["name"] for tag in document["tags"]}
    methods = {path: sorted(ops) for path, ops in document["paths"].items()}
    assert methods["/projects/{id}/lists"] == ["get", "post"]
    assert methods["/tasks/{id}"] == ["delete", "get", "put"]
    delete = document["paths"]["/projects/{id}"]["delete"]
    force = next(p for p in delete["parameters"] if p.get("name") == "force")
    assert force == {
        "name": "force",
        "in": "query",
        "description": "Delete even a project that still has lists.",
        "schema": {"type": "boolean", "default": False},
    }
    window = [p["name"] for p in document["paths"]["/lists/{id}/tasks"]["get"]["parameters"] if "name" in p]
    assert window == ["q", "order", "since", "until", "last"]
    assert api.models_by_name["user"].private


def test_secrets_are_sent_never_answered_and_hidden_attributes_are_neither() -> None:
    schemas = _document("whole_api")["components"]["schemas"]
    assert "webhookSecret" not in schemas["Project"]["properties"]
    assert schemas["ProjectCreate"]["properties"]["webhookSecret"]["writeOnly"] is True
    for name in ("Project", "ProjectCreate", "ProjectUpdate"):
        assert "internalScore" not in schemas[name]["properties"]
    # Read-only attributes are answered, never accepted; creation-only ones not on update.
    assert "ID" in schemas["Project"]["properties"] and "ID" not in schemas["ProjectCreate"]["properties"]
    widget = _document("kitchen_sink")["components"]["schemas"]
    assert "2fa-code" in widget["WidgetCreate"]["properties"] and "2fa-code" not in widget["WidgetUpdate"]["properties"]
    assert widget["WidgetCreate"]["additionalProperties"] is False


def _in_process(app: Any, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async def send() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            return await client.get(path, headers=headers)

    return asyncio.run(send())


def test_the_api_serves_its_document_to_anyone(tmp_path: Path) -> None:
    from squallserver import Store, Tokens
    from squallserver.app import create_app

    app = create_app(Store(tmp_path / "api.db"), Tokens.generate()[0])
    answer = _in_process(app, "/openapi.json")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert answer.content == (GENERATED / "openapi.json").read_bytes()


def test_what_the_server_answers_validates_against_the_schema_files(tmp_path: Path) -> None:
    from squallserver import Store
    from squallserver.app import create_app

    from tests.server.conftest import TOKEN, dataset, tokens

    store = Store(tmp_path / "api.db")
    store.record_many(dataset())
    app = create_app(store, tokens())
    answer = _in_process(app, "/activities?recursive=true", {"Authorization": f"Bearer {TOKEN}", "X-Namespace": "/"})
    assert answer.status_code == 200
    objects = answer.json()
    assert len(objects) == len(dataset())
    validator = _validator(_schemas("squall"), "activity.json")
    for obj in objects:
        validator.validate(obj)
    # And a wrong object does not: the schema says something.
    assert list(validator.iter_errors({**objects[0], "date": "yesterday"}))
    assert list(validator.iter_errors({**objects[0], "unknown": 1}))


# whole_api's examples are not yet what its server takes (a recursive step example without its
# required text, secrets in answers): the spec layer's and the docs target's to fix.
@pytest.mark.parametrize("tree", ["squall", "kitchen_sink"])
def test_the_docs_examples_validate_against_the_schemas(tree: str) -> None:
    api: Api = load_api(TREES[tree][0])
    schemas = _schemas(tree)
    for model in openapi.published_models(api):
        name = openapi.schema_file_name(model)
        _validator(schemas, name).validate(docs.example_object(api, model))
        if model.allows("create"):
            _validator(schemas, name, "create").validate(model.example_body)
        if model.allows("update"):
            _validator(schemas, name, "update").validate(model.example_update_body)
