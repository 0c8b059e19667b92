"""The teaching layer, read from the chapter sources: objectives, exercises with solutions, glossary links."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from il2lib import sphinxext

TEACHING_PAGES = [p for p in sphinxext.toc_pages(ROOT) if p.stem not in {"ledger", "new-paper"}]


def test_the_primers_and_the_synthesis_are_in_the_book():
    names = {p.stem for p in TEACHING_PAGES}
    assert {"primer-response", "primer-survival", "primer-reading", "synthesis"} <= names


@pytest.mark.parametrize("page", TEACHING_PAGES, ids=lambda p: p.stem)
def test_every_chapter_and_primer_has_objectives_and_three_exercises_with_hidden_solutions(page):
    text = page.read_text(encoding="utf-8")
    assert "```{admonition} Learning objectives" in text
    exercises = re.findall(r"```\{exercise\}\n:label: (\S+)", text)
    assert len(exercises) >= 3, exercises
    for label in exercises:
        assert re.search(rf"```\{{solution-start\}} {re.escape(label)}\n:class: dropdown", text), label


def test_the_glossary_defines_the_terms_the_pages_link():
    glossary = (ROOT / "chapters" / "glossary.md").read_text(encoding="utf-8")
    block = glossary.split("```{glossary}")[1]
    defined = {line.strip() for line in block.splitlines() if line and not line.startswith((" ", "`"))}
    used = set()
    for page in (ROOT / "chapters").glob("*.md"):
        used |= set(re.findall(r"\{term\}`([^`<]+)`", page.read_text(encoding="utf-8")))
    assert used and used <= defined, used - defined
