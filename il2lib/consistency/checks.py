"""Checks of relations declared between claims: shares, denominators, sums and bounds, restatements.

Each function takes claims (and what their claims file declares about them)
and returns a :class:`Check`.  They know nothing about any one paper: what
relates to what is declared in the claims file (see :mod:`il2lib.relations`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from decimal import ROUND_HALF_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP
from fractions import Fraction

from il2lib import relations, rounding
from il2lib.claims import Claim
from il2lib.consistency.counts import denominators, whole_counts
from il2lib.consistency.spans import Span, can_fail, span_of

__all__ = ["Check", "ONE_ROUNDING_RULE", "WORD_READINGS", "share_check", "denominator_check", "sum_check",
           "restatement_check", "partition_check", "ratio_check"]

#: The premise a check needs when two printings agree only at an exact tie rounded two ways.
ONE_ROUNDING_RULE = "one-rounding-rule"
#: The premise a check needs when it fails only under the book's reading of words such as "nearly".
WORD_READINGS = "word-readings"


@dataclass(frozen=True)
class Check:
    """The outcome of one consistency check.

    Attributes
    ----------
    name : str
        Which check: ``share``, ``denominator``, ``sum``, ``at-least``, ``at-most``, ``landmark``,
        ``restatement``, ``same``, ``partition`` or ``ratio``.
    passed : bool
        Whether the printed numbers can all hold together.
    detail : str
        The arithmetic, in words.
    claims : tuple of str
        Ids of the claims involved (``study:id`` for another study's claim); the
        first is the claim that declares the relation.
    informative : bool
        ``False`` when no value the declaring claim could print, at its printed precision, would
        make the check fail (any whole percentage is a possible share of 100 patients or more): such
        a pass is no evidence and is counted apart.
    premises : tuple of str
        Premises (readings the paper does not print) that the outcome rests on, e.g.
        ``one-rounding-rule`` for two printings that agree only at a tie rounded two ways.
    tests : str
        The premise this check tests, for a check that a premise implies (``premises.yaml``); ``""``
        for a relation the claims file declares.
    tie : str
        ``"up"`` or ``"down"`` when a declared count lands exactly on a rounding tie and the share
        shows which way the paper rounded it; ``""`` otherwise.
    """

    name: str
    passed: bool
    detail: str
    claims: tuple[str, ...]
    informative: bool = True
    premises: tuple[str, ...] = ()
    tests: str = ""
    tie: str = ""


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
        informative = not every_share_possible(n, share.number.decimals)
        if not informative:
            detail += f"; every share at this precision is possible with {n} patients, so this could not fail"
        return Check("share", bool(allowed), detail, involved, informative=informative)
    k = int(count.number.value)
    exact = Fraction(100 * k, n)
    holds = k in allowed
    detail = (f"{_label(share)} with {count.id} = {k} of {of}: {k} / {n} = "
              f"{rounding.format_at(exact, share.number.decimals + 2)}%, which "
              f"{'prints' if holds else 'does not print'} as {share.printed}% "
              f"(rounded to {share.number.decimals} decimal{'' if share.number.decimals == 1 else 's'})")
    return Check("share", holds, detail + _rounding_rule(exact, share), involved, tie=_tie(exact, share))


@cache
def every_share_possible(n: int, decimals: int) -> bool:
    """Whether every percentage printed with ``decimals`` decimals is a possible share of *n* (so GRIM cannot fail).

    Exact: it looks for a printable value whose rounding interval falls between two neighbouring shares
    ``k / n`` and ``(k + 1) / n``.  With one patient worth no more than one unit of the last decimal there
    is none.

    Examples
    --------
    >>> every_share_possible(100, 0), every_share_possible(99, 0), every_share_possible(96, 0)
    (True, False, True)
    >>> every_share_possible(217, 1)
    False
    """
    if n <= 0:
        raise ValueError(f"a share needs a positive denominator, got {n}")
    step, share = Fraction(1, 10**decimals), Fraction(100, n)
    if share <= step:
        return True
    half = step / 2
    for k in range(n):
        low, high = k * share, (k + 1) * share
        centre = (math.floor((low + half) / step) + 1) * step   # the first printable value whose interval clears low
        if centre + half < high and centre <= 100:
            return False
    return True


def _tie(exact: Fraction, share: Claim) -> str:
    """Which way a share that lands exactly on a tie was printed: ``"up"``, ``"down"``, or ``""``."""
    step = Fraction(1, 10**share.number.decimals)
    if (exact / step).denominator != 2 or share.number.relation:
        return ""
    printed = share.number.value
    return "up" if printed > exact else "down" if printed < exact else ""


def _counts_text(counts: range) -> str:
    return str(counts.start) if len(counts) == 1 else f"{counts.start}–{counts.stop - 1}"


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
    'shares a, b, of one unstated denominator (?sites): up to 60, only n in {20, 40, 48, 52–53, 55, 57, 60} allow 25%, 40%'
    """
    known = [int(counts[s.id].number.value) if s.id in counts else None for s in shares]
    found = denominators([s.number for s in shares], range(1, limit + 1), counts=known)
    printed = ", ".join(f"{s.printed}%" for s in shares)
    ids = ", ".join(s.id for s in shares)
    detail = (f"shares {ids}, of one unstated denominator ({label}): up to {limit}, "
              + (f"only n in {{{_compact(found)}}} allow {printed}" if found else f"no n allows {printed}"))
    precision = max(s.number.decimals for s in shares)
    informative = bool(counts) or not every_share_possible(limit, precision)
    if not informative:
        detail += f"; with up to {limit} patients every share at this precision is possible, so this could not fail"
    return Check("denominator", bool(found), detail, tuple(s.id for s in shares) + tuple(c.id for c in counts.values()),
                 informative=informative)


def _compact(numbers: Sequence[int], most: int = 12) -> str:
    """Whole numbers as runs: ``[1, 2, 3, 7]`` -> ``"1–3, 7"`` (at most ``most`` runs, then an ellipsis)."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    text = [str(a) if a == b else f"{a}–{b}" for a, b in runs[:most]]
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
    'dcr (53%) = cr + pr + sd: in patients of 328, 12–14 + 41–44 + 127–129 = 180 to 187, against 173–175 for 53%'
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
    relation = {"sum": "=", "at-least": "≥", "at-most": "≤"}[name]
    holds = target is not None and _compares(total, target, relation)
    premises: tuple[str, ...] = ()
    if not holds and claim.number.words and n is None and _compares(total, span_of(claim, lenient=True), relation):
        premises = (WORD_READINGS,)   # fails only under the book's reading of the words
    expression = _joined(terms, [_term_name(t) for t in terms])
    informative = can_fail(Span.ends(claim.number), total, relation)
    return Check(name, holds, f"{_label(claim)} {relation} {expression}: {arithmetic}", involved,
                 informative=informative, premises=premises)


def _compares(total: Span, target: Span, relation: str) -> bool:
    """Whether a claim spanning ``target`` can be equal to (``=``), at least (``≥``) or at most (``≤``) ``total``."""
    if relation == "=":
        return total.meets(target)
    if relation == "≥":
        return total.below(target)
    return target.below(total)


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


def restatement_check(claim: Claim, original: Claim, reference: str, *, name: str = "restatement") -> Check:
    """Whether two printings of the same quantity agree, at the precision of each.

    Two printings that meet only at one point, an exact tie printed once rounded up and once rounded
    down (13.8 and 13.9 for 13.85), cannot both hold if the paper rounds one way throughout: the
    check then fails, resting on the premise :data:`ONE_ROUNDING_RULE`.

    Parameters
    ----------
    name : str
        ``restatement`` for a claim that restates another (and shares its evidence), ``same`` for one
        declared ``same_as`` another (each keeps its own evidence).

    Examples
    --------
    >>> a = Claim("s", "abs", "Abstract", "median OS, PD", "7.9", "months", "contradicted")
    >>> b = Claim("s", "res", "Results", "median OS, PD", "7.2", "months", "match")
    >>> restatement_check(a, b, "res").passed
    False
    >>> c = Claim("s", "fig", "Fig. 2b", "median OS", "13.9", "months", "match")
    >>> d = Claim("s", "txt", "Results", "median OS", "13.8", "months", "match")
    >>> check = restatement_check(c, d, "txt", name="same")
    >>> check.passed, check.premises
    (False, ('one-rounding-rule',))
    >>> e = Claim("s", "nr", "Abstract", "median OS", "not reached", "months", "match")
    >>> restatement_check(e, d, "txt").passed
    False
    >>> restatement_check(e, Claim("s", "b", "Results", "median OS", ">36", "months", "match"), "b").passed
    True
    """
    mine = span_of(claim)
    theirs = span_of(original).scaled(relations.convert(Fraction(1), original.unit, claim.unit))
    # "not reached" and a median that was (a value, or a bound with an upper end) cannot both hold
    one_reached = (claim.number.relation == "nr" and theirs.hi is not None) or \
        (original.number.relation == "nr" and mine.hi is not None)
    holds = mine.meets(theirs) and not one_reached
    premises: tuple[str, ...] = ()
    where = f"{reference} ({original.source}: {original.printed} {original.unit})"
    verb = "restates" if name == "restatement" else "prints the same quantity as"
    if one_reached:
        outcome = "a median not reached cannot be one that was"
    elif holds and _touch_only(mine, theirs):
        holds, premises = False, (ONE_ROUNDING_RULE,)
        point = rounding.format_at(mine.lo if mine.lo == theirs.hi else mine.hi, claim.number.decimals + 1)
        outcome = (f"{mine} and {theirs} share only {point}, which would have to be rounded one way here and "
                   "the other way there")
    elif holds:
        outcome = "the two agree at the precision of each"
    else:
        outcome = f"{mine} cannot be {theirs}"
        if claim.number.words and mine.meets(theirs) is False and span_of(claim, lenient=True).meets(theirs):
            premises = (WORD_READINGS,)
    informative = can_fail(Span.ends(claim.number), theirs, "=")
    return Check(name, holds, f"{_label(claim)} {verb} {where}: {outcome}", (claim.id, reference),
                 informative=informative, premises=premises)


def _touch_only(a: Span, b: Span) -> bool:
    """Whether two closed spans of printed values share exactly one point, an end of each (a tie)."""
    if None in (a.lo, a.hi, b.lo, b.hi) or a.lo == a.hi or b.lo == b.hi:
        return False
    return (a.hi == b.lo and not (a.hi_open or b.lo_open)) or (b.hi == a.lo and not (b.hi_open or a.lo_open))


def partition_check(label: str, parts: Sequence[Claim], n: int | None = None) -> Check:
    """Whether shares that cover every patient (of those with data) can add up to 100%.

    With a declared denominator *n* shared by every part, the check works in whole patients: the
    counts that print as each share must be able to add up to *n*.

    Examples
    --------
    Cycle shares of 20%, 27.5%, 7.5%, 22.5% and 12.5% cannot cover everyone:

    >>> parts = [Claim("s", f"c{i}", "Results", "cycles", v, "%", "match")
    ...          for i, v in enumerate(["20", "27.5", "7.5", "22.5", "12.5"])]
    >>> check = partition_check("cycles", parts)
    >>> check.passed, check.detail
    (False, 'shares c0 + c1 + c2 + c3 + c4 cover every patient (cycles): 20% + 27.5% + 7.5% + 22.5% + 12.5% spans 89.3 to 90.7%, not 100%')
    """
    ids = " + ".join(p.id for p in parts)
    printed = " + ".join(f"{p.printed}%" for p in parts)
    if n is not None:
        counts = [whole_counts(p.printed, n) for p in parts]
        if all(counts):
            total = Span(Fraction(sum(c.start for c in counts)), Fraction(sum(c.stop - 1 for c in counts)))
            holds = total.meets(Span.exactly(n))
            shown = " + ".join(_counts_text(c) for c in counts)
            detail = f"shares {ids} cover every patient ({label}): in patients of {n}, {shown} = {total}, against {n}"
            return Check("partition", holds, detail, tuple(p.id for p in parts))
    total = sum((Span.of(part.printed) for part in parts), Span.exactly(0))
    holds = total.meets(Span.exactly(100))
    detail = (f"shares {ids} cover every patient ({label}): {printed} spans {total}%"
              + ("" if holds else ", not 100%"))
    return Check("partition", holds, detail, tuple(p.id for p in parts))


def ratio_check(claim: Claim, numerator: Sequence[relations.Term], denominator: Sequence[relations.Term],
                claims: Mapping[str, Claim]) -> Check:
    """Whether a printed ratio, share or fold (possibly in words: "nearly a quarter") is the ratio of two expressions.

    Both expressions stand for every value their printed terms allow; a claim in ``%`` is compared
    with the ratio times 100.  A failure that rests only on the book's reading of words such as
    "nearly" names the premise :data:`WORD_READINGS`.

    Examples
    --------
    "Nearly a quarter" of 217 patients, for 57 of them:

    >>> c = {"sd": Claim("s", "sd", "T1", "SD", "57", "patients", "match"),
    ...      "n": Claim("s", "n", "T1", "all", "217", "patients", "match")}
    >>> words = Claim("s", "q", "Conclusions", "SD share", "nearly a quarter", "share", "contradicted")
    >>> check = ratio_check(words, *[relations.parse_expressions(e)[0] for e in ("sd", "n")], c)
    >>> check.passed, check.premises
    (False, ())
    """
    ratio = _own_units_span(numerator, claims).divided_by(_own_units_span(denominator, claims))
    if claim.unit == "%":
        ratio = ratio.scaled(Fraction(100))
    target = span_of(claim)
    holds = ratio.meets(target)
    premises = (WORD_READINGS,) if not holds and ratio.meets(span_of(claim, lenient=True)) else ()
    expression = f"({_joined(numerator, [_term_name(t) for t in numerator])}) / " \
                 f"({_joined(denominator, [_term_name(t) for t in denominator])})"
    texts = (f"({_joined(numerator, [_term_text(t, claims) for t in numerator])}) / "
             f"({_joined(denominator, [_term_text(t, claims) for t in denominator])})")
    detail = f"{_label(claim)} = {expression}: {texts} spans {ratio}, against {target} for {claim.printed}"
    involved = (claim.id, *(t.claim for t in (*numerator, *denominator) if t.claim))
    return Check("ratio", holds, detail, involved, informative=can_fail(Span.ends(claim.number), ratio, "="),
                 premises=premises)


def _own_units_span(terms: Sequence[relations.Term], claims: Mapping[str, Claim]) -> Span:
    """The values an expression allows, each claim taken in its own unit (one side of a ratio)."""
    return _signed_sum(terms, [_term_span(t, claims, claims[t.claim].unit if t.claim else "") for t in terms])
