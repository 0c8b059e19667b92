"""Checks of relations declared between claims: shares, denominators, sums and bounds, restatements.

Each function takes claims (and what their claims file declares about them)
and returns a :class:`Check`.  They know nothing about any one paper: what
relates to what is declared in the claims file (see :mod:`il2lib.relations`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP
from fractions import Fraction

from il2lib import relations, rounding
from il2lib.claims import Claim
from il2lib.consistency.counts import denominators, whole_counts
from il2lib.consistency.spans import Span, span_of

__all__ = ["Check", "share_check", "denominator_check", "sum_check", "restatement_check"]


@dataclass(frozen=True)
class Check:
    """The outcome of one consistency check.

    Attributes
    ----------
    name : str
        Which check: ``share``, ``denominator``, ``sum``, ``at-least``, ``at-most``, ``landmark`` or
        ``restatement``.
    passed : bool
        Whether the printed numbers can all hold together.
    detail : str
        The arithmetic, in words.
    claims : tuple of str
        Ids of the claims involved (``study:id`` for another study's claim); the
        first is the claim that declares the relation.
    """

    name: str
    passed: bool
    detail: str
    claims: tuple[str, ...]



def _label(claim: Claim) -> str:
    return f"{claim.id} ({claim.printed}{'%' if claim.unit == '%' else ' ' + claim.unit})"


def share_check(share: Claim, n: int, count: Claim | None = None, denominator: Claim | None = None) -> Check:
    """Whether a printed percentage is a whole count of its declared denominator (GRIM for percentages).

    With a declared ``count``, whether that count over *n* prints as the share;
    a count that lands exactly on a rounding tie is reported with the rule it
    needs (half-up or half-even), and a failure that truncation would explain
    says so.

    Examples
    --------
    >>> pct = Claim("s", "orr", "Table 2", "ORR", "19.0", "%", "contradicted")
    >>> share_check(pct, 201, Claim("s", "cr-pr", "Table 2", "CR + PR", "38", "patients", "match")).passed
    False
    """
    involved = tuple(c.id for c in (share, count, denominator) if c is not None)
    of = f"{n} ({denominator.id})" if denominator is not None else str(n)
    allowed = whole_counts(share.printed, n)
    if count is None:
        detail = (f"{_label(share)} of {of}: " + (f"{_counts_text(allowed)} of {n} print as {share.printed}%"
                  if allowed else f"no whole count prints as {share.printed}% ({_neighbours(share, n)})"))
        return Check("share", bool(allowed), detail, involved)
    k = int(count.number.value)
    exact = Fraction(100 * k, n)
    holds = k in allowed
    detail = (f"{_label(share)} with {count.id} = {k} of {of}: {k} / {n} = "
              f"{rounding.format_at(exact, share.number.decimals + 2)}%, which "
              f"{'prints' if holds else 'does not print'} as {share.printed}% "
              f"(rounded to {share.number.decimals} decimal{'' if share.number.decimals == 1 else 's'})")
    return Check("share", holds, detail + _rounding_rule(exact, share), involved)


def _counts_text(counts: range) -> str:
    return str(counts.start) if len(counts) == 1 else f"{counts.start}-{counts.stop - 1}"


def _neighbours(share: Claim, n: int) -> str:
    lo, _ = rounding.interval(share.number)
    below = math.floor(lo * n / 100)
    return ", ".join(f"{k} / {n} = {rounding.format_at(Fraction(100 * k, n), share.number.decimals + 1)}%"
                     for k in (below, below + 1) if 0 <= k <= n)


def _rounding_rule(exact: Fraction, share: Claim) -> str:
    """A note on the rounding rule a share needs: at a tie, or when only truncation prints it."""
    decimals = share.number.decimals
    step = Fraction(1, 10**decimals)
    printed = share.number.value
    if (exact / step).denominator == 2:
        rules = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN, "half-down": ROUND_HALF_DOWN}
        fitting = [name for name, mode in rules.items()
                   if Fraction(rounding.rounded(exact, decimals, mode)) == printed]
        if {"half-up", "half-even"} <= set(fitting):
            return ""
        return (f"; {rounding.format_at(exact, decimals + 1)} is a tie, so it prints as {share.printed} only if "
                f"halves are rounded {' or '.join(fitting)}")
    if math.floor(exact / step) * step == printed and not rounding.agrees(exact, share.number):
        return "; it would print so only if the share was truncated rather than rounded"
    return ""



def denominator_check(label: str, shares: Sequence[Claim], counts: Mapping[str, Claim], limit: int) -> Check:
    """Which denominators up to ``limit`` allow every share of a group that shares an unstated one.

    The check fails if none does.  ``counts`` gives, for a share with a declared
    count, that count (the denominator must then make exactly it print).

    Examples
    --------
    >>> a = Claim("s", "a", "Results", "lung", "25", "%", "unverifiable")
    >>> b = Claim("s", "b", "Results", "nodes", "40", "%", "unverifiable")
    >>> denominator_check("?sites", [a, b], {}, 60).detail
    'shares a, b, of one unstated denominator (?sites): up to 60, only n in {20, 40, 48, 52-53, 55, 57, 60} allow 25%, 40%'
    """
    known = [int(counts[s.id].number.value) if s.id in counts else None for s in shares]
    found = denominators([s.number for s in shares], range(1, limit + 1), counts=known)
    printed = ", ".join(f"{s.printed}%" for s in shares)
    ids = ", ".join(s.id for s in shares)
    detail = (f"shares {ids}, of one unstated denominator ({label}): up to {limit}, "
              + (f"only n in {{{_compact(found)}}} allow {printed}" if found else f"no n allows {printed}"))
    return Check("denominator", bool(found), detail, tuple(s.id for s in shares) + tuple(c.id for c in counts.values()))


def _compact(numbers: Sequence[int], most: int = 12) -> str:
    """Whole numbers as runs: ``[1, 2, 3, 7]`` -> ``"1-3, 7"`` (at most ``most`` runs, then an ellipsis)."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    text = [str(a) if a == b else f"{a}-{b}" for a, b in runs[:most]]
    return ", ".join(text + (["..."] if len(runs) > most else []))


def sum_check(claim: Claim, terms: Sequence[relations.Term], claims: Mapping[str, Claim],
              denominators: Mapping[str, int], name: str = "sum") -> Check:
    """Whether a claim can equal (``sum``), reach (``at-least``) or stay within (``at-most``) an expression.

    Every printed term stands for the values that round to it, so the
    expression spans a range; the check fails only if the claim's own range
    cannot meet it.  When the claim and every claim in the expression are
    percentages of the same declared denominator *n*, the check works in whole
    patients instead (each percentage becomes the counts of *n* that print as
    it), which is much sharper.  Units of time are converted to the claim's.

    Examples
    --------
    CR 4% + PR 13% + SD 39% of 328 patients cannot make 53% of them:

    >>> c = {i: Claim("s", i, "T1", i, v, "%", "match") for i, v in [("cr", "4"), ("pr", "13"), ("sd", "39")]}
    >>> total = Claim("s", "dcr", "T1", "CR+PR+SD", "53", "%", "contradicted")
    >>> terms = relations.parse_expressions("cr + pr + sd")[0]
    >>> sum_check(total, terms, c, {"cr": 328, "pr": 328, "sd": 328, "dcr": 328}).detail
    'dcr (53%) = cr + pr + sd: in patients of 328, 12-14 + 41-44 + 127-129 = 180..187, against 173-175 for 53%'
    """
    involved = (claim.id, *(t.claim for t in terms if t.claim))
    n = _shared_denominator(claim, terms, denominators)
    target: Span | None
    if n is not None:
        parts = [_term_counts(t, claims, n) for t in terms]
        total = _signed_sum(terms, [span for span, _ in parts])
        if claim.id in denominators:
            own = whole_counts(claim.printed, n)
            target = _count_span(own) if own else None
            shown = f"{_counts_text(own)} for {claim.printed}%" if own else f"no count for {claim.printed}%"
        else:
            target = Span.of(claim.printed).scaled(Fraction(n, 100))
            shown = f"{target} patients for {claim.printed}%"
        arithmetic = f"in patients of {n}, {_joined(terms, [text for _, text in parts])} = {total}, against {shown}"
    else:
        total = _signed_sum(terms, [_term_span(t, claims, claim.unit) for t in terms])
        target = span_of(claim)
        unit = "%" if claim.unit == "%" else f" {claim.unit}"
        arithmetic = f"{_joined(terms, [_term_text(t, claims) for t in terms])} spans {total}{unit}"
    if target is None:
        holds = False
    elif name == "sum":
        holds = total.meets(target)
    elif name == "at-least":
        holds = total.below(target)
    else:
        holds = target.below(total)
    relation = {"sum": "=", "at-least": "≥", "at-most": "≤"}[name]
    expression = _joined(terms, [_term_name(t) for t in terms])
    return Check(name, holds, f"{_label(claim)} {relation} {expression}: {arithmetic}", involved)


def _shared_denominator(claim: Claim, terms: Sequence[relations.Term], denominators: Mapping[str, int]) -> int | None:
    """The one denominator shared by every percentage in the expression (and the claim, if it declares one)."""
    if claim.unit != "%":
        return None
    found = {denominators.get(t.claim) for t in terms if t.claim}
    if claim.id in denominators:
        found.add(denominators[claim.id])
    if len(found) != 1 or None in found:
        return None
    n = found.pop()
    literals_whole = all((t.number * n / 100).denominator == 1 for t in terms if t.number is not None)
    return n if literals_whole else None


def _term_counts(term: relations.Term, claims: Mapping[str, Claim], n: int) -> tuple[Span, str]:
    if term.number is not None:
        k = term.number * n / 100
        return Span.exactly(k), str(k)
    counts = whole_counts(claims[term.claim].printed, n)
    if not counts:
        return Span(None, None), f"(no count for {claims[term.claim].printed}%)"
    return _count_span(counts), _counts_text(counts)


def _count_span(counts: range) -> Span:
    """The span of a non-empty range of whole counts."""
    return Span(Fraction(counts.start), Fraction(counts.stop - 1))


def _term_span(term: relations.Term, claims: Mapping[str, Claim], unit: str) -> Span:
    if term.number is not None:
        return Span.exactly(term.number)
    other = claims[term.claim]
    return span_of(other).scaled(relations.convert(Fraction(1), other.unit, unit))


def _term_text(term: relations.Term, claims: Mapping[str, Claim]) -> str:
    if term.number is not None:
        return rounding.format_at(term.number, 0)
    other = claims[term.claim]
    return f"{other.printed}{'%' if other.unit == '%' else ' ' + other.unit}"


def _term_name(term: relations.Term) -> str:
    return term.claim or rounding.format_at(term.number, 0)


def _joined(terms: Sequence[relations.Term], texts: Sequence[str]) -> str:
    return " ".join(("" if i == 0 and t.sign > 0 else ("+ " if t.sign > 0 else "- ")) + text
                    for i, (t, text) in enumerate(zip(terms, texts)))


def _signed_sum(terms: Sequence[relations.Term], spans: Sequence[Span]) -> Span:
    """The spans added or subtracted as their terms' signs say."""
    total = Span.exactly(0)
    for term, span in zip(terms, spans):
        total = total + span if term.sign > 0 else total - span
    return total



def restatement_check(claim: Claim, original: Claim, reference: str) -> Check:
    """Whether two printings of the same quantity agree, at the precision of each.

    Examples
    --------
    >>> a = Claim("s", "abs", "Abstract", "median OS, PD", "7.9", "months", "contradicted")
    >>> b = Claim("s", "res", "Results", "median OS, PD", "7.2", "months", "match")
    >>> restatement_check(a, b, "res").passed
    False
    """
    mine = span_of(claim)
    theirs = span_of(original).scaled(relations.convert(Fraction(1), original.unit, claim.unit))
    holds = mine.meets(theirs)
    where = f"{reference} ({original.source}: {original.printed} {original.unit})"
    detail = (f"{_label(claim)} restates {where}: " +
              ("the two agree at the precision of each" if holds else f"{mine} cannot be {theirs}"))
    return Check("restatement", holds, detail, (claim.id, reference))
