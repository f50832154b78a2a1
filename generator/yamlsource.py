"""Load one YAML file into plain data while remembering where every node came from.

PyYAML's composer (the C one when libyaml is present) gives us nodes with marks; we turn
them into plain dicts/lists/scalars ourselves so that we can reject what a spec never needs
and what a hostile file uses to hurt us: duplicate keys, aliases (the "billion laughs"
bomb), non-standard tags such as ``!!python/object``, several documents, byte order marks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import yaml

from generator.errors import SpecError, SpecProblem

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _CLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _CLoader  # type: ignore[assignment]

Path = tuple[str | int, ...]

# The tags a spec may use: the ones YAML resolves implicitly for plain data.
_STR = "tag:yaml.org,2002:str"
_FLOAT = "tag:yaml.org,2002:float"
_ALLOWED_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    _FLOAT,
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
# An unquoted date or time stays the text it is written as (`example_value: 2019-06-17T10:00:00Z`).
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# YAML 1.2's booleans. PyYAML follows YAML 1.1, where yes, no, on, off (and their capitals) are
# booleans too; a spec follows 1.2 (as editors and JSON Schema tools do): those stay text, and
# a flag written so is refused, located, by the schema ("expected true or false").
_BOOL = "tag:yaml.org,2002:bool"
_YAML12_BOOLS = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
MAX_DEPTH = 64
MAX_BYTES = 1_000_000


# The implicit resolvers (tag, regexp) of the safe loader, by the first character they apply to.
_WILDCARD_RESOLVERS = tuple(_CLoader.yaml_implicit_resolvers.get(None, []))
_RESOLVERS_BY_FIRST_CHAR = {
    first: (*resolvers, *_WILDCARD_RESOLVERS)
    for first, resolvers in _CLoader.yaml_implicit_resolvers.items()
    if first is not None
}


class _Loader(_CLoader):
    """PyYAML's safe loader, with the tag resolution it does for every node made cheaper.

    The C composer asks Python for the tag of each node; PyYAML's general resolver also
    serves path resolvers, which the safe loader never has. Same answers: a property test
    holds them against PyYAML's own.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _RESOLVERS_BY_FIRST_CHAR.get(value[:1], _WILDCARD_RESOLVERS):
                    if regexp.match(value):
                        return tag  # type: ignore[no-any-return]
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Only path resolvers use this; there are none."""

    def ascend_resolver(self) -> None:
        """Only path resolvers use this; there are none."""


@dataclass
class Document:
    """Plain data of one file, and the YAML nodes it came from, to say where any value is."""

    file: str
    data: Any
    root: yaml.Node | None = None

    def where(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``path`` (of its key with ``key=True``);
        of the nearest ancestor that exists when it is absent.

        Positions are looked up in the node tree only when asked (an error or a name to
        compare), rather than recorded for every node of every file.
        """
        node = self.root
        if node is None:
            return (1, 1)
        found: list[tuple[yaml.Node, yaml.Node | None]] = [(node, None)]  # (value node, its key node)
        for part in path:
            child: tuple[yaml.Node, yaml.Node | None] | None = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == part and isinstance(key_node, yaml.ScalarNode):
                        child = (value_node, key_node)
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                child = (node.value[part], None)
            if child is None:
                break
            found.append(child)
            node = child[0]
        value_node, key_node = found[-1]
        mark = key_node.start_mark if key and key_node is not None else value_node.start_mark
        return (mark.line + 1, mark.column + 1)


def _problem(file: str, mark: yaml.Mark | None, message: str, fld: str = "") -> SpecProblem:
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return SpecProblem(file, line, col, fld, message)


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


# The safe constructors of plain scalars, called directly: construct_object() would keep every
# node it ever saw in a cache that only grows.
_scalar_constructor = yaml.SafeLoader("")
_CONSTRUCT_SCALAR = {tag: yaml.SafeLoader.yaml_constructors[tag] for tag in _ALLOWED_SCALAR_TAGS}


class _Converter:
    """Nodes to plain data, refusing what a spec never needs (see the module docstring)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.seen: set[int] = set()

    def fail(self, mark: yaml.Mark, message: str, path: Path) -> SpecError:
        return SpecError([_problem(self.file, mark, message, _dotted(path))])

    def convert(self, node: yaml.Node, path: Path, depth: int) -> Any:
        if id(node) in self.seen:
            line = node.start_mark.line + 1
            message = f"aliases are not allowed in specs (this repeats the anchored value at line {line}); write the value out"
            raise self.fail(node.start_mark, message, path)
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise self.fail(node.start_mark, f"nesting deeper than {MAX_DEPTH} levels", path)
        kind = type(node)
        if kind is yaml.MappingNode:
            if node.tag != _MAP:
                raise self.fail(node.start_mark, f"tag {node.tag!r} is not allowed; use a plain mapping", path)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is yaml.ScalarNode and key_node.value == "<<":
                    message = "merge keys (<<) are not allowed in specs; write the keys out"
                    raise self.fail(key_node.start_mark, message, path)
                if type(key_node) is not yaml.ScalarNode or key_node.tag != _STR:
                    raise self.fail(key_node.start_mark, "keys must be plain strings", path)
                key = key_node.value
                if key in result:
                    first = next(k for k, _ in node.value if k.value == key)
                    message = f"duplicate key {key!r} (first at line {first.start_mark.line + 1})"
                    raise self.fail(key_node.start_mark, message, (*path, key))
                result[key] = self.convert(value_node, (*path, key), depth + 1)
            return result
        if kind is yaml.SequenceNode:
            if node.tag != _SEQ:
                raise self.fail(node.start_mark, f"tag {node.tag!r} is not allowed; use a plain list", path)
            return [self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        tag = node.tag
        if tag == _STR:
            return node.value  # what construct_yaml_str would return, minus two calls
        if tag == _TIMESTAMP or (tag == _BOOL and node.value not in _YAML12_BOOLS):
            return node.value
        if tag not in _ALLOWED_SCALAR_TAGS:
            message = f"tag {tag!r} is not allowed; specs hold plain strings, numbers, booleans and null"
            raise self.fail(node.start_mark, message, path)
        try:
            value = _CONSTRUCT_SCALAR[tag](_scalar_constructor, node)
        except (ValueError, OverflowError) as exc:  # e.g. an integer of 5,000 digits
            message = f"cannot read the value {node.value[:20]!r}...: {str(exc).split(';')[0]}"
            raise self.fail(node.start_mark, message, path) from None
        if tag == _FLOAT and not math.isfinite(value):  # .inf, .nan: JSON, Python literals and SQL have none
            message = f"{node.value} is not a number a spec can hold; use a finite number"
            raise self.fail(node.start_mark, message, path)
        return value


def load_yaml(text_or_bytes: bytes, file: str) -> Document:
    """Parse one spec file; raise SpecError (never anything else) when it is not usable YAML."""
    if len(text_or_bytes) > MAX_BYTES:
        raise SpecError(
            [SpecProblem(file, 1, 1, "", f"file is {len(text_or_bytes):,} bytes; a spec may be at most {MAX_BYTES:,}")]
        )
    if text_or_bytes.startswith(b"\xef\xbb\xbf"):
        raise SpecError(
            [SpecProblem(file, 1, 1, "", "file starts with a byte order mark; save it as UTF-8 without BOM")]
        )
    try:
        text = text_or_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = text_or_bytes.count(b"\n", 0, exc.start) + 1
        col = exc.start - (text_or_bytes.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError(
            [
                SpecProblem(
                    file, line, col, "", f"invalid UTF-8 byte 0x{text_or_bytes[exc.start]:02x}; specs must be UTF-8"
                )
            ]
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SpecError([SpecProblem(file, line, 1, "", "file holds a NUL character; specs are text")])
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}: {what}"
        raise SpecError([_problem(file, mark, f"YAML syntax: {what}")]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. a control character
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        what = f"character U+{exc.character:04X} is not allowed in YAML" if isinstance(exc.character, int) else str(exc)
        raise SpecError([SpecProblem(file, line, col, "", what)]) from None
    except yaml.YAMLError as exc:
        raise SpecError([_problem(file, getattr(exc, "problem_mark", None), f"YAML: {exc}")]) from None
    except RecursionError:
        raise SpecError([SpecProblem(file, 1, 1, "", "document nests too deeply")]) from None
    if not nodes or nodes[0] is None:
        raise SpecError([SpecProblem(file, 1, 1, "", "file is empty; a spec is a YAML mapping")])
    if len(nodes) > 1:
        raise SpecError([_problem(file, nodes[1].start_mark, "a spec file holds one YAML document, found several")])
    return Document(file, _Converter(file).convert(nodes[0], (), 0), nodes[0])
