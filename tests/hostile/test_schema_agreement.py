"""The fast validator (fastjsonschema) and the explaining one (jsonschema) always agree.

The fast one decides whether a file is valid; if it ever said yes where jsonschema says no,
a broken spec would slip through unexplained. Fuzzed near-valid documents prove they agree.
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import validate
from tests.conftest import SPECS
from tests.hostile.test_loader_fuzz import KEYS, documents

VALID_MODEL: dict[str, Any] = yaml.safe_load((SPECS / "activity.spec.yaml").read_text("utf-8"))
VALID_API: dict[str, Any] = yaml.safe_load((SPECS / "_api.yaml").read_text("utf-8"))


def _jsonschema_says_valid(data: Any, kind: str) -> bool:
    return not any(True for _ in validate._validator(kind).iter_errors(data))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_validators_agree_on_near_valid_models(data: st.DataObject) -> None:
    document = yaml.safe_load(yaml.safe_dump(VALID_MODEL))
    attribute = data.draw(st.sampled_from(document["attributes"]))
    target = data.draw(st.sampled_from([document, document["model"], attribute]))
    key = data.draw(st.sampled_from([*target.keys(), *KEYS, "exposed_name", "unique_scope", "min_length"]))
    if data.draw(st.booleans()):
        target[key] = data.draw(documents)
    else:
        target.pop(key, None)
    assert validate.is_valid(document, "model") == _jsonschema_says_valid(document, "model")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(VALID_API)), documents)
def test_validators_agree_on_api_files(key: str, value: Any) -> None:
    document = yaml.safe_load(yaml.safe_dump(VALID_API))
    document[key] = value
    assert validate.is_valid(document, "api") == _jsonschema_says_valid(document, "api")


def test_both_accept_the_real_specs() -> None:
    assert validate.is_valid(VALID_MODEL, "model") and _jsonschema_says_valid(VALID_MODEL, "model")
    assert validate.is_valid(VALID_API, "api") and _jsonschema_says_valid(VALID_API, "api")
