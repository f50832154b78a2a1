"""Spec strings land intact and harmless in Python, Markdown, YAML and shell."""

from __future__ import annotations

import ast
import json
import shlex
import subprocess
import sys
import tomllib

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from generator.escape import (
    FILTERS,
    code_spans_html,
    go_string,
    html_cell,
    html_text,
    markdown_cell,
    markdown_text,
    python_docstring,
    python_string,
    python_tuple,
    python_tuple_lines,
    python_value,
    shell_quote,
    toml_string,
    yaml_string,
)
from generator.escape import json_text as escape_json

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


# -- the exact forms: generated files are compared byte for byte, so each escape has one spelling --


def test_python_string_quotes_like_ruff_and_escapes_only_what_it_must() -> None:
    assert python_string("") == '""'
    assert python_string("tab\there") == '"tab\\there"'
    assert python_string("a\\b") == '"a\\\\b"'
    assert python_string("cr\r nl\n") == '"cr\\r nl\\n"'
    assert python_string("1 \" and 1 '") == '"1 \\" and 1 \'"'  # a tie keeps double quotes
    assert python_string('2 "" and 1 \'') == "'2 \"\" and 1 \\''"
    assert python_string("\x00\x1b\x7f") == '"\\x00\\x1b\\x7f"'
    assert python_string("\u2028 é") == '"\\u2028 é"'
    assert python_string("\U000e0001") == '"\\U000e0001"'
    assert python_string("\ud800") == '"\\ud800"'


def test_python_value_spells_numbers_as_ruff_does_and_refuses_what_json_cannot_hold() -> None:
    assert python_value(None) == "None" and python_value(True) == "True" and python_value(False) == "False"
    assert python_value(-3) == "-3" and python_value(2.5) == "2.5"
    assert python_value(1e20) == "1e20" and python_value(1e-7) == "1e-07" and python_value(-1.5e300) == "-1.5e300"
    assert python_value([1, "a", [None]]) == '[1, "a", [None]]'
    assert python_value({"k": 1, 2: "v"}) == '{"k": 1, "2": "v"}'
    assert python_value([]) == "[]" and python_value({}) == "{}"
    for bad in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(ValueError) as caught:
            python_value(bad)
        assert str(caught.value) == f"{bad!r} has no JSON form; specs hold finite numbers"
    with pytest.raises(TypeError) as wrong:
        python_value((1, 2))
    assert str(wrong.value) == "not a JSON value: (1, 2)"


def test_python_tuple_is_written_as_ruff_writes_it() -> None:
    assert python_tuple([]) == "()"
    assert python_tuple(["a"]) == "(a,)"
    assert python_tuple(["a", "b", "c"]) == "(a, b, c)"


def test_python_tuple_lines_keeps_one_item_a_line_only_where_ruff_does() -> None:
    assert python_tuple_lines([]) == "()"
    assert python_tuple_lines(["a"], indent=8) == "(a,)"  # ruff joins a one-item tuple
    assert python_tuple_lines(["a", "b"]) == "(\n    a,\n    b,\n)"
    assert python_tuple_lines(["a", "b"], indent=4) == "(\n        a,\n        b,\n    )"
    # What ruff format leaves as it is, inside a statement at that indentation.
    source = "if x:\n    y = " + python_tuple_lines(["first", "second", "third"], indent=4) + "\n"
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--quiet", "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert formatted == source


@pytest.mark.parametrize(
    ("text", "doc"),
    [
        ("", "(no description)"),
        ("   ", "(no description)"),
        ("plain", "plain"),
        # A tab is escaped (ruff refuses tabs in indentation), so a trailing one is no blank to drop.
        ("trailing  \nblanks\t", "trailing\nblanks\\t"),
        ("trailing \t \nblanks", "trailing \\t\nblanks"),
        ('"starts', '\\"starts'),
        ('ends"', 'ends\\"'),
        ('ends\\"', 'ends\\\\\\"'),
        ('a """ b', 'a \\"\\"\\" b'),
        ("bell\x07 and\ttab", "bell\\x07 and\\ttab"),
        ("line\u2028sep", "line\\u2028sep"),
        # The walk that escapes keeps the newlines as they are (they are the docstring's lines).
        ("first\nbell\x07\n  next", "first\nbell\\x07\n  next"),
        # Only blanks leave the first line's start, whatever letter follows them.
        ("  X marks\nthe spot", "X marks\nthe spot"),
    ],
)
def test_python_docstring_forms(text: str, doc: str) -> None:
    assert python_docstring(text) == doc


def test_markdown_escapes_every_markup_character_once() -> None:
    special = "\\`*_{}[]()#+-.!|"
    assert markdown_text(special) == "".join("\\" + c for c in special)
    # ~ has no Markdown escape (a backslash would show): an entity, which reads back as ~.
    assert markdown_text("~~gone~~") == "&#126;&#126;gone&#126;&#126;"
    assert markdown_text("a < b & c > \"d\" 'e'") == "a &lt; b &amp; c &gt; \"d\" 'e'"
    assert markdown_text("plain words") == "plain words"
    assert markdown_cell("") == ""
    assert markdown_cell("one\r\ntwo\nthree") == "one<br>two<br>three"


def test_yaml_string_escapes_and_their_spelling() -> None:
    assert yaml_string("") == '""'
    assert yaml_string('say "hi" \\ ok') == '"say \\"hi\\" \\\\ ok"'
    assert yaml_string("a\nb") == '"a\\nb"'
    assert yaml_string("\t\x00\x85") == '"\\u0009\\u0000\\u0085"'
    assert yaml_string("\U000e0001 é") == '"\\U000e0001 é"'


def test_toml_string_escapes_quotes_backslashes_and_control_characters_only() -> None:
    assert toml_string("") == '""'
    assert toml_string('say "hi" \\ ok') == '"say \\"hi\\" \\\\ ok"'
    assert toml_string("\x00\x1f\x7f\n") == '"\\u0000\\u001f\\u007f\\u000a"'
    assert toml_string(" ~\x80é\U000e0001") == '" ~\x80é\U000e0001"'


@given(st.text())
def test_toml_string_reads_back_as_the_text(text: str) -> None:
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


def test_go_string_is_a_go_literal_keeping_other_characters() -> None:
    assert go_string('a "b" \\ c\n\té') == '"a \\"b\\" \\\\ c\\n\\té"'


def test_html_and_shell() -> None:
    assert html_text("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;"
    assert shell_quote("plain") == "plain" and shell_quote("a b") == "'a b'" and shell_quote("") == "''"


def test_html_cell_and_code_spans() -> None:
    assert html_cell("a <b>\n| c & `d`") == "a &lt;b&gt;<br>| c &amp; `d`"  # spec text: backticks stay text
    assert html_cell("") == ""
    assert code_spans_html("a `<q>` or `order` & more") == "a <code>&lt;q&gt;</code> or <code>order</code> &amp; more"


def test_html_cells_escape_quotes_as_the_html_filter_does() -> None:
    # One escaping for every piece of text in a generated page, quotes included (the docs'
    # goldens and the committed site hold it byte for byte).
    text = """say "hi", it's <b> & more"""
    assert html_cell(text) == html_text(text) == "say &quot;hi&quot;, it&#x27;s &lt;b&gt; &amp; more"
    assert code_spans_html(text) == html_text(text)


def test_the_filters_templates_use() -> None:
    assert {
        "py_str": python_string,
        "py_value": python_value,
        "py_tuple": python_tuple,
        "py_tuple_lines": python_tuple_lines,
        "py_doc": python_docstring,
        "md_text": markdown_text,
        "md_cell": markdown_cell,
        "yaml_str": yaml_string,
        "toml_str": toml_string,
        "go_str": go_string,
        "shell": shell_quote,
        "html": html_text,
        "html_cell": html_cell,
        "code_html": code_spans_html,
        "json": escape_json,
    } == FILTERS
    assert escape_json({"b": [1, "é"], "a": None}) == '{"a": null, "b": [1, "é"]}'


def _markdown_text_in_passes(text: str) -> str:
    """markdown_text as it was written before its one-table form: a regular expression, then HTML's escapes."""
    import html
    import re

    escaped = re.sub(r"([\\`*_{}\[\]()#+\-.!|])", r"\\\1", text)
    return html.escape(escaped, quote=False).replace("~", "&#126;")


@given(st.text(alphabet=st.sampled_from("\\`*_{}[]()#+-.!|&<>~\"' aZ\n\té😀")) | st.text())
@example("&lt; ~~x~~ \\* &amp;")
def test_markdown_text_in_one_pass_is_the_passes_it_replaced(text: str) -> None:
    assert markdown_text(text) == _markdown_text_in_passes(text)


def _yaml_string_walk(text: str) -> str:
    """yaml_string's character walk, without the answer it gives at once for text with nothing to escape."""
    out = ['"']
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char.isprintable():
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


@given(st.text(alphabet=st.sampled_from("\"\\ aZ:#'\n\t\x85\u2028é😀")) | st.text())
def test_yaml_string_answers_at_once_what_the_walk_gives(text: str) -> None:
    assert yaml_string(text) == _yaml_string_walk(text)


@given(st.text(alphabet=st.sampled_from(' "\\\taZé\n\u00a0\x85😀')) | st.text())
@example("  padded  ")
@example("   ")
def test_python_docstring_answers_one_plain_line_at_once_as_the_walk_does(text: str) -> None:
    from generator import escape

    assert escape.python_docstring(text) == escape._docstring_walk(text)
