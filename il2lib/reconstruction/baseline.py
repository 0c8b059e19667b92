"""The naive comparator of the reconstruction: piecewise-exponential event times with uniform censoring.

Internal to :mod:`il2lib.reconstruction`, which re-exports :func:`crude_baseline`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from il2lib.reconstruction.fit import data_frame
from il2lib.reconstruction.summary import GroupSummary, check
from il2lib.reconstruction.target import anchors

__all__ = ["crude_baseline"]


def crude_baseline(summary: GroupSummary) -> pd.DataFrame:
    """The naive comparator: piecewise-exponential event times with uniform censoring.

    Survival is exponential between the anchors ``S(0) = 1``, the landmarks
    (known-status shares are taken as if they were Kaplan–Meier survival) and
    ``S(median) = 0.5``, with the last hazard carried on; patient *i* has the
    event-time quantile ``(i - 0.5) / n`` and a censoring time uniform on
    ``[min_follow_up, max_follow_up]`` paired by the golden-ratio sequence.  No
    randomness; no calibration to any printed number.

    Parameters
    ----------
    summary : GroupSummary
        As for :func:`reconstruct`.

    Returns
    -------
    DataFrame
        Columns ``time, event, group``, sorted by time then event.

    Examples
    --------
    >>> s = GroupSummary("A", 100, "10.0", max_follow_up=40)
    >>> int(crude_baseline(s)["event"].sum())
    66
    """
    spec = check(summary)
    points = [(0.0, 1.0)] + anchors(spec)
    times = np.array([t for t, _ in points])
    hazard = np.maximum.accumulate([-math.log(min(max(s, 1e-6), 1.0)) for _, s in points])
    if len(points) > 1:
        rate = (hazard[-1] - hazard[-2]) / (times[-1] - times[-2])
    else:
        rate = 0.0
    u = (np.arange(spec.n) + 0.5) / spec.n
    wanted = -np.log(1 - u)                                    # cumulative hazard at each patient's event
    event_times = np.where(wanted <= hazard[-1], np.interp(wanted, hazard, times),
                           times[-1] + (wanted - hazard[-1]) / rate if rate > 0 else np.inf)
    golden = (np.sqrt(5) - 1) / 2
    v = (0.5 + golden * np.arange(spec.n)) % 1.0
    censor_times = spec.min_fu + (spec.max_fu - spec.min_fu) * v
    observed = np.minimum(event_times, censor_times)
    return data_frame(observed, (event_times <= censor_times).astype(int), summary.group)
