"""Validate loaded spec documents: JSON Schema first, then the rules a schema cannot say.

Every problem is collected (never stop at the first) and located to a line and column.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path as FilePath
from typing import Any, TypeGuard, cast

from generator import naming
from generator.attribute_types import REF_TYPES, SubtypeError, ValueType, attribute_value_type
from generator.errors import SpecProblem
from generator.runtime.models._runtime import parse_time
from generator.yamlsource import Document, Path

_JSON_TYPE_NAMES = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "list",
    dict: "mapping",
    type(None): "null",
}
_ONLY_FOR_TYPE = {"choices": "'enum'", "subtype": "one of list, map, ref, ref_list, ref_map"}
_JSON_TYPE_OF = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer", float: "number"}


# The kinds of spec file, each with its schema: generator/schemas/<kind>.schema.json.
KINDS = ("api", "model", "type", "abstract")
_SHARED = "common.schema.json"


@cache
def _schema_file(name: str) -> dict[str, Any]:
    text = resources.files("generator.schemas").joinpath(name).read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


@cache
def schema(kind: str) -> dict[str, Any]:
    """The shipped JSON Schema of a file kind (``model``, ``type``, ``abstract`` or ``api``), whole.

    On disk, the kinds refer to their shared parts in common.schema.json (so an editor reading
    a spec's ``$schema`` line finds them beside it); here those parts are copied into the
    schema's own ``$defs``, so that both validators see one self-contained schema.
    """
    import copy

    bundled = copy.deepcopy(_schema_file(f"{kind}.schema.json"))
    shared: dict[str, Any] = _schema_file(_SHARED)["$defs"]

    def local(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(f"{_SHARED}#/$defs/"):
                node = {**node, "$ref": ref.removeprefix(_SHARED)}
            return {key: local(value) for key, value in node.items()}
        if isinstance(node, list):
            return [local(item) for item in node]
        return node

    bundled = cast(dict[str, Any], local(bundled))
    defs = bundled.setdefault("$defs", {})
    wanted = _refs(bundled)
    while wanted - set(defs):
        for name in sorted(wanted - set(defs)):
            if name not in shared:
                raise ValueError(f"{kind}.schema.json refers to #/$defs/{name}, which no schema defines")
            defs[name] = copy.deepcopy(shared[name])
        wanted = _refs(bundled)
    return bundled


def _refs(node: Any) -> set[str]:
    """The names of the ``#/$defs/...`` a schema refers to."""
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            found.add(ref.removeprefix("#/$defs/"))
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for item in node:
            found |= _refs(item)
    return found


@cache
def _validator(kind: str) -> Any:
    from jsonschema import Draft202012Validator  # imported late: it is slow to import

    return Draft202012Validator(schema(kind))


# "key is present exactly when discriminator is one of values", for the attributes of a spec.
PresenceRule = tuple[str, frozenset[str], str]
_WITH_ATTRIBUTES = ("model", "type", "abstract")


# The compiled validator and its attribute rules, per file kind, once per process.
_FAST: dict[str, tuple[Any, tuple[PresenceRule, ...]]] = {}


def _fast_check(kind: str, cache_dir: FilePath | None = None) -> tuple[Any, tuple[PresenceRule, ...]]:
    """A compiled validator and the attribute rules it leaves to :func:`is_valid`.

    fastjsonschema compiles the schema to Python: ten times faster on valid files, the
    common case. It only says yes or no; jsonschema explains a no. That it never says yes
    where jsonschema says no is held by tests/hostile/test_schema_agreement.py (it keeps to
    keywords both know: no dependentSchemas, which fastjsonschema ignores).
    With ``cache_dir``, the compiled code is kept there between runs (see :mod:`generator.fast_validators`).
    """
    found = _FAST.get(kind)
    if found is None:
        import copy

        from generator import fast_validators

        # compile() rewrites the $refs of the dict it is given; schema() is shared, so hand it a copy.
        compiled = copy.deepcopy(schema(kind))
        rules: tuple[PresenceRule, ...] = ()
        if kind in _WITH_ATTRIBUTES:
            # fastjsonschema runs if/then/else by raising and catching exceptions, four per
            # attribute on a valid file, which doubled its time; a set lookup does the same.
            rules = _presence_rules(compiled["$defs"]["attribute"].pop("allOf", []))
        found = _FAST[kind] = (fast_validators.compiled(compiled, cache_dir), rules)
    return found


def _presence_rules(conditions: list[dict[str, Any]]) -> tuple[PresenceRule, ...]:
    """Read ``if <d> is <v> (or one of <vs>) then <k> required else <k> absent`` rules; refuse any other shape."""
    rules = []
    for condition in conditions:
        (discriminator, test), *more = condition["if"]["properties"].items()
        (key,) = condition["then"]["required"]
        values = [test["const"]] if "const" in test else test.get("enum", [])
        shape = {
            "if": {"properties": {discriminator: test}, "required": [discriminator]},
            "then": {"required": [key]},
            "else": {"not": {"required": [key]}},
        }
        known_test = set(test) in ({"const"}, {"enum"}) and values and all(isinstance(v, str) for v in values)
        if more or condition != shape or not known_test:
            raise ValueError(f"the fast validator does not know this attribute rule: {condition}")
        rules.append((discriminator, frozenset(values), key))
    return tuple(rules)


def prepare(kind: str, cache_dir: FilePath | None = None) -> None:
    """Compile the fast validator of a file kind now (before workers fork, say); with
    ``cache_dir``, read it from there when an earlier run compiled the same schema."""
    _fast_check(kind, cache_dir)


def is_valid(data: Any, kind: str) -> bool:
    import fastjsonschema

    check, rules = _fast_check(kind)
    try:
        check(data)
    except fastjsonschema.JsonSchemaException:
        return False
    if rules:  # the schema has passed: any "attributes" is a list of mappings
        for attribute in data.get("attributes", ()):
            for discriminator, values, key in rules:
                if (attribute.get(discriminator) in values) != (key in attribute):
                    return False
    return True


def dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind_of(value: Any) -> str:
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


_YAML11_BOOLS = {"yes": "true", "y": "true", "on": "true", "no": "false", "n": "false", "off": "false"}


def _yaml11_hint(value: Any) -> str:
    """For yes, no, on and off: YAML 1.1 read them as booleans; a spec (YAML 1.2) reads text."""
    if isinstance(value, str) and value.lower() in _YAML11_BOOLS:
        return f" (a flag is true or false: write {_YAML11_BOOLS[value.lower()]})"
    return ""


def _did_you_mean(word: str, options: list[str]) -> str:
    same_but_case = [o for o in options if o.lower() == word.lower()]
    close = same_but_case or difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Report:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[SpecProblem] = []

    def add(self, path: Path, message: str, *, key: bool = False) -> None:
        line, col = self.doc.where(path, key=key)
        self.problems.append(SpecProblem(self.doc.file, line, col, dotted(path), message))


def schema_problems(doc: Document, kind: str) -> list[SpecProblem]:
    if is_valid(doc.data, kind):
        return []
    report = _Report(doc)
    for error in _validator(kind).iter_errors(doc.data):
        _explain(report, error)
    return report.problems


def _explain(report: _Report, error: Any) -> None:
    path: Path = tuple(error.absolute_path)
    rule = error.validator
    sub = error.schema if isinstance(error.schema, dict) else {}
    value = error.instance
    if rule == "additionalProperties" and isinstance(value, dict):
        allowed = sorted(sub.get("properties", {}))
        for key in sorted(set(value) - set(allowed)):
            hint = _did_you_mean(key, allowed)
            report.add((*path, key), f"unknown key {key!r}{hint}; allowed keys: {', '.join(allowed)}", key=True)
    elif rule == "required" and isinstance(value, dict):
        for key in error.validator_value:
            if key in value:
                continue
            if "then" in error.schema_path:
                # Where the value is says what it is (the schema path names no definition).
                what = "a parameter" if "parameters" in path else "an attribute"
                report.add(path, f"missing key {key!r}: {what} of type {value.get('type')!r} needs it")
            else:
                report.add(path, f"missing required key {key!r}")
    elif rule == "not" and isinstance(value, dict):
        key = error.validator_value.get("required", ["?"])[0]
        report.add((*path, key), f"{key!r} is only allowed when type is {_ONLY_FOR_TYPE.get(key, '?')}", key=True)
    elif rule == "enum":
        options = [str(o) for o in error.validator_value]
        hint = _did_you_mean(str(value), options) if isinstance(value, str) else ""
        report.add(path, f"{_shown(value)} is not allowed{hint}; allowed: {', '.join(options)}")
    elif rule == "type":
        expected = error.validator_value
        if expected == "boolean":
            report.add(
                path,
                f"expected true or false, got {_kind_of(value)} {_shown(value)}{_yaml11_hint(value)};"
                " leave the key out when unset",
            )
        else:
            report.add(path, f"expected {expected}, got {_kind_of(value)} {_shown(value)}")
    elif rule in ("anyOf", "oneOf") and error.context:
        _explain_alternatives(report, error, path, value)
    elif rule == "oneOf":  # no alternative failed: the value fits several, where one is wanted
        report.add(path, f"give exactly one of: {_alternatives(error.validator_value)}")
    elif rule == "pattern":
        what = sub.get("description", "")
        report.add(path, f"{_shown(value)} does not have the allowed form: {what} (pattern {error.validator_value})")
    else:
        report.add(path, error.message)


def _explain_alternatives(report: _Report, error: Any, path: Path, value: Any) -> None:
    """A value that fits none of several shapes: explain it against the shape of its own kind
    (a list against the list form, a mapping against the mapping form), or say which shapes go."""
    branches: list[dict[str, Any]] = error.validator_value
    kind = _JSON_TYPE_OF.get(type(value))
    same_kind = [i for i, branch in enumerate(branches) if _branch_type(branch) == kind]
    if error.validator == "oneOf" and not any(e.relative_schema_path[0] in same_kind for e in error.context):
        report.add(path, f"give exactly one of: {_alternatives(branches)}")
        return
    if len(same_kind) == 1:
        for sub_error in error.context:
            if sub_error.relative_schema_path[0] == same_kind[0]:
                _explain(report, sub_error)
        return
    shapes = ", ".join(_branch_type(branch) or "value" for branch in branches)
    report.add(path, f"expected one of these shapes: {shapes}; got {_kind_of(value)} {_shown(value)}")


def _alternatives(branches: list[dict[str, Any]]) -> str:
    """The keys each alternative requires: ``pattern, function``."""
    return ", ".join(" or ".join(branch.get("required", [])) for branch in branches)


def _branch_type(branch: dict[str, Any]) -> str | None:
    """The JSON type one alternative expects (following a $ref), when it names one."""
    ref = branch.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        branch = _any_schema_def(ref.removeprefix("#/$defs/"))
    kind = branch.get("type")
    return kind if isinstance(kind, str) else None


def _any_schema_def(name: str) -> dict[str, Any]:
    for kind in KINDS:
        found: dict[str, Any] | None = schema(kind).get("$defs", {}).get(name)
        if found is not None:
            return found
    return {}


@cache
def _attribute_types() -> tuple[str, ...]:
    types: list[str] = schema("model")["$defs"]["attribute"]["properties"]["type"]["enum"]
    return tuple(types)


# --- semantic rules -------------------------------------------------------------------------


def is_rfc3339(text: str) -> bool:
    """True when the generated models accept ``text`` as a time: their parser is the one grammar."""
    try:
        parse_time(text)
    except ValueError:
        return False
    return True


def value_problem(value: Any, attribute: dict[str, Any]) -> str | None:
    """Why ``value`` is not of the attribute's type, or None when it is (objects of nested types
    are only checked to be mappings here: their attributes are their own files' business)."""
    try:
        value_type = attribute_value_type(attribute["type"], attribute.get("subtype"))
    except SubtypeError:
        return None  # the subtype itself is reported
    return _type_problem(value, value_type, attribute.get("choices"))


def _type_problem(value: Any, value_type: ValueType, choices: Any = None) -> str | None:
    got = f"got {_kind_of(value)} {_shown(value)}"
    kind = value_type.kind
    if kind == "string":
        return None if isinstance(value, str) else f"expected a string, {got}"
    if kind == "integer":
        return None if isinstance(value, int) and not isinstance(value, bool) else f"expected an integer, {got}"
    if kind == "float":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else f"expected a number, {got}"
    if kind == "boolean":
        return None if isinstance(value, bool) else f"expected true or false, {got}{_yaml11_hint(value)}"
    if kind == "time":
        ok = isinstance(value, str) and is_rfc3339(value)
        return None if ok else f'expected an RFC 3339 time such as "2019-06-17T10:00:00Z", {got}'
    if kind == "enum":
        ok = isinstance(value, str) and value in (choices or [])
        return None if ok else f"expected one of {', '.join(choices or [])}, {got}"
    if kind in ("object", "ref"):
        return None if isinstance(value, dict) else f"expected a mapping, {got}"
    if kind == "list":
        assert value_type.item is not None
        if not isinstance(value, list):
            return f"expected a list, {got}"
        for index, item in enumerate(value):
            problem = _type_problem(item, value_type.item)
            if problem:
                return f"item {index}: {problem}"
        return None
    if kind == "map":
        assert value_type.item is not None
        if not isinstance(value, dict):
            return f"expected a mapping, {got}"
        for key, item in value.items():
            problem = _type_problem(item, value_type.item)
            if problem:
                return f"key {key!r}: {problem}"
        return None
    return None  # raw_data: any JSON value


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The mappings of a list with their indexes (what a rule can read of a list that may be broken)."""
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def without_repeats(semantic: list[SpecProblem], schema_found: list[SpecProblem]) -> list[SpecProblem]:
    """The semantic problems about a field the schema did not already refuse: one problem per field."""
    refused = {problem.field for problem in schema_found}
    return [problem for problem in semantic if problem.field not in refused]


# The file name of each kind of spec: <name> and one of these suffixes.
SUFFIXES = {
    "model": (".spec.yaml", ".spec.yml"),
    "type": (".type.yaml", ".type.yml"),
    "abstract": (".abstract.yaml", ".abstract.yml"),
}


def spec_problems(doc: Document, kind: str, file_name: str) -> list[SpecProblem]:
    """Rules within one model, nested type or abstract file that a schema cannot say.

    They run whether or not the file passed its schema, so one run reports every problem: each
    rule reads only the parts that have the shape it needs, and stays silent about the rest
    (the schema speaks for those). Pass the result through :func:`without_repeats`. Rules that
    need other files (abstracts merged in, refs, the identifier among inherited attributes...)
    are generator.resolve's.
    """
    report = _Report(doc)
    data = _mapping(doc.data)
    header = _mapping(data.get(kind))
    attributes = _items(data.get("attributes"))
    allowed_types = _attribute_types()

    for key in ("name", "category", "class_name"):
        if isinstance(header.get(key), str):
            _check_single_line(report, (kind, key), header[key])
    name = header.get("name")
    class_name = header.get("class_name")
    if isinstance(class_name, str) and class_name in naming.RUNTIME_EXPORTS:
        report.add(
            (kind, "class_name"),
            f"{class_name!r} is a name the models package already exports; choose another"
            f" (taken: {', '.join(n for n in naming.RUNTIME_EXPORTS if n[0].isupper())})",
        )
    expected_files = [f"{name}{suffix}" for suffix in SUFFIXES[kind]]
    if isinstance(name, str) and file_name not in expected_files:
        report.add(
            (kind, "name"), f"{kind} {name!r} must live in a file named {expected_files[0]!r}, not {file_name!r}"
        )
    if isinstance(header.get("description"), str):
        _check_sentence(report, (kind, "description"), header["description"])

    seen: dict[str, dict[str, int]] = {"name": {}, "exposed name": {}, "Python name": {}}
    for index, attribute in attributes:
        here: Path = ("attributes", index)
        attribute_name = attribute.get("name")
        if isinstance(attribute_name, str):
            exposed = attribute.get("exposed_name", attribute_name)
            names = {
                "name": attribute_name,
                "exposed name": exposed if isinstance(exposed, str) else None,
                "Python name": naming.python_name(attribute_name),
            }
            for what, value in names.items():
                if value is None:
                    continue
                first = seen[what].get(value)
                if first is not None:
                    report.add((*here, "name"), f"duplicate attribute {what} {value!r} (also attributes[{first}])")
                    break  # one clash per attribute: the Python name of a duplicate name clashes too
                seen[what][value] = index
        if isinstance(attribute.get("description"), str):
            _check_sentence(report, (*here, "description"), attribute["description"])
        for key in ("name", "exposed_name"):
            if isinstance(attribute.get(key), str):
                _check_single_line(report, (*here, key), attribute[key])
        if attribute.get("type") in allowed_types:
            _check_attribute(report, here, attribute)

    if kind == "model":
        _check_operations(report, header.get("operations"))
        for index, relation in _items(data.get("relations")):
            for op in ("list", "create"):
                _check_operation(report, ("relations", index, op), relation.get(op))
        identifier = header.get("identifier")
        operations = header.get("operations")
        declared = list(operations) if isinstance(operations, (list, dict)) else []
        if identifier is None and any(op in declared for op in ("retrieve", "update", "delete")):
            report.add(("model", "operations"), "retrieve, update and delete need model.identifier")
    if kind != "abstract" and not header.get("extends") and data.get("attributes") in (None, []):
        where: Path = ("attributes",) if "attributes" in data else (kind,)
        report.add(where, "no attributes: write some, or extend an abstract that has some")
    if not header.get("extends"):  # else the attributes are not all here: generator.resolve checks these
        by_name: AttributeIndex = {}
        for i, a in attributes:
            if isinstance(a.get("name"), str):
                by_name.setdefault(a["name"], (("attributes", i), a))
        for path, message, _ in object_rules(kind, header, by_name):
            report.add(path, message)
    return report.problems


# An attribute by name: its path (in whichever file holds it) and its raw data.
AttributeIndex = dict[str, tuple[Path, dict[str, Any]]]
# A problem of an object's rules: its path, the message, and the attribute whose file holds the
# path (None: the path is in the object's own file).
ObjectProblem = tuple[Path, str, str | None]


def object_rules(kind: str, header: dict[str, Any], by_name: AttributeIndex) -> list[ObjectProblem]:
    """Rules of a model (or nested type) that read its attributes, all of them: its own and those
    of the abstracts it extends."""
    found: list[ObjectProblem] = []
    allowed_types = _attribute_types()
    attributes = {name: raw for name, (_, raw) in by_name.items()}
    namespaced = header.get("namespaced") is True
    for name, (where, raw) in by_name.items():
        if raw.get("unique_scope") == "namespace" and not namespaced:
            message = (
                f"unique_scope namespace on a {kind} whose objects are not namespaced"
                " (set model.namespaced: true, or use unique_scope global)"
            )
            found.append(((*where, "unique_scope"), message, name))
    if kind != "model":
        return found

    def problem(path: Path, message: str) -> None:
        found.append((path, message, None))

    identifier = header.get("identifier")
    if isinstance(identifier, str):
        target = attributes.get(identifier)
        if target is None:
            problem(
                ("model", "identifier"),
                f"no attribute named {identifier!r}{_did_you_mean(identifier, list(attributes))}",
            )
        elif target.get("type") in allowed_types and target["type"] != "string":
            problem(
                ("model", "identifier"), f"the identifier {identifier!r} must be of type string, not {target['type']!r}"
            )
        elif (
            target.get("read_only") is True
            and target.get("autogenerated") is not True
            and "default_value" not in target
        ):
            problem(
                ("model", "identifier"),
                f"the identifier {identifier!r} is read-only but not autogenerated: no object could ever get one"
                " (make it autogenerated, or let clients set it)",
            )
    order = header.get("default_order")
    for index, entry in enumerate(order if isinstance(order, list) else []):
        if not isinstance(entry, str):
            continue
        name = entry.removeprefix("-")
        target = attributes.get(name)
        if target is None:
            problem(
                ("model", "default_order", index), f"no attribute named {name!r}{_did_you_mean(name, list(attributes))}"
            )
        elif target.get("orderable") is not True:
            problem(("model", "default_order", index), f"attribute {name!r} is not orderable")
    namespace = by_name.get("namespace")
    if namespaced and (namespace is None or namespace[1].get("type") != "string"):
        problem(
            ("model", "namespaced"),
            "a namespaced model needs a string attribute named namespace (the server fills it from X-Namespace)",
        )
    elif not namespaced and namespace is not None and "namespaced" not in header:
        message = (
            "an attribute named namespace on a model that is not namespaced: set model.namespaced: true"
            " (objects then live in the namespace of X-Namespace), or rename the attribute"
        )
        found.append(((*namespace[0], "name"), message, "namespace"))
    indexes = header.get("indexes")
    for index, keys in enumerate(indexes if isinstance(indexes, list) else []):
        for position, dotted_name in enumerate(keys if isinstance(keys, list) else []):
            if not isinstance(dotted_name, str):
                continue
            first, _, rest = dotted_name.partition(".")
            target = attributes.get(first)
            at: Path = ("model", "indexes", index, position)
            if target is None:
                problem(at, f"no attribute named {first!r}{_did_you_mean(first, list(attributes))}")
            elif rest and target.get("type") not in ("object", "raw_data", "ref", "map"):
                problem(at, f"{dotted_name!r} reaches into {first!r}, a {target.get('type')}, not an object")
            elif target.get("stored") is False or target.get("encrypted") is True:
                why = "not stored" if target.get("stored") is False else "encrypted"
                problem(at, f"{first!r} is {why}: it cannot be indexed")
    return found


def _check_operations(report: _Report, operations: Any) -> None:
    if isinstance(operations, dict):
        for name, details in operations.items():
            _check_operation(report, ("model", "operations", name), details)


def _check_operation(report: _Report, path: Path, details: Any) -> None:
    """An operation's description is a sentence; its own parameters are checked as in _api.yaml."""
    details = _mapping(details)
    if isinstance(details.get("description"), str):
        _check_sentence(report, (*path, "description"), details["description"])
    for index, parameter in _items(details.get("parameters")):
        _check_parameter(report, (*path, "parameters", index), parameter)


def _check_parameter(report: _Report, here: Path, parameter: dict[str, Any]) -> None:
    if isinstance(parameter.get("description"), str):
        _check_sentence(report, (*here, "description"), parameter["description"])
    kind = parameter.get("type")
    for key in ("default_value", "example_value"):
        if key not in parameter:
            continue
        value = parameter[key]
        problem = _parameter_value_problem(value, kind, parameter.get("choices"))
        if problem is not None:
            report.add((*here, key), problem)
    if parameter.get("required") is True and "default_value" in parameter:
        report.add((*here, "default_value"), "a required parameter has no default: the request always gives it")


def _parameter_value_problem(value: Any, kind: Any, choices: Any) -> str | None:
    """Why a parameter's default or example is not of its type (a list of them when multiple)."""
    if kind == "duration":
        ok = isinstance(value, str) and _DURATION.fullmatch(value) is not None
        return (
            None if ok else f"expected a duration such as 90s, 15m, 1h30m or 2d, got {_kind_of(value)} {_shown(value)}"
        )
    if kind in ("string", "integer", "float", "boolean", "time", "enum"):
        items = value if isinstance(value, list) else [value]
        for item in items:
            problem = _type_problem(item, ValueType(kind), choices)
            if problem:
                return problem
    return None


# A parameter's duration (90s, 1h30m); ASCII digits only, as the ECMA-262 pattern of the OpenAPI document says.
DURATION_PATTERN = "(?:[0-9]+(?:d|h|ms|m|s|us|ns))+"
_DURATION = re.compile(DURATION_PATTERN)


def _check_single_line(report: _Report, path: Path, name: str) -> None:
    # JSON Schema patterns are ECMA regexes, where `$` is the end; in Python it also matches
    # before a final newline, so "activity\n" passes the pattern. Names never hold one.
    if name != name.rstrip("\n"):
        report.add(path, f"{_shown(name)} ends with a newline; names are one plain word")


def _check_sentence(report: _Report, path: Path, text: str) -> None:
    if not text.strip():
        report.add(path, "must not be blank")
    elif not text.rstrip().endswith((".", "!", "?")):
        report.add(path, "a description is a sentence: end it with a period")


_SIZED = ("string", "list", "map", "ref_list", "ref_map")  # what min_length and max_length apply to


def _check_attribute(report: _Report, here: Path, attribute: dict[str, Any]) -> None:
    """Rules of one attribute whose type is one of the allowed types."""
    kind = attribute["type"]
    choices, subtype = attribute.get("choices"), attribute.get("subtype")
    checkable = not (kind == "enum" and not (isinstance(choices, list) and all(isinstance(c, str) for c in choices)))
    if kind in ("list", "map") and isinstance(subtype, str):
        try:
            attribute_value_type(kind, subtype)
        except SubtypeError as exc:
            report.add((*here, "subtype"), str(exc))
            checkable = False
    elif kind in REF_TYPES and isinstance(subtype, str) and not subtype.replace("_", "").isalnum():
        report.add((*here, "subtype"), f"{subtype!r}: a {kind} names a nested type or model, like rule or user_group")
        checkable = False
    elif (kind in ("list", "map") or kind in REF_TYPES) and not isinstance(subtype, str):
        checkable = False
    for key in ("default_value", "example_value"):
        if key in attribute and checkable:
            problem = value_problem(attribute[key], attribute)
            if problem:
                report.add((*here, key), problem)
    if kind not in _SIZED:
        for key in ("min_length", "max_length"):
            if key in attribute:
                report.add((*here, key), f"{key!r} applies to string, list and map attributes, not {kind!r}", key=True)
    if kind not in ("integer", "float"):
        for key in ("min_value", "max_value"):
            if key in attribute:
                report.add((*here, key), f"{key!r} applies to integer and float attributes, not {kind!r}", key=True)
    for low, high in (("min_length", "max_length"), ("min_value", "max_value")):
        low_value, high_value = attribute.get(low), attribute.get(high)
        if _is_number(low_value) and _is_number(high_value) and low_value > high_value:
            report.add((*here, low), f"{low} ({low_value}) is greater than {high} ({high_value})")
    if attribute.get("unique_scope") is not None and attribute.get("unique") is not True:
        report.add((*here, "unique_scope"), "unique_scope needs unique: true", key=True)
    _check_pattern(report, here, attribute, kind)
    _check_visibility(report, here, attribute)


def _check_pattern(report: _Report, here: Path, attribute: dict[str, Any], kind: str) -> None:
    pattern = attribute.get("pattern")
    if isinstance(pattern, str):
        if kind != "string":
            report.add((*here, "pattern"), f"'pattern' applies to string attributes, not {kind!r}", key=True)
        problem = _regex_problem(pattern)
        if problem:
            report.add((*here, "pattern"), problem)
    if "pattern_message" in attribute and "pattern" not in attribute:
        report.add((*here, "pattern_message"), "pattern_message goes with pattern", key=True)


def _regex_problem(pattern: str) -> str | None:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"not a valid regular expression: {exc}"
    return None


def empty_value(value: Any) -> bool:
    """What omit_empty leaves out of the wire form (as the models runtime's is_empty)."""
    return (
        value is None
        or value is False
        or (type(value) in (str, list, dict) and not value)
        or (type(value) in (int, float) and value == 0)
    )


def _check_visibility(report: _Report, here: Path, attribute: dict[str, Any]) -> None:
    """Flags that cannot go together: each would make the attribute impossible or leak a secret."""
    on = {key for key in attribute if attribute.get(key) is True}
    has_value = "default_value" in attribute or attribute.get("autogenerated") is True
    rules = (
        (
            "required" in on and "autogenerated" in on,
            "required",
            "required and autogenerated: the server sets the value, a client cannot be required to",
        ),
        (
            "required" in on and "read_only" in on and not has_value,
            "required",
            "required and read-only with no default: no client can set it, nothing else does",
        ),
        (
            "required" in on and attribute.get("exposed") is False and not has_value,
            "required",
            "required but not exposed with no default: a client can never send it",
        ),
        (
            attribute.get("stored") is False and bool(on & {"filterable", "orderable", "unique"}),
            "stored",
            "not stored: it cannot be filterable, orderable or unique (the store never sees it)",
        ),
        (
            "secret" in on and bool(on & {"filterable", "orderable"}),
            "secret",
            "secret: it cannot be filterable or orderable (a filter would reveal it)",
        ),
        (
            "encrypted" in on and bool(on & {"filterable", "orderable", "unique"}),
            "encrypted",
            "encrypted: it cannot be filterable, orderable or unique (the store holds only ciphertext)",
        ),
        (
            "encrypted" in on and attribute.get("stored") is False,
            "encrypted",
            "encrypted but not stored: there is nothing to encrypt",
        ),
        (
            "omit_empty" in on and "default_value" in attribute and not empty_value(attribute["default_value"]),
            "omit_empty",
            "omit_empty with a default that is not empty: an empty value would be left out, then read"
            " back as the default",
        ),
    )
    for broken, key, message in rules:
        if broken:
            report.add((*here, key), message, key=True)


def api_file_problems(doc: Document) -> list[SpecProblem]:
    """Rules of _api.yaml beyond its schema; like :func:`spec_problems`, they read only what has
    the shape they need, whether or not the file passed its schema."""
    report = _Report(doc)
    data = _mapping(doc.data)
    for path in (
        ("packages", "models"),
        ("packages", "server"),
        ("packages", "client"),
        ("base_url",),
        ("example_namespace",),
    ):
        value: Any = data
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str):
            _check_single_line(report, path, value)
    packages = _mapping(data.get("packages"))
    if isinstance(packages.get("models"), str) and packages.get("models") == packages.get("server"):
        report.add(("packages", "server"), "the server package needs a name of its own, not the models package's")
    client = packages.get("client")
    if isinstance(client, str):
        for other in ("models", "server"):
            if client == packages.get(other):
                report.add(
                    ("packages", "client"), f"the client package needs a name of its own, not the {other} package's"
                )
    elif isinstance(packages.get("models"), str):
        default = naming.client_package(packages["models"])
        for other in ("server",):
            if default == packages.get(other):
                report.add(
                    ("packages", other),
                    f"{default} is the client package's default name: name the client (packages.client) or this one otherwise",
                )
    for name, raw in _mapping(data.get("parameters")).items():
        parameter_set = _mapping(raw)
        here: Path = ("parameters", name)
        if isinstance(parameter_set.get("description"), str):
            _check_sentence(report, (*here, "description"), parameter_set["description"])
        entries = _items(parameter_set.get("entries"))
        names: dict[str, int] = {}
        for index, entry in entries:
            _check_parameter(report, (*here, "entries", index), entry)
            entry_name = entry.get("name")
            if isinstance(entry_name, str):
                if entry_name in names:
                    report.add((*here, "entries", index, "name"), f"two parameters named {entry_name!r} in the set")
                names.setdefault(entry_name, index)
        combinations = parameter_set.get("combinations")
        for g, group in enumerate(combinations if isinstance(combinations, list) else []):
            for a, alternative in enumerate(group if isinstance(group, list) else []):
                for i, item in enumerate(alternative if isinstance(alternative, list) else []):
                    if isinstance(item, str) and item not in names:
                        report.add(
                            (*here, "combinations", g, a, i),
                            f"no parameter named {item!r} in the set{_did_you_mean(item, list(names))}",
                        )
    for name, raw in _mapping(data.get("validators")).items():
        validator = _mapping(raw)
        here = ("validators", name)
        if isinstance(validator.get("description"), str):
            _check_sentence(report, (*here, "description"), validator["description"])
        if isinstance(validator.get("pattern"), str):
            problem = _regex_problem(validator["pattern"])
            if problem:
                report.add((*here, "pattern"), problem)
        if "message" in validator and "pattern" not in validator:
            report.add((*here, "message"), "message goes with pattern (a function returns its own)", key=True)
    return report.problems


# What must be unique across files: (field of the header, the kinds that share its values).
_UNIQUE = (
    ("name", ("model", "type")),  # refs name models and nested types alike
    ("name", ("abstract",)),
    ("class_name", ("model", "type")),
    ("category", ("model",)),
)
NameTable = dict[str, tuple[str, int, int]]  # header key -> (value, line, column)


def api_problems(files: list[tuple[str, str, NameTable]]) -> list[SpecProblem]:
    """Rules across spec files: names, class names and categories are unique in the API.

    ``files`` holds, per spec file, its kind and where its identifying keys are (those that
    are strings: a file with problems elsewhere still takes part).
    """
    problems: list[SpecProblem] = []
    for field, kinds in _UNIQUE:
        first_seen: dict[str, str] = {}
        for file, kind, names in files:
            if kind not in kinds or field not in names:
                continue
            value, line, col = names[field]
            if value in first_seen:
                problems.append(
                    SpecProblem(file, line, col, f"{kind}.{field}", f"{value!r} is already used by {first_seen[value]}")
                )
            else:
                first_seen[value] = file
    return problems
