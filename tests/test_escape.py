"""Spec strings land intact and harmless in Python, Markdown, YAML and shell."""

from __future__ import annotations

import ast
import json
import shlex

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from generator.escape import (
    markdown_cell,
    markdown_text,
    python_docstring,
    python_string,
    python_value,
    shell_quote,
    yaml_string,
)

HOSTILE = [
    'a "quoted" word',
    "it's",
    "both ' and \"",
    "back\\slash and a trailing \\",
    'triple """ quotes',
    "a\nnewline\r\nand\ttab",
    "{{ jinja }} {% raw %}",
    "<script>alert(1)</script>",
    "a | pipe and `backticks`",
    "$(rm -rf /); `id` && echo $HOME",
    "\x1b[31mescape\x7f",
    "unicode: é ✓ 𝄞 \u2028",
]
texts = st.text(alphabet=st.characters(codec="utf-8"))


def test_python_string_round_trips_the_hostile_list() -> None:
    for text in HOSTILE:
        assert ast.literal_eval(python_string(text)) == text


@given(texts)
def test_python_string_round_trips_any_text(text: str) -> None:
    assert ast.literal_eval(python_string(text)) == text


def test_python_string_prefers_double_quotes_like_ruff() -> None:
    assert python_string("plain") == '"plain"'
    assert python_string('say "hi"') == "'say \"hi\"'"
    assert python_string("it's") == '"it\'s"'
    assert python_string("both ' and \" and a \\") == '"both \' and \\" and a \\\\"'
    assert python_string('{"a": "b", \'c\': 1}') == "'{\"a\": \"b\", \\'c\\': 1}'"


@given(
    st.recursive(st.none() | st.booleans() | st.integers() | texts, lambda c: st.lists(c) | st.dictionaries(texts, c))
)
def test_python_value_round_trips_json_values(value: object) -> None:
    assert ast.literal_eval(python_value(value)) == value


@given(texts)
@example('0"\n')  # once gave four quotes in a row: the quote before the newline was not escaped
@example('a\\"')
@example('"""')
@example('x"  \n \n')
def test_docstring_text_never_closes_the_docstring(text: str) -> None:
    source = f'"""{python_docstring(text)}"""'
    assert isinstance(ast.literal_eval(source), str)


@given(st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S"], include_characters=" \n")))
@example('0"\n')
@example('end with a quote "')
def test_docstring_keeps_printable_text_but_trailing_blanks(text: str) -> None:
    """Printable text comes back as written, less the blanks at the ends of lines and the common
    indentation of the lines after the first (what ruff's docstring layout removes)."""
    lines = [line.rstrip() for line in text.splitlines()]
    lines[:1] = [line.lstrip(" ") for line in lines[:1]]
    common = min((len(line) - len(line.lstrip(" ")) for line in lines[1:] if line), default=0)
    kept = "\n".join(lines[:1] + [line[common:] for line in lines[1:]])
    assert ast.literal_eval(f'"""{python_docstring(text)}"""') == (kept or "(no description)")


@example("U#h\n\tq{.")  # a tab opening a line: ruff refuses tabs in indentation (E101)
@example("a\n a.")  # ruff takes the space away from a line after the first
@given(texts)
def test_docstrings_are_in_ruffs_layout(text: str) -> None:
    """A docstring in a class, as the templates write them: ruff leaves it as it is."""
    import subprocess
    import sys

    from generator.pyformat import RUFF_ARGS

    body = python_docstring(text).replace("\n", "\n    ")
    source = f'class A:\n    """{body}"""\n'
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *RUFF_ARGS, "--stdin-filename", "a.py", "-"],
        input=source,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == source


def test_docstring_keeps_backslashes_and_triple_quotes() -> None:
    text = 'a \\ b """ c "'
    assert ast.literal_eval(f'"""{python_docstring(text)}"""') == text


@given(texts)
def test_yaml_string_round_trips(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_string(text)}")["key"] == text


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00")))
def test_shell_quote_is_one_word(text: str) -> None:
    assert shlex.split(f"echo {shell_quote(text)}") == ["echo", text]


def test_markdown_neutralises_html_and_markup() -> None:
    out = markdown_text("<script>alert(1)</script> *bold* `code` [link](x) {{ x }}")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "\\*bold\\*" in out and "\\`code\\`" in out and "\\[link\\]" in out


@pytest.mark.parametrize("extensions", [["tables"], ["tables", "pymdownx.tilde"]])
def test_markdown_text_reads_back_as_the_text(extensions: list[str]) -> None:
    # What Markdown makes of the escaped text is the text itself, tildes included (``\\~`` is no
    # Markdown escape: it once showed its backslash), with or without strike-through.
    import html

    import markdown  # type: ignore[import-untyped]

    text = "a ~ b ~~c~~ *d* _e_ [f](g) <h> & i | j # k - l. m! `n` {o} \\ p"
    rendered = markdown.markdown(markdown_text(text), extensions=extensions)
    assert rendered.startswith("<p>") and rendered.endswith("</p>")
    assert html.unescape(rendered.removeprefix("<p>").removesuffix("</p>")) == text


def test_markdown_cell_is_one_line_with_escaped_pipes() -> None:
    out = markdown_cell("a | b\nsecond line")
    assert "\n" not in out
    assert out == "a \\| b<br>second line"


def test_json_filter_is_sorted_and_stable() -> None:
    from generator.escape import json_text

    assert json_text({"b": 1, "a": "é"}) == json.dumps({"a": "é", "b": 1}, ensure_ascii=False)
