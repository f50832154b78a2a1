"""The models target: ``python/<models package>/``, one slots dataclass per model and nested type, stdlib only.

``_runtime.py`` (identities, attribute tables, errors, the time format, values of nested
shapes) is copied verbatim from ``generator/runtime/models/``; each model's and nested type's
module, the attribute tables shared through abstracts (``_shared.py``) and the package's
``__init__`` are rendered, with only what each needs.
"""

from __future__ import annotations

import functools
import textwrap

from generator import naming, packaging
from generator.attribute_types import TYPES, ValueType
from generator.escape import python_string, python_tuple, python_value
from generator.render import Templates
from generator.runtime_files import copy_runtime
from generator.spec import DOC_PROPERTIES, Api, Attribute, Model, NestedType

NAME = "models"
# __init__.py and _shared.py come out in ruff's layout, as the per-model files do.
SHARED_IN_RUFF_LAYOUT = True

# Runtime type test (true when the value is wrong) per spec type, for a value named {v}.
_WRONG_TYPE = {
    "string": "type({v}) is not str",
    "integer": "type({v}) is not int",
    "float": "type({v}) is not float and type({v}) is not int",
    "boolean": "type({v}) is not bool",
    "enum": "type({v}) is not str",
    "object": "type({v}) is not dict",
}
# Every property after name, type and description, emitted only when set so that unset stays
# distinguishable from false: the published ones (choices ... unique_scope), then the others.
_TABLE_PROPERTIES = (
    "subtype",
    *DOC_PROPERTIES[2:],
    "default_value",
    "example_value",
    "min_length",
    "max_length",
    "min_value",
    "max_value",
    "pattern",
)
_TABLE_FLAGS = ("exposed", "stored", "secret", "omit_empty", "encrypted")  # written when not the default
# The lists validate() fills, in the order it reports them.
_CHECKS = ("required", "choices", "types", "lengths", "ranges", "patterns", "nested", "validators")


def shaped(attribute: Attribute) -> bool:
    """Values whose shape nests (maps, lists of lists, objects of nested types): decoded, encoded
    and checked by the runtime from a shape constant rather than by code written per attribute."""
    value_type = attribute.value_type
    if value_type.kind in ("map", "ref"):
        return True
    item = value_type.item
    return value_type.kind == "list" and item is not None and item.kind in ("list", "map", "ref")


def shape_of(value_type: ValueType) -> str:
    """The runtime's description of a value type, as a Python literal: ``("list", ("ref", "label"))``."""
    if value_type.item is not None:
        return f"({python_string(value_type.kind)}, {shape_of(value_type.item)})"
    if value_type.ref is not None:
        return f'("ref", {python_string(value_type.ref)})'
    return f"({python_string(value_type.kind)},)"


class AttributeView:
    """What model.py.j2 writes for one attribute beyond its spec, worked out once.

    (Template calls into Python go through Jinja's call machinery; plain attributes are
    several times cheaper, and a large API renders these thousands of times.)
    """

    def __init__(self, attribute: Attribute, api: Api) -> None:
        name = attribute.python_name
        constant = name.strip("_").upper()
        self.properties = _set_properties(attribute)
        self.annotation = attribute.python_type + ("" if attribute.python_type == "JSONValue" else " | None")
        self.shaped = shaped(attribute)
        self.shape_name = f"_{constant}_SHAPE" if self.shaped else ""
        self.shape = shape_of(attribute.value_type) if self.shaped else ""
        value = _default_value(attribute, self.shape_name)  # '' when the attribute has none
        # A mutable or parsed default is made by a function, once per object; others are literals.
        self.default_factory = f"_default_{name.strip('_')}" if value and _made_per_object(attribute) else ""
        self.default_factory_body = value if self.default_factory else ""
        if self.default_factory:
            self.fresh_default = f"{self.default_factory}()"
            self.default = f"field(default_factory={self.default_factory})"
        else:
            self.fresh_default = value
            self.default = value or "None"
        self.expected = python_string(_expected(attribute))
        self.decode_check = "" if self.shaped else _type_check(attribute, f"v_{name}")  # '' when any value goes
        self.validate_check = "" if self.shaped else _validate_type_check(attribute, f"self.{name}")
        self.choices_name = f"_{constant}_CHOICES"
        self.sized = "str" if attribute.type == "string" else "dict" if attribute.value_type.kind == "map" else "list"
        # Patterns: the attribute's own, then those of its named pattern validators: (constant, regex, wanted).
        self.patterns: list[tuple[str, str, str]] = []
        if attribute.pattern is not None:
            wanted = attribute.pattern_message or f"a match of {attribute.pattern}"
            self.patterns.append((f"_{constant}_PATTERN", attribute.pattern, wanted))
        self.functions: list[str] = []  # module:function of its function validators
        for validator_name in attribute.validators:
            validator = api.validators_by_name[validator_name]
            if validator.pattern is not None:
                wanted = validator.message or validator.description.rstrip(".")
                constant_name = f"_{constant}_{validator_name.upper()}_PATTERN"
                self.patterns.append((constant_name, validator.pattern, wanted))
            elif validator.function is not None:
                self.functions.append(validator.function)


class ObjectView:
    """What the Python templates need about one model or nested type, beyond the spec objects."""

    def __init__(self, api: Api, obj: Model | NestedType) -> None:
        self.obj = obj
        self.is_model = isinstance(obj, Model)
        # (attribute, its view) in spec order: `{% for a, av in view.attributes %}`
        self.attributes = [(a, AttributeView(a, api)) for a in obj.attributes]
        views = {a.python_name: av for a, av in self.attributes}
        self.check_groups = [name for name in _CHECKS if _checks(obj, name, views)]
        if len(self.check_groups) > 1:
            self.validate_doc = f"Every problem at once, in this order: {', '.join(self.check_groups)}."
        elif self.check_groups:
            self.validate_doc = f"Every problem at once: {self.check_groups[0]}."
        else:
            self.validate_doc = "Nothing to check: any value of the right type is valid."
        self.object_functions = [api.validators_by_name[name].function for name in obj.validators]
        # The attribute table: the shared tables of the abstracts extended, then its own rows.
        self.shared_tables = [_table_name(name) for name in obj.extends]
        self.own_rows = [(a, av) for a, av in self.attributes if a.origin is None]
        self.hidden = [a for a in obj.attributes if not a.exposed]
        self.patterns_used = any(av.patterns for _, av in self.attributes)
        self._refusals(api, obj)
        self.type_imports = sorted(
            (api.object_type(ref).module_name, api.object_type(ref).class_name) for ref in obj.refs if ref != obj.name
        )
        self.imports = _imports(api, obj, self)

    def _refusals(self, api: Api, obj: Model | NestedType) -> None:
        """The refusal tables of client input: wire name -> why a client may not set it.

        Only for the operations the model allows (a create under a parent counts); an update
        refuses what a create does and the creation-only attributes, so its table extends the
        create table (or is the same one).
        """
        on_create = [
            (a.exposed_name, "read-only" if a.read_only else "autogenerated") for a in obj.attributes if _fixed(a)
        ]
        extra = [
            (a.exposed_name, "creation-only") for a in obj.attributes if a.creation_only and a.exposed and not _fixed(a)
        ]
        creates = isinstance(obj, Model) and (
            obj.allows("create") or any(relation.create is not None for _, relation in api.parents_of(obj))
        )
        updates = isinstance(obj, Model) and obj.allows("update")
        # (constant name, comment, the table it extends, its own entries)
        self.refusals: list[tuple[str, str, str, list[tuple[str, str]]]] = []
        self.refused_on_create = self.refused_on_update = ""
        if creates and updates and not extra:
            comment = "Wire names a client may not send, and why (answered with a 422)."
            self.refusals.append(("_REFUSED", comment, "", on_create))
            self.refused_on_create = self.refused_on_update = "_REFUSED"
        else:
            if creates:
                comment = "Wire names a client may not send on create, and why (answered with a 422)."
                self.refusals.append(("_REFUSED_ON_CREATE", comment, "", on_create))
                self.refused_on_create = "_REFUSED_ON_CREATE"
            if updates:
                comment = "Wire names a client may not send on update, and why: creation-only ones too."
                if creates:
                    self.refusals.append(("_REFUSED_ON_UPDATE", comment, "_REFUSED_ON_CREATE", extra))
                else:
                    self.refusals.append(("_REFUSED_ON_UPDATE", comment, "", on_create + extra))
                self.refused_on_update = "_REFUSED_ON_UPDATE"
        methods = [f"``{m}``" for m, on in (("validate_create", creates), ("validate_update", updates)) if on]
        self.input_note: tuple[str, ...] = ()
        if methods:
            verb = "refuse" if len(methods) == 2 else "refuses"
            note = (
                f"Client input: {' and '.join(methods)} {verb} read-only and autogenerated attributes"
                f"{' (and creation-only ones on update)' if updates else ''} with a 422 error rather than"
                " silently ignoring them, so that a client learns at once that its value was not used."
            )
            self.input_note = _wrapped(note)


@functools.cache
def _wrapped(text: str) -> tuple[str, ...]:
    """``textwrap.wrap(text, 88)``, once per text: the client-input note is one of four for every model."""
    return tuple(textwrap.wrap(text, 88))


def _table_name(abstract: str) -> str:
    """The shared attribute table of an abstract in ``_shared.py``: ``IDENTIFIABLE_ATTRIBUTES``."""
    return f"{abstract.upper()}_ATTRIBUTES"


def _fixed(attribute: Attribute) -> bool:
    """Attributes a client sees but never sets: the server owns their values."""
    return bool((attribute.read_only or attribute.autogenerated) and attribute.exposed)


def _checks(obj: Model | NestedType, group: str, views: dict[str, AttributeView]) -> bool:
    """Whether validate() of this object can report problems of a group."""
    attributes = obj.attributes
    if group == "required":
        return any(a.required for a in attributes)
    if group == "choices":
        return any(a.type == "enum" for a in attributes)
    if group == "types":
        return any(views[a.python_name].validate_check for a in attributes)
    if group == "lengths":
        return any(a.min_length is not None or a.max_length is not None for a in attributes)
    if group == "ranges":
        return any(a.min_value is not None or a.max_value is not None for a in attributes)
    if group == "patterns":
        return any(views[a.python_name].patterns for a in attributes)
    if group == "nested":
        return any(views[a.python_name].shaped for a in attributes)
    return bool(obj.validators) or any(views[a.python_name].functions for a in attributes)


def _set_properties(attribute: Attribute) -> list[tuple[str, str]]:
    """(keyword, Python literal) of the attribute table entry's properties that are set."""
    out = []
    for key in _TABLE_PROPERTIES:
        value = getattr(attribute, key)
        if value is None:
            continue
        if key == "choices":
            out.append((key, python_tuple([python_string(c) for c in value])))
        else:
            out.append((key, python_value(value)))
    for key in _TABLE_FLAGS:
        value = getattr(attribute, key)
        if value != (key in ("exposed", "stored")):  # exposed and stored default to true, the rest to false
            out.append((key, repr(value)))
    if attribute.validators:
        out.append(("validators", python_tuple([python_string(v) for v in attribute.validators])))
    if attribute.origin is not None:
        out.append(("origin", python_string(attribute.origin)))
    return out


def _default_value(attribute: Attribute, shape_name: str) -> str:
    """A Python expression making a new value of the attribute's default ('' when it has none)."""
    value = attribute.default_value
    if value is None:
        return ""
    if shape_name:
        return f"decode_default({python_value(value)}, {shape_name})"
    if attribute.type == "time":
        return f"parse_time({python_string(str(value))})"
    item = attribute.value_type.item
    if attribute.type == "list" and item is not None and item.kind == "time":
        assert isinstance(value, list)
        return "[" + ", ".join(f"parse_time({python_string(str(each))})" for each in value) + "]"
    return python_value(value)


def _made_per_object(attribute: Attribute) -> bool:
    """A default that must be made anew for each object (a list or mapping), or parsed (a time)."""
    return isinstance(attribute.default_value, (list, dict)) or attribute.type in ("time", "ref")


def _type_check(attribute: Attribute, v: str) -> str:
    """Expression true when the decoded wire value ``v`` has the wrong type ('' = any)."""
    if attribute.type == "list":
        item = attribute.value_type.item
        check = _WRONG_TYPE.get(item.kind if item is not None else "", "").format(v="item")
        if not check:
            return f"type({v}) is not list"
        return f"(type({v}) is not list or any({check} for item in {v}))"
    return _WRONG_TYPE.get(attribute.type, "").format(v=v)


def _validate_type_check(attribute: Attribute, v: str) -> str:
    """As _type_check, for a value set from Python (times must be aware datetimes)."""
    if attribute.type == "time":
        return f"not is_aware_time({v})"
    item = attribute.value_type.item
    if attribute.type == "list" and item is not None and item.kind == "time":
        return f"(type({v}) is not list or any(not isinstance(item, datetime) for item in {v}))"
    return _type_check(attribute, v)


def _expected(attribute: Attribute) -> str:
    item = attribute.value_type.item
    if attribute.type == "list" and item is not None and item.kind in TYPES:
        return f"a list of {TYPES[item.kind].plural}"
    return TYPES[attribute.type].expected


def _has_time(value_type: ValueType) -> bool:
    return value_type.kind == "time" or (value_type.item is not None and _has_time(value_type.item))


def _imports(api: Api, obj: Model | NestedType, view: ObjectView) -> list[str]:
    """The import block of a module: only what its code uses, in ruff's order."""
    attributes = obj.attributes
    views = {a.python_name: av for a, av in view.attributes}
    plain = [a for a in attributes if not views[a.python_name].shaped]
    kinds = {a.type for a in plain} | {a.value_type.item.kind for a in plain if a.value_type.item is not None}
    uses_field = any(views[a.python_name].default_factory for a in attributes)
    typing = (
        ["Any", "ClassVar"]
        + (["Literal"] if "enum" in kinds else [])
        + (["TYPE_CHECKING"] if view.type_imports else [])
    )
    lines = []
    if view.patterns_used:
        lines.append("import re")
    lines += [
        "from collections.abc import Mapping",
        "from dataclasses import dataclass" + (", field" if uses_field else ""),
    ]
    if any(_has_time(a.value_type) for a in attributes):
        lines.append("from datetime import datetime")
    lines += [f"from typing import {', '.join(sorted(typing, key=_isort_key))}", ""]
    validates = view.check_groups
    uses = {
        "AttributeSpec": True,
        "Identity": view.is_model,
        "JSONValue": True,
        "Shape": any(views[a.python_name].shaped for a in attributes),
        "ValidationError": True,
        "ValidationFailed": True,
        "check_object": bool(view.object_functions),
        "check_shape": "nested" in validates,
        "check_value": any(views[a.python_name].functions for a in attributes),
        "choice_error": "choices" in validates,
        "decode_default": any(views[a.python_name].shaped and a.default_value is not None for a in attributes),
        "decode_time": "time" in kinds,
        "decode_value": any(views[a.python_name].shaped for a in attributes),
        "encode_value": any(views[a.python_name].shaped for a in attributes),
        "format_time": "time" in kinds,
        "input_errors": bool(view.refused_on_create or view.refused_on_update),
        "is_aware_time": any(a.type == "time" for a in attributes),
        "is_empty": any(a.omit_empty for a in attributes),
        "length_error": "lengths" in validates,
        # a default that is parsed (an empty list of times is not): the factory's body says
        "parse_time": any("parse_time(" in views[a.python_name].default_factory_body for a in attributes),
        "pattern_error": "patterns" in validates,
        "range_error": "ranges" in validates,
        "registered": True,
        "required_error": "required" in validates,
        # from_dict reports wrong wire types (a list of times included), validate() wrong Python ones
        "type_error": "types" in validates or any(views[a.python_name].decode_check for a in attributes),
    }
    names = sorted((name for name, used in uses.items() if used), key=_isort_key)
    lines += [f"from {api.models_package}._runtime import ("] + [f"    {name}," for name in names] + [")"]
    if view.shared_tables:
        lines.append(f"from {api.models_package}._shared import {', '.join(sorted(view.shared_tables))}")
    if view.type_imports:
        lines += ["", "if TYPE_CHECKING:"]
        lines += [f"    from {api.models_package}.{module} import {cls}" for module, cls in view.type_imports]
    return lines


def _isort_key(name: str) -> tuple[int, str]:
    """ruff's order of imported names: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def runtime_files(api: Api) -> dict[str, str]:
    root = f"python/{api.models_package}"
    return {f"{root}/_runtime.py": copy_runtime("models", "_runtime.py"), f"{root}/py.typed": ""}


def render_shared(api: Api, templates: Templates) -> dict[str, str]:
    root = f"python/{api.models_package}"
    files = {f"{root}/__init__.py": templates.render("models/__init__.py.j2", api=api, exports=_exports(api))}
    dist = packaging.distribution(api, "models", api.models_package)
    files[f"{root}/pyproject.toml"] = packaging.pyproject(api, dist, templates)
    if api.abstracts:
        tables = [
            (_table_name(a.name), a, [(attribute, _set_properties(attribute)) for attribute in a.attributes])
            for a in api.abstracts
        ]
        files[f"{root}/_shared.py"] = templates.render("models/_shared.py.j2", api=api, tables=tables)
    return files


def render_model(api: Api, model: Model, templates: Templates) -> dict[str, str]:
    return _render_object(api, model, templates)


def render_type(api: Api, nested: NestedType, templates: Templates) -> dict[str, str]:
    return _render_object(api, nested, templates)


def _render_object(api: Api, obj: Model | NestedType, templates: Templates) -> dict[str, str]:
    path = f"python/{api.models_package}/{obj.module_name}.py"
    return {path: templates.render("models/model.py.j2", api=api, obj=obj, view=ObjectView(api, obj))}


def _exports(api: Api) -> list[str]:
    """``__all__`` in the order ruff's isort-style sort wants: CONSTANTS, Classes, functions."""
    names = ["API_TITLE", "API_VERSION", "IDENTITIES", "MODELS", "OBJECTS", *naming.RUNTIME_EXPORTS]
    names += [m.class_name for m in api.models] + [t.class_name for t in api.nested_types]
    return sorted(names, key=_isort_key)
