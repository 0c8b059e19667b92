"""The audit written up: per-study and per-verdict summaries, findings, premises, and a Markdown report.

The rows come from :func:`il2lib.audit.run`.  The same functions feed the
book's ledger page and ``il2 audit --markdown``; nothing here computes a
verdict, it only arranges them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from il2lib import audit

__all__ = ["VERDICTS", "with_unit", "headline", "counts", "by_study", "by_verdict", "check_marks", "findings", "premises",
           "markdown"]

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
    """The audit in one sentence: claims, matches by what they rest on, findings, checks.

    Transcription-confirmed matches are never counted as re-derived, and checks that could not have
    failed are counted apart from those that passed.

    Examples
    --------
    >>> s = {"claims": 3, "studies": {"a": {}}, "verdicts": {"match": 1, "contradicted": 1, "unverifiable": 1},
    ...      "matches": {"re-derived": 1, "cited report": 0, "transcription": 0},
    ...      "findings": {"total": 1, "arithmetic": 1, "premise": 0, "printings": 1},
    ...      "checks": {"run": 4, "informative": 2, "uninformative": 1, "failed": 1, "unexplained": 0}}
    >>> print(headline(s))
    3 claims in 1 study: 1 match (1 re-derived, 0 only confirming our transcription), 1 contradicted, 1 unverifiable; 1 finding (1 arithmetic, 0 resting on a premise) grouping 1 printing; 4 consistency checks: 2 passed, 1 could not have failed, 1 failed.
    """
    studies = len(summary["studies"])
    verdicts, kinds, checks, found = summary["verdicts"], summary["matches"], summary["checks"], summary["findings"]
    how = [f"{kinds['re-derived']} re-derived"]
    if kinds["cited report"]:
        how.append(f"{kinds['cited report']} confirmed against a cited report")
    how.append(f"{kinds['transcription']} only confirming our transcription")
    return (f"{_count(summary['claims'], 'claim')} in {studies} stud{'y' if studies == 1 else 'ies'}: "
            f"{verdicts.get('match', 0)} match ({', '.join(how)}), {verdicts.get('contradicted', 0)} contradicted, "
            f"{verdicts.get('unverifiable', 0)} unverifiable; {_count(found['total'], 'finding')} "
            f"({found['arithmetic']} arithmetic, {found['premise']} resting on a premise) grouping "
            f"{_count(found['printings'], 'printing')}; {_count(checks['run'], 'consistency check')}: "
            f"{checks['informative']} "
            f"passed, {checks['uninformative']} could not have failed, {checks['failed']} failed.")


def counts(summary: dict[str, Any]) -> dict[str, int]:
    """The headline counts of a summary under flat names, for pages to show (glued or substituted).

    ``claims``; ``match``, ``contradicted``, ``unverifiable``; the matches by what they rest on,
    ``rederived``, ``cited`` and ``transcription``; ``findings`` with ``arithmetic``, ``premise`` and the
    ``printings`` they group; and ``uninformative``, the checks that could not have failed.

    Examples
    --------
    >>> s = {"claims": 3, "verdicts": {"match": 2, "unverifiable": 1},
    ...      "matches": {"re-derived": 1, "cited report": 0, "transcription": 1},
    ...      "findings": {"total": 0, "arithmetic": 0, "premise": 0, "printings": 0},
    ...      "checks": {"uninformative": 4}}
    >>> c = counts(s)
    >>> c["match"], c["contradicted"], c["rederived"], c["transcription"], c["uninformative"]
    (2, 0, 1, 1, 4)
    """
    found = summary["findings"]
    return {"claims": summary["claims"], **{v: summary["verdicts"].get(v, 0) for v in VERDICTS},
            "rederived": summary["matches"]["re-derived"], "cited": summary["matches"]["cited report"],
            "transcription": summary["matches"]["transcription"], "findings": found["total"],
            "arithmetic": found["arithmetic"], "premise": found["premise"], "printings": found["printings"],
            "uninformative": summary["checks"]["uninformative"]}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def check_marks(checks: list[dict[str, Any]]) -> str:
    """A claim's checks in short: ``"✓ share, ○ sum, ✗ sum"`` (○: passed, but could not have failed).

    Examples
    --------
    >>> check_marks([{"name": "share", "passed": True, "informative": True}, {"name": "sum", "passed": False}])
    '✓ share, ✗ sum'
    >>> check_marks([{"name": "share", "passed": True, "informative": False}])
    '○ share'
    """
    def mark(check: dict[str, Any]) -> str:
        if not check["passed"]:
            return "✗"
        return "✓" if check.get("informative", True) else "○"
    return ", ".join(f"{mark(c)} {c['name']}" for c in checks)


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
    """Claims per verdict and basis (what the verdict rests on: a re-derivation, a transcription, a check, ...)."""
    basis = rows["basis"].fillna("none").replace("", "none")
    table = pd.crosstab(rows["verdict"], basis).reindex(index=VERDICTS, fill_value=0)
    table.index.name, table.columns.name = "verdict", "basis"
    return table


def findings(rows: pd.DataFrame) -> pd.DataFrame:
    """Every finding, strongest first, one row each (:func:`il2lib.audit.findings`).

    Returns
    -------
    DataFrame
        Columns ``study``, ``finding`` (its title), ``strength`` (with the premises it rests on),
        ``printings`` (how many, and their claim ids), ``summary``, ``evidence`` (the evidence behind its
        contradictions) and ``checks`` (the failed checks filed under it).
    """
    out = []
    for f in audit.findings(rows):
        strength = f["strength"] + (f" ({', '.join(f['premises'])})" if f["premises"] else "")
        out.append({"study": f["study"], "finding": f["title"], "strength": strength,
                    "printings": f"{f['printings']}: {', '.join(f['claims'])}", "summary": f["summary"],
                    "evidence": " | ".join(f["evidence"]), "checks": " | ".join(f["checks"])})
    return pd.DataFrame(out, columns=["study", "finding", "strength", "printings", "summary", "evidence", "checks"])


def premises(rows: pd.DataFrame) -> pd.DataFrame:
    """Every premise the audited studies declare or rest on, with how the paper's own numbers bear on it."""
    out = [{"study": p["study"], "premise": p["id"], "statement": p["statement"], "why plausible": p["why"],
            "tested by": f"{p['tests']} check{'' if p['tests'] == 1 else 's'}", "status": p["status"],
            "failed where": " | ".join(p["failed"]), "verdicts resting on it": ", ".join(p["rests_on_it"])}
           for p in audit.premise_status(rows)]
    return pd.DataFrame(out, columns=["study", "premise", "statement", "why plausible", "tested by", "status",
                                      "failed where", "verdicts resting on it"])


def markdown(rows: pd.DataFrame, *, found: list[dict[str, Any]] | None = None,
             summary: dict[str, Any] | None = None) -> str:
    """The whole audit as a Markdown report: summary, findings, premises, failed checks and every claim.

    ``found`` and ``summary`` are :func:`il2lib.audit.findings` and :func:`il2lib.audit.summary` of the same
    rows, for a caller that has them already (they are computed otherwise).

    Examples
    --------
    >>> text = markdown(audit.run(["after-pd1"]))
    >>> text.splitlines()[0]
    '# Audit of published numbers'
    """
    found = audit.findings(rows) if found is None else found
    s = audit.summary(rows, found) if summary is None else summary
    lines = ["# Audit of published numbers", "",
             f"{headline(s)} {s['checks']['unexplained']} failed checks are unexplained; {s['unexpected']} results "
             "differ from what the claims files expect.", "",
             "## By study", "", _pipe_table(by_study(rows).reset_index()), "",
             "## By verdict and basis", "", _pipe_table(by_verdict(rows).reset_index()), "",
             "## Findings, strongest first", ""]
    for f in found:
        premised = f", resting on {', '.join(f['premises'])}" if f["premises"] else ""
        lines.append(f"- **{f['study']}: {f['title']}** ({f['strength']}{premised}; {f['printings']} printing"
                     f"{'' if f['printings'] == 1 else 's'}: {', '.join(f['claims'])}). {f['summary']}")
        if f["evidence"]:
            lines.append(f"  Evidence: {' | '.join(f['evidence'])}")
        if f["checks"]:
            lines.append(f"  Failed checks: {' | '.join(f['checks'])}")
    lines += ["", "## Premises", ""]
    lines += [f"- {p['study']} `{p['id']}` ({p['status']}): {p['statement']} {p['why']}"
              + (f" Fails where: {' | '.join(p['failed'])}" if p["failed"] else "")
              for p in audit.premise_status(rows)] or ["None."]
    failed = audit.failed_checks(rows)
    lines += ["", "## Failed consistency checks", ""]
    lines += [f"- {'' if f.explained else '**unexplained** '}{f.study} `{f.name}`: {f.detail} "
              f"(listed on {', '.join(f.claims)}; {f.finding or f.why or 'not explained'})"
              for f in failed.itertuples()] or ["None."]
    ledger = pd.DataFrame({
        "study": rows["study"], "claim": rows["id"], "where printed": rows["source"], "published": rows["printed"],
        "unit": rows["unit"], "reproduced": rows["shown"], "verdict": rows["verdict"],
        "basis": rows["basis"].fillna(""), "premises": rows["premises"].map(", ".join),
        "finding": rows["finding"], "checks": rows["checks"].map(check_marks),
        "note": ["; ".join(part for part in (note, elsewhere) if part)
                 for note, elsewhere in zip(rows["note"], rows["elsewhere"])],
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
