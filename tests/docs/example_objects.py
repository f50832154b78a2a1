"""The docs' Python and curl examples run against a live API, each with objects of its own.

A model page's examples read the namespace and identifiers from the environment
(``PLANNER_NAMESPACE``, ``TASK_ID``, and ``LIST_ID`` for the tasks of a list). Each example runs
in a namespace of its own, below the example namespace, with objects of its own made there by
the requests the docs show (the example body, the example values of the required parameters):
a delete example removes only its own object, an example under a parent finds that parent, and
a create example's unique values are free. An example naming a model nobody creates (a log the
server writes) runs in the example namespace itself, with an object its list shows there (made
by writing the other models once, when the list is empty).
Used by tests/server/test_whole_api.py and scripts/import_corpora.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator import operations
from generator.spec import Api, Model
from generator.targets.docs import EnvVars, id_env_var
from generator.targets.docs_examples import example_parameters, query_string, wire_object
from tests.docs.pages import Example

RUN_SECONDS = 30

# (method, path with its query string, JSON body or None, namespace) -> (status, decoded answer)
Call = Callable[[str, str, Any, str], tuple[int, Any]]


class ExampleFailed(Exception):
    """The API refused a request that makes an example's object; the message says which."""


def example_request(api: Api, model: Model, endpoint: operations.Endpoint, object_id: str | None) -> tuple[str, Any]:
    """The path (``{id}`` filled in, the example query string added) and body of the request
    the docs show for ``endpoint``; ``object_id`` is the object's, or the parent's under one."""
    path = endpoint.path if object_id is None else endpoint.path.replace("{id}", object_id)
    path += query_string(example_parameters(endpoint.spec.parameters, endpoint.spec.combinations))
    body = None
    if endpoint.has_body:
        sent = model.example_body if endpoint.operation == "create" else model.example_update_body
        body = wire_object(api, model, sent, "request")
    return path, body


def identifier_of(model: Model, answer: Any) -> str | None:
    """The identifier of an object in an answer (None when the model has none or it is absent)."""
    if model.identifier_attribute is None or not isinstance(answer, dict):
        return None
    value = answer.get(model.identifier_attribute.exposed_name)
    return None if value is None else str(value)


class ExampleObjects:
    """Makes the objects examples name, through ``call`` (the live API), each example's in a
    namespace of its own."""

    def __init__(self, api: Api, call: Call) -> None:
        self.api = api
        self.call = call
        self.namespace = api.example_namespace
        self._variables = {id_env_var(model): model for model in api.models}
        self._examples = 0

    def named_in(self, code: str) -> list[Model]:
        """The models whose identifier variable the example's code reads."""
        found = set(re.findall(r"\b[A-Z][A-Z0-9_]*_ID\b", code))
        return [model for variable, model in self._variables.items() if variable in found]

    def environment(self, code: str) -> dict[str, str]:
        """The example's variables: ``{PLANNER_NAMESPACE: a new one, TASK_ID: ..., LIST_ID: ...}``,
        a fresh object of each model the code names, in that namespace."""
        named = self.named_in(code)
        self._examples += 1
        base = self.api.example_namespace.rstrip("/")
        fresh = all(self._creates(model) for model in named)
        self.namespace = f"{base}/example-{self._examples}" if fresh else self.api.example_namespace
        found = {id_env_var(model): self.fresh(model) for model in named}
        return {EnvVars.of(self.api).namespace: self.namespace, **found}

    def fresh(self, model: Model, _seen: frozenset[str] = frozenset()) -> str:
        """The identifier of a new object of ``model``: created at the top, else under a parent
        (itself new); a model with no create anywhere gives the first object its list shows."""
        for endpoint in self._creates(model):
            if endpoint.parent is not None and endpoint.parent in _seen | {model.name}:
                continue  # a loop of relations: a parent made through its own child
            parent_id = None
            if endpoint.parent is not None:
                parent_id = self.fresh(self.api.models_by_name[endpoint.parent], _seen | {model.name})
            path, body = example_request(self.api, model, endpoint, parent_id)
            status, answer = self.call(endpoint.method, path, body, self.namespace)
            made = identifier_of(model, answer)
            if status != operations.SUCCESS["create"][0] or made is None:
                raise ExampleFailed(f"{endpoint.method} {path}: {status} {answer}")
            return made
        listed = self._listed(model)
        if listed is None:
            for other in self.api.models:  # their writes are what such a model records
                if other.allows("create"):
                    self.fresh(other, _seen | {model.name})
            listed = self._listed(model)
        if listed is None:
            raise ExampleFailed(f"no {model.name} to name: it has no create, and its list shows none")
        return listed

    def _creates(self, model: Model) -> list[operations.Endpoint]:
        """The model's creates, the one at the top first."""
        found = [e for e in operations.endpoints(self.api, model) if e.operation == "create"]
        return sorted(found, key=lambda e: e.parent is not None)

    def _listed(self, model: Model) -> str | None:
        """The identifier of the first object the model's list shows in the namespace, if any."""
        for endpoint in operations.endpoints(self.api, model):
            if endpoint.operation != "list" or endpoint.parent is not None:
                continue
            path, _ = example_request(self.api, model, endpoint, None)
            status, answer = self.call(endpoint.method, path, None, self.namespace)
            if status == operations.SUCCESS["list"][0] and isinstance(answer, list) and answer:
                return identifier_of(model, answer[0])
        return None


def runnable(example: Example) -> bool:
    """Whether :func:`run_example` runs it here: the Python tab, and curl's where curl is installed."""
    return example.tab == "Python" or (example.tab == "curl" and shutil.which("curl") is not None)


def run_example(example: Example, env: dict[str, str], folder: Path) -> str | None:
    """Run one example as a reader pastes it; None when it worked, else what went wrong. It fails
    when it exits non-zero, or (curl, which exits 0 whatever the status) prints the API's errors."""
    if example.tab == "Python":
        script = folder / "example.py"
        script.write_text(example.code, encoding="utf-8")
        command = [sys.executable, str(script)]
    else:
        command = ["bash", "-euo", "pipefail", "-c", example.code]
    # No bytecode beside the packages it imports: a golden folder stays as committed.
    result = subprocess.run(
        command,
        env={**env, "PYTHONDONTWRITEBYTECODE": "1"},
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    if result.returncode:
        return f"exit {result.returncode}: {result.stderr.strip().splitlines()[-1:]}"
    if example.tab == "curl" and api_errors(result.stdout):
        return result.stdout.strip()[:300]
    return None


def api_errors(printed: str) -> bool:
    """Whether an example printed the API's error array (``[{"code": 404, "title": ...}]``)."""
    try:
        answer = json.loads(printed)
    except ValueError:
        return False
    return (
        isinstance(answer, list)
        and bool(answer)
        and all(isinstance(e, dict) and {"code", "title", "description"} <= set(e) for e in answer)
        and all(isinstance(e["code"], int) and e["code"] >= 400 for e in answer)
    )
