"""The audit (module il2lib.audit) and the judging of evidence (module il2lib.claims)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from il2lib import audit, datasets
from il2lib.claims import Bound, Claim, Derived, Statement, Verdict, judge, percent
from il2lib.exceptions import DataError
from il2lib.rounding import format_at


def _claim(printed: str, expected: Verdict = Verdict.MATCH, restates: str = "", claim_id: str = "c") -> Claim:
    return Claim("s", claim_id, "Table 1", "q", printed, "%", expected, restates)


def test_derived_value_judged_at_printed_precision():
    assert judge(_claim("19.0"), Derived(Fraction(3800, 201), "")) == Verdict.CONTRADICTED
    assert judge(_claim("18.9"), Derived(Fraction(3800, 201), "")) == Verdict.MATCH


def test_statement_settles_either_way():
    assert judge(_claim("2"), Statement(True, "")) == Verdict.MATCH
    assert judge(_claim("2"), Statement(False, "")) == Verdict.CONTRADICTED


def test_bound_can_refute_but_never_confirm():
    assert judge(_claim("162"), Bound(False, "")) == Verdict.CONTRADICTED
    assert judge(_claim("147"), Bound(True, "")) == Verdict.UNVERIFIABLE


def test_no_evidence_is_unverifiable():
    assert judge(_claim("7.1"), None) == Verdict.UNVERIFIABLE


def test_restatement_takes_the_evidence_of_the_claim_it_repeats():
    table = _claim("19.0", claim_id="t")
    text = _claim("19.0", restates="t", claim_id="abs")
    chain = _claim("19.0", restates="abs", claim_id="disc")
    evidence = {"t": percent(38, 201)}
    by_id = {c.id: c for c in (table, text, chain)}
    assert audit.evidence_for(chain, evidence, by_id) is evidence["t"]


def test_own_evidence_wins_over_restatement():
    own = Derived(21, "own")
    text = _claim("21", restates="t", claim_id="abs")
    assert audit.evidence_for(text, {"abs": own, "t": Derived(99, "")}, {"abs": text}) is own


def test_audit_rows_and_summary_agree():
    rows = audit.audit_study(datasets.load("successive-courses"))
    assert list(rows.columns) == audit.COLUMNS
    summary = audit.summary(rows)
    assert summary["claims"] == len(rows) == sum(summary["verdicts"].values())
    assert set(rows["basis"].dropna()) <= {"derived", "transcription", "consistency"}
    assert summary["verdicts"]["match"] == sum(summary["matches"].values())


def test_a_second_transcription_is_never_counted_as_re_derived():
    """A table cell typed twice confirms our typing: its basis is transcription, its share of the table derived."""
    rows = audit.audit_study(datasets.load("successive-courses")).set_index("id")
    assert rows.loc["t1-sex-male-melanoma-n", "basis"] == "transcription"     # the cell itself
    assert rows.loc["t1-sex-male-melanoma-pct", "basis"] == "derived"         # 99 / 149, re-computed
    kinds = audit.match_kinds(rows.reset_index())
    assert kinds["transcription"] == int(((rows["verdict"] == "match") & (rows["basis"] == "transcription")).sum())


def test_renal_cell_response_rate_is_contradicted_with_the_right_value():
    """Table 2's renal cell rate against its own count and denominator, in all four places it is printed."""
    study = datasets.load("successive-courses")
    best = study.tables["best_response"].query("histology == 'renal_cell'")
    exact = format_at(Fraction(100 * int(best["n"].sum()), int(best["patients"].iloc[0])), 1)
    rows = audit.audit_study(study).set_index("id")
    for claim_id in ("t2-renal_cell-orr-pct", "abs-rcc-orr", "rr-rcc-orr", "disc-rcc-orr"):
        assert rows.loc[claim_id, "verdict"] == "contradicted"
        assert rows.loc[claim_id, "shown"] == exact != rows.loc[claim_id, "printed"]


# --- consistency checks in the audit

#: Contradicted claims that no check on the printed numbers can find, only the data: log-rank p-values
#: (tested against reconstructed data) and a ranking of two rates that the claims file's relation columns
#: cannot express.  The ledger page lists them and says why.
FOUND_BY_DATA_ONLY = {("stable-disease", claim_id) for claim_id in (
    "os-orr-p", "os-sd-pd-p", "os-dcr-p", "fig2b-p", "fig3-sd-pd-p", "fig4-p", "disc-sd-pd-p", "lm-best-1y")}


@pytest.fixture(scope="module")
def all_rows():
    return audit.run()


def test_every_other_contradiction_is_also_found_by_a_generic_check(all_rows):
    bad = all_rows[all_rows["verdict"] == "contradicted"]
    unfound = {(r.study, r.id) for r in bad.itertuples() if not any(not c["passed"] for c in r.checks)}
    assert unfound == FOUND_BY_DATA_ONLY


def test_every_failed_check_is_explained_by_an_expected_contradiction(all_rows):
    failed = audit.failed_checks(all_rows)
    assert len(failed) > 0
    assert failed["explained"].all(), failed[~failed["explained"]]


def test_a_check_is_listed_on_each_claim_it_involves_and_their_restatements(all_rows):
    rows = all_rows[all_rows["study"] == "successive-courses"].set_index("id")
    share = [c for c in rows.loc["t2-renal_cell-orr-pct", "checks"] if c["name"] == "share"]
    assert share and not share[0]["passed"]
    for restating in ("abs-rcc-orr", "rr-rcc-orr", "disc-rcc-orr"):
        assert share[0] in rows.loc[restating, "checks"]


def test_a_failed_check_refutes_only_a_claim_with_no_other_evidence(all_rows):
    rows = all_rows.set_index(["study", "id"])
    # the 1996 approval year: nothing re-derives it, and its declared restatement of another study fails
    assert rows.loc[("stable-disease", "bg-fda-mel-year"), "basis"] == "consistency"
    assert rows.loc[("stable-disease", "bg-fda-mel-year"), "verdict"] == "contradicted"
    # the renal cell ORR keeps the evidence of its counts, although its share check fails too
    assert rows.loc[("successive-courses", "t2-renal_cell-orr-pct"), "basis"] == "derived"


def test_restating_an_unknown_claim_of_another_study_is_a_data_error(data_copy):
    path = data_copy / "stable-disease" / "claims.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("successive-courses:intro-fda-mel-year", "successive-courses:no-such-claim"),
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"line \d+, column 'restates': expected a claim of another study"):
        audit.run(["stable-disease"])


def test_a_claim_restating_another_studys_shows_the_verdict_there(all_rows):
    rows = all_rows.set_index(["study", "id"])
    assert rows.loc[("stable-disease", "bg-fda-mel-year"), "elsewhere"] == (
        "successive-courses:intro-fda-mel-year is unverifiable there")
    assert (all_rows["elsewhere"] != "").sum() == 3


def test_the_verdict_there_carries_its_basis_and_finding(data_copy, capsys):
    from il2lib import cli

    assert cli.main(["new", "reprint"]) == cli.AS_EXPECTED
    claims = data_copy / "reprint" / "claims.csv"
    claims.write_text(claims.read_text(encoding="utf-8") + "rcc-orr,Abstract,Renal cell response rate,19.0,%,,"
                      "successive-courses:t2-renal_cell-orr-pct" + "," * 13 + "\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["audit", "--study", "reprint"]) == cli.AS_EXPECTED
    out = capsys.readouterr().out
    row = audit.run(["reprint"]).set_index("id").loc["rcc-orr"]
    assert row["elsewhere"] == ("successive-courses:t2-renal_cell-orr-pct is contradicted there "
                                "(derived, arithmetic; finding rcc-orr)")
    assert "is contradicted there" in out
