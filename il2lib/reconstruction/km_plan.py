"""Step 4b of the reconstruction: Kaplan–Meier landmarks by a joint count plan.

The local repair (:mod:`.repair`) fixes one landmark at a time and keeps the
deaths the release put before it; when those deaths cannot reach the printed
window (small groups, low landmarks), this step plans the counts of all
intervals together instead.  In each interval between landmarks it chooses
``before`` censorings, then ``deaths`` deaths, then ``after`` censorings: the
curve ends the interval at ``S * (m - deaths) / m`` with ``m`` the number at
risk when the deaths start, which takes every value the window needs once the
censorings may fall on either side of the deaths.  A beam search over the
landmarks in time order keeps the plans nearest the counts the release
expected; the deaths are then placed at quantiles of the target curve, the
censorings beside them, and the tail after the last landmark is released as
before.  Internal to :mod:`il2lib.reconstruction` (see its docstring for the method).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Step", "plans", "interval_counts", "fill"]

_BEAM = 200          # plans kept after each landmark
_FULL_GRID = 250_000  # above this many (censorings, before) pairs per plan, search near the expected counts
_NEAR = 40           # how far from the expected censorings the restricted search goes


@dataclass(frozen=True)
class Step:
    """One interval of a plan: censorings before the deaths, deaths, censorings after them."""

    before: int
    deaths: int
    after: int


@dataclass(frozen=True)
class _State:
    at_risk: int
    km: float
    cost: float
    steps: tuple[Step, ...]


def _pairs(at_risk: int, expected_losses: float) -> tuple[np.ndarray, np.ndarray]:
    """Candidate (censorings in the interval, of which before the deaths), all of them when few enough."""
    if (at_risk + 1) ** 2 <= _FULL_GRID:
        losses = np.arange(at_risk + 1)
    else:
        centre = int(round(expected_losses))
        losses = np.arange(max(centre - _NEAR, 0), min(centre + _NEAR, at_risk) + 1)
    total, before = np.meshgrid(losses, np.arange(losses.max() + 1), indexing="ij")
    keep = before <= total
    if keep.sum() > _FULL_GRID:                      # thin the split points, keeping both ends
        keep &= (before % max(1, int(losses.max() // 80)) == 0) | (before == total)
    return total[keep], before[keep]


def _grow(state: _State, lo: float, hi: float, keep_one: bool, expected: tuple[float, float]
          ) -> list[_State]:
    """Every next state whose Kaplan–Meier value at the landmark lies in [lo, hi]."""
    r, s = state.at_risk, state.km
    total, before = _pairs(r, expected[1])
    m = (r - before).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        d_min = np.ceil(m * (1 - hi / s) - 1e-9) if s > 0 else np.zeros_like(m)
        d_max = np.floor(m * (1 - lo / s) + 1e-9) if s > 0 else np.zeros_like(m)
    d_max = np.minimum(d_max, r - total - (1 if keep_one else 0))
    d_min = np.maximum(d_min, 0)
    deaths = np.clip(np.round(expected[0]), d_min, d_max)
    ok = (d_min <= d_max) & (m > 0) | ((deaths == 0) & (d_min <= 0) & (d_max >= 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(m > 0, s * (m - deaths) / m, s)
    ok &= (value >= lo) & (value <= hi)
    cost = ((deaths - expected[0]) ** 2 / (expected[0] + 1) + (total - expected[1]) ** 2 / (expected[1] + 1))
    grown = []
    for i in np.flatnonzero(ok):
        d, c, b = int(deaths[i]), int(total[i]), int(before[i])
        grown.append(_State(r - c - d, float(value[i]), state.cost + float(cost[i]),
                            state.steps + (Step(b, d, c - b),)))
    return grown


def plans(n: int, windows: list[tuple[float, float]], expected: list[tuple[float, float]],
          keep_one: list[bool], tries: int = 20) -> list[tuple[Step, ...]]:
    """Counts for every interval that put Kaplan–Meier survival inside every window, nearest first.

    Parameters
    ----------
    n : int
        Patients.
    windows : list of (lo, hi)
        Allowed Kaplan–Meier value at each landmark, in time order.
    expected : list of (deaths, losses)
        Counts the release expected in each interval; plans nearest them come first.
    keep_one : list of bool
        Whether at least one patient must still be at risk after each landmark.
    tries : int, default 20
        Most plans returned (each ends at a different number at risk or survival).

    Returns
    -------
    list of tuple of Step
        Empty if the beam found none.

    Examples
    --------
    >>> first = plans(5, [(0.1995, 0.2005)], [(2.0, 1.0)], [True])[0]
    >>> [(s.before, s.deaths, s.after) for s in first]
    [(0, 4, 0)]
    """
    beam = [_State(n, 1.0, 0.0, ())]
    for (lo, hi), want, one in zip(windows, expected, keep_one):
        grown: dict[tuple[int, float], _State] = {}
        for state in beam:
            for new in _grow(state, lo, hi, one, want):
                key = (new.at_risk, round(new.km, 12))
                if key not in grown or new.cost < grown[key].cost:
                    grown[key] = new
        beam = sorted(grown.values(), key=lambda x: (x.cost, -x.at_risk, x.km))[:_BEAM]
    return [state.steps for state in beam[:tries]]


def interval_counts(times: np.ndarray, events: np.ndarray, cuts: list[float]) -> list[tuple[float, float]]:
    """Deaths and censorings of sorted data in each interval (previous cut, cut]."""
    counts, start = [], 0.0
    for cut in cuts:
        inside = (times > start) & (times <= cut)
        counts.append((float(np.sum(events[inside] == 1)), float(np.sum(events[inside] == 0))))
        start = cut
    return counts


def fill(steps: tuple[Step, ...], cuts: list[float], death_times: Callable[[float, float, int], np.ndarray]
         ) -> tuple[np.ndarray, np.ndarray]:
    """Times and events of the planned intervals; ``death_times(start, stop, count)`` places the deaths.

    In each interval the deaths keep the places ``death_times`` gives them (nudged
    apart), the censorings planned before them are spread evenly between the
    interval's start and the first death, those planned after them between the
    last death and the landmark.
    """
    times: list[float] = []
    events: list[int] = []
    start = 0.0
    for step, stop in zip(steps, cuts):
        width = stop - start
        if step.deaths:
            deaths = np.sort(np.clip(np.asarray(death_times(start, stop, step.deaths), dtype=float),
                                     start + 1e-4 * width, stop - 1e-4 * width))
            deaths = deaths + 1e-8 * width * np.arange(deaths.size) / deaths.size
            times += _spread(start, float(deaths[0]), step.before) + list(deaths)
            times += _spread(float(deaths[-1]), stop, step.after)
        else:
            times += _spread(start, stop, step.before + step.after)
        events += [0] * step.before + [1] * step.deaths + [0] * step.after
        start = stop
    return np.array(times, dtype=float), np.array(events, dtype=int)


def _spread(start: float, stop: float, count: int) -> list[float]:
    """``count`` times evenly inside the open interval (start, stop)."""
    return list(start + (stop - start) * (np.arange(count) + 1) / (count + 1))
