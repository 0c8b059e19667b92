"""The guide "Auditing a new paper" (chapters/new-paper.md), walked step by step on a fresh paper.

The paper is an invented abstract of a phase II trial in two cohorts, melanoma and renal cell carcinoma: 18
printed numbers, with two planted errors.

* The melanoma shares of complete and partial response, stable and progressive disease (4, 17, 23 and 57%
  of 47 patients) are each a possible share of 47 patients (2, 8, 11 and 27 of them), and as percentages
  they could round from 100%; but in whole patients they add up to 48, not 47.
* The renal cell median overall survival is printed as not reached, yet the two-year survival rate printed
  with it is 44%: on one Kaplan-Meier curve a median not reached means survival stays above 50%.

The renal cell shares (8, 22, 36 and 33% of 36 patients: 3 + 8 + 13 + 12 = 36) and the melanoma two-year rate
(28% with a median of 13.1 months) hold together, and must pass.

Everything happens in a data folder of its own (``IL2_DATA_DIR``), as the guide recommends.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from il2lib import cli, datasets
from il2lib.claims import TO_REVIEW

ROOT = Path(__file__).resolve().parent.parent
STUDY = "demo-phase2"
MEL_SHARES = ["abs-mel-cr-pct", "abs-mel-pr-pct", "abs-mel-sd-pct", "abs-mel-pd-pct"]
PRE_FILLED = "abs-n"   # the one claim whose expected verdict (and note) the author wrote while transcribing


def _claim(claim_id: str, source: str, quantity: str, printed: str, unit: str, **columns: str) -> dict[str, str]:
    return {"id": claim_id, "source": source, "quantity": quantity, "printed": printed, "unit": unit, **columns}


def _cohort(cohort: str, name: str, n_claim: str, shares: tuple[str, str, str, str], orr: str) -> list[dict]:
    rows = [_claim(f"abs-{cohort}-{response.lower()}-pct", "Abstract: Results", f"{name}: {label}", share, "%",
                   of=n_claim, partition=f"{cohort}-best-response")
            for response, label, share in zip(("CR", "PR", "SD", "PD"), ("complete response", "partial response",
                                                                           "stable disease", "progressive disease"),
                                               shares)]
    rows.append(_claim(f"abs-{cohort}-orr-pct", "Abstract: Results", f"{name}: objective response rate", orr, "%",
                       of=n_claim, sum_of=f"abs-{cohort}-cr-pct + abs-{cohort}-pr-pct"))
    return rows


#: The invented abstract, one row per printed number (18 of them).
ABSTRACT = [
    _claim("abs-n", "Abstract: Methods", "Patients treated", "83", "patients", expected="unverifiable",
           note="Only the two cohort sizes it adds up from bear on it; nothing re-derives it.",
           sum_of="abs-mel-n + abs-rcc-n"),
    _claim("abs-mel-n", "Abstract: Methods", "Melanoma: patients treated", "47", "patients"),
    _claim("abs-rcc-n", "Abstract: Methods", "Renal cell: patients treated", "36", "patients"),
    *_cohort("mel", "Melanoma", "abs-mel-n", ("4", "17", "23", "57"), "21"),
    *_cohort("rcc", "Renal cell", "abs-rcc-n", ("8", "22", "36", "33"), "31"),
    _claim("abs-mel-median-os", "Abstract: Results", "Melanoma: median overall survival", "13.1", "months"),
    _claim("abs-mel-os-2y", "Abstract: Results", "Melanoma: overall survival at 2 years", "28", "%",
           median="abs-mel-median-os", landmark="2 years"),
    _claim("abs-rcc-median-os", "Abstract: Results", "Renal cell: median overall survival", "not reached", "months"),
    _claim("abs-rcc-os-2y", "Abstract: Results", "Renal cell: overall survival at 2 years", "44", "%",
           median="abs-rcc-median-os", landmark="2 years"),
    _claim("abs-follow-up", "Abstract: Results", "Median follow-up", "25", "months"),
]

#: The failed checks' details, as the audit words them.
PARTITION_FAILS = ("shares abs-mel-cr-pct + abs-mel-pr-pct + abs-mel-sd-pct + abs-mel-pd-pct cover every patient "
                   "(mel-best-response): in patients of 47, 2 + 8 + 11 + 27 = 48, against 47")
LANDMARK_FAILS = "the median was not reached, so survival at the landmark must be above 50%: 44% is not"


@pytest.fixture()
def papers(tmp_path, monkeypatch) -> Path:
    """A data folder outside the code, not created yet (``il2 new`` creates it)."""
    folder = tmp_path / "papers" / "data"
    monkeypatch.setenv("IL2_DATA_DIR", str(folder))
    return folder


def _append(claims_file: Path, rows: list[dict[str, str]]) -> None:
    """Add rows under the header ``il2 new`` wrote, with the csv module (as a spreadsheet would)."""
    with claims_file.open(newline="", encoding="utf-8") as stream:
        header = next(csv.reader(stream))
    with claims_file.open("a", newline="", encoding="utf-8") as stream:
        csv.DictWriter(stream, header, lineterminator="\n").writerows(rows)


def _rows(claims_file: Path) -> dict[str, dict[str, str]]:
    with claims_file.open(newline="", encoding="utf-8") as stream:
        return {row["id"]: row for row in csv.DictReader(stream)}


def _unwrapped(text: str) -> str:
    """The text report with its wrapped lines joined (it wraps at spaces and after hyphens)."""
    return " ".join(text.split()).replace("- ", "-")


def _audit_json(capsys, *extra: str) -> tuple[int, dict]:
    status = cli.main(["audit", "--study", STUDY, "--json", *extra])
    return status, json.loads(capsys.readouterr().out)


def test_the_guide_step_by_step_on_a_new_paper(papers, capsys):
    # 1. il2 new: a commented study.yaml and a claims file with only its header, in the folder IL2_DATA_DIR names
    assert cli.main(["new", STUDY]) == 0
    out = capsys.readouterr().out
    folder = papers / STUDY
    assert f"wrote {folder / 'study.yaml'}\nwrote {folder / 'claims.csv'}\n" in out
    claims_file = folder / "claims.csv"
    header = claims_file.read_text(encoding="utf-8")
    assert header.count("\n") == 1 and header.startswith("id,source,quantity,printed,unit,expected,restates,note,")
    assert "partition" in header.split(",") and "# patients_claim: abs-n" in (folder / "study.yaml").read_text()
    assert datasets.studies() == [STUDY] and len(datasets.load(STUDY).claims) == 0
    # ... and it never overwrites
    assert cli.main(["new", STUDY]) == 2
    assert "exists already; nothing written" in capsys.readouterr().err
    assert claims_file.read_text(encoding="utf-8") == header

    # 2. transcribe, expected left empty (but for one claim), and validate
    _append(claims_file, ABSTRACT)
    assert cli.main(["validate"]) == 0
    assert capsys.readouterr().out == f"{STUDY}: 0 tables and 18 claims are valid\n"

    # 3. audit: verdicts reached but not judged; the two planted errors fail checks nobody has judged yet,
    #    so the audit exits 1 (the guide's section on judging failed checks)
    assert cli.main(["audit", "--study", STUDY]) == 1
    out = capsys.readouterr().out
    assert out.rstrip().endswith("2 verdicts or failed checks NOT as expected; 17 expected verdicts not written yet "
                                 "(il2 audit --study ID --record).")
    flat = _unwrapped(out)
    assert f"UNEXPLAINED {STUDY} partition: {PARTITION_FAILS}" in flat
    assert f"UNEXPLAINED {STUDY} landmark: abs-rcc-os-2y (44%) at 2 years, median not reached" in flat
    assert LANDMARK_FAILS in flat
    status, payload = _audit_json(capsys)
    assert status == 1
    reached = {c["id"]: c["verdict"] for c in payload["claims"]}
    reached_evidence = {c["id"]: c["note"] for c in payload["claims"]}   # no note written yet: the evidence
    assert {i for i, v in reached.items() if v == "contradicted"} == {*MEL_SHARES, "abs-rcc-os-2y"}
    assert reached["abs-rcc-median-os"] == "unverifiable"   # "not reached" is a value; it is the rate that fails
    assert payload["summary"]["checks"] == {"run": 17, "informative": 15, "uninformative": 0, "failed": 2,
                                            "unexplained": 2}
    assert (payload["summary"]["unexpected"], payload["summary"]["unrecorded"]) == (2, 17)
    checks = {check["detail"]: check["passed"] for c in payload["claims"] for check in c["checks"]}
    assert checks["shares abs-rcc-cr-pct + abs-rcc-pr-pct + abs-rcc-sd-pct + abs-rcc-pd-pct cover every patient "
                  "(rcc-best-response): in patients of 36, 3 + 8 + 13 + 12 = 36, against 36"] is True
    assert checks["abs-mel-orr-pct (21%) = abs-mel-cr-pct + abs-mel-pr-pct: in patients of 47, 2 + 8 = 10, "
                  "against 10 for 21%"] is True
    assert [passed for detail, passed in checks.items() if detail.startswith("abs-mel-os-2y (28%)")] == [True]

    # 4. --record writes the verdicts reached into the empty expected cells only, and lists them
    before = _rows(claims_file)
    pre_filled_line = next(line for line in claims_file.read_text().splitlines() if line.startswith(f"{PRE_FILLED},"))
    assert cli.main(["audit", "--study", STUDY, "--record"]) == 0
    out = capsys.readouterr().out.splitlines()
    recorded = [line for line in out if line.startswith("recorded ")]
    assert len(recorded) == 17 and f"recorded {STUDY} abs-mel-pd-pct: contradicted" in recorded
    assert f"recorded {STUDY} abs-rcc-median-os: unverifiable" in recorded
    assert not any(line.startswith(f"recorded {STUDY} {PRE_FILLED}:") for line in out)
    assert out[-1].startswith("Review each one. A verdict other than match needs a note saying why")
    after = _rows(claims_file)
    assert pre_filled_line in claims_file.read_text().splitlines()
    for claim_id, row in after.items():   # only the empty expected and note cells changed
        assert {k: v for k, v in row.items() if k not in ("expected", "note")} == \
            {k: v for k, v in before[claim_id].items() if k not in ("expected", "note")}
        assert row["expected"] == (before[claim_id]["expected"] or reached[claim_id])
        assert row["note"] == before[claim_id]["note"] or row["note"].startswith(TO_REVIEW)
    assert sum(row["expected"] == "contradicted" for row in after.values()) == 5
    assert sum(row["note"].startswith(TO_REVIEW) for row in after.values()) == 17
    assert after["abs-rcc-os-2y"]["note"] == f"{TO_REVIEW} {reached_evidence['abs-rcc-os-2y']}"

    # 5. the recorded notes are the audit's evidence, marked TO REVIEW: the files stay valid, the failed
    #    checks are filed under the recorded contradictions, and the summary counts the notes to review
    assert cli.main(["audit", "--study", STUDY]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("every verdict as expected, every failed check explained; 17 recorded notes "
                                 "marked TO REVIEW.")
    notes = {claim_id: "Contradicted by the partition: in whole patients the four melanoma shares of 47 add to 48."
             for claim_id in MEL_SHARES}
    notes["abs-rcc-os-2y"] = "With the median not reached, survival at two years should stay above half."
    rows = list(after.values())
    for row in rows:   # the author replaces each recorded note with one in their own words
        if row["note"].startswith(TO_REVIEW):
            row["note"] = notes.get(row["id"], "Only its declared relations bear on it; nothing re-derives it.")
    with claims_file.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    # 6. with the verdicts written and explained, the failed checks are filed and the audit passes
    assert cli.main(["validate"]) == 0
    capsys.readouterr()
    assert cli.main(["audit", "--study", STUDY]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("2 failed; every verdict as expected, every failed check explained.")
    assert "UNEXPLAINED" not in out and "not written yet" not in out
    flat = " ".join(out.split())   # notes wrap at word boundaries
    assert "; claim:abs-mel-cr-pct]" in flat and "; claim:abs-rcc-os-2y]" in flat   # filed under their findings
    status, payload = _audit_json(capsys)
    assert status == 0 and payload["summary"]["unrecorded"] == 0
    assert payload["summary"]["findings"] == {"total": 5, "arithmetic": 4, "premise": 1, "printings": 5}
    # recording again changes nothing
    text = claims_file.read_text(encoding="utf-8")
    assert cli.main(["audit", "--study", STUDY, "--record"]) == 0
    assert capsys.readouterr().out == f"{STUDY}: every expected verdict was already written; nothing changed\n"
    assert claims_file.read_text(encoding="utf-8") == text


def test_a_not_reached_median_restated_by_a_number_fails(papers, capsys):
    assert cli.main(["new", STUDY]) == 0
    claims_file = papers / STUDY / "claims.csv"
    _append(claims_file, [
        _claim("abs-rcc-median-os", "Abstract: Results", "Renal cell: median overall survival", "not reached",
               "months"),
        _claim("res-rcc-median-os", "Results", "Renal cell: median overall survival", "38.2", "months",
               restates="abs-rcc-median-os"),
    ])
    capsys.readouterr()
    status, payload = _audit_json(capsys)
    assert status == 1   # an unexplained failed restatement
    reached = {c["id"]: c["verdict"] for c in payload["claims"]}
    assert reached == {"abs-rcc-median-os": "unverifiable", "res-rcc-median-os": "contradicted"}
    failed = [check for check in payload["claims"][1]["checks"] if not check["passed"]]
    assert [(check["name"], check["detail"]) for check in failed] == [
        ("restatement", "res-rcc-median-os (38.2 months) restates abs-rcc-median-os (Abstract: Results: not reached "
                        "months): a median not reached cannot be one that was")]
    assert payload["summary"]["checks"]["unexplained"] == 1


def test_a_claim_restating_a_study_of_the_book_shows_its_verdict_there(papers, capsys):
    assert cli.main(["new", STUDY]) == 0
    shutil.copytree(ROOT / "data" / "successive-courses", papers / "successive-courses")
    _append(papers / STUDY / "claims.csv", [
        _claim("intro-rcc-orr", "Introduction", "Renal cell response rate of an earlier series", "19", "%",
               restates="successive-courses:t2-renal_cell-orr-pct"),
    ])
    capsys.readouterr()
    assert cli.main(["audit", "--study", STUDY]) == 0
    out = capsys.readouterr().out
    unwrapped = _unwrapped(out)
    assert "is contradicted there" in unwrapped
    assert ("unverifiable nothing embedded re-derives this number; successive-courses:t2-renal_cell-orr-pct is "
            "contradicted there (derived, arithmetic; finding rcc-orr)") in unwrapped
    assert out.rstrip().endswith("every verdict as expected, every failed check explained; 1 expected verdict not "
                                 "written yet (il2 audit --study ID --record).")
    status, payload = _audit_json(capsys)
    (claim,) = payload["claims"]
    assert status == 0 and claim["verdict"] == "unverifiable"   # checked against it, never evidence
    assert claim["elsewhere"] == ("successive-courses:t2-renal_cell-orr-pct is contradicted there "
                                  "(derived, arithmetic; finding rcc-orr)")
    assert [(c["name"], c["passed"]) for c in claim["checks"]] == [("restatement", True)]
