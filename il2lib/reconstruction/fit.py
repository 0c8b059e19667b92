"""The output of the reconstruction: its data frame, the fit of every printed target, and :class:`Reconstruction`.

Internal to :mod:`il2lib.reconstruction`, which re-exports :class:`Reconstruction` and :func:`fit_table`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from il2lib import rounding, survival
from il2lib.reconstruction.summary import GroupSummary, Spec, Target

__all__ = ["Reconstruction", "fit_table", "measure_fit", "data_frame"]


@dataclass(frozen=True)
class Reconstruction:
    """Pseudo patient-level data and how well they reproduce the printed summary.

    Attributes
    ----------
    summary : GroupSummary
        What was reconstructed.
    data : DataFrame
        Columns ``time`` (float), ``event`` (int 0/1), ``group`` (str); sorted by
        time then event.
    fit : DataFrame
        One row per target (``n``, ``median``, ``landmark <t>``, ``median follow-up``,
        ``longest follow-up``): ``target, time, printed, achieved, within_precision, detail``.
        ``achieved`` is in the printed unit (percent for landmarks, ``inf`` for a
        median not reached).
    method : str
        Short name of the method.
    notes : tuple of str
        What the printed numbers forced (e.g. patients of unknown status).
    """

    summary: GroupSummary
    data: pd.DataFrame
    fit: pd.DataFrame
    method: str
    notes: tuple[str, ...] = ()


def measure_fit(summary: GroupSummary, spec: Spec, times: np.ndarray, events: np.ndarray) -> pd.DataFrame:
    rows = [{"target": "n", "time": math.nan, "printed": str(summary.n), "achieved": float(times.size),
             "within_precision": times.size == summary.n, "detail": "patients"}]
    med = survival.median_time(times, events)
    if summary.median is None:
        rows.append({"target": "median", "time": math.nan, "printed": "not reached", "achieved": med,
                     "within_precision": math.isinf(med), "detail": "Kaplan–Meier"})
    else:
        rows.append({"target": "median", "time": math.nan, "printed": summary.median, "achieved": med,
                     "within_precision": math.isfinite(med) and rounding.agrees(med, summary.median),
                     "detail": "Kaplan–Meier"})
    for mark in spec.landmarks:
        rows.append(_landmark_row(spec, mark, times, events))
    if summary.median_follow_up is not None:
        mfu = survival.median_time(times, 1 - events)   # the reverse Kaplan–Meier median, in numpy
        rows.append({"target": "median follow-up", "time": math.nan, "printed": summary.median_follow_up,
                     "achieved": mfu, "within_precision": math.isfinite(mfu)
                     and rounding.agrees(mfu, summary.median_follow_up), "detail": "reverse Kaplan–Meier"})
    longest = float(times.max())
    rows.append({"target": "longest follow-up", "time": math.nan, "printed": f"{spec.max_fu:g}",
                 "achieved": longest, "within_precision": abs(longest - spec.max_fu) <= 1e-9 * spec.max_fu,
                 "detail": "largest time"})
    return pd.DataFrame(rows, columns=["target", "time", "printed", "achieved", "within_precision", "detail"])


def _landmark_row(spec: Spec, mark: Target, times: np.ndarray, events: np.ndarray) -> dict:
    if spec.kind == "known_status":
        status = survival.known_status_share(times, events, mark.time)
        value, detail = status.percent, f"{status.alive}/{status.known} alive among known"
    else:
        # to 9 decimals of a percent: 11/40 computes as 27.500000000000004%, which prints as 27 or 28
        value = round(100 * float(survival.km_values(times, events, [mark.time])[0]), 9)
        detail = "Kaplan–Meier"
    return {"target": f"landmark {mark.time:g}", "time": mark.time, "printed": mark.printed,
            "achieved": float(value), "within_precision": rounding.agrees(value, mark.printed), "detail": detail}


def data_frame(times: np.ndarray, events: np.ndarray, group: str) -> pd.DataFrame:
    frame = pd.DataFrame({"time": times.astype(float), "event": events.astype(int), "group": group})
    frame["group"] = frame["group"].astype(object)
    return frame.sort_values(["time", "event"], kind="mergesort").reset_index(drop=True)


def fit_table(reconstructions: Iterable[Reconstruction]) -> pd.DataFrame:
    """The fit of several reconstructions in one table: every printed target and what was reached.

    Returns
    -------
    DataFrame
        Columns ``group``, then those of :attr:`Reconstruction.fit`.
    """
    return pd.concat([r.fit.assign(group=r.summary.group)[["group", *r.fit.columns]] for r in reconstructions],
                     ignore_index=True)
