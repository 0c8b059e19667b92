"""Tables for readers: every table a page shows, formatted in one place.

:func:`show` turns any frame, series or small dict that a page displays into a
table a clinician can read: no 0..n index, readable headers, numbers at one
precision per column, "not reached" for an infinite median, "—" for a missing
value, ✓/✗ for true/false and p-values as a journal prints them.  Text is
escaped and never truncated.  :func:`side_by_side` puts each published value
beside its reproduction in the paper's layout, each reproduced cell marked ✓
match, ✗ contradicted or ? unverifiable (the mark carries the verdict; the fill
only repeats it).  :func:`ledger`, :func:`findings` and :func:`premises` show an
audit.  Tables of more than :data:`FILTER_FROM` rows, and the findings, get a filter box and a
header that stays in view (``chapters/_static/il2.js`` and ``il2.css``).

Tables carry classes, not inline styles, so the site's stylesheet sets their
colours in light and dark mode.  Their ids are fixed or derived from their
content, so the HTML is the same on every build.
"""

from __future__ import annotations

import hashlib
import html
import math
import numbers
import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from il2lib import formatting

if TYPE_CHECKING:  # pandas' Styler imports matplotlib; load it only when a table is drawn
    from pandas.io.formats.style import Styler

__all__ = ["MARKS", "PUBLISHED", "REPRODUCED", "LEGEND", "FILTER_FROM", "reader_frame", "show", "side_by_side",
           "ledger", "findings", "premises"]

MARKS = {"match": "✓", "contradicted": "✗", "unverifiable": "?"}
#: Column labels of a side-by-side table, and the legend that explains them.
PUBLISHED, REPRODUCED = "published", "reproduced"
LEGEND = "✓ match, ✗ contradicted (differs at printed precision), ? unverifiable"
#: Tables with at least this many rows get a filter box and a scroll box with a fixed header.
FILTER_FROM = 25
_P_COLUMN = re.compile(r"(^|[\s_-])p([\s_-]?value)?$", re.IGNORECASE)


def _header(label: object) -> str:
    """A column label as a reader reads it: ``"mean_distance"`` becomes ``"mean distance"``."""
    return "" if label is None else str(label).replace("_", " ")


def _is_number(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))


def _decimals(x: float) -> int:
    """Decimals needed to show ``x`` as rounded upstream, at most three significant digits' worth.

    >>> _decimals(12.3), _decimals(0.054308), _decimals(1995.5)
    (1, 3, 1)
    """
    if x == round(x):
        return 0
    shown = next((d for d in range(1, 7) if abs(round(x, d) - x) <= 1e-9 * max(1.0, abs(x))), 6)
    return min(shown, 3, max(1, 2 - math.floor(math.log10(abs(x)))))


def _column_decimals(values: pd.Series) -> int:
    finite = [float(v) for v in values if _is_number(v) and math.isfinite(float(v))]
    return max((_decimals(v) for v in finite if abs(v) >= 0.001 or v == 0), default=0)


def _format_column(values: pd.Series, decimals: int | None, is_p: bool) -> list[str]:
    if is_p:
        return [formatting.p_value(v) if _is_number(v) else formatting.value(v) for v in values]
    if decimals is None:
        decimals = _column_decimals(values)
    return [formatting.value(v, None if _is_number(v) and _too_small(v) else decimals) for v in values]


def _too_small(x: float) -> bool:
    """Whether ``x`` is too small for a column's decimals: it is printed in scientific notation instead."""
    return 0 < abs(float(x)) < 0.001


def _as_frame(obj: object, name: str) -> pd.DataFrame:
    if isinstance(obj, pd.DataFrame):
        return obj
    if isinstance(obj, pd.Series):
        return obj.to_frame(name if obj.name is None else obj.name)
    if isinstance(obj, dict):
        return pd.Series(obj, dtype=object).to_frame(name)
    return pd.DataFrame(obj)


def _meaningful_index(index: pd.Index) -> bool:
    """False for a 0..n or other unnamed integer index (row numbers mean nothing to a reader)."""
    return any(index.names) or not pd.api.types.is_integer_dtype(index)


def reader_frame(obj: object, *, decimals: int | dict[str, int] | None = None, p_columns: tuple[str, ...] = (),
                 name: str = "value") -> pd.DataFrame:
    """Any frame, series or dict as a frame of text cells, formatted for a reader.

    A meaningful index (named, or not made of integers) becomes the first column(s); row numbers are
    dropped.  Headers lose their underscores.  Each numeric column is printed at one precision: the
    decimals its values were rounded to, at most three significant digits' worth, or ``decimals``.
    Columns named like a p-value (``p``, ``log-rank p``, ``p_value``) or listed in ``p_columns`` are
    printed as a journal prints them.

    Parameters
    ----------
    obj : DataFrame, Series or dict
    decimals : int or dict of str to int, optional
        Decimals for every numeric column, or per column (by its original label).
    p_columns : tuple of str
        Further columns that hold p-values.
    name : str, default "value"
        Header of the values of a series or dict with no name.

    Returns
    -------
    DataFrame
        Text cells only, a 0..n index, readable headers.

    Examples
    --------
    >>> reader_frame(pd.DataFrame({"median_months": [12.3, float("inf")], "log-rank p": [3e-14, 0.2]}))
      median months log-rank p
    0          12.3    < 0.001
    1   not reached       0.20
    """
    frame = _as_frame(obj, name)
    if _meaningful_index(frame.index):
        frame = frame.reset_index()
        frame.columns = ["" if str(c).startswith("level_") or c == "index" else c for c in frame.columns]
    else:
        frame = frame.reset_index(drop=True)
    cells = {}
    for position, label in enumerate(frame.columns):
        wanted = decimals.get(label) if isinstance(decimals, dict) else decimals
        is_p = label in p_columns or bool(_P_COLUMN.search(_header(label if not isinstance(label, tuple)
                                                                   else label[-1])))
        cells[position] = _format_column(frame.iloc[:, position], wanted, is_p)
    text = pd.DataFrame(cells)
    text.columns = pd.MultiIndex.from_tuples([tuple(map(_header, c)) for c in frame.columns]) \
        if isinstance(frame.columns, pd.MultiIndex) else [_header(c) for c in frame.columns]
    return text


def _content_id(frame: pd.DataFrame) -> str:
    return "t" + hashlib.sha1(frame.to_csv().encode()).hexdigest()[:10]


def _numeric_columns(text: pd.DataFrame) -> list:
    number = re.compile(r"^(<\s)?[−-]?\d[\d,.]*( × 10\S+)?$|^—$|^not reached$")
    return [c for c in text.columns if text[c].map(lambda s: bool(number.match(s))).all()
            and not text[c].eq("—").all()]


def _styler(frame: pd.DataFrame, *, table_id: str, classes: str = "", caption: str | None = None,
            escape: bool = True, long: bool | None = None) -> Styler:
    from pandas.io.formats.style import Styler

    long = len(frame) >= FILTER_FROM if long is None else long
    styler = Styler(frame, uuid=table_id, cell_ids=False, escape="html" if escape else None,
                    caption=html.escape(caption) if caption else None)
    attributes = " ".join(filter(None, ["il2-table", classes, "il2-long" if long else ""]))
    return styler.hide(axis="index").set_table_attributes(f'class="{attributes}"')


def show(obj: object, *, decimals: int | dict[str, int] | None = None, p_columns: tuple[str, ...] = (),
         name: str = "value", table_id: str | None = None) -> Styler:
    """Any frame, series or dict as a table for readers (see :func:`reader_frame`).

    Numeric columns are right-aligned; text wraps.  Tables of :data:`FILTER_FROM` rows or more get a
    filter box and a fixed header.

    Returns
    -------
    Styler
        Its HTML has no inline styles; the table has class ``il2-table``.

    Examples
    --------
    >>> html = show({"objective response": 0.2, "disease control": 0.45}).to_html()
    >>> "0.20" in html and "0.45" in html and "il2-table" in html
    True
    """
    text = reader_frame(obj, decimals=decimals, p_columns=p_columns, name=name)
    styler = _styler(text, table_id=table_id or _content_id(text))
    numeric = _numeric_columns(text)
    if numeric:
        classes = pd.DataFrame("", index=text.index, columns=text.columns)
        classes[numeric] = "num"
        styler = styler.set_td_classes(classes)
    return styler


def _in_order(values: pd.Series) -> list:
    return list(dict.fromkeys(values))


def _reproduced_text(shown: str, verdict: str) -> str:
    return f"{shown or '—'} {MARKS[verdict]}"


def side_by_side(artifact: pd.DataFrame, audit_rows: pd.DataFrame, *, index: list[str], columns: list[str],
                 table_id: str) -> Styler:
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

    Returns
    -------
    Styler
        Columns gain a last level, :data:`PUBLISHED` / :data:`REPRODUCED`; the table's own caption
        is :data:`LEGEND` (its number and title come from the page, see the README).
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
    classes = pd.DataFrame("num", index=text.index, columns=text.columns)
    for key in _column_keys(merged, columns):
        classes[(*key, REPRODUCED)] = verdict.reindex(index=row_order)[key if len(key) > 1 else key[0]] \
            .fillna("").map(lambda v: f"num v-{v}" if v else "num")
    from pandas.io.formats.style import Styler

    styler = Styler(text.fillna(""), uuid=table_id, cell_ids=False, caption=html.escape(LEGEND), escape="html")
    styler.set_td_classes(classes).format_index(escape="html", axis=0).format_index(escape="html", axis=1)
    styler.index.names = [None] * text.index.nlevels
    styler.columns.names = [None] * text.columns.nlevels
    return styler.set_table_attributes('class="il2-table il2-side-by-side"')


def _column_keys(merged: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return list(dict.fromkeys(tuple(row) for row in merged[columns].itertuples(index=False)))


def _lines(*parts: str) -> str:
    """Non-empty parts as escaped HTML paragraphs, one each (a cell stays readable when it wraps)."""
    return "".join(f"<p>{html.escape(part)}</p>" for part in parts if part)


def _as_printed(printed: str, unit: str) -> str:
    """A published value with its unit; a value printed in words is quoted, as the words the paper used.

    >>> _as_printed("22.5", "%"), _as_printed("None", "patients"), _as_printed("57", "patients")
    ('22.5 %', '“None”', '57')
    """
    shown = f"“{printed}”" if not re.search(r"\d", printed) else printed
    return shown if unit == "patients" else f"{shown} {unit}".strip()


def ledger(audit_rows: pd.DataFrame, *, table_id: str, with_study: bool = False) -> Styler:
    """Every claim of an audit in one table, verdict and evidence beside the claim.

    Columns: ``claim`` (its id, where it is printed and what it measures), ``published``,
    ``reproduced`` (with its mark), ``verdict`` (with what it rests on: basis, premises, finding) and
    ``evidence`` (the evidence, the note and the claim's checks).

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

    def rests_on(basis: object, premises: list, finding: str) -> list[str]:
        return [f"basis: {basis}" if not formatting.is_missing(basis) and basis else "",
                f"premises: {', '.join(premises)}" if premises else "", f"finding: {finding}" if finding else ""]

    frame = pd.DataFrame({
        "claim": [_lines(i, s, q) for i, s, q in zip(audit_rows["id"], audit_rows["source"], audit_rows["quantity"])],
        "published": [html.escape(_as_printed(p, u)) for p, u in zip(audit_rows["printed"], audit_rows["unit"])],
        "reproduced": [html.escape(_reproduced_text(s, v)) for s, v in zip(audit_rows["shown"], audit_rows["verdict"])],
        "verdict": [_lines(v, *rests_on(b, p, f)) for v, b, p, f in
                    zip(audit_rows["verdict"], audit_rows["basis"], audit_rows["premises"], audit_rows["finding"])],
        "evidence": [_lines(e, n, f"elsewhere: {x}" if x else "", f"checks: {check_marks(c)}" if len(c) else "")
                     for e, n, c, x in zip(audit_rows["evidence"], audit_rows["note"], audit_rows["checks"],
                                           audit_rows["elsewhere"])],
    })
    if with_study:
        frame.insert(0, "study", audit_rows["study"].map(html.escape).to_numpy())
    classes = pd.DataFrame("", index=frame.index, columns=frame.columns)
    classes["reproduced"] = "v-" + audit_rows["verdict"].to_numpy()
    classes["verdict"] = "v-" + audit_rows["verdict"].to_numpy()
    return _styler(frame, table_id=table_id, classes="il2-ledger", escape=False).set_td_classes(classes)


def findings(audit_rows: pd.DataFrame, *, table_id: str, with_study: bool = False) -> Styler:
    """The findings, strongest first, each with its strength, printings, summary and evidence.

    Returns
    -------
    Styler
        Columns ``finding``, ``strength``, ``printings``, ``summary`` and ``evidence`` (the evidence
        behind its contradictions and the failed checks filed under it, one item per paragraph); full
        text, no truncation.  With ``with_study``, a first column names the study.
    """
    from il2lib.report import findings as listed

    frame = listed(audit_rows)
    frame["evidence"] = [_lines(*" | ".join(part for part in (e, c) if part).split(" | "))
                         for e, c in zip(frame["evidence"], frame["checks"])]
    columns = ["finding", "strength", "printings", "summary", "evidence"]
    frame = frame[["study", *columns] if with_study else columns]
    frame = frame.assign(**{c: frame[c].astype(str).map(html.escape) for c in frame.columns if c != "evidence"})
    return _styler(frame, table_id=table_id, classes="il2-findings", escape=False, long=True)


def premises(audit_rows: pd.DataFrame, *, table_id: str, with_study: bool = False) -> Styler:
    """The premises the audited studies rest on: statement, why plausible, how tested, status.

    Returns
    -------
    Styler
        Full text, no truncation; with ``with_study``, a first column names the study.
    """
    from il2lib.report import premises as listed

    frame = listed(audit_rows)
    if not with_study:
        frame = frame.drop(columns="study")
    return _styler(reader_frame(frame), table_id=table_id)
