"""Step 1 of the reconstruction: the target survival curve, a monotone PCHIP of the cumulative hazard.

Internal to :mod:`il2lib.reconstruction` (see its docstring for the method).
"""

from __future__ import annotations

import math

import numpy as np

from il2lib.interpolation import pchip
from il2lib.reconstruction.summary import GRID, Spec

__all__ = ["Curve", "target_curve", "anchors"]


class Curve:
    """A non-increasing function of time tabulated on a fine grid, with its generalised inverse."""

    def __init__(self, times: np.ndarray, values: np.ndarray) -> None:
        self.t = times
        self.v = values
        self._neg = -values

    def __call__(self, x: float) -> float:
        return float(np.interp(x, self.t, self.v))

    def first_at_or_below(self, y: float) -> float:
        """First time the curve is <= y (linear between grid points); ``inf`` if never."""
        if y >= self.v[0]:
            return float(self.t[0])
        i = int(np.searchsorted(self._neg, -y, side="left"))
        if i >= self.v.size:
            return math.inf
        t0, t1, v0, v1 = self.t[i - 1], self.t[i], self.v[i - 1], self.v[i]
        return float(t0 + (t1 - t0) * (v0 - y) / (v0 - v1))


def _tail_hazard(times: list[float], hazard: np.ndarray, n: int) -> float:
    """Hazard carried beyond the last anchor: the last segment's, shrunk towards the average hazard.

    Gamma-Poisson shrinkage with one pseudo-event at the average hazard
    ``H(t_last) / t_last``: the last segment's expected deaths ``d`` and
    person-time ``E`` (for ``n`` patients, ignoring censoring) give
    ``(1 + d) / (1 / average + E)``.  A last segment with many deaths keeps its
    own hazard; a plateau (no deaths) does not freeze the tail at zero hazard.
    """
    if len(times) < 2 or hazard[-1] <= 0:
        return 0.0
    average = hazard[-1] / times[-1]
    width = times[-1] - times[-2]
    s_start, s_end = math.exp(-hazard[-2]), math.exp(-hazard[-1])
    rise = hazard[-1] - hazard[-2]
    deaths = n * (s_start - s_end)
    exposure = n * width * (s_start if rise <= 1e-12 else (s_start - s_end) / rise)
    return (1 + deaths) / (1 / average + exposure)


def target_curve(anchors: list[tuple[float, float]], stop: float, not_reached: bool, n: int) -> Curve:
    """Monotone PCHIP of the cumulative hazard through (0, 0) and the anchors, then the tail hazard to ``stop``."""
    points = sorted((t, min(max(s, 1e-6), 1.0)) for t, s in anchors if t > 0)
    times = [0.0] + [t for t, _ in points]
    hazard = np.maximum.accumulate([0.0] + [-math.log(s) for _, s in points])
    if times[-1] < stop:
        end = hazard[-1] + _tail_hazard(times, hazard, n) * (stop - times[-1])
        if not_reached:
            last = math.exp(-hazard[-1])
            end = min(end, -math.log(0.5 + 0.5 * (last - 0.5)))
        times.append(stop)
        hazard = np.append(hazard, max(end, hazard[-1]))
    grid = np.unique(np.concatenate([np.linspace(0.0, stop, GRID), times]))
    grid = grid[grid <= stop]
    cumulative = pchip(np.array(times), hazard, grid)
    return Curve(grid, np.exp(-np.maximum.accumulate(np.maximum(cumulative, 0.0))))


def anchors(spec: Spec) -> list[tuple[float, float]]:
    anchors = [(m.time, (m.lo + m.hi) / 2) for m in spec.landmarks]
    if spec.median is not None and all(abs(t - spec.median) > 1e-12 for t, _ in anchors):
        anchors.append((spec.median, 0.5))
    return sorted(anchors)
