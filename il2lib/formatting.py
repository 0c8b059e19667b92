"""Numbers and words as a journal prints them, for tables, prose and figure labels.

Every number a page shows to a reader goes through these functions, so that a
median nobody reached reads "not reached", a missing value reads "—", a tiny
p-value reads "< 0.001" and a count agrees with its noun.  Nothing here rounds
a *published* number: published values are shown exactly as printed.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["MISSING", "NOT_REACHED", "is_missing", "number", "p_value", "p_text", "scientific", "count", "mark", "value"]

#: What a table shows for a missing value, and for an infinite median (the curve never fell to 50%).
MISSING, NOT_REACHED = "—", "not reached"
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def is_missing(x: object) -> bool:
    """True for ``None``, NaN and pandas' missing markers.

    >>> is_missing(float("nan")), is_missing(0)
    (True, False)
    """
    if x is None:
        return True
    try:
        return bool(x != x)   # NaN, pd.NA and NaT are the values unequal to themselves
    except (TypeError, ValueError):
        return False


def scientific(x: float, digits: int = 1) -> str:
    """``x`` as a journal prints a very small or large number, with a true minus and superscript exponent.

    >>> scientific(3.14e-14)
    '3.1 × 10⁻¹⁴'
    """
    mantissa, exponent = f"{x:.{digits}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def number(x: float, decimals: int | None = None) -> str:
    """A computed number for a reader: fixed decimals, "not reached" for +∞, "—" when missing.

    Parameters
    ----------
    x : float
    decimals : int, optional
        Decimals to print.  By default whole numbers print without decimals and others with
        enough decimals for three significant digits (at most three), and numbers too small for
        that in :func:`scientific` notation.

    >>> number(12.3456), number(40.0), number(float("inf")), number(0.000012)
    ('12.3', '40', 'not reached', '1.2 × 10⁻⁵')
    """
    if is_missing(x):
        return MISSING
    x = float(x)
    if math.isinf(x):
        return NOT_REACHED if x > 0 else MISSING
    if decimals is None:
        if x == round(x):
            return f"{x:.0f}"
        if abs(x) < 0.001:
            return scientific(x)
        decimals = min(3, max(0, 2 - math.floor(math.log10(abs(x)))))
    text = f"{x:.{decimals}f}"
    return "0" if float(text) == 0 and decimals == 0 else text.replace("-", "−") if x < 0 else text


def p_value(p: float) -> str:
    """A p-value as a journal prints it: "< 0.001" below a thousandth, three decimals below 0.1, else two.

    >>> p_value(3e-14), p_value(0.0031), p_value(0.054308), p_value(0.5)
    ('< 0.001', '0.003', '0.054', '0.50')
    """
    if is_missing(p):
        return MISSING
    p = float(p)
    if p < 0.001:
        return "< 0.001"
    return f"{p:.3f}" if p < 0.1 else f"{p:.2f}"


def p_text(p: float) -> str:
    """A p-value with its sign, for a sentence: "p < 0.001" below a thousandth, else "p = " and :func:`p_value`.

    >>> p_text(8e-09), p_text(0.0031), p_text(0.39)
    ('p < 0.001', 'p = 0.003', 'p = 0.39')
    """
    text = p_value(p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` with its noun in the right number.

    >>> count(1, "patient"), count(57, "patient"), count(2, "analysis", "analyses")
    ('1 patient', '57 patients', '2 analyses')
    """
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def mark(flag: object) -> str:
    """✓ for true, ✗ for false, "—" when missing.

    >>> mark(True), mark(False)
    ('✓', '✗')
    """
    return MISSING if is_missing(flag) else "✓" if flag else "✗"


def value(x: object, decimals: int | None = None) -> str:
    """Any cell as a reader should see it: marks for booleans, :func:`number` for numbers, lists joined.

    >>> value(True), value([1, 2]), value(None), value("4.5 months")
    ('✓', '1, 2', '—', '4.5 months')
    """
    if isinstance(x, (bool, np.bool_)):
        return mark(x)
    if isinstance(x, numbers.Integral):
        return str(int(x))
    if isinstance(x, numbers.Real):
        return number(x, decimals)
    if isinstance(x, (list, tuple, set, frozenset)):
        return ", ".join(value(item, decimals) for item in x) or MISSING
    if is_missing(x):
        return MISSING
    return str(x)
