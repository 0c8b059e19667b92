"""Re-derive every published number of every study, check the paper against itself, and judge.

:func:`audit_study` joins a study's claims with the evidence its reproduction
module computes (a claim that restates another takes that claim's evidence),
judges each (:func:`il2lib.claims.judge`) and compares the verdict with the
one the claims file expects.  It also runs every consistency check the claims
file declares (:func:`il2lib.consistency.check_claims`) and lists, on each
claim, the checks it took part in: a check is listed on every claim it
involves and on every claim that restates one of them.  A failed check is
*explained* when one of those claims is expected to be contradicted; an
unexplained failure is a finding nobody has judged yet, and fails the audit
like an unexpected verdict.  The same rows feed ``il2 audit``, the ledger
page, the chapters' closing tables and the tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import pandas as pd

from il2lib import consistency, datasets, memo, relations, studies
from il2lib.claims import RE_DERIVED, Basis, Bound, Claim, Evidence, judge
from il2lib.exceptions import DataError, UnknownStudyError
from il2lib.rounding import format_at

__all__ = ["COLUMNS", "audit_study", "run", "summary", "match_kinds", "evidence_for", "study_checks", "checks_run",
           "failed_checks"]

#: Columns of an audit frame, in order.  ``checks`` holds, per claim, a list of
#: ``{"name", "passed", "detail"}`` dicts.
COLUMNS = ["study", "id", "source", "quantity", "printed", "unit", "published", "reproduced", "shown",
           "verdict", "expected", "as_expected", "basis", "evidence", "note", "checks"]


def evidence_for(claim: Claim, evidence: dict[str, Evidence], claims: dict[str, Claim]) -> Evidence | None:
    """The evidence bearing on a claim: its own, else that of the claim it restates (followed to the end)."""
    seen = set()
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

    Examples
    --------
    >>> rows = audit_study(datasets.load("successive-courses"))
    >>> rows.set_index("id").loc["t2-renal_cell-orr-pct", ["printed", "shown", "verdict"]].tolist()
    ['19.0', '18.9', 'contradicted']
    """
    if not datasets.is_current(study):
        return _audit(study)
    # Restatements reach into other studies, so the result is filed against every study's files.
    return memo.remembered(f"audit-{study.id}", lambda: _audit(study), inputs=[datasets.data_dir()])


def _audit(study: datasets.Study) -> pd.DataFrame:
    evidence = studies.reproduce(study)
    by_id = {claim.id: claim for claim in study.claims}
    checks = study_checks(study)
    listed = _checks_by_claim(study, checks)
    refuting = _failed_by_declaring_claim(checks)
    rows = []
    for claim in study.claims:
        found = evidence_for(claim, evidence, by_id) or _refutation(refuting.get(claim.id, []))
        rows.append(_row(claim, found) | {"checks": listed[claim.id]})
    return pd.DataFrame(rows, columns=COLUMNS)


def _failed_by_declaring_claim(checks: list[consistency.Check]) -> dict[str, list[consistency.Check]]:
    """Failed checks keyed by the claim that declares them (the first they involve).

    A denominator-recovery check belongs to a group of shares and refutes none of them alone.
    """
    failed: dict[str, list[consistency.Check]] = {}
    for check in checks:
        if not check.passed and check.name != "denominator":
            failed.setdefault(check.claims[0], []).append(check)
    return failed


def _refutation(failed: list[consistency.Check]) -> Bound | None:
    """The failed checks a claim declares, as evidence against it (checks never confirm)."""
    if not failed:
        return None
    return Bound(False, "; ".join(f"{c.name} check: {c.detail}" for c in failed), basis=Basis.CONSISTENCY)


def study_checks(study: datasets.Study) -> list[consistency.Check]:
    """Every consistency check the study's claims file declares, run.

    Raises
    ------
    DataError
        If a claim restates a claim of another study that does not exist.
    """
    return consistency.check_claims(study.claims, _claims_elsewhere(study))


def _claims_elsewhere(study: datasets.Study) -> dict[str, Claim]:
    """The other studies' claims that this study's claims restate, keyed ``study-id:claim-id``."""
    found: dict[str, Claim] = {}
    for line, claim in enumerate(study.claims, start=2):
        other, claim_id = relations.split_reference(claim.restates) if claim.restates else (None, "")
        if other is None:
            continue
        try:
            found[claim.restates] = datasets.load(other).claim(claim_id)
        except (KeyError, UnknownStudyError):
            raise DataError([f"{study.path / study.metadata['claims']}: line {line}, column 'restates': expected "
                             f"a claim of another study, found {claim.restates!r}, which does not exist"]) from None
    return found


def _checks_by_claim(study: datasets.Study, checks: list[consistency.Check]) -> dict[str, list[dict[str, Any]]]:
    """For each claim id, the checks it took part in (directly or through a restatement), as dicts."""
    family = _restatement_families(study.claims)
    listed: dict[str, list[dict[str, Any]]] = {claim.id: [] for claim in study.claims}
    for check in checks:
        members = {member for claim_id in check.claims if claim_id in family for member in family[claim_id]}
        for claim_id in sorted(members, key=list(listed).index):
            listed[claim_id].append({"name": check.name, "passed": check.passed, "detail": check.detail})
    return listed


def _restatement_families(claims: Iterable[Claim]) -> dict[str, set[str]]:
    """Each claim id with every claim of the same study that restates it or that it restates, transitively."""
    family = {claim.id: {claim.id} for claim in claims}
    for claim in claims:
        if claim.restates in family:
            merged = family[claim.id] | family[claim.restates]
            for member in merged:
                family[member] = merged
    return family


def checks_run(rows: pd.DataFrame) -> int:
    """How many distinct checks the rows' claims took part in (a check is listed on several claims)."""
    return len({(study, c["name"], c["detail"]) for study, checks in zip(rows["study"], rows["checks"])
                for c in checks})


def failed_checks(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per failed check: study, name, detail, the claims it is listed on, and whether it is explained.

    A failure is explained when at least one claim it is listed on is expected
    to be contradicted.
    """
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in rows.itertuples():
        for check in row.checks:
            if check["passed"]:
                continue
            entry = found.setdefault((row.study, check["name"], check["detail"]),
                                     {"study": row.study, "name": check["name"], "detail": check["detail"],
                                      "claims": [], "explained": False})
            entry["claims"].append(row.id)
            entry["explained"] |= row.expected == "contradicted"
    return pd.DataFrame(list(found.values()), columns=["study", "name", "detail", "claims", "explained"])


def _row(claim: Claim, evidence: Evidence | None) -> dict[str, Any]:
    verdict = judge(claim, evidence)
    value = getattr(evidence, "value", None)
    reproduced = float(value) if value is not None else float("nan")
    return {
        "study": claim.study,
        "id": claim.id,
        "source": claim.source,
        "quantity": claim.quantity,
        "printed": claim.printed,
        "unit": claim.unit,
        "published": float(claim.number.value),
        "reproduced": reproduced,
        "shown": format_at(value, claim.number.decimals) if value is not None else "",
        "verdict": str(verdict),
        "expected": str(claim.expected),
        "as_expected": verdict == claim.expected,
        "basis": str(evidence.basis) if evidence is not None else None,
        "evidence": evidence.evidence if evidence is not None else "nothing embedded re-derives this number",
        "note": claim.note,
    }


def run(study_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Audit several studies (all under ``data/`` by default) into one frame."""
    ids = list(study_ids) if study_ids is not None else datasets.studies()
    frames = [audit_study(datasets.load(study_id)) for study_id in ids]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def summary(rows: pd.DataFrame) -> dict[str, Any]:
    """Counts of claims by verdict, overall and per study; checks run and failed; what differs from the expected.

    ``matches`` splits the matches by what they rest on: ``re-derived`` (re-computed from other printed
    numbers, embedded counts or reconstructed data), ``cited report`` (equal to what a cited report's own
    abstract prints) and ``transcription`` (a printed cell equal to its second, independent typing: this
    confirms our typing, not the paper).  ``unexpected`` counts verdicts that differ from the claims file's
    expected verdict plus failed checks that no expected contradiction explains.

    Examples
    --------
    >>> s = summary(run(["successive-courses"]))
    >>> s["claims"] == sum(s["verdicts"].values()), s["verdicts"]["match"] == sum(s["matches"].values())
    (True, True)
    """
    failed = failed_checks(rows)
    unexplained = int((~failed["explained"].astype(bool)).sum())
    return {
        "claims": int(len(rows)),
        "verdicts": dict(sorted(Counter(rows["verdict"]).items())),
        "matches": match_kinds(rows),
        "checks": {"run": checks_run(rows), "failed": int(len(failed)), "unexplained": unexplained},
        "unexpected": int((~rows["as_expected"].astype(bool)).sum()) + unexplained,
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
