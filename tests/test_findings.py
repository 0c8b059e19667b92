"""Findings (il2lib.findings): one problem, all its printings; validated as data, listed strongest first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from il2lib import audit, datasets, findings
from il2lib.claims import Claim
from il2lib.exceptions import DataError

EXAMPLE = Path(__file__).resolve().parent.parent / "chapters" / "examples" / "example-study"
PATH = Path("data/s/findings.yaml")


def claim(claim_id: str, finding: str = "", expected: str = "match") -> Claim:
    return Claim("s", claim_id, "Table 1", claim_id, "4", "patients", expected, finding=finding)


def spec(title: str = "A title", summary: str = "Prose about {a}.") -> findings.FindingSpec:
    return findings.FindingSpec("f", title, summary)


def test_a_finding_may_not_type_a_published_number():
    problems = findings.problems([spec(summary="Table 2 prints 38 of {a}.")], [claim("a", "f")], PATH)
    assert problems == [f"{PATH}: finding 'f', summary: expected every published number written as {{claim-id}}, "
                        "found '38' typed"]


@pytest.mark.parametrize("label", ["Table 2", "Fig. 3", "course 3", "columns 3 and 4", "IL-2", "PD-L1", "gp100",
                                   "Alva 2016", "100%", "IV M1A"])
def test_labels_are_not_typed_numbers(label):
    assert findings.problems([spec(summary=f"{label} and {{a}}.")], [claim("a", "f")], PATH) == []


def test_a_finding_must_name_existing_claims_and_be_named():
    problems = findings.problems([spec(summary="{zz}")], [claim("a")], PATH)
    assert any("found {zz}" in p for p in problems)
    assert any("expected some claim of claims.csv to name it" in p for p in problems)


def test_a_claim_naming_an_unknown_finding_is_reported_with_its_line():
    problems = findings.problems([spec()], [claim("a", "f"), claim("b", "g")], PATH)
    assert problems == [f"{PATH.parent / 'claims.csv'}: line 3, column 'finding': expected a finding of findings.yaml, "
                        "found 'g'"]


def test_render_writes_each_claim_as_printed():
    assert findings.render("{a} of {b}", {"a": "38", "b": "201"}) == "38 of 201"


def rows(*entries: tuple) -> pd.DataFrame:
    columns = ["study", "id", "printed", "quantity", "note", "verdict", "premises", "finding", "evidence"]
    return pd.DataFrame([dict(zip(columns, e)) for e in entries], columns=columns)


def test_strength_is_arithmetic_when_any_contradiction_needs_no_premise_and_strongest_come_first():
    audit_rows = rows(("s", "a", "4", "q", "", "contradicted", ["p"], "weak", "e1"),
                      ("s", "b", "5", "q", "", "contradicted", [], "strong", "e2"),
                      ("s", "c", "6", "q", "", "contradicted", ["p"], "strong", "e3"))
    failed = pd.DataFrame(columns=["study", "detail", "premises", "finding"])
    specs = {"s": [findings.FindingSpec("weak", "W", "w"), findings.FindingSpec("strong", "S", "s")]}
    found = findings.assemble(audit_rows, failed, specs)
    assert [(f["id"], f["strength"], f["printings"], f["premises"]) for f in found] == [
        ("strong", "arithmetic", 2, []), ("weak", "premise", 1, ["p"])]


def test_a_contradicted_claim_naming_no_finding_is_a_finding_of_its_own():
    audit_rows = rows(("s", "a", "4", "Patients", "a note", "contradicted", [], "", "e1"))
    failed = pd.DataFrame(columns=["study", "detail", "premises", "finding"])
    [found] = findings.assemble(audit_rows, failed, {"s": []})
    assert (found["id"], found["title"], found["summary"], found["claims"]) == ("claim:a", "Patients", "a note", ["a"])


def test_a_failed_check_is_filed_under_the_finding_of_a_claim_it_involves(data_copy):
    """The guide's example names three findings; each failed check is filed under the finding of its claim."""
    shutil.copytree(EXAMPLE, data_copy / "example-study")
    audit_rows = audit.audit_study(datasets.load("example-study"))
    failed = audit.failed_checks(audit_rows)
    assert set(failed[failed["claims"].map(lambda c: "abs-dcr-pct" in c)]["finding"]) == {"dcr-rate"}
    found = {f["id"]: f for f in audit.findings(audit_rows)}
    assert found["dcr-rate"]["summary"].startswith("The Abstract gives disease control as 52%")
    assert [(i, found[i]["strength"]) for i in found] == [("dcr-rate", "arithmetic"), ("abstract-median", "arithmetic"),
                                                         ("two-year-rate", "premise")]
    assert found["two-year-rate"]["premises"] == ["km-landmark"]


def test_findings_file_problems_stop_the_load(data_copy):
    shutil.copytree(EXAMPLE, data_copy / "example-study")
    (data_copy / "example-study" / "findings.yaml").write_text("findings:\n  - id: Bad Id\n    title: t\n    summary: s\n",
                                                               encoding="utf-8")
    with pytest.raises(DataError, match=r"findings.yaml: line 2, key 'findings\[0\]\.id'"):
        datasets.load("example-study")


#: Every finding of the book's four studies: strength, printings, and how many of them are contradicted (a
#: finding whose premise the paper's own numbers deny contradicts none).  A change here is a change in what
#: the audit concludes: judge it, then update the table.
BOOK_FINDINGS = {
    ("after-pd1", "cycle-shares"): ("arithmetic", 9, 9),
    ("long-term-pfs", "alva-combined"): ("arithmetic", 3, 3),
    ("stable-disease", "survival-n"): ("arithmetic", 2, 2),
    ("stable-disease", "abstract-pd-median"): ("arithmetic", 1, 1),
    ("stable-disease", "discussion-denominator"): ("arithmetic", 4, 4),
    ("stable-disease", "sd-stages"): ("arithmetic", 3, 3),
    ("stable-disease", "one-year-greatest"): ("arithmetic", 1, 1),
    ("stable-disease", "fda-melanoma-year"): ("arithmetic", 1, 1),
    ("successive-courses", "rcc-orr"): ("arithmetic", 4, 4),
    ("successive-courses", "table5-columns"): ("arithmetic", 8, 8),
    ("after-pd1", "cr-follow-up"): ("premise", 1, 1),
    ("after-pd1", "best-vs-initial-pd"): ("premise", 2, 0),
    ("after-pd1", "braf"): ("premise", 2, 1),
    ("after-pd1", "metastatic-interval"): ("premise", 2, 0),
    ("long-term-pfs", "clark-combined"): ("premise", 1, 1),
    ("long-term-pfs", "mel-site-shares"): ("premise", 2, 0),
    ("long-term-pfs", "prieto-pairing"): ("premise", 2, 0),
    ("long-term-pfs", "not-reached"): ("premise", 2, 0),
    ("stable-disease", "p-0001"): ("premise", 8, 7),
    ("stable-disease", "nonresponder-median"): ("premise", 2, 1),
    ("successive-courses", "late-deepening"): ("premise", 15, 0),
    ("successive-courses", "cr-duration"): ("premise", 1, 1),
    ("successive-courses", "other-row"): ("premise", 1, 1),
}


@pytest.fixture(scope="module")
def book_rows():
    return audit.run()


def test_book_findings_are_pinned_strongest_first(book_rows):
    found = audit.findings(book_rows)
    assert {(f["study"], f["id"]): (f["strength"], f["printings"], f["contradicted"]) for f in found} == BOOK_FINDINGS
    strengths = [f["strength"] for f in found]
    assert strengths == sorted(strengths, key=findings.STRENGTHS.index)


def test_every_contradiction_in_the_book_is_written_up_in_a_finding(book_rows):
    contradicted = book_rows[book_rows["verdict"] == "contradicted"]
    assert (contradicted["finding"] != "").all(), contradicted[contradicted["finding"] == ""]["id"].tolist()


def test_a_premise_finding_names_its_premises_and_every_contradiction_in_it_rests_on_them(book_rows):
    for f in audit.findings(book_rows):
        if f["strength"] == "premise":
            assert f["premises"], f["id"]
            members = book_rows[(book_rows["study"] == f["study"]) & (book_rows["finding"] == f["id"])]
            for premises in members[members["verdict"] == "contradicted"]["premises"]:
                assert premises and set(premises) <= set(f["premises"]), f["id"]


def test_headline_counts_findings_and_printings(book_rows):
    summary = audit.summary(book_rows)
    assert summary["findings"]["total"] == len(BOOK_FINDINGS)
    assert summary["findings"]["printings"] == sum(p for _, p, _ in BOOK_FINDINGS.values())
    assert summary["verdicts"]["contradicted"] == sum(c for _, _, c in BOOK_FINDINGS.values())
