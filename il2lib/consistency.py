"""Checks of a paper against itself: what printed numbers allow, with no patient data at all.

Each function asks one question that a careful reader asks with pencil and
paper, and answers it exactly (counts are whole numbers; printed values are
compared under the closed rounding rule of :mod:`il2lib.rounding`, so a tie
counts under half-up and half-even alike).

* :func:`whole_counts` - which whole counts out of *n* print as a given
  percentage (the percentage form of the GRIM test of Brown and Heathers);
* :func:`grim` - whether a printed mean of whole-number scores is possible
  with *n* scores at all;
* :func:`denominators` - which group sizes allow several printed percentages
  at once (useful when the paper does not say what its percentages are of);
* :func:`combined_counts` - the range of totals a set of printed percentages
  of the same patients can add up to;
* :func:`splits` - the whole-number splits of *n* patients that reproduce
  printed shares of overlapping categories ("two to three courses",
  "three or more");
* :func:`median_fits_landmark` - whether a survival rate at a landmark can sit
  on the same Kaplan-Meier curve as the median printed with it.

References
----------
Brown NJL, Heathers JAJ. The GRIM test: a simple technique detects numerous
anomalies in the reporting of results in psychology. Soc Psychol Personal Sci
2017;8:363-369.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP
from fractions import Fraction

from il2lib import relations, rounding
from il2lib.claims import Claim
from il2lib.rounding import PrintedNumber

__all__ = ["whole_counts", "grim", "denominators", "combined_counts", "splits", "median_fits_landmark",
           "Check", "Span", "span_of", "share_check", "denominator_check", "sum_check", "landmark_check",
           "restatement_check", "check_claims"]

Printed = str | PrintedNumber


def _parsed(printed: Printed) -> PrintedNumber:
    return printed if isinstance(printed, PrintedNumber) else rounding.parse(printed)


def whole_counts(printed: Printed, n: int, *, scale: int = 100) -> range:
    """Whole counts *k* out of *n* for which ``scale * k / n`` prints as ``printed``.

    Parameters
    ----------
    printed : str or PrintedNumber
        The printed share, e.g. ``"25"`` for 25%.
    n : int
        The denominator (patients).
    scale : int, default 100
        100 for a percentage, 1 for a proportion.

    Returns
    -------
    range
        Possibly empty: then no whole count prints as that share of *n*.

    Examples
    --------
    >>> list(whole_counts("25", 54))    # 13/54 = 24.1%, 14/54 = 25.9%
    []
    >>> list(whole_counts("93", 46))    # 43/46 = 93.5%
    [43]
    """
    if n <= 0:
        raise ValueError(f"a share needs a positive denominator, got {n}")
    return _counts_within(rounding.interval(_parsed(printed)), n, scale)


def _counts_within(bounds: tuple[Fraction, Fraction], n: int, scale: int) -> range:
    """Whole counts *k* out of *n* with ``scale * k / n`` inside the closed interval ``bounds``."""
    lo, hi = bounds
    first = max(0, math.ceil(lo * n / scale))
    last = min(n, math.floor(hi * n / scale))
    return range(first, last + 1)


def grim(printed: Printed, n: int, *, items: int = 1) -> bool:
    """Whether a printed mean of whole-number scores can come from *n* respondents.

    The GRIM test: with *n* whole-number answers (each the sum of ``items``
    whole-number items), the mean is a multiple of ``1 / (n * items)``; a printed
    mean that no such multiple rounds to is impossible.

    Examples
    --------
    The worked example of Brown and Heathers: a mean of 5.19 from 28 people
    is impossible (145/28 = 5.18, 146/28 = 5.21), while 5.18 is possible.

    >>> grim("5.19", 28), grim("5.18", 28)
    (False, True)
    """
    if n <= 0 or items <= 0:
        raise ValueError(f"need n > 0 and items > 0, got n={n}, items={items}")
    lo, hi = rounding.interval(_parsed(printed))
    units = n * items
    return math.floor(hi * units) >= math.ceil(lo * units)


def denominators(shares: Iterable[Printed], candidates: Iterable[int], *, scale: int = 100,
                 counts: Sequence[int | None] | None = None) -> list[int]:
    """The denominators among ``candidates`` that allow every printed share at once.

    Parameters
    ----------
    counts : sequence of int or None, optional
        For each share, the count it is printed with (or ``None``): the
        denominator must then make exactly that count print as the share.

    Examples
    --------
    Which cohorts of up to 60 patients allow both 25% and 40%?

    >>> denominators(["25", "40"], range(1, 61))
    [20, 40, 48, 52, 53, 55, 57, 60]
    >>> denominators(["25"], range(1, 61), counts=[5])
    [20]
    """
    bounds = [rounding.interval(_parsed(s)) for s in shares]   # once per share, not once per candidate
    known = list(counts) if counts is not None else [None] * len(bounds)

    def allows(share: tuple[Fraction, Fraction], count: int | None, n: int) -> bool:
        if n <= 0:
            raise ValueError(f"a share needs a positive denominator, got {n}")
        allowed = _counts_within(share, n, scale)
        return bool(allowed) if count is None else count in allowed

    return [n for n in candidates if all(allows(b, k, n) for b, k in zip(bounds, known))]


def combined_counts(parts: Iterable[Printed], n: int) -> tuple[int, int] | None:
    """Least and greatest total count of several printed percentages of the same *n* patients.

    Each part is first turned into the whole counts that print as it
    (:func:`whole_counts`); the total then ranges from the sum of the least to
    the sum of the greatest.

    Returns
    -------
    tuple of int, or None
        ``None`` if some part is not a possible percentage of *n* at all.

    Examples
    --------
    CR 9%, PR 10% and SD 32% of 391 patients:

    >>> combined_counts(["9", "10", "32"], 391)
    (196, 205)
    """
    ranges = [whole_counts(p, n) for p in parts]
    if any(len(r) == 0 for r in ranges):
        return None
    return sum(r.start for r in ranges), sum(r.stop - 1 for r in ranges)


def splits(n: int, groups: Mapping[str, Sequence[str]], shares: Mapping[str, Printed],
           atoms: Sequence[str]) -> list[dict[str, int]]:
    """Every whole-number split of *n* patients into ``atoms`` that prints the given shares.

    Parameters
    ----------
    n : int
        Patients to split.
    groups : mapping
        Each printed category (e.g. ``"two to three"``) and the atoms it
        covers (``["2", "3"]``); categories may overlap.
    shares : mapping
        The printed percentage of each category.
    atoms : sequence of str
        Categories that do not overlap and together cover every patient.

    Returns
    -------
    list of dict
        One ``{atom: count}`` per split; empty if the shares cannot all hold.

    Examples
    --------
    20% with one course or fewer, 66% with two to three, 26% with three or
    more, of 100 patients who each had a whole number of courses:

    >>> splits(100, {"<=1": ["<=1"], "2-3": ["2", "3"], ">=3": ["3", ">=4"]},
    ...        {"<=1": "20", "2-3": "66", ">=3": "26"}, ["<=1", "2", "3", ">=4"])
    [{'<=1': 20, '2': 54, '3': 12, '>=4': 14}]
    """
    allowed = {g: whole_counts(shares[g], n) for g in groups}
    found: list[dict[str, int]] = []

    def too_many(partial: dict[str, int]) -> bool:
        """Some category already holds more patients than its share allows."""
        return any(sum(partial.get(a, 0) for a in members) >= allowed[g].stop for g, members in groups.items())

    def too_few(partial: dict[str, int], left: int, later: Sequence[str]) -> bool:
        """Some category cannot reach its share even if every patient still to place joins it."""
        for group, members in groups.items():
            reachable = sum(partial.get(a, 0) for a in members) + (left if set(members) & set(later) else 0)
            if reachable < allowed[group].start:
                return True
        return False

    def extend(partial: dict[str, int], left: int, index: int) -> None:
        if index == len(atoms) - 1:
            candidate = partial | {atoms[index]: left}
            if not too_many(candidate) and not too_few(candidate, 0, []):
                found.append(candidate)
            return
        for k in range(left + 1):
            candidate = partial | {atoms[index]: k}
            if too_many(candidate):
                break  # counts only grow with k
            if not too_few(candidate, left - k, atoms[index + 1:]):
                extend(candidate, left - k, index + 1)

    if all(len(r) for r in allowed.values()):
        extend({}, n, 0)
    return found


def median_fits_landmark(rate: Printed, landmark: float, median: float | None, *,
                         followed_past_landmark: bool = True) -> tuple[bool, str]:
    """Whether a printed survival rate at a landmark fits the median printed for the same curve.

    On a Kaplan-Meier curve the median is the first time survival falls to 50%
    or below, so survival is above 50% before the median and at most 50% from
    it on.  A median "not reached" (``None``) means survival stayed above 50%
    for as long as patients were followed.

    Parameters
    ----------
    rate : str or PrintedNumber
        Printed survival at the landmark, in percent.
    landmark : float
        The landmark, in the same unit as ``median``.
    median : float or None
        The printed median, or ``None`` if not reached.
    followed_past_landmark : bool, default True
        Whether follow-up reached the landmark (a curve cannot say anything
        about a time it never reached).

    Returns
    -------
    (bool, str)
        Whether they fit, and why.

    Examples
    --------
    >>> median_fits_landmark("39", 30, 15.5)
    (True, 'the median (15.5) comes before the landmark (30), so survival there must be at most 50%: 39% is')
    >>> median_fits_landmark("45", 30, None)[0]
    False
    """
    p = _parsed(rate)
    lo, hi = rounding.interval(p)
    half = Fraction(50)
    if median is None:
        if not followed_past_landmark:
            return True, "follow-up did not reach the landmark, so a median not reached says nothing there"
        holds = hi > half
        return holds, (f"the median was not reached, so survival at the landmark ({landmark:g}) must be above "
                       f"50%: {p.text}% {'is' if holds else 'is not'}")
    if median <= landmark:
        holds = lo <= half
        return holds, (f"the median ({median:g}) comes before the landmark ({landmark:g}), so survival there must "
                       f"be at most 50%: {p.text}% {'is' if holds else 'is not'}")
    holds = hi >= half
    return holds, (f"the median ({median:g}) comes after the landmark ({landmark:g}), so survival there must be "
                   f"at least 50%: {p.text}% {'is' if holds else 'is not'}")


# --------------------------------------------------------------------------------------------------------
# Checks of declared relations between claims
#
# Each function below takes claims (and what their claims file declares about them) and returns a
# :class:`Check`.  They know nothing about any one paper: what relates to what is declared in the claims
# file (see :mod:`il2lib.relations`).  :func:`check_claims` runs every check a claims file declares.


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


@dataclass(frozen=True)
class Span:
    """The values a printed number allows: from ``lo`` to ``hi`` (``None`` = unbounded).

    ``lo_open`` / ``hi_open`` say whether an end is excluded (``>50`` excludes 50).
    Spans add and subtract end to end, so the span of a sum holds every total
    its printed parts allow.

    Examples
    --------
    >>> a, b = Span.of("4"), Span.of("13")   # 3.5..4.5 and 12.5..13.5
    >>> print(a + b)
    16..18
    >>> Span.of(">50").meets(Span.of("50"))
    True
    >>> Span.of(">50").meets(Span.exactly(50))
    False
    """

    lo: Fraction | None
    hi: Fraction | None
    lo_open: bool = False
    hi_open: bool = False

    @classmethod
    def of(cls, printed: Printed) -> Span:
        """The values a printed number (or printed bound) allows."""
        p = _parsed(printed)
        lo, hi = rounding.interval(p)
        return {
            "": cls(lo, hi),
            "+": cls(lo, None),
            ">": cls(p.value, None, lo_open=True),
            "≥": cls(p.value, None),
            "<": cls(None, p.value, hi_open=True),
            "s": cls(p.value, p.value + 10, hi_open=True),
        }[p.relation]

    @classmethod
    def exactly(cls, value: Fraction | int) -> Span:
        """A single value."""
        return cls(Fraction(value), Fraction(value))

    def __add__(self, other: Span) -> Span:
        return Span(_plus(self.lo, other.lo), _plus(self.hi, other.hi),
                    self.lo_open or other.lo_open, self.hi_open or other.hi_open)

    def __neg__(self) -> Span:
        return Span(_minus(self.hi), _minus(self.lo), self.hi_open, self.lo_open)

    def __sub__(self, other: Span) -> Span:
        return self + (-other)

    def scaled(self, factor: Fraction) -> Span:
        """The span times a positive factor (e.g. a change of unit)."""
        return Span(None if self.lo is None else self.lo * factor, None if self.hi is None else self.hi * factor,
                    self.lo_open, self.hi_open)

    def meets(self, other: Span) -> bool:
        """Whether some value lies in both spans."""
        lo, lo_open = _tighter(self.lo, self.lo_open, other.lo, other.lo_open, max)
        hi, hi_open = _tighter(self.hi, self.hi_open, other.hi, other.hi_open, min)
        if lo is None or hi is None:
            return True
        return lo < hi or (lo == hi and not lo_open and not hi_open)

    def below(self, other: Span) -> bool:
        """Whether some value of this span is at most some value of the other."""
        return Span(self.lo, None, self.lo_open).meets(Span(None, other.hi, hi_open=other.hi_open))

    def __str__(self) -> str:
        def end(x: Fraction | None) -> str:
            return "" if x is None else rounding.format_at(x, 2).rstrip("0").rstrip(".")
        if self.lo is not None and self.lo == self.hi:
            return end(self.lo)
        return f"{'>' if self.lo_open else ''}{end(self.lo)}..{'<' if self.hi_open else ''}{end(self.hi)}"


def span_of(claim: Claim) -> Span:
    """The values a claim allows: a whole number of patients is exact, anything else spans its rounding.

    Examples
    --------
    >>> print(span_of(Claim("s", "n", "T2", "M1A", "18", "patients", "match")))
    18
    >>> print(span_of(Claim("s", "m", "T2", "median", "18", "months", "match")))
    17.5..18.5
    """
    number = claim.number
    if claim.unit in relations.COUNT_UNITS and not number.relation and number.decimals == 0:
        return Span.exactly(number.value)
    return Span.of(number)


def _plus(a: Fraction | None, b: Fraction | None) -> Fraction | None:
    return None if a is None or b is None else a + b


def _minus(a: Fraction | None) -> Fraction | None:
    return None if a is None else -a


def _tighter(a, a_open, b, b_open, pick):
    """The tighter of two ends (``pick`` is ``max`` for lower ends, ``min`` for upper); ``None`` is unbounded."""
    if a is None:
        return b, b_open
    if b is None or a != b:
        chosen = a if b is None or pick(a, b) == a else b
        return chosen, a_open if chosen == a else b_open
    return a, a_open or b_open


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


def landmark_check(rate: Claim, median: Claim | None, landmark_claim: Claim | None = None) -> Check:
    """Whether a survival rate at a landmark and the median of the same curve can both hold.

    On a Kaplan-Meier curve survival is above 50% before the median and at
    most 50% from it on (:func:`median_fits_landmark`).  When the landmark
    falls within the rounding of the median, nothing can be concluded.  A
    failure is explained away when the claims file declares the rate as a
    proportion among patients with known status at the landmark (``known
    status``): such a rate is not a point on the Kaplan-Meier curve.

    Examples
    --------
    >>> median = Claim("s", "m", "Results", "median OS", "38.2", "months", "match")
    >>> rate = Claim("s", "r", "Table 3", "3-year OS", "47.5", "%", "match", median="m", landmark="3 years")
    >>> landmark_check(rate, median).passed
    False
    """
    landmark = relations.parse_landmark(rate.landmark)
    if landmark_claim is not None:
        landmark = relations.Landmark(time=landmark_claim.number.value, unit=landmark_claim.unit,
                                      known_status=landmark.known_status)
    at = f"{rounding.format_at(landmark.time, 2).rstrip('0').rstrip('.')} {landmark.unit}"
    involved = (rate.id,) + ((median.id,) if median else ()) + ((landmark_claim.id,) if landmark_claim else ())
    if median is None:
        holds, why = median_fits_landmark(rate.printed, float(landmark.time), None)
    else:
        time = relations.convert(landmark.time, landmark.unit, median.unit)   # compare in the median's unit
        span = Span.of(median.printed)
        if span.lo is not None and span.hi is not None and span.lo <= time <= span.hi:
            return Check("landmark", True, f"{_label(rate)} at {at}: the landmark lies within the rounding of "
                                           f"the median {_label(median)}, so either may hold", involved)
        holds, why = median_fits_landmark(rate.printed, float(time), float(median.number.value))
    detail = f"{_label(rate)} at {at}, median {median.printed + ' ' + median.unit if median else 'not reached'}: {why}"
    if holds:
        return Check("landmark", True, detail, involved)
    if landmark.known_status:
        return Check("landmark", True, detail + " on a Kaplan-Meier curve; but the rate is declared as a proportion "
                     "among patients with known status at the landmark, which the median does not bind", involved)
    return Check("landmark", False, detail + ". They cannot both hold on one Kaplan-Meier curve; they can if the "
                 "rate is a proportion among patients with known status at the landmark, or the median is not a "
                 "Kaplan-Meier median (e.g. a median of observed times)", involved)


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
