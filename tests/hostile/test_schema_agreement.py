"""The fast validator (fastjsonschema) never accepts what the explaining one (jsonschema) refuses.

A file the fast one accepts is never shown to jsonschema, so a yes where jsonschema says no
would let a broken spec through. The other way round is harmless (jsonschema is then asked,
finds nothing, and the file passes): fastjsonschema reads `$` as ECMA does, so it refuses a
name ending in a newline that jsonschema's Python `$` accepts; a semantic rule reports those.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import validate
from generator.errors import SpecError
from generator.yamlsource import load_yaml
from tests.conftest import SPECS
from tests.hostile.test_loader_fuzz import KEYS, documents

VALID_MODEL: dict[str, Any] = yaml.safe_load((SPECS / "activity.spec.yaml").read_text("utf-8"))
VALID_API: dict[str, Any] = yaml.safe_load((SPECS / "_api.yaml").read_text("utf-8"))


def _jsonschema_says_valid(data: Any, kind: str) -> bool:
    return not any(True for _ in validate._validator(kind).iter_errors(data))


def _fast_yes_means_yes(data: Any, kind: str) -> bool:
    return not validate.is_valid(data, kind) or _jsonschema_says_valid(data, kind)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fast_validator_never_accepts_more_on_near_valid_models(data: st.DataObject) -> None:
    document = yaml.safe_load(yaml.safe_dump(VALID_MODEL))
    attribute = data.draw(st.sampled_from(document["attributes"]))
    target = data.draw(st.sampled_from([document, document["model"], attribute]))
    key = data.draw(st.sampled_from([*target.keys(), *KEYS, "exposed_name", "unique_scope", "min_length"]))
    if data.draw(st.booleans()):
        target[key] = data.draw(documents)
    else:
        target.pop(key, None)
    assert _fast_yes_means_yes(document, "model")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(VALID_API)), documents)
def test_fast_validator_never_accepts_more_on_api_files(key: str, value: Any) -> None:
    document = yaml.safe_load(yaml.safe_dump(VALID_API))
    document[key] = value
    assert _fast_yes_means_yes(document, "api")


def test_both_accept_the_real_specs() -> None:
    assert validate.is_valid(VALID_MODEL, "model") and _jsonschema_says_valid(VALID_MODEL, "model")
    assert validate.is_valid(VALID_API, "api") and _jsonschema_says_valid(VALID_API, "api")


def test_fast_validator_never_accepts_more_on_the_corpus() -> None:
    corpus = sorted((Path(__file__).parent / "bad_specs").glob("*.yaml"))
    checked = 0
    for path in corpus:
        if path.name == "expected.yaml":
            continue
        try:
            data = load_yaml(path.read_bytes(), path.name).data
        except SpecError:
            continue  # the loader refuses it before any schema sees it
        assert _fast_yes_means_yes(data, "model"), path.name
        checked += 1
    assert checked > 30


def test_fast_validator_holds_the_attribute_rules_it_takes_out_of_the_schema() -> None:
    """choices exactly for enums and subtype exactly for lists, checked outside fastjsonschema."""
    base = {"name": "kind", "description": "Kind.", "type": "string"}
    cases = [
        ({**base, "type": "enum", "choices": ["a"]}, True),
        ({**base, "type": "enum"}, False),
        ({**base, "choices": ["a"]}, False),
        ({**base, "type": "list", "subtype": "string"}, True),
        ({**base, "type": "list"}, False),
        ({**base, "subtype": "string"}, False),
    ]
    for attribute, valid in cases:
        document = yaml.safe_load(yaml.safe_dump(VALID_MODEL))
        document["attributes"].append(attribute)
        assert validate.is_valid(document, "model") is valid, attribute
        assert _jsonschema_says_valid(document, "model") is valid, attribute


def test_fast_validator_refuses_attribute_rules_of_a_shape_it_does_not_know() -> None:
    rule = {"if": {"properties": {"type": {"const": "enum"}}, "required": ["type"]}, "then": {"required": ["choices"]}}
    with pytest.raises(ValueError, match="does not know"):
        validate._presence_rules([rule])
