"""Reading printed numbers and comparing them with reproduced values at printed precision.

The rounding rule
-----------------
A value printed with *d* decimals agrees with a reproduced value *x* when *x*
lies in the closed interval ``[p - 0.5 * 10**-d, p + 0.5 * 10**-d]``, i.e. when
rounding *x* to *d* decimals can give *p*.  An exact tie (``x = 6.65`` printed
as ``6.6`` or ``6.7``) agrees either way, so the rule accepts both
round-half-up and round-half-even.  Reproduced ratios of counts are carried as
exact :class:`fractions.Fraction` values, so ties are detected exactly rather
than through binary floating point.

Printed bounds
--------------
Some numbers are printed as bounds rather than values: ``">50"`` (more than
50), ``"≥5"`` (at least 5), ``"<1"`` and, for durations still running when the
paper was written, a trailing plus: ``"10+"`` years of follow-up means at least
ten years and counting.  :func:`agrees` then asks whether the reproduced value
respects the bound: strictly for ``>`` and ``<``, inclusively for ``≥``, and
for ``+`` whether it reaches the printed value at its precision (``10+`` is
respected by 9.5 or more).  A bound may carry both marks (``">4+"``); the
leading sign decides.  A decade (``"1990s"``) is respected by any year in it.

A median printed ``"not reached"`` (relation ``"nr"``) has no number: the
curve had not fallen to 50% by the end of follow-up.  It is respected only by
a reproduced median that is not reached either (``math.inf``, as
:func:`il2lib.survival.median_time` returns it), and it allows any duration from
0 up, since the printed words do not say how long follow-up was.

Words of size
-------------
A number may be printed with words that size it: ``"nearly a quarter"``,
``"approximately 2:1"``, ``"over fivefold"``.  ``over`` and ``more than`` read
as ``>``, ``less than`` and ``under`` as ``<``; ``nearly`` and ``almost`` as a
little below the number (``≲``), and ``approximately``, ``about`` and
``around`` as close to it either side (``≈``), as is a bare fraction in words
(``"two-thirds"``), which states a size rather than a rounding.  How close is a
reading, not a printed fact: :data:`WORD_TOLERANCE` (within 15% of the number) is the book's
reading, and a verdict that rests on it names the premise ``word-readings``.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from fractions import Fraction
from numbers import Real

__all__ = ["PrintedNumber", "parse", "agrees", "interval", "rounded", "round_half_up", "format_at", "WORD_TOLERANCE",
           "WORDS", "NOT_REACHED", "is_not_reached"]

_UNITS = {
    "zero": 0, "none": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_FRACTIONS = {"one half": Fraction(1, 2), "a half": Fraction(1, 2), "one third": Fraction(1, 3),
              "a third": Fraction(1, 3), "one quarter": Fraction(1, 4), "a quarter": Fraction(1, 4),
              "two-thirds": Fraction(2, 3), "two thirds": Fraction(2, 3)}
_NUMERAL = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+(\.\d+)?$")
_RATIO = re.compile(r"^(\d+(?:\.\d+)?):1$")
_DECADE = re.compile(r"^(\d{3}0)s$")
_BOUND = re.compile(r"^(?P<sign>[>≥<]?)\s*(?P<number>[^>≥<+]+?)(?P<plus>\+?)$")
_FOLD = re.compile(r"^(?P<number>.+?)-?fold$")

#: Words that size a printed number, and the relation each reads as (see the module notes).
WORDS = {"nearly": "≲", "almost": "≲", "approximately": "≈", "about": "≈", "around": "≈", "over": ">",
         "more than": ">", "less than": "<", "under": "<"}
#: How close "nearly", "approximately" and their kin put a value to the number they size (a reading).
WORD_TOLERANCE = Fraction(15, 100)
#: A median the curve never fell to, as papers print it (see the module notes).
NOT_REACHED = "not reached"


def is_not_reached(text: str) -> bool:
    """Whether a printed value reads "not reached" (in any case, with any spacing).

    >>> is_not_reached("Not  reached"), is_not_reached("38.2")
    (True, False)
    """
    return " ".join(text.lower().split()) == NOT_REACHED


class PrintedNumber:
    """A number as a paper prints it: its value and its precision.

    Parameters
    ----------
    text : str
        The number as printed: ``"19.0"``, ``"720,000"``, ``"Seventeen"``,
        ``"none"``, ``"one half"``, a ratio to one such as ``"2:1"``, a
        bound such as ``">50"``, ``"≥5"`` or ``"10+"``, or ``"not reached"``.

    Attributes
    ----------
    value : Fraction
        The number, without any bound sign; 0 for ``"not reached"``, which prints none (its relation says so).
    decimals : int
        Decimals printed (the precision).
    relation : str
        ``""`` for a plain value, else ``">"``, ``"≥"``, ``"<"``, ``"+"``,
        ``"s"`` for a decade (see the module notes on printed bounds),
        ``"≲"`` / ``"≈"`` for words of size (``"nearly"``, ``"approximately"``), or ``"nr"`` for
        ``"not reached"``.
    words : str
        The words of size printed with the number (``"nearly"``), or ``""``.

    Examples
    --------
    >>> p = PrintedNumber("19.0")
    >>> float(p.value), p.decimals
    (19.0, 1)
    >>> float(PrintedNumber("Forty-three").value)
    43.0
    >>> PrintedNumber("10.5+").relation, float(PrintedNumber("10.5+").value)
    ('+', 10.5)
    >>> p = PrintedNumber("nearly a quarter")
    >>> p.words, p.relation, p.value
    ('nearly', '≲', Fraction(1, 4))
    >>> PrintedNumber("Not reached").relation
    'nr'
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = ""
        if is_not_reached(text):
            self.value, self.decimals, self.relation = Fraction(0), 0, "nr"
            return
        words = next((w for w in WORDS if text.strip().lower().startswith(w + " ")), None)
        if words:
            inner = PrintedNumber(text.strip()[len(words):].strip())
            if inner.relation and (inner.relation != "≈" or inner.words):   # a fraction in words may follow
                raise ValueError(f"cannot read {text!r}: words of size before a bound")
            self.value, self.decimals, self.relation, self.words = inner.value, inner.decimals, WORDS[words], words
            return
        bound = _BOUND.match(text.strip())
        decade = _DECADE.match(text.strip())
        if decade:
            self.value, self.decimals, self.relation = Fraction(int(decade.group(1))), 0, "s"
        elif bound and (bound["sign"] or bound["plus"]):
            self.value, self.decimals = _parse(bound["number"])
            self.relation = bound["sign"] or "+"
        else:
            self.value, self.decimals = _parse(text)
            # a fraction in words ("two-thirds") is a size, not a rounding: read it as "approximately"
            self.relation = "≈" if text.strip().lower() in _FRACTIONS else ""

    def __repr__(self) -> str:
        return f"PrintedNumber({self.text!r})"


def _parse(text: str) -> tuple[Fraction, int]:
    t = text.strip()
    fold = _FOLD.match(t)
    if fold:
        return _parse(fold["number"])
    if _NUMERAL.match(t):
        digits = t.replace(",", "")
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        return Fraction(Decimal(digits)), decimals
    ratio = _RATIO.match(t)
    if ratio:
        return _parse(ratio.group(1))
    words = t.lower()
    if words in _FRACTIONS:
        return _FRACTIONS[words], 0
    number = _words_to_int(words)
    if number is not None:
        return Fraction(number), 0
    raise ValueError(
        f"cannot read {text!r} as a printed number; expected digits (e.g. '19.0', '720,000'), "
        "number words (e.g. 'Seventeen', 'Two hundred and forty-five', 'none'), 'one half', 'a quarter', "
        "a ratio 'x:1', a fold ('fivefold'), a bound ('>50', '≥5', '10+'), optionally after words of size "
        "('nearly', 'approximately', 'over', ...)"
    )


def _below_hundred(words: str) -> int | None:
    if words in _UNITS:
        return _UNITS[words]
    if words in _TENS:
        return _TENS[words]
    tens, _, unit = words.partition("-")
    if tens in _TENS and unit in _UNITS and 0 < _UNITS[unit] < 10:
        return _TENS[tens] + _UNITS[unit]
    return None


def _words_to_int(words: str) -> int | None:
    """``"forty-three"`` -> 43, ``"two hundred and forty-five"`` -> 245; ``None`` if not a number in words."""
    hundreds, sep, rest = words.partition(" hundred")
    if not sep:
        return _below_hundred(words)
    count = _below_hundred(hundreds)
    rest = rest.strip().removeprefix("and ").strip()
    tail = _below_hundred(rest) if rest else 0
    if count is None or not 0 < count < 10 or tail is None:
        return None
    return 100 * count + tail


@lru_cache(maxsize=4096)
def parse(text: str) -> PrintedNumber:
    """Read a printed number; raise ``ValueError`` with the accepted forms if it cannot be read.

    Results are cached: a printed number is read once however often a check asks for it.
    """
    return PrintedNumber(text)


def interval(printed: str | PrintedNumber) -> tuple[Fraction, Fraction]:
    """Closed interval of values that round to the printed number.

    Raises
    ------
    ValueError
        For ``"not reached"``, which prints no number to round.

    Examples
    --------
    >>> lo, hi = interval("19.0")
    >>> float(lo), float(hi)
    (18.95, 19.05)
    """
    p = printed if isinstance(printed, PrintedNumber) else PrintedNumber(printed)
    if p.relation == "nr":
        raise ValueError(f"{p.text!r} prints no number, so it has no rounding interval")
    half = Fraction(1, 2) / Fraction(10) ** p.decimals
    return p.value - half, p.value + half


def agrees(value: Real, printed: str | PrintedNumber) -> bool:
    """Whether a reproduced value rounds to the printed one (ties either way), or respects a printed bound.

    Parameters
    ----------
    value : Real
        The reproduced value; pass a :class:`~fractions.Fraction` for ratios of
        counts so that ties are exact, and ``math.inf`` for a median not reached.
    printed : str or PrintedNumber
        The value as printed.

    Examples
    --------
    >>> from fractions import Fraction
    >>> agrees(Fraction(3800, 201), "19.0")   # 38/201 = 18.905...%
    False
    >>> agrees(Fraction(3800, 201), "18.9")
    True
    >>> agrees(Fraction(37), ">50"), agrees(Fraction(19, 2), "10+")
    (False, True)
    >>> agrees(Fraction(57, 217), "nearly a quarter"), agrees(Fraction(57, 236), "nearly a quarter")
    (False, True)
    >>> agrees(float("inf"), "not reached"), agrees(38.2, "not reached"), agrees(float("inf"), "38.2")
    (True, False, False)
    """
    p = printed if isinstance(printed, PrintedNumber) else PrintedNumber(printed)
    if p.relation == "nr" or not math.isfinite(value):
        return p.relation == "nr" and value == math.inf
    x = Fraction(value)
    lo, hi = interval(p)
    close = p.value * WORD_TOLERANCE
    return {
        "": lo <= x <= hi,
        "+": x >= lo,
        ">": x > p.value,
        "≥": x >= p.value,
        "<": x < p.value,
        "s": p.value <= x < p.value + 10,
        "≲": p.value - close <= x < p.value,
        "≈": p.value - close <= x <= p.value + close,
    }[p.relation]


def rounded(value: Real, decimals: int, mode: str = ROUND_HALF_UP) -> Decimal:
    """Round to ``decimals`` places under a :mod:`decimal` rounding mode (``ROUND_HALF_EVEN``, ...).

    Examples
    --------
    >>> from decimal import ROUND_HALF_EVEN
    >>> from fractions import Fraction
    >>> str(rounded(Fraction(25, 2), 0)), str(rounded(Fraction(25, 2), 0, ROUND_HALF_EVEN))
    ('13', '12')
    """
    exact = Fraction(value)
    as_decimal = Decimal(exact.numerator) / Decimal(exact.denominator)
    return as_decimal.quantize(Decimal(1).scaleb(-decimals), rounding=mode)


def round_half_up(value: Real, decimals: int) -> Decimal:
    """Round half away from zero, as most papers do by hand (not Python's half-even ``round``)."""
    return rounded(value, decimals, ROUND_HALF_UP)


def format_at(value: Real, decimals: int) -> str:
    """Format a value at a given number of decimals, rounding half up.

    Examples
    --------
    >>> from fractions import Fraction
    >>> format_at(Fraction(3800, 201), 1)
    '18.9'
    """
    return f"{round_half_up(value, decimals):f}"
