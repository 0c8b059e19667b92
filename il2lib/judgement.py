"""One claim's verdict from its evidence and failed checks, with what it rests on and how strong it is.

:func:`judge_claim` is the audit's rule, in one place:

1. Evidence computed from data (or inherited from the claim it restates) decides the verdict
   (:func:`il2lib.claims.judge`); failing that, a failed consistency check that the claim declares makes it
   ``contradicted`` (checks refute, never confirm); failing both, it is ``unverifiable``.  Evidence that
   only confirms our transcription, or only bounds the number, says nothing for the paper, so a failed
   check overrides it.
2. Evidence or a check that needs a premise the paper's own numbers refute *elsewhere* (on numbers that do
   not involve this claim or its restatements) is withheld: no verdict may rest on such a premise alone.
   What it would have shown is kept in the evidence text, with the numbers that refute the premise.
3. A contradiction's *strength* is ``arithmetic`` when it rests on no premise (no reading of the printed
   numbers lets them hold together) and ``premise`` when it needs one, which it names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from numbers import Real

from il2lib.claims import Basis, Claim, Derived, Evidence, Verdict, judge
from il2lib.consistency import WORD_READINGS, Check

__all__ = ["Judgement", "judge_claim", "NOTHING"]

#: Evidence text of a claim nothing bears on.
NOTHING = "nothing embedded re-derives this number"


@dataclass(frozen=True)
class Judgement:
    """What the audit concludes about one claim.

    Attributes
    ----------
    verdict : Verdict
    basis : str or None
        What the verdict rests on (:class:`il2lib.claims.Basis`), or ``None`` when nothing bears on it.
    evidence : str
        The evidence, in words (and, where evidence was withheld, why).
    value : Real or None
        The reproduced value, if any.
    premises : tuple of str
        Premises the verdict rests on.
    strength : str
        For a contradiction, ``arithmetic`` or ``premise``; ``""`` otherwise.
    withheld : tuple of str
        Premises that evidence or a check needed but the paper's own numbers deny elsewhere, so that
        nothing resting on them was used.
    """

    verdict: Verdict
    basis: str | None
    evidence: str
    value: Real | None = None
    premises: tuple[str, ...] = ()
    strength: str = ""
    withheld: tuple[str, ...] = ()


def judge_claim(claim: Claim, evidence: Evidence | None, refutations: Sequence[Check],
                refuted: Callable[[str], Sequence[Check]]) -> Judgement:
    """Judge one claim.

    Parameters
    ----------
    claim : Claim
    evidence : Evidence or None
        Its own evidence, or that of the claim it restates.
    refutations : sequence of Check
        The failed checks the claim declares (a denominator check refutes no share alone).
    refuted : callable
        For a premise id, the failed tests that refute it elsewhere (empty if none do).

    Examples
    --------
    A check that fails only under a premise the paper denies elsewhere does not contradict:

    >>> c = Claim("s", "x", "T1", "x", "5", "patients", "unverifiable")
    >>> fails = Check("sum", False, "x = a + b", ("x", "a", "b"), premises=("p",))
    >>> denied = Check("sum", False, "y = c", ("y", "c"), premises=("p",), tests="p")
    >>> judge_claim(c, None, [fails], lambda p: [denied]).verdict
    <Verdict.UNVERIFIABLE: 'unverifiable'>
    >>> j = judge_claim(c, None, [fails], lambda p: [])
    >>> j.verdict, j.strength, j.premises
    (<Verdict.CONTRADICTED: 'contradicted'>, 'premise', ('p',))
    """
    withheld: list[str] = []
    denied_premises: dict[str, None] = {}
    if evidence is not None and (denied := _denied(evidence.premises, refuted)):
        withheld.append(f"{evidence.evidence} ({_withheld(denied)})")
        denied_premises |= dict.fromkeys(denied)
        evidence = None
    usable = []
    for check in refutations:
        if denied := _denied(check.premises, refuted):
            withheld.append(f"{check.name} check: {check.detail} ({_withheld(denied)})")
            denied_premises |= dict.fromkeys(denied)
        else:
            usable.append(check)
    if evidence is not None and usable and _yields(claim, evidence):
        evidence = None
    if evidence is not None:
        verdict = judge(claim, evidence)
        premises = tuple(evidence.premises) + _word_reading(claim, evidence)
        judgement = Judgement(verdict, str(evidence.basis), evidence.evidence, getattr(evidence, "value", None),
                              premises, _strength(verdict, premises))
    elif usable:
        grounds = [c.premises for c in usable]
        premises = () if any(not g for g in grounds) else tuple(dict.fromkeys(p for g in grounds for p in g))
        text = "; ".join(f"{c.name} check: {c.detail}" for c in usable)
        judgement = Judgement(Verdict.CONTRADICTED, str(Basis.CONSISTENCY), text, None, premises,
                              _strength(Verdict.CONTRADICTED, premises))
    else:
        judgement = Judgement(Verdict.UNVERIFIABLE, None, NOTHING)
    if withheld:
        return replace(judgement, evidence=f"{judgement.evidence}; withheld: " + "; ".join(withheld),
                       withheld=tuple(denied_premises))
    return judgement


def _word_reading(claim: Claim, evidence: Evidence) -> tuple[str, ...]:
    """``("word-readings",)`` when a value is judged against words of size ("nearly", "approximately", "two-thirds").

    Only the reading of the words makes such a verdict; a contradiction that holds under any reading of them
    (a value above what is "nearly" reached) does not need it.
    """
    relation = claim.number.relation
    if relation not in ("≲", "≈") or WORD_READINGS in evidence.premises or getattr(evidence, "value", None) is None:
        return ()
    if isinstance(evidence, Derived) and judge(claim, evidence) == Verdict.CONTRADICTED and relation == "≲":
        if evidence.value >= claim.number.value:
            return ()   # at or above the number: not "nearly" it under any reading
    return (WORD_READINGS,)


def _yields(claim: Claim, evidence: Evidence) -> bool:
    """Whether evidence gives way to a failed check: it confirms only our typing, or it bounds without confirming."""
    verdict = judge(claim, evidence)
    return verdict == Verdict.UNVERIFIABLE or (verdict == Verdict.MATCH and evidence.basis == Basis.TRANSCRIPTION)


def _denied(premises: Sequence[str], refuted: Callable[[str], Sequence[Check]]) -> dict[str, Sequence[Check]]:
    """The premises among ``premises`` that the paper refutes elsewhere, with the tests that do."""
    return {p: found for p in premises if (found := refuted(p))}


def _withheld(denied: dict[str, Sequence[Check]]) -> str:
    return "; ".join(f"premise {p}, which the paper's own numbers deny elsewhere: {tests[0].detail}"
                     for p, tests in denied.items())


def _strength(verdict: Verdict, premises: Sequence[str]) -> str:
    if verdict != Verdict.CONTRADICTED:
        return ""
    return "premise" if premises else "arithmetic"
