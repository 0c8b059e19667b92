"""What the built pages show a reader, read from their HTML: no raw pandas or Python output, nothing cut short,
every table numbered where the text cites it.

Uses the session's strict build of the book (``built_book`` in conftest).  The browser tests
(``test_browser.py``) measure what these files cannot: layout, overflow, contrast and the toggles.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from il2lib import sphinxext

pytestmark = pytest.mark.build

PAGES = ["chapters/intro", *(f"chapters/{p.stem}" for p in sphinxext.toc_pages(ROOT)),
         "chapters/glossary", "chapters/bibliography"]

#: What raw output looks like in a cell of a table or a line of code output.
RAW_CELL = re.compile(r"^(NaN|nan|inf|-inf|None|True|False|<NA>|NaT)$")
E_NOTATION = re.compile(r"\b\d(\.\d+)?e[-+]?\d{1,3}\b")
LONG_DECIMALS = re.compile(r"\d\.\d{5,}")
PYTHON_REPR = re.compile(r"np\.(float|int|bool)\w*\(|array\(|dtype[:=]|Name: |\bnan\b|\binf\b|\bTrue\b|\bFalse\b")
TRUNCATED = re.compile(r"(…|\.\.\.)\s*$")


@cache
def _article(name: str, built_book: Path) -> BeautifulSoup:
    html = (built_book / "_build" / "html" / f"{name}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").select_one("article")


def raw_table_cells(article: BeautifulSoup) -> list[str]:
    """Table cells that show raw output: NaN, inf, True/False, e-notation, long decimals, or cut with "…"."""
    found = []
    for cell in article.select("table td, table th"):
        text = cell.get_text(" ", strip=True)
        raw = cell.name == "td" and RAW_CELL.match(text)   # a row heading may name a category "None"
        if raw or E_NOTATION.search(text) or LONG_DECIMALS.search(text) or TRUNCATED.search(text):
            found.append(text[:80])
    return found


def pandas_tables(article: BeautifulSoup) -> list[str]:
    """Tables a code cell shows that did not go through ``il2lib.tables`` (pandas' own HTML, with its 0..n index)."""
    return [table.get("class", []) for table in article.select("div.cell_output table")
            if "il2-table" not in table.get("class", [])]


def raw_text_output(article: BeautifulSoup) -> list[str]:
    """Lines of code output that show a Python repr, e-notation or a cut."""
    found = []
    for block in article.select("div.cell_output div.output pre"):
        for line in block.get_text().splitlines():
            if PYTHON_REPR.search(line) or E_NOTATION.search(line) or LONG_DECIMALS.search(line) \
                    or TRUNCATED.search(line):
                found.append(line[:100])
    return found


@pytest.mark.parametrize("name", PAGES)
def test_no_page_shows_raw_pandas_or_python_output(built_book, name):
    article = _article(name, built_book)
    assert pandas_tables(article) == []
    assert raw_table_cells(article) == []
    assert raw_text_output(article) == []


def test_the_scanners_catch_raw_output():
    page = BeautifulSoup(
        '<article><div class="cell_output"><div class="output"><table class="dataframe"><tr><th>0</th>'
        '<td>NaN</td><td>3e-14</td><td>see the note…</td><td>0.12345678</td></tr></table>'
        '<pre>(np.float64(0.5), True)</pre></div></div></article>', "html.parser").select_one("article")
    assert pandas_tables(page) == [["dataframe"]]
    assert raw_table_cells(page) == ["NaN", "3e-14", "see the note…", "0.12345678"]
    assert raw_text_output(page) == ["(np.float64(0.5), True)"]


def test_tables_and_figures_are_numbered_and_cited(built_book):
    """Every numbered table and figure of a chapter is cited in its text, and no caption carries a paper's number
    as its own (a caption may say which of the paper's figures or tables it reproduces)."""
    uncited, misnumbered = [], []
    for name in PAGES:
        article = _article(name, built_book)
        cited = {a["href"].split("#")[-1] for a in article.select("a.reference.internal[href*='#']")
                 if a.select_one("span.std-numref")}
        for figure in article.select("figure[id]"):
            if figure.select_one("span.caption-number") and figure["id"] not in cited:
                uncited.append(f"{name}#{figure['id']}")
            caption = figure.select_one("span.caption-text")
            if caption and re.match(r"(Fig\.?|Figure|Table)\s*\d", caption.get_text(strip=True)):
                misnumbered.append(f"{name}: {caption.get_text(strip=True)[:60]}")
    assert misnumbered == []
    assert uncited == []
