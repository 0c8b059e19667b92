"""Whole counts behind printed shares: what a percentage of *n* patients can be.

The percentage form of the GRIM test, denominator recovery, the totals several
shares can add up to, and the whole-number splits of a cohort that reproduce
shares of overlapping categories.

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

__all__ = ["Printed", "whole_counts", "grim", "denominators", "combined_counts", "splits"]

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
    """Whole counts *k* out of *n* with ``scale * k / n`` inside the closed interval ``bounds``.

    In integer arithmetic (ceil and floor of exact ratios), since denominator searches call it thousands
    of times.
    """
    lo, hi = bounds
    first = max(0, -((-lo.numerator * n) // (lo.denominator * scale)))
    last = min(n, (hi.numerator * n) // (hi.denominator * scale))
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

    def allows(n: int) -> bool:
        if n <= 0:
            raise ValueError(f"a share needs a positive denominator, got {n}")
        for share, count in zip(bounds, known):
            allowed = _counts_within(share, n, scale)
            if not (allowed if count is None else count in allowed):
                return False
        return True

    if not (isinstance(candidates, range) and candidates.step == 1):
        return [n for n in candidates if allows(n)]
    if any(count == 0 and lo > 0 for (lo, _), count in zip(bounds, known)):
        return []   # no patient cannot print as a positive share
    candidates = _narrowed(candidates, bounds, known, scale)
    free = [b for b, count in zip(bounds, known) if count is None]
    bounded_by_counts = any(count for count in known)
    settled = candidates.stop if bounded_by_counts else max(candidates.start, _every_n_from(free, scale) or
                                                            candidates.stop)
    # below ``settled`` each n is tried; from it on every n allows every share, so the work stays bounded
    tried = range(candidates.start, min(settled, candidates.stop))
    return [n for n in tried if allows(n)] + list(range(max(settled, candidates.start), candidates.stop))


def _every_n_from(bounds: Sequence[tuple[Fraction, Fraction]], scale: int) -> int | None:
    """The least *n* from which every share is possible for every larger *n*, or None if there is none.

    A share's interval, cut to ``[0, scale]``, of width *w* holds a multiple of ``scale / n`` as soon as
    ``scale / n <= w``.

    >>> _every_n_from([rounding.interval("25")], 100)
    100
    """
    least = 1
    for lo, hi in bounds:
        width = min(hi, scale) - max(lo, 0)
        if width <= 0:
            return None
        least = max(least, math.ceil(scale / width))
    return least


def _narrowed(candidates: range, bounds: Sequence[tuple[Fraction, Fraction]], known: Sequence[int | None],
              scale: int) -> range:
    """The candidates that a share printed with its count can allow: *n* with ``scale * k / n`` in the share."""
    start, stop = candidates.start, candidates.stop
    for (lo, hi), count in zip(bounds, known):
        if count is None or count <= 0:
            continue
        if hi > 0:
            start = max(start, math.ceil(scale * count / hi))
        if lo > 0:
            stop = min(stop, math.floor(scale * count / lo) + 1)
    return range(start, max(start, stop))


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
