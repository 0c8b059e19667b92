"""The audit (module il2lib.audit) and the judging of evidence (module il2lib.claims)."""

from __future__ import annotations

from fractions import Fraction

from il2lib import audit, datasets
from il2lib.claims import Bound, Claim, Derived, Statement, Verdict, judge, percent
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
    assert set(rows["basis"].dropna()) <= {"counts", "reconstructed"}


def test_renal_cell_response_rate_is_contradicted_with_the_right_value():
    """Table 2's renal cell rate against its own count and denominator, in all four places it is printed."""
    study = datasets.load("successive-courses")
    best = study.tables["best_response"].query("histology == 'renal_cell'")
    exact = format_at(Fraction(100 * int(best["n"].sum()), int(best["patients"].iloc[0])), 1)
    rows = audit.audit_study(study).set_index("id")
    for claim_id in ("t2-renal_cell-orr-pct", "abs-rcc-orr", "rr-rcc-orr", "disc-rcc-orr"):
        assert rows.loc[claim_id, "verdict"] == "contradicted"
        assert rows.loc[claim_id, "shown"] == exact != rows.loc[claim_id, "printed"]
