"""Headless Chromium for the tests, through Selenium: open pages from disk as a participant
would, and read what the page shows and what it asked the network for.

Chromium runs with no network at all (every host name resolves to nothing), no first-run,
sync, component updates or background networking, and a fresh profile; its performance
log records every request the pages make, so a test can check that none left the disk.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
    "--disable-default-apps", "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND",
    "--hide-scrollbars", "--force-color-profile=srgb", "--lang=en-GB",
)


def _chromium() -> str | None:
    return next((shutil.which(name) for name in CHROMIUM if shutil.which(name)), None)


def unavailable() -> str | None:
    """Why the browser tests cannot run here, or None. On CI (`CI` set) they must run."""
    missing = []
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -e '.[test]')")
    if _chromium() is None:
        missing.append("chromium (apt-get install chromium)")
    if shutil.which("chromedriver") is None:
        missing.append("chromedriver (apt-get install chromium-driver)")
    if not missing:
        return None
    reason = "the browser tests need " + ", ".join(missing)
    if os.environ.get("CI"):
        raise RuntimeError(reason + " (.ci/run installs them)")
    return reason


DATE_OVERRIDE = """
(function () {
  var fixed = new Date(%(year)d, %(month)d, %(day)d, 10, 0, 0).getTime();
  var Real = Date;
  function Fixed() {
    if (!(this instanceof Fixed)) { return new Real(fixed).toString(); }
    var args = Array.prototype.slice.call(arguments);
    return args.length ? new (Function.prototype.bind.apply(Real, [null].concat(args)))() : new Real(fixed);
  }
  Fixed.now = function () { return fixed; };
  Fixed.UTC = Real.UTC; Fixed.parse = Real.parse; Fixed.prototype = Real.prototype;
  window.Date = Fixed;
})();
"""


class Browser:
    """One headless Chromium for a test module."""

    def __enter__(self) -> Browser:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="trainer-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = _chromium() or ""
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        # the driver is named, so Selenium Manager never tries to download one
        self.driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)
        self.driver.set_page_load_timeout(30)
        self.script: str | None = None
        self.size(1366, 900)
        return self

    def __exit__(self, *exc: object) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)

    # -- driving

    def size(self, width: int, height: int) -> None:
        self.driver.set_window_size(width, height)
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600,
        })

    def open(self, url: str, today: str | None = None) -> None:
        """Open a page; `today` (YYYY-MM-DD) fixes the page's clock, never the test's."""
        if self.script is not None:
            self.driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": self.script})
            self.script = None
        if today is not None:
            year, month, day = (int(part) for part in today.split("-"))
            source = DATE_OVERRIDE % {"year": year, "month": month - 1, "day": day}
            self.script = self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})["identifier"]
        self.driver.get(url)

    def search(self, word: str) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import WebDriverWait

        box = self.driver.find_element(By.ID, "q")
        box.clear()
        box.send_keys(word + Keys.ENTER)
        WebDriverWait(self.driver, 10).until(
            lambda d: "search.html" in d.current_url and d.find_element(By.ID, "search-status").text.strip())

    # -- reading

    def _js(self, script: str) -> Any:
        return self.driver.execute_script(script)

    def links(self) -> list[dict[str, Any]]:
        return self._js("""
            return Array.from(document.querySelectorAll('a[href]')).map(function (a) {
              var next = a.nextElementSibling;
              return {href: a.href, class: a.className, marked: !!(next && next.classList.contains('net'))};
            });""")

    def results(self) -> list[dict[str, str]]:
        return self._js("""
            return Array.from(document.querySelectorAll('#results li')).map(function (li) {
              return {href: li.querySelector('a').href, text: li.innerText};
            });""")

    def text(self) -> str:
        return self._js("return document.body.innerText;")

    def day_order(self) -> list[str]:
        return self._js("return Array.from(document.querySelectorAll('#days section.day')).map(s => s.dataset.day);")

    def visible_badges(self) -> list[str]:
        return self._js("""return Array.from(document.querySelectorAll('#days section.day'))
            .filter(s => !s.querySelector('.today-badge').hidden).map(s => s.dataset.day);""")

    def content_width(self) -> float:
        """How wide the page's laid-out content is, from its leftmost to its rightmost box
        (more than the screen's width means scrolling sideways)."""
        return self._js("""
            var left = Infinity, right = -Infinity;
            document.querySelectorAll('body *').forEach(function (e) {
              var r = e.getBoundingClientRect();
              if (r.width > 0 && r.height > 0) { left = Math.min(left, r.left); right = Math.max(right, r.right); }
            });
            return right - left;""")

    def screen_width(self) -> int:
        return self._js("return document.documentElement.clientWidth;")

    def nav_positions(self) -> list[float]:
        return self._js("return Array.from(document.querySelectorAll('.site-header nav a')).map(a => a.getBoundingClientRect().left);")

    def screenshot(self, path: Path) -> None:
        self.driver.save_screenshot(str(path))

    def print_pdf(self) -> bytes:
        return base64.b64decode(self.driver.print_page())

    def clear_log(self) -> None:
        self.driver.get_log("performance")

    def requests(self) -> list[str]:
        """Every URL the pages asked for since the last call."""
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls
