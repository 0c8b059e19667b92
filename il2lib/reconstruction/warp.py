"""Step 4 of the reconstruction, last: the order-preserving time warp that pins the printed times.

It sends the median, the median follow-up and the longest follow-up to their
printed values and keeps every landmark time fixed.  Internal to
:mod:`il2lib.reconstruction` (see its docstring for the method).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from il2lib import rounding
from il2lib.reconstruction.kaplan_meier import crossing, reverse_crossing
from il2lib.reconstruction.summary import Spec

__all__ = ["pin"]


@dataclass(frozen=True)
class _Knot:
    """The warp should send ``source`` to ``goal``, or failing that to the nearest point of [low, high]."""

    source: float
    goal: float
    low: float
    high: float


def _place(knot: _Knot, accepted: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Where a knot can go without breaking the order of the knots already accepted; None if nowhere."""
    sources = [s for s, _ in accepted]
    k = int(np.searchsorted(sources, knot.source))
    if (k < len(sources) and sources[k] == knot.source) or (k > 0 and sources[k - 1] == knot.source):
        return None
    below = accepted[k - 1][1] if k > 0 else -math.inf
    above = accepted[k][1] if k < len(accepted) else math.inf
    margin = 1e-7 * max(abs(knot.goal), 1.0)
    low, high = max(knot.low, below + margin), min(knot.high, above - margin)
    if low > high:
        return None
    return knot.source, min(max(knot.goal, low), high)


def _warp(times: np.ndarray, knots: list[_Knot]) -> np.ndarray:
    """Order-preserving piecewise-linear map of time through the knots, taken in priority order."""
    accepted: list[tuple[float, float]] = []
    for knot in knots:
        placed = _place(knot, accepted)
        if placed is not None:
            accepted = sorted(accepted + [placed])
    sources = np.array([s for s, _ in accepted])
    goals = np.array([g for _, g in accepted])
    inside = np.interp(times, sources, goals)
    return np.where(times > sources[-1], times - sources[-1] + goals[-1], inside)


def _printed_knot(source: float, goal: float, low: float, high: float) -> _Knot:
    shrink = 1e-9 * max(abs(goal), 1.0)  # strictly inside the printed interval, whatever the float rounding
    return _Knot(source, goal, low + shrink, high - shrink)


def pin(spec: Spec, times: np.ndarray, events: np.ndarray) -> np.ndarray:
    """Warp time so that the median, the median follow-up and the longest follow-up are the printed ones.

    Landmark times are fixed points, so nothing that a landmark counts moves
    across it; the other knots go to the printed value, or to the nearest point
    that prints the same when two of them would collide.
    """
    knots = [_Knot(0.0, 0.0, 0.0, 0.0)] + [_Knot(m.time, m.time, m.time, m.time) for m in spec.landmarks]
    median_death = crossing(times, events)
    if spec.median is not None and median_death is not None:
        knots.append(_printed_knot(float(times[median_death]), spec.median, spec.median_lo,
                                   min(spec.median_hi, spec.max_fu)))
    if times.size:
        knots.append(_Knot(float(times[-1]), spec.max_fu, spec.max_fu, spec.max_fu))
    reverse = reverse_crossing(times, events)
    if spec.mfu is not None and reverse is not None:
        low, high = (float(x) for x in rounding.interval(spec.mfu_printed))
        knots.append(_printed_knot(float(times[reverse]), spec.mfu, low, min(high, spec.max_fu)))
    return _warp(times, knots)
