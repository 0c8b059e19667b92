"""The il2 command (module il2lib.cli): output, JSON shape and exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT

from il2lib import cli


def test_audit_prints_table_and_summary(capsys):
    assert cli.main(["audit", "--study", "successive-courses"]) == 0
    out = capsys.readouterr().out
    assert "t2-renal_cell-orr-pct" in out
    assert out.rstrip().splitlines()[-1].endswith("every verdict as expected, every failed check explained.")


def test_audit_json_shape(capsys):
    assert cli.main(["audit", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {"claims", "findings", "premises", "summary"}
    first = payload["claims"][0]
    assert {"study", "id", "source", "published", "reproduced", "verdict", "basis", "premises", "strength",
            "finding", "note"} <= set(first)
    for claim in payload["claims"]:
        assert claim["published"] is None or isinstance(claim["published"], float)
        assert claim["reproduced"] is None or isinstance(claim["reproduced"], float)
        assert claim["basis"] in ("transcription", "derived", "reconstructed", "cited report", "consistency", None)
        assert claim["strength"] in (("arithmetic", "premise") if claim["verdict"] == "contradicted" else ("",))
        assert claim["strength"] != "premise" or claim["premises"]
        for check in claim["checks"]:
            assert set(check) == {"name", "passed", "detail", "informative", "premises", "tests", "finding",
                                  "explained"}
            assert isinstance(check["passed"], bool) and check["detail"]
    for finding in payload["findings"]:
        assert finding["strength"] in ("arithmetic", "premise") and finding["printings"] == len(finding["claims"])
    strengths = [f["strength"] for f in payload["findings"]]
    assert strengths == sorted(strengths, key=("arithmetic", "premise").index)   # strongest first
    assert payload["summary"]["claims"] == len(payload["claims"])
    assert payload["summary"]["checks"]["run"] > 0


def test_markdown_report(capsys):
    assert cli.main(["audit", "--study", "long-term-pfs", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Audit of published numbers")
    for heading in ("## By study", "## Findings, strongest first", "## Premises", "## Failed consistency checks",
                    "## Every claim"):
        assert heading in out
    assert "| long-term-pfs | t1-clark-dcr |" in out


def test_exit_1_when_a_verdict_is_not_the_expected_one(data_copy, capsys):
    path = data_copy / "successive-courses" / "claims.csv"
    text = path.read_text()
    # claim the paper's 19.0% renal cell response rate holds; the audit must disagree
    path.write_text(text.replace("19.0,%,contradicted,,", "19.0,%,match,,", 1))
    assert cli.main(["audit", "--study", "successive-courses"]) == 1
    assert "NOT as expected" in capsys.readouterr().out


def test_exit_1_when_a_failed_check_is_unexplained(data_copy, capsys):
    path = data_copy / "after-pd1" / "claims.csv"
    lines = path.read_text().splitlines(keepends=True)
    # declare that the 40 melanoma patients are at most the 17 renal cell ones: a check that must fail
    # on a claim nobody expects to be contradicted
    header = lines[0].rstrip("\n").split(",")
    row = next(i for i, line in enumerate(lines) if line.startswith("abs-mel-patients,"))
    cells = lines[row].rstrip("\n").split(",")
    cells[header.index("at_most")] = "abs-rcc-patients"
    lines[row] = ",".join(cells) + "\n"
    path.write_text("".join(lines))
    assert cli.main(["audit", "--study", "after-pd1"]) == 1
    out = capsys.readouterr().out
    assert "UNEXPLAINED after-pd1 at-most: abs-mel-patients (40 patients) ≤ abs-rcc-patients" in out


def test_exit_2_with_the_error_on_bad_data(data_copy, capsys):
    path = data_copy / "successive-courses" / "characteristics.csv"
    path.write_text(path.read_text().replace("melanoma,sex,male,99", "melanoma,sex,male,9x"))
    assert cli.main(["audit"]) == 2
    err = capsys.readouterr().err
    assert "characteristics.csv: line 2, column 'n': expected a whole number, found '9x'" in err


def test_exit_2_on_unknown_study(capsys):
    assert cli.main(["audit", "--study", "no-such-study"]) == 2
    assert "no study 'no-such-study'" in capsys.readouterr().err


def test_validate(capsys):
    assert cli.main(["validate"]) == 0
    assert "successive-courses" in capsys.readouterr().out


def test_notebook_writes_a_chapter_as_ipynb(tmp_path, capsys):
    import nbformat

    from conftest import ROOT

    target = tmp_path / "new-paper-unexecuted.ipynb"
    assert cli.main(["notebook", str(ROOT / "chapters" / "new-paper.md"), "-o", str(target), "--no-execute"]) == 0
    notebook = nbformat.read(target, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and "cli.main" in "".join(cell.source for cell in code)
    assert "wrote" in capsys.readouterr().out


def test_notebook_executes_a_chapter(tmp_path):
    import nbformat

    from conftest import ROOT

    target = tmp_path / "new-paper.ipynb"
    assert cli.main(["notebook", str(ROOT / "chapters" / "new-paper.md"), "-o", str(target)]) == 0
    outputs = [o for cell in nbformat.read(target, as_version=4).cells if cell.cell_type == "code"
               for o in cell.get("outputs", [])]
    assert any("example-study" in str(o) for o in outputs)


def test_notebook_of_a_missing_page(capsys):
    assert cli.main(["notebook", "chapters/no-such-page.md"]) == 2
    assert "no chapter source" in capsys.readouterr().err


def test_audit_json_is_identical_across_runs(capsys):
    """Another process (another hash seed) prints the same audit JSON as this one."""
    other = subprocess.run([sys.executable, "-m", "il2lib.cli", "audit", "--json"], capture_output=True, text=True,
                           cwd=ROOT, check=False, env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert other.returncode == 0 and cli.main(["audit", "--json"]) == 0
    assert capsys.readouterr().out == other.stdout
    assert json.loads(other.stdout)["summary"]["claims"] > 0


def test_a_study_without_claims_says_where_to_add_them(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IL2_DATA_DIR", str(tmp_path))
    assert cli.main(["new", "fresh"]) == cli.AS_EXPECTED
    capsys.readouterr()
    assert cli.main(["audit", "--study", "fresh"]) == cli.AS_EXPECTED
    out = capsys.readouterr().out
    assert out == (f"fresh: no claims yet; add one row per printed number to {tmp_path / 'fresh' / 'claims.csv'}, "
                   "and run `il2 validate` after each\n")
