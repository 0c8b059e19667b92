"""HTML tables that put published and reproduced values side by side, verdict visible.

Every reproduced cell carries a mark and a colour: ✓ match, ✗ contradicted
(the reproduced value differs at printed precision), ? unverifiable.  Tables
are pandas ``Styler`` objects with fixed ids, so the HTML is the same on every
build.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pandas' Styler imports matplotlib; load it only when a table is drawn
    from pandas.io.formats.style import Styler

__all__ = ["MARKS", "PUBLISHED", "REPRODUCED", "LEGEND", "side_by_side", "ledger", "findings", "premises"]

MARKS = {"match": "✓", "contradicted": "✗", "unverifiable": "?"}
#: Column labels of a side-by-side table, and the legend that explains them.
PUBLISHED, REPRODUCED = "pub.", "rep."
LEGEND = "pub. = as published; rep. = as reproduced here (✓ match, ✗ contradicted, ? unverifiable)"
_COLOURS = {"match": "#e3f1e6", "contradicted": "#fbdcd9", "unverifiable": "#eeeeee"}
_BASE_STYLES = [
    {"selector": "", "props": "display: block; overflow-x: auto; max-width: 100%; border-collapse: collapse; "
                              "font-size: 0.78em; margin-bottom: 0.5em;"},
    {"selector": "th, td", "props": "padding: 1px 5px; border-bottom: 1px solid #ddd; text-align: right;"},
    {"selector": "td", "props": "white-space: nowrap;"},
    {"selector": "th.row_heading, th.blank", "props": "text-align: left;"},
    {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold;"},
]


def _in_order(values: pd.Series) -> list:
    return list(dict.fromkeys(values))


def _reproduced_text(shown: str, verdict: str) -> str:
    return f"{shown or '—'} {MARKS[verdict]}"


def side_by_side(artifact: pd.DataFrame, audit_rows: pd.DataFrame, *, index: list[str], columns: list[str],
                 table_id: str, caption: str | None = None) -> Styler:
    """A reproduced table in the paper's layout, each value as published beside its reproduction.

    Parameters
    ----------
    artifact : DataFrame
        Output of a reproduction function (``claim_id`` plus layout columns).
    audit_rows : DataFrame
        Output of :func:`il2lib.audit.audit_study` for the same study.
    index, columns : list of str
        Layout columns of ``artifact`` giving the table's rows and columns.
    table_id : str
        A fixed id for the HTML table (keeps the built page reproducible).
    caption : str, optional

    Returns
    -------
    Styler
        Columns gain a last level, :data:`PUBLISHED` / :data:`REPRODUCED`;
        the caption ends with :data:`LEGEND`.
    """
    merged = artifact.merge(audit_rows[["id", "printed", "shown", "verdict"]], left_on="claim_id", right_on="id")
    merged["reproduced"] = [_reproduced_text(s, v) for s, v in zip(merged["shown"], merged["verdict"])]
    merged = merged.rename(columns={"printed": PUBLISHED, "reproduced": REPRODUCED})
    row_order = pd.MultiIndex.from_frame(merged[index].drop_duplicates()) if len(index) > 1 else \
        pd.Index(_in_order(merged[index[0]]), name=index[0])
    text = merged.pivot(index=index, columns=columns, values=[PUBLISHED, REPRODUCED])
    verdict = merged.pivot(index=index, columns=columns, values="verdict")
    text = text.reorder_levels([*range(1, len(columns) + 1), 0], axis=1)
    column_order = [(*key, side) for key in _column_keys(merged, columns) for side in (PUBLISHED, REPRODUCED)]
    text = text.reindex(index=row_order, columns=pd.MultiIndex.from_tuples(column_order, names=[*columns, ""]))
    classes = pd.DataFrame("", index=text.index, columns=text.columns)
    for key in _column_keys(merged, columns):
        classes[(*key, REPRODUCED)] = verdict.reindex(index=row_order)[key if len(key) > 1 else key[0]] \
            .fillna("").map(lambda v: f"v-{v}" if v else "")
    from pandas.io.formats.style import Styler

    caption = f"{caption}. {LEGEND}" if caption else LEGEND
    styler = Styler(text.fillna(""), uuid=table_id, cell_ids=False, caption=html.escape(caption), escape="html")
    styler.set_td_classes(classes).format_index(escape="html", axis=0).format_index(escape="html", axis=1)
    styler.index.names = [None] * text.index.nlevels
    styler.columns.names = [None] * text.columns.nlevels
    return styler.set_table_styles(_BASE_STYLES + _verdict_styles())


def _column_keys(merged: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return list(dict.fromkeys(tuple(row) for row in merged[columns].itertuples(index=False)))


def _verdict_styles() -> list[dict]:
    return [{"selector": f"td.v-{verdict}", "props": f"background-color: {colour};"}
            for verdict, colour in _COLOURS.items()]


def ledger(audit_rows: pd.DataFrame, *, table_id: str, with_study: bool = False) -> Styler:
    """Every claim of an audit in one table: where printed, published, reproduced, verdict, basis, premises, finding,
    checks, evidence.

    Parameters
    ----------
    audit_rows : DataFrame
        Rows of :func:`il2lib.audit.run`.
    table_id : str
        Fixed id of the HTML table (stable builds).
    with_study : bool, default False
        Add a first column naming each claim's study (for the book-wide ledger).

    Returns
    -------
    Styler
    """
    from il2lib.report import check_marks

    frame = pd.DataFrame({
        "claim": audit_rows["id"],
        "where printed": audit_rows["source"],
        "what": audit_rows["quantity"],
        "published": audit_rows["printed"] + " " + audit_rows["unit"].where(audit_rows["unit"] != "patients", ""),
        "reproduced": [_reproduced_text(s, v) for s, v in zip(audit_rows["shown"], audit_rows["verdict"])],
        "verdict": audit_rows["verdict"],
        "basis": audit_rows["basis"].fillna("—"),
        "premises": audit_rows["premises"].map(lambda ps: ", ".join(ps) or "—"),
        "finding": audit_rows["finding"].replace("", "—"),
        "checks": audit_rows["checks"].map(check_marks),
        "evidence": [_evidence_and_note(e, n) for e, n in zip(audit_rows["evidence"], audit_rows["note"])],
    })
    if with_study:
        frame.insert(0, "study", audit_rows["study"])
    classes = pd.DataFrame("", index=frame.index, columns=frame.columns)
    classes["reproduced"] = "v-" + frame["verdict"]
    classes["verdict"] = "v-" + frame["verdict"]
    from pandas.io.formats.style import Styler

    styler = Styler(frame, uuid=table_id, cell_ids=False, escape="html").hide(axis="index").set_td_classes(classes)
    left = [{"selector": "th, td", "props": "text-align: left; vertical-align: top;"}]
    return styler.set_table_styles(_BASE_STYLES + left + _verdict_styles())


def _evidence_and_note(evidence: str, note: str) -> str:
    return f"{evidence}. {note}" if note else evidence


def findings(audit_rows: pd.DataFrame, *, table_id: str, with_study: bool = False) -> Styler:
    """The findings, strongest first, each with its strength, printings, summary and evidence.

    Returns
    -------
    Styler
        Columns ``finding``, ``strength``, ``printings``, ``summary`` and ``evidence`` (the evidence
        behind its contradictions and the failed checks filed under it); full text, no truncation.  With
        ``with_study``, a first column names the study.
    """
    from pandas.io.formats.style import Styler

    from il2lib.report import findings as listed

    frame = listed(audit_rows)
    frame["evidence"] = [_one_per_line(" | ".join(part for part in (e, c) if part))
                         for e, c in zip(frame["evidence"], frame["checks"])]
    columns = ["finding", "strength", "printings", "summary", "evidence"]
    frame = frame[["study", *columns] if with_study else columns]
    left = [{"selector": "th, td", "props": "text-align: left; vertical-align: top; white-space: normal;"},
            {"selector": "td p", "props": "margin: 0 0 0.4em 0;"}]
    styler = Styler(frame, uuid=table_id, cell_ids=False, escape="html").format(escape=None, subset=["evidence"])
    return styler.hide(axis="index").set_table_styles(_BASE_STYLES + left)


def _one_per_line(joined: str) -> str:
    """Items joined by `` | `` as escaped HTML paragraphs, one item each (the cell stays readable on a phone)."""
    return "".join(f"<p>{html.escape(item)}</p>" for item in joined.split(" | ") if item)


def premises(audit_rows: pd.DataFrame, *, table_id: str, with_study: bool = False) -> Styler:
    """The premises the audited studies rest on: statement, why plausible, how tested, status.

    Returns
    -------
    Styler
        Full text, no truncation; with ``with_study``, a first column names the study.
    """
    from pandas.io.formats.style import Styler

    from il2lib.report import premises as listed

    frame = listed(audit_rows)
    if not with_study:
        frame = frame.drop(columns="study")
    left = [{"selector": "th, td", "props": "text-align: left; vertical-align: top; white-space: normal;"}]
    return Styler(frame, uuid=table_id, cell_ids=False, escape="html").hide(axis="index") \
        .set_table_styles(_BASE_STYLES + left)
