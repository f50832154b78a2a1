"""Join the spec files into one API: abstracts merged into what extends them, refs, relations,
parameter sets and validators resolved, and the rules that need more than one file checked.

Each file has passed its own checks (schema and file rules, generator.validate) before it
gets here. What goes wrong here is reported as :class:`Located` problems, a file and a path
in it; the loader turns them into lines and columns. Files that failed their own checks take
no part, and their names are given so that nothing here reports them missing as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from generator import naming, validate
from generator.attribute_types import JSON, TYPES, ValueType, attribute_value_type
from generator.escape import python_string
from generator.spec import (
    Abstract,
    Api,
    Attribute,
    Model,
    NestedType,
    Operation,
    OperationSpec,
    Parameter,
    ParameterSet,
    Relation,
    Validator,
)
from generator.yamlsource import Path

Kind = Literal["model", "type", "abstract"]
# Query parameters every list and retrieve takes already: a spec may not declare them again.
BUILT_IN_PARAMETERS: dict[str, tuple[str, ...]] = {
    "list": ("q", "order", "page", "pagesize", "recursive"),
    "retrieve": ("recursive",),
}
_OPERATIONS: tuple[Operation, ...] = ("list", "retrieve", "create", "update", "delete")
_EXAMPLE_DEPTH = 3  # nested objects shown in examples, at most this deep (types may be recursive)


@dataclass(frozen=True, slots=True)
class Located:
    """A problem waiting for its line and column: a file and the path of the value in it."""

    file: str
    path: Path
    message: str
    key: bool = False


@dataclass(frozen=True, slots=True)
class SpecFile:
    """One model, nested type or abstract file that passed its own checks."""

    file: str  # as shown in messages: specs/task.spec.yaml
    kind: Kind
    data: dict[str, Any]

    @property
    def header(self) -> dict[str, Any]:
        section: dict[str, Any] = self.data[self.kind]
        return section

    @property
    def name(self) -> str:
        return str(self.header["name"])


@dataclass(slots=True)
class _RawAttribute:
    """An attribute as written, with where it is written (the model's file or an abstract's)."""

    data: dict[str, Any]
    file: str
    path: Path  # ("attributes", index) in that file
    origin: str | None  # the abstract it comes from


@dataclass
class _Resolver:
    api_file: str
    api_data: dict[str, Any]
    files: Sequence[SpecFile]
    broken: set[str]  # names of the files that failed their own checks
    problems: list[Located] = field(default_factory=list)

    def add(self, file: str, path: Path, message: str, *, key: bool = False) -> None:
        self.problems.append(Located(file, path, message, key))

    # -- indexes ---------------------------------------------------------------------------

    def index(self) -> None:
        """Files by kind and name. Duplicate names are reported by the loader (validate.api_problems,
        which sees files with problems too); here the first of each name stands."""
        self.by_kind: dict[Kind, dict[str, SpecFile]] = {"model": {}, "type": {}, "abstract": {}}
        for spec in self.files:
            self.by_kind[spec.kind].setdefault(spec.name, spec)
        objects: dict[str, SpecFile] = {}  # models and nested types share one name space: refs name them
        for spec in [*self.by_kind["model"].values(), *self.by_kind["type"].values()]:
            objects.setdefault(spec.name, spec)
        self.objects = objects
        self.class_names = {name: spec.header["class_name"] for name, spec in objects.items()}
        self._check_aliases()

    def _check_aliases(self) -> None:
        taken: dict[str, str] = {}
        for spec in self.by_kind["model"].values():
            taken.setdefault(spec.name, spec.file)
            taken.setdefault(spec.header["category"], spec.file)
        for spec in self.by_kind["model"].values():
            for index, alias in enumerate(spec.header.get("aliases", ())):
                owner = taken.get(alias)
                if owner is not None and owner != spec.file:
                    self.add(spec.file, ("model", "aliases", index), f"{alias!r} already names {owner}")
                taken.setdefault(alias, spec.file)

    # -- API-wide declarations -------------------------------------------------------------

    def api_declarations(self) -> None:
        self.parameter_sets: dict[str, ParameterSet] = {}
        for name, raw in self.api_data.get("parameters", {}).items():
            entries = tuple(_parameter(entry, name) for entry in raw["entries"])
            combinations = tuple(tuple(tuple(alt) for alt in group) for group in raw.get("combinations", ()))
            self.parameter_sets[name] = ParameterSet(name, raw.get("description", "").strip(), entries, combinations)
        self.validators: dict[str, Validator] = {}
        for name, raw in self.api_data.get("validators", {}).items():
            self.validators[name] = Validator(
                name, raw["description"].strip(), raw.get("pattern"), raw.get("message"), raw.get("function")
            )

    # -- attributes ------------------------------------------------------------------------

    def merged_attributes(self, spec: SpecFile) -> list[_RawAttribute]:
        """The abstracts' attributes (in extends order), then the spec's own; clashes reported."""
        merged: list[_RawAttribute] = []
        for index, name in enumerate(spec.header.get("extends", ())):
            abstract = self.by_kind["abstract"].get(name)
            if abstract is None:
                if name not in self.broken:
                    known = sorted(self.by_kind["abstract"])
                    self.add(
                        spec.file,
                        (spec.kind, "extends", index),
                        f"no abstract named {name!r}{_did_you_mean(name, known)}; abstracts: {', '.join(known) or 'none'}",
                    )
                continue
            for position, raw in enumerate(abstract.data.get("attributes", ())):
                merged.append(_RawAttribute(raw, abstract.file, ("attributes", position), name))
        for position, raw in enumerate(spec.data.get("attributes", ())):
            merged.append(_RawAttribute(raw, spec.file, ("attributes", position), None))
        self._check_clashes(spec, merged)
        if not merged:
            self.add(spec.file, (spec.kind,), "no attributes: write some, or extend an abstract that has some")
        return merged

    def _check_clashes(self, spec: SpecFile, merged: list[_RawAttribute]) -> None:
        """Names, wire names and Python names are unique among the merged attributes. Clashes within
        one file are that file's own check; here, those that come from putting files together."""
        seen: dict[tuple[str, str], _RawAttribute] = {}
        for attribute in merged:
            raw = attribute.data
            keys = {
                "name": raw["name"],
                "exposed name": raw.get("exposed_name", raw["name"]),
                "Python name": naming.python_name(raw["name"]),
            }
            for what, value in keys.items():
                first = seen.get((what, value))
                if first is None:
                    seen[(what, value)] = attribute
                    continue
                if first.file == attribute.file:
                    break  # reported by the file's own check
                if attribute.origin is None:
                    where = f"{first.file} (from {first.origin})" if first.origin else first.file
                    self.add(
                        attribute.file,
                        (*attribute.path, "name"),
                        f"duplicate attribute {what} {value!r}: also in {where}",
                    )
                else:
                    extends = list(spec.header.get("extends", ()))
                    self.add(
                        spec.file,
                        (spec.kind, "extends", extends.index(attribute.origin)),
                        f"{attribute.origin} and {first.origin or spec.name} both have an attribute with the {what}"
                        f" {value!r} ({attribute.file}, {first.file})",
                    )
                break

    def build_attribute(self, attribute: _RawAttribute) -> Attribute | None:
        raw = attribute.data
        kind = raw["type"]
        value_type = attribute_value_type(kind, raw.get("subtype"))
        ok = True
        for ref in value_type.refs:
            if ref not in self.objects:
                ok = False
                if ref not in self.broken:
                    names = sorted(self.objects)
                    self.add(
                        attribute.file,
                        (*attribute.path, "subtype"),
                        f"no nested type or model named {ref!r}{_did_you_mean(ref, names)}",
                    )
        for index, name in enumerate(raw.get("validators", ())):
            validator = self.validators.get(name)
            if validator is None:
                ok = False
                self.add(
                    attribute.file,
                    (*attribute.path, "validators", index),
                    f"no validator named {name!r} in _api.yaml{_did_you_mean(name, sorted(self.validators))}",
                )
            elif validator.pattern is not None and kind != "string":
                ok = False
                self.add(
                    attribute.file,
                    (*attribute.path, "validators", index),
                    f"{name!r} is a pattern validator: it applies to string attributes, not {kind!r}",
                )
        if not ok:
            return None
        choices = raw.get("choices")
        return Attribute(
            name=raw["name"],
            description=raw["description"].strip(),
            type=kind,
            exposed_name=raw.get("exposed_name", raw["name"]),
            value_type=value_type,
            python_type=self.python_type(value_type, choices),
            example=self.example(raw, value_type, 0, ()),
            spec_file=attribute.file,
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
            exposed=raw.get("exposed", True),
            stored=raw.get("stored", True),
            secret=raw.get("secret", False),
            omit_empty=raw.get("omit_empty", False),
            encrypted=raw.get("encrypted", False),
            pattern=raw.get("pattern"),
            pattern_message=raw.get("pattern_message"),
            validators=tuple(raw.get("validators", ())),
            origin=attribute.origin,
        )

    def python_type(self, value_type: ValueType, choices: Sequence[str] | None = None) -> str:
        kind = value_type.kind
        if kind == "enum":
            assert choices is not None
            return "Literal[" + ", ".join(python_string(c) for c in choices) + "]"
        if kind == "list":
            assert value_type.item is not None
            return f"list[{self.python_type(value_type.item)}]"
        if kind == "map":
            assert value_type.item is not None
            return f"dict[str, {self.python_type(value_type.item)}]"
        if kind == "ref":
            assert value_type.ref is not None
            return str(self.class_names[value_type.ref])
        return TYPES[kind].python

    # -- examples --------------------------------------------------------------------------

    def example(self, raw: Mapping[str, Any], value_type: ValueType, depth: int, stack: tuple[str, ...]) -> JSON:
        """The spec's example value, else its default, else a plausible one derived from the type."""
        if raw.get("example_value") is not None:
            value: JSON = raw["example_value"]
            return value
        if raw.get("default_value") is not None:
            default: JSON = raw["default_value"]
            return default
        return self._example_of(value_type, raw, depth, stack)

    def _example_of(self, value_type: ValueType, raw: Mapping[str, Any], depth: int, stack: tuple[str, ...]) -> JSON:
        kind = value_type.kind
        if kind == "enum":
            return str(raw["choices"][0])
        if kind in ("list", "map"):
            assert value_type.item is not None
            item = self._example_of(value_type.item, {}, depth, stack)
            return [item] if kind == "list" else {"key": item}
        if kind == "ref":
            assert value_type.ref is not None
            return self.object_example(value_type.ref, depth + 1, stack)
        example = TYPES[kind].example
        if example is not None:
            return example
        return f"{raw['name']} value" if "name" in raw else "value"

    def object_example(self, name: str, depth: int, stack: tuple[str, ...]) -> JSON:
        """What a client would send for an object of a nested type or model (its writable attributes)."""
        spec = self.objects.get(name)
        if spec is None or depth > _EXAMPLE_DEPTH or name in stack:
            return {}
        out: dict[str, JSON] = {}
        for attribute in self.raw_attributes.get(name, ()):
            raw = attribute.data
            if raw.get("read_only") or raw.get("autogenerated") or raw.get("exposed") is False:
                continue
            value_type = attribute_value_type(raw["type"], raw.get("subtype"))
            if any(ref not in self.objects for ref in value_type.refs):
                continue
            out[raw.get("exposed_name", raw["name"])] = self.example(raw, value_type, depth, (*stack, name))
        return out

    # -- models and nested types -----------------------------------------------------------

    def attributes_of(self, spec: SpecFile) -> tuple[Attribute, ...] | None:
        built = [self.build_attribute(raw) for raw in self.raw_attributes[spec.name]]
        if any(a is None for a in built):
            return None
        return tuple(a for a in built if a is not None)

    def nested_type(self, spec: SpecFile) -> NestedType | None:
        attributes = self.attributes_of(spec)
        header = spec.header
        validators = self.object_validators(spec)
        if attributes is None or validators is None or not self.object_rules(spec):
            return None
        return NestedType(
            name=spec.name,
            class_name=header["class_name"],
            description=header["description"].strip(),
            attributes=attributes,
            spec_file=spec.file,
            extends=tuple(header.get("extends", ())),
            validators=validators,
            private=header.get("private", False),
        )

    def object_validators(self, spec: SpecFile) -> tuple[str, ...] | None:
        """The validators of a model or nested type as a whole: function validators only."""
        names = tuple(spec.header.get("validators", ()))
        ok = True
        for index, name in enumerate(names):
            validator = self.validators.get(name)
            path: Path = (spec.kind, "validators", index)
            if validator is None:
                ok = False
                self.add(
                    spec.file,
                    path,
                    f"no validator named {name!r} in _api.yaml{_did_you_mean(name, sorted(self.validators))}",
                )
            elif validator.function is None:
                ok = False
                self.add(spec.file, path, f"{name!r} is a pattern validator: an object takes function validators only")
        return names if ok else None

    def model(self, spec: SpecFile) -> Model | None:
        header = spec.header
        attributes = self.attributes_of(spec)
        validators = self.object_validators(spec)
        operations, operation_specs = self.operations(spec)
        relations = self.relations(spec)
        if attributes is None or validators is None or operation_specs is None or relations is None:
            return None
        if not self.object_rules(spec):
            return None
        indexes = [tuple(index) for abstract in header.get("extends", ()) for index in self._abstract_indexes(abstract)]
        indexes += [tuple(index) for index in header.get("indexes", ())]
        return Model(
            name=spec.name,
            category=header["category"],
            class_name=header["class_name"],
            description=header["description"].strip(),
            operations=operations,
            attributes=attributes,
            spec_file=spec.file,
            identifier=header.get("identifier"),
            default_order=tuple(header.get("default_order", ())),
            cap=header.get("cap"),
            deprecated=header.get("deprecated", False),
            namespaced=header.get("namespaced", False),
            extends=tuple(header.get("extends", ())),
            aliases=tuple(header.get("aliases", ())),
            private=header.get("private", False),
            indexes=tuple(dict.fromkeys(indexes)),
            validators=validators,
            operation_specs=operation_specs,
            relations=relations,
        )

    def _abstract_indexes(self, name: str) -> list[list[str]]:
        abstract = self.by_kind["abstract"].get(name)
        return list(abstract.data.get("indexes", ())) if abstract is not None else []

    def object_rules(self, spec: SpecFile) -> bool:
        """The rules that read all of an object's attributes, for those that extend abstracts (the
        others were checked with their file: validate.object_rules); False when one failed."""
        if not spec.header.get("extends"):
            return True
        by_name: validate.AttributeIndex = {}
        holders: dict[str, str] = {}
        for raw in self.raw_attributes[spec.name]:
            name = raw.data["name"]
            if name not in by_name:  # a clash is reported already; the first stands
                by_name[name] = (raw.path, raw.data)
                holders[name] = raw.file
        found = validate.object_rules(spec.kind, spec.header, by_name)
        for path, message, owner in found:
            self.add(holders[owner] if owner is not None else spec.file, path, message)
        return not found

    def operations(
        self, spec: SpecFile
    ) -> tuple[tuple[Operation, ...], tuple[tuple[Operation, OperationSpec], ...] | None]:
        raw = spec.header["operations"]
        details: dict[str, Any] = raw if isinstance(raw, dict) else {name: {} for name in raw}
        names = tuple(op for op in _OPERATIONS if op in details)
        built: list[tuple[Operation, OperationSpec]] = []
        ok = True
        for name in names:
            operation = self.operation_spec(spec.file, ("model", "operations", name), details[name] or {}, name)
            if operation is None:
                ok = False
            else:
                built.append((name, operation))
        return names, (tuple(built) if ok else None)

    def relations(self, spec: SpecFile) -> tuple[Relation, ...] | None:
        found: list[Relation] = []
        seen: set[str] = set()
        ok = True
        for index, raw in enumerate(spec.data.get("relations", ())):
            child = raw["model"]
            here: Path = ("relations", index)
            if child not in self.by_kind["model"]:
                ok = False
                if child not in self.broken:
                    models = sorted(self.by_kind["model"])
                    self.add(spec.file, (*here, "model"), f"no model named {child!r}{_did_you_mean(child, models)}")
                continue
            if child in seen:
                ok = False
                self.add(spec.file, (*here, "model"), f"{child!r} is already a relation of {spec.name!r}: list it once")
                continue
            seen.add(child)
            operations: dict[str, OperationSpec | None] = {}
            for op in ("list", "create"):
                operations[op] = None
                if op in raw:
                    operations[op] = self.operation_spec(spec.file, (*here, op), raw[op] or {}, op)
                    ok = ok and operations[op] is not None
            found.append(Relation(child, operations["list"], operations["create"]))
        return tuple(found) if ok else None

    def operation_spec(self, file: str, path: Path, raw: Mapping[str, Any], operation: str) -> OperationSpec | None:
        parameters: list[Parameter] = []
        combinations: list[tuple[tuple[str, ...], ...]] = []
        ok = True
        for index, entry in enumerate(raw.get("parameters", ())):
            if isinstance(entry, str):
                name = entry.removeprefix("$")
                shared = self.parameter_sets.get(name)
                if shared is None:
                    ok = False
                    known = sorted(self.parameter_sets)
                    self.add(
                        file,
                        (*path, "parameters", index),
                        f"no parameter set named {name!r} in _api.yaml{_did_you_mean(name, known)}",
                    )
                    continue
                parameters.extend(shared.entries)
                combinations.extend(shared.combinations)
            else:
                parameters.append(_parameter(entry, None))
        seen: dict[str, Parameter] = {}
        for parameter in parameters:
            where: Path = (*path, "parameters")
            from_set = f" (from ${parameter.parameter_set})" if parameter.parameter_set else ""
            if parameter.name in BUILT_IN_PARAMETERS.get(operation, ()):
                ok = False
                built_in = ", ".join(BUILT_IN_PARAMETERS[operation])
                self.add(
                    file, where, f"{parameter.name!r}{from_set} is built into {operation} ({built_in}): leave it out"
                )
            elif parameter.name in seen:
                ok = False
                self.add(file, where, f"two parameters named {parameter.name!r}{from_set}")
            seen[parameter.name] = parameter
        if not ok:
            return None
        description = raw.get("description")
        return OperationSpec(
            description.strip() if isinstance(description, str) else None, tuple(parameters), tuple(combinations)
        )

    # -- all of it -------------------------------------------------------------------------

    def resolve(self) -> Api | None:
        self.index()
        self.api_declarations()
        self.raw_attributes: dict[str, list[_RawAttribute]] = {}
        for spec in [*self.by_kind["type"].values(), *self.by_kind["model"].values()]:
            self.raw_attributes[spec.name] = self.merged_attributes(spec)
        for spec in self.by_kind["abstract"].values():
            self.raw_attributes.setdefault(
                f"@{spec.name}",
                [
                    _RawAttribute(raw, spec.file, ("attributes", i), spec.name)
                    for i, raw in enumerate(spec.data["attributes"])
                ],
            )
        self._check_reachable()
        nested = [self.nested_type(spec) for spec in self.by_kind["type"].values()]
        models = [self.model(spec) for spec in self.by_kind["model"].values()]
        abstracts = [self.abstract(spec) for spec in self.by_kind["abstract"].values()]
        if self.problems or None in nested or None in models or None in abstracts:
            return None
        data = self.api_data
        return Api(
            title=data["title"],
            version=data["version"],
            description=data["description"].strip(),
            models_package=data["packages"]["models"],
            server_package=data["packages"]["server"],
            client_package=data["packages"].get("client", ""),
            base_url=data["base_url"].rstrip("/"),
            example_namespace=data.get("example_namespace", "/namespace"),
            models=tuple(sorted((m for m in models if m is not None), key=lambda m: m.name)),
            spec_file=self.api_file,
            nested_types=tuple(sorted((t for t in nested if t is not None), key=lambda t: t.name)),
            abstracts=tuple(sorted((a for a in abstracts if a is not None), key=lambda a: a.name)),
            parameter_sets=tuple(self.parameter_sets[name] for name in sorted(self.parameter_sets)),
            validators=tuple(self.validators[name] for name in sorted(self.validators)),
            breaking_changes=tuple(sorted(data.get("breaking_changes", {}).items())),
        )

    def _check_reachable(self) -> None:
        """A model with no operation of its own must live under a parent, or nothing reaches it."""
        children = {raw["model"] for spec in self.by_kind["model"].values() for raw in spec.data.get("relations", ())}
        for spec in self.by_kind["model"].values():
            if not spec.header["operations"] and spec.name not in children:
                self.add(
                    spec.file,
                    ("model", "operations"),
                    f"{spec.name!r} has no operation and no parent lists or creates it: nothing can reach it",
                )

    def abstract(self, spec: SpecFile) -> Abstract | None:
        built = [self.build_attribute(raw) for raw in self.raw_attributes[f"@{spec.name}"]]
        if any(a is None for a in built):
            return None
        return Abstract(
            name=spec.name,
            description=spec.header["description"].strip(),
            attributes=tuple(a for a in built if a is not None),
            spec_file=spec.file,
            indexes=tuple(tuple(index) for index in spec.data.get("indexes", ())),
        )


def _parameter(raw: Mapping[str, Any], parameter_set: str | None) -> Parameter:
    choices = raw.get("choices")
    return Parameter(
        name=raw["name"],
        description=raw["description"].strip(),
        type=raw["type"],
        choices=tuple(choices) if choices is not None else None,
        multiple=raw.get("multiple", False),
        required=raw.get("required", False),
        default_value=raw.get("default_value"),
        example_value=raw.get("example_value"),
        parameter_set=parameter_set,
    )


def _did_you_mean(word: str, options: list[str]) -> str:
    import difflib

    close = [o for o in options if o.lower() == word.lower()] or difflib.get_close_matches(
        word, options, n=1, cutoff=0.6
    )
    return f" (did you mean {close[0]!r}?)" if close else ""


def resolve(
    api_file: str, api_data: dict[str, Any], files: Sequence[SpecFile], broken: Iterable[str] = ()
) -> tuple[Api | None, list[Located]]:
    """The API the files describe, or None and every problem found in joining them."""
    resolver = _Resolver(api_file, api_data, files, set(broken))
    api = resolver.resolve()
    return (api if not resolver.problems else None), resolver.problems
