"""Read a specs folder into an :class:`~generator.spec.Api`, or raise SpecError with every problem.

Three kinds of spec file sit beside ``_api.yaml``: models (``<name>.spec.yaml``), nested
types (``<name>.type.yaml``) and abstracts (``<name>.abstract.yaml``). Each file is read
and checked on its own (on every core for large APIs), then generator.resolve joins them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import parallel, validate
from generator.errors import SpecError, SpecProblem
from generator.resolve import Kind, Located, SpecFile, resolve
from generator.spec import Api
from generator.yamlsource import Document, load_yaml

API_FILE = "_api.yaml"
MODEL_SUFFIX = ".spec.yaml"
MODEL_SUFFIXES = validate.SUFFIXES["model"]  # both are read; new files get the first
KINDS: tuple[Kind, ...] = ("model", "type", "abstract")


def model_file_name(name: str) -> str:
    return f"{name}{MODEL_SUFFIX}"


def _kind_of(name: str) -> Kind | None:
    for kind in KINDS:
        if name.endswith(validate.SUFFIXES[kind]):
            return kind
    return None


def spec_files(specs_dir: Path) -> list[tuple[Path, Kind]]:
    """The model, nested type and abstract files of a folder, with their kind, in a stable order."""
    found = []
    for path in sorted(specs_dir.iterdir()):
        kind = _kind_of(path.name)
        if kind is not None and path.is_file():
            found.append((path, kind))
    return found


def skipped_files(specs_dir: Path) -> list[str]:
    """A warning for each YAML file of the specs folder that is not read (``notes.yaml``,
    ``Task.SPEC.YAML``, ``_api.yml``)."""
    try:
        entries = sorted(specs_dir.iterdir())
    except OSError:
        return []
    warnings = []
    for path in entries:
        name = path.name
        if not name.lower().endswith((".yaml", ".yml")) or name == API_FILE or _kind_of(name) is not None:
            continue
        if name.lower() in ("_api.yml", "_api.yaml"):
            hint = f"the API file is named {API_FILE}"
        elif _kind_of(name.lower()) is not None:
            hint = "spec file names end in .spec.yaml, .type.yaml or .abstract.yaml, in lower case"
        else:
            hint = f"specgen reads {API_FILE}, <name>.spec.yaml (models), <name>.type.yaml and <name>.abstract.yaml"
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


@dataclass(frozen=True, slots=True)
class _Loaded:
    """One spec file read and checked on its own (possibly in a worker process)."""

    path: Path
    file: str
    kind: Kind
    data: dict[str, Any] | None  # None when it has problems
    problems: list[SpecProblem]
    names: validate.NameTable  # name, category, class_name -> (value, line, column)


def _load_spec_file(specs_dir: Path, item: tuple[Path, Kind]) -> _Loaded:
    path, kind = item
    problems: list[SpecProblem] = []
    shown = _display(specs_dir, path)
    doc = _read(specs_dir, path, problems)
    if doc is None:
        return _Loaded(path, shown, kind, None, problems, {})
    found = validate.schema_problems(doc, kind)
    found += validate.without_repeats(validate.spec_problems(doc, kind, path.name), found)
    header = doc.data.get(kind) if isinstance(doc.data, dict) else None
    names = {
        key: (header[key], *doc.where((kind, key)))
        for key in ("name", "category", "class_name")
        if isinstance(header, dict) and isinstance(header.get(key), str)
    }
    return _Loaded(path, shown, kind, None if found else doc.data, found, names)


def load_api(specs_dir: Path, cache_dir: Path | None = None) -> Api:
    """Load, validate and join the whole API; every problem in every file is reported at once.

    ``cache_dir`` keeps the compiled schema validators between runs (see generator/fast_validators.py).
    """
    problems: list[SpecProblem] = []
    if not specs_dir.is_dir():
        raise SpecError([SpecProblem(str(specs_dir), 1, 1, "", "no such specs folder")])
    for kind in validate.KINDS:
        validate.prepare(kind, cache_dir)  # compiled once here rather than in every worker
    api_path = specs_dir / API_FILE
    api_doc = None
    if api_path.is_file():
        api_doc = _read(specs_dir, api_path, problems)
        if api_doc is not None:
            found = validate.schema_problems(api_doc, "api")
            found += validate.without_repeats(validate.api_file_problems(api_doc), found)
            problems.extend(found)
            api_doc = None if found else api_doc
    else:
        problems.append(
            SpecProblem(_display(specs_dir, api_path), 1, 1, "", f"missing: every specs folder has an {API_FILE}")
        )

    files = spec_files(specs_dir)
    if not any(kind == "model" for _, kind in files):
        problems.append(SpecProblem(f"{specs_dir.name}/", 1, 1, "", f"no model specs (*{MODEL_SUFFIX}) found"))
    loaded: list[_Loaded] = parallel.map_items(_load_spec_file, specs_dir, files)
    for result in loaded:
        problems.extend(result.problems)
    problems.extend(validate.api_problems([(r.file, r.kind, r.names) for r in loaded]))
    if api_doc is None:
        raise SpecError(problems)
    good = [SpecFile(r.file, r.kind, r.data) for r in loaded if r.data is not None]
    broken = {r.names["name"][0] for r in loaded if r.data is None and "name" in r.names}
    broken |= {r.path.name.split(".")[0] for r in loaded if r.data is None}  # unreadable: named by the file
    api, located = resolve(api_doc.file, api_doc.data, good, broken)
    problems.extend(_locate(specs_dir, api_doc, [r.path for r in loaded], located))
    if problems or api is None:
        raise SpecError(problems)
    return api


def _locate(specs_dir: Path, api_doc: Document, paths: list[Path], located: list[Located]) -> list[SpecProblem]:
    """Lines and columns for problems found across files: each file concerned is read again (only
    when there are problems, so the common case keeps no parse tree of every file)."""
    documents: dict[str, Document | None] = {api_doc.file: api_doc}
    by_shown = {_display(specs_dir, path): path for path in paths}
    out = []
    for problem in located:
        if problem.file not in documents:
            documents[problem.file] = _read(specs_dir, by_shown[problem.file], [])
        doc = documents[problem.file]
        line, column = doc.where(problem.path, key=problem.key) if doc is not None else (1, 1)
        out.append(SpecProblem(problem.file, line, column, validate.dotted(problem.path), problem.message))
    return out
