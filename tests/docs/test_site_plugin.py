"""The specgen mkdocs plugin: every link of the built pages leads to a page and an id that
exist (the tables' links are HTML, which mkdocs does not check); the examples' tab sets, turned
into HTML before Python-Markdown reads them, come out as pymdownx.tabbed would make them; and a
long list of models is shown in groups in the sidebar, every model two clicks away at most."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from benchmarks.synthetic_specs import write_specs
from generator.docs_site.links import SiteLinks
from generator.docs_site.tabs import tabs_as_html
from generator.load import load_api
from generator.render import Templates
from generator.targets import render_all
from tests.docs.conftest import write_tree
from tests.docs.pages import Element, mkdocs_build, parse_html
from tests.docs.test_whole_api import built as whole_api_built  # noqa: F401  (the module's fixture, shared)

# --- the check, on its own -------------------------------------------------------------------


def _links(pages: dict[str, str]) -> SiteLinks:
    links = SiteLinks()
    for url, content in pages.items():
        links.add_page(url, content)
    return links


def test_links_to_pages_and_ids_that_exist_pass() -> None:
    links = _links(
        {
            "index.html": '<a href="models/task.html">Task</a> <a href="models/task.html#attribute-ID">ID</a>'
            ' <a href="#models">up</a> <h2 id="models">Models</h2>',
            "models/task.html": '<code id="attribute-ID">ID</code> <a href="../index.html#models">back</a>'
            ' <a href="../assets/specgen.css">css</a> <a href="https://example.com/x.html#nowhere">out</a>'
            ' <a href="mailto:someone@example.com">mail</a> <a href="./">top</a>',
            "models/index.html": "",
        }
    )
    assert links.broken({"assets/specgen.css"}) == []


def test_a_link_to_a_missing_page_or_id_is_reported_with_its_page() -> None:
    links = _links(
        {
            "index.html": '<a href="models/gone.html">Gone</a> <a href="models/task.html#attribute-nope">?</a>',
            "models/task.html": '<code id="attribute-ID">ID</code> <a href="#attribute-ID">ok</a>'
            ' <a href="#attribute-I&amp;D">escaped</a> <a href="../assets/specgen.css#x">css</a>',
        }
    )
    assert links.broken({"assets/specgen.css"}) == [
        "index.html: models/gone.html: no page models/gone.html",
        "index.html: models/task.html#attribute-nope: no id 'attribute-nope' on models/task.html",
        "models/task.html: #attribute-I&D: no id 'attribute-I&D' on models/task.html",
        "models/task.html: ../assets/specgen.css#x: no page assets/specgen.css",
    ]


# --- the built sites -------------------------------------------------------------------------


def _every_link_resolves(site: Path) -> None:
    """Every link of every built page, the theme's navigation included, read from the files."""
    pages = {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in site.rglob("*.html")}
    others = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.suffix != ".html"}
    links = _links(pages)
    assert len(links.links) > 10 * len(pages)
    assert links.broken(others) == []


def test_every_link_of_the_squall_site_resolves(site: Path) -> None:
    _every_link_resolves(site)


def test_every_link_of_the_whole_api_site_resolves(whole_api_built: tuple[Path, Path]) -> None:  # noqa: F811
    docs, site = whole_api_built
    assert "```specgen-html" in (docs / "index.md").read_text("utf-8")  # its tables' links are HTML
    _every_link_resolves(site)


def test_a_broken_link_in_a_table_fails_the_build(generated: Path, tmp_path: Path) -> None:
    docs = shutil.copytree(generated / "docs", tmp_path / "docs")
    page = docs / "index.md"
    text = page.read_text("utf-8")
    assert '<a href="models/activity.html">' in text  # a table's link, which mkdocs does not check
    page.write_text(text.replace('<a href="models/activity.html">', '<a href="models/activitty.html">'), "utf-8")
    model = docs / "models" / "activity.md"
    text = model.read_text("utf-8")
    assert '<code id="attribute-ID">' in text
    model.write_text(text.replace('<code id="attribute-ID">', '<code id="attribute-id">'), "utf-8")
    result = mkdocs_build(docs, tmp_path / "site")
    assert result.returncode == 1, result.stderr
    assert "specgen: 2 broken link(s) in the built pages:" in result.stderr
    assert "index.html: models/activitty.html: no page models/activitty.html" in result.stderr
    assert "models/activity.html: #attribute-ID: no id 'attribute-ID' on models/activity.html" in result.stderr


# --- the examples' tab sets ------------------------------------------------------------------


def _article(path: Path) -> str:
    """The page's content as built, whitespace between tags left out."""
    text = path.read_text("utf-8")
    return re.sub(r">\s+<", "><", text[text.index("<article") : text.index("</article>")])


def _without_tabs_as_html(config: str) -> str:
    config, count = re.subn(r"(?m)^  - specgen$", "  - specgen:\n      tabs_as_html: false", config)
    assert count == 1, "mkdocs.yml lists no specgen plugin"
    return config


def test_tab_sets_as_html_are_what_pymdownx_tabbed_makes_of_them(
    whole_api_built: tuple[Path, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    docs, site = whole_api_built
    markdown = (docs / "models" / "project.md").read_text("utf-8")
    assert '=== "' in markdown and "specgen-html" in tabs_as_html(markdown)  # its examples are turned
    plain = mkdocs_build(docs, tmp_path / "site", edit_config=_without_tabs_as_html)
    assert plain.returncode == 0, plain.stderr
    pages = sorted(p.relative_to(site) for p in site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert _article(site / page) == _article(tmp_path / "site" / page), page


def test_a_page_with_a_tab_of_another_shape_is_left_to_pymdownx_tabbed() -> None:
    plain = 'Example:\n\n=== "Go"\n\n    ```go\n    package main\n    ```\n\n=== "curl"\n\n    ```shell\n    curl -sS "$URL"\n    ```\n'
    turned = tabs_as_html(plain)
    assert '<label for="__tabbed_1_2">my_ctl</label>' in tabs_as_html(plain.replace('=== "curl"', '=== "my_ctl"'))
    assert turned.startswith('Example:\n\n```specgen-html\n<div class="tabbed-set tabbed-alternate" data-tabs="1:2">')
    assert "curl -sS &quot;" not in turned and 'curl -sS "$URL"' in turned  # quotes as pymdownx leaves them
    for other in (
        plain.replace("    package main\n", "    package main\n\nA paragraph.\n"),  # prose in a tab
        plain.replace('=== "Go"', '=== "*Go*"'),  # a label with Markdown in it
        plain.replace('=== "Go"', '=== "Go _lang_"'),  # emphasis too
        plain + '\n=== "Shell"\n\n    Some text\n',  # a tab without a fence
    ):
        assert tabs_as_html(other) == other
    in_code = '```text\n=== "not a tab"\n```\n' + plain
    assert tabs_as_html(in_code).startswith('```text\n=== "not a tab"\n```\nExample:\n\n```specgen-html\n')
    with_backticks = tabs_as_html(plain.replace("package main", "echo ```"))  # the set is one line in its fence
    assert with_backticks.splitlines()[2:5] == ["```specgen-html", with_backticks.splitlines()[3], "```"]
    assert "echo ```" in with_backticks.splitlines()[3]


# --- the sidebar of a large API --------------------------------------------------------------


def _sidebar_models(root: Element) -> list[tuple[str, str, list[str]]]:
    """The Models section of the sidebar: (group label, where the label leads, the pages it shows)."""
    nav = next(e for e in root.iter("nav") if "md-nav--primary" in e.attrs.get("class", ""))
    top = next(e for e in nav.iter("ul") if "md-nav__list" in e.attrs.get("class", ""))
    section = next(
        item
        for item in top.children
        if isinstance(item, Element) and any(e.tag == "label" and e.text == "Models" for e in item.iter())
    )
    groups = section.iter("ul")[0]
    out = []
    for item in (c for c in groups.children if isinstance(c, Element) and c.tag == "li"):
        label = next(e for e in item.iter() if e.tag in ("a", "label") and e.text)
        pages = [a.text for ul in item.iter("ul") for a in ul.iter("a") if a.attrs.get("href", "").endswith(".html")]
        out.append((label.text, label.attrs.get("href", ""), pages))
    return out


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("large")
    api = load_api(write_specs(folder / "specs", 40))
    write_tree(folder, render_all(api, Templates(), only=["docs"])["docs"])
    result = mkdocs_build(folder / "docs", folder / "site")
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return folder / "site"


def test_a_long_list_of_models_is_shown_in_groups_each_page_with_its_own(large_site: Path) -> None:
    models = [f"Thing{i:04d}" for i in range(40)]
    # 40 models: 7 groups of 6 (the last of 4), labelled by their first and last model.
    labels = [f"{models[i]} \N{EN DASH} {models[min(i + 5, 39)]}" for i in range(0, 40, 6)]
    reached: set[str] = set()
    for index, name in enumerate(models):
        root = parse_html((large_site / "models" / f"{name.lower()}.html").read_text("utf-8"))
        groups = _sidebar_models(root)
        assert [label for label, _, _ in groups] == labels
        own = index // 6
        for number, (_, href, pages) in enumerate(groups):
            if number == own:  # its own group, open: every page of it
                assert pages == models[own * 6 : own * 6 + 6]
                reached.update(pages)
            else:  # another, pruned: its label leads to its first page, where it is open
                assert pages == []
                assert href == f"{models[number * 6].lower()}.html"
    assert reached == set(models)
