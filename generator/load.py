"""Read a specs folder into an :class:`~generator.spec.Api`, or raise SpecError with every problem."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from generator import parallel, validate
from generator.activity import ACTIVITY_MODEL
from generator.errors import SpecError, SpecProblem
from generator.spec import Api, Attribute, Model
from generator.yamlsource import Document, load_yaml

R = TypeVar("R")

API_FILE = "_api.yaml"
MODEL_SUFFIX = ".spec.yaml"


def spec_files(specs_dir: Path) -> list[Path]:
    """The model spec files of a folder, in a stable order."""
    return sorted(p for p in specs_dir.glob(f"*{MODEL_SUFFIX}") if p.is_file())


def _display(specs_dir: Path, path: Path) -> str:
    # Relative to the specs folder's parent: stable across machines (no absolute paths).
    return f"{specs_dir.name}/{path.name}"


def _read(specs_dir: Path, path: Path, kind: str, problems: list[SpecProblem]) -> Document | None:
    shown = _display(specs_dir, path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(SpecProblem(shown, 1, 1, "", f"cannot read: {exc.strerror}"))
        return None
    try:
        doc = load_yaml(raw, shown)
    except SpecError as exc:
        problems.extend(exc.problems)
        return None
    found = validate.schema_problems(doc, kind)
    problems.extend(found)
    return None if found else doc


def load_api(specs_dir: Path) -> Api:
    """Load, validate and build the whole API; every problem in every file is reported at once."""
    api, _ = load_and_map(specs_dir, None)
    return api


def load_and_map(specs_dir: Path, per_model: Callable[[Api, Model], R] | None) -> tuple[Api, dict[str, R]]:
    """:func:`load_api`, and ``per_model`` called on each valid model in the same pass over the
    cores (one round of workers instead of two): ``{model name: result}``.

    ``per_model`` sees the API as far as it is known before all models are: its settings and
    its activity model (loaded first, here), with no other model in ``api.models``. What it
    computes for a model may depend on those, never on the other models.
    """
    problems: list[SpecProblem] = []
    if not specs_dir.is_dir():
        raise SpecError([SpecProblem(str(specs_dir), 1, 1, "", "no such specs folder")])
    api_path = specs_dir / API_FILE
    api_doc = None
    if api_path.is_file():
        api_doc = _read(specs_dir, api_path, "api", problems)
        if api_doc is not None:
            found = validate.api_file_problems(api_doc)
            problems.extend(found)
            api_doc = None if found else api_doc
    else:
        problems.append(
            SpecProblem(_display(specs_dir, api_path), 1, 1, "", f"missing: every specs folder has an {API_FILE}")
        )

    files = spec_files(specs_dir)
    if not files:
        problems.append(SpecProblem(f"{specs_dir.name}/", 1, 1, "", f"no model specs (*{MODEL_SUFFIX}) found"))
    validate.prepare("model")  # compiled once here rather than in every worker
    loaded: list[tuple[_ModelFile, R | None]] = []
    if per_model is not None and api_doc is not None:
        activity_file = specs_dir / f"{ACTIVITY_MODEL}{MODEL_SUFFIX}"
        first = [_load_model_file(specs_dir, activity_file)] if activity_file in files else []
        known = _build_api(api_doc, tuple(r.model for r in first if r.model is not None))
        loaded = [(result, None if result.model is None else per_model(known, result.model)) for result in first]
        rest = [path for path in files if path != activity_file]
        loaded += parallel.map_items(_load_then, (specs_dir, known, per_model), rest)
        position = {_display(specs_dir, path): index for index, path in enumerate(files)}
        loaded.sort(key=lambda pair: position[pair[0].file])  # problems in file order, as always
    else:
        loaded = [(result, None) for result in parallel.map_items(_load_model_file, specs_dir, files)]
    for result, _ in loaded:
        problems.extend(result.problems)
    problems.extend(validate.api_problems([(r.file, r.names) for r, _ in loaded if r.model is not None]))
    if problems:
        raise SpecError(problems)
    assert api_doc is not None
    models = tuple(sorted((r.model for r, _ in loaded if r.model is not None), key=lambda m: m.name))
    outputs = {r.model.name: output for r, output in loaded if r.model is not None and output is not None}
    return _build_api(api_doc, models), outputs


def _load_then(context: tuple[Path, Api, Callable[[Api, Model], R]], path: Path) -> tuple[_ModelFile, R | None]:
    specs_dir, known, per_model = context
    result = _load_model_file(specs_dir, path)
    return result, None if result.model is None else per_model(known, result.model)


@dataclass(frozen=True, slots=True)
class _ModelFile:
    """One model spec file, loaded on its own (possibly in a worker process)."""

    file: str
    model: Model | None
    problems: list[SpecProblem]
    names: dict[str, tuple[str, int, int]]  # name, category, class_name -> (value, line, column)


def _load_model_file(specs_dir: Path, path: Path) -> _ModelFile:
    problems: list[SpecProblem] = []
    shown = _display(specs_dir, path)
    doc = _read(specs_dir, path, "model", problems)
    if doc is None:
        return _ModelFile(shown, None, problems, {})
    found = validate.model_problems(doc, path.name)
    if found:
        return _ModelFile(shown, None, found, {})
    names = {key: (doc.data["model"][key], *doc.where(("model", key))) for key in ("name", "category", "class_name")}
    return _ModelFile(shown, _build_model(doc), [], names)


def _build_api(doc: Document, models: tuple[Model, ...]) -> Api:
    data = doc.data
    return Api(
        title=data["title"],
        version=data["version"],
        description=data["description"].strip(),
        models_package=data["packages"]["models"],
        server_package=data["packages"]["server"],
        base_url=data["base_url"].rstrip("/"),
        example_namespace=data.get("example_namespace", "/namespace"),
        models=models,
        spec_file=doc.file,
    )


def _build_model(doc: Document) -> Model:
    model = doc.data["model"]
    attributes = tuple(_build_attribute(raw) for raw in doc.data["attributes"])
    return Model(
        name=model["name"],
        category=model["category"],
        class_name=model["class_name"],
        description=model["description"].strip(),
        operations=tuple(model["operations"]),
        attributes=attributes,
        spec_file=doc.file,
        identifier=model.get("identifier"),
        default_order=tuple(model.get("default_order", ())),
        cap=model.get("cap"),
        deprecated=model.get("deprecated", False),
    )


def _build_attribute(raw: dict[str, Any]) -> Attribute:
    choices = raw.get("choices")
    return Attribute(
        name=raw["name"],
        description=raw["description"].strip(),
        type=raw["type"],
        exposed_name=raw.get("exposed_name", raw["name"]),
        choices=tuple(choices) if choices is not None else None,
        subtype=raw.get("subtype"),
        required=raw.get("required"),
        read_only=raw.get("read_only"),
        deprecated=raw.get("deprecated"),
        creation_only=raw.get("creation_only"),
        autogenerated=raw.get("autogenerated"),
        filterable=raw.get("filterable"),
        orderable=raw.get("orderable"),
        unique=raw.get("unique"),
        unique_scope=raw.get("unique_scope"),
        default_value=raw.get("default_value"),
        example_value=raw.get("example_value"),
        min_length=raw.get("min_length"),
        max_length=raw.get("max_length"),
        min_value=raw.get("min_value"),
        max_value=raw.get("max_value"),
    )
