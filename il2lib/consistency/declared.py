"""Run every check a claims file declares, and the checks a premise implies."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from il2lib import relations
from il2lib.claims import Claim
from il2lib.consistency.checks import (Check, denominator_check, partition_check, ratio_check, restatement_check,
                                       share_check, sum_check)
from il2lib.consistency.landmarks import landmark_check

__all__ = ["check_claims", "implied_checks"]

_EXPRESSIONS = (("sum_of", "sum"), ("at_least", "at-least"), ("at_most", "at-most"))


def check_claims(claims: Sequence[Claim], elsewhere: Mapping[str, Claim] | None = None) -> list[Check]:
    """Run every check that a claims file declares.

    Parameters
    ----------
    claims : sequence of Claim
        One study's claims, with their declared relations.
    elsewhere : mapping, optional
        Claims of other studies that these restate (or print the same quantity as), keyed
        ``study-id:claim-id``.

    Returns
    -------
    list of Check
        In claims-file order; the denominator-recovery checks of each ``?label`` group and the
        partition checks of each ``partition`` label come last.

    Examples
    --------
    >>> a = Claim("s", "a", "T1", "CR", "4", "patients", "match")
    >>> b = Claim("s", "b", "T1", "PR", "5", "patients", "match")
    >>> total = Claim("s", "t", "T1", "CR+PR", "10", "patients", "contradicted", sum_of="a + b")
    >>> [(c.name, c.passed) for c in check_claims([a, b, total])]
    [('sum', False)]
    """
    by_id = {c.id: c for c in claims}
    denominators = {c.id: n for c in claims if (n := _denominator(c, by_id)) is not None}
    checks = [check for claim in claims for check in _relation_checks(claim, by_id, elsewhere or {}, denominators)]
    return checks + _group_checks(claims, by_id, denominators)


def implied_checks(premise: str, claim_id: str, declared: Mapping[str, str], claims: Sequence[Claim],
                   elsewhere: Mapping[str, Claim] | None = None) -> list[Check]:
    """The checks of relations that hold only if a premise does, tagged with that premise.

    Parameters
    ----------
    premise : str
        The premise's id.
    claim_id : str
        The claim the relations are declared on.
    declared : mapping
        Relation columns and their cells, as in a claims file (``{"at_most": "a + b"}``).

    Examples
    --------
    >>> a = Claim("s", "a", "T1", "CR", "4", "patients", "match")
    >>> b = Claim("s", "b", "T1", "CR, later", "5", "patients", "match")
    >>> [check] = implied_checks("no-late-change", "b", {"sum_of": "a"}, [a, b])
    >>> check.passed, check.tests, check.premises
    (False, 'no-late-change', ('no-late-change',))
    """
    by_id = {c.id: c for c in claims}
    cleared = {column: "" for column in relations.COLUMNS} | {"restates": "", "count": "", "of": ""}
    subject = dataclasses.replace(by_id[claim_id], **(cleared | dict(declared)))
    with_subject = dict(by_id) | {claim_id: subject}
    denominators = {c.id: n for c in with_subject.values() if (n := _denominator(c, with_subject)) is not None}
    checks = _relation_checks(subject, with_subject, elsewhere or {}, denominators)
    return [dataclasses.replace(c, premises=tuple(dict.fromkeys((premise, *c.premises))), tests=premise)
            for c in checks]


def _relation_checks(claim: Claim, by_id: Mapping[str, Claim], elsewhere: Mapping[str, Claim],
                     denominators: Mapping[str, int]) -> list[Check]:
    """The checks of the relations one claim declares (those of groups of claims excepted)."""
    checks: list[Check] = []
    if claim.id in denominators:
        checks.append(share_check(claim, denominators[claim.id], by_id.get(claim.count), by_id.get(claim.of)))
    for column, name in _EXPRESSIONS:
        for terms in relations.parse_expressions(getattr(claim, column)) if getattr(claim, column) else []:
            checks.append(sum_check(claim, terms, by_id, denominators, name))
    if claim.ratio_of:
        checks.append(ratio_check(claim, *relations.parse_ratio(claim.ratio_of), by_id))
    if claim.median:
        time_claim = relations.parse_landmark(claim.landmark).claim
        checks.append(landmark_check(claim, by_id.get(claim.median), by_id.get(time_claim)))
    for column, name in (("restates", "restatement"), ("same_as", "same")):
        reference = getattr(claim, column)
        if reference:
            original = by_id.get(reference) or elsewhere[reference]
            checks.append(restatement_check(claim, original, reference, name=name))
    return checks


def _group_checks(claims: Sequence[Claim], by_id: Mapping[str, Claim], denominators: Mapping[str, int]) -> list[Check]:
    """Checks of groups: the unstated denominator each ``?label`` shares, and each ``partition``'s 100%."""
    limit = max([int(c.number.value) for c in claims if c.unit == "patients" and not c.number.relation] or [1000])
    checks = []
    for label, shares in _grouped(claims, lambda c: c.of if c.of.startswith("?") else "").items():
        counts = {s.id: by_id[s.count] for s in shares if s.count}
        checks.append(denominator_check(label, shares, counts, limit))
    for label, parts in _grouped(claims, lambda c: c.partition).items():
        shared = {denominators.get(p.id) for p in parts}
        checks.append(partition_check(label, parts, shared.pop() if len(shared) == 1 else None))
    return checks


def _grouped(claims: Sequence[Claim], key) -> dict[str, list[Claim]]:
    groups: dict[str, list[Claim]] = {}
    for claim in claims:
        if key(claim):
            groups.setdefault(key(claim), []).append(claim)
    return groups


def _denominator(claim: Claim, by_id: Mapping[str, Claim]) -> int | None:
    """The whole number a share's declared ``of`` stands for, if it is stated."""
    if not claim.of or claim.of.startswith("?"):
        return None
    target = relations.parse_denominator(claim.of)
    return target if isinstance(target, int) else int(by_id[target].number.value)
