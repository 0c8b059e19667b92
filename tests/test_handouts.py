"""The PDF handouts, as the session's strict build of the book (``built_book``) printed them.

Each chapter and primer that gets a handout (:func:`il2lib.handouts.handout_pages`) must have one, linked
from its page and from no other: a PDF of a plausible length, titled and headed with the chapter's title,
showing every number of a table the chapter computed (the first with verdicts, published beside
reproduced, where there is one), with its exercise solutions opened and gathered after the exercises
under "Solutions".  The expected title, numbers, exercises and solutions are read from the built page's
HTML, so nothing here is typed a second time.

Printing needs Debian's Chromium (``.ci/run`` installs it) and Playwright; where either is missing (or
``IL2_HANDOUTS=0``) the build makes no handouts and these tests are skipped, with the reason.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from il2lib import handouts

pytestmark = [pytest.mark.build, pytest.mark.browser]

pypdf = pytest.importorskip("pypdf")

PAGES = handouts.handout_pages(ROOT)
#: A handout longer than this many sheets has lost its print styles (sidebars, unwrapped tables, ...).
MOST_SHEETS = 40


@pytest.fixture(scope="module")
def site(built_book: Path) -> Path:
    reason = handouts.why_unavailable()
    if reason:
        pytest.skip(f"the build made no handouts: {reason} (apt-get install chromium, as .ci/run does)")
    return built_book / "_build" / "html"


@cache
def _text(pdf: Path) -> str:
    """The handout's text, with runs of white space as one space."""
    reader = pypdf.PdfReader(pdf)
    return _squeeze(" ".join(page.extract_text() for page in reader.pages))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


@cache
def _article(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


def _title(soup: BeautifulSoup) -> str:
    return _squeeze(soup.select_one("article h1").get_text()).rstrip("#").strip()


def _printed_table_numbers(soup: BeautifulSoup) -> list[str]:
    """The numbers in the table a code cell computed that the handout must show, in order of first appearance.

    The table is the first with verdicts (published beside reproduced), or else the first computed table.
    Outputs of hide-output cells are left out: the handout leaves them out too.
    """
    tables = [table for table in soup.select("article div.cell_output table")
              if not table.find_parent("div", class_="tag_hide-output")]
    verdicts = [table for table in tables if table.select("td.v-match, td.v-contradicted")]
    for table in verdicts + tables:
        numbers = re.findall(r"\d+(?:\.\d+)?", " ".join(td.get_text(" ") for td in table.select("td")))
        if numbers:
            return list(dict.fromkeys(numbers))
    return []


def test_every_chapter_has_its_handout_and_no_other_page_has_one(site):
    made = sorted(p.stem for p in (site / handouts.FOLDER).glob("*.pdf"))
    assert made == sorted(Path(page).name for page in PAGES)
    assert {"primer-response", "successive-courses", "synthesis", "new-paper"} <= set(made)
    assert not {"intro", "ledger", "glossary", "bibliography"} & set(made)


@pytest.mark.parametrize("page", PAGES)
def test_handout_has_a_plausible_length_and_names_its_chapter(site, page):
    pdf = handouts.handout_path(site, page)
    reader = pypdf.PdfReader(pdf)
    assert 1 <= len(reader.pages) <= MOST_SHEETS
    title = _title(_article(site, page))
    assert reader.metadata.title.startswith(title)
    assert title in _squeeze(reader.pages[0].extract_text())


@pytest.mark.parametrize("page", PAGES)
def test_handout_shows_the_numbers_of_a_table_the_chapter_computed(site, page):
    numbers = _printed_table_numbers(_article(site, page))
    if not numbers:
        pytest.skip(f"{page} prints no computed table")
    text = _text(handouts.handout_path(site, page))
    missing = [n for n in numbers if not re.search(rf"(?<![\d.]){re.escape(n)}(?![\d])", text)]
    assert missing == [], f"{len(missing)} of {len(numbers)} numbers missing"


@pytest.mark.parametrize("page", PAGES)
def test_solutions_are_printed_opened_after_all_the_exercises(site, page):
    soup = _article(site, page)
    exercises = [_squeeze(e.get_text()) for e in soup.select("article div.exercise p.admonition-title")]
    text = _text(handouts.handout_path(site, page))
    if not exercises:
        assert "Solution to" not in text
        return
    before, heading, after = text.rpartition(" Solutions ")
    assert heading, "no Solutions heading"
    assert "Solution to" not in before
    for exercise in exercises:
        assert exercise in before and f"Solution to {exercise}" in after
    for solution in soup.select("article div.solution section#solution-content > p"):
        opening = " ".join(_squeeze(solution.get_text()).split()[:6])
        assert opening in after, opening


@pytest.mark.parametrize("page", [*PAGES, "chapters/intro", "chapters/ledger", "chapters/glossary"])
def test_each_chapter_links_its_handout_and_other_pages_none(site, page):
    links = _article(site, page).select("p.il2-handout-link a")
    if page in PAGES:
        assert [a["href"] for a in links] == [handouts.handout_href(page)]
        assert (site / page).parent.joinpath(links[0]["href"]).resolve() == handouts.handout_path(site, page).resolve()
    else:
        assert links == []
