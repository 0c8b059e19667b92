"""PDF handouts of the book's chapters, printed by Chromium from the built site.

When the HTML build ends, :func:`make_handouts` serves the built site on a localhost port (in a thread)
and has one headless Chromium, driven by Playwright, print each chapter to ``_handouts/<page>.pdf`` in the
site, one page per core at a time in one browser context (:func:`print_pages`).  Before printing, each
page is readied for paper (:data:`READY_FOR_PAPER`): its exercise solutions move, opened, to a
"Solutions" section at its end, and MathJax has finished typesetting.  The print stylesheet
``chapters/_static/il2-print.css``, which every page loads, drops the navigation, sets A4 paper and keeps
figures whole; the header of every sheet names the page and the book, its footer the sheet number.

A handout is reprinted only when it is older than its page or than the print stylesheet, so a rebuild
with nothing changed prints nothing.  Set ``IL2_HANDOUTS=0`` to skip handouts; where Chromium or
Playwright is missing they are skipped too, with one line in the log, and no page links a handout.

Which pages get one (:func:`handout_pages`): every page of the table of contents that executes code,
except the first page and those named in :data:`NOT_HANDOUTS`.
"""

from __future__ import annotations

import asyncio
import functools
import http.server
import importlib.util
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging

__all__ = ["ENV_VAR", "CHROMIUM", "FOLDER", "STYLESHEET", "NOT_HANDOUTS", "configure", "link_handout",
           "make_handouts", "handout_pages", "handout_path", "handout_href", "why_unavailable", "stale_pages",
           "print_pages"]

if TYPE_CHECKING:
    from playwright.async_api import Route

_LOGGER = logging.getLogger(__name__)

ENV_VAR = "IL2_HANDOUTS"
CHROMIUM = Path("/usr/bin/chromium")
#: Flags for a quiet headless Chromium on a closed network (no background calls home, no GPU).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FOLDER = "_handouts"
STYLESHEET = "il2-print.css"
STATIC_DIR = "chapters/_static"   # the book's own static files, relative to the book's root
#: Executed pages with no handout: the ledger lists every published number of every study, a reference
#: to search on screen rather than a chapter to read on paper.
NOT_HANDOUTS = frozenset({"ledger"})
#: The width of a sheet's text in CSS pixels: A4 (210 mm) less the print stylesheet's 14 mm side margins,
#: at 96 pixels an inch.  Tabs are this wide and show the print styles, so a page is laid out as on paper.
SHEET_WIDTH_PX = round((210 - 2 * 14) / 25.4 * 96)
#: Run in each page, laid out as on paper, before it is printed: the exercise solutions (sphinx-exercise's
#: ``.solution`` admonitions, folded on screen by sphinx-togglebutton) move, opened, to a "Solutions"
#: section at the end of the article; a table wider than the sheet even with its text wrapped is scaled down to fit
#: it; then the promise waits for MathJax's first typesetting and for the fonts.
READY_FOR_PAPER = """async () => {
  const article = document.querySelector("article.bd-article");
  if (!article) return 0;
  const solutions = [...article.querySelectorAll(".solution")];
  if (solutions.length) {
    const section = document.createElement("section");
    section.className = "il2-solutions";
    section.innerHTML = "<h2>Solutions</h2>";
    for (const solution of solutions) {
      solution.classList.remove("toggle-hidden", "dropdown");
      solution.querySelectorAll(".toggle-button").forEach((button) => button.remove());
      section.append(solution);
    }
    article.append(section);
  }
  for (const table of article.querySelectorAll("table")) {
    const overflow = table.scrollWidth / article.clientWidth;
    if (overflow > 1.01) table.style.zoom = (1 / overflow).toFixed(3);
  }
  if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
  await document.fonts.ready;
  return solutions.length;
}"""
#: The running header and footer of every sheet: the page's title and the book's name (the HTML title,
#: "page - book"), and the sheet number.
_HEADER = '<div style="font-size:9px;width:100%;margin:0 14mm;color:#444"><span class="title"></span></div>'
_FOOTER = ('<div style="font-size:9px;width:100%;margin:0 14mm;text-align:right;color:#444">'
           '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def configure(app: Sphinx, config: Config) -> None:
    """Decide which pages get a handout (config value ``il2_handouts``) and add the print stylesheet's folder.

    The value is ``[]`` where handouts cannot be made, and the log says why in one line.  It is an HTML
    config value, so when it changes (Chromium installed, ``IL2_HANDOUTS`` set) Sphinx rewrites every page
    and no page keeps a link to a handout that is not made, or lacks one that is.
    """
    folder = Path(app.srcdir, STATIC_DIR).resolve()
    if all(Path(app.confdir, path).resolve() != folder for path in config.html_static_path):
        config.html_static_path = [*config.html_static_path, str(folder)]
    reason = why_unavailable()
    config.il2_handouts = [] if reason else handout_pages(Path(app.srcdir))
    if reason:
        _LOGGER.info(f"PDF handouts: not made ({reason}); no page links one")


def link_handout(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    """End a page that gets a handout with a link to it (after the notebook's link)."""
    if app.builder.name == "html" and pagename in app.config.il2_handouts and "body" in context:
        context["body"] += (f'<p class="il2-handout-link">Download this chapter as a PDF handout: '
                            f'<a href="{handout_href(pagename)}" download>{Path(pagename).name}.pdf</a>.</p>')


def make_handouts(app: Sphinx, exception: Exception | None) -> None:
    """Print the handouts that are missing or older than their page, once the HTML is written."""
    pages = app.config.il2_handouts
    if exception is not None or app.builder.name != "html":
        return
    site = Path(app.outdir)
    _remove_unlinked(site, pages)
    if not pages:
        return
    stale = stale_pages(site, pages)
    if not stale:
        _LOGGER.info(f"PDF handouts: all {len(pages)} up to date")
        return
    try:
        seconds = print_pages(site, stale)
    except Exception as err:  # noqa: BLE001 - any failure of the browser, reported with its cause
        raise ExtensionError(f"PDF handouts could not be printed, and the pages link them ({err}). "
                             f"Build with {ENV_VAR}=0 to leave them out.") from err
    _LOGGER.info(f"PDF handouts: printed {len(stale)} of {len(pages)} in {seconds:.1f} s, into {FOLDER}/")


def _remove_unlinked(site: Path, pages: Sequence[str]) -> None:
    """Delete the handouts that no page links any more (all of them when handouts are off): none goes stale."""
    keep = {handout_path(site, page) for page in pages}
    for pdf in (site / FOLDER).glob("*.pdf"):
        if pdf not in keep:
            pdf.unlink()


def handout_pages(root: Path) -> list[str]:
    """The pages that get a handout, as Sphinx document names, in table-of-contents order.

    Every page that executes code (:func:`il2lib.sphinxext.toc_pages`), except the table of contents'
    root (the first page) and those in :data:`NOT_HANDOUTS`.

    Examples
    --------
    >>> pages = handout_pages(Path(__file__).resolve().parents[1])   # this book
    >>> pages[0], "chapters/ledger" in pages, "chapters/new-paper" in pages
    ('chapters/primer-response', False, True)
    """
    import yaml

    from il2lib.sphinxext import toc_pages

    first = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))["root"]
    names = [path.relative_to(root).with_suffix("").as_posix() for path in toc_pages(root)]
    return [name for name in names if name != first and Path(name).name not in NOT_HANDOUTS]


def handout_path(site: Path, page: str) -> Path:
    """Where the handout of ``page`` goes in the built site.

    Examples
    --------
    >>> handout_path(Path("html"), "chapters/after-pd1").as_posix()
    'html/_handouts/after-pd1.pdf'
    """
    return site / FOLDER / f"{Path(page).name}.pdf"


def _html(site: Path, page: str) -> Path:
    return site / f"{page}.html"


def handout_href(page: str) -> str:
    """The link from ``page`` to its handout, relative to the page.

    Examples
    --------
    >>> handout_href("chapters/after-pd1")
    '../_handouts/after-pd1.pdf'
    """
    return "../" * page.count("/") + f"{FOLDER}/{Path(page).name}.pdf"


def why_unavailable() -> str | None:
    """Why no handout can be made here (skipped on request, no Chromium, no Playwright), or None.

    Examples
    --------
    >>> os.environ[ENV_VAR] = "0"
    >>> why_unavailable()
    'IL2_HANDOUTS=0'
    >>> del os.environ[ENV_VAR]
    """
    if os.environ.get(ENV_VAR, "1").strip() == "0":
        return f"{ENV_VAR}=0"
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed"
    return None


def stale_pages(site: Path, pages: Sequence[str]) -> list[str]:
    """The pages whose handout is missing, or older than the page's HTML or the print stylesheet.

    Examples
    --------
    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp())
    >>> _ = (site / "chapters").mkdir(), (site / "chapters" / "a.html").write_text("<p>a</p>")
    >>> stale_pages(site, ["chapters/a"])
    ['chapters/a']
    """
    stylesheet = site / "_static" / STYLESHEET
    newest_style = stylesheet.stat().st_mtime if stylesheet.is_file() else 0.0
    stale = []
    for page in pages:
        pdf = handout_path(site, page)
        source = _html(site, page).stat().st_mtime
        if not pdf.is_file() or pdf.stat().st_mtime < max(source, newest_style):
            stale.append(page)
    return stale


def print_pages(site: Path, pages: Sequence[str], at_once: int | None = None) -> float:
    """Print each page of the built ``site`` to its handout; return the seconds it took.

    One Chromium and one browser context (so the theme's files are fetched once) print ``at_once`` pages
    at a time (default: one per core), each worker in its own tab, the longest pages first.  A tab is as
    wide as a sheet's text (:data:`SHEET_WIDTH_PX`) and shows the print styles, so :data:`READY_FOR_PAPER`
    measures tables as they will be printed.  Only MathJax runs in the pages (:func:`_only_mathjax`).
    Playwright's asyncio API is used because its synchronous API waits for each print before starting
    the next.
    """
    start = time.perf_counter()
    (site / FOLDER).mkdir(exist_ok=True)
    longest_first = sorted(pages, key=lambda page: -_html(site, page).stat().st_size)
    with _served(site) as base:
        asyncio.run(_print_all(base, site, longest_first, at_once or os.cpu_count() or 1))
    return time.perf_counter() - start


async def _print_all(base: str, site: Path, pages: list[str], at_once: int) -> None:
    from playwright.async_api import async_playwright

    waiting = list(pages)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport={"width": SHEET_WIDTH_PX, "height": 1000})
            await context.route(_SCRIPT, _only_mathjax)

            async def worker() -> None:
                tab = await context.new_page()
                await tab.emulate_media(media="print")
                while waiting:
                    page = waiting.pop(0)
                    await tab.goto(f"{base}/{page}.html", wait_until="load")
                    await tab.evaluate(READY_FOR_PAPER)
                    await tab.pdf(path=str(handout_path(site, page)), prefer_css_page_size=True,
                                  print_background=True, outline=True, display_header_footer=True,
                                  header_template=_HEADER, footer_template=_FOOTER)

            await asyncio.gather(*(worker() for _ in range(min(at_once, len(pages)))))
        finally:
            await browser.close()


_SCRIPT = re.compile(r"\.js(\?.*)?$")


async def _only_mathjax(route: Route) -> None:
    """Let MathJax load and block every other script: they serve the screen (navigation, search, icons, copy
    buttons, table filters), and running them costs about a third of the CPU time that loading a page takes."""
    if "/_static/mathjax/" in route.request.url:
        await route.continue_()
    else:
        await route.abort()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site silently, over kept-alive connections, with every file cacheable.

    The tabs share one browser context, so the theme's stylesheets, scripts and fonts are fetched once
    rather than once per page (the site does not change while it is printed).
    """

    protocol_version = "HTTP/1.1"

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@contextmanager
def _served(site: Path) -> Iterator[str]:
    """Serve ``site`` on a free localhost port in a thread; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
