"""Example values on the wire, as the docs show them: what a client sends and what it gets back.

The spec objects hold an example value per attribute (the spec's, else one made from the
type, nested objects included). On the wire, visibility and storage decide what a message
holds: a hidden attribute is never in one, a secret never in a response, a transient one only
in the answer to the write that set it, and an empty value of an ``omit_empty`` attribute is
left out. :func:`wire_object` applies that, down through nested objects, so no example can
show what the API never sends.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlencode

from generator.attribute_types import JSON, ValueType
from generator.spec import Api, Attribute, Model, NestedType, Parameter

# request: what a client sends; written: the answer to a create or update (transient attributes
# included); stored: any other answer (list, retrieve, delete), from what the store keeps.
Mode = Literal["request", "written", "stored"]

# A value of each parameter type, when the spec gives no example and no default.
_PARAMETER_EXAMPLES: dict[str, str] = {
    "string": "value",
    "integer": "1",
    "float": "0.5",
    "boolean": "true",
    "time": "2019-06-17T10:00:00Z",
    "duration": "1h",
}


def on_the_wire(attribute: Attribute, mode: Mode) -> bool:
    """Whether a message of this kind carries the attribute at all."""
    if not attribute.exposed:
        return False
    if mode == "request":
        return True
    return not attribute.secret and (attribute.stored or mode == "written")


def is_empty(value: JSON) -> bool:
    """Empty as ``omit_empty`` means it: unset, ``""``, ``0``, ``false``, ``[]`` or ``{}``."""
    if value is None or value == "" or value == [] or value == {}:
        return True
    return isinstance(value, int | float) and value == 0


def wire_object(api: Api, owner: Model | NestedType, value: dict[str, JSON], mode: Mode) -> dict[str, JSON]:
    """``value`` (keyed by exposed names) as a message of ``mode`` carries it: only the attributes
    on the wire, empty ``omit_empty`` ones left out, nested objects likewise. Keys that name no
    attribute of ``owner`` are dropped (an example never shows what the API would refuse)."""
    out: dict[str, JSON] = {}
    by_wire_name = {a.exposed_name: a for a in owner.attributes}
    for key, item in value.items():
        attribute = by_wire_name.get(key)
        if attribute is None or not on_the_wire(attribute, mode):
            continue
        shown = wire_value(api, attribute.value_type, item, mode)
        if attribute.omit_empty and is_empty(shown):
            continue
        out[key] = shown
    return out


def wire_value(api: Api, value_type: ValueType, value: JSON, mode: Mode) -> JSON:
    """A value of ``value_type`` as a message of ``mode`` carries it (see :func:`wire_object`).

    In a list or map of objects, an item left empty is dropped: the examples of a recursive type
    stop with ``{}``, which is no object a reader should copy.
    """
    if value_type.ref is not None:
        if not isinstance(value, dict):
            return value
        return wire_object(api, api.object_type(value_type.ref), value, mode)
    item_type = value_type.item
    if item_type is None:
        return value
    if value_type.kind == "list" and isinstance(value, list):
        items = [wire_value(api, item_type, item, mode) for item in value]
        return [item for item in items if not (item_type.ref is not None and item == {})]
    if value_type.kind == "map" and isinstance(value, dict):
        entries = {key: wire_value(api, item_type, item, mode) for key, item in value.items()}
        return {key: item for key, item in entries.items() if not (item_type.ref is not None and item == {})}
    return value


def parameter_example(parameter: Parameter) -> str:
    """A value of the parameter as the query string carries it."""
    value = parameter.example_value if parameter.example_value is not None else parameter.default_value
    if value is None:
        if parameter.type == "enum" and parameter.choices:
            return parameter.choices[0]
        return _PARAMETER_EXAMPLES.get(parameter.type, "value")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):  # a parameter given several times: its first value
        return parameter_example_item(value[0]) if value else _PARAMETER_EXAMPLES.get(parameter.type, "value")
    return str(value)


def parameter_example_item(value: JSON) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def example_parameters(
    parameters: tuple[Parameter, ...], combinations: tuple[tuple[tuple[str, ...], ...], ...]
) -> tuple[Parameter, ...]:
    """The parameters an example request must give: the required ones, and one alternative of each
    combination (the first whose parameters all have an example value, else the first), in the
    order the operation lists them."""
    wanted = {p.name for p in parameters if p.required}
    by_name = {p.name: p for p in parameters}
    for group in combinations:
        if any(set(alternative) <= wanted for alternative in group):
            continue
        with_examples = [alt for alt in group if all(by_name[n].example_value is not None for n in alt if n in by_name)]
        wanted.update((with_examples or list(group))[0])
    return tuple(p for p in parameters if p.name in wanted)


def query_string(parameters: tuple[Parameter, ...]) -> str:
    """``?name=value&...`` for the example request, percent-encoded; empty without parameters."""
    if not parameters:
        return ""
    return "?" + urlencode([(p.name, parameter_example(p)) for p in parameters])
