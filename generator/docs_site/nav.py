"""The sidebar of a large API: a long section of pages (the models of a 250-model API) in groups.

Material renders the whole sidebar into every page. With a section of 250 models, that was
about 1.4 s of a 280-page build (80,000 calls of its ``nav-item`` macro, benchmarks/docs.py),
and a sidebar no reader scrolls. A section of more pages than ``most`` is cut, in its own
(alphabetical) order, into about sqrt(n) groups of about sqrt(n) pages, each labelled with
its first and last page ("Thing0000 to Thing0015", with an en dash), as a dictionary's spine is. With the theme's
``navigation.prune``, a page holds only its own group's pages and the other groups' labels,
and a label leads to its group's first page: every page two clicks away at most (and one from
the overview's table of models).
"""

from __future__ import annotations

import math

from mkdocs.structure import StructureItem
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page


def group_long_sections(items: list[StructureItem], most: int) -> list[Section]:
    """Cut every section of ``items`` (top level) that holds more than ``most`` pages and nothing
    else into groups, in place; answer the groups made, whose labels :func:`label_groups` writes
    once the pages' titles are known."""
    made: list[Section] = []
    for section in items:
        if not isinstance(section, Section) or len(section.children) <= most:
            continue
        if not all(isinstance(child, Page) for child in section.children):
            continue  # already grouped by its folders: left as its author made it
        pages = section.children
        size = math.ceil(len(pages) / math.ceil(math.sqrt(len(pages))))
        groups = []
        for start in range(0, len(pages), size):
            group = Section("", pages[start : start + size])
            group.parent = section
            for page in group.children:
                page.parent = group
            groups.append(group)
        section.children = list[StructureItem](groups)
        made.extend(groups)
    return made


def label_groups(groups: list[Section]) -> None:
    """Label each group with the titles of its first and last page (read from the pages by now)."""
    for group in groups:
        first, last = group.children[0], group.children[-1]
        group.title = f"{first.title} \N{EN DASH} {last.title}" if first is not last else str(first.title)
