"""Spec documents as canonical YAML text: what an importer writes.

One layout for every file of a kind: keys in the order their JSON Schema lists them, text
wrapped to the width, short lists and values in flow style, a blank line between attributes;
the ``# yaml-language-server: $schema=...`` line first. The same data always gives the same
bytes. :func:`spec_text` reads its own output back and refuses to return text that does not
hold exactly the data it was given.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import yaml

from generator import validate

WIDTH = 96  # the longest line text is wrapped to (a longer word, URL or value stays whole)
_TEXT_KEYS = frozenset({"description", "message", "pattern_message"})  # prose: wrapped when long
_SPACED_LISTS = frozenset({"attributes", "relations"})  # top-level lists whose items get a blank line between
_SECTIONS = frozenset({"attributes", "relations", "indexes", "parameters", "validators"})  # a blank line before
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = frozenset(",[]{}")
_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
try:
    from yaml import CSafeLoader as _FastLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _FastLoader  # type: ignore[assignment]


def spec_text(kind: str, data: dict[str, Any], *, schema_ref: str | None = None, comment: str = "") -> str:
    """The canonical text of one spec document of ``kind`` (api, model, type or abstract).

    ``schema_ref`` is where the ``$schema`` line points (a path relative to the file, or a
    URL); ``comment`` adds lines of ``#`` comment after it.
    """
    lines: list[str] = []
    if schema_ref is not None:
        lines.append(f"# yaml-language-server: $schema={schema_ref}")
    lines += [f"# {line}".rstrip() for line in comment.splitlines()]
    root = validate.schema(kind)
    for index, key in enumerate(_ordered(data, root)):
        if index and key in _SECTIONS:
            lines.append("")
        lines += _emit_entry(key, data[key], _child(root, key), 0, top=True)
    text = "\n".join(lines) + "\n"
    _check_round_trip(text, data, kind)
    return text


def _check_round_trip(text: str, data: dict[str, Any], kind: str) -> None:
    """PyYAML's own reader (YAML 1.1: yes is true, 2019-06-17 a date), stricter than the specs'
    loader: text that reads back the same under both is plain to any tool."""
    try:
        back = yaml.load(text, Loader=_FastLoader)
    except yaml.YAMLError as exc:  # pragma: no cover - a bug in this module
        raise AssertionError(f"canonical YAML of a {kind} does not parse: {exc}\n{text}") from None
    if not _same(back, data):  # pragma: no cover - a bug in this module
        raise AssertionError(f"canonical YAML of a {kind} does not hold its data:\n{text}")


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values: 1 and 1.0 differ, True and 1 differ."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return set(a) == set(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


# --- the schema as a guide to key order -------------------------------------------------------


def _resolve(node: Any, root: dict[str, Any]) -> dict[str, Any]:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/$defs/"):
        node = root["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node if isinstance(node, dict) else {}


class _Node:
    """A place in a schema: its (resolved) subschema and the whole schema for $refs."""

    __slots__ = ("root", "schema")

    def __init__(self, schema: dict[str, Any], root: dict[str, Any]) -> None:
        self.schema = _resolve(schema, root)
        self.root = root

    def branch_for(self, value: Any) -> _Node:
        """For anyOf/oneOf: the alternative of the value's JSON type."""
        for keyword in ("anyOf", "oneOf"):
            for option in self.schema.get(keyword, ()):
                resolved = _resolve(option, self.root)
                expected = resolved.get("type")
                if (isinstance(value, dict) and expected == "object") or (
                    isinstance(value, list) and expected == "array"
                ):
                    return _Node(resolved, self.root)
        return self


def _child(root: dict[str, Any] | _Node, key: str) -> _Node:
    node = root if isinstance(root, _Node) else _Node(root, root)
    schema = node.schema
    properties = schema.get("properties", {})
    if key in properties:
        return _Node(properties[key], node.root)
    extra = schema.get("additionalProperties")
    return _Node(extra if isinstance(extra, dict) else {}, node.root)


def _ordered(data: dict[str, Any], where: dict[str, Any] | _Node) -> list[str]:
    """The keys of a mapping in canonical order: as the schema lists its properties (or the
    enum of its property names), then any others sorted."""
    node = where if isinstance(where, _Node) else _Node(where, where)
    schema = node.schema
    listed = list(schema.get("properties", {}))
    names = _resolve(schema.get("propertyNames", {}), node.root).get("enum")
    if isinstance(names, list):
        listed += [str(n) for n in names]
    rank = {key: i for i, key in enumerate(listed)}
    return sorted(data, key=lambda k: (rank.get(k, len(rank)), k))


def _item_node(node: _Node) -> _Node:
    items = node.schema.get("items")
    return _Node(items if isinstance(items, dict) else {}, node.root)


# --- emitting ---------------------------------------------------------------------------------


def _emit_entry(key: str, value: Any, node: _Node, indent: int, *, top: bool = False) -> list[str]:
    """``key: value`` at ``indent``, as one line or a block."""
    pad = " " * indent
    prefix = f"{pad}{_key(key)}:"
    node = node.branch_for(value)
    if isinstance(value, dict) and value:
        if _is_free(node) and (flow := _flow(value)) is not None and len(prefix) + 1 + len(flow) <= WIDTH:
            return [f"{prefix} {flow}"]
        lines = [prefix]
        for sub in _ordered(value, node):
            lines += _emit_entry(sub, value[sub], _child(node, sub), indent + 2)
        return lines
    if isinstance(value, list) and value:
        flow = _flow(value)
        if flow is not None and len(prefix) + 1 + len(flow) <= WIDTH and not _has_mapping(value):
            return [f"{prefix} {flow}"]
        lines = [prefix]
        item_node = _item_node(node)
        spaced = top and key in _SPACED_LISTS
        for index, item in enumerate(value):
            if spaced and index:
                lines.append("")
            lines += _emit_item(item, item_node, indent + 2)
        return lines
    if isinstance(value, str):
        return _string_lines(prefix, value, indent + 2, prose=key in _TEXT_KEYS)
    return [f"{prefix} {_inline(value)}"]


def _emit_item(value: Any, node: _Node, indent: int) -> list[str]:
    """One list item, ``- value``, at ``indent``."""
    pad = " " * indent
    node = node.branch_for(value)
    if isinstance(value, dict) and value:
        flow = _flow(value) if _is_free(node) else None
        if flow is not None and indent + 2 + len(flow) <= WIDTH:
            return [f"{pad}- {flow}"]
        lines: list[str] = []
        for position, sub in enumerate(_ordered(value, node)):
            entry = _emit_entry(sub, value[sub], _child(node, sub), indent + 2)
            if position == 0:
                entry[0] = f"{pad}- {entry[0][indent + 2 :]}"
            lines += entry
        return lines
    if isinstance(value, list) and value:
        flow = _flow(value)
        if flow is not None and indent + 2 + len(flow) <= WIDTH:
            return [f"{pad}- {flow}"]
        inner = _item_node(node)
        lines = []
        for position, item in enumerate(value):
            entry = _emit_item(item, inner, indent + 2)
            if position == 0:
                entry[0] = f"{pad}- {entry[0][indent + 2 :]}"
            lines += entry
        return lines
    if isinstance(value, str):
        return _string_lines(f"{pad}-", value, indent + 2, prose=False)
    return [f"{pad}- {_inline(value)}"]


def _is_free(node: _Node) -> bool:
    """A value of any shape (default_value, example_value): no schema of its own to follow."""
    return "properties" not in node.schema and not isinstance(node.schema.get("additionalProperties"), dict)


def _has_mapping(values: list[Any]) -> bool:
    return any(isinstance(v, dict) for v in values)


def _key(key: str) -> str:
    return key if _plain_ok(key, flow=True) else _quoted(key)


def _inline(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} has no place in a spec")
        text = repr(value)  # 0.5, 2.0, 1e-05, 1e+20
        mantissa, e, exponent = text.partition("e")
        if "." not in mantissa:  # YAML 1.1 reads a float only with a dot: 1.0e-05
            mantissa += ".0"
        return f"{mantissa}{e}{exponent}"
    if isinstance(value, str):
        return value if _plain_ok(value, flow=False) else _quoted(value)
    if value == [] or value == {}:
        return "[]" if isinstance(value, list) else "{}"
    raise TypeError(f"not a JSON value: {value!r}")


def _flow(value: Any) -> str | None:
    """The value in flow style on one line, or None when it holds text that needs a block."""
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            inner = _flow(item)
            if inner is None:
                return None
            parts.append(f"{key if _plain_ok(key, flow=True) else _quoted(key)}: {inner}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        items = [_flow(item) for item in value]
        if any(item is None for item in items):
            return None
        return "[" + ", ".join(item for item in items if item is not None) + "]"
    if isinstance(value, str):
        if "\n" in value:
            return None
        return value if _plain_ok(value, flow=True) else _quoted(value)
    return _inline(value)


@functools.lru_cache(maxsize=8192)  # names, types and flags recur in every file
def _plain_ok(text: str, *, flow: bool) -> bool:
    """Whether ``text`` reads back as the same string when written without quotes."""
    if not text or text != text.strip() or not text.isprintable():
        return False
    first = text[0]
    if first in _INDICATORS and not (first in "-?:" and len(text) > 1 and text[1] not in " ,[]{}"):
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\t" in text:
        return False
    if flow and (any(c in _FLOW_INDICATORS for c in text) or ":" in text):
        return False
    # YAML 1.1 resolvers (as PyYAML and many editors read): yes, on, 1.0, 2019-06-17 stay text only quoted.
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag == _STR_TAG


def _quoted(text: str) -> str:
    if text.isprintable() and "\t" not in text:
        return "'" + text.replace("'", "''") + "'"
    return '"' + "".join(_escaped(c) for c in text) + '"'


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}


def _escaped(char: str) -> str:
    """One character inside a double-quoted YAML scalar."""
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if char.isprintable():
        return char
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _string_lines(prefix: str, text: str, indent: int, *, prose: bool) -> list[str]:
    """``prefix value`` for a string: inline when it fits (or cannot be a block), else a folded
    block for prose on one line, a literal block for text of several lines."""
    inline = text if _plain_ok(text, flow=False) else _quoted(text)
    if "\n" in text:
        block = _literal(text, indent)
        if block is not None:
            return [f"{prefix} {block[0]}", *block[1:]]
        return [f"{prefix} {inline}"]
    if len(prefix) + 1 + len(inline) <= WIDTH or not prose:
        return [f"{prefix} {inline}"]
    block = _folded(text, indent)
    return [f"{prefix} {block[0]}", *block[1:]] if block is not None else [f"{prefix} {inline}"]


def _folded(text: str, indent: int) -> list[str] | None:
    """``>-`` and the text wrapped to the width: only text a fold gives back exactly (single
    spaces between words, none at the ends)."""
    if text != text.strip() or "  " in text or not text.isprintable() or not text:
        return None
    pad = " " * indent
    lines: list[str] = [">-"]
    current = ""
    for word in text.split(" "):
        if current and len(pad) + len(current) + 1 + len(word) > WIDTH:
            lines.append(pad + current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(pad + current)
    return lines


def _literal(text: str, indent: int) -> list[str] | None:
    """``|`` (with its chomping) and the lines as they are; None for text a literal block
    cannot hold exactly (carriage returns, lines of only spaces, control characters)."""
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    if not body or "\r" in text or trailing > 1:  # kept blank lines would swallow the layout's
        return None
    lines = body.split("\n")
    for line in lines:
        if line and (not line.strip() or not line.replace("\t", " ").isprintable()):
            return None
    chomp = "-" if trailing == 0 else ""
    first = next(line for line in lines if line)
    header = "|" + ("2" if first[0] in " \t" else "") + chomp  # else the first line's spaces set the indentation
    pad = " " * indent
    return [header] + [pad + line if line else "" for line in lines]
