"""The il2 command (module il2lib.cli): output, JSON shape and exit status."""

from __future__ import annotations

import json

from il2lib import cli


def test_audit_prints_table_and_summary(capsys):
    assert cli.main(["audit", "--study", "successive-courses"]) == 0
    out = capsys.readouterr().out
    assert "t2-renal_cell-orr-pct" in out
    assert out.rstrip().splitlines()[-1].endswith("every verdict as expected.")


def test_audit_json_shape(capsys):
    assert cli.main(["audit", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {"claims", "summary"}
    first = payload["claims"][0]
    assert {"study", "id", "source", "published", "reproduced", "verdict", "basis", "note"} <= set(first)
    for claim in payload["claims"]:
        assert claim["published"] is None or isinstance(claim["published"], float)
        assert claim["reproduced"] is None or isinstance(claim["reproduced"], float)
        assert claim["basis"] in ("counts", "reconstructed", "cited report", None)
    assert payload["summary"]["claims"] == len(payload["claims"])


def test_exit_1_when_a_verdict_is_not_the_expected_one(data_copy, capsys):
    path = data_copy / "successive-courses" / "claims.csv"
    text = path.read_text()
    # claim the paper's 19.0% renal cell response rate holds; the audit must disagree
    path.write_text(text.replace("19.0,%,contradicted,,", "19.0,%,match,,", 1))
    assert cli.main(["audit", "--study", "successive-courses"]) == 1
    assert "NOT as expected" in capsys.readouterr().out


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
