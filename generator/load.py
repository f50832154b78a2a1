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
MODEL_SUFFIXES = (MODEL_SUFFIX, ".spec.yml")  # both are read; new files get the first


def model_file_name(name: str) -> str:
    return f"{name}{MODEL_SUFFIX}"


def spec_files(specs_dir: Path) -> list[Path]:
    """The model spec files of a folder, in a stable order."""
    return sorted(p for p in specs_dir.iterdir() if p.name.endswith(MODEL_SUFFIXES) and p.is_file())


def skipped_files(specs_dir: Path) -> list[str]:
    """A warning for each YAML file of the specs folder that is neither the API file nor a model
    spec, so it is not read (``notes.yaml``, ``Task.SPEC.YAML``, ``_api.yml``)."""
    try:
        entries = sorted(specs_dir.iterdir())
    except OSError:
        return []
    warnings = []
    for path in entries:
        name = path.name
        if not name.lower().endswith((".yaml", ".yml")) or name == API_FILE or name.endswith(MODEL_SUFFIXES):
            continue
        if name.lower() in ("_api.yml", "_api.yaml"):
            hint = f"the API file is named {API_FILE}"
        elif name.lower().endswith(MODEL_SUFFIXES):
            hint = f"model specs end in {MODEL_SUFFIX}, in lower case"
        else:
            hint = f"specgen reads {API_FILE} and <name>{MODEL_SUFFIX} (or {MODEL_SUFFIXES[1]}) files"
        warnings.append(f"{_display(specs_dir, path)}: skipped, not read: {hint}")
    return warnings


def _display(specs_dir: Path, path: Path) -> str:
    # Relative to the specs folder's parent: stable across machines (no absolute paths).
    return f"{specs_dir.name}/{path.name}"


def _read(specs_dir: Path, path: Path, problems: list[SpecProblem]) -> Document | None:
    """The file as YAML; None (its problems added) when it cannot be read or parsed."""
    shown = _display(specs_dir, path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(SpecProblem(shown, 1, 1, "", f"cannot read: {exc.strerror}"))
        return None
    try:
        return load_yaml(raw, shown)
    except SpecError as exc:
        problems.extend(exc.problems)
        return None


def _checked(doc: Document, kind: str, rules: Callable[[Document], list[SpecProblem]]) -> list[SpecProblem]:
    """Every problem of a parsed file in one pass: its schema's, then the semantic rules' (which
    run either way, each saying nothing about a field the schema refused)."""
    found = validate.schema_problems(doc, kind)
    return found + validate.without_repeats(rules(doc), found)


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
        api_doc = _read(specs_dir, api_path, problems)
        if api_doc is not None:
            found = _checked(api_doc, "api", validate.api_file_problems)
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
        activity_files = {specs_dir / f"{ACTIVITY_MODEL}{suffix}" for suffix in MODEL_SUFFIXES}
        first = [_load_model_file(specs_dir, path) for path in files if path in activity_files]
        known = _build_api(api_doc, tuple(r.model for r in first if r.model is not None)[:1])
        loaded = [(result, None if result.model is None else per_model(known, result.model)) for result in first]
        rest = [path for path in files if path not in activity_files]
        loaded += parallel.map_items(_load_then, (specs_dir, known, per_model), rest)
        position = {_display(specs_dir, path): index for index, path in enumerate(files)}
        loaded.sort(key=lambda pair: position[pair[0].file])  # problems in file order, as always
    else:
        loaded = [(result, None) for result in parallel.map_items(_load_model_file, specs_dir, files)]
    for result, _ in loaded:
        problems.extend(result.problems)
    problems.extend(validate.api_problems([(r.file, r.names) for r, _ in loaded]))
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
    doc = _read(specs_dir, path, problems)
    if doc is None:
        return _ModelFile(shown, None, problems, {})
    found = _checked(doc, "model", lambda d: validate.model_problems(d, path.name))
    model = doc.data.get("model") if isinstance(doc.data, dict) else None
    names = {
        key: (model[key], *doc.where(("model", key)))
        for key in ("name", "category", "class_name")
        if isinstance(model, dict) and isinstance(model.get(key), str)
    }
    if found:
        return _ModelFile(shown, None, found, names)
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
