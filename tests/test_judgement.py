"""One claim's verdict (il2lib.judgement): evidence against checks, premises, withheld verdicts, strength."""

from __future__ import annotations

from fractions import Fraction

from il2lib.claims import Basis, Bound, Claim, Derived, Verdict, transcribed
from il2lib.consistency import Check
from il2lib.judgement import NOTHING, judge_claim

CLAIM = Claim("s", "x", "Table 1", "x", "5", "patients", "unverifiable")
FAILS = Check("sum", False, "x = a + b: 3 + 4 spans 7", ("x", "a", "b"))
FAILS_UNDER_P = Check("sum", False, "x = a: 4", ("x", "a"), premises=("p",))
DENIES_P = Check("sum", False, "y = c: 9", ("y", "c"), premises=("p",), tests="p")


def nothing_denied(premise: str) -> list[Check]:
    return []


def p_denied(premise: str) -> list[Check]:
    return [DENIES_P] if premise == "p" else []


def test_nothing_bearing_on_a_claim_leaves_it_unverifiable():
    judgement = judge_claim(CLAIM, None, [], nothing_denied)
    assert (judgement.verdict, judgement.basis, judgement.evidence) == (Verdict.UNVERIFIABLE, None, NOTHING)


def test_a_failed_check_with_no_premise_is_an_arithmetic_contradiction():
    judgement = judge_claim(CLAIM, None, [FAILS], nothing_denied)
    assert (judgement.verdict, judgement.basis, judgement.strength) == (Verdict.CONTRADICTED, "consistency", "arithmetic")


def test_derived_evidence_wins_over_a_failed_check():
    judgement = judge_claim(CLAIM, Derived(5, "2 + 3"), [FAILS], nothing_denied)
    assert (judgement.verdict, judgement.basis) == (Verdict.MATCH, "derived")


def test_a_second_transcription_gives_way_to_a_failed_check():
    """A cell typed twice confirms our typing only; the check says something about the paper."""
    judgement = judge_claim(CLAIM, transcribed(5, "t.csv"), [FAILS], nothing_denied)
    assert (judgement.verdict, judgement.basis) == (Verdict.CONTRADICTED, "consistency")


def test_a_bound_that_holds_gives_way_to_a_failed_check():
    judgement = judge_claim(CLAIM, Bound(True, "within follow-up"), [FAILS], nothing_denied)
    assert judgement.verdict == Verdict.CONTRADICTED


def test_a_contradiction_under_a_premise_names_it():
    judgement = judge_claim(CLAIM, None, [FAILS_UNDER_P], nothing_denied)
    assert (judgement.verdict, judgement.strength, judgement.premises) == (Verdict.CONTRADICTED, "premise", ("p",))


def test_a_premise_denied_elsewhere_withholds_the_verdict_and_keeps_the_evidence():
    judgement = judge_claim(CLAIM, None, [FAILS_UNDER_P], p_denied)
    assert judgement.verdict == Verdict.UNVERIFIABLE
    assert judgement.withheld == ("p",)
    assert "withheld" in judgement.evidence and "x = a: 4" in judgement.evidence and "y = c: 9" in judgement.evidence


def test_evidence_resting_on_a_denied_premise_is_withheld_even_when_it_matches():
    evidence = Derived(Fraction(5), "read off the course tables", premises=("p",))
    judgement = judge_claim(CLAIM, evidence, [], p_denied)
    assert judgement.verdict == Verdict.UNVERIFIABLE and judgement.withheld == ("p",)


def test_one_premise_free_refutation_makes_the_contradiction_arithmetic():
    judgement = judge_claim(CLAIM, None, [FAILS_UNDER_P, FAILS], nothing_denied)
    assert (judgement.strength, judgement.premises) == ("arithmetic", ())


def test_reconstructed_evidence_keeps_its_basis():
    evidence = Bound(False, "p far below any scenario", basis=Basis.RECONSTRUCTED, premises=("p",))
    judgement = judge_claim(CLAIM, evidence, [], nothing_denied)
    assert (judgement.verdict, judgement.basis, judgement.strength) == (Verdict.CONTRADICTED, "reconstructed", "premise")
