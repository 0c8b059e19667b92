"""Re-derive every published number of every study and judge it.

:func:`audit_study` joins a study's claims with the evidence its reproduction
module computes (a claim that restates another takes that claim's evidence),
judges each (:func:`il2lib.claims.judge`) and compares the verdict with the
one the claims file expects.  The same rows feed ``il2 audit``, the chapters'
closing tables and the tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import pandas as pd

from il2lib import datasets, studies
from il2lib.claims import Bound, Claim, Derived, Evidence, Statement, judge
from il2lib.rounding import format_at

__all__ = ["COLUMNS", "audit_study", "run", "summary", "evidence_for"]

#: Columns of an audit frame, in order.
COLUMNS = ["study", "id", "source", "quantity", "printed", "unit", "published", "reproduced", "shown",
           "verdict", "expected", "as_expected", "basis", "evidence", "note"]


def evidence_for(claim: Claim, evidence: dict[str, Evidence], claims: dict[str, Claim]) -> Evidence | None:
    """The evidence bearing on a claim: its own, else that of the claim it restates (followed to the end)."""
    seen = set()
    current = claim
    while current.id not in evidence and current.restates and current.id not in seen:
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
    evidence = studies.reproduce(study)
    by_id = {claim.id: claim for claim in study.claims}
    return pd.DataFrame([_row(claim, evidence_for(claim, evidence, by_id)) for claim in study.claims],
                        columns=COLUMNS)


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
        "basis": evidence.basis if isinstance(evidence, (Derived, Statement, Bound)) else None,
        "evidence": evidence.evidence if evidence is not None else "nothing embedded re-derives this number",
        "note": claim.note,
    }


def run(study_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Audit several studies (all under ``data/`` by default) into one frame."""
    ids = list(study_ids) if study_ids is not None else datasets.studies()
    frames = [audit_study(datasets.load(study_id)) for study_id in ids]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def summary(rows: pd.DataFrame) -> dict[str, Any]:
    """Counts of claims by verdict, overall and per study, and how many verdicts differ from the expected.

    Examples
    --------
    >>> s = summary(run(["successive-courses"]))
    >>> s["claims"] == sum(s["verdicts"].values())
    True
    """
    return {
        "claims": int(len(rows)),
        "verdicts": dict(sorted(Counter(rows["verdict"]).items())),
        "unexpected": int((~rows["as_expected"].astype(bool)).sum()),
        "studies": {
            study: dict(sorted(Counter(group["verdict"]).items())) for study, group in rows.groupby("study")
        },
    }
