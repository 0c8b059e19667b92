"""The book builds strictly, never serves stale pages, and fails loudly (module il2lib.sphinxext).

These tests read copies of the book built with the same command as ``make
book``: the whole book, and a one-chapter copy for the rebuild tests.  Both
builds start in the background as soon as the tests are collected (see
``conftest.py``), and these tests run after the others.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from conftest import build_book as _build, copy_book as _copy_book, log_of as _log

CHAPTER = Path("_build/html/chapters/successive-courses.html")
PAGE_BUDGET_BYTES = 1.5 * 2**20

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def book(built_book: Path) -> Path:
    """The whole book, built once per test session (shared with the browser and site tests); read only."""
    return built_book


def _figures(html_path: Path) -> dict[str, str]:
    """SHA-256 of every PNG a built page shows, by file name."""
    sources = re.findall(r'<img[^>]*src="([^"]+\.png)"', html_path.read_text(encoding="utf-8"))
    return {Path(src).name: hashlib.sha256((html_path.parent / src).read_bytes()).hexdigest() for src in sources}


def test_two_clean_builds_give_identical_figures(book, small_book):
    """Byte-reproducible: the chapter's figures are the same in the whole book and in the separate one-chapter build.

    Runs before the tests below edit the one-chapter book.
    """
    whole, alone = _figures(book / CHAPTER), _figures(small_book / CHAPTER)
    assert whole and whole == alone


def test_chapter_page_has_tables_figure_and_no_errors(book):
    html = (book / CHAPTER).read_text(encoding="utf-8")
    for table in ("sc-table1", "sc-table2", "sc-table3", "sc-table4", "sc-table5", "sc-ledger"):
        assert f'id="T_{table}"' in html, table
    stable = (book / "_build" / "html" / "chapters" / "stable-disease.html").read_text(encoding="utf-8")
    for table in ("sd-consort", "sd-table1", "sd-table2", "sd-table3", "sd-ledger"):
        assert f'id="T_{table}"' in stable, table
    after = (book / "_build" / "html" / "chapters" / "after-pd1.html").read_text(encoding="utf-8")
    for table in ("pd1-table1", "pd1-ledger"):
        assert f'id="T_{table}"' in after, table
    images = re.findall(r"<img[^>]*>", html)
    assert images and all(re.search(r'alt="[^"]+"', tag) for tag in images), images
    assert "Traceback" not in html and "Error" not in re.sub(r"<[^>]+>", "", html).split("Exercise")[0]


def _chapter_pages(book: Path) -> list[Path]:
    return sorted((book / "_build" / "html" / "chapters").glob("*.html"))


def test_every_executed_page_offers_its_notebook(book):
    html = (book / CHAPTER).read_text(encoding="utf-8")
    assert 'href="../_notebooks/chapters/successive-courses.ipynb" download' in html
    assert (book / "_build" / "html" / "_notebooks" / "chapters" / "successive-courses.ipynb").is_file()


def test_every_page_within_weight_budget_and_images_described(book):
    pages = _chapter_pages(book)
    assert len(pages) >= 4
    for html_path in pages:
        html = html_path.read_text(encoding="utf-8")
        tags = re.findall(r"<img[^>]*>", html)
        assert all(re.search(r'alt="[^"]+"', tag) for tag in tags), html_path.name
        images = [html_path.parent / src for src in re.findall(r'<img[^>]*src="([^"]+)"', html)]
        total = html_path.stat().st_size + sum(p.stat().st_size for p in images)
        assert total < PAGE_BUDGET_BYTES, f"{html_path.name}: {total} bytes"


@pytest.mark.parametrize("page", ["stable-disease", "after-pd1"])
def test_figures_from_reconstructed_data_say_so(book, page):
    """Every survival figure of these chapters is drawn from reconstructed data, and its caption must say so."""
    html = (book / "_build" / "html" / "chapters" / f"{page}.html").read_text(encoding="utf-8")
    captions = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<figcaption>(.*?)</figcaption>", html, re.S)]
    survival = [c for c in captions if "surviv" in c.lower()]
    assert survival and all("RECONSTRUCTED" in c for c in survival), captions


def test_editing_a_data_file_changes_the_built_page(small_book):
    """The execution cache hashes only code cells; the book must still re-execute after a data edit."""
    book = small_book
    path = book / "data" / "successive-courses" / "best_response.csv"
    before = (book / CHAPTER).read_text(encoding="utf-8")
    text = path.read_text()
    path.write_text(text.replace("melanoma,149,CR,10", "melanoma,149,CR,11").replace("melanoma,149,PR,13",
                                                                                          "melanoma,149,PR,12"))
    result = _build(book)
    assert result.returncode == 0, _log(result)[-4000:]
    after = (book / CHAPTER).read_text(encoding="utf-8")
    # Table 2's melanoma CR rate is re-derived from this file: 11/149 = 7.4% now, 10/149 = 6.7% before
    assert "7.4 ✗" not in before
    assert "7.4 ✗" in after


def test_a_failing_cell_fails_the_build(small_book):
    chapter = small_book / "chapters" / "successive-courses.md"
    chapter.write_text(chapter.read_text() + "\n```{code-cell} ipython3\n1 / 0\n```\n")
    result = _build(small_book)
    log = _log(result)
    assert result.returncode != 0
    assert "1 page(s) failed to execute, so the book was not built" in log
    assert "chapters/successive-courses.md: An error occurred while executing the following cell" in log
    assert "ZeroDivisionError" in log
    assert "reading sources" not in log   # stopped before Sphinx read any page, and ran the page only once


def test_invalid_data_fails_before_any_chapter_runs(tmp_path):
    root = _copy_book(tmp_path)
    path = root / "data" / "successive-courses" / "characteristics.csv"
    path.write_text(path.read_text().replace("melanoma,sex,male,99", "melanoma,sex,male,9x"))
    result = _build(root)
    log = _log(result)
    assert result.returncode != 0
    assert "the embedded data are invalid, so no chapter was executed" in log
    assert "characteristics.csv: line 2, column 'n': expected a whole number, found '9x'" in log
    assert "executing" not in log.lower()
