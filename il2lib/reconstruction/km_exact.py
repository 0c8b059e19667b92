"""Step 4c of the reconstruction: Kaplan–Meier landmarks by dynamic programming, when the count plans fail.

The count plans of :mod:`.km_plan` shape each interval as a few blocks of
deaths; a printed landmark can need deaths and censorings interleaved more
finely than that (small groups, landmarks of a few percent).  This step drops
the shapes and searches every interleaving at once.

With ``n`` patients in time order, the ``i``-th observation happens with
``n - i`` at risk, and a death there adds ``log(n - i) - log(n - i - 1)`` to
``-log S``.  Which observations are deaths is free, so the question is a
subset-sum over the numbers at risk, solved by dynamic programming over the
observations in time order.  A state is (observations so far, landmarks
passed, ``-log S`` cut into bins of width ``delta``, a small fraction of the
narrowest printed window); each bin keeps one real partial data set, its exact
``-log S`` and its counts, so every state is reachable and every window is
checked on exact values.  When a death and a censoring lead to the same bin,
or a landmark can be passed now or later, the partial data set whose interval
counts lie nearest the counts the release expected is kept (the same cost as
:mod:`.km_plan`).  The cheapest states that pass the last landmark are traced
back to plans.  Binning is the one approximation: the state kept in a bin
stands for the others there, so over many observations the kept states can
drift from the extremes of what is reachable, and a plan that exists only at
a window's very edge can be missed.  With 64 bins across the narrowest window
the search finds every plan of the exhaustive listing on groups of up to 8
(the tests) and rebuilt every simulated group the block plans refused; with
16 it missed one of them (97 patients, landmarks 8.4%, 1.0% and 1.0%).

Internal to :mod:`il2lib.reconstruction` (see its docstring for the method).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from il2lib.reconstruction.kaplan_meier import log_step
from il2lib.reconstruction.km_plan import count_cost

__all__ = ["plans"]

_BINS_PER_WINDOW = 64    # bins across the narrowest window, on the -log S scale
_MOST_CELLS = 60_000_000  # memory cap of the stored trace (one byte per state); coarser bins above it
_ENDS = 6                 # plans returned at most, cheapest first
#: Which state a bin keeps, tried in turn until a plan is found: nearest the expected counts, then the
#: highest and the lowest -log S (a plan that exists only at the edge of what is reachable, e.g. every
#: observation a death, is lost when a cheaper state a fraction of a bin away takes its place).
KEEPS = ("cheapest", "highest", "lowest")
_CENSOR, _DEATH, _DEATH_NEXT_BIN, _PASS, _START = 1, 2, 3, 4, 5   # how a state was reached


@dataclass
class _Layer:
    """States with the same number of landmarks passed: one per bin of -log S."""

    value: np.ndarray   # exact -log S of the partial data set kept (inf: none)
    done: np.ndarray    # cost of the intervals already closed
    deaths: np.ndarray  # deaths in the open interval
    seen: np.ndarray    # observations in the open interval

    @classmethod
    def empty(cls, size: int) -> _Layer:
        return cls(np.full(size, np.inf), np.zeros(size), np.zeros(size, dtype=np.int64),
                   np.zeros(size, dtype=np.int64))


def _cost(deaths: np.ndarray, losses: np.ndarray, expected: tuple[float, float], closed: bool) -> np.ndarray:
    """:func:`~il2lib.reconstruction.km_plan.count_cost` of an interval (only the excess while it is open)."""
    if not closed:
        deaths, losses = np.maximum(deaths, expected[0]), np.maximum(losses, expected[1])
    return count_cost(deaths, losses, expected)


def plans(n: int, windows: list[tuple[float, float]], expected: list[tuple[float, float]],
          keep_one: list[bool]) -> list[tuple[tuple[int, ...], ...]]:
    """Deaths and censorings in every interval that put Kaplan–Meier survival inside every window.

    Same parameters and plans as :func:`il2lib.reconstruction.km_plan.plans`, found by dynamic
    programming over every interleaving instead of a beam over block shapes: at most a few plans,
    nearest the expected counts first.  Windows that admit a survival of 0 are left to the other
    steps (an empty list).

    Examples
    --------
    Of five patients, survival 3/4 × 1/2 = 37.5% needs a censoring, a death, a censoring and a death:

    >>> plans(5, [(0.3745, 0.3755)], [(2.0, 1.0)], [True])[0]
    ((0, 1, 0, 1),)
    """
    if not windows or min(w[0] for w in windows) <= 0:
        return []
    bounds = [(-np.log(hi), -np.log(lo)) for lo, hi in windows]   # windows on the -log S scale
    delta = _bin_width(n, bounds)
    found: list[tuple[tuple[int, ...], ...]] = []
    for keep in KEEPS:
        trace, ends = _search(n, bounds, delta, expected, keep_one, keep)
        for _, at, where in sorted(ends)[:_ENDS]:
            plan = _trace_back(n, trace, delta, at, len(windows) - 1, where)
            if plan not in found:
                found.append(plan)
        if found:
            break
    return found


def _bin_width(n: int, bounds: list[tuple[float, float]]) -> float:
    """A 64th of the narrowest window on the -log S scale, or coarser if the trace would pass its memory cap."""
    narrowest = min(b - a for a, b in bounds)
    return max(narrowest / _BINS_PER_WINDOW, (n + 1) * sum(b for _, b in bounds) / _MOST_CELLS, 1e-12)


def _search(n: int, bounds: list[tuple[float, float]], delta: float, expected: list[tuple[float, float]],
            keep_one: list[bool], keep: str) -> tuple[list[list[np.ndarray]], list[tuple[float, int, int]]]:
    """How each state was reached, per observation and layer; and the states that pass the last landmark.

    Each end is ``(cost, observations, bin)``; ``keep`` (one of :data:`KEEPS`) says which state a bin keeps.
    """
    last = len(bounds) - 1
    layers = [_Layer.empty(int(b / delta) + 1) for _, b in bounds]   # layer k: k landmarks passed
    layers[0].value[0] = 0.0
    codes = [np.zeros(layer.value.size, dtype=np.uint8) for layer in layers]
    codes[0][0] = _START
    trace: list[list[np.ndarray]] = []
    ends: list[tuple[float, int, int]] = []
    for i in range(n + 1):
        room = i <= n - 1                     # someone is still at risk after a landmark passed here
        for k in range(1, last + 1):
            if room or not keep_one[k - 1]:
                _pass(layers[k - 1], layers[k], codes[k], bounds[k - 1], expected[k - 1], keep)
        if room or not keep_one[last]:
            ends += _ends(layers[last], i, bounds[last], expected[last])
        trace.append(codes)
        if i == n:
            break
        step = -log_step(n - i)             # inf for the last at risk: survival would reach 0
        codes = [_observe(layer, step, delta, expected[k], keep) for k, layer in enumerate(layers)]
    return trace, ends


def _rank(keep: str, cost: np.ndarray, value: np.ndarray) -> np.ndarray:
    """What a bin keeps the least of (an empty state ranks last)."""
    rank = {"cheapest": cost, "highest": -value, "lowest": value}[keep]
    return np.where(np.isfinite(value), rank, np.inf)


def _pass(before: _Layer, after: _Layer, codes: np.ndarray, bound: tuple[float, float],
          expected: tuple[float, float], keep: str) -> None:
    """Pass a landmark: states inside its window move to the next layer where cheaper than what is there."""
    size = min(before.value.size, after.value.size)
    value = before.value[:size]
    cost = before.done[:size] + _cost(before.deaths[:size], before.seen[:size] - before.deaths[:size], expected,
                                      closed=True)
    here = after.done[:size] + _cost(after.deaths[:size], after.seen[:size] - after.deaths[:size], expected,
                                     closed=False)
    better = ((value >= bound[0]) & (value <= bound[1])
              & (_rank(keep, cost, value) < _rank(keep, here, after.value[:size])))
    after.value[:size][better] = value[better]
    after.done[:size][better] = cost[better]
    after.deaths[:size][better] = 0
    after.seen[:size][better] = 0
    codes[:size][better] = _PASS


def _ends(layer: _Layer, at: int, bound: tuple[float, float], expected: tuple[float, float]
          ) -> list[tuple[float, int, int]]:
    """The cheapest few states that can pass the last landmark after ``at`` observations."""
    inside = np.flatnonzero((layer.value >= bound[0]) & (layer.value <= bound[1]))
    cost = layer.done[inside] + _cost(layer.deaths[inside], layer.seen[inside] - layer.deaths[inside], expected,
                                      closed=True)
    cheapest = np.argsort(cost, kind="stable")[:_ENDS]
    return [(float(cost[j]), at, int(inside[j])) for j in cheapest]


def _observe(layer: _Layer, step: float, delta: float, expected: tuple[float, float], keep: str) -> np.ndarray:
    """The next observation, a censoring or a death, in every state of a layer; returns how each was reached."""
    codes = np.where(np.isfinite(layer.value), _CENSOR, 0).astype(np.uint8)
    source = np.flatnonzero(np.isfinite(layer.value))
    value = layer.value[source] + step
    target = np.floor(value / delta).astype(np.int64) if np.isfinite(step) else np.full(source.size, -1)
    lands = (target < layer.value.size) & np.isin(target - source - _shift(step, delta), (0, 1))
    source, value, target = source[lands], value[lands], target[lands]
    done, deaths, seen = layer.done[source], layer.deaths[source] + 1, layer.seen[source] + 1
    layer.seen[np.isfinite(layer.value)] += 1   # every state censors ...
    cost = done + _cost(deaths, seen - deaths, expected, closed=False)
    first = np.ones(target.size, dtype=bool)    # ... and a death from a neighbouring bin may land on the same bin
    first[1:] = target[1:] != target[:-1]
    second = np.flatnonzero(~first)
    rank = _rank(keep, cost, value)
    loser = np.where(rank[second] < rank[second - 1], second - 1, second)
    alive = np.ones(target.size, dtype=bool)
    alive[loser] = False
    source, value, target, done, deaths, seen, cost = (x[alive] for x in (source, value, target, done, deaths,
                                                                           seen, cost))
    here = layer.done[target] + _cost(layer.deaths[target], layer.seen[target] - layer.deaths[target], expected,
                                      closed=False)
    better = _rank(keep, cost, value) < _rank(keep, here, layer.value[target])
    source, value, target = source[better], value[better], target[better]
    layer.value[target], layer.done[target] = value, done[better]
    layer.deaths[target], layer.seen[target] = deaths[better], seen[better]
    codes[target] = _DEATH + (target - source - _shift(step, delta)).astype(np.uint8)
    return codes


def _shift(step: float, delta: float) -> int:
    """Bins a death moves a state by, at least (one more when the state sits high in its bin)."""
    return int(np.floor(step / delta)) if np.isfinite(step) else -1


def _trace_back(n: int, trace: list[list[np.ndarray]], delta: float, at: int, layer: int, where: int
                ) -> tuple[tuple[int, ...], ...]:
    """The plan that reached bin ``where`` of ``layer`` after ``at`` observations, each interval in time order."""
    intervals: list[tuple[int, ...]] = []
    labels: list[int] = []
    i, k, b = at, layer, where
    while (code := int(trace[i][k][b])) != _START:
        if code == _PASS:
            intervals.append(tuple(reversed(labels)))
            labels, k = [], k - 1
            continue
        i -= 1
        labels.append(0 if code == _CENSOR else 1)
        if code != _CENSOR:
            b -= _shift(-log_step(n - i), delta) + code - _DEATH
    intervals.append(tuple(reversed(labels)))
    return tuple(reversed(intervals))
