"""Escape spec strings for the place they land: Python, Markdown, YAML, shell, HTML.

A description may hold quotes, backslashes, triple quotes, ``{{ }}``, ``<script>``, pipes or
newlines; each filter makes it come out intact as data, never as code or markup.
"""

from __future__ import annotations

import html
import json
import re
import shlex
from collections.abc import Sequence
from typing import Any

_PY_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _code_escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def python_string(text: str) -> str:
    """A Python string literal, quoted the way ``ruff format`` would quote it."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'  # the common case, without a walk over every character
    quote = "'" if text.count('"') > text.count("'") else '"'
    if text.isprintable():  # no line break, tab or control: only backslashes and the quote to escape
        return quote + text.replace("\\", "\\\\").replace(quote, "\\" + quote) + quote
    out = []
    for char in text:
        if char in _PY_ESCAPES:
            out.append(_PY_ESCAPES[char])
        elif char == quote:
            out.append("\\" + char)
        elif not char.isprintable():
            out.append(_code_escape(char))
        else:
            out.append(char)
    return quote + "".join(out) + quote


def python_value(value: Any) -> str:
    """A JSON value as a Python literal (one line)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{value!r} has no JSON form; specs hold finite numbers")
        return repr(value).replace("e+", "e")  # 1e20 as ruff writes it, not 1e+20
    if isinstance(value, str):
        return python_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(python_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{python_string(str(k))}: {python_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"not a JSON value: {value!r}")


def python_tuple(items: Sequence[str]) -> str:
    """A one-line tuple of Python expressions, as ruff writes it: ``()``, ``(a,)``, ``(a, b)``."""
    if len(items) == 1:
        return f"({items[0]},)"
    return "(" + ", ".join(items) + ")"


def python_tuple_lines(items: Sequence[str], indent: int = 0) -> str:
    """A tuple of Python expressions one a line, as ruff keeps it, its closing parenthesis at ``indent``.

    Ruff keeps such a tuple open only for its magic trailing comma, and a one-item tuple's comma
    is not one (ruff joins ``(\\n    a,\\n)`` into ``(a,)``): so ``()`` and ``(a,)`` stay on one line.
    """
    if len(items) <= 1:
        return python_tuple(items)
    inner = " " * (indent + 4)
    return "(\n" + "".join(f"{inner}{item},\n" for item in items) + " " * indent + ")"


def python_docstring(text: str) -> str:
    """Text safe inside a triple-quoted docstring, in the layout ``ruff format`` gives docstrings.

    Backslashes, quote runs and characters that are not printable are escaped (a tab too: ruff
    refuses tabs in indentation, and an escape reads back the same). Lines lose their trailing
    blanks, the first its leading ones and the others their common indentation, as ruff does. Only then are
    the edge quotes looked at, so the quote checked is the one that will touch the closing
    quotes (a text ending in a quote and a newline once came out as four quotes in a row).
    """
    if text.isprintable() and "\\" not in text and '"' not in text:
        # One line with nothing to escape (the common description): all the walk does is take
        # the blanks off its ends (tests/test_escape.py holds the two equal).
        return text.strip(" ") or "(no description)"
    return _docstring_walk(text)


def _docstring_walk(text: str) -> str:
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').replace("\t", "\\t")
    if not text.replace("\n", "").isprintable():  # else nothing to escape: skip the walk
        text = "".join(c if c.isprintable() or c == "\n" else _code_escape(c) for c in text)
    lines = [line.rstrip() for line in text.splitlines()]
    if lines:
        lines[0] = lines[0].lstrip(" ")  # ruff takes the blanks after the opening quotes away too
    indented = [len(line) - len(line.lstrip(" ")) for line in lines[1:] if line]
    common = min(indented, default=0)
    text = "\n".join(lines[:1] + [line[common:] for line in lines[1:]])
    if not text:
        return "(no description)"
    if text.endswith('"') and _bare_quote_at_end(text):
        text = text[:-1] + '\\"'
    if text.startswith('"'):  # else four quotes open the docstring (and ruff would add a space)
        text = '\\"' + text[1:]
    return text


def _bare_quote_at_end(text: str) -> bool:
    """True when the final quote is not already escaped (an even run of backslashes before it)."""
    backslashes = len(text) - 1 - len(text[:-1].rstrip("\\"))
    return backslashes % 2 == 0


# Markdown's markup characters, each escaped by a backslash; then HTML's own (``quote=False``).
_MD_SPECIAL = "\\`*_{}[]()#+-.!|"
_MD_TABLE = str.maketrans({**{c: "\\" + c for c in _MD_SPECIAL}, "&": "&amp;", "<": "&lt;", ">": "&gt;", "~": "&#126;"})


def markdown_text(text: str) -> str:
    """Plain text shown as text in Markdown: markup characters escaped, HTML neutralised.

    ``~`` is no Markdown escape (``\\~`` would show its backslash) but strikes through text where
    an extension reads ``~~``: it becomes an HTML entity, which reads as ``~`` everywhere.
    Each character is replaced on its own, so one table does it all in one pass (a regular
    expression, then ``html.escape``, cost four passes: a tenth of a docs page's time).
    """
    return text.translate(_MD_TABLE)


def markdown_cell(text: str) -> str:
    """Plain text inside a Markdown table cell: one line, pipes escaped."""
    return "<br>".join(markdown_text(line) for line in text.splitlines()) if text else ""


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar; characters YAML may not hold raw are escaped."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'  # nothing to escape: what the walk below gives
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


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped, the rest as is."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def go_string(text: str) -> str:
    """A Go interpreted string literal: JSON's escapes are Go's, and other characters stay as they are."""
    return json.dumps(text, ensure_ascii=False)


def shell_quote(text: str) -> str:
    return shlex.quote(text)


def html_text(text: str) -> str:
    return html.escape(text, quote=True)


def html_cell(text: str) -> str:
    """Plain text inside an HTML table cell: escaped, its lines joined by ``<br>``."""
    return "<br>".join(html.escape(line, quote=True) for line in text.splitlines()) if text else ""


_CODE_SPAN = re.compile(r"`([^`]+)`")


def code_spans_html(text: str) -> str:
    """Text written in this project (never spec text) with Markdown's `code` spans, as HTML:
    escaped, each span a ``<code>`` element. For sentences shown in both Markdown and HTML."""
    return _CODE_SPAN.sub(r"<code>\1</code>", html.escape(text, quote=True))


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


FILTERS = {
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
    "json": json_text,
}
