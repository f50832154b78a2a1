"""The docs site builds with ``mkdocs build --strict`` and holds the pages a reader looks for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator import starter
from generator.docs_site.fence import passthrough
from generator.load import load_api
from generator.render import Templates
from generator.targets.docs import title
from tests.conftest import ROOT, SPECS
from tests.docs.pages import Element, parse_html, table_rows

PAGES = ["index.html", "reference/api.html", "reference/spec-format.html", "reference/coming-from-regolithe.html"]


def test_site_has_overview_model_pages_reference_and_search(site: Path) -> None:
    api = load_api(SPECS)
    for page in [*PAGES, *(f"models/{m.name}.html" for m in api.models)]:
        assert (site / page).is_file(), f"{page} missing from the built site"
    assert (site / "search" / "search_index.json").is_file(), "the search plugin did not run"
    for asset in ("assets/specgen.css", "assets/specgen.js"):
        assert (site / asset).is_file(), asset


def _links(element: Element) -> list[str]:
    """The link texts below an element, leaving out a page's own table of contents."""
    out: list[str] = []
    for child in element.children:
        if not isinstance(child, Element) or "md-nav--secondary" in child.attrs.get("class", ""):
            continue
        if child.tag == "a" and child.text:
            out.append(child.text)
        out.extend(_links(child))
    return out


def _nav(root: Element) -> list[tuple[str, list[str]]]:
    """The primary navigation as a reader sees it: top-level entries, each with its pages."""
    nav = next(e for e in root.iter("nav") if "md-nav--primary" in e.attrs.get("class", ""))
    top = next(e for e in nav.iter("ul") if "md-nav__list" in e.attrs.get("class", ""))
    out: list[tuple[str, list[str]]] = []
    for item in (c for c in top.children if isinstance(c, Element) and c.tag == "li"):
        label = next(e for e in item.iter() if e.tag in ("a", "label") and e.text).text
        out.append((label, [text for text in _links(item) if text != label]))
    return out


def test_navigation_is_overview_then_models_then_reference(site: Path) -> None:
    api = load_api(SPECS)
    for page in PAGES:
        root = parse_html((site / page).read_text("utf-8"))
        assert _nav(root) == [
            ("Overview", []),
            ("Models", [title(m) for m in api.models]),
            ("Reference", ["Calling the API", "Changing a spec", "Coming from regolithe", "Spec format"]),
        ], page


def test_no_tag_chips_above_titles(site: Path) -> None:
    for page in PAGES:
        root = parse_html((site / page).read_text("utf-8"))
        assert not [e for e in root.iter() if "md-tags" in e.attrs.get("class", "")], page


def test_index_lists_every_model_with_a_link(site: Path) -> None:
    api = load_api(SPECS)
    root = parse_html((site / "index.html").read_text("utf-8"))
    table = next(t for t in root.iter("table") if table_rows(t)[0][0] == "Model")
    rows = table_rows(table)[1:]
    assert [row[0] for row in rows] == [title(m) for m in api.models]
    body_links = {a.attrs["href"] for a in table.iter("a")}
    assert body_links == {f"models/{m.name}.html" for m in api.models}


def test_site_links_work_from_disk(site: Path) -> None:
    # `use_directory_urls: false`: opened as file://, a link must name an .html file that exists.
    for page in [*PAGES, "models/activity.html"]:
        root = parse_html((site / page).read_text("utf-8"))
        links = [a.attrs["href"] for a in root.iter("a") if a.attrs.get("href", "").split("#")[0].endswith(".html")]
        assert links, page
        for href in links:
            target = (site / page).parent / href.split("#")[0]
            assert target.resolve().is_file(), f"{page}: {href}"


def test_mkdocs_config_is_what_specgen_init_writes() -> None:
    """One home for the site's configuration: the project's mkdocs.yml is init's, for Squall."""
    api = load_api(SPECS)
    config_text = (ROOT / "mkdocs.yml").read_text("utf-8")
    description = _config(config_text)["site_description"]
    assert config_text == starter.mkdocs_config(Templates(), api.title, description)


def _config(text: str) -> dict[str, Any]:
    """mkdocs.yml read as mkdocs reads it: its ``!!python/name`` tag names the tables' fence function."""
    config: dict[str, Any] = yaml.load(text, Loader=yaml.Loader)  # our own file: the full loader is safe
    return config


def test_mkdocs_config_has_linked_tabs_search_dark_mode_and_strict() -> None:
    config = _config((ROOT / "mkdocs.yml").read_text("utf-8"))
    assert config["docs_dir"] == "generated/docs"
    assert config["site_dir"] == "site"
    assert config["strict"] is True
    assert config["use_directory_urls"] is False
    assert config["theme"]["name"] == "material"
    assert "content.tabs.link" in config["theme"]["features"]
    assert "search" in config["plugins"] and "tags" not in config["plugins"]
    assert "specgen" in config["plugins"]  # links checked, long sections grouped, examples' tabs as HTML
    assert "navigation.prune" in config["theme"]["features"]  # a page's sidebar: its own branch only
    fences = next(e for e in config["markdown_extensions"] if isinstance(e, dict) and "pymdownx.superfences" in e)
    assert fences["pymdownx.superfences"]["custom_fences"] == [
        {"name": "specgen-html", "class": "specgen-html", "format": passthrough}
    ]
    schemes = {p["media"]: p.get("scheme") for p in config["theme"]["palette"]}
    assert schemes == {
        "(prefers-color-scheme)": None,  # follows the system until the reader picks one
        "(prefers-color-scheme: light)": "default",
        "(prefers-color-scheme: dark)": "slate",
    }
    assert all("toggle" in p for p in config["theme"]["palette"])
    tabbed = next(e for e in config["markdown_extensions"] if isinstance(e, dict) and "pymdownx.tabbed" in e)
    assert tabbed["pymdownx.tabbed"]["alternate_style"] is True
    assert config["extra_css"] == ["assets/specgen.css"] and config["extra_javascript"] == ["assets/specgen.js"]


def test_linked_tabs_share_labels_across_the_examples(site: Path) -> None:
    # content.tabs.link switches every tab set whose label matches: all sets use the same four.
    root = parse_html((site / "models" / "activity.html").read_text("utf-8"))
    sets = [e for e in root.iter("div") if "tabbed-set" in e.attrs.get("class", "").split()]
    assert len(sets) == 2
    for tab_set in sets:
        labels = [label.text for label in tab_set.iter("label")]
        assert labels == ["squallctl", "Go", "Python", "curl"]
