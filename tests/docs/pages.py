"""Helpers for the docs tests: build the site into a folder, read pages back.

``examples(markdown)`` pulls the tabbed code examples out of a generated page, the way a
reader copies them; ``Html`` is a small element tree of a built page (stdlib parser only).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from tests.conftest import ROOT

_HEADING = re.compile(r"^#{2,4} (?P<title>.+?)(?: \{ #[^}]+ \})?$")
_TAB = re.compile(r'^=== "(?P<label>[^"]+)"$')
_FENCE_OPEN = re.compile(r"^ {4}```(?P<lang>\w+)$")


@dataclass(frozen=True)
class Example:
    section: str  # the heading the example sits under, e.g. "Retrieve all Activities"
    tab: str  # "apoctl", "Go", "Python", "curl"
    language: str  # the fence's language
    code: str


def examples(markdown: str) -> list[Example]:
    """Every code block inside a content tab, with the heading and tab it belongs to."""
    lines = markdown.splitlines()
    found: list[Example] = []
    section = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = _HEADING.match(line)
        if heading:
            section = heading["title"]
        tab = _TAB.match(line)
        if tab:
            index += 1
            while index < len(lines) and not lines[index].strip():
                index += 1
            fence = _FENCE_OPEN.match(lines[index])
            if not fence:
                raise AssertionError(f"tab {tab['label']!r} under {section!r} holds no fenced code block")
            body: list[str] = []
            index += 1
            while lines[index] != "    ```":
                body.append(lines[index].removeprefix("    "))
                index += 1
            found.append(Example(section, tab["label"], fence["lang"], "\n".join(body) + "\n"))
        index += 1
    return found


def mkdocs_build(
    docs_dir: Path, site_dir: Path, edit_config: Callable[[str], str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` with the project's mkdocs.yml (changed by ``edit_config``), pointed at another docs folder."""
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    if edit_config is not None:
        config = edit_config(config)
    config, count = re.subn(r"(?m)^docs_dir:.*$", f"docs_dir: {docs_dir.as_posix()!s}", config)
    assert count == 1, "mkdocs.yml has no docs_dir line"
    config_file = site_dir.parent / f"{site_dir.name}-mkdocs.yml"
    config_file.write_text(config, "utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(site_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text content, whitespace collapsed (what a reader sees)."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            else:  # a <br> is a line break: whitespace, as a reader sees it
                parts.append(" " if child.tag == "br" else child.text)
        return " ".join("".join(parts).split())

    def iter(self, tag: str | None = None) -> list[Element]:
        out: list[Element] = []
        for child in self.children:
            if isinstance(child, Element):
                if tag is None or child.tag == tag:
                    out.append(child)
                out.extend(child.iter(tag))
        return out

    def find_id(self, element_id: str) -> Element:
        for element in self.iter():
            if element.attrs.get("id") == element_id:
                return element
        raise KeyError(element_id)

    def following(self, parent: Element, tag: str) -> Element:
        """The first sibling after this element, in ``parent``, with this tag."""
        siblings = [c for c in parent.children if isinstance(c, Element)]
        for sibling in siblings[siblings.index(self) + 1 :]:
            if sibling.tag == tag:
                return sibling
        raise KeyError(tag)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Element:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


def parent_of(root: Element, target: Element) -> Element:
    for element in [root, *root.iter()]:
        if any(child is target for child in element.children):
            return element
    raise KeyError(target.tag)


def table_rows(table: Element) -> list[list[str]]:
    return [[cell.text for cell in row.children if isinstance(cell, Element)] for row in table.iter("tr")]


# The labels of an attribute row's values, beside its flags (generator/targets/docs.py, attribute_properties).
FACT_LABELS = (
    "choices",
    "unique_scope",
    "Python field",
    "exposed name",
    "default_value",
    "example_value",
    "min_length",
    "max_length",
    "min_value",
    "max_value",
)


@dataclass
class AttributeRow:
    """One row of an attributes table, read back: what a reader sees in each of its four cells."""

    name: Element  # the first cell
    type: Element  # the second
    description: str  # the first lines of the third, whitespace collapsed
    notes: list[str]  # its lines that say what a flag or a validator means ("Write-only: ...")
    facts: dict[str, str]  # its last line, by label: {"Python field": "id", "choices": "a, b"}
    flags: dict[str, str]  # the fourth cell: each flag's group, "true", "false" or "unset"
    shown: list[str]  # every property the row shows, in order (a property shown twice is there twice)


def _lines(cell: Element) -> list[list[Element | str]]:
    lines: list[list[Element | str]] = [[]]
    for child in cell.children:
        if isinstance(child, Element) and child.tag == "br":
            lines.append([])
        else:
            lines[-1].append(child)
    return lines


def _text_of(parts: list[Element | str]) -> str:
    return " ".join("".join(p if isinstance(p, str) else p.text for p in parts).split())


def attribute_row(root: Element, element_id: str) -> AttributeRow:
    """The row of the attributes table whose name cell holds ``element_id`` (``attribute-ID``)."""
    target = root.find_id(element_id)
    row = next(tr for tr in root.iter("tr") if any(e is target for e in tr.iter()))
    cells = [c for c in row.children if isinstance(c, Element) and c.tag == "td"]
    assert len(cells) == 4, [c.text for c in cells]
    lines = _lines(cells[2])
    *text_lines, fact_line = lines
    notes = [_text_of(line) for line in text_lines if line and isinstance(line[0], Element) and line[0].tag == "strong"]
    description = _text_of([p for line in text_lines[: len(text_lines) - len(notes)] for p in [*line, " "]])
    facts: dict[str, str] = {}
    shown: list[str] = ["type"]
    label = ""
    for part in fact_line:
        if isinstance(part, str):
            words = part.replace("·", " ").replace(",", " ").strip()
            if words:
                label = words
                assert label in FACT_LABELS, f"{element_id}: unknown label {label!r} in {_text_of(fact_line)!r}"
                shown.append(label)
                facts[label] = ""
        else:
            facts[label] = f"{facts[label]}, {part.text}" if facts[label] else part.text
    flags: dict[str, str] = {}
    value = ""
    for part in cells[3].children:
        if isinstance(part, Element) and part.tag == "strong":
            value = part.attrs.get("class", "").removeprefix("sg-")
            assert part.text == value, (element_id, part.text, value)
        elif isinstance(part, str):
            for name in part.split():
                flags[name] = value
                shown.append(name)
    return AttributeRow(cells[0], cells[1], description, notes, facts, flags, shown)
