"""Model names that are Python keywords work; names that would clash are refused with a location;
defaults of every type (times included) come out as working Python; one time grammar everywhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import pipeline
from generator.errors import SpecError
from tests.conftest import SPECS

API = (
    (SPECS / "_api.yaml")
    .read_text("utf-8")
    .replace("squallmodels", "namesmodels")
    .replace("squallserver", "namesserver")
)


def _write(specs: Path, *models: dict[str, Any]) -> Path:
    specs.mkdir(parents=True, exist_ok=True)
    (specs / "_api.yaml").write_text(API, encoding="utf-8")
    for spec in models:
        name = spec["model"]["name"]
        (specs / f"{name}.spec.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return specs


def _model(name: str, class_name: str, attributes: list[dict[str, Any]], **model: Any) -> dict[str, Any]:
    head = {"name": name, "category": f"{name}s", "class_name": class_name, "description": "A model."}
    return {"model": {**head, "operations": ["list", "create"], **model}, "attributes": attributes}


def _run(out: Path, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=out / "python", capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_keyword_model_name_works_end_to_end(tmp_path: Path) -> None:
    """``import`` is a model name like any other: its module is ``import_``, its wire names stay."""
    attribute: dict[str, Any] = {"name": "source", "description": "Where from.", "type": "string", "filterable": True}
    specs = _write(tmp_path / "specs", _model("import", "Import", [attribute]))
    out = tmp_path / "out"
    pipeline.generate(specs, out)
    assert (out / "python/namesmodels/import_.py").is_file()
    assert (out / "docs/models/import.md").is_file()
    printed = _run(
        out,
        "from namesmodels import Import, model_for\n"
        "from namesserver import Store, resource_named\n"
        "from namesserver.app import create_app\n"
        "obj = Import.from_dict({'source': 'x'})\n"
        "print(obj.to_dict(), model_for('imports').identity.name, resource_named('import').table.category)\n",
    )
    assert printed.strip() == "{'source': 'x'} import imports"


@pytest.mark.parametrize(
    ("name", "class_name", "field", "expected"),
    [
        ("widget", "ValidationError", "model.class_name", "'ValidationError' is a name the models package"),
        ("widget", "Model", "model.class_name", "'Model' is a name the models package"),
    ],
)
def test_names_that_would_clash_are_refused_with_a_location(
    tmp_path: Path, name: str, class_name: str, field: str, expected: str
) -> None:
    attribute: dict[str, Any] = {"name": "label", "description": "A label.", "type": "string"}
    specs = _write(tmp_path / "specs", _model(name, class_name, [attribute]))
    with pytest.raises(SpecError) as caught:
        pipeline.validate(specs)
    (problem,) = caught.value.problems
    assert (problem.file, problem.field) == (f"specs/{name}.spec.yaml", field)
    assert problem.line > 1 and expected in problem.message


def test_defaults_of_every_type_are_working_python(tmp_path: Path) -> None:
    """A time default once generated a module that failed on import (``parse_time`` was not imported)."""
    attributes: list[dict[str, Any]] = [
        {"name": "since", "description": "A time.", "type": "time", "default_value": "2019-06-17T10:00:00+02:00"},
        {
            "name": "stamps",
            "description": "Times.",
            "type": "list",
            "subtype": "time",
            "default_value": ["2020-01-01T00:00:00Z"],
        },
        {"name": "tags", "description": "Tags.", "type": "list", "subtype": "string", "default_value": ["a"]},
        {"name": "meta", "description": "Meta.", "type": "object", "default_value": {"k": 1}},
        {"name": "size", "description": "Size.", "type": "enum", "choices": ["s", "m"], "default_value": "m"},
        {"name": "ratio", "description": "Ratio.", "type": "float", "default_value": 0.5},
    ]
    specs = _write(tmp_path / "specs", _model("thing", "Thing", attributes))
    out = tmp_path / "out"
    pipeline.generate(specs, out)
    printed = _run(
        out,
        "from namesmodels import Thing\n"
        "made, decoded = Thing(), Thing.from_dict({})\n"
        "assert made == decoded, (made, decoded)\n"
        "decoded.tags.append('b'); decoded.stamps.clear()\n"
        "assert Thing.from_dict({}).tags == ['a'] and len(Thing.from_dict({}).stamps) == 1\n"
        "print(sorted(made.to_dict().items()))\n",
    )
    assert printed.strip() == (
        "[('meta', {'k': 1}), ('ratio', 0.5), ('since', '2019-06-17T08:00:00Z'), ('size', 'm'),"
        " ('stamps', ['2020-01-01T00:00:00Z']), ('tags', ['a'])]"
    )


@pytest.mark.parametrize("text", ["2019-06-17 10:00:00Z", "2019-06-17T10:00:00", "2019-06-17", "2019-02-30T10:00:00Z"])
def test_the_spec_accepts_exactly_the_times_the_models_accept(tmp_path: Path, text: str) -> None:
    """One grammar: a time the generated models would refuse is refused in the spec too."""
    attribute: dict[str, Any] = {"name": "since", "description": "A time.", "type": "time", "example_value": text}
    specs = _write(tmp_path / "specs", _model("thing", "Thing", [attribute]))
    with pytest.raises(SpecError) as caught:
        pipeline.validate(specs)
    assert [p.field for p in caught.value.problems] == ["attributes[0].example_value"]


def test_an_empty_list_of_times_as_default_imports_nothing_unused(tmp_path: Path) -> None:
    """An empty default parses no time: ``parse_time`` was once imported for it anyway (ruff F401)."""
    attributes: list[dict[str, Any]] = [
        {"name": "stops", "description": "Times.", "type": "list", "subtype": "time", "default_value": []}
    ]
    specs = _write(tmp_path / "specs", _model("thing", "Thing", attributes))
    out = tmp_path / "out"
    pipeline.generate(specs, out, targets=["models"])
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", "--select", "F", "."],
        cwd=out / "python",
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
