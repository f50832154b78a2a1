"""The renderer's own shortcuts give Jinja's answers."""

from __future__ import annotations

import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render import _wordwrap

ENV = jinja2.Environment()
texts = st.text(alphabet=st.sampled_from(list("ab -\t\n\r\x0b\x85\u2028é漢")), max_size=40) | st.text(max_size=40)


@settings(max_examples=3000, deadline=None)
@given(texts, st.integers(1, 50), st.booleans())
def test_wordwrap_equals_jinjas(text: str, width: int, break_long_words: bool) -> None:
    expected = jinja2.filters.do_wordwrap(ENV, text, width, break_long_words)
    assert _wordwrap(ENV, text, width, break_long_words) == expected


class _Counted:
    """An object whose ``item`` attribute counts how often it was asked for."""

    def __init__(self) -> None:
        self.asked = 0
        self.inner = {"key": "from a dict"}

    def fetch(self) -> _Counted:
        self.asked += 1
        return self


def _rendered(environment: jinja2.Environment, source: str) -> tuple[str, int]:
    """A template rendered over fresh objects, and how often ``thing.fetch()`` ran."""
    thing = _Counted()
    context = {"thing": thing, "mapping": {"key": 1, "nested": {"deep": {"deeper": 2}}}, "items": [1]}
    return environment.from_string(source).render(**context), thing.asked


def test_attributes_are_looked_up_as_jinja_does() -> None:
    from generator.render import _Environment

    source = (
        "{{ thing.inner.key }} {{ mapping.key }} {{ (mapping.nested).deep.deeper }} {{ thing.fetch().asked }}"
        " {{ items.count is defined }} {{ thing.fetch().absent is defined }} {% for x in [thing, thing] if x.inner.key %}{{ loop.index }}{% endfor %}"
    )
    ours = _rendered(_Environment(undefined=jinja2.StrictUndefined), source)
    # A dict's key through getattr's fallback to the item, a method's result...
    assert ours == _rendered(jinja2.Environment(undefined=jinja2.StrictUndefined), source)
    # ...and an expression before the dot evaluated once, whether or not the attribute is found.
    assert ours == ("from a dict 1 2 1 True False 12", 2)


def test_a_missing_attribute_is_jinjas_strict_error() -> None:
    import pytest

    from generator.render import _Environment

    for environment in (
        _Environment(undefined=jinja2.StrictUndefined),
        jinja2.Environment(undefined=jinja2.StrictUndefined),
    ):
        with pytest.raises(jinja2.UndefinedError, match="has no attribute 'missing'"):
            environment.from_string("{{ thing.missing }}").render(thing=_Counted())
        assert environment.from_string("{{ thing.missing is defined }}").render(thing=_Counted()) == "False"


def test_the_generator_compiles_attributes_without_environment_getattr_first() -> None:
    from generator.render import Templates

    templates = Templates()
    source = templates.env.loader.get_source(templates.env, "models/model.py.j2")[0]  # type: ignore[union-attr]
    code = templates.env.compile(source, "models/model.py.j2", raw=True)
    assert "getattr((_sg_object := " in code
