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

``same_as``
    a claim (or ``study-id:claim-id``) printing the same quantity elsewhere; unlike
    ``restates``, each printing keeps its own evidence (both may, for instance,
    be predicted from reconstructed data), and the two must agree at the
    precision of each.
``partition``
    a label shared by shares (unit ``%``) that together cover every patient (of
    those with data): they must add up to 100%, in whole patients where they
    declare one denominator.
``ratio_of``
    ``numerator / denominator``, two expressions as in ``sum_of``: a printed
    ratio, share or fold, possibly in words (``nearly a quarter``, ``over
    fivefold``), must be their ratio (times 100 for a claim in ``%``).

``restates`` (a core column) names a claim printing the same quantity; it may
also name a claim of another study as ``study-id:claim-id``.  Two more optional
columns annotate a claim without declaring a relation: ``compares`` (what a
p-value compares, as the paper's sentence or legend states it: ``CR+PR vs PD,
SD``, or ``unstated``) and ``finding`` (the id of the finding in
``findings.yaml`` that the claim belongs to).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from il2lib import rounding

__all__ = ["COLUMNS", "ANNOTATIONS", "COUNT_UNITS", "DURATIONS", "Term", "parse_expressions", "parse_denominator",
           "parse_landmark", "parse_ratio", "parse_comparison", "readings", "Comparison", "UNSTATED", "Landmark", "convert",
           "comparable_units", "split_reference", "NOT_REACHED"]

#: The optional relation columns of a claims file, in their documented order.
COLUMNS = ("of", "count", "sum_of", "at_least", "at_most", "median", "landmark", "same_as", "partition", "ratio_of")
#: Optional columns after the relations that annotate a claim: what a p-value compares, and its finding.
ANNOTATIONS = ("compares", "finding")
#: ``compares`` for a p-value whose comparison the paper does not state.
UNSTATED = "unstated"

#: Length of each unit of time, in months (a year of 365.25 days).
DURATIONS: dict[str, Fraction] = {
    "days": Fraction(12 * 4, 1461),
    "weeks": Fraction(12 * 4 * 7, 1461),
    "months": Fraction(1),
    "years": Fraction(12),
}

#: A median printed as not reached (the printed words, :data:`il2lib.rounding.NOT_REACHED`).
NOT_REACHED = rounding.NOT_REACHED

#: Units that count whole things: a whole number printed in one is exact, not rounded.
COUNT_UNITS = frozenset({"patients"})

#: The most patients a claim may count or a share may be of: beyond it a number is a typing slip, and
#: refusing it keeps every search over counts bounded.
MAX_PATIENTS = 10**7

_ID = r"[a-z0-9][a-z0-9_.-]*"
_NUMBER = r"\d{1,12}(?:\.\d{1,12})?"   # at most 10^12, as a printed number (il2lib._schemas)
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
        if not part.strip():
            raise ValueError("an empty expression before or after ';'")
        tokens = re.split(r"\s+([+-])\s+", " + " + part.strip() + " ")  # ids contain hyphens: operators need spaces
        terms = []
        for sign, token in zip(tokens[1::2], tokens[2::2]):
            token = token.strip()
            if re.fullmatch(_NUMBER, token):
                terms.append(Term(1 if sign == "+" else -1, number=Fraction(token)))
            elif re.fullmatch(_ID, token):
                terms.append(Term(1 if sign == "+" else -1, claim=token))
            else:
                raise ValueError(_bad_term(token))
        groups.append(terms)
    return groups


def _bad_term(token: str) -> str:
    """Why a term of an expression is neither a claim id nor a number, as precisely as can be said.

    >>> _bad_term(""), _bad_term("+t1-n"), _bad_term("a * b")
    ('a + or - with no term after it', "'+t1-n': put a space on each side of + and -", "'a * b': only + and - join terms (a ratio goes in ratio_of)")
    """
    if not token:
        return "a + or - with no term after it"
    if re.fullmatch(r"\d+(\.\d+)?", token):
        return f"{token!r}: a number of more than 12 digits, larger than any printed one"
    if re.match(r"[+-]\s", token):
        return f"two signs in a row before {token[1:].strip()!r}"
    if re.search(r"(^|\s)[+-]|[+-](\s|$)|\S[+]\S", token):
        return f"{token!r}: put a space on each side of + and -"
    if re.search(r"[*/×÷]", token):
        return f"{token!r}: only + and - join terms (a ratio goes in ratio_of)"
    if re.search(r"[A-Z]", token) and re.fullmatch(_ID, token.lower()):
        return f"{token!r}: claim ids are in lower case"
    return f"{token!r} is neither a claim id nor a number"


def parse_denominator(text: str) -> int | str:
    """Read an ``of`` cell: a whole number, a claim id, or ``?label`` (returned with its ``?``).

    Examples
    --------
    >>> parse_denominator("54"), parse_denominator("t1-mel-n"), parse_denominator("?landmark-1y")
    (54, 't1-mel-n', '?landmark-1y')
    """
    text = text.strip()
    if text.isdigit() and 0 < int(text) <= MAX_PATIENTS:
        return int(text)
    if re.fullmatch(rf"\??{_ID}", text):
        return text
    raise ValueError(f"{text!r} is not a whole number of patients from 1 to {MAX_PATIENTS:,}, a claim id or ?label")


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


def parse_ratio(text: str) -> tuple[list[Term], list[Term]]:
    """Read a ``ratio_of`` cell: two expressions separated by ``" / "``.

    Raises
    ------
    ValueError
        Unless there is exactly one ``" / "`` and both sides are expressions.

    Examples
    --------
    >>> top, bottom = parse_ratio("t1-sd-n / fig1-analysed")
    >>> [t.claim for t in top], [t.claim for t in bottom]
    (['t1-sd-n'], ['fig1-analysed'])
    """
    sides = text.split(" / ")
    if len(sides) != 2 or not all(side.strip() for side in sides):
        raise ValueError(f"{text!r} is not 'numerator / denominator'")
    top, bottom = (parse_expressions(side) for side in sides)
    if len(top) != 1 or len(bottom) != 1:
        raise ValueError(f"{text!r}: a ratio takes one expression on each side of ' / ', not ';'")
    return top[0], bottom[0]


@dataclass(frozen=True)
class Comparison:
    """What a printed p-value compares: two or more sides, each one group or several pooled.

    No sides means the paper does not state the comparison.  Group names are the study's own (for a
    survival comparison, its reconstructed groups).
    """

    sides: tuple[tuple[str, ...], ...] = ()

    @property
    def stated(self) -> bool:
        return bool(self.sides)

    @property
    def label(self) -> str:
        """``"CR+PR vs PD, SD"``, or ``"unstated"``."""
        return " vs ".join(", ".join(side) for side in self.sides) if self.sides else UNSTATED

    def ordered(self, groups: Sequence[str]) -> Comparison:
        """The same comparison with groups and sides in the order of ``groups`` (a p-value is symmetric).

        Examples
        --------
        >>> parse_comparison("CR+PR vs SD, PD").ordered(["PD", "SD", "CR+PR"]).label
        'PD, SD vs CR+PR'
        """
        rank = {g: i for i, g in enumerate(groups)}
        sides = [tuple(sorted(side, key=rank.__getitem__)) for side in self.sides]
        return Comparison(tuple(sorted(sides, key=lambda side: rank[side[0]])))


def parse_comparison(text: str) -> Comparison:
    """Read a ``compares`` cell: sides separated by ``" vs "``, groups within a side by ``", "``; or ``"unstated"``.

    Examples
    --------
    >>> parse_comparison("CR+PR vs PD, SD").sides
    (('CR+PR',), ('PD', 'SD'))
    >>> parse_comparison("PD vs SD vs CR+PR").label, parse_comparison("unstated").stated
    ('PD vs SD vs CR+PR', False)
    """
    text = text.strip()
    if text == UNSTATED:
        return Comparison()
    sides = tuple(tuple(g.strip() for g in side.split(",")) for side in text.split(" vs "))
    groups = [g for side in sides for g in side]
    if len(sides) < 2 or not all(groups) or len(set(groups)) != len(groups):
        raise ValueError(f"{text!r} is not 'A vs B' (groups separated by ', ', each named once) or 'unstated'")
    return Comparison(sides)


def readings(groups: Sequence[str]) -> list[Comparison]:
    """The comparisons a p-value over these groups could make: each pair, each group against all the others
    (pooled), and all of them at once.  For three groups, as the book's reconstructions have, that is every
    choice of two disjoint sets of them; with more groups, other ways of pooling them are not tried.

    Examples
    --------
    >>> [c.label for c in readings(["PD", "SD", "CR+PR"])]
    ['PD vs SD', 'PD vs CR+PR', 'SD vs CR+PR', 'PD vs SD, CR+PR', 'PD, CR+PR vs SD', 'PD, SD vs CR+PR', 'PD vs SD vs CR+PR']
    """
    groups = list(groups)
    pairs = [((a,), (b,)) for i, a in enumerate(groups) for b in groups[i + 1:]]
    if len(groups) > 2:
        pairs += [((g,), tuple(h for h in groups if h != g)) for g in groups]
    found = [Comparison(p).ordered(groups) for p in pairs]
    if len(groups) > 2:
        found.append(Comparison(tuple((g,) for g in groups)))
    return found


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
