"""Findings: the audit's problems, each grouping the printings and failed checks that show it.

A paper that prints one wrong number in four places, or one habit (``p = 0.001`` for every comparison)
eight times, has one problem, not four or eight.  A study names its findings in
``data/<study>/findings.yaml``::

    findings:
      - id: rcc-orr
        title: The renal cell response rate does not follow from its own counts
        summary: >-
          Table 2 prints {t2-renal_cell-orr-n} responders of {t2-renal_cell-patients} as
          {t2-renal_cell-orr-pct}%, which is what the rounded CR and PR rates add up to.

and each claim that shows it names it in the claims file's ``finding`` column.  A contradicted claim that
names none is a finding of its own (id ``claim:<claim-id>``, titled by what it measures), so a new paper
audits before its findings are written up.  Prose writes every
published number as ``{claim-id}`` (so it is typed only in ``claims.csv``); other digits are allowed only in
labels (``Table 2``, ``Fig. 3``, ``course 3``, ``IL-2``, ``gp100``), author-year citations
(``Alva 2016``) and the whole, ``100%``.

:func:`assemble` turns audit rows into findings.  A finding's *strength* is ``arithmetic`` when some
contradiction or failed check in it rests on no premise (no reading of the printed numbers lets them hold
together), and ``premise`` otherwise, with the premises named.  Findings are listed strongest first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["FindingSpec", "FILE", "STRENGTHS", "read", "problems", "render", "assemble", "implicit"]

#: Name of a study's findings file (optional; required once a claim is expected contradicted).
FILE = "findings.yaml"
#: Strengths, strongest first.
STRENGTHS = ("arithmetic", "premise")
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.:-]+)\}")
#: Digits that label rather than state a number: tables, figures, columns, courses, drug and gene names.
_LABEL = re.compile(r"\b(?:Tables?|Figs?\.?|Figures?|columns?|courses?|rows?|refs?\.?|reports?|cycles?|"
                    r"IV M|M)\s?\d+[A-Za-z]?(?:(?:\s?(?:–|-|and|,|or)\s?)\d+[A-Za-z]?)*\b|"
                    r"\b(?:IL|PD|PD-L|CTLA|RECIST|AJCC)-?\d+(?:\.\d+)?\b|\b\d+(?:st|nd|rd|th)\b|\b100%|"
                    r"\b[A-Z][a-z]+(?: et al\.?)? (?:19|20)\d\d\b|\bgp\d+")


@dataclass(frozen=True)
class FindingSpec:
    """A finding as a study names it: id, title and summary (prose with ``{claim-id}`` placeholders)."""

    id: str
    title: str
    summary: str


def read(path: Path) -> tuple[FindingSpec, ...]:
    """A study's findings (none if it has no ``findings.yaml``).

    Raises
    ------
    DataError
        If the file does not fit the schema (naming the line and the key).
    """
    if not path.is_file():
        return ()
    from il2lib._models import FindingsFile   # pydantic loads only when a file is read
    from il2lib._yamlfiles import read_model

    return tuple(FindingSpec(f.id, " ".join(f.title.split()), " ".join(f.summary.split()))
                 for f in read_model(path, FindingsFile).findings)


def problems(specs: Sequence[FindingSpec], claims: Sequence[Any], path: Path) -> list[str]:
    """What is wrong between a study's findings and its claims.

    Every finding is named by some claim, and every claim names a finding that exists; prose names only
    existing claims and types no number.
    """
    ids = [spec.id for spec in specs]
    claim_ids = {claim.id for claim in claims}
    found = [f"{path}: finding {i!r}: expected a new id, found it declared twice" for i in set(ids) if ids.count(i) > 1]
    named = {claim.finding for claim in claims if claim.finding}
    found += [f"{path}: finding {spec.id!r}: expected some claim of claims.csv to name it in column 'finding', "
              "found none" for spec in specs if spec.id not in named]
    for line, claim in enumerate(claims, start=2):
        if claim.finding and claim.finding not in ids:
            found.append(f"{path.parent / 'claims.csv'}: line {line}, column 'finding': expected a finding of "
                         f"{path.name}, found {claim.finding!r}")
    for spec in specs:
        for key in ("title", "summary"):
            text = getattr(spec, key)
            found += [f"{path}: finding {spec.id!r}, {key}: expected claim ids of claims.csv in braces, found "
                      f"{{{name}}}" for name in _PLACEHOLDER.findall(text) if name not in claim_ids]
            typed = re.findall(r"\d[\d.,]*", _LABEL.sub("", _PLACEHOLDER.sub("", text)))
            if typed:
                found.append(f"{path}: finding {spec.id!r}, {key}: expected every published number written as "
                             f"{{claim-id}}, found {', '.join(repr(t) for t in typed)} typed")
    return found


def render(text: str, printed: Mapping[str, str]) -> str:
    """Prose with each ``{claim-id}`` replaced by the number as printed.

    Examples
    --------
    >>> render("{a} of {b} patients", {"a": "38", "b": "201"})
    '38 of 201 patients'
    """
    return _PLACEHOLDER.sub(lambda m: printed[m[1]], text)


def assemble(rows: pd.DataFrame, failed: pd.DataFrame, specs: Mapping[str, Sequence[FindingSpec]]) -> list[dict]:
    """Every finding of the audited studies, strongest first.

    Parameters
    ----------
    rows : DataFrame
        Audit rows (:func:`il2lib.audit.run`), with ``finding``, ``strength`` and ``premises``.
    failed : DataFrame
        Failed checks (:func:`il2lib.audit.failed_checks`), with the ``finding`` each is filed under.
    specs : mapping
        Each study's findings, as read by :func:`read`.

    Returns
    -------
    list of dict
        ``study, id, title, summary, strength, premises, claims, printings, contradicted, evidence, checks``:
        ``printings`` counts the claims in the finding, ``contradicted`` those contradicted, ``evidence``
        the distinct evidence behind them and ``checks`` the details of the failed checks filed under it.
    """
    out = []
    for study, study_specs in specs.items():
        mine = rows[rows["study"] == study]
        lone = mine[(mine["verdict"] == "contradicted") & (mine["finding"] == "")]
        study_specs = [*study_specs, *(FindingSpec(implicit(cid), q, n) for cid, q, n in
                                       zip(lone["id"], lone["quantity"], lone["note"]))]
        mine = mine.assign(finding=[f or (implicit(cid) if v == "contradicted" else "")
                                    for cid, f, v in zip(mine["id"], mine["finding"], mine["verdict"])])
        printed = dict(zip(mine["id"], mine["printed"]))
        checks = failed[failed["study"] == study] if len(failed) else failed
        for spec in study_specs:
            members = mine[mine["finding"] == spec.id]
            filed = checks[checks["finding"] == spec.id] if len(checks) else checks
            strength, premises = _strength(members, filed)
            details = list(filed["detail"]) if len(filed) else []
            evidence = [e for e, v in zip(members["evidence"], members["verdict"])
                        if v == "contradicted" and not _only_checks(e, details)]
            out.append({
                "study": study, "id": spec.id, "title": render(spec.title, printed),
                "summary": render(spec.summary, printed), "strength": strength, "premises": premises,
                "claims": list(members["id"]), "printings": int(len(members)),
                "contradicted": int((members["verdict"] == "contradicted").sum()),
                "evidence": list(dict.fromkeys(evidence)),
                "checks": details,
            })
    order = {name: rank for rank, name in enumerate(STRENGTHS)}
    return sorted(out, key=lambda f: order[f["strength"]])


def _only_checks(evidence: str, details: Sequence[str]) -> bool:
    """Whether evidence text only repeats failed checks already listed (``"sum check: <detail>; ..."``)."""
    for detail in details:
        evidence = evidence.replace(detail, "")
    return re.fullmatch(r"(\s*[a-z-]+ check:\s*;?)*\s*", evidence) is not None


def implicit(claim_id: str) -> str:
    """The id of the finding a contradicted claim that names none makes on its own.

    Examples
    --------
    >>> implicit("abs-dcr-pct")
    'claim:abs-dcr-pct'
    """
    return f"claim:{claim_id}"


def _strength(members: pd.DataFrame, filed: pd.DataFrame) -> tuple[str, list[str]]:
    """``arithmetic`` if some contradiction or failed check needs no premise; else ``premise`` and which."""
    contradicted = members[members["verdict"] == "contradicted"]
    grounds = [tuple(p) for p in contradicted["premises"]] + ([tuple(p) for p in filed["premises"]] if len(filed) else [])
    if any(not g for g in grounds):
        return "arithmetic", []
    return "premise", sorted({p for g in grounds for p in g})
