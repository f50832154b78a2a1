# Copied by specgen from generator/runtime/server/filters.py, the same in every API. Do not edit by hand.
"""The filter language of ``q``: text in, a tree of comparisons out, or where it broke.

    filter     := conjunction ("or" conjunction)*
    conjunction := term ("and" term)*
    term       := "(" filter ")" | attribute operator [value]
    attribute  := name ("." name)*        (a path into a JSON attribute: estimate.hours)
    operator   := == != < <= > >= contains | not contains | matches | in | not in
                | exists | not exists
    value      := "text" | 'text' | number | true | false | [value, ...]
                | date(2019-06-17) | date(2019-06-17T10:00:00Z) | now(-1h30m)

``and`` binds tighter than ``or``; keywords are case-insensitive. Columns in errors are
1-based. Which attribute may be filtered and how values fit it is decided later (``sql``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from .encoding import now, parse_time
from .limits import MAX_COMPARISONS, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, MAX_LIST_ITEMS

_INT_LIMIT = 2**63  # SQLite integers are signed 64-bit

Value = str | int | float | bool | datetime | tuple["Value", ...]

OPERATORS = (
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "contains",
    "not contains",
    "matches",
    "in",
    "not in",
    "exists",
    "not exists",
)
_WORD_OPERATORS = {"contains", "matches", "in", "exists"}
_NEGATABLE = {"contains", "in", "exists"}


class FilterError(ValueError):
    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"column {column}: {message}")
        self.message = message
        self.column = column


@dataclass(frozen=True, slots=True)
class Comparison:
    attribute: str
    operator: str
    value: Value | None  # None only for exists / not exists
    column: int  # where the attribute name starts
    value_column: int  # where the value starts (the operator, for exists)


@dataclass(frozen=True, slots=True)
class Conjunction:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Disjunction:
    parts: tuple[Node, ...]


Node = Comparison | Conjunction | Disjunction


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # word, string, number, symbol, operator, function, end
    text: str  # as written (for words: as written; compare with .lower())
    column: int
    argument: str = ""  # function tokens: the text between the parentheses
    argument_column: int = 0


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_DURATION = re.compile(r"(\d+)([smhd])")
_DURATIONS = re.compile(r"(?:\d+[smhd])+")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, size = 0, len(text)
    while i < size:
        char = text[i]
        column = i + 1
        if char.isspace():
            i += 1
        elif char in "()[],":
            tokens.append(_Token("symbol", char, column))
            i += 1
        elif text.startswith(("==", "!=", "<=", ">="), i):
            tokens.append(_Token("operator", text[i : i + 2], column))
            i += 2
        elif char in "<>":
            tokens.append(_Token("operator", char, column))
            i += 1
        elif char in "=!":
            raise FilterError(f"{char!r} is not an operator; use == or !=", column)
        elif char in "\"'":
            value, i = _string(text, i)
            tokens.append(_Token("string", value, column))
        elif (number := _NUMBER.match(text, i)) is not None:
            tokens.append(_Token("number", number.group(), column))
            i = number.end()
        elif (word := _WORD.match(text, i)) is not None:
            i = word.end()
            rest = len(text) - len(text[i:].lstrip())
            if word.group().lower() in ("date", "now") and text.startswith("(", rest):
                close = text.find(")", rest)
                if close < 0:
                    raise FilterError(f"{word.group()}( is never closed with ')'", column)
                inner = text[rest + 1 : close]
                stripped = inner.strip().strip("\"'")
                at = rest + 2 + inner.find(stripped) if stripped else rest + 2
                tokens.append(_Token("function", word.group(), column, stripped, at))
                i = close + 1
            else:
                tokens.append(_Token("word", word.group(), column))
        else:
            raise FilterError(f"unexpected character {char!r}", column)
    tokens.append(_Token("end", "", size + 1))
    return tokens


def _string(text: str, start: int) -> tuple[str, int]:
    """A quoted string from ``text[start]``. A backslash escapes only the quote or a backslash;
    other backslashes stay, so a regular expression like ``"\\d+"`` is written as is."""
    quote, out, i = text[start], [], start + 1
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in (quote, "\\"):
            out.append(text[i + 1])
            i += 2
        elif char == quote:
            return "".join(out), i + 1
        else:
            out.append(char)
            i += 1
    raise FilterError(f"the string opened here is never closed with {quote}", start + 1)


def _shown(token: _Token) -> str:
    if token.kind == "end":
        return "the end of the filter"
    if token.kind == "string":
        return "a string"
    return repr(token.text)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0
        self.comparisons = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.at]

    def _keyword(self, *words: str) -> bool:
        token = self.token
        return token.kind == "word" and token.text.lower() in words

    def _symbol(self, char: str) -> bool:
        return self.token.kind == "symbol" and self.token.text == char

    def parse(self) -> Node:
        node = self._disjunction(0)
        if self.token.kind != "end":
            raise FilterError(
                f"expected 'and', 'or' or the end of the filter, found {_shown(self.token)}", self.token.column
            )
        return node

    def _disjunction(self, depth: int) -> Node:
        parts = [self._conjunction(depth)]
        while self._keyword("or"):
            self.at += 1
            parts.append(self._conjunction(depth))
        return parts[0] if len(parts) == 1 else Disjunction(tuple(parts))

    def _conjunction(self, depth: int) -> Node:
        parts = [self._term(depth)]
        while self._keyword("and"):
            self.at += 1
            parts.append(self._term(depth))
        return parts[0] if len(parts) == 1 else Conjunction(tuple(parts))

    def _term(self, depth: int) -> Node:
        token = self.token
        if self._symbol("("):
            if depth >= MAX_FILTER_DEPTH:
                raise FilterError(f"parentheses nest deeper than {MAX_FILTER_DEPTH}", token.column)
            self.at += 1
            node = self._disjunction(depth + 1)
            if not self._symbol(")"):
                raise FilterError(
                    f"expected ')' to close the '(' at column {token.column}, found {_shown(self.token)}",
                    self.token.column,
                )
            self.at += 1
            return node
        if token.kind == "word":
            return self._comparison()
        raise FilterError(f"expected an attribute name or '(', found {_shown(token)}", token.column)

    def _comparison(self) -> Comparison:
        name = self.token
        self.comparisons += 1
        if self.comparisons > MAX_COMPARISONS:
            raise FilterError(f"more than {MAX_COMPARISONS} comparisons", name.column)
        self.at += 1
        operator = self._operator(name)
        if operator.endswith("exists"):
            return Comparison(name.text, operator, None, name.column, self.tokens[self.at - 1].column)
        value_column = self.token.column
        value = self._list() if operator.endswith("in") else self._scalar(operator)
        return Comparison(name.text, operator, value, name.column, value_column)

    def _operator(self, name: _Token) -> str:
        token = self.token
        if token.kind == "operator":
            self.at += 1
            return token.text
        word = token.text.lower() if token.kind == "word" else ""
        if word in _WORD_OPERATORS:
            self.at += 1
            return word
        if word == "not":
            self.at += 1
            following = self.token.text.lower() if self.token.kind == "word" else ""
            if following not in _NEGATABLE:
                raise FilterError(
                    f"expected contains, in or exists after 'not', found {_shown(self.token)}", self.token.column
                )
            self.at += 1
            return f"not {following}"
        raise FilterError(
            f"expected an operator after {name.text!r} ({', '.join(OPERATORS)}), found {_shown(token)}",
            token.column,
        )

    def _list(self) -> tuple[Value, ...]:
        if not self._symbol("["):
            raise FilterError(f'expected a list like ["a", "b"], found {_shown(self.token)}', self.token.column)
        self.at += 1
        items: list[Value] = []
        if self._symbol("]"):
            self.at += 1
            return ()
        while True:
            if len(items) >= MAX_LIST_ITEMS:
                raise FilterError(f"a list holds at most {MAX_LIST_ITEMS} values", self.token.column)
            items.append(self._scalar("in"))
            if self._symbol(","):
                self.at += 1
            elif self._symbol("]"):
                self.at += 1
                return tuple(items)
            else:
                raise FilterError(f"expected ',' or ']' in the list, found {_shown(self.token)}", self.token.column)

    def _scalar(self, operator: str) -> Value:
        token = self.token
        self.at += 1
        if token.kind == "string":
            return token.text
        if token.kind == "number":
            return _number(token)
        if token.kind == "word" and token.text.lower() in ("true", "false"):
            return token.text.lower() == "true"
        if token.kind == "function":
            return _moment(token)
        if token.kind == "symbol" and token.text == "[":
            raise FilterError(f"a list goes with 'in' or 'not in', not {operator!r}", token.column)
        hint = "; quote text values" if token.kind == "word" else ""
        raise FilterError(f"expected a value after {operator!r}, found {_shown(token)}{hint}", token.column)


def _number(token: _Token) -> int | float:
    text = token.text
    if any(c in text for c in ".eE"):
        value = float(text)
        if not math.isfinite(value):
            raise FilterError(f"number {text} is out of range", token.column)
        return value
    number = int(text)
    if not -_INT_LIMIT <= number < _INT_LIMIT:
        raise FilterError(f"number {text} is out of range", token.column)
    return number


def _moment(token: _Token) -> datetime:
    if token.text.lower() == "date":
        try:
            return parse_time(token.argument)
        except ValueError:
            raise FilterError(
                "date(...) takes an RFC 3339 date or time, e.g. date(2019-06-17) or date(2019-06-17T10:00:00Z)",
                token.argument_column,
            ) from None
    argument = token.argument.replace(" ", "")
    sign = -1 if argument.startswith("-") else 1
    body = argument[1:] if argument[:1] in ("+", "-") else argument
    try:
        return now() + sign * (parse_duration(body) if argument else timedelta())
    except OverflowError:
        raise FilterError("now(...) duration is out of range", token.argument_column) from None
    except ValueError:
        raise FilterError(
            "now(...) takes a duration like -1h, -30m, +2d or -1h30m (units s, m, h, d)", token.argument_column
        ) from None


def parse_duration(text: str) -> timedelta:
    """``30m``, ``24h``, ``1h30m``, ``2d`` (units s, m, h, d): ValueError when it is not one,
    OverflowError when it is too long to be a time span. The grammar of ``now(...)`` too."""
    if _DURATIONS.fullmatch(text) is None or len(text) > 64:
        raise ValueError(f"not a duration: {text[:64]!r}")
    delta = timedelta()
    for amount, unit in _DURATION.findall(text):
        delta += timedelta(**{_UNITS[unit]: int(amount)})
    return delta


def parse(text: str) -> Node:
    """The tree of one filter; FilterError says where and why it is not one."""
    if len(text) > MAX_FILTER_LENGTH:
        raise FilterError(f"a filter is at most {MAX_FILTER_LENGTH} characters", MAX_FILTER_LENGTH + 1)
    if not text.strip():
        raise FilterError("the filter is empty", 1)
    return _Parser(text).parse()
