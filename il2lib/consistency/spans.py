"""The values a printed number allows, as a span that adds and subtracts end to end."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from il2lib import relations, rounding
from il2lib.claims import Claim
from il2lib.consistency.counts import Printed, _parsed

__all__ = ["Span", "span_of", "can_fail"]


@dataclass(frozen=True)
class Span:
    """The values a printed number allows: from ``lo`` to ``hi`` (``None`` = unbounded).

    ``lo_open`` / ``hi_open`` say whether an end is excluded (``>50`` excludes 50).
    Spans add and subtract end to end, so the span of a sum holds every total
    its printed parts allow.

    Examples
    --------
    >>> a, b = Span.of("4"), Span.of("13")   # 3.5 to 4.5 and 12.5 to 13.5
    >>> print(a + b)
    16 to 18
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
    def of(cls, printed: Printed, *, lenient: bool = False) -> Span:
        """The values a printed number (or printed bound, or number with words of size) allows.

        Words of size are read with :data:`il2lib.rounding.WORD_TOLERANCE`; with ``lenient``, an end
        that only that reading sets is dropped (``nearly 4`` then allows anything below 4), so a
        check can tell a failure that rests on the reading from one that does not.

        Examples
        --------
        >>> print(Span.of("nearly 4"))
        3.4 to under 4
        >>> print(Span.of("nearly 4", lenient=True))
        under 4
        """
        p = _parsed(printed)
        if p.relation == "nr":   # a median not reached: some duration, how long the words do not say
            return cls(Fraction(0), None)
        lo, hi = rounding.interval(p)
        close = p.value * rounding.WORD_TOLERANCE
        return {
            "": cls(lo, hi),
            "+": cls(lo, None),
            ">": cls(p.value, None, lo_open=True),
            "≥": cls(p.value, None),
            "<": cls(None, p.value, hi_open=True),
            "s": cls(p.value, p.value + 10, hi_open=True),
            "≲": cls(None if lenient else p.value - close, p.value, hi_open=True),
            "≈": cls(None, None) if lenient else cls(p.value - close, p.value + close),
        }[p.relation]

    @classmethod
    def ends(cls, printed: Printed) -> tuple[bool, bool]:
        """Whether the values a number printed in this form allows are bounded below and above.

        A check that compares such a number with a span can fail for some printable value only
        where one of these ends can move past the span (see :func:`can_fail`).

        Examples
        --------
        >>> Span.ends("19.0"), Span.ends("10+"), Span.ends("<1")
        ((True, True), (True, False), (False, True))
        """
        span = cls.of(printed)
        return span.lo is not None, span.hi is not None

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

    def divided_by(self, other: Span) -> Span:
        """The quotients of two spans of quantities that cannot be negative (counts, durations, shares).

        A printed ``0`` spans -0.5 to 0.5; the negative part is dropped.  A denominator that may be zero
        leaves the quotient unbounded above.

        Examples
        --------
        >>> print(Span.of("38.2").divided_by(Span.of("7.2")))
        5.26 to 5.35
        >>> print(Span.of("1").divided_by(Span.of("0")))
        at least 1
        """
        top_lo = max(self.lo, Fraction(0)) if self.lo is not None else Fraction(0)
        bottom_lo = max(other.lo, Fraction(0)) if other.lo is not None else Fraction(0)
        lo = Fraction(0) if other.hi is None or other.hi == 0 else top_lo / other.hi
        hi = None if self.hi is None or bottom_lo == 0 else self.hi / bottom_lo
        return Span(lo, hi, self.lo_open or other.hi_open, self.hi_open or other.lo_open)

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
        low = f"{'over' if self.lo_open else 'at least'} {end(self.lo)}"
        high = f"{'under' if self.hi_open else 'at most'} {end(self.hi)}"
        if self.lo is None:
            return "any value" if self.hi is None else high
        if self.hi is None:
            return low
        return f"{'over ' if self.lo_open else ''}{end(self.lo)} to {'under ' if self.hi_open else ''}{end(self.hi)}"


def span_of(claim: Claim, *, lenient: bool = False) -> Span:
    """The values a claim allows: a whole number of patients is exact, anything else spans its rounding.

    ``lenient`` drops the ends that only the book's reading of words of size sets (:meth:`Span.of`).

    Examples
    --------
    >>> print(span_of(Claim("s", "n", "T2", "M1A", "18", "patients", "match")))
    18
    >>> print(span_of(Claim("s", "m", "T2", "median", "18", "months", "match")))
    17.5 to 18.5
    """
    number = claim.number
    if claim.unit in relations.COUNT_UNITS and not number.relation and number.decimals == 0:
        return Span.exactly(number.value)
    return Span.of(number, lenient=lenient)


def can_fail(ends: tuple[bool, bool], target: Span, relation: str) -> bool:
    """Whether comparing a printed number of a given form with ``target`` could fail for some printed value.

    Parameters
    ----------
    ends : (bool, bool)
        Whether the printed form bounds its values below and above (:meth:`Span.ends`).
    target : Span
        What the number is compared with.
    relation : {"=", "≥", "≤"}
        The number must meet the target, reach it, or stay within it.

    Examples
    --------
    A restatement of ``10+`` by another ``+`` bound can never fail; one of ``19.0`` can:

    >>> can_fail((True, False), Span.of("10+"), "="), can_fail((True, True), Span.of("19.0"), "=")
    (False, True)
    """
    bounded_lo, bounded_hi = ends
    above = target.hi is not None and bounded_lo   # the number can be printed wholly above the target
    below = target.lo is not None and bounded_hi   # ... or wholly below it
    return {"=": above or below, "≥": below, "≤": above}[relation]


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
