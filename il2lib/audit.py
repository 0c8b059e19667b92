"""Re-derive every published number of every study, check the paper against itself, and judge.

:func:`audit_study` joins a study's claims with the evidence its reproduction module computes (a claim
that restates another takes that claim's evidence, unless the two printings disagree), runs every
consistency check the claims file declares (:func:`il2lib.consistency.check_claims`) and every test of a
premise (:func:`il2lib.premises.premise_tests`), and judges each claim (:func:`il2lib.judgement.judge_claim`):
its verdict, what it rests on (basis and premises) and, for a contradiction, its strength.

Each claim lists the checks it took part in: a check is listed on every claim it involves and on every
claim that restates one of them.  A failed check is *explained* when it is filed under a finding (a claim it
is listed on names one), when it is the test that shows a paper does not round one way, or when it fails
only under a premise that the paper's own numbers refute elsewhere.  An unexplained failure is a problem
nobody has judged yet, and fails the audit like an unexpected verdict.  The same rows feed ``il2 audit``,
the ledger page, the chapters' closing tables and the tests; :func:`findings` groups them into findings and
:func:`premise_status` says how each premise fared.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import pandas as pd

from il2lib import consistency, datasets, findings as findings_, memo, premises as premises_, relations, studies
from il2lib.claims import RE_DERIVED, TO_REVIEW, Basis, Claim, Evidence
from il2lib.consistency import ONE_ROUNDING_RULE, Check
from il2lib.exceptions import DataError, UnknownStudyError
from il2lib.judgement import judge_claim
from il2lib.rounding import NOT_REACHED, format_at

__all__ = ["COLUMNS", "audit_study", "run", "summary", "match_kinds", "evidence_for", "study_checks", "checks_run",
           "failed_checks", "findings", "premise_status"]

#: Columns of an audit frame, in order.  ``checks`` holds, per claim, a list of
#: ``{"name", "passed", "detail", "informative", "premises", "tests", "finding", "explained"}`` dicts;
#: ``premises`` the premises the verdict rests on; ``strength`` is ``arithmetic`` or ``premise`` for a
#: contradiction and ``""`` otherwise; ``withheld`` the premises evidence needed but the paper denies
#: elsewhere; ``finding`` the finding the claim belongs to; ``elsewhere``, for a claim that restates (or
#: prints the same as) another study's claim, that claim's verdict there, what it rests on and its finding.
COLUMNS = ["study", "id", "source", "quantity", "printed", "unit", "published", "reproduced", "shown",
           "verdict", "expected", "as_expected", "basis", "premises", "strength", "withheld", "finding", "evidence",
           "note", "checks", "elsewhere"]


def evidence_for(claim: Claim, evidence: dict[str, Evidence], claims: dict[str, Claim],
                 disagreeing: Iterable[str] = ()) -> Evidence | None:
    """The evidence bearing on a claim: its own, else that of the claim it restates (followed to the end).

    A claim in ``disagreeing`` (whose printing does not agree with the one it restates) shares nothing.
    """
    seen = set(disagreeing)
    current = claim
    while current.id not in evidence and current.restates in claims and current.id not in seen:
        seen.add(current.id)
        current = claims[current.restates]
    return evidence.get(current.id)


def audit_study(study: datasets.Study) -> pd.DataFrame:
    """One row per claim of a study: published, reproduced, verdict and the evidence.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`.  ``published`` and ``reproduced`` are floats
        (``reproduced`` is NaN unless a number was re-derived); ``shown`` is
        the reproduced number formatted at the printed precision.

    Raises
    ------
    DataError
        If evidence or a check names a premise the study does not declare.

    Examples
    --------
    >>> rows = audit_study(datasets.load("successive-courses"))
    >>> rows.set_index("id").loc["t2-renal_cell-orr-pct", ["printed", "shown", "verdict", "strength"]].tolist()
    ['19.0', '18.9', 'contradicted', 'arithmetic']
    """
    if not datasets.is_current(study):
        return _audit(study)
    # Restatements reach into other studies, so the result is filed against every study's files.
    return memo.remembered(f"audit-{study.id}", lambda: _audit(study), inputs=[datasets.data_dir()])


def _audit(study: datasets.Study) -> pd.DataFrame:
    return _judged(study).assign(elsewhere=_elsewhere(study))


def _elsewhere(study: datasets.Study) -> list[str]:
    """For each claim, what the audit found on the other studies' claims it restates or prints the same as.

    A claim of another study is checked against, never used as evidence (``data/README.md``); this shows
    the reader its verdict there.
    """
    found = {reference: _verdict_there(reference) for reference in _claims_elsewhere(study)}
    return ["; ".join(found[r] for r in dict.fromkeys((claim.restates, claim.same_as)) if r in found)
            for claim in study.claims]


def _verdict_there(reference: str) -> str:
    """``study-id:claim-id`` and the verdict its own study's audit reaches, with what it rests on.

    >>> _verdict_there("successive-courses:t2-renal_cell-orr-pct")
    'successive-courses:t2-renal_cell-orr-pct is contradicted there (derived, arithmetic; finding rcc-orr)'
    """
    other, claim_id = relations.split_reference(reference)
    row = _judged(datasets.load(other)).set_index("id").loc[claim_id]
    rests_on = ", ".join(part for part in (row["basis"], row["strength"]) if part)
    finding = row["finding"] or (findings_.implicit(claim_id) if row["verdict"] == "contradicted" else "")
    details = "; ".join(part for part in (rests_on, f"finding {finding}" if finding else "") if part)
    return f"{reference} is {row['verdict']} there" + (f" ({details})" if details else "")


@functools.lru_cache(maxsize=16)
def _judged(study: datasets.Study) -> pd.DataFrame:
    """Every claim of the study judged (all columns but ``elsewhere``); once per study object in a process."""
    evidence = studies.reproduce(study)
    by_id = {claim.id: claim for claim in study.claims}
    checks = study_checks(study)
    _check_premises_known(study, evidence, checks)
    family = _restatement_families(study.claims)
    tests = [check for check in checks if check.tests]
    restating = {c.claims[0]: c for c in checks if c.name == "restatement" and not c.passed}
    refuting = _failed_by_declaring_claim(checks)
    listed = _checks_by_claim(study, checks, family, tests)
    rows = []
    for claim in study.claims:
        def refuted(premise: str, members: set[str] = family[claim.id]) -> list[Check]:
            return premises_.refuted_for(premise, members, tests, checks)

        # a printing that disagrees with the one it restates shares nothing, unless only a denied premise says so
        disagrees = claim.id in restating and not any(refuted(p) for p in restating[claim.id].premises)
        found = evidence_for(claim, evidence, by_id, {claim.id} if disagrees else ())
        judgement = judge_claim(claim, found, refuting.get(claim.id, []), refuted)
        rows.append(_row(claim, judgement) | {"checks": listed[claim.id]})
    return pd.DataFrame(rows, columns=COLUMNS[:-1])


def _failed_by_declaring_claim(checks: list[Check]) -> dict[str, list[Check]]:
    """Failed checks keyed by the claim that declares them (the first they involve).

    A denominator-recovery check belongs to a group of shares and refutes none of them alone (another
    denominator may fit each), nor does the rounding test of a premise.  A failed partition refutes every
    share in it: shares of everyone that cannot add up to 100% cannot all be right.
    """
    failed: dict[str, list[Check]] = {}
    for check in checks:
        if check.passed or check.name in ("denominator", "rounding"):
            continue
        for claim_id in (check.claims if check.name == "partition" else check.claims[:1]):
            failed.setdefault(claim_id, []).append(check)
    return failed


def study_checks(study: datasets.Study) -> list[Check]:
    """Every consistency check the study's claims file declares, and every test of its premises, run.

    Raises
    ------
    DataError
        If a claim restates (or prints the same as) a claim of another study that does not exist.
    """
    elsewhere = _claims_elsewhere(study)
    declared = consistency.check_claims(study.claims, elsewhere)
    return declared + premises_.premise_tests(study.premises, study.claims, declared, elsewhere)


def _check_premises_known(study: datasets.Study, evidence: dict[str, Evidence], checks: list[Check]) -> None:
    """Every premise that evidence or a check names is standard or declared in ``premises.yaml``."""
    known = premises_.declared_and_standard(study.premises)
    named = {p for e in evidence.values() for p in e.premises} | {p for c in checks for p in c.premises}
    unknown = sorted(named - set(known))
    if unknown:
        raise DataError([f"{study.path / premises_.FILE}: expected a premise named {p!r} (the study's evidence "
                         "rests on it), found none" for p in unknown])


def _claims_elsewhere(study: datasets.Study) -> dict[str, Claim]:
    """The other studies' claims that this study's claims restate or print the same as, keyed ``study-id:claim-id``."""
    found: dict[str, Claim] = {}
    others: dict[str, datasets.Study | None] = {}
    for claim in study.claims:
        for column in ("restates", "same_as"):
            reference = getattr(claim, column)
            other, claim_id = relations.split_reference(reference) if reference else (None, "")
            if other is None:
                continue
            if reference not in found:
                if other not in others:
                    others[other] = _other_study(other)
                original = _claim_or_none(others[other], claim_id)
                if original is None:
                    raise DataError([f"{_where(study, claim, column)}: expected a claim of another study, found "
                                     f"{reference!r}, which does not exist"])
                found[reference] = original
            _comparable(study, claim, column, reference, found[reference])
    return found


def _other_study(study_id: str) -> datasets.Study | None:
    try:
        return datasets.load(study_id)
    except UnknownStudyError:
        return None


def _claim_or_none(study: datasets.Study | None, claim_id: str) -> Claim | None:
    try:
        return study.claim(claim_id) if study is not None else None
    except KeyError:
        return None


def _where(study: datasets.Study, claim: Claim, column: str) -> str:
    line = study.claim_line(claim.id)
    return f"{study.path / study.metadata['claims']}: {f'line {line}, ' if line else ''}column {column!r}"


def _comparable(study: datasets.Study, claim: Claim, column: str, reference: str, original: Claim) -> None:
    if not relations.comparable_units(claim.unit, original.unit):
        raise DataError([f"{_where(study, claim, column)}: expected a claim in {claim.unit!r} or a unit comparable "
                         f"with it, found {reference!r}, which is in {original.unit!r}"])


def _checks_by_claim(study: datasets.Study, checks: list[Check], family: dict[str, set[str]],
                     tests: list[Check]) -> dict[str, list[dict[str, Any]]]:
    """For each claim id, the checks it took part in (directly or through a restatement), as dicts.

    Every claim of a restatement family takes part in the same checks, so the family's claims share one
    list: the work grows with the checks, not with the checks times the family's size.
    """
    by_id = {claim.id: claim for claim in study.claims}
    order = {claim_id: index for index, claim_id in enumerate(by_id)}
    shared: dict[int, list[dict[str, Any]]] = {id(members): [] for members in family.values()}
    for check in checks:
        touched = {id(family[c]): family[c] for c in check.claims if c in family}
        filing = {"finding": "", "explained": ""}
        if not check.passed:
            members = sorted(set().union(*touched.values()), key=order.__getitem__)
            filing = _filing(check, members, by_id, family, tests, checks)
        entry = {"name": check.name, "passed": check.passed, "detail": check.detail,
                 "informative": check.informative, "premises": list(check.premises), "tests": check.tests,
                 **filing}
        for key in touched:
            shared[key].append(entry)
    return {claim_id: shared[id(members)] for claim_id, members in family.items()}


def _filing(check: Check, members: Sequence[str], by_id: dict[str, Claim], family: dict[str, set[str]],
            tests: list[Check], checks: list[Check]) -> dict[str, str]:
    """The finding a failed check is filed under, and what explains it (``""`` when nothing does)."""
    if check.passed:
        return {"finding": "", "explained": ""}
    declaring = check.claims[0]
    named = [by_id[c].finding or findings_.implicit(c) for c in (declaring, *members)
             if c in by_id and (by_id[c].finding or by_id[c].expected == "contradicted")]
    if named:
        return {"finding": named[0], "explained": "finding"}
    if check.name == "rounding":
        return {"finding": "", "explained": f"shows the paper does not follow {ONE_ROUNDING_RULE}"}
    members_of = family.get(declaring, {declaring})
    if check.premises and all(premises_.refuted_for(p, members_of, tests, checks) for p in check.premises):
        return {"finding": "", "explained": "fails only under a premise the paper's own numbers refute elsewhere"}
    return {"finding": "", "explained": ""}


def _restatement_families(claims: Iterable[Claim]) -> dict[str, set[str]]:
    """Each claim id with every claim of the same study that restates it or that it restates, transitively.

    The claims of one family share one set; joining two families moves the smaller into the larger, so
    the work grows as the claims times the logarithm of the largest family.

    >>> a, b, c = (Claim("s", i, "", "", "1", "patients", None, restates=r) for i, r in (("a", ""), ("b", "a"), ("c", "b")))
    >>> families = _restatement_families([a, b, c])
    >>> sorted(families["a"]), families["a"] is families["c"]
    (['a', 'b', 'c'], True)
    """
    family = {claim.id: {claim.id} for claim in claims}
    for claim in claims:
        if claim.restates not in family or family[claim.restates] is family[claim.id]:
            continue
        larger, smaller = sorted((family[claim.id], family[claim.restates]), key=len, reverse=True)
        larger |= smaller
        for member in smaller:
            family[member] = larger
    return family


def _distinct_lists(rows: pd.DataFrame) -> dict[int, tuple[list[dict[str, Any]], list[int]]]:
    """Each distinct list of checks in the rows (a restatement family's claims share one), with the positions
    of the rows that carry it."""
    lists: dict[int, tuple[list[dict[str, Any]], list[int]]] = {}
    for position, checks in enumerate(rows["checks"]):
        lists.setdefault(id(checks), (checks, []))[1].append(position)
    return lists


def _distinct_checks(rows: pd.DataFrame) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Every check the rows' claims took part in, once (a check is listed on several claims)."""
    studies = rows["study"].tolist()
    return {(studies[positions[0]], c["name"], c["detail"]): c
            for checks, positions in _distinct_lists(rows).values() for c in checks}


def checks_run(rows: pd.DataFrame) -> int:
    """How many distinct checks the rows' claims took part in (a check is listed on several claims)."""
    return len(_distinct_checks(rows))


def failed_checks(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per failed check: study, name, detail, claims listed on, premises, finding, and what explains it.

    ``explained`` is ``True`` when the check is filed under a finding, is the test that shows the paper
    does not round one way, or fails only under a premise the paper's own numbers refute elsewhere (``why``
    says which).
    """
    studies, ids = rows["study"].tolist(), rows["id"].tolist()
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for checks, positions in _distinct_lists(rows).values():
        study = studies[positions[0]]
        for check in checks:
            if check["passed"]:
                continue
            entry = found.setdefault((study, check["name"], check["detail"]), {
                "study": study, "name": check["name"], "detail": check["detail"], "claims": [],
                "premises": check["premises"], "finding": check["finding"], "why": check["explained"],
                "explained": bool(check["explained"])})
            entry["claims"] += positions
    for entry in found.values():   # the claims in the rows' order, as they are listed
        entry["claims"] = [ids[position] for position in sorted(entry["claims"])]
    return pd.DataFrame(list(found.values()),
                        columns=["study", "name", "detail", "claims", "premises", "finding", "why", "explained"])


def _shown(value: Fraction | float | None, claim: Claim) -> str:
    """The reproduced value at the claim's printed precision; a p-value too small to show reads "< 0.001"."""
    if value is None:
        return ""
    if not math.isfinite(value):
        return NOT_REACHED if value > 0 else str(value)
    shown = format_at(value, max(claim.number.decimals, 1) if claim.number.relation == "nr" else claim.number.decimals)
    if claim.unit == "p" and float(shown) == 0 and value > 0:
        return f"< {format_at(Fraction(1, 10 ** claim.number.decimals), claim.number.decimals)}"
    return shown


def _row(claim: Claim, judgement) -> dict[str, Any]:
    value = judgement.value
    return {
        "study": claim.study,
        "id": claim.id,
        "source": claim.source,
        "quantity": claim.quantity,
        "printed": claim.printed,
        "unit": claim.unit,
        "published": math.inf if claim.number.relation == "nr" else float(claim.number.value),
        "reproduced": float(value) if value is not None else float("nan"),
        "shown": _shown(value, claim),
        "verdict": str(judgement.verdict),
        "expected": str(claim.expected) if claim.expected is not None else "",
        "as_expected": claim.expected is None or judgement.verdict == claim.expected,   # not yet recorded: none
        "basis": judgement.basis,
        "premises": list(judgement.premises),
        "strength": judgement.strength,
        "withheld": list(judgement.withheld),
        "finding": claim.finding,
        "evidence": judgement.evidence,
        "note": claim.note,
    }


def run(study_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Audit several studies (all under ``data/`` by default) into one frame."""
    ids = list(study_ids) if study_ids is not None else datasets.studies()
    frames = [audit_study(datasets.load(study_id)) for study_id in ids]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def findings(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """The findings of the audited studies, strongest first (:func:`il2lib.findings.assemble`).

    Examples
    --------
    >>> found = findings(run(["successive-courses"]))
    >>> {f["strength"] for f in found} <= {"arithmetic", "premise"}
    True
    """
    specs = {study: datasets.load(study).findings for study in dict.fromkeys(rows["study"])}
    return findings_.assemble(rows, failed_checks(rows), specs)


def premise_status(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """Each premise the audited studies declare or rest on: what it says, how it was tested, what rests on it.

    Returns
    -------
    list of dict
        ``study, id, statement, why, standard, bears_on, tests, failed, status, rests_on_it``: ``tests`` and
        ``failed`` count the checks that test it (its implications, or for ``one-rounding-rule`` the ties);
        ``status`` says whether the paper's own numbers deny it (it fails in places that each deny it for the
        other, so the verdicts there were withheld), contradict each other only under it, hold wherever it
        was tested, or cannot test it;
        ``rests_on_it`` lists the claims whose verdict or failed checks name it.
    """
    out = []
    checks = _distinct_checks(rows)
    for study in dict.fromkeys(rows["study"]):
        mine = rows[rows["study"] == study]
        declared = premises_.declared_and_standard(datasets.load(study).premises)
        named = {p: [cid for cid, ps, cs in zip(mine["id"], mine["premises"], mine["checks"])
                     if p in ps or any(p in c["premises"] and not c["passed"] for c in cs)] for p in declared}
        for premise in declared.values():
            tests = [c for (s, _, _), c in checks.items() if s == study and c["tests"] == premise.id]
            if premise.standard and not tests and not named[premise.id]:
                continue
            failed = [c for c in tests if not c["passed"]]
            failing = {cid for cid, cs in zip(mine["id"], mine["checks"])
                       if any(premise.id in c["premises"] and not c["passed"] for c in cs)}
            denied = any(premise.id in w and cid in failing for cid, w in zip(mine["id"], mine["withheld"]))
            status = ("denied by the paper's own numbers: nothing rests on it alone" if denied else
                      "the paper's numbers contradict each other under it" if failed else
                      "holds wherever tested" if tests else "not tested: no other printed number can test it")
            out.append({"study": study, "id": premise.id, "statement": premise.statement, "why": premise.why,
                        "standard": premise.standard, "bears_on": list(premise.bears_on), "tests": len(tests),
                        "failed": [c["detail"] for c in failed], "status": status,
                        "rests_on_it": named[premise.id]})
    return out


def summary(rows: pd.DataFrame, found: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Counts of claims by verdict, overall and per study; findings; checks; what differs from the expected.

    ``found`` is :func:`findings` of the same rows, for a caller that has it already (it is computed
    otherwise).

    ``matches`` splits the matches by what they rest on: ``re-derived`` (re-computed from other printed
    numbers, embedded counts or reconstructed data), ``cited report`` (equal to what a cited report's own
    abstract prints) and ``transcription`` (a printed cell equal to its second, independent typing: this
    confirms our typing, not the paper).  ``findings`` counts findings by strength and the printings they
    group.  ``checks`` counts distinct checks: ``informative`` passes, ``uninformative`` ones (that could not
    have failed at the printed precision, so are no evidence), ``failed`` and ``unexplained``.
    ``unexpected`` counts verdicts that differ from the claims file's expected verdict plus unexplained
    failed checks; ``unrecorded`` counts claims whose expected verdict is not written yet, ``to_review`` those
    whose note is still the one ``il2 audit --record`` wrote.

    Examples
    --------
    >>> s = summary(run(["successive-courses"]))
    >>> s["claims"] == sum(s["verdicts"].values()), s["verdicts"]["match"] == sum(s["matches"].values())
    (True, True)
    >>> s["checks"]["run"] == s["checks"]["informative"] + s["checks"]["uninformative"] + s["checks"]["failed"]
    True
    """
    failed = failed_checks(rows)
    unexplained = int((~failed["explained"].astype(bool)).sum())
    distinct = _distinct_checks(rows).values()
    if found is None:
        found = findings(rows) if len(rows) else []
    return {
        "claims": int(len(rows)),
        "verdicts": dict(sorted(Counter(rows["verdict"]).items())),
        "matches": match_kinds(rows),
        "findings": {"total": len(found), **{s: sum(f["strength"] == s for f in found)
                                            for s in findings_.STRENGTHS},
                     "printings": sum(f["printings"] for f in found)},
        "checks": {"run": len(distinct), "informative": sum(c["passed"] and c["informative"] for c in distinct),
                   "uninformative": sum(c["passed"] and not c["informative"] for c in distinct),
                   "failed": int(len(failed)), "unexplained": unexplained},
        "unexpected": int((~rows["as_expected"].astype(bool)).sum()) + unexplained,
        "unrecorded": int((rows["expected"] == "").sum()),
        "to_review": int(rows["note"].str.startswith(TO_REVIEW).sum()) if len(rows) else 0,
        "studies": {
            study: dict(sorted(Counter(group["verdict"]).items())) for study, group in rows.groupby("study")
        },
    }


def match_kinds(rows: pd.DataFrame) -> dict[str, int]:
    """Matches by what they rest on: ``re-derived``, ``cited report`` and ``transcription`` (see :func:`summary`).

    Examples
    --------
    >>> match_kinds(run(["after-pd1"]))["transcription"] > 0
    True
    """
    bases = rows.loc[rows["verdict"] == "match", "basis"]
    return {
        "re-derived": int(bases.isin([str(b) for b in RE_DERIVED]).sum()),
        "cited report": int((bases == str(Basis.CITED)).sum()),
        "transcription": int((bases == str(Basis.TRANSCRIPTION)).sum()),
    }
