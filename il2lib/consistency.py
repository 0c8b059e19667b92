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
from fractions import Fraction

from il2lib import rounding
from il2lib.rounding import PrintedNumber

__all__ = ["whole_counts", "grim", "denominators", "combined_counts", "splits", "median_fits_landmark"]

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
    lo, hi = rounding.interval(_parsed(printed))
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


def denominators(shares: Iterable[Printed], candidates: Iterable[int], *, scale: int = 100) -> list[int]:
    """The denominators among ``candidates`` that allow every printed share at once.

    Examples
    --------
    Which cohorts of up to 60 patients allow both 25% and 40%?

    >>> denominators(["25", "40"], range(1, 61))
    [20, 40, 48, 52, 53, 55, 57, 60]
    """
    parsed = [_parsed(s) for s in shares]
    return [n for n in candidates if all(len(whole_counts(s, n, scale=scale)) for s in parsed)]


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

    def fits(partial: dict[str, int], complete: bool) -> bool:
        for group, members in groups.items():
            total = sum(partial.get(a, 0) for a in members)
            if total > allowed[group].stop - 1:
                return False
            if complete and total < allowed[group].start:
                return False
        return True

    def extend(partial: dict[str, int], left: int, index: int) -> None:
        if index == len(atoms) - 1:
            candidate = partial | {atoms[index]: left}
            if fits(candidate, complete=True):
                found.append(candidate)
            return
        for k in range(left + 1):
            candidate = partial | {atoms[index]: k}
            if not fits(candidate, complete=False):
                break  # counts only grow with k
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
