"""Validate loaded spec documents: JSON Schema first, then the rules a schema cannot say.

Every problem is collected (never stop at the first) and located to a line and column.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import Any, TypeGuard

from generator import naming
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
_ONLY_FOR_TYPE = {"choices": "enum", "subtype": "list"}


@cache
def schema(kind: str) -> dict[str, Any]:
    """The shipped JSON Schema of a file kind: ``model`` or ``api``."""
    text = resources.files("generator.schemas").joinpath(f"{kind}.schema.json").read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


@cache
def _validator(kind: str) -> Any:
    from jsonschema import Draft202012Validator  # imported late: it is slow to import

    return Draft202012Validator(schema(kind))


# "key is present exactly when discriminator == value", for the attributes of a model.
PresenceRule = tuple[str, str, str]


@cache
def _fast_check(kind: str) -> tuple[Any, tuple[PresenceRule, ...]]:
    """A compiled validator and the attribute rules it leaves to :func:`is_valid`.

    fastjsonschema compiles the schema to Python: ten times faster on valid files, the
    common case. It only says yes or no; jsonschema explains a no. That it never says yes
    where jsonschema says no is held by tests/hostile/test_schema_agreement.py (it keeps to
    keywords both know: no dependentSchemas, which fastjsonschema ignores).
    """
    import copy

    import fastjsonschema

    # compile() rewrites the $refs of the dict it is given; schema() is shared, so hand it a copy.
    compiled = copy.deepcopy(schema(kind))
    rules: tuple[PresenceRule, ...] = ()
    if kind == "model":
        # fastjsonschema runs if/then/else by raising and catching exceptions, four per
        # attribute on a valid file, which doubled its time; a dict lookup does the same.
        rules = _presence_rules(compiled["$defs"]["attribute"].pop("allOf", []))
    return fastjsonschema.compile(compiled), rules


def _presence_rules(conditions: list[dict[str, Any]]) -> tuple[PresenceRule, ...]:
    """Read ``if <d> is <v> then <k> required else <k> absent`` rules; refuse any other shape."""
    rules = []
    for condition in conditions:
        (discriminator, test), *more = condition["if"]["properties"].items()
        (key,) = condition["then"]["required"]
        shape = {
            "if": {"properties": {discriminator: {"const": test.get("const")}}, "required": [discriminator]},
            "then": {"required": [key]},
            "else": {"not": {"required": [key]}},
        }
        if more or condition != shape or not isinstance(test.get("const"), str):
            raise ValueError(f"the fast validator does not know this attribute rule: {condition}")
        rules.append((discriminator, test["const"], key))
    return tuple(rules)


def prepare(kind: str) -> None:
    """Compile the fast validator of a file kind now (before workers fork, say)."""
    _fast_check(kind)


def is_valid(data: Any, kind: str) -> bool:
    import fastjsonschema

    check, rules = _fast_check(kind)
    try:
        check(data)
    except fastjsonschema.JsonSchemaException:
        return False
    if rules:  # the schema has passed: any "attributes" is a list of mappings
        for attribute in data.get("attributes", ()):
            for discriminator, value, key in rules:
                if (attribute.get(discriminator) == value) != (key in attribute):
                    return False
    return True


def _dotted(path: Path) -> str:
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
        self.problems.append(SpecProblem(self.doc.file, line, col, _dotted(path), message))


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
                report.add(path, f"missing key {key!r}: an attribute of type {value.get('type')!r} needs it")
            else:
                report.add(path, f"missing required key {key!r}")
    elif rule == "not" and isinstance(value, dict):
        key = error.validator_value.get("required", ["?"])[0]
        report.add((*path, key), f"{key!r} is only allowed when type is {_ONLY_FOR_TYPE.get(key, '?')!r}", key=True)
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
    elif rule == "pattern":
        what = sub.get("description", "")
        report.add(path, f"{_shown(value)} does not have the allowed form: {what} (pattern {error.validator_value})")
    else:
        report.add(path, error.message)


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
    """Why ``value`` is not of the attribute's type, or None when it is."""
    kind = attribute.get("type")
    return _type_problem(value, kind, attribute.get("choices"), attribute.get("subtype"))


def _type_problem(value: Any, kind: Any, choices: Any, subtype: Any) -> str | None:
    got = f"got {_kind_of(value)} {_shown(value)}"
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
    if kind == "object":
        return None if isinstance(value, dict) else f"expected a mapping, {got}"
    if kind == "list":
        if not isinstance(value, list):
            return f"expected a list, {got}"
        for index, item in enumerate(value):
            problem = _type_problem(item, subtype, None, None)
            if problem:
                return f"item {index}: {problem}"
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


def model_problems(doc: Document, file_name: str) -> list[SpecProblem]:
    """Rules within one model file that a schema cannot say.

    They run whether or not the file passed its schema, so one run reports every problem: each
    rule reads only the parts that have the shape it needs, and stays silent about the rest
    (the schema speaks for those). Pass the result through :func:`without_repeats`.
    """
    report = _Report(doc)
    data = _mapping(doc.data)
    model = _mapping(data.get("model"))
    attributes = _items(data.get("attributes"))
    allowed_types = _attribute_types()

    for key in ("name", "category", "class_name"):
        if isinstance(model.get(key), str):
            _check_single_line(report, ("model", key), model[key])
    name = model.get("name")
    class_name = model.get("class_name")
    if isinstance(class_name, str) and class_name in naming.RUNTIME_EXPORTS:
        report.add(
            ("model", "class_name"),
            f"{class_name!r} is a name the models package already exports; choose another"
            f" (taken: {', '.join(n for n in naming.RUNTIME_EXPORTS if n[0].isupper())})",
        )
    expected_files = [f"{name}{suffix}" for suffix in (".spec.yaml", ".spec.yml")]
    if isinstance(name, str) and file_name not in expected_files:
        report.add(
            ("model", "name"), f"model {name!r} must live in a file named {expected_files[0]!r}, not {file_name!r}"
        )
    if isinstance(model.get("description"), str):
        _check_sentence(report, ("model", "description"), model["description"])

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
            _check_attribute(report, here, attribute, allowed_types)

    by_name = {a["name"]: a for _, a in attributes if isinstance(a.get("name"), str)}
    identifier = model.get("identifier")
    operations = model.get("operations")
    if isinstance(identifier, str):
        target = by_name.get(identifier)
        if target is None:
            hint = _did_you_mean(identifier, list(by_name))
            report.add(("model", "identifier"), f"no attribute named {identifier!r}{hint}")
        elif target.get("type") in allowed_types and target["type"] != "string":
            report.add(
                ("model", "identifier"), f"the identifier {identifier!r} must be of type string, not {target['type']!r}"
            )
    elif (
        identifier is None
        and isinstance(operations, list)
        and any(op in operations for op in ("retrieve", "update", "delete"))
    ):
        report.add(("model", "operations"), "retrieve, update and delete need model.identifier")

    order = model.get("default_order")
    for index, entry in enumerate(order if isinstance(order, list) else []):
        if not isinstance(entry, str):
            continue
        name = entry.removeprefix("-")
        target = by_name.get(name)
        if target is None:
            report.add(
                ("model", "default_order", index), f"no attribute named {name!r}{_did_you_mean(name, list(by_name))}"
            )
        elif not target.get("orderable"):
            report.add(("model", "default_order", index), f"attribute {name!r} is not orderable")
    return report.problems


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


def _check_attribute(report: _Report, here: Path, attribute: dict[str, Any], allowed_types: tuple[str, ...]) -> None:
    """Rules of one attribute whose type is one of the allowed types."""
    kind = attribute["type"]
    choices, subtype = attribute.get("choices"), attribute.get("subtype")
    # A value can be checked against the type when what the type needs is well formed.
    checkable = (
        (kind == "enum" and isinstance(choices, list) and all(isinstance(c, str) for c in choices))
        or (kind == "list" and subtype in allowed_types)
        or kind not in ("enum", "list")
    )
    for key in ("default_value", "example_value"):
        if key in attribute and checkable:
            problem = value_problem(attribute[key], attribute)
            if problem:
                report.add((*here, key), problem)
    if kind not in ("string", "list"):
        for key in ("min_length", "max_length"):
            if key in attribute:
                report.add((*here, key), f"{key!r} applies to string and list attributes, not {kind!r}", key=True)
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


def api_file_problems(doc: Document) -> list[SpecProblem]:
    """Rules of _api.yaml beyond its schema; like :func:`model_problems`, they read only what has
    the shape they need, whether or not the file passed its schema."""
    report = _Report(doc)
    data = _mapping(doc.data)
    for path in (("packages", "models"), ("packages", "server"), ("base_url",), ("example_namespace",)):
        value: Any = data
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str):
            _check_single_line(report, path, value)
    packages = _mapping(data.get("packages"))
    if isinstance(packages.get("models"), str) and packages.get("models") == packages.get("server"):
        report.add(("packages", "server"), "the server package needs a name of its own, not the models package's")
    return report.problems


def api_problems(models: list[tuple[str, dict[str, tuple[str, int, int]]]]) -> list[SpecProblem]:
    """Rules across model files: names, categories and class names are unique in the API.

    ``models`` holds, per model file, its name and where its identifying keys are (those that
    are strings: a file with problems elsewhere still takes part).
    """
    problems: list[SpecProblem] = []
    for field in ("name", "category", "class_name"):
        first_seen: dict[str, str] = {}
        for file, names in models:
            if field not in names:
                continue
            value, line, col = names[field]
            if value in first_seen:
                problems.append(
                    SpecProblem(file, line, col, f"model.{field}", f"{value!r} is already used by {first_seen[value]}")
                )
            else:
                first_seen[value] = file
    return problems
