"""Auditing a new paper end to end, as the guide "Auditing a new paper" does it.

The synthetic example study (``chapters/examples/example-study``, invented for
the guide) is copied into a data folder; nothing in il2lib is changed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from il2lib import cli, datasets

EXAMPLE = Path(__file__).resolve().parent.parent / "chapters" / "examples" / "example-study"


@pytest.fixture()
def with_example(data_copy: Path) -> Path:
    """The book's data plus the example study, as a reader following the guide would have them."""
    shutil.copytree(EXAMPLE, data_copy / "example-study")
    return data_copy / "example-study"


def test_a_new_folder_is_discovered_with_no_code_change(with_example):
    assert "example-study" in datasets.studies()
    assert len(datasets.load("example-study").claims) == 13


def test_validate_and_audit_the_new_study(with_example, capsys):
    assert cli.main(["validate"]) == 0
    assert "example-study: 1 tables and 13 claims are valid" in capsys.readouterr().out
    assert cli.main(["audit", "--study", "example-study", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    verdicts = {c["id"]: c["verdict"] for c in payload["claims"]}
    assert {i for i, v in verdicts.items() if v == "contradicted"} == {"abs-dcr-pct", "abs-median-os", "res-os-2y"}
    assert payload["summary"]["checks"] == {"run": 11, "informative": 7, "uninformative": 1, "failed": 3,
                                            "unexplained": 0}
    pr = next(c for c in payload["claims"] if c["id"] == "t2-pr-pct")
    assert any("only if halves are rounded half-up" in check["detail"] for check in pr["checks"])


def test_the_whole_audit_includes_the_new_study(with_example, capsys):
    assert cli.main(["audit", "--markdown"]) == 0
    assert "| example-study | 13 |" in capsys.readouterr().out


def test_a_wrong_declaration_is_reported_with_file_line_and_column(with_example, capsys):
    claims = with_example / "claims.csv"
    claims.write_text(claims.read_text().replace("t2-cr-pct + t2-pr-pct,", "t2-cr-pct + t2-xx-pct,"))
    assert cli.main(["audit", "--study", "example-study"]) == 2
    err = capsys.readouterr().err
    assert "example-study/claims.csv: line 10, column 'sum_of': expected empty, or ids of other claims" in err
    assert "found 't2-cr-pct + t2-xx-pct'" in err


def test_a_planted_error_left_unjudged_fails_the_audit(with_example, capsys):
    claims = with_example / "claims.csv"
    text = claims.read_text()
    text = text.replace("14.8,months,contradicted,res-median-os,The results print",
                        "14.8,months,unverifiable,res-median-os,The results print")
    claims.write_text(text.replace(",abstract-median\n", ",\n"))
    findings = with_example / "findings.yaml"
    kept = findings.read_text().split("  - id: abstract-median")[0] + "  - id: two-year-rate" + \
        findings.read_text().split("  - id: two-year-rate")[1]
    findings.write_text(kept)
    assert cli.main(["audit", "--study", "example-study"]) == 1
    out = capsys.readouterr().out
    assert "contradicted (expected unverifiable)" in out
    # the verdict differs from the expected one, and the failed restatement check is no longer explained
    assert "2 verdicts or failed checks NOT as expected" in out
    assert "UNEXPLAINED example-study restatement: abs-median-os" in out
