"""The website as readers meet it: every page opened in a real browser (Playwright driving Debian's Chromium).

The session's strict build of the book (``built_book`` in conftest) is served on localhost. Every page in the
table of contents is opened at 1280 px (a laptop) and 390 px (a phone), in light and in dark mode. The tests
assert that it loads with no console error, that it makes no request outside localhost (the site must work
on networks that block outside resources), that every image loads and is described, that every table in the
HTML is rendered, that math is typeset and that its "next" link leads to the next page; they click the menu
and contents toggles at both widths and check that the chapter list and the page's contents open; they
measure that no page scrolls sideways at 390 px (a wide table or equation scrolls inside its own box) and
that text in tables, captions and paragraphs has a contrast of at least 4.5:1 in both modes. They also
click between chapters and search the site. A screenshot of each page at each width and mode goes to
``test-artefacts/screenshots/``.

``.ci/run`` installs Chromium with apt; where it is missing the tests are skipped, with the reason.
"""

from __future__ import annotations

import functools
import http.server
import queue
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


def _open(browser, url: str, *, width: int = 1280):
    """A fresh page at ``url`` in a ``width`` px window (light mode, the site's default), with every console
    error and every request recorded; :func:`_switch_mode` changes the mode as a reader does."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.errors, page.requests = [], []
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(url, wait_until="load")
    # the toggles are clicked for what they do, not watched as they slide: no waiting for transitions
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    return page


#: Pages read at once, each by its own browser in its own thread (the reading waits mostly on Chromium).
READERS = 2


@pytest.fixture(scope="module")
def readings(site, built_book) -> dict[str, str | None]:
    """Every page read once by :func:`_read`, :data:`READERS` at a time: the first problem found on each, or None."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium, as .ci/run does)")
    pending = queue.SimpleQueue()
    for name in sorted(PAGES, key=lambda n: n != "chapters/ledger"):   # the longest first
        pending.put(name)
    found: dict[str, str | None] = {}

    def reader() -> None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            while True:
                try:
                    name = pending.get_nowait()
                except queue.Empty:
                    break
                found[name] = _read(browser, site, built_book, name)
            browser.close()

    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return found


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_clean_offline_and_reads_well_at_both_widths_in_both_modes(readings, name):
    """No console error or outside request; images loaded and described; every table rendered; math typeset;
    the "next" link right; then, at 1280 and 390 px in light and dark mode, the toggles, overflow and contrast
    (:func:`_read_at_both_widths_in_both_modes`)."""
    assert readings[name] is None, readings[name]


def _read(browser, site: str, built_book: Path, name: str) -> str | None:
    """Read one page as a reader would; the first problem found, or None."""
    page = _open(browser, f"{site}/{name}.html")
    try:
        _check_page(page, site, built_book, name)
        _read_at_both_widths_in_both_modes(page, name)
    except Exception as problem:  # noqa: BLE001 - an assertion or a timed-out click, reported by the page's test
        return f"{type(problem).__name__}: {problem}"
    finally:
        page.close()
    return None


def _check_page(page, site: str, built_book: Path, name: str) -> None:
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


def _read_at_both_widths_in_both_modes(page, name: str) -> None:
    """The page as a reader meets it: toggles clicked, contrast and overflow measured, one screenshot each.

    The page is loaded once; the window is resized to a phone's width and the theme switched to dark mode
    with its own button, as a reader would.
    """
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for mode in ("light", "dark"):
            _switch_mode(page, mode)
            assert _low_contrast(page) == [], f"{width} px, {mode} mode"
            if width < 992:
                assert _sideways(page) == [], f"{width} px, {mode} mode"
            _screenshot(page, name, f"{width}-{mode}")
        _check_toggles(page, width=width)
    assert page.errors == [], page.errors


def _switch_mode(page, mode: str) -> None:
    """Click the theme's colour-mode button until the page is in ``mode`` (it cycles light, dark, auto)."""
    for _ in range(3):
        if page.evaluate("document.documentElement.dataset.theme") == mode:
            return
        page.locator(".theme-switch-button:visible").first.click()
    assert page.evaluate("document.documentElement.dataset.theme") == mode


def _screenshot(page, name: str, variant: str) -> None:
    """Two screenshots: the top of the page, and its first numbered table or figure (where it has one)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{Path(name).name}-{variant}.png"))
    shown = page.locator("article figure.il2-numbered-table, article figure")
    if shown.count():
        shown.first.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(SCREENSHOTS / f"{Path(name).name}-{variant}-first-table-or-figure.png"))
        page.evaluate("window.scrollTo(0, 0)")


def _check_toggles(page, *, width: int) -> None:
    """Click the menu and contents toggles as a reader would; the chapter list and the contents must open.

    On a phone both open as dialogs; on a laptop the chapter list is shown and its toggle hides and shows it,
    and the page's contents stand in the right-hand column.
    """
    chapters = "a.reference.internal[href$='.html']"
    if width < 992:
        page.locator(".primary-toggle:visible").first.click()
        dialog = page.locator("#pst-primary-sidebar-modal")
        dialog.locator(chapters).first.wait_for(state="visible", timeout=3_000)
        assert dialog.evaluate("d => d.open")
        assert dialog.locator(chapters).count() >= len(PAGES) - 2
        page.keyboard.press("Escape")
        page.wait_for_function("!document.getElementById('pst-primary-sidebar-modal').open", timeout=3_000)
        if page.locator("#pst-secondary-sidebar .page-toc a").count():
            page.locator(".secondary-toggle:visible").first.click()
            contents = page.locator("#pst-secondary-sidebar-modal")
            contents.locator(".page-toc a").first.wait_for(state="visible", timeout=3_000)
            page.keyboard.press("Escape")
    else:
        sidebar = page.locator("#pst-primary-sidebar")
        assert sidebar.locator(chapters).first.is_visible()
        page.locator(".primary-toggle:visible").first.click()
        sidebar.wait_for(state="hidden", timeout=3_000)
        page.locator(".primary-toggle:visible").first.click()
        sidebar.locator(chapters).first.wait_for(state="visible", timeout=3_000)
        if page.locator("#pst-secondary-sidebar .page-toc a").count():
            assert page.locator("#pst-secondary-sidebar .page-toc a").first.is_visible()


#: Elements that may be wider than the column, and must then scroll inside their own box.
_WIDE = ("article table, article pre, article img, article figure, article mjx-container[display='true'], "
         "article .highlight")


def _sideways(page) -> list[str]:
    """What makes the page scroll sideways, or runs past the window without a scroll box of its own."""
    return page.evaluate("""wide => {
        const found = [];
        const right = innerWidth + 1;
        if (document.documentElement.scrollWidth > right) found.push(`page ${document.documentElement.scrollWidth}px`);
        for (const el of document.querySelectorAll(wide)) {
            if (el.closest('[hidden], details:not([open]), .d-none') || !el.getClientRects().length) continue;
            const style = getComputedStyle(el);
            const scrolls = ['auto', 'scroll'].includes(style.overflowX);
            const box = el.getBoundingClientRect();
            if (el.scrollWidth > el.clientWidth + 1 && !scrolls && el.tagName !== 'IMG')
                found.push(`${el.tagName.toLowerCase()}.${el.className} is ${el.scrollWidth}px in ${el.clientWidth}px`);
            if (box.right > right && !el.parentElement.closest('table, pre, .highlight, mjx-container, [style*=overflow]')
                    && !scrolls)
                found.push(`${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(box.right)}px`);
        }
        return found;
    }""", _WIDE)


def _low_contrast(page) -> list[str]:
    """Text in tables, captions and paragraphs whose contrast with what lies behind it is below 4.5:1 (WCAG AA)."""
    return page.evaluate(r"""() => {
        const rgb = c => { const m = c.match(/[\d.]+/g).map(Number); return m.length > 3 ? m : [...m, 1]; };
        const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 :
                                                        ((v + 0.055) / 1.055) ** 2.4; })
                                            .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
        const behind = el => {
            for (let e = el; e; e = e.parentElement) {
                const c = rgb(getComputedStyle(e).backgroundColor);
                if (c[3] > 0.5) return c;
            }
            return rgb(getComputedStyle(document.body).backgroundColor);
        };
        const found = [];
        const selector = 'article table.il2-table td, article table.il2-table th, article table.il2-table caption, ' +
                         'article figcaption, article p, article li, article .cell_output pre';
        let n = 0;
        for (const el of document.querySelectorAll(selector)) {
            if (!el.textContent.trim() || !el.getClientRects().length || n++ > 600) continue;
            const fg = rgb(getComputedStyle(el).color), bg = behind(el);
            const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
            const ratio = (a + 0.05) / (b + 0.05);
            if (ratio < 4.5) found.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}" ${ratio.toFixed(1)}:1`);
        }
        return found.slice(0, 20);
    }""")


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


def test_a_chapter_can_be_reached_from_the_phone_menu(browser, site):
    page = _open(browser, f"{site}/{PAGES[0]}.html", width=390)
    try:
        page.locator(".primary-toggle:visible").first.click()
        target = Path(PAGES[2]).name
        page.locator(f"#pst-primary-sidebar-modal a[href$='{target}.html']").first.click()
        page.wait_for_url(f"**/{target}.html")
        assert page.errors == []
    finally:
        page.close()
