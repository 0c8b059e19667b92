"""The book's words as a clinician reads them: prose free of programmer notation, numbers as a journal prints
them, one citation style and a bibliography that holds only bibliographic records.

Everything here reads the chapter sources, the bibliography and the configuration; no book is built.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from pybtex.database import parse_file

from il2lib import citations, datasets, sphinxext
from il2lib.consistency import Span
from il2lib.response import rate

PAGES = sphinxext.toc_pages(ROOT)
BIB = ROOT / "chapters" / "references.bib"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))

#: Fences whose content is code or file text, not prose.
_CODE_FENCE = re.compile(r"^\{(code-cell|code|literalinclude|math)\}|^[\w+-]*$")
_ROLE = re.compile(r"\{[\w:.-]+\}`[^`]*`")
_INLINE_CODE = re.compile(r"`([^`]*)`")


def claim_ids() -> set[str]:
    """Every claim id of every study, read from the data (never typed here)."""
    return {claim.id for study_id in datasets.studies() for claim in datasets.load(study_id).claims}


def prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) of the Markdown prose: no front matter, code cells, code blocks or directive options."""
    lines, fence, skip = [], None, False
    body = text.splitlines()
    start = 0
    if body and body[0].strip() == "---":
        start = next(i for i in range(1, len(body)) if body[i].strip() == "---") + 1
    for number, line in enumerate(body[start:], start=start + 1):
        opening = re.match(r"^\s*(`{3,}|~{3,})\s*(.*)$", line)
        if fence is None and opening:
            fence, skip = opening.group(1), bool(_CODE_FENCE.match(opening.group(2).strip()))
            continue
        if fence is not None and line.strip() == fence:
            fence, skip = None, False
            continue
        if skip or re.match(r"^\s*:[\w-]+:", line) or re.match(r"^\(\S+\)=$", line.strip()):
            continue
        lines.append((number, line))
    return lines


def defects(line: str, ids: set[str]) -> list[str]:
    """What a reader would see as programmer notation or non-journal numbers in one line of prose."""
    found = []
    for role in re.findall(r"\{(cite(?::\w+)?)\}`", line):
        if role not in ("cite:t", "cite:p"):
            found.append(f"citation role {{{role}}} (use {{cite:t}} or {{cite:p}})")
    text = _ROLE.sub("", line)
    for code in _INLINE_CODE.findall(text):
        if code in ids:
            found.append(f"claim id `{code}` used as a word")
    text = _INLINE_CODE.sub("", text)
    text = re.sub(r"\{\{[^}]*\}\}", "", text)   # substitutions
    for word in re.findall(r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)+", text):
        if word in ids:
            found.append(f"claim id {word} used as a word")
    checks = {
        "a range written with '..'": r"(?<=[\w%<>])\.\.(?=[\w<>])",
        "a number in e-notation": r"\b\d+(?:\.\d+)?[eE][-+]?\d+\b",
        "'and others' for et al.": r"\band others\b",
        "a p-value printed as 0.000": r"(?<![\d.])0\.000\b",
        "a numeric range with a hyphen, not an en dash": r"(?<![\w.\-−–])\d+(?:\.\d+)?%?-\d+(?:\.\d+)?(?![\w\-])",
    }
    found += [what for what, pattern in checks.items() if re.search(pattern, text)]
    return found


def page_defects(page: Path, ids: set[str]) -> list[str]:
    text = page.read_text(encoding="utf-8")
    found = [f"{page.name}:{n}: {d}" for n, line in prose_lines(text) for d in defects(line, ids)]
    for name in re.findall(r"\{glue:text\}`([^`]+)` patients?\b", text):
        if not name.startswith("pub-"):   # a published count keeps the paper's words; a computed one its noun
            found.append(f"{page.name}: computed {name} is followed by 'patients': glue formatting.count(n, 'patient')")
    for call in re.findall(r"glue_text\(.*", text):
        if re.search(r":[-+ ]?\.?\d*e\}", call):
            found.append(f"{page.name}: a value glued in e-notation: {call.strip()}")
        value = re.sub(r"^glue_text\(f?\"[^\"]*\",", "", call)   # the glued value, without its name
        if re.search(r"\}-\{", value):
            found.append(f"{page.name}: a range glued with a hyphen, not an en dash: {call.strip()}")
        name = re.match(r"glue_text\(f?\"([^\"]+)\"", call)
        if name and name.group(1).endswith("-p") and not re.search(r"p_text|p_value|scientific", call):
            found.append(f"{page.name}: p-value {name.group(1)} not formatted with il2lib.formatting: {call.strip()}")
    return found


def test_the_checker_finds_each_kind_of_defect():
    """Each check can fail: planted defects are found, and the book's own phrasing passes."""
    ids = {"t1-orr-n", "os-all-n"}
    planted = {
        "of the t1-orr-n responders": "claim id",
        "see `os-all-n` in the ledger": "claim id",
        "between 1995.5..1996.5 years": "'..'",
        "p is of the order of 3e-14": "e-notation",
        "Hughes and others (2015)": "and others",
        "log-rank p = 0.000": "0.000",
        "95% CI 10.8-38.5": "hyphen",
        "as {cite}`hughes2015stable` showed": "citation role",
    }
    for line, kind in planted.items():
        assert any(kind in d for d in defects(line, ids)), line
    fine = ["Hughes et al. (2015) {cite:p}`hughes2015stable`", "the stable-disease paper, PD-1 and PD-L1",
            "95% CI 10.8–38.5, p < 0.001", "{glue:text}`pub-t1-orr-n` of them", "`sd.predictions(study, max_months=...)`",
            "RECIST 1.1, 4–6 weeks"]
    assert [d for line in fine for d in defects(line, ids)] == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_prose_has_no_programmer_notation(page):
    assert page_defects(page, claim_ids()) == []


def test_prose_lines_skip_code_and_keep_directive_prose():
    text = ("---\nkernel: x\n---\nOne t1-x.\n```{code-cell} ipython3\nt1-x\n```\nThree.\n"
            "```{exercise}\n:label: a-b\nTwo.\n```\n```sh\nmake\n```\nFour.\n")
    assert [line for _, line in prose_lines(text)] == ["One t1-x.", "Three.", "Two.", "Four."]


def test_the_bibliography_holds_only_bibliographic_records():
    allowed = {"author", "editor", "title", "journal", "booktitle", "publisher", "year", "month", "volume",
               "number", "pages", "doi", "url", "edition", "address", "isbn", "issn"}
    for key, entry in parse_file(str(BIB)).entries.items():
        extra = {f.lower() for f in entry.fields} - allowed
        assert not extra, f"{key}: provenance belongs in data/<study>/README.md, not in fields {extra}"
        assert "confirmed" not in entry.fields.get("title", ""), key


def test_every_study_readme_keeps_the_provenance_of_its_sources():
    for study_id in datasets.studies():
        text = (datasets.data_dir() / study_id / "README.md").read_text(encoding="utf-8")
        assert re.search(r"^## (Sources|Provenance)", text, re.MULTILINE) or "Source:" in text, study_id


def test_citations_and_bibliography_read_et_al_for_and_others():
    citations.setup(None)
    import pybtex.plugin

    entries = parse_file(str(BIB)).entries
    bibliography = pybtex.plugin.find_plugin("pybtex.style.formatting", citations.BIBLIOGRAPHY_STYLE)()
    for formatted in bibliography.format_entries(entries.values()):
        text = formatted.text.render_as("text")
        assert "others" not in text, text
        if citations.named_authors(entries[formatted.key].persons["author"])[1]:
            assert " et al." in text, text
    style = citations.AuthorYearEtAl()
    for key, entry in entries.items():
        named, more = citations.named_authors(entry.persons["author"])
        authors = style.person.author_or_editor_or_title(full=False).format_data({"entry": entry, "style": style})
        text = authors.render_as("text")
        assert "others" not in text, key
        assert text.endswith(" et al.") == (more or len(named) >= 3), (key, text)
    assert (style.bracket_parenthetical.left, style.bracket_parenthetical.right) == ("(", ")")


def test_the_configuration_selects_those_styles_and_renders_definition_lists():
    sphinx = CONFIG["sphinx"]
    assert "il2lib.citations" in sphinx["extra_extensions"]
    assert sphinx["config"]["bibtex_reference_style"] == citations.REFERENCE_STYLE
    assert sphinx["config"]["bibtex_default_style"] == citations.BIBLIOGRAPHY_STYLE
    extensions = set(CONFIG["parse"]["myst_enable_extensions"])
    # the list replaces Jupyter Book's defaults, so they must all be there, with deflist for the appendices
    assert {"deflist", "colon_fence", "dollarmath", "linkify", "substitution", "tasklist"} <= extensions
    uses_c = any("(c)" in line for page in PAGES for _, line in prose_lines(page.read_text(encoding="utf-8")))
    assert not (uses_c and "replacements" in extensions), "replacements would print the exercises' (c) as ©"


def test_library_texts_print_ranges_as_a_journal_does():
    assert rate(2, 13).as_percent() == "15.4% (95% CI 1.9–45.4)"
    assert str(Span.of("4") + Span.of("13")) == "16 to 18"
    assert ".." not in str(Span.of("nearly 4")) and ".." not in str(Span.of("1").divided_by(Span.of("0")))
