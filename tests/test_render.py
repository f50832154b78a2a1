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
