"""A real browser reads the built site: the curl tab, the pages at desktop and phone width, dark
mode, every attribute's properties, names whole in tables, and search (served) or its note (from disk).

Headless Chromium (Debian's ``chromium``) is driven by Selenium through Debian's ``chromedriver``
(``chromium-driver``), both installed by ``.ci/install-browser`` (``make test`` runs it); screenshots are kept in each test's
temporary folder for a human to look at.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from generator.load import load_api
from generator.spec import DOC_PROPERTIES
from tests.conftest import SPECS
from tests.docs.pages import examples

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# A headless run as root on a machine without GPU or network access.
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
)
TIMEOUT = 30.0  # seconds; bounds the page load, every script and every wait

# Each tab set on the page: the label of its checked tab and the text of the block that shows.
_VISIBLE = """
return [...document.querySelectorAll(".tabbed-set")].map(set => {
  const shown = [...set.querySelectorAll(".tabbed-block")].filter(b => b.offsetParent !== null);
  const checked = set.querySelector("input:checked");
  const label = checked ? set.querySelector(`label[for="${checked.id}"]`) : null;
  return {label: label ? label.innerText.trim() : null, shown: shown.map(b => b.innerText)};
})
"""
# True once no CSS transition or animation (the tab indicator's slide) is still running.
_SETTLED = "return document.getAnimations().every(a => a.playState !== 'running')"


def _visible(driver: WebDriver) -> list[dict[str, Any]]:
    state: list[dict[str, Any]] = driver.execute_script(_VISIBLE)
    return state


@pytest.fixture
def driver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WebDriver]:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).is_file()]
    if missing:
        # Not a skip: make test installs both (.ci/install-browser); without them this test cannot pass.
        pytest.fail(f"{' and '.join(missing)} not installed: run .ci/install-browser (make test does)")
    # The explicit driver path below already keeps Selenium Manager from running; should it run
    # anyway, it must not try to download a browser or driver.
    monkeypatch.setenv("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        browser.set_page_load_timeout(TIMEOUT)
        browser.set_script_timeout(TIMEOUT)
        yield browser
    finally:
        browser.quit()


def test_choosing_curl_once_shows_the_curl_examples(
    driver: WebDriver, site: Path, generated: Path, tmp_path: Path
) -> None:
    curl = [
        e.code.rstrip("\n")
        for e in examples((generated / "docs" / "models" / "activity.md").read_text("utf-8"))
        if e.tab == "curl"
    ]
    assert len(curl) == 2
    wait = WebDriverWait(driver, TIMEOUT)

    driver.get((site / "models" / "activity.html").as_uri())  # returns once the page has loaded
    before = _visible(driver)
    assert [s["label"] for s in before] == ["squallctl", "squallctl"], json.dumps(before)

    # Choose curl once, in the first example, as a reader would: a real click on its label.
    first = driver.find_elements(By.CSS_SELECTOR, ".tabbed-set")[0]
    labels = [label for label in first.find_elements(By.TAG_NAME, "label") if label.text.strip() == "curl"]
    assert len(labels) == 1, "no curl tab in the first example"
    labels[0].click()
    wait.until(
        lambda d: all(s["label"] == "curl" for s in _visible(d)),
        "the other example did not follow the chosen tab",
    )
    after = _visible(driver)

    # Bring the first example, labels too, clear of the sticky header, and let the tab
    # indicator's CSS transition finish.
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", first)
    wait.until(lambda d: d.execute_script(_SETTLED) is True, "the page's animations did not settle")
    shot = tmp_path / "activity-curl-tab.png"
    assert driver.save_screenshot(str(shot)), f"could not write {shot}"

    assert [s["label"] for s in after] == ["curl", "curl"]
    for tab_set, expected in zip(after, curl, strict=True):
        assert len(tab_set["shown"]) == 1, "exactly one tab's block shows"
        assert tab_set["shown"][0].strip() == expected
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and shot.stat().st_size > 10_000


# --- the pages at desktop and phone width, in light and dark ---------------------------------

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
# Each attribute section: its id and the properties it shows (facts by name, flags by group).
_ATTRIBUTES = """
return [...document.querySelectorAll("h3[id^='attribute-']")].map(h => {
  let box = h.nextElementSibling;
  while (box && !(box.classList && box.classList.contains("sg-properties"))) box = box.nextElementSibling;
  const facts = box ? [...box.querySelectorAll("[data-property]")].map(s => s.dataset.property) : [];
  const flags = box ? [...box.querySelectorAll("ul.sg-flags code")].map(c => c.innerText) : [];
  const shown = box ? box.getBoundingClientRect().height > 0 : false;
  return {id: h.id, properties: facts.concat(flags), shown: shown};
})
"""
# Names in tables (code spans and links) that the browser laid out on more than one line.
_BROKEN_NAMES = """
return [...document.querySelectorAll("article table code, article table a")]
  .filter(e => e.getClientRects().length > 1).map(e => e.innerText)
"""
_OVERFLOW = "return [document.documentElement.scrollWidth, window.innerWidth]"
_SCHEME = "return [document.body.dataset.mdColorScheme, getComputedStyle(document.body).backgroundColor]"


def _look(driver: WebDriver, url: str, metrics: dict[str, Any], dark: bool, shot: Path) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    scheme = "dark" if dark else "light"
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
    )
    driver.get(url)
    WebDriverWait(driver, TIMEOUT).until(lambda d: d.execute_script(_SETTLED) is True, "animations did not settle")
    assert driver.save_screenshot(str(shot)), f"could not write {shot}"
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("page", ["index.html", "models/activity.html"])
def test_pages_at_desktop_and_phone_width_light_and_dark(
    driver: WebDriver, site: Path, tmp_path: Path, page: str
) -> None:
    url = (site / page).as_uri()
    for name, metrics in (("desktop", DESKTOP), ("phone", PHONE)):
        for dark in (False, True):
            shot = tmp_path / f"{page.replace('/', '-')}-{name}-{'dark' if dark else 'light'}.png"
            _look(driver, url, metrics, dark, shot)
            scroll_width, width = driver.execute_script(_OVERFLOW)
            assert width == metrics["width"]
            assert scroll_width <= width, f"{page} at {width} px: the page is {scroll_width} px wide"
            assert driver.execute_script(_BROKEN_NAMES) == [], f"{page} at {width} px: names broken mid-word"
            scheme, background = driver.execute_script(_SCHEME)
            # Material follows the system setting: slate (dark) when the browser prefers dark.
            assert scheme == ("slate" if dark else "default"), (page, name, dark)
            red, green, blue = (int(x) for x in background.removeprefix("rgb(").rstrip(")").split(",")[:3])
            assert (red + green + blue < 3 * 96) == dark, background


def test_every_attribute_section_shows_every_property(driver: WebDriver, site: Path, tmp_path: Path) -> None:
    model = next(m for m in load_api(SPECS).models if m.name == "activity")
    expected = set(DOC_PROPERTIES) - {"description"}  # the description is the paragraph above
    for metrics in (DESKTOP, PHONE):
        _look(driver, (site / "models" / "activity.html").as_uri(), metrics, False, tmp_path / "attributes.png")
        sections = driver.execute_script(_ATTRIBUTES)
        assert [s["id"] for s in sections] == [f"attribute-{a.name}" for a in model.attributes]
        for section in sections:
            assert section["shown"], section["id"]
            assert expected <= set(section["properties"]), section
            assert len(section["properties"]) == len(set(section["properties"])), section


# --- search: served, it answers; from disk, the page says why there is none ---------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log in the test output."""


@pytest.fixture
def served(site: Path) -> Iterator[str]:
    """The built site over HTTP on a free loopback port, as `mkdocs serve` (make docs) serves it."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


_SEARCH_STATE = """
const box = document.querySelector(".md-search");
const note = document.querySelector(".sg-search-note");
return {
  search: box !== null && box.getBoundingClientRect().width > 0,
  note: note === null ? null : note.innerText.trim(),
};
"""


def test_search_answers_when_the_site_is_served(driver: WebDriver, served: str, tmp_path: Path) -> None:
    _look(driver, served + "/index.html", DESKTOP, False, tmp_path / "served.png")
    assert driver.execute_script(_SEARCH_STATE) == {"search": True, "note": None}
    field = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    field.click()
    field.send_keys("targetIdentity")
    WebDriverWait(driver, TIMEOUT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".md-search-result__item"), "search found nothing"
    )
    titles = [
        e.text for e in driver.find_elements(By.CSS_SELECTOR, ".md-search-result__item h1, .md-search-result__item h2")
    ]
    assert any("Activity" in t or "targetIdentity" in t for t in titles), titles
    driver.save_screenshot(str(tmp_path / "search.png"))


def test_from_disk_the_page_says_search_needs_a_server(driver: WebDriver, site: Path, tmp_path: Path) -> None:
    for name, metrics in (("desktop", DESKTOP), ("phone", PHONE)):
        _look(driver, (site / "index.html").as_uri(), metrics, False, tmp_path / f"from-disk-{name}.png")
        state = driver.execute_script(_SEARCH_STATE)
        assert state["search"] is False, name
        toggle = driver.find_elements(By.CSS_SELECTOR, "label.md-header__button[for='__search']")
        assert all(not e.is_displayed() for e in toggle), "a search button that cannot search"
        expected = "Search needs the site served: run mkdocs serve" if name == "desktop" else "No search from disk"
        assert state["note"] == expected, name
