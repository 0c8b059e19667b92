"""What a claims file declares about how its numbers relate, read and validated.

A study's ``claims.csv`` may say, for any claim, how it relates to others.
Seven optional columns carry these declarations (``data/README.md`` documents
them for authors); the checks of :mod:`il2lib.consistency` read them and
nothing else, so they work on any paper:

``of``
    what a share (unit ``%``) is a share of: a claim id, a whole number, or
    ``?label`` for a denominator the paper does not state (every share with the
    same label is taken to have the same one).
``count``
    the claim id of the count a share is made of (``38`` of ``201``).
``sum_of``
    an expression this claim equals: claim ids and numbers joined by ``+`` and
    ``-`` with a space either side, since ids contain hyphens (``t1-cr-n + t1-pr-n``).  Several expressions separated by ``;``
    must each hold.
``at_least`` / ``at_most``
    expressions this claim cannot be below / above (a response cannot outlast
    the longest follow-up; subgroups cannot outnumber their group).
``median``
    for a survival rate at a landmark: the claim id of the median of the same
    curve, or ``not reached``.
``landmark``
    the time of that rate: the id of the claim printing it, or a time such as
    ``2 years`` where the paper prints none as a number; add
    ``, known status`` when the paper computes the rate among patients whose
    status is known at that time rather than from a Kaplan-Meier curve.

``restates`` (a core column) names a claim printing the same quantity; it may
also name a claim of another study as ``study-id:claim-id``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["COLUMNS", "COUNT_UNITS", "DURATIONS", "Term", "parse_expressions", "parse_denominator", "parse_landmark",
           "Landmark", "convert", "comparable_units", "split_reference", "NOT_REACHED"]

#: The optional relation columns of a claims file, in their documented order.
COLUMNS = ("of", "count", "sum_of", "at_least", "at_most", "median", "landmark")

#: Length of each unit of time, in months (a year of 365.25 days).
DURATIONS: dict[str, Fraction] = {
    "days": Fraction(12 * 4, 1461),
    "weeks": Fraction(12 * 4 * 7, 1461),
    "months": Fraction(1),
    "years": Fraction(12),
}

NOT_REACHED = "not reached"

#: Units that count whole things: a whole number printed in one is exact, not rounded.
COUNT_UNITS = frozenset({"patients"})

_ID = r"[a-z0-9][a-z0-9_.-]*"
_NUMBER = r"\d+(?:\.\d+)?"
_TERM = re.compile(rf"^(?:(?P<study>{_ID}):)?(?P<id>{_ID})$")
_TIME = re.compile(rf"^(?P<time>{_NUMBER})\s+(?P<unit>days|weeks|months|years)$")


@dataclass(frozen=True)
class Term:
    """One signed term of a declared expression: a claim id or a number.

    Attributes
    ----------
    sign : int
        ``+1`` or ``-1``.
    claim : str or None
        The id of a claim of the same study, or ``None`` for a number.
    number : Fraction or None
        The number, or ``None`` for a claim.
    """

    sign: int
    claim: str | None = None
    number: Fraction | None = None


@dataclass(frozen=True)
class Landmark:
    """The time of a printed survival rate, and how the rate was computed.

    The time is either the id of the claim printing it (``claim``) or a time
    written out (``time`` and ``unit``).
    """

    claim: str | None = None
    time: Fraction | None = None
    unit: str | None = None
    known_status: bool = False


def parse_expressions(text: str) -> list[list[Term]]:
    """Read a declared expression (or several, separated by ``;``) into signed terms.

    Raises
    ------
    ValueError
        If a term is neither a claim id nor a number.

    Examples
    --------
    >>> [t.claim or t.number for t in parse_expressions("a + b - 100")[0]]
    ['a', 'b', Fraction(100, 1)]
    >>> len(parse_expressions("a + b; c + d"))
    2
    """
    groups = []
    for part in text.split(";"):
        tokens = re.split(r"\s+([+-])\s+", " + " + part.strip())  # ids contain hyphens: operators need spaces
        terms = []
        for sign, token in zip(tokens[1::2], tokens[2::2]):
            token = token.strip()
            if re.fullmatch(_NUMBER, token):
                terms.append(Term(1 if sign == "+" else -1, number=Fraction(token)))
            elif re.fullmatch(_ID, token):
                terms.append(Term(1 if sign == "+" else -1, claim=token))
            else:
                raise ValueError(f"{token!r} is neither a claim id nor a number")
        groups.append(terms)
    return groups


def parse_denominator(text: str) -> int | str:
    """Read an ``of`` cell: a whole number, a claim id, or ``?label`` (returned with its ``?``).

    Examples
    --------
    >>> parse_denominator("54"), parse_denominator("t1-mel-n"), parse_denominator("?landmark-1y")
    (54, 't1-mel-n', '?landmark-1y')
    """
    text = text.strip()
    if text.isdigit() and int(text) > 0:
        return int(text)
    if re.fullmatch(rf"\??{_ID}", text):
        return text
    raise ValueError(f"{text!r} is not a positive whole number, a claim id or ?label")


def parse_landmark(text: str) -> Landmark:
    """Read a ``landmark`` cell: a claim id or a time (``"2 years"``), optionally with ``", known status"``.

    Examples
    --------
    >>> parse_landmark("12 months, known status")
    Landmark(claim=None, time=Fraction(12, 1), unit='months', known_status=True)
    >>> parse_landmark("pm-landmark-1, known status").claim
    'pm-landmark-1'
    """
    what, comma, status = text.strip().partition(",")
    known = bool(comma) and status.strip() == "known status"
    if comma and not known:
        raise ValueError(f"{text!r}: only ', known status' may follow the time")
    match = _TIME.match(what.strip())
    if match:
        return Landmark(time=Fraction(match["time"]), unit=match["unit"], known_status=known)
    if re.fullmatch(_ID, what.strip()):
        return Landmark(claim=what.strip(), known_status=known)
    raise ValueError(f"{text!r} is not a claim id or a time such as '2 years' or '24 months, known status'")


def split_reference(reference: str) -> tuple[str | None, str]:
    """Split ``study:claim`` into its parts; a bare claim id has no study.

    Examples
    --------
    >>> split_reference("stable-disease:bg-fda-mel-year"), split_reference("t1-n")
    (('stable-disease', 'bg-fda-mel-year'), (None, 't1-n'))
    """
    match = _TERM.match(reference.strip())
    if not match:
        raise ValueError(f"{reference!r} is not a claim id or study-id:claim-id")
    return match["study"], match["id"]


def comparable_units(a: str, b: str) -> bool:
    """Whether values in two units can be compared: the same unit, or two durations.

    ``year`` (a calendar year, e.g. 1996) is not a duration; ``years`` is.
    """
    return a == b or (a in DURATIONS and b in DURATIONS)


def convert(value: Fraction, unit: str, to: str) -> Fraction:
    """A value in one unit expressed in another (only units of time differ).

    Examples
    --------
    >>> convert(Fraction(4), "years", "months")
    Fraction(48, 1)
    """
    if unit == to:
        return value
    return value * DURATIONS[unit] / DURATIONS[to]
