"""The spec loader's own shortcuts give PyYAML's answers, and positions are found when asked."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import SpecError
from generator.yamlsource import _Loader, load_yaml

# Text that looks like every implicit type YAML knows: numbers, booleans, nulls, dates, merge keys.
looks_typed = st.text(alphabet=st.sampled_from(list("0123456789+-._:eExXoObB~<=!&*yYnNtTfFaAlLsSuU ")), max_size=12)


@settings(max_examples=2000, deadline=None)
@given(st.one_of(looks_typed, st.text(max_size=12)), st.booleans(), st.booleans())
def test_fast_resolver_agrees_with_pyyaml(value: str, plain: bool, quoted: bool) -> None:
    ours = _Loader("")  # the C loader's resolve() is PyYAML's untyped one
    theirs = yaml.SafeLoader("")
    for kind in (yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode):
        expected = theirs.resolve(kind, value, (plain, quoted))  # type: ignore[no-untyped-call]
        assert ours.resolve(kind, value, (plain, quoted)) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(max_size=6).filter(lambda k: k != "<<"), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_loaded_data_equals_pyyaml_safe_load(document: object) -> None:
    """Whatever the loader accepts (merge keys it refuses) it reads as PyYAML does (safe_dump quotes
    the YAML 1.1 booleans yes, no, on and off, which the loader reads as text: see below)."""
    text = yaml.safe_dump({"root": document}, allow_unicode=True)
    assert load_yaml(text.encode(), "f.yaml").data == yaml.safe_load(text)


def test_where_finds_values_keys_and_nearest_ancestor() -> None:
    text = "model:\n  name: thing\n  tags:\n    - a\n    -   b\nother: 1\n"
    doc = load_yaml(text.encode(), "f.yaml")
    assert doc.where(()) == (1, 1)
    assert doc.where(("model", "name")) == (2, 9)
    assert doc.where(("model", "name"), key=True) == (2, 3)
    assert doc.where(("model", "tags", 1)) == (5, 9)
    assert doc.where(("model", "tags", 1), key=True) == (5, 9)  # a list item has no key
    assert doc.where(("model", "missing")) == (2, 3)  # the mapping that should hold it
    assert doc.where(("model", "missing"), key=True) == (1, 1)  # the key of that mapping
    assert doc.where(("model", "tags", 7)) == (4, 5)
    assert doc.where(("other",), key=True) == (6, 1)


def test_infinity_and_nan_are_refused_where_they_are() -> None:
    for text in (".inf", "-.Inf", ".NAN"):
        with pytest.raises(SpecError, match="is not a number a spec can hold") as caught:
            load_yaml(f"a:\n  b: {text}\n".encode(), "f.yaml")
        assert (caught.value.problems[0].line, caught.value.problems[0].column) == (2, 6)


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "NO", "On", "OFF", "y", "n"])
def test_yaml_1_1_booleans_are_text(word: str) -> None:
    """YAML 1.2 (what editors and JSON Schema tools read): only true and false are booleans."""
    assert load_yaml(f"a: {word}\n".encode(), "f.yaml").data == {"a": word}


@pytest.mark.parametrize("word", ["true", "True", "TRUE", "false", "False", "FALSE"])
def test_yaml_1_2_booleans_are_booleans(word: str) -> None:
    assert load_yaml(f"a: {word}\n".encode(), "f.yaml").data == {"a": word.lower() == "true"}
