"""Read a regolithe folder: every file parsed, every key checked against the format, the
versioned attributes merged, and every reference between files (extends, relations, refs,
mappings) checked. Each problem is one located message; nothing here converts anything.

A regolithe folder holds ``_api.info``, ``regolithe.ini``, ``_type.mapping``,
``_validation.mapping``, ``_parameter.mapping``, models (``name.spec``), detached types
(``+name.spec``), abstracts (``@name.abs``) and the root spec (``root.spec``, named by
``_api.info``) whose relations are the API's top-level collections.
"""

from __future__ import annotations

import configparser
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.errors import SpecError, SpecProblem
from generator.importers.regolithe import keys
from generator.validate import dotted
from generator.yamlsource import Document, load_yaml
from generator.yamlsource import Path as NodePath

Role = Literal["model", "type", "abstract", "root"]
API_INFO = "_api.info"
TYPE_MAPPING = "_type.mapping"
VALIDATION_MAPPING = "_validation.mapping"
PARAMETER_MAPPING = "_parameter.mapping"
CONFIG = "regolithe.ini"
_VERSION = re.compile(r"^v([0-9]+)$")
_YAML11_BOOLEANS = {"yes": True, "y": True, "on": True, "no": False, "n": False, "off": False}


@dataclass(slots=True)
class Attribute:
    """One attribute as its latest version defines it, and where that is written."""

    data: dict[str, Any]
    doc: Document
    path: NodePath  # ("attributes", "v1", 3)

    @property
    def name(self) -> str:
        return str(self.data["name"])


@dataclass(slots=True)
class Spec:
    """A model, detached type, abstract or the root spec."""

    name: str  # the file's stem without its + or @: a3ssource, issuea3s, identifiable
    role: Role
    doc: Document
    attributes: list[Attribute] = field(default_factory=list)
    versions: tuple[str, ...] = ()

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.doc.data
        return data

    @property
    def file(self) -> str:
        return self.doc.file

    @property
    def model(self) -> dict[str, Any]:
        model = self.data.get("model")
        return model if isinstance(model, dict) else {}

    @property
    def rest_name(self) -> str:
        return str(self.model.get("rest_name", self.name))

    @property
    def extends(self) -> list[str]:
        return strings(self.model.get("extends"))


@dataclass(slots=True)
class Config:
    """regolithe.ini: its sections and the line of each key."""

    file: str
    values: dict[str, dict[str, str]]
    lines: dict[tuple[str, str], int]


@dataclass(slots=True)
class Source:
    """A regolithe folder, read and checked."""

    folder: Path
    label: str  # how files are named in messages: the folder's name
    info: Document | None = None
    config: Config | None = None
    type_mapping: Document | None = None
    validation_mapping: Document | None = None
    parameter_mapping: Document | None = None
    specs: dict[str, Spec] = field(default_factory=dict)  # models, types and root, by rest_name
    abstracts: dict[str, Spec] = field(default_factory=dict)  # by "@name", as extends says
    skipped: list[str] = field(default_factory=list)  # files not read: "name: why"
    problems: list[SpecProblem] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)  # stems of spec files that could not be parsed

    @property
    def root(self) -> Spec | None:
        return next((spec for spec in self.specs.values() if spec.role == "root"), None)

    def display(self, name: str) -> str:
        return f"{self.label}/{name}"

    def problem(self, doc: Document | None, path: NodePath, message: str, *, key: bool = False, file: str = "") -> None:
        if doc is None:
            self.problems.append(SpecProblem(file, 1, 1, dotted(path), message))
            return
        line, column = doc.where(path, key=key)
        self.problems.append(SpecProblem(doc.file, line, column, dotted(path), message))


def read(folder: Path) -> Source:
    """The folder, read; its problems are in ``Source.problems`` (empty when it is sound)."""
    source = Source(folder, folder.resolve().name or "regolithe")
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        source.problems.append(SpecProblem(str(folder), 1, 1, "", f"cannot read the folder: {exc.strerror or exc}"))
        return source
    for path in entries:
        _read_entry(source, path)
    if source.info is None and not any(p.file == source.display(API_INFO) for p in source.problems):
        source.problems.append(
            SpecProblem(
                source.display(API_INFO),
                1,
                1,
                "",
                f"missing: a regolithe folder has an _api.info{_not_read(source, API_INFO)}",
            )
        )
    if not any(spec.role in ("model", "root") for spec in source.specs.values()) and not _has_spec_problem(source):
        source.problems.append(
            SpecProblem(f"{source.label}/", 1, 1, "", f"no model specs (*.spec) found{_not_read(source, '.spec')}")
        )
    _assign_root(source)
    for spec in [*source.specs.values(), *source.abstracts.values()]:
        _merge_versions(source, spec)
    _check_references(source)
    return source


def _not_read(source: Source, like: str) -> str:
    """A hint naming the files of the folder that look like what is missing but are not read."""
    near = [entry.split(":", 1)[0] for entry in source.skipped if like in entry.split(":", 1)[0]]
    rule = f"a spec's name ends in {like}" if like.startswith(".") else f"the file is named {like}"
    return f" (found {', '.join(near)}, not read: {rule})" if near else ""


def _has_spec_problem(source: Source) -> bool:
    return any(p.file.endswith(".spec") for p in source.problems)


def _read_entry(source: Source, path: Path) -> None:
    name = path.name
    if name.startswith("."):
        return
    if path.is_dir():
        source.skipped.append(f"{name}/: a folder; only the files of the folder itself are read")
        return
    if name == CONFIG:
        source.config = _read_config(source, path)
        return
    readers = {
        API_INFO: ("info", keys.API_INFO, keys.API_INFO_REQUIRED),
        TYPE_MAPPING: ("type_mapping", None, ()),
        VALIDATION_MAPPING: ("validation_mapping", None, ()),
        PARAMETER_MAPPING: ("parameter_mapping", None, ()),
    }
    if name in readers:
        attribute, shape, required = readers[name]
        doc = _parse(source, path)
        if doc is None:
            return
        if not isinstance(doc.data, dict):
            source.problem(doc, (), f"expected a mapping, got {_kind(doc.data)}")
            return
        if shape is not None:
            _check_mapping(source, doc, (), doc.data, shape, required, "_api.info")
        else:
            _check_mapping_file(source, doc, name)
        setattr(source, attribute, doc)
        return
    if name.endswith(".abs") and name.startswith("@"):
        _read_spec(source, path, "abstract")
    elif name.endswith(".spec"):
        _read_spec(source, path, "type" if name.startswith("+") else "model")
    elif name.endswith(".abs"):
        source.skipped.append(f"{name}: an abstract's file name starts with @ (@{name})")
    else:
        source.skipped.append(f"{name}: not a regolithe spec, mapping or configuration file")


def _parse(source: Source, path: Path) -> Document | None:
    shown = source.display(path.name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        source.problems.append(SpecProblem(shown, 1, 1, "", f"cannot read: {exc.strerror or exc}"))
        return None
    try:
        return load_yaml(raw, shown)
    except SpecError as exc:
        source.problems.extend(exc.problems)
        return None


def _read_config(source: Source, path: Path) -> Config | None:
    shown = source.display(path.name)
    parser = configparser.ConfigParser(interpolation=None)
    try:
        text = path.read_text("utf-8")
        parser.read_string(text, source=shown)
    except (OSError, UnicodeDecodeError) as exc:
        source.problems.append(SpecProblem(shown, 1, 1, "", f"cannot read: {exc}"))
        return None
    except configparser.Error as exc:
        line = getattr(exc, "lineno", 1) or 1
        message = str(exc).splitlines()[0]
        source.problems.append(SpecProblem(shown, line, 1, "", f"not an INI file: {message}"))
        return None
    lines: dict[tuple[str, str], int] = {}
    section = ""
    for number, raw_line in enumerate(text.splitlines(), start=1):
        stripped = raw_line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
        elif "=" in stripped and not stripped.startswith(("#", ";")):
            lines[(section, stripped.split("=", 1)[0].strip().lower())] = number
    values = {s: dict(parser.items(s)) for s in parser.sections()}
    return Config(shown, values, lines)


def _read_spec(source: Source, path: Path, role: Role) -> None:
    doc = _parse(source, path)
    stem = path.name.rsplit(".", 1)[0].lstrip("@+")
    if doc is None:  # what names it is not reported missing as well
        source.unreadable.update({stem, f"@{stem}"})
        return
    if not isinstance(doc.data, dict):
        source.problem(doc, (), f"expected a mapping, got {_kind(doc.data)}")
        return
    if role == "abstract":
        _check_mapping(source, doc, (), doc.data, keys.ABSTRACT, (), "an abstract")
        source.abstracts[f"@{stem}"] = Spec(stem, "abstract", doc)
        return
    _check_mapping(source, doc, (), doc.data, keys.SPEC, keys.SPEC_REQUIRED, "a spec")
    model = doc.data.get("model")
    if isinstance(model, dict):
        _check_mapping(source, doc, ("model",), model, keys.MODEL, keys.MODEL_REQUIRED, "model")
        if model.get("detached") is True:
            role = "type"
    spec = Spec(stem, role, doc)
    rest_name = spec.rest_name
    if rest_name in source.specs:
        first = source.specs[rest_name].file
        source.problem(doc, ("model", "rest_name"), f"rest_name {rest_name!r} is already used by {first}")
        return
    source.specs[rest_name] = spec


def _check_mapping_file(source: Source, doc: Document, name: str) -> None:
    """_type.mapping and _validation.mapping: name -> generator -> mapping; _parameter.mapping:
    name -> parameter set."""
    for entry, value in doc.data.items():
        if not isinstance(value, dict):
            source.problem(doc, (entry,), f"expected a mapping, got {_kind(value)}")
            continue
        if name == PARAMETER_MAPPING:
            _check_mapping(source, doc, (entry,), value, keys.PARAMETERS, (), "a parameter set")
            continue
        shape, required = (
            (keys.TYPE_MAPPING, keys.TYPE_MAPPING_REQUIRED)
            if name == TYPE_MAPPING
            else (keys.VALIDATION_MAPPING, keys.VALIDATION_MAPPING_REQUIRED)
        )
        for generator, mapping in value.items():
            if not isinstance(mapping, dict):
                source.problem(doc, (entry, generator), f"expected a mapping, got {_kind(mapping)}")
                continue
            _check_mapping(source, doc, (entry, generator), mapping, shape, required, "a mapping")


def _check_mapping(
    source: Source,
    doc: Document,
    path: NodePath,
    data: dict[str, Any],
    allowed: dict[str, keys.Shape],
    required: tuple[str, ...],
    what: str,
) -> None:
    for key in required:
        if key not in data:
            source.problem(doc, path, f"missing required key {key!r} of {what}")
    for key, value in list(data.items()):
        here = (*path, key)
        shape = allowed.get(key)
        if shape is None:
            close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            source.problem(doc, here, f"unknown key {key!r}{hint}; {what} has: {', '.join(sorted(allowed))}", key=True)
            continue
        if shape == "boolean" and isinstance(value, str) and value.lower() in _YAML11_BOOLEANS:
            data[key] = value = _YAML11_BOOLEANS[value.lower()]  # regolithe reads YAML 1.1
        _check_shape(source, doc, here, value, shape)


def _check_shape(source: Source, doc: Document, here: NodePath, value: Any, shape: keys.Shape) -> None:
    def bad(expected: str) -> None:
        source.problem(doc, here, f"expected {expected}, got {_kind(value)} {_shown(value)}")

    if shape == "string":
        if not isinstance(value, str):
            bad("a string")
    elif shape == "boolean":
        if not isinstance(value, bool):
            bad("true or false")
    elif shape == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            bad("an integer")
    elif shape == "number":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            bad("a number")
    elif shape == "strings":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            bad("a list of strings")
    elif shape == "string_lists":
        if not isinstance(value, list) or not all(
            isinstance(v, list) and all(isinstance(s, str) for s in v) for v in value
        ):
            bad("a list of lists of strings")
    elif shape == "string_list_lists":
        ok = isinstance(value, list) and all(
            isinstance(group, list)
            and all(isinstance(alt, list) and all(isinstance(s, str) for s in alt) for alt in group)
            for group in value
        )
        if not ok:
            bad("a list of groups, each a list of alternatives, each a list of parameter names")
    elif shape == "mapping":
        if not isinstance(value, dict):
            bad("a mapping")
    elif shape == "versions":
        _check_versions(source, doc, here, value)
    elif shape == "relations":
        if not isinstance(value, list):
            bad("a list of relations")
            return
        for index, relation in enumerate(value):
            if not isinstance(relation, dict):
                source.problem(doc, (*here, index), f"expected a mapping, got {_kind(relation)}")
                continue
            _check_mapping(source, doc, (*here, index), relation, keys.RELATION, keys.RELATION_REQUIRED, "a relation")
    elif shape == "action":
        if not isinstance(value, dict):
            bad("a mapping (description, parameters...)")
            return
        _check_mapping(source, doc, here, value, keys.ACTION, keys.ACTION_REQUIRED, "an operation")
    elif shape == "parameters":
        if not isinstance(value, dict):
            bad("a mapping (entries, required)")
            return
        _check_mapping(source, doc, here, value, keys.PARAMETERS, (), "parameters")
    elif shape == "entries":
        if not isinstance(value, list):
            bad("a list of parameters")
            return
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                source.problem(doc, (*here, index), f"expected a mapping, got {_kind(entry)}")
                continue
            _check_mapping(source, doc, (*here, index), entry, keys.PARAMETER, keys.PARAMETER_REQUIRED, "a parameter")
            kind = entry.get("type")
            if isinstance(kind, str) and kind not in keys.PARAMETER_TYPES:
                source.problem(
                    doc,
                    (*here, index, "type"),
                    f"{kind!r} is not a parameter type; allowed: {', '.join(keys.PARAMETER_TYPES)}",
                )


def _check_versions(source: Source, doc: Document, here: NodePath, value: Any) -> None:
    if not isinstance(value, dict):
        source.problem(doc, here, f"expected a mapping of versions (v1: [...]), got {_kind(value)}")
        return
    for version, attributes in value.items():
        at = (*here, version)
        if not _VERSION.match(str(version)):
            source.problem(doc, at, f"{version!r} is not an attribute version: v1, v2...", key=True)
            continue
        if not isinstance(attributes, list):
            source.problem(doc, at, f"expected a list of attributes, got {_kind(attributes)}")
            continue
        names: dict[str, int] = {}
        for index, attribute in enumerate(attributes):
            if not isinstance(attribute, dict):
                source.problem(doc, (*at, index), f"expected a mapping, got {_kind(attribute)}")
                continue
            _check_mapping(
                source, doc, (*at, index), attribute, keys.ATTRIBUTE, keys.ATTRIBUTE_REQUIRED, "an attribute"
            )
            kind = attribute.get("type")
            if isinstance(kind, str) and kind not in keys.ATTRIBUTE_TYPES:
                close = difflib.get_close_matches(kind, list(keys.ATTRIBUTE_TYPES), n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                source.problem(
                    doc,
                    (*at, index, "type"),
                    f"{kind!r} is not an attribute type{hint}; allowed: {', '.join(keys.ATTRIBUTE_TYPES)}",
                )
            name = attribute.get("name")
            if isinstance(name, str):
                if name in names:
                    source.problem(
                        doc,
                        (*at, index, "name"),
                        f"a second attribute named {name!r} in {version} (also [{names[name]}])",
                    )
                names.setdefault(name, index)


def _merge_versions(source: Source, spec: Spec) -> None:
    """The attributes of the latest version: each version's attributes over the earlier ones'
    (an attribute keeps the place it first had)."""
    raw = spec.data.get("attributes")
    if not isinstance(raw, dict):
        return
    versions = sorted(
        (v for v in raw if isinstance(v, str) and _VERSION.match(v) and isinstance(raw[v], list)),
        key=lambda v: int(v[1:]),
    )
    merged: dict[str, Attribute] = {}
    for version in versions:
        for index, attribute in enumerate(raw[version]):
            if isinstance(attribute, dict) and isinstance(attribute.get("name"), str):
                merged[attribute["name"]] = Attribute(attribute, spec.doc, ("attributes", version, index))
    spec.attributes = list(merged.values())
    spec.versions = tuple(versions)


def _assign_root(source: Source) -> None:
    info = source.info
    wanted = info.data.get("root") if info is not None and isinstance(info.data, dict) else None
    flagged = [spec for spec in source.specs.values() if spec.model.get("root") is True]
    root = source.specs.get(wanted) if isinstance(wanted, str) else None
    if isinstance(wanted, str) and root is None:
        names = sorted(source.specs)
        close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        source.problem(info, ("root",), f"no spec has the rest_name {wanted!r}{hint}: the root spec is missing")
    if root is None and len(flagged) == 1:
        root = flagged[0]
    for spec in flagged:
        if spec is not root:
            source.problem(spec.doc, ("model", "root"), f"a second root spec; {root.file if root else '?'} is the root")
    if root is not None:
        root.role = "root"


def _check_references(source: Source) -> None:
    """extends, relations, refs, external types, validations and global parameters name
    things that exist."""
    types = _mapping_names(source.type_mapping)
    validations = _mapping_names(source.validation_mapping)
    parameters = _mapping_names(source.parameter_mapping)
    specs = source.specs
    for spec in [*specs.values(), *source.abstracts.values()]:
        doc = spec.doc
        for index, name in enumerate(spec.extends):
            if name not in source.abstracts and name not in source.unreadable:
                known = sorted(source.abstracts)
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                source.problem(
                    doc,
                    ("model", "extends", index),
                    f"no abstract named {name!r}{hint}; abstracts: {', '.join(known) or 'none'}",
                )
        for index, name in enumerate(strings(spec.model.get("validations"))):
            if name not in validations:
                source.problem(doc, ("model", "validations", index), _missing(name, "validation", validations))
        identifiers = [a for a in spec.attributes if a.data.get("identifier") is True]
        for attribute in identifiers[1:]:
            source.problem(
                doc,
                (*attribute.path, "identifier"),
                f"a second identifier attribute ({identifiers[0].name} is the first)",
            )
        for attribute in spec.attributes:
            data, here = attribute.data, attribute.path
            kind, subtype = data.get("type"), data.get("subtype")
            if kind in ("ref", "refList", "refMap"):
                if not isinstance(subtype, str):
                    source.problem(doc, here, f"a {kind} attribute names its spec in subtype")
                elif subtype in source.unreadable:
                    pass
                elif subtype not in specs or specs[subtype].role == "root":
                    source.problem(doc, (*here, "subtype"), _missing(subtype, "spec", sorted(specs)))
            elif kind == "external":
                if not isinstance(subtype, str):
                    source.problem(doc, here, "an external attribute names its type mapping in subtype")
                elif subtype not in types:
                    source.problem(doc, (*here, "subtype"), _missing(subtype, "type mapping", types))
            for index, name in enumerate(
                data.get("validations", ()) if isinstance(data.get("validations"), list) else ()
            ):
                if name not in validations:
                    source.problem(doc, (*here, "validations", index), _missing(name, "validation", validations))
        for path, action in _actions(spec):
            for index, name in enumerate(strings(action.get("global_parameters"))):
                if name not in parameters:
                    source.problem(
                        doc, (*path, "global_parameters", index), _missing(name, "parameter set", parameters)
                    )
        relations = spec.data.get("relations")
        for index, relation in enumerate(relations if isinstance(relations, list) else ()):
            child = relation.get("rest_name") if isinstance(relation, dict) else None
            if (
                isinstance(child, str)
                and child not in source.unreadable
                and (child not in specs or specs[child].role == "root")
            ):
                source.problem(doc, ("relations", index, "rest_name"), _missing(child, "spec", sorted(specs)))


def _actions(spec: Spec) -> list[tuple[NodePath, dict[str, Any]]]:
    """Every relation action of a spec (its model's and its relations'), with its path."""
    found: list[tuple[NodePath, dict[str, Any]]] = []
    for op in ("get", "update", "delete"):
        if isinstance(spec.model.get(op), dict):
            found.append((("model", op), spec.model[op]))
    relations = spec.data.get("relations")
    for index, relation in enumerate(relations if isinstance(relations, list) else ()):
        if isinstance(relation, dict):
            for op in ("get", "create", "update", "delete"):
                if isinstance(relation.get(op), dict):
                    found.append((("relations", index, op), relation[op]))
    return found


def strings(value: Any) -> list[str]:
    """The strings of a list that should hold only strings (its shape is reported elsewhere)."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _mapping_names(doc: Document | None) -> list[str]:
    return sorted(doc.data) if doc is not None and isinstance(doc.data, dict) else []


def _missing(name: str, what: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"no {what} named {name!r}{hint}"


def _kind(value: Any) -> str:
    return {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
        list: "list",
        dict: "mapping",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."
