"""A real browser opens the built Activity page, picks the curl tab and sees the curl example.

Headless Chromium (Debian's ``chromium``) is driven by Selenium through Debian's ``chromedriver``
(``chromium-driver``), both installed by ``.ci/install-browser`` (``make test`` runs it); the screenshot is kept in the test's
temporary folder for a human to look at.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

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
        for e in examples((generated / "docs" / "activity.md").read_text("utf-8"))
        if e.tab == "curl"
    ]
    assert len(curl) == 2
    wait = WebDriverWait(driver, TIMEOUT)

    driver.get((site / "activity.html").as_uri())  # returns once the page has loaded
    before = _visible(driver)
    assert [s["label"] for s in before] == ["apoctl", "apoctl"], json.dumps(before)

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
