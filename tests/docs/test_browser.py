"""A real browser opens the built Activity page, picks the curl tab and sees the curl example.

Headless Chromium (Debian's ``chromium``, installed by ``.ci/run``) is driven over the DevTools
protocol; the screenshot is kept in the test's temporary folder for a human to look at.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.docs.cdp import CHROMIUM, Browser
from tests.docs.pages import examples

# Each tab set on the page: the label of its checked tab and the text of the block that shows.
_VISIBLE = """
[...document.querySelectorAll(".tabbed-set")].map(set => {
  const shown = [...set.querySelectorAll(".tabbed-block")].filter(b => b.offsetParent !== null);
  const checked = set.querySelector("input:checked");
  const label = checked ? set.querySelector(`label[for="${checked.id}"]`) : null;
  return {label: label ? label.innerText.trim() : null, shown: shown.map(b => b.innerText)};
})
"""
# Click the curl label of the first example, then wait (bounded) until every set follows.
_CLICK_CURL = """
new Promise((resolve, reject) => {
  const label = [...document.querySelectorAll(".tabbed-set")[0].querySelectorAll("label")]
    .find(l => l.innerText.trim() === "curl");
  if (!label) { reject(new Error("no curl tab")); return; }
  label.scrollIntoView();
  label.click();
  const started = Date.now();
  const poll = () => {
    const sets = [...document.querySelectorAll(".tabbed-set")];
    const done = sets.every(s => {
      const c = s.querySelector("input:checked");
      return c && s.querySelector(`label[for="${c.id}"]`).innerText.trim() === "curl";
    });
    if (done || Date.now() - started > 5000) { resolve(done); } else { setTimeout(poll, 50); }
  };
  poll();
})
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if path is None:
        # Not a skip: CI installs chromium (.ci/run); a machine without it cannot pass this test.
        pytest.fail("chromium is not installed: apt-get install chromium (see .ci/run)")
    return path


def test_choosing_curl_once_shows_the_curl_examples(chromium: str, site: Path, generated: Path, tmp_path: Path) -> None:
    curl = [
        e.code.rstrip("\n")
        for e in examples((generated / "docs" / "activity.md").read_text("utf-8"))
        if e.tab == "curl"
    ]
    assert len(curl) == 2
    with Browser(tmp_path / "profile", timeout=30) as browser:
        browser.open((site / "activity.html").as_uri())
        before = browser.evaluate(_VISIBLE)
        assert [s["label"] for s in before] == ["apoctl", "apoctl"], json.dumps(before)

        assert browser.evaluate(_CLICK_CURL) is True, "the other example did not follow the chosen tab"
        after = browser.evaluate(_VISIBLE)
        # Bring the first example into view and let the tab indicator's CSS transition finish.
        browser.evaluate(
            "document.querySelectorAll('.tabbed-set')[0].scrollIntoView();"
            "new Promise(done => setTimeout(() => done(true), 600))"
        )
        shot = browser.screenshot(tmp_path / "activity-curl-tab.png")

    assert [s["label"] for s in after] == ["curl", "curl"]
    for tab_set, expected in zip(after, curl, strict=True):
        assert len(tab_set["shown"]) == 1, "exactly one tab's block shows"
        assert tab_set["shown"][0].strip() == expected
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and shot.stat().st_size > 10_000
