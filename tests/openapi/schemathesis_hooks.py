"""Schemathesis hooks: the filter language, taught to Schemathesis (``SCHEMATHESIS_HOOKS``).

The document says that each ``q`` is a ``filter`` (its ``format``) over the attributes its
``x-filterable`` lists; Schemathesis cannot know that language, and a random string is no
filter (the server answers 400, as documented). Before the document is loaded, each list's
``q`` gets a format of its own, and a strategy for it that makes valid filters over that
list's filterable attributes. Nothing else of the document, and none of the checks, changes.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import strategies as st

_TEXT = st.text(alphabet=st.characters(codec="ascii", categories=["L", "N"]), max_size=12)


def _comparison(attribute: str, kind: str | list[str]) -> st.SearchStrategy[str]:
    presence = st.sampled_from([f"{attribute} exists", f"{attribute} not exists"])
    if isinstance(kind, list):  # an enum: its choices that need no escaping
        plain = [choice for choice in kind if '"' not in choice and "\\" not in choice]
        if not plain:
            return presence
        return st.one_of(presence, st.sampled_from(plain).map(lambda choice: f'{attribute} == "{choice}"'))
    if kind != "string":
        return presence
    compared = st.builds(
        lambda op, value: f'{attribute} {op} "{value}"',
        st.sampled_from(["==", "!=", "contains", "not contains"]),
        _TEXT,
    )
    return st.one_of(presence, compared)


def _filters(attributes: dict[str, str | list[str]]) -> st.SearchStrategy[str]:
    terms = st.one_of(*(_comparison(name, kind) for name, kind in attributes.items()))
    return st.lists(terms, min_size=1, max_size=3).flatmap(
        lambda parts: st.sampled_from([" and ", " or "]).map(lambda glue: glue.join(parts))
    )


def _kinds(raw: dict[str, Any], operation: dict[str, Any], names: list[str]) -> dict[str, str | list[str]]:
    """Each filterable attribute's JSON type, read from the list's answer schema."""
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"]
    properties = raw["components"]["schemas"][answer.rsplit("/", 1)[1]]["properties"]
    out: dict[str, str | list[str]] = {}
    for name in names:
        schema = properties.get(name, {})
        kind = schema.get("type", "any")
        if "enum" in schema:
            out[name] = [choice for choice in schema["enum"] if isinstance(choice, str)]
        else:
            out[name] = kind if isinstance(kind, str) and "format" not in schema else "any"
    return out


@schemathesis.hook
def before_load_schema(context: Any, raw_schema: dict[str, Any]) -> None:
    for methods in raw_schema.get("paths", {}).values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("name") != "q" or parameter.get("in") != "query":
                    continue
                names = parameter.get("x-filterable", [])
                if not names:
                    continue
                name = f"filter-{operation['operationId']}"
                schemathesis.openapi.format(name, _filters(_kinds(raw_schema, operation, names)))
                parameter["schema"]["items"]["format"] = name
