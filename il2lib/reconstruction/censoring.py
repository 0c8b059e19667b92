"""Step 2 of the reconstruction: the censoring curve, calibrated to the printed median follow-up.

Also the times at which an interval's deaths or losses are placed along a curve.  Internal to
:mod:`il2lib.reconstruction` (see its docstring for the method).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from il2lib.reconstruction.summary import GRID, Spec
from il2lib.reconstruction.target import Curve

__all__ = ["Censoring", "calibrated_censoring", "quantile_times", "loss_times"]


@dataclass(frozen=True)
class Censoring:
    """Potential follow-up uniform on [start, stop], times an exponential loss to follow-up."""

    start: float
    stop: float
    loss_rate: float

    def curve(self) -> Curve:
        grid = np.linspace(0.0, self.stop, GRID)
        span = self.stop - self.start
        uniform = np.ones_like(grid) if span <= 0 else np.clip((self.stop - grid) / span, 0.0, 1.0)
        uniform[-1] = 0.0
        return Curve(grid, uniform * np.exp(-self.loss_rate * grid))

    def describe(self) -> str:
        text = f"potential follow-up uniform on [{self.start:.1f}, {self.stop:.1f}]"
        return text + (f", loss to follow-up {self.loss_rate:.4f} per unit time" if self.loss_rate else "")


def calibrated_censoring(spec: Spec) -> Censoring:
    """Censoring calibrated so that the median potential follow-up is the printed median follow-up."""
    if spec.mfu is None:
        return Censoring(spec.min_fu, spec.max_fu, 0.0)
    start = 2 * spec.mfu - spec.max_fu
    if start >= spec.min_fu:
        return Censoring(start, spec.max_fu, 0.0)
    span = spec.max_fu - spec.min_fu
    uniform = 1.0 if spec.mfu <= spec.min_fu else (spec.max_fu - spec.mfu) / span
    return Censoring(spec.min_fu, spec.max_fu, math.log(2 * uniform) / spec.mfu)


def quantile_times(curve: Curve, start: float, stop: float, count: int) -> np.ndarray:
    """``count`` times at the mid-quantiles of the curve's drop over (start, stop); uniform if it is flat."""
    q = (np.arange(count) + 0.5) / count
    top, bottom = curve(start), curve(stop)
    if top - bottom < 1e-12:
        return start + q * (stop - start)
    times = np.array([curve.first_at_or_below(top - p * (top - bottom)) for p in q])
    return np.clip(times, start + 1e-9 * (stop - start), stop - 1e-9 * (stop - start))


def loss_times(censor: Curve, start: float, stop: float, count: int, timing: str) -> np.ndarray:
    """When the ``count`` patients lost in (start, stop) drop out: see ``LOSS_TIMINGS``."""
    width = stop - start
    if timing == "early":
        return start + width * 1e-3 * (np.arange(count) + 1)
    if timing == "late":
        return stop - width * 1e-3 * (count - np.arange(count))
    return quantile_times(censor, start, stop, count) + 1e-7 * width
