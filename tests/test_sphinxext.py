"""The book's Sphinx extension helpers that need no build (module il2lib.sphinxext)."""

from __future__ import annotations

from conftest import ROOT

from il2lib import sphinxext


def test_toc_pages_are_the_executed_pages_in_toc_order():
    pages = [p.stem for p in sphinxext.toc_pages(ROOT)]
    assert pages[0] != "intro"                      # no code cells: nothing to execute
    assert "glossary" not in pages and "bibliography" not in pages
    assert pages.index("successive-courses") < pages.index("synthesis") < pages.index("ledger")
    assert all((ROOT / "chapters" / f"{p}.md").is_file() for p in pages)
