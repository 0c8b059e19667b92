"""The band: every Kaplan–Meier curve that the printed numbers allow (the last step of :mod:`il2lib.reconstruction`).

A reconstruction is one data set among many that print the same numbers.  The
band is the pointwise range those numbers leave open for Kaplan–Meier survival
``S(t)`` on ``[0, longest follow-up]``, whatever the patients' times:

* a Kaplan–Meier landmark printed as ``p`` at ``t_k`` puts ``S(t_k)`` in the
  interval that rounds to ``p``; as ``S`` never rises, ``S(t) <= hi_k`` for
  ``t >= t_k`` and ``S(t) >= lo_k`` for ``t < t_k``;
* a known-status share ``A / (A + D)`` (alive among patients of known status,
  :func:`il2lib.survival.known_status_share`) is never above Kaplan–Meier
  survival, so ``S(t) >= lo_k`` for ``t < t_k``; and ``D`` deaths among ``n``
  patients take at least ``D / n`` off the curve (each death at risk ``r``
  drops it by ``S(t-) / r >= 1 / n``), so ``S(t) <= 1 - D_min / n`` for
  ``t >= t_k``, with ``D_min`` the fewest deaths that print as the share;
* the median (the first time ``S <= 1/2``) printed in ``[m_lo, m_hi]`` puts
  ``S > 1/2`` before ``m_lo`` and ``S <= 1/2`` from ``m_hi`` on; "not reached"
  puts ``S > 1/2`` everywhere up to the longest follow-up;
* whole numbers of patients: a curve of ``n`` patients is never strictly
  between ``(n - 1) / n`` and 1, nor strictly between 0 and ``1 / n`` (the
  product ``prod (r_i - d_i) / r_i`` telescopes to at least ``1 / n`` while
  anyone is left), so a landmark printed 100.0% or 0.0% pins the curve at
  exactly 1 or 0 when ``n`` is small enough.

Nothing else is assumed: not the shape between anchors, not when patients were
lost.  The band is therefore an outer bound, exact at the printed anchors
(its edges there are the printed interval) and as wide as it honestly is
between and beyond them; every data set that prints the summary has its curve
inside (the tests check this on real and simulated data).  The reconstruction
is one curve inside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from il2lib import survival
from il2lib.reconstruction.known_status import count_options
from il2lib.reconstruction.summary import GroupSummary, Spec, Target, check

__all__ = ["Band", "band", "band_widths"]


@dataclass(frozen=True)
class Band:
    """The pointwise range of Kaplan–Meier survival a printed summary allows.

    A right-continuous step function: on ``[times[i], times[i + 1])`` survival
    lies in ``[lower[i], upper[i]]``; at the longest follow-up itself, in ``end``
    (a landmark there bounds the curve only up to the instant before, since
    deaths at that very time count as alive in a known-status share).

    Attributes
    ----------
    group : str
        The group's name.
    times : ndarray
        Segment starts, from 0; ``times[-1]`` is the longest follow-up.
    lower, upper : ndarray
        Bounds on each segment (one fewer than ``times``).
    end : tuple of float
        Lower and upper bound at the longest follow-up.
    """

    group: str
    times: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    end: tuple[float, float]

    def at(self, t: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bound at time(s) *t* (right-continuous; *t* in ``[0, longest follow-up]``).

        Examples
        --------
        >>> from il2lib.reconstruction import GroupSummary, Landmark
        >>> b = band(GroupSummary("A", 100, "12.0", (Landmark(6, "70.0"),), max_follow_up=24.0))
        >>> [float(x) for x in b.at(3.0)]
        [0.6995, 1.0]
        """
        index = np.clip(np.searchsorted(self.times, t, side="right") - 1, 0, len(self.lower) - 1)
        at_end = np.asarray(t) >= self.times[-1]
        return (np.where(at_end, self.end[0], self.lower[index]), np.where(at_end, self.end[1], self.upper[index]))

    @property
    def mean_width(self) -> float:
        """Width of the band averaged over time from 0 to the longest follow-up.

        Examples
        --------
        >>> from il2lib.reconstruction import GroupSummary, Landmark
        >>> round(band(GroupSummary("A", 100, "12.0", (Landmark(6, "70.0"),), max_follow_up=24.0)).mean_width, 3)
        0.377
        """
        spans = np.diff(self.times)
        return float(np.sum(spans * (self.upper - self.lower)) / self.times[-1])

    def contains(self, durations: np.ndarray, events: np.ndarray, tolerance: float = 1e-9) -> bool:
        """Whether the Kaplan–Meier curve of these data lies inside the band everywhere up to its end.

        Both are right-continuous step functions, so checking at every jump of
        either is checking everywhere.

        Examples
        --------
        >>> from il2lib.reconstruction import GroupSummary, Landmark
        >>> b = band(GroupSummary("A", 4, "3.0", (Landmark(2.5, "75.0"),), max_follow_up=4.0))
        >>> b.contains(np.array([1, 2, 3, 4]), np.array([1, 0, 1, 0]))
        True
        """
        points = np.union1d(np.concatenate([[0.0], np.asarray(durations, dtype=float)]), self.times)
        points = points[points <= self.times[-1]]
        curve = survival.km_values(durations, events, points)
        lower, upper = self.at(points)
        return bool(np.all(curve >= lower - tolerance) and np.all(curve <= upper + tolerance))

    def frame(self) -> pd.DataFrame:
        """One row per segment: ``start, end, lower, upper, width``."""
        return pd.DataFrame({"start": self.times[:-1], "end": self.times[1:], "lower": self.lower,
                             "upper": self.upper, "width": self.upper - self.lower})

    def steps(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Times, lower and upper ready for ``fill_between(..., step="post")`` (last value repeated)."""
        return self.times, np.append(self.lower, self.lower[-1]), np.append(self.upper, self.upper[-1])


def _fewest_deaths(n: int, mark: Target) -> int:
    """Fewest deaths ``D`` with ``A / (A + D)`` printing as the share for some ``A``, ``A + D <= n``."""
    _, dead = count_options(n, mark)
    return int(dead.min()) if dead.size else 0   # none: not printable by n patients (the reconstruction refuses it)


def _upper(spec: Spec, start: float) -> float:
    """The least upper bound of the constraints in force from *start* on."""
    bound = 1.0
    for mark in spec.landmarks:
        if mark.time <= start:
            bound = min(bound, mark.hi if spec.kind == "km" else 1 - _fewest_deaths(spec.n, mark) / spec.n)
    if spec.median is not None and spec.median_hi <= start:
        bound = min(bound, 0.5)
    return bound


def _lower(spec: Spec, end: float) -> float:
    """The greatest lower bound of the constraints in force up to (not including) *end*."""
    bound = 0.0
    for mark in spec.landmarks:
        if mark.time >= end:
            bound = max(bound, mark.lo)
    if spec.median is None or end <= spec.median_lo:
        bound = max(bound, 0.5)
    return bound


def _whole_patients(lower: float, upper: float, n: int) -> tuple[float, float]:
    """Tighten bounds by the values a curve of *n* patients can take: none in (0, 1/n) or ((n-1)/n, 1)."""
    slack = 1e-12            # 1 - 4/5 computes below 1/5: whole-number edges are compared with a little room
    if upper < 1 - slack:
        upper = min(upper, (n - 1) / n)
    if lower > slack:
        lower = max(lower, 1 / n)
    if lower > (n - 1) / n + slack:
        lower = 1.0
    if upper < 1 / n - slack:
        upper = 0.0
    return lower, upper


def band(summary: GroupSummary) -> Band:
    """The pointwise range of Kaplan–Meier survival that *summary*'s printed numbers allow.

    Parameters
    ----------
    summary : GroupSummary
        What the paper printed (its ``max_follow_up`` ends the band).

    Returns
    -------
    Band

    Raises
    ------
    ReconstructionError
        If the summary is inconsistent (as :func:`il2lib.reconstruction.reconstruct` would).

    Examples
    --------
    >>> from il2lib.reconstruction import GroupSummary, Landmark
    >>> b = band(GroupSummary("A", 100, "12.0", (Landmark(6, "70.0"),), max_follow_up=24.0))
    >>> b.frame().round(4).values.tolist()[:2]
    [[0.0, 6.0, 0.6995, 1.0, 0.3005], [6.0, 11.95, 0.5, 0.7005, 0.2005]]
    """
    spec = check(summary)
    cuts = {0.0, spec.max_fu, *(m.time for m in spec.landmarks)}
    cuts |= {x for x in (spec.median_lo, spec.median_hi) if math.isfinite(x) and 0 < x < spec.max_fu}
    times = np.array(sorted(cuts))
    bounds = [_whole_patients(_lower(spec, end), _upper(spec, start), spec.n)
              for start, end in zip(times[:-1], times[1:])]
    lower, upper = (np.array(side) for side in zip(*bounds))
    end = _whole_patients(0.5 if spec.median is None else 0.0, _upper(spec, spec.max_fu), spec.n)
    return Band(summary.group, times, lower, upper, end)


def band_widths(bands: Mapping[str, Band], shortest: float = 1.0) -> pd.DataFrame:
    """How much room each band leaves its curve: mean width, and its widest stretch.

    Parameters
    ----------
    bands : mapping of str to Band
        Bands by group.
    shortest : float, default 1.0
        Stretches shorter than this (in the time unit) are not reported as the widest: the rounding
        interval of a median is a sliver where the band is briefly wide.

    Returns
    -------
    DataFrame
        Indexed by ``group``: ``mean width``, ``widest from``, ``widest to``, ``width there``.

    Examples
    --------
    >>> from il2lib.reconstruction import GroupSummary, Landmark
    >>> b = band(GroupSummary("A", 100, "12.0", (Landmark(6, "70.0"),), max_follow_up=24.0))
    >>> band_widths({"A": b}).round(3).values.tolist()
    [[0.377, 12.05, 24.0, 0.5]]
    """
    rows = []
    for label, allowed in bands.items():
        segments = allowed.frame()
        segments = segments[segments["end"] - segments["start"] >= shortest]
        widest = segments.assign(width=segments["width"].round(9)).sort_values(["width", "start"],
                                                                                 ascending=[False, True]).iloc[0]
        rows.append({"group": label, "mean width": allowed.mean_width, "widest from": widest["start"],
                     "widest to": widest["end"], "width there": widest["width"]})
    return pd.DataFrame(rows).set_index("group")
