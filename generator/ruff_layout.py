"""Statements laid out as ruff formats them, for the few shapes whose length varies with the spec.

A generated file whose lines all fit skips ruff (generator/pyformat.py), so a template must
emit ruff's layout even where a long list of names breaks a line: a call is written on one
line when it fits, else with its arguments on a line of their own, else one argument per line
with a trailing comma. Only arguments without brackets that ruff could split (names, strings,
f-strings) are laid out here; a line still too long (one very long argument) fails
:func:`generator.pyformat.fits` and goes through ruff itself, and so does non-ASCII text, left on
one line (ruff counts a wide character as two columns, a combining one as none).
tests/test_formatter_stable.py holds these layouts to ruff's.
"""

from __future__ import annotations

from collections.abc import Sequence

# ruff's line length for generated Python (generator/pyformat.py formats with it).
LINE_LENGTH = 120
_STEP = " " * 4


def call(head: str, arguments: Sequence[str], indent: int = 0) -> str:
    """``head(arguments)`` as ruff lays it out at ``indent`` columns; the first line unindented."""
    inner = ", ".join(arguments)
    if indent + len(head) + len(inner) + 2 <= LINE_LENGTH or not arguments or not (head + inner).isascii():
        return f"{head}({inner})"
    margin = " " * indent
    if indent + len(_STEP) + len(inner) <= LINE_LENGTH:
        return f"{head}(\n{margin}{_STEP}{inner}\n{margin})"
    lines = "".join(f"{margin}{_STEP}{argument},\n" for argument in arguments)
    return f"{head}(\n{lines}{margin})"


def set_assignment(name: str, function: str, items: Sequence[str]) -> str:
    """``name = function({items})`` at the top level of a module, as ruff lays it out."""
    if not items:
        return f"{name} = {function}()"
    literal = "{" + ", ".join(items) + "}"
    if len(name) + len(function) + len(literal) + 5 <= LINE_LENGTH or not (name + literal).isascii():
        return f"{name} = {function}({literal})"
    if len(_STEP) + len(literal) <= LINE_LENGTH:
        return f"{name} = {function}(\n{_STEP}{literal}\n)"
    lines = "".join(f"{_STEP}{_STEP}{item},\n" for item in items)
    return f"{name} = {function}(\n{_STEP}{{\n{lines}{_STEP}}}\n)"
