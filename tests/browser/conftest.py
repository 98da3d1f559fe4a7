"""Real-browser journeys: Playwright from PyPI driving Debian's Chromium against pytest-django's live server.

Every page a journey visits is checked for console errors and basic accessibility (see `checked`), and key pages
are saved as screenshots at a phone and a desktop width under var/screenshots/ (SCREENSHOT_DIR overrides).
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories
from tests.conftest import service_missing

# Playwright's sync API runs an event loop in this thread; the test's own database calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1440, "height": 900}
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", settings.BASE_DIR / "var" / "screenshots"))

ACCESSIBILITY_CHECK = (Path(__file__).parent / "accessibility.js").read_text()


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        service_missing(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        service_missing("browser tests need the playwright package (make test installs requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """One person's browser tab, collecting console errors and failed page loads as they go."""

    def __init__(self, browser, base_url: str, viewport: dict, name: str):
        self.context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.base_url = base_url
        self.name = name
        self.viewport = viewport
        self.errors: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        self.page.on("response", self._note_failed_response)

    def _note_failed_response(self, response) -> None:
        """A missing stylesheet, script or icon is a console error too; this names its address."""
        if response.status >= 400 and response.request.resource_type != "document":
            self.errors.append(f"{response.status} for {response.url}")

    def open(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response.ok, f"{path} answered {response.status}"
        return self.page

    def checked(self, label: str, *, screenshot: bool = False):
        """The page as it is now has no console errors and passes the accessibility checks; optionally saved."""
        self.page.wait_for_load_state("load")
        problems = self.page.evaluate(ACCESSIBILITY_CHECK)
        assert problems == [], f"{label} ({self.page.url}): {problems}"
        assert self.errors == [], f"console errors on {label} ({self.page.url}): {self.errors}"
        if screenshot:
            self.screenshot(label)

    def screenshot(self, label: str) -> None:
        """Full-page screenshots of this page at phone and desktop width; the tab's own size is kept."""
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        # Lazy images below the fold would be blank in a full-page picture: load them all first.
        self.page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach((img) => (img.loading = 'eager'))")
        self.page.wait_for_load_state("networkidle")
        for size_name, size in (("375", PHONE), ("1440", DESKTOP)):
            self.page.set_viewport_size(size)
            self.page.screenshot(path=SCREENSHOT_DIR / f"{self.name}-{label}-{size_name}.png", full_page=True)
        self.page.set_viewport_size(self.viewport)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(chromium, live_server, settings):
    """`visit(name, viewport)` opens a fresh tab on the live server; tiles off, so no request leaves the machine."""
    settings.MAP_TILES_URL = ""
    visits = []

    def open_tab(name: str, viewport: dict = DESKTOP) -> Visit:
        tab = Visit(chromium, live_server.url, viewport, name)
        visits.append(tab)
        return tab

    yield open_tab
    for tab in visits:
        tab.close()


@pytest.fixture
def operators_group():
    """The group as the data migrations made it: the live server's transactional tests flush it away."""
    return factories.operators_group()
