"""The audit written up: per-study and per-verdict summaries, findings, and a Markdown report.

The rows come from :func:`il2lib.audit.run`.  The same functions feed the
book's ledger page and ``il2 audit --markdown``; nothing here computes a
verdict, it only arranges them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from il2lib import audit

__all__ = ["VERDICTS", "with_unit", "headline", "by_study", "by_verdict", "check_marks", "findings", "markdown"]

VERDICTS = ["match", "contradicted", "unverifiable"]


def with_unit(printed: str, unit: str) -> str:
    """A printed value with its unit: ``"25%"``, ``"4 years"``.

    Examples
    --------
    >>> with_unit("25", "%"), with_unit("4", "years")
    ('25%', '4 years')
    """
    return f"{printed}%" if unit == "%" else f"{printed} {unit}"


def headline(summary: dict[str, Any]) -> str:
    """The audit in one sentence: claims, matches by what they rest on, contradictions, checks.

    Transcription-confirmed matches are never counted as re-derived.

    Examples
    --------
    >>> s = {"claims": 3, "studies": {"a": {}}, "verdicts": {"match": 2, "unverifiable": 1},
    ...      "matches": {"re-derived": 1, "cited report": 0, "transcription": 1},
    ...      "checks": {"run": 4, "failed": 0, "unexplained": 0}}
    >>> print(headline(s))
    3 claims in 1 study: 2 match (1 re-derived, 1 only confirming our transcription), 0 contradicted, 1 unverifiable; 4 consistency checks, 0 failed.
    """
    studies = len(summary["studies"])
    verdicts, kinds, checks = summary["verdicts"], summary["matches"], summary["checks"]
    how = [f"{kinds['re-derived']} re-derived"]
    if kinds["cited report"]:
        how.append(f"{kinds['cited report']} confirmed against a cited report")
    how.append(f"{kinds['transcription']} only confirming our transcription")
    return (f"{summary['claims']} claims in {studies} stud{'y' if studies == 1 else 'ies'}: "
            f"{verdicts.get('match', 0)} match ({', '.join(how)}), {verdicts.get('contradicted', 0)} contradicted, "
            f"{verdicts.get('unverifiable', 0)} unverifiable; {checks['run']} consistency checks, "
            f"{checks['failed']} failed.")


def check_marks(checks: list[dict[str, Any]]) -> str:
    """A claim's checks in short: ``"✓ share, ✗ sum"`` (empty if none).

    Examples
    --------
    >>> check_marks([{"name": "share", "passed": True, "detail": ""}, {"name": "sum", "passed": False, "detail": ""}])
    '✓ share, ✗ sum'
    """
    return ", ".join(f"{'✓' if c['passed'] else '✗'} {c['name']}" for c in checks)


def by_study(rows: pd.DataFrame) -> pd.DataFrame:
    """Claims per study and verdict, with the consistency checks each study ran and failed.

    Returns
    -------
    DataFrame
        One row per study plus a ``total`` row; columns ``claims``, the three
        verdicts, ``checks`` and ``failed checks``.
    """
    table = pd.crosstab(rows["study"], rows["verdict"]).reindex(columns=VERDICTS, fill_value=0)
    table.insert(0, "claims", table.sum(axis=1))
    failed = audit.failed_checks(rows)
    table["checks"] = [audit.checks_run(rows[rows["study"] == study]) for study in table.index]
    table["failed checks"] = [int((failed["study"] == study).sum()) for study in table.index]
    table.loc["total"] = table.sum()
    table.index.name = "study"
    table.columns.name = None
    return table


def by_verdict(rows: pd.DataFrame) -> pd.DataFrame:
    """Claims per verdict and basis (what the verdict rests on: counts, reconstructed data, a check, ...)."""
    basis = rows["basis"].fillna("none").replace("", "none")
    table = pd.crosstab(rows["verdict"], basis).reindex(index=VERDICTS, fill_value=0)
    table.index.name, table.columns.name = "verdict", "basis"
    return table


def findings(rows: pd.DataFrame) -> pd.DataFrame:
    """Every contradicted claim, grouped by study and shared evidence, with the checks that found it.

    Returns
    -------
    DataFrame
        Columns ``study``, ``claims`` (ids), ``where`` (where printed),
        ``published``, ``reproduced``, ``evidence``, ``note`` and ``checks``
        (the failed checks' details, or ``""`` when only the data refute it).
    """
    bad = rows[rows["verdict"] == "contradicted"]
    out = []
    for (study, evidence), group in bad.groupby(["study", "evidence"], sort=False):
        failed = dict.fromkeys(c["detail"] for checks in group["checks"] for c in checks if not c["passed"])
        out.append({
            "study": study,
            "claims": ", ".join(group["id"]),
            "where": "; ".join(dict.fromkeys(group["source"])),
            "published": " / ".join(dict.fromkeys(map(with_unit, group["printed"], group["unit"]))),
            "reproduced": group["shown"].iloc[0],
            "evidence": evidence,
            "note": group["note"].iloc[0],
            "checks": " | ".join(failed),
        })
    return pd.DataFrame(out, columns=["study", "claims", "where", "published", "reproduced", "evidence", "note",
                                      "checks"])


def markdown(rows: pd.DataFrame) -> str:
    """The whole audit as a Markdown report: summary, findings, failed checks and every claim.

    Examples
    --------
    >>> text = markdown(audit.run(["after-pd1"]))
    >>> text.splitlines()[0]
    '# Audit of published numbers'
    """
    s = audit.summary(rows)
    lines = ["# Audit of published numbers", "",
             f"{headline(s)} {s['checks']['unexplained']} failed checks are unexplained; {s['unexpected']} results "
             "differ from what the claims files expect.", "",
             "## By study", "", _pipe_table(by_study(rows).reset_index()), "",
             "## By verdict and basis", "", _pipe_table(by_verdict(rows).reset_index()), "",
             "## Findings (every contradicted claim)", ""]
    for item in findings(rows).itertuples():
        lines.append(f"- **{item.study}: {item.claims}** ({item.where}). Printed {item.published}; "
                     f"{item.evidence}. {item.note}".rstrip())
        if item.checks:
            lines.append(f"  Found by: {item.checks}")
    failed = audit.failed_checks(rows)
    lines += ["", "## Failed consistency checks", ""]
    lines += [f"- {'' if f.explained else '**unexplained** '}{f.study} `{f.name}`: {f.detail} "
              f"(listed on {', '.join(f.claims)})" for f in failed.itertuples()] or ["None."]
    ledger = pd.DataFrame({
        "study": rows["study"], "claim": rows["id"], "where printed": rows["source"], "published": rows["printed"],
        "unit": rows["unit"], "reproduced": rows["shown"], "verdict": rows["verdict"],
        "basis": rows["basis"].fillna(""), "checks": rows["checks"].map(check_marks), "note": rows["note"],
    })
    lines += ["", "## Every claim", "", _pipe_table(ledger), ""]
    return "\n".join(lines)


def _pipe_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (pipes in cells escaped)."""
    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")
    header = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join(" --- " for _ in frame.columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])
