"""The built site, read as files: every internal link and anchor resolves, and nothing is fetched from outside.

Uses the session's strict build of the book (``built_book`` in conftest).  That figures are the same bytes
in two clean builds is tested in ``test_book.py``, against its one-chapter build; that the audit JSON is the
same from two processes, in ``test_cli.py``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from il2lib import sphinxext

pytestmark = pytest.mark.build


class _Links(HTMLParser):
    """The ids a page defines and the links (href, src) it makes."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for key in ("href", "src"):
            if values.get(key) and not (tag == "link" and values.get("rel") in ("canonical",)):
                self.links.append(values[key])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pages(site: Path) -> list[Path]:
    """The site's pages (``_static`` holds theme templates and vendored files, not pages)."""
    return [p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts]


def test_every_internal_link_and_anchor_resolves(built_book):
    site = built_book / "_build" / "html"
    pages = {path: _parse(path) for path in _pages(site)}
    broken = []
    for path, parsed in pages.items():
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(site)}: {link} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(site)}: {link} (no such anchor)")
    assert not broken, "\n".join(broken[:40])


def test_no_page_names_an_outside_script_or_stylesheet(built_book):
    site = built_book / "_build" / "html"
    outside = []
    for path in _pages(site):
        for link in _parse(path).links:
            if urlsplit(link).scheme in ("http", "https") and link.split("?")[0].endswith((".js", ".css", ".woff2")):
                outside.append(f"{path.relative_to(site)}: {link}")
    assert not outside, outside[:20]


def test_only_the_mathjax_the_pages_load_is_shipped(built_book):
    mathjax = built_book / "_build" / "html" / "_static" / "mathjax"
    bundles = sorted(p.name for p in mathjax.glob("*.js"))
    assert "tex-chtml.js" in bundles and "tex-svg.js" not in bundles and "latest.js" not in bundles, bundles
    assert (mathjax / "output" / "chtml").is_dir() and (mathjax / "input" / "tex" / "extensions").is_dir()


def test_the_first_page_shows_each_study_s_patient_count(built_book):
    html = (built_book / "_build" / "html" / "chapters" / "intro.html").read_text(encoding="utf-8")
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]
    for count in sphinxext.patient_counts().values():
        assert count in cells, count
    assert "{{" not in html
