"""The ``specgen`` mkdocs plugin (``plugins: [specgen]`` in mkdocs.yml): the sidebar of a large
API in groups (generator/docs_site/nav.py); the examples' tab sets as HTML, the same HTML at a
third of the cost (generator/docs_site/tabs.py); and every link of the built pages checked
(generator/docs_site/links.py): a broken one fails the build, as ``mkdocs build --strict``
fails on a broken Markdown link.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from generator.docs_site.links import SiteLinks
from generator.docs_site.nav import group_long_sections, label_groups
from generator.docs_site.tabs import tabs_as_html


# mkdocs' Config and BasePlugin set their subclasses up in an untyped __init_subclass__.
class SpecgenConfig(Config):  # type: ignore[no-untyped-call]
    # A section of more pages than this is shown in groups (about sqrt(n) of them); 0: never.
    group_above = config_options.Type(int, default=30)
    check_links = config_options.Type(bool, default=True)
    # The examples' tab sets written as HTML before Python-Markdown reads the page (tabs.py).
    tabs_as_html = config_options.Type(bool, default=True)


class SpecgenPlugin(BasePlugin[SpecgenConfig]):  # type: ignore[no-untyped-call]
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._links = SiteLinks()
        self._groups: list[Section] = []
        self._files: set[str] = set()

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._files = {file.dest_uri for file in files}
        if self.config.group_above:
            self._groups = group_long_sections(nav.items, self.config.group_above)
        return nav

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return tabs_as_html(markdown) if self.config.tabs_as_html else markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.config.check_links:
            self._links.add_page(page.file.dest_uri, html)
        return html

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        label_groups(self._groups)  # every page read by now: their titles are known
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.check_links:
            return
        broken = self._links.broken(self._files)
        if broken:
            shown = "\n  ".join(broken[:50]) + (f"\n  ... and {len(broken) - 50} more" if len(broken) > 50 else "")
            raise PluginError(f"specgen: {len(broken)} broken link(s) in the built pages:\n  {shown}")
