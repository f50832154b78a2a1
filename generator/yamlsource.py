"""Load one YAML file into plain data while remembering where every node came from.

PyYAML's composer (the C one when libyaml is present) gives us nodes with marks; we turn
them into plain dicts/lists/scalars ourselves so that we can reject what a spec never needs
and what a hostile file uses to hurt us: duplicate keys, aliases (the "billion laughs"
bomb), non-standard tags such as ``!!python/object``, several documents, byte order marks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.errors import SpecError, SpecProblem

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]

# The tags a spec may use: the ones YAML resolves implicitly for plain data.
_STR = "tag:yaml.org,2002:str"
_ALLOWED_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
# An unquoted date or time stays the text it is written as (`example_value: 2019-06-17T10:00:00Z`).
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
MAX_DEPTH = 64
MAX_BYTES = 1_000_000


@dataclass
class Document:
    """Plain data of one file, with the 1-based (line, column) of each value and each key."""

    file: str
    data: Any
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Position of the node at ``path``; the nearest known ancestor when it is absent."""
        table = self.keys if key else self.values
        probe = path
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))


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
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[int] = set()

    def convert(self, node: yaml.Node, path: Path, depth: int) -> Any:
        mark = node.start_mark
        if id(node) in self.seen:
            message = f"aliases are not allowed in specs (this repeats the anchored value at line {mark.line + 1}); write the value out"
            raise SpecError([_problem(self.doc.file, mark, message, _dotted(path))])
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise SpecError([_problem(self.doc.file, mark, f"nesting deeper than {MAX_DEPTH} levels", _dotted(path))])
        self.doc.values[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                raise SpecError(
                    [
                        _problem(
                            self.doc.file, mark, f"tag {node.tag!r} is not allowed; use a plain mapping", _dotted(path)
                        )
                    ]
                )
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<":
                    message = "merge keys (<<) are not allowed in specs; write the keys out"
                    raise SpecError([_problem(self.doc.file, key_node.start_mark, message, _dotted(path))])
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                    message = "keys must be plain strings"
                    raise SpecError([_problem(self.doc.file, key_node.start_mark, message, _dotted(path))])
                key = key_node.value
                child = (*path, key)
                if key in result:
                    first = self.doc.keys[child]
                    raise SpecError(
                        [
                            _problem(
                                self.doc.file,
                                key_node.start_mark,
                                f"duplicate key {key!r} (first at line {first[0]})",
                                _dotted(child),
                            )
                        ]
                    )
                self.doc.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key] = self.convert(value_node, child, depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise SpecError(
                    [_problem(self.doc.file, mark, f"tag {node.tag!r} is not allowed; use a plain list", _dotted(path))]
                )
            return [self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag == _TIMESTAMP:
            return node.value
        if node.tag not in _ALLOWED_SCALAR_TAGS:
            message = f"tag {node.tag!r} is not allowed; specs hold plain strings, numbers, booleans and null"
            raise SpecError([_problem(self.doc.file, mark, message, _dotted(path))])
        try:
            if node.tag == _STR:
                return node.value  # what construct_yaml_str would return, minus two calls
            return _CONSTRUCT_SCALAR[node.tag](_scalar_constructor, node)
        except (ValueError, OverflowError) as exc:  # e.g. an integer of 5,000 digits
            message = f"cannot read the value {node.value[:20]!r}...: {str(exc).split(';')[0]}"
            raise SpecError([_problem(self.doc.file, mark, message, _dotted(path))]) from None


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
    doc = Document(file, None)
    doc.data = _Converter(doc).convert(nodes[0], (), 0)
    return doc
