"""Random valid APIs (every type, flag, default and example; keyword model names) generate models and a
server that import, pass ``ruff check`` and ``mypy --strict``, and round-trip their own example bodies.

Each example is a whole API run through the real pipeline, then the real tools in subprocesses,
so examples are few; they are derandomized so CI sees the same ones every run.
SPECGEN_FUZZ_EXAMPLES=N runs N random examples instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.errors import SpecError
from generator.targets import flatten
from tests.conftest import ROOT, SPECS
from tests.spec_strategies import model_specs, nested_type_specs, whole_attributes

EXAMPLES = os.environ.get("SPECGEN_FUZZ_EXAMPLES")
# Model names a user may well pick that are Python keywords or builtins.
NAMES = ["import", "class", "def", "list", "type", "match", "object", "widget", "gadget", "thing"]

# Run in the generated packages' folder: every model imports, the app builds over a real store,
# and every model's example body survives decode -> encode -> decode.
CHECK = """
import json, sys, tempfile
from pathlib import Path
import randmodels
from randserver import Store, Tokens, resource_named
from randserver.app import create_app

bodies = json.loads(Path(sys.argv[1]).read_text())
for name, body in bodies.items():
    model = randmodels.model_for(name)
    once = model.from_dict(body).to_dict()
    assert set(body) <= set(once), (name, sorted(set(body) - set(once)))  # defaults may add keys
    assert model.from_dict(once).to_dict() == once, name
    assert resource_named(name).model is model
with tempfile.TemporaryDirectory() as folder:
    store = Store(Path(folder) / "db.sqlite")
    create_app(store, Tokens.generate()[0])
    store.close()
print("ok", len(bodies))
"""


@st.composite
def apis(draw: st.DrawFn) -> list[dict[str, Any]]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True))
    specs = []
    for index, name in enumerate(names):
        spec = draw(model_specs(index))
        spec["model"].update(name=name, category=f"{name}s", class_name=f"{name.title()}Model{index}")
        specs.append(spec)
    return specs


def _run(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *argv], cwd=cwd, capture_output=True, text=True, check=False)


@settings(
    max_examples=int(EXAMPLES or 6),
    derandomize=EXAMPLES is None,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: each example costs seconds
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(apis())
def test_random_apis_generate_code_that_imports_type_checks_and_round_trips(specs: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "specs"
        folder.mkdir()
        api = (SPECS / "_api.yaml").read_text("utf-8")
        api = api.replace("squallmodels", "randmodels").replace("squallserver", "randserver")
        (folder / "_api.yaml").write_text(api, encoding="utf-8")
        for spec in specs:
            text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
            (folder / f"{spec['model']['name']}.spec.yaml").write_text(text, encoding="utf-8")
        try:
            loaded = pipeline.validate(folder)
        except SpecError:  # a combination the spec rules refuse: not this test's concern
            reject()
        out = Path(tmp) / "out"
        for path, text in flatten(pipeline.render(folder, targets=["models", "server"])).items():
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            (out / path).write_text(text, encoding="utf-8")
        python = out / "python"

        lint = _run("ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), ".", cwd=python)
        assert lint.returncode == 0, lint.stdout + lint.stderr
        typed = _run(
            "mypy", "--strict", "--no-incremental", "--cache-dir", str(Path(tmp) / "mypy"),
            "-p", "randmodels", "-p", "randserver", cwd=python,
        )  # fmt: skip
        assert typed.returncode == 0, typed.stdout + typed.stderr

        bodies = {model.name: model.example_body for model in loaded.models}
        (Path(tmp) / "bodies.json").write_text(json.dumps(bodies), encoding="utf-8")
        checked = subprocess.run(
            [sys.executable, "-c", CHECK, str(Path(tmp) / "bodies.json")],
            cwd=python,
            capture_output=True,
            text=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stderr
        assert checked.stdout.split() == ["ok", str(len(bodies))]


@st.composite
def whole_apis(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Models and nested types with every construct the models target renders: maps, nested
    lists, refs to nested types (a type may hold itself), visibility flags and patterns."""
    count = draw(st.integers(1, 3))
    types = [f"part{index}" for index in range(count)]
    nested = [draw(nested_type_specs(index, types)) for index in range(count)]
    models = []
    for index, name in enumerate(draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True))):
        spec = draw(model_specs(index))
        spec["model"].update(name=name, category=f"{name}s", class_name=f"{name.title()}Model{index}")
        keep = {spec["model"].get("identifier"), *(k.lstrip("-") for k in spec["model"].get("default_order", ()))}
        spec["attributes"] = [
            a if a["name"] in keep else draw(whole_attributes(a["name"], types)) for a in spec["attributes"]
        ]
        models.append(spec)
    return models, nested


@settings(
    max_examples=int(EXAMPLES or 6),
    derandomize=EXAMPLES is None,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(whole_apis())
def test_random_whole_apis_give_models_that_type_check_and_round_trip(
    api_specs: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    models, nested = api_specs
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "specs"
        folder.mkdir()
        api = (SPECS / "_api.yaml").read_text("utf-8")
        (folder / "_api.yaml").write_text(api.replace("squallmodels", "randmodels"), encoding="utf-8")
        for spec in models:
            text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
            (folder / f"{spec['model']['name']}.spec.yaml").write_text(text, encoding="utf-8")
        for spec in nested:
            text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
            (folder / f"{spec['type']['name']}.type.yaml").write_text(text, encoding="utf-8")
        try:
            loaded = pipeline.validate(folder)
        except SpecError:
            reject()
        out = Path(tmp) / "out"
        for path, text in flatten(pipeline.render(folder, targets=["models"])).items():
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            (out / path).write_text(text, encoding="utf-8")
        python = out / "python"
        lint = _run("ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), ".", cwd=python)
        assert lint.returncode == 0, lint.stdout + lint.stderr
        typed = _run(
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(Path(tmp) / "mypy"),
            "-p",
            "randmodels",
            cwd=python,
        )
        assert typed.returncode == 0, typed.stdout + typed.stderr
        bodies = {model.name: model.example_body for model in loaded.models}
        (Path(tmp) / "bodies.json").write_text(json.dumps(bodies), encoding="utf-8")
        checked = subprocess.run(
            [sys.executable, "-c", ROUND_TRIP, str(Path(tmp) / "bodies.json")],
            cwd=python,
            capture_output=True,
            text=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stderr
        assert checked.stdout.split() == ["ok", str(len(bodies))]


# Every model's example body survives decode -> encode -> decode, nested objects included.
ROUND_TRIP = """
import json, sys
from pathlib import Path
import randmodels

for name, body in json.loads(Path(sys.argv[1]).read_text()).items():
    model = randmodels.model_for(name)
    once = model.from_dict(body).to_dict()
    kept = {k for k, v in body.items() if not (v is None or v is False or v == 0 or v in ("", [], {}))}
    assert kept <= set(once), (name, sorted(kept - set(once)))  # omit_empty may drop the empty ones
    assert model.from_dict(once).to_dict() == once, name
print("ok", len(json.loads(Path(sys.argv[1]).read_text())))
"""
