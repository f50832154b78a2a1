"""Helpers for the docs tests: build the site into a folder, read pages back.

``examples(markdown)`` pulls the tabbed code examples out of a generated page, the way a
reader copies them; ``Html`` is a small element tree of a built page (stdlib parser only).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
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


def mkdocs_build(docs_dir: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` with the project's mkdocs.yml, pointed at another docs folder."""
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
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
