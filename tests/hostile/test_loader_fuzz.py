"""Property-based: whatever text or YAML document a spec file holds, loading gives an Api or a clean SpecError."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import SpecError
from generator.load import load_api
from generator.spec import Api
from tests.conftest import SPECS

VALID: dict[str, Any] = yaml.safe_load((SPECS / "activity.spec.yaml").read_text("utf-8"))
KEYS = ["model", "attributes", "name", "type", "description", "choices", "subtype", "required", "read_only", "cap"]
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=10), inner, max_size=6)
    ),
    max_leaves=40,
)


def _load(content: bytes) -> Api | SpecError:
    with tempfile.TemporaryDirectory() as tmp:
        specs = Path(tmp) / "specs"
        specs.mkdir()
        shutil.copy(SPECS / "_api.yaml", specs / "_api.yaml")
        (specs / "activity.spec.yaml").write_bytes(content)
        try:
            return load_api(specs)
        except SpecError as exc:
            for problem in exc.problems:
                assert problem.file.startswith("specs/") and problem.line >= 1 and problem.column >= 1
                assert problem.message
            return exc


fuzz = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fuzz
@given(st.binary(max_size=400))
def test_arbitrary_bytes(content: bytes) -> None:
    assert isinstance(_load(content), Api | SpecError)


@fuzz
@given(st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#%@`?,\n\t 0123\\")), max_size=200))
def test_arbitrary_yaml_like_text(text: str) -> None:
    assert isinstance(_load(text.encode()), Api | SpecError)


@fuzz
@given(documents)
def test_arbitrary_documents(document: Any) -> None:
    assert isinstance(_load(yaml.safe_dump(document).encode()), Api | SpecError)


@fuzz
@given(st.data())
def test_valid_spec_with_one_value_replaced(data: st.DataObject) -> None:
    """The nastiest inputs are almost right: a valid spec with one value swapped for anything."""
    document = yaml.safe_load(yaml.safe_dump(VALID))
    attribute = data.draw(st.sampled_from(document["attributes"]))
    target = data.draw(st.sampled_from([document, document["model"], attribute]))
    key = data.draw(st.sampled_from([*target.keys(), *KEYS]))
    target[key] = data.draw(documents)
    assert isinstance(_load(yaml.safe_dump(document).encode()), Api | SpecError)
