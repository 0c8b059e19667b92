"""Run every check a claims file declares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from il2lib import relations
from il2lib.claims import Claim
from il2lib.consistency.checks import Check, denominator_check, restatement_check, share_check, sum_check
from il2lib.consistency.landmarks import landmark_check

__all__ = ["check_claims"]


def check_claims(claims: Sequence[Claim], elsewhere: Mapping[str, Claim] | None = None) -> list[Check]:
    """Run every check that a claims file declares.

    Parameters
    ----------
    claims : sequence of Claim
        One study's claims, with their declared relations.
    elsewhere : mapping, optional
        Claims of other studies that these restate, keyed ``study-id:claim-id``.

    Returns
    -------
    list of Check
        In claims-file order; the denominator-recovery checks of each
        ``?label`` group come last.
    """
    by_id = {c.id: c for c in claims}
    elsewhere = elsewhere or {}
    denominators = {c.id: n for c in claims if (n := _denominator(c, by_id)) is not None}
    limit = max([int(c.number.value) for c in claims if c.unit == "patients" and not c.number.relation] or [1000])
    checks: list[Check] = []
    for claim in claims:
        if claim.id in denominators:
            checks.append(share_check(claim, denominators[claim.id], by_id.get(claim.count),
                                      by_id.get(claim.of)))
        for column, name in (("sum_of", "sum"), ("at_least", "at-least"), ("at_most", "at-most")):
            for terms in relations.parse_expressions(getattr(claim, column)) if getattr(claim, column) else []:
                checks.append(sum_check(claim, terms, by_id, denominators, name))
        if claim.median:
            time_claim = relations.parse_landmark(claim.landmark).claim
            checks.append(landmark_check(claim, by_id.get(claim.median), by_id.get(time_claim)))
        if claim.restates:
            original = by_id.get(claim.restates) or elsewhere[claim.restates]
            checks.append(restatement_check(claim, original, claim.restates))
    groups: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.of.startswith("?"):
            groups.setdefault(claim.of, []).append(claim)
    for label, shares in groups.items():
        counts = {s.id: by_id[s.count] for s in shares if s.count}
        checks.append(denominator_check(label, shares, counts, limit))
    return checks


def _denominator(claim: Claim, by_id: Mapping[str, Claim]) -> int | None:
    """The whole number a share's declared ``of`` stands for, if it is stated."""
    if not claim.of or claim.of.startswith("?"):
        return None
    target = relations.parse_denominator(claim.of)
    return target if isinstance(target, int) else int(by_id[target].number.value)
