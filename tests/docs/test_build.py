"""The docs site builds with ``mkdocs build --strict`` and holds the pages a reader looks for."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.load import load_api
from generator.targets.docs import title
from tests.conftest import ROOT, SPECS
from tests.docs.pages import parse_html, table_rows


def test_site_has_index_model_pages_spec_format_and_search(site: Path) -> None:
    api = load_api(SPECS)
    for page in ["index.html", "spec-format.html", *(f"{m.name}.html" for m in api.models)]:
        assert (site / page).is_file(), f"{page} missing from the built site"
    assert (site / "search" / "search_index.json").is_file(), "the search plugin did not run"


def test_index_lists_every_model_with_a_link(site: Path) -> None:
    api = load_api(SPECS)
    root = parse_html((site / "index.html").read_text("utf-8"))
    table = next(t for t in root.iter("table") if table_rows(t)[0][0] == "Model")
    rows = table_rows(table)[1:]
    assert [row[0] for row in rows] == [title(m) for m in api.models]
    body_links = {a.attrs["href"] for a in table.iter("a")}
    assert body_links == {f"{m.name}.html" for m in api.models}


def test_site_links_work_from_disk(site: Path) -> None:
    # `use_directory_urls: false`: opened as file://, a link must name an .html file that exists.
    root = parse_html((site / "index.html").read_text("utf-8"))
    nav = [a.attrs["href"] for a in root.iter("a") if a.attrs.get("href", "").endswith(".html")]
    assert "activity.html" in nav
    for href in nav:
        assert (site / href.split("#")[0]).is_file(), href


def test_mkdocs_config_has_linked_tabs_search_and_strict() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    assert config["docs_dir"] == "generated/docs"
    assert config["site_dir"] == "site"
    assert config["strict"] is True
    assert config["use_directory_urls"] is False
    assert config["theme"]["name"] == "material"
    assert "content.tabs.link" in config["theme"]["features"]
    assert "search" in config["plugins"]
    tabbed = next(e for e in config["markdown_extensions"] if isinstance(e, dict) and "pymdownx.tabbed" in e)
    assert tabbed["pymdownx.tabbed"]["alternate_style"] is True


def test_linked_tabs_share_labels_across_the_examples(site: Path) -> None:
    # content.tabs.link switches every tab set whose label matches: all sets use the same four.
    root = parse_html((site / "activity.html").read_text("utf-8"))
    sets = [e for e in root.iter("div") if "tabbed-set" in e.attrs.get("class", "").split()]
    assert len(sets) == 2
    for tab_set in sets:
        labels = [label.text for label in tab_set.iter("label")]
        assert labels == ["apoctl", "Go", "Python", "curl"]
