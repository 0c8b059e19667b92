"""Published claims, what the embedded data say about them, and the verdict.

A *claim* is one number printed in a paper, recorded in the study's
``claims.csv``.  A reproduction function answers it with one of three kinds of
evidence:

:class:`Derived`
    the number itself, re-computed from embedded data; the verdict is
    ``match`` when it rounds to the printed value (see :mod:`il2lib.rounding`)
    and ``contradicted`` otherwise.
:class:`Statement`
    a claim that is a statement the data settle either way (e.g. "most
    patients were aged 21 to 60"); ``match`` if it holds, ``contradicted`` if not.
:class:`Bound`
    a limit the number must respect although the data cannot re-derive it
    (e.g. a response cannot outlast the follow-up); ``contradicted`` if it is
    broken, otherwise still ``unverifiable``.

A claim no function answers is ``unverifiable``.

Every piece of evidence says what it rests on (its :class:`Basis`) and which
premises, if any, it needs: readings the paper does not print, declared in the
study's ``premises.yaml`` (see :mod:`il2lib.premises`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from numbers import Real

from il2lib import rounding
from il2lib.exceptions import NotADurationError

__all__ = ["Verdict", "Basis", "RE_DERIVED", "Claim", "Derived", "Statement", "Bound", "Evidence", "judge", "percent",
           "transcribed", "year_of_record", "summed", "TO_REVIEW"]


class Verdict(StrEnum):
    """What the embedded data say about a published number."""

    MATCH = "match"
    CONTRADICTED = "contradicted"
    UNVERIFIABLE = "unverifiable"


class Basis(StrEnum):
    """What a verdict rests on: the kind of evidence behind it.

    ``TRANSCRIPTION``
        the printed value equals the same printed cell typed a second time,
        independently (a table cell under ``data/``, a date in ``study.yaml``).
        A match then confirms our typing, not the paper.
    ``DERIVED``
        re-computed by arithmetic or statistics from other printed numbers or
        embedded counts: a share from its count, a total from its parts, a
        column from the course-by-course tables, a ratio of two medians.
    ``RECONSTRUCTED``
        computed from pseudo patient-level data rebuilt from printed summaries.
    ``CITED``
        set against what a cited report's own abstract prints.
    ``CONSISTENCY``
        no evidence of its own: judged only through a declared consistency
        check on the paper's printed numbers that it failed.
    """

    TRANSCRIPTION = "transcription"
    DERIVED = "derived"
    RECONSTRUCTED = "reconstructed"
    CITED = "cited report"
    CONSISTENCY = "consistency"


#: Bases under which a match re-derives a number (rather than confirming our typing or a cited report).
RE_DERIVED = frozenset({Basis.DERIVED, Basis.RECONSTRUCTED})


#: How a note that ``il2 audit --record`` wrote begins (the audit's evidence), until the author replaces it
#: with one in their own words; the audit counts such notes.
TO_REVIEW = "TO REVIEW (the audit's evidence, written by il2 audit --record):"

@dataclass(frozen=True)
class Claim:
    """One published number, as recorded in a study's claims file.

    Attributes
    ----------
    study : str
        Study id (the folder name under ``data/``).
    id : str
        Stable claim id, unique within the study.
    source : str
        Where the number is printed (``"Table 2"``, ``"Abstract: Results"``).
    quantity : str
        What the number measures, in the book's words.
    printed : str
        The value exactly as printed (trailing zeros kept).
    unit : str
        Its unit.
    expected : Verdict or None
        The verdict the book's authors expect the audit to reach; ``None`` while a study is being written
        (``il2 audit --study ID --record`` fills it in from the audit, for the author to review).
    restates : str
        Id of another claim that this one repeats (``study-id:claim-id`` for
        another study's), or ``""``.
    note : str
        Why the expected verdict is what it is (required unless ``match``).
    of, count, sum_of, at_least, at_most, median, landmark, same_as, partition, ratio_of : str
        Declared relations to other claims, read by :mod:`il2lib.consistency`
        (see :mod:`il2lib.relations` for their form); ``""`` when not declared.
    compares : str
        For a p-value, what it compares as the paper states it (``"CR+PR vs PD, SD"``, ``"unstated"``).
    finding : str
        The id of the finding (``findings.yaml``) the claim belongs to, or ``""``.
    """

    study: str
    id: str
    source: str
    quantity: str
    printed: str
    unit: str
    expected: Verdict | None
    restates: str = ""
    note: str = ""
    of: str = ""
    count: str = ""
    sum_of: str = ""
    at_least: str = ""
    at_most: str = ""
    median: str = ""
    landmark: str = ""
    same_as: str = ""
    partition: str = ""
    ratio_of: str = ""
    compares: str = ""
    finding: str = ""

    @property
    def number(self) -> rounding.PrintedNumber:
        """The printed value, parsed."""
        return rounding.parse(self.printed)

    @property
    def months(self) -> float:
        """A printed duration in months (``unit`` must be ``months`` or ``years``).

        Examples
        --------
        >>> Claim("s", "fu", "Table 2A", "Longest follow-up", "30+", "years", Verdict.MATCH).months
        360.0
        """
        per_unit = {"months": 1, "years": 12}
        if self.unit not in per_unit:
            raise NotADurationError(f"claim {self.id!r} is in {self.unit!r}, not a duration in months or years")
        if self.number.relation == "nr":
            return math.inf
        return float(self.number.value) * per_unit[self.unit]


@dataclass(frozen=True)
class Derived:
    """A published number re-computed from embedded data.

    Attributes
    ----------
    value : Real
        The reproduced value (a :class:`~fractions.Fraction` for ratios of counts).
    evidence : str
        How it was computed, e.g. ``"38 / 201 = 18.91%"``.
    basis : Basis
        What the computation rests on (default: derived).
    premises : tuple of str
        Ids of the premises (readings the paper does not print) the computation needs.
    """

    value: Real
    evidence: str
    basis: Basis = Basis.DERIVED
    premises: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statement:
    """A published statement that the embedded data settle either way.

    ``value`` may carry a number for display (e.g. the sum of the parts a
    printed total should equal); the verdict rests on ``holds`` alone.
    """

    holds: bool
    evidence: str
    basis: Basis = Basis.DERIVED
    value: Real | None = None
    premises: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bound:
    """A limit that a published number must respect; it can refute but never confirm.

    ``value`` may carry a central estimate for display (e.g. a prediction from
    reconstructed data whose plausible range is the bound); it never decides
    the verdict.
    """

    holds: bool
    evidence: str
    basis: Basis = Basis.DERIVED
    value: Real | None = None
    premises: tuple[str, ...] = ()


Evidence = Derived | Statement | Bound


def judge(claim: Claim, evidence: Evidence | None) -> Verdict:
    """The verdict the evidence supports for a claim.

    Examples
    --------
    >>> from fractions import Fraction
    >>> c = Claim("s", "orr", "Table 2", "ORR", "19.0", "%", Verdict.CONTRADICTED)
    >>> judge(c, Derived(Fraction(3800, 201), "38/201"))
    <Verdict.CONTRADICTED: 'contradicted'>
    """
    if evidence is None:
        return Verdict.UNVERIFIABLE
    if isinstance(evidence, Derived):
        return Verdict.MATCH if rounding.agrees(evidence.value, claim.number) else Verdict.CONTRADICTED
    if isinstance(evidence, Statement):
        return Verdict.MATCH if evidence.holds else Verdict.CONTRADICTED
    return Verdict.UNVERIFIABLE if evidence.holds else Verdict.CONTRADICTED


def percent(part: int, whole: int) -> Derived:
    """A count as an exact percentage of another, with its arithmetic as evidence.

    Examples
    --------
    >>> d = percent(38, 201)
    >>> round(float(d.value), 3), d.evidence
    (18.905, '38 / 201 = 18.91%')
    """
    if whole <= 0:
        raise ValueError(f"a percentage needs a positive denominator, got {whole}")
    value = Fraction(100 * part, whole)
    return Derived(value, f"{part} / {whole} = {rounding.format_at(value, 2)}%")


def transcribed(n: int, file: str) -> Derived:
    """A cell of an embedded table, set against the same number in the claims file.

    The tables and the claims file are transcribed separately (double data
    entry), so this comparison catches a slip in either: its basis is
    :attr:`Basis.TRANSCRIPTION`, and a match confirms our typing, not the paper.
    The cell's content is then tested through every total and rate it feeds.

    Examples
    --------
    >>> e = transcribed(99, "characteristics.csv")
    >>> e.evidence, str(e.basis)
    ('cell of characteristics.csv (second transcription)', 'transcription')
    """
    return Derived(int(n), f"cell of {file} (second transcription)", basis=Basis.TRANSCRIPTION)


def year_of_record(date: object, key: str) -> Derived:
    """The year of a date that ``study.yaml`` records under ``dates``, set against the year a claim prints.

    ``study.yaml`` and the claims file are typed separately, so the comparison catches a slip in either,
    as :func:`transcribed` does for table cells.

    Examples
    --------
    >>> year_of_record("1985-09", "first_treatment").evidence
    "year of study.yaml's dates: first_treatment, 1985-09 (second transcription)"
    """
    return Derived(int(str(date)[:4]), f"year of study.yaml's dates: {key}, {date} (second transcription)",
                   basis=Basis.TRANSCRIPTION)


def summed(values: Iterable[int]) -> Derived:
    """A total of counts, with the addition as evidence.

    Examples
    --------
    >>> summed([41, 2]).evidence
    '41 + 2 = 43'
    """
    numbers = [int(v) for v in values]
    return Derived(sum(numbers), f"{' + '.join(map(str, numbers))} = {sum(numbers)}")
