"""The values a printed number allows, as a span that adds and subtracts end to end."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from il2lib import relations, rounding
from il2lib.claims import Claim
from il2lib.consistency.counts import Printed, _parsed

__all__ = ["Span", "span_of"]


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
