"""Every link between the pages of the built docs site leads somewhere: a page that exists, and
an id on it.

mkdocs checks the links of Markdown (``[text](page.md#anchor)``) but neither checks nor rewrites
one inside HTML, and the pages' tables are HTML (generator/docs_site/fence.py). This check is
stronger than mkdocs' own: it reads the links of each page as built, Markdown's and HTML's
alike, and checks the anchor too (mkdocs only warns about an unknown anchor, and only with
``validation.anchors``). Links leaving the site (``https:``, ``mailto:``) are not followed.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

# Python-Markdown, the theme and specgen write every attribute in double quotes.
_ID = re.compile(r'\sid="([^"]*)"')
_HREF = re.compile(r'\shref="([^"]*)"')


@dataclass
class SiteLinks:
    """The ids and links of every page, gathered as each is built, checked once all are."""

    ids: dict[str, set[str]] = field(default_factory=dict)  # page URL -> the ids in its content
    links: list[tuple[str, str]] = field(default_factory=list)  # (page URL, href as written)

    def add_page(self, url: str, content: str) -> None:
        """``url`` is the page's path in the site (``models/task.html``); ``content`` its HTML."""
        self.ids[url] = {html.unescape(found) for found in _ID.findall(content)}
        self.links.extend((url, html.unescape(found)) for found in _HREF.findall(content))

    def broken(self, files: set[str]) -> list[str]:
        """Each link that leads nowhere, as ``page: href: why``; ``files`` holds every other file of
        the site (its stylesheets, images...), which a link may name without an anchor."""
        problems = []
        for page, target in self.links:
            problem = self._problem(page, target, files)
            if problem:
                problems.append(f"{page}: {target}: {problem}")
        return problems

    def _problem(self, page: str, target: str, files: set[str]) -> str:
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            return ""  # outside the site
        path = unquote(parts.path)
        if not path:
            where = page
        elif path.startswith("/"):
            where = posixpath.normpath(path.lstrip("/"))
        else:
            where = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if path.endswith("/") or where == ".":  # a folder: its index page
            where = "index.html" if where == "." else f"{where}/index.html"
        ids = self.ids.get(where)
        if ids is None:
            return "" if where in files and not parts.fragment else f"no page {where}"
        anchor = unquote(parts.fragment)
        if anchor and anchor not in ids:
            return f"no id {anchor!r} on {where}"
        return ""
