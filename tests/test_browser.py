"""The website as readers meet it: every page opened in a real browser (Playwright driving Debian's Chromium).

The session's strict build of the book (``built_book`` in conftest) is served on localhost. For every page
in the table of contents the test asserts that it loads with no console error, that it makes no request
outside localhost (the site must work on networks that block outside resources), that every image loads
and is described, that every table in the HTML is rendered, that math is typeset, and that its "next"
link leads to the next page. It also clicks between chapters and searches the site. A screenshot of each page goes to
``test-artefacts/screenshots/``.

``.ci/run`` installs Chromium with apt; where it is missing the tests are skipped, with the reason.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from il2lib import sphinxext

pytestmark = [pytest.mark.build, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
#: Flags for a quiet headless Chromium on a closed network (no background calls home, no GPU).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "test-artefacts" / "screenshots"
PAGES = ["chapters/intro", *(f"chapters/{p.stem}" for p in sphinxext.toc_pages(ROOT)),
         "chapters/glossary", "chapters/bibliography"]


@pytest.fixture(scope="module")
def site(built_book: Path) -> Iterator[str]:
    """The built site served on a free localhost port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(built_book / "_build" / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium, as .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _open(browser, url: str):
    """A fresh page at ``url``, with every console error and every request recorded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.errors, page.requests = [], []
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(url, wait_until="load")
    return page


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_clean_offline_with_images_tables_and_math(browser, site, built_book, name):
    page = _open(browser, f"{site}/{name}.html")
    try:
        html = (built_book / "_build" / "html" / f"{name}.html").read_text(encoding="utf-8")
        if "math notranslate" in html:
            page.wait_for_selector("mjx-container", timeout=10_000)   # typeset, fonts requested
        assert page.errors == [], page.errors
        outside = [url for url in page.requests if not url.startswith((site, "data:", "blob:"))]
        assert outside == [], outside
        images = page.eval_on_selector_all(
            "article img", "els => els.map(e => [e.getAttribute('src'), e.complete && e.naturalWidth > 0, "
                           "(e.getAttribute('alt') || '').trim().length > 0])")
        assert all(loaded for _, loaded, _ in images), [src for src, loaded, _ in images if not loaded]
        assert all(described for _, _, described in images), [src for src, _, d in images if not d]
        assert page.locator("article table").count() == html.count("<table")
        position = PAGES.index(name)
        if position + 1 < len(PAGES):   # the "next" link leads to the next page of the table of contents
            href = page.locator("a.right-next").first.get_attribute("href")
            assert Path(href).stem == Path(PAGES[position + 1]).name
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{Path(name).name}.png"))
    finally:
        page.close()


def test_clicking_next_and_previous_moves_between_chapters(browser, site):
    page = _open(browser, f"{site}/{PAGES[1]}.html")
    try:
        page.locator("a.right-next").first.click()
        page.wait_for_url(f"**/{PAGES[2]}.html")
        page.locator("a.left-prev").first.click()
        page.wait_for_url(f"**/{PAGES[1]}.html")
        assert page.errors == []
    finally:
        page.close()


def test_search_finds_a_chapter_by_a_term_from_it(browser, site):
    page = _open(browser, f"{site}/search.html?q=stable+disease")
    try:
        page.wait_for_selector("#search-results li a", timeout=15_000)
        found = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
        assert any("stable-disease" in href for href in found), found
        assert page.errors == []
    finally:
        page.close()
