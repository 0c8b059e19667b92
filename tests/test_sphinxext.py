"""The book's Sphinx extension helpers that need no build (module il2lib.sphinxext)."""

from __future__ import annotations

from conftest import ROOT

from il2lib import datasets, sphinxext


def test_toc_pages_are_the_executed_pages_in_toc_order():
    pages = [p.stem for p in sphinxext.toc_pages(ROOT)]
    assert pages[0] != "intro"                      # no code cells: nothing to execute
    assert "glossary" not in pages and "bibliography" not in pages
    assert pages.index("successive-courses") < pages.index("synthesis") < pages.index("ledger")
    assert all((ROOT / "chapters" / f"{p}.md").is_file() for p in pages)


def test_the_first_page_takes_each_patient_count_from_its_claim():
    """The intro's study table shows each study's patient count through a substitution, never typed."""
    counts = sphinxext.patient_counts()
    assert set(counts) == {f"patients_{s.replace('-', '_')}" for s in datasets.studies()}
    for study_id in datasets.studies():
        study = datasets.load(study_id)
        assert counts[f"patients_{study_id.replace('-', '_')}"] == study.claim(study.metadata["patients_claim"]).printed
    intro = (ROOT / "chapters" / "intro.md").read_text(encoding="utf-8")
    assert all(f"{{{{ {key} }}}}" in intro for key in counts)
