"""Premises: readings a verdict needs that the paper does not print, declared as data and tested against the paper.

A *premise* is an assumption such as "no response deepened after the last course" or "the landmark rates
are read off the Kaplan-Meier curve".  A verdict that needs one names it, so the reader sees what it rests
on.  A study declares its own premises in ``data/<study>/premises.yaml``::

    premises:
      - id: no-late-deepening
        statement: Each patient's best response is the state recorded after their last course.
        why: The course-by-course tables follow every retreated patient to the end of treatment.
        bears_on: [t2-melanoma-cr-n, t5-cr-c2]          # printed numbers that bear on it
        implies:                                         # relations that hold only if the premise does
          - {claim: t2-melanoma-cr-n, sum_of: t3-c1-cr + t3-c2-pr-cr + t3-c3-pr-cr}

Three premises are standard and need no declaration (:data:`STANDARD`): ``one-rounding-rule``,
``km-landmark`` and ``word-readings``; the consistency checks name them where their outcome rests on them.

The audit *tests* each premise against the paper's own numbers: the relations it ``implies`` are checked
like the claims file's own (:func:`il2lib.consistency.implied_checks`), and ``one-rounding-rule`` against
every share whose declared count lands on an exact tie.  A premise is *refuted for* a claim when one of its
tests fails on numbers that have nothing to do with that claim (:func:`refuted_for`): the paper itself then
denies the premise elsewhere, and no verdict on the claim may rest on it alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from il2lib import consistency
from il2lib.claims import Claim
from il2lib.consistency import KM_LANDMARK, ONE_ROUNDING_RULE, WORD_READINGS, Check

__all__ = ["Premise", "STANDARD", "FILE", "read", "problems", "declared_and_standard", "premise_tests",
           "refuted_for", "RELATIONS"]

#: Name of a study's premises file (optional).
FILE = "premises.yaml"
#: Relation columns a premise may imply (the claims file's, less those of groups and survival curves); the
#: schema of ``premises.yaml`` (:mod:`il2lib._models`) has one field for each.
RELATIONS = ("of", "count", "sum_of", "at_least", "at_most", "same_as", "ratio_of")


@dataclass(frozen=True)
class Premise:
    """A reading the paper does not print, on which a verdict may rest.

    Attributes
    ----------
    id : str
        Stable id, named by evidence and checks.
    statement : str
        What is assumed, in words.
    why : str
        Why it is plausible.
    bears_on : tuple of str
        Claim ids of the printed numbers that bear on it.
    implies : tuple of (str, dict)
        Relations that hold only if the premise does: ``(claim id, {column: cell})``.
    standard : bool
        One of the library's own premises (:data:`STANDARD`), not declared by the study.
    """

    id: str
    statement: str
    why: str
    bears_on: tuple[str, ...] = ()
    implies: tuple[tuple[str, Mapping[str, str]], ...] = field(default=())
    standard: bool = False


#: Premises every study may rest on without declaring them.
STANDARD: dict[str, Premise] = {p.id: p for p in (
    Premise(ONE_ROUNDING_RULE, "The paper rounds by one rule throughout: a value exactly halfway between two "
            "printable values is rounded up everywhere, or down everywhere.",
            "One analysis, typeset once, usually rounds one way; a tie printed once up and once down would "
            "need two rules. The audit tests it on every share whose count lands exactly on a tie.",
            standard=True),
    Premise(KM_LANDMARK, "A survival rate printed at a landmark and the median printed for the same group are "
            "read off one Kaplan-Meier curve.",
            "Both are what a Kaplan-Meier analysis prints. Where a paper says its rates are something else "
            "(a share of the patients whose status is known then), the claims file declares it.",
            standard=True),
    Premise(WORD_READINGS, "Words that size a number read as close to it: 'nearly' and 'almost' a little below "
            "it, 'approximately' and 'about' on either side, within 15% of the number.",
            "No convention fixes these words. The book reads them the same way for every paper, and a verdict "
            "that needs the 15% says so; one that fails under any reading (a value above what is 'nearly' "
            "reached) does not need it.",
            standard=True),
)}


def read(path: Path) -> tuple[Premise, ...]:
    """A study's declared premises (none if it has no ``premises.yaml``).

    Raises
    ------
    DataError
        If the file does not fit the schema (naming the line and the key).
    """
    if not path.is_file():
        return ()
    from il2lib._models import PremisesFile   # pydantic loads only when a file is read
    from il2lib._yamlfiles import read_model

    spec = read_model(path, PremisesFile)
    return tuple(Premise(p.id, " ".join(p.statement.split()), " ".join(p.why.split()), tuple(p.bears_on),
                         tuple((i.claim, {c: getattr(i, c) for c in RELATIONS if getattr(i, c)}) for i in p.implies))
                 for p in spec.premises)


def problems(premises: Sequence[Premise], units: Mapping[str, str], path: Path) -> list[str]:
    """What is wrong between a study's premises and its claims (``units``: each claim's unit, by id).

    Unknown claims, duplicate or standard ids, and implied relations that the claims file itself would refuse
    (terms in another unit, a share of a claim that is not a count, ...).
    """
    found = []
    seen: set[str] = set()
    for premise in premises:
        where = f"{path}: premise {premise.id!r}"
        if premise.id in seen or premise.id in STANDARD:
            found.append(f"{where}: expected a new id, found one that is "
                         f"{'declared twice' if premise.id in seen else 'a standard premise'}")
        seen.add(premise.id)
        named = [*premise.bears_on, *(claim for claim, _ in premise.implies)]
        found += [f"{where}: expected claim ids of claims.csv, found {claim!r}" for claim in named if claim not in units]
        for claim, relations_ in premise.implies:
            found += _implied_problems(f"{where}, implies on {claim!r}", claim, relations_, units)
    return found


def _implied_problems(where: str, claim: str, declared: Mapping[str, str], units: Mapping[str, str]) -> list[str]:
    """What is wrong with the relations a premise implies on one claim: unreadable cells or unknown claims
    first; then what the claims file's own relation checks would refuse."""
    from il2lib._schemas import relation_problem

    found = []
    for column, cell in declared.items():
        terms = _terms(column, cell)
        if terms is None:
            found.append(f"{where}, {column}: expected an expression of claim ids, found {cell!r}")
        else:
            found += [f"{where}, {column}: expected claim ids of claims.csv, found {term!r}"
                      for term in terms if term not in units and ":" not in term]
    if not found and claim in units and (wrong := relation_problem(claim, dict(declared), dict(units))):
        found.append(f"{where} (in {units[claim]}), {wrong}")
    return found


def _terms(column: str, cell: str) -> list[str] | None:
    from il2lib import relations

    try:
        if column == "ratio_of":
            groups = list(relations.parse_ratio(cell))
        elif column in ("same_as", "count"):
            return [cell.strip()]
        elif column == "of":
            target = relations.parse_denominator(cell)
            return [] if isinstance(target, int) or target.startswith("?") else [target]
        else:
            groups = relations.parse_expressions(cell)
    except ValueError:
        return None
    return [t.claim for group in groups for t in group if t.claim]


def declared_and_standard(declared: Iterable[Premise]) -> dict[str, Premise]:
    """Every premise a study's verdicts may name: the standard ones, then its own."""
    return STANDARD | {p.id: p for p in declared}


def premise_tests(premises: Iterable[Premise], claims: Sequence[Claim], checks: Sequence[Check],
                elsewhere: Mapping[str, Claim] | None = None) -> list[Check]:
    """The checks that test each premise against the paper's own numbers.

    The relations each premise implies, checked like the claims file's own; and, for
    ``one-rounding-rule``, one check over every share of ``checks`` whose declared count lands on a tie.
    """
    tests = [check for premise in premises for claim, declared in premise.implies
             for check in consistency.implied_checks(premise.id, claim, declared, claims, elsewhere)]
    rounding = _rounding_check(checks)
    return tests + ([rounding] if rounding else [])


def _rounding_check(checks: Iterable[Check]) -> Check | None:
    """Whether the shares that land on an exact tie were all rounded the same way (``None`` if there are none)."""
    ties = _ties(checks)
    if not ties:
        return None
    up = [claim for claim, way in ties if way == "up"]
    down = [claim for claim, way in ties if way == "down"]
    holds = not (up and down)
    detail = (f"shares whose count lands exactly on a tie: rounded up {', '.join(up) or 'none'}; rounded down "
              f"{', '.join(down) or 'none'}" + ("" if holds else ": the paper rounds ties both ways"))
    return Check("rounding", holds, detail, tuple(claim for claim, _ in ties), premises=(ONE_ROUNDING_RULE,),
                 tests=ONE_ROUNDING_RULE, informative=len(ties) > 1)   # a single tie cannot disagree with itself


def _ties(checks: Iterable[Check]) -> list[tuple[str, str]]:
    return list(dict.fromkeys((check.claims[0], check.tie) for check in checks if check.tie))


def refuted_for(premise: str, family: set[str], tests: Sequence[Check], checks: Sequence[Check] = ()) -> list[Check]:
    """The failed tests of a premise that do not involve a claim's family: the paper denies the premise elsewhere.

    Parameters
    ----------
    premise : str
        The premise's id.
    family : set of str
        The claim and every claim it restates or is restated by.
    tests : sequence of Check
        The premise tests (:func:`premise_tests`).
    checks : sequence of Check, optional
        Every check of the study; ``one-rounding-rule`` is judged on the ties among them once the
        family's own shares are set aside.

    Examples
    --------
    >>> t = Check("sum", False, "a = b + c", ("a", "b", "c"), premises=("p",), tests="p")
    >>> [c.detail for c in refuted_for("p", {"x"}, [t])], refuted_for("p", {"a"}, [t])
    (['a = b + c'], [])
    """
    if premise == ONE_ROUNDING_RULE:
        others = [check for check in checks if check.tie and check.claims[0] not in family]
        rounding = _rounding_check(others)
        return [rounding] if rounding is not None and not rounding.passed else []
    return [t for t in tests if t.tests == premise and not t.passed and not family & set(t.claims)]
