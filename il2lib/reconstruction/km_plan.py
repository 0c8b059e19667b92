"""Step 4b of the reconstruction: Kaplan–Meier landmarks by a joint count plan.

The local repair (:mod:`.repair`) fixes one landmark at a time and keeps the
deaths the release put before it; when those deaths cannot reach the printed
window (small groups, low landmarks), this step plans the counts of all
intervals together instead.  Each interval is one or more steps (``substeps``);
a step is a run of censorings, a block of deaths, and a run of censorings, or,
in groups of at most ``_TWO_BLOCKS`` at risk, two blocks of deaths with
censorings between them (:class:`Step`).  One block takes the curve from ``S``
to ``S * (m - deaths) / m`` with ``m`` the number at risk when the deaths start.
A beam search over the steps in time order keeps the plans nearest the counts
the release expected, and plans spread over the numbers left at risk
(:class:`Width`); the deaths are then placed at quantiles of the target curve,
the censorings between them, and the tail after the last landmark is released
as before.  Internal to :mod:`il2lib.reconstruction` (see its docstring for the method).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

__all__ = ["Step", "Width", "NARROW", "WIDE", "plans", "interval_counts", "fill", "evenly_spaced", "count_cost"]


class Width(NamedTuple):
    """How much of the search a beam keeps."""

    beam: int        # plans kept after each step, the cheapest ...
    spread: int      # ... and more, spread over the numbers at risk
    per_level: int   # ... with this many survival values at each
    per_state: int   # next states kept from each plan (the cheapest, one per number at risk and survival)


#: The beam tried first, and the wider one tried for small groups when it finds nothing that fits.
NARROW, WIDE = Width(60, 20, 4, 30), Width(300, 40, 10, 100)
_FULL_GRID = 250_000  # above this many (censorings, before) pairs per plan, search near the expected counts
_NEAR = 40           # how far from the expected censorings the restricted search goes
_TWO_BLOCKS = 60     # at most this many at risk: deaths may also come in two blocks with censorings between


@dataclass(frozen=True)
class Step:
    """One interval of a plan, in time order: censorings, deaths, censorings, deaths, censorings.

    With ``between = later = 0`` the deaths come in one block.
    """

    before: int
    deaths: int
    after: int
    between: int = 0
    later: int = 0

    @property
    def events(self) -> list[int]:
        """The interval's observations in time order, 1 for a death."""
        return ([0] * self.before + [1] * self.deaths + [0] * self.between + [1] * self.later
                + [0] * self.after)


@dataclass(frozen=True)
class _State:
    at_risk: int
    km: float
    cost: float
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class _Options:
    """Candidate steps from one state, as arrays: counts, survival at the landmark and cost."""

    before: np.ndarray
    deaths: np.ndarray
    between: np.ndarray
    later: np.ndarray
    after: np.ndarray
    value: np.ndarray

    def left(self, at_risk: int) -> np.ndarray:
        return at_risk - self.before - self.deaths - self.between - self.later - self.after

    def cost(self, expected: tuple[float, float]) -> np.ndarray:
        return count_cost(self.deaths + self.later, self.before + self.between + self.after, expected)

    def take(self, keep: np.ndarray) -> _Options:
        return _Options(*(getattr(self, f)[keep] for f in ("before", "deaths", "between", "later", "after",
                                                           "value")))


def count_cost(deaths: np.ndarray, losses: np.ndarray, expected: tuple[float, float]) -> np.ndarray:
    """How far an interval's deaths and censorings are from the counts the release expected (squared, scaled).

    Examples
    --------
    >>> float(count_cost(np.array(5), np.array(1), (3.0, 1.0)))
    1.0
    """
    return (deaths - expected[0]) ** 2 / (expected[0] + 1) + (losses - expected[1]) ** 2 / (expected[1] + 1)


def _pairs(at_risk: int, expected_losses: float) -> tuple[np.ndarray, np.ndarray]:
    """Candidate (censorings in the interval, of which before the deaths), all of them when few enough."""
    if (at_risk + 1) ** 2 <= _FULL_GRID:
        losses = np.arange(at_risk + 1)
    else:
        centre = int(round(expected_losses))   # near the expected number, and near none (the truth may have few)
        losses = np.union1d(np.arange(max(centre - _NEAR, 0), min(centre + _NEAR, at_risk) + 1),
                            np.arange(min(_NEAR, at_risk) + 1))
    total, before = np.meshgrid(losses, np.arange(losses.max() + 1), indexing="ij")
    keep = before <= total
    if keep.sum() > _FULL_GRID:                      # thin the split points, keeping both ends
        keep &= (before % max(1, int(losses.max() // 80)) == 0) | (before == total)
    return total[keep], before[keep]


def _deaths_for(s: float | np.ndarray, m: np.ndarray, lo: float, hi: float, most: np.ndarray, want: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """Deaths among ``m`` at risk that take survival ``s`` into [lo, hi], nearest ``want``; and whether any do."""
    with np.errstate(divide="ignore", invalid="ignore"):
        d_min = np.maximum(np.ceil(m * (1 - hi / s) - 1e-9), 0)
        d_max = np.minimum(np.floor(m * (1 - lo / s) + 1e-9), most)
    deaths = np.clip(np.round(want), d_min, d_max)
    return deaths, (d_min <= d_max) & (m > 0)


def _one_block(r: int, s: float, lo: float, hi: float, keep_one: bool, expected: tuple[float, float]) -> _Options:
    total, before = _pairs(r, expected[1])
    m = (r - before).astype(float)
    deaths, ok = _deaths_for(s, m, lo, hi, r - total - (1 if keep_one else 0), np.full(m.shape, expected[0]))
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(m > 0, s * (m - deaths) / m, s)
    zero = np.zeros_like(total)
    options = _Options(before, deaths.astype(int), zero, zero, total - before, value)
    return options.take(ok & (value >= lo) & (value <= hi))


def _two_blocks(r: int, s: float, lo: float, hi: float, keep_one: bool, expected: tuple[float, float]) -> _Options:
    """Deaths in two blocks with censorings between: survival values one block cannot take (small groups)."""
    before, first, between = (g.ravel() for g in np.meshgrid(np.arange(r + 1), np.arange(1, r + 1),
                                                             np.arange(1, r + 1), indexing="ij"))
    m1 = r - before
    m2 = m1 - first - between
    fits = (first < m1) & (m2 > 0)
    before, first, between, m1, m2 = before[fits], first[fits], between[fits], m1[fits], m2[fits]
    s1 = s * (m1 - first) / m1
    later, ok = _deaths_for(s1, m2.astype(float), lo, hi, m2 - (1 if keep_one else 0),
                            np.maximum(expected[0] - first, 1.0))
    ok &= later >= 1
    later = later.astype(int)
    nearest = np.clip(np.round(expected[1] - before - between), 0, m2 - later - (1 if keep_one else 0))
    value = s1 * (m2 - later) / m2
    keep = ok & (nearest >= 0) & (value >= lo) & (value <= hi)
    # censorings after the deaths: as many as expected, or none (more left at risk for the next landmark)
    columns = [np.concatenate([x[keep], x[keep]]) for x in (before, first, between, later)]
    after = np.concatenate([nearest[keep], np.zeros(int(keep.sum()))]).astype(int)
    return _Options(*columns, after, np.concatenate([value[keep], value[keep]]))


def evenly_spaced(size: int, count: int) -> np.ndarray:
    """Indices of at most ``count`` of ``size`` sorted levels, evenly across them, both ends included.

    Examples
    --------
    >>> evenly_spaced(10, 4).tolist()
    [0, 3, 6, 9]
    """
    return np.unique(np.linspace(0, size - 1, min(count, size)).round().astype(int))


def _spread_options(ranked: np.ndarray, left: np.ndarray, width: Width) -> np.ndarray:
    """The ``per_level`` cheapest options at each of ``spread`` numbers left at risk, evenly across their range.

    Several survival values per number at risk, because the next landmark's window may be reachable from
    only some of them.
    """
    levels = np.unique(left)
    picks = levels[evenly_spaced(levels.size, width.spread)]
    chosen = [ranked[left[ranked] == level][:width.per_level] for level in picks]      # ranked is cheapest first
    return np.concatenate(chosen) if chosen else ranked[:0]


def _grow(state: _State, lo: float, hi: float, keep_one: bool, expected: tuple[float, float], width: Width
          ) -> list[_State]:
    """The cheapest next states whose Kaplan–Meier value at the landmark lies in [lo, hi]."""
    found = [_one_block(state.at_risk, state.km, lo, hi, keep_one, expected)]
    if state.at_risk <= _TWO_BLOCKS and state.km > 0:
        found.append(_two_blocks(state.at_risk, state.km, lo, hi, keep_one, expected))
    grown = []
    for options in found:
        left, cost = options.left(state.at_risk), options.cost(expected)
        ranked = np.lexsort((options.value, -left, cost))
        _, first = np.unique(np.stack([left[ranked], np.round(options.value[ranked], 12)]), axis=1,
                             return_index=True)
        ranked = ranked[np.sort(first)]
        for i in np.concatenate([ranked[:width.per_state], _spread_options(ranked, left, width)]):
            step = Step(int(options.before[i]), int(options.deaths[i]), int(options.after[i]),
                        int(options.between[i]), int(options.later[i]))
            grown.append(_State(int(left[i]), float(options.value[i]), state.cost + float(cost[i]),
                                state.steps + (step,)))
    return grown


def plans(n: int, windows: list[tuple[float, float]], expected: list[tuple[float, float]],
          keep_one: list[bool], tries: int = 20, substeps: int = 1, width: Width = NARROW
          ) -> list[tuple[tuple[int, ...], ...]]:
    """Deaths and censorings in every interval that put Kaplan–Meier survival inside every window, nearest first.

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
    substeps : int, default 1
        Steps planned per interval: each is one or two blocks of deaths with censorings around them, so
        more steps reach survival values that need deaths in more blocks (small groups, low landmarks).
    width : Width, default NARROW
        How much of the search the beam keeps.

    Returns
    -------
    list of tuple of tuple of int
        Each plan: for each interval, its observations in time order (1 a death, 0 a censoring).
        Empty if the beam found none.

    Examples
    --------
    >>> plans(5, [(0.1995, 0.2005)], [(2.0, 1.0)], [True])[0]
    ((1, 1, 1, 1),)
    """
    beam = [_State(n, 1.0, 0.0, ())]
    for (lo, hi), (deaths, losses), one in zip(windows, expected, keep_one):
        share = (deaths / substeps, losses / substeps)
        for part in range(substeps):
            last = part == substeps - 1
            beam = _advance(beam, (lo, hi) if last else (lo, 1.0), one or not last, share, width)
    return [_labels(state.steps, substeps) for state in beam[:tries]]


def _advance(beam: list[_State], window: tuple[float, float], keep_one: bool, want: tuple[float, float],
             width: Width) -> list[_State]:
    grown: dict[tuple[int, float], _State] = {}
    for state in beam:
        for new in _grow(state, *window, keep_one, want, width):
            key = (new.at_risk, round(new.km, 12))
            if key not in grown or new.cost < grown[key].cost:
                grown[key] = new
    return _select(sorted(grown.values(), key=lambda x: (x.cost, -x.at_risk, x.km)), width)


def _labels(steps: tuple[Step, ...], substeps: int) -> tuple[tuple[int, ...], ...]:
    """Each interval's observations, its sub-steps joined."""
    return tuple(tuple(label for step in steps[i:i + substeps] for label in step.events)
                 for i in range(0, len(steps), substeps))


def _select(ranked: list[_State], width: Width) -> list[_State]:
    """The ``beam`` cheapest plans, then the cheapest at each of ``spread`` numbers at risk across the range.

    Plans nearest the expected counts can leave too few patients at risk for a later landmark's window
    (a low survival printed to one decimal needs enough at risk to be reachable), so the beam also keeps
    plans with more and fewer patients at risk than the cheapest ones.
    """
    beam = ranked[:width.beam]
    cheapest: dict[int, _State] = {}
    for state in ranked[width.beam:]:
        cheapest.setdefault(state.at_risk, state)
    if cheapest:
        levels = np.array(sorted(cheapest))
        picks = levels[evenly_spaced(levels.size, width.spread)]
        beam += [cheapest[int(level)] for level in picks]
    return beam


def interval_counts(times: np.ndarray, events: np.ndarray, cuts: list[float]) -> list[tuple[float, float]]:
    """Deaths and censorings of sorted data in each interval (previous cut, cut]."""
    counts, start = [], 0.0
    for cut in cuts:
        inside = (times > start) & (times <= cut)
        counts.append((float(np.sum(events[inside] == 1)), float(np.sum(events[inside] == 0))))
        start = cut
    return counts


def fill(intervals: tuple[tuple[int, ...], ...], cuts: list[float],
         death_times: Callable[[float, float, int], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Times and events of the planned intervals; ``death_times(start, stop, count)`` places the deaths.

    In each interval the deaths keep the places ``death_times`` gives them (nudged
    apart); each run of censorings is spread evenly between its neighbouring
    deaths (or the interval's ends).
    """
    times: list[float] = []
    events: list[int] = []
    start = 0.0
    for labels, stop in zip(intervals, cuts):
        width = stop - start
        count = sum(labels)
        if count:
            deaths = np.sort(np.clip(np.asarray(death_times(start, stop, count), dtype=float),
                                     start + 1e-4 * width, stop - 1e-4 * width))
            deaths = deaths + 1e-8 * width * np.arange(count) / count
        else:
            deaths = np.array([])
        times += _place_runs(list(labels), deaths, start, stop)
        events += labels
        start = stop
    return np.array(times, dtype=float), np.array(events, dtype=int)


def _place_runs(labels: list[int], deaths: np.ndarray, start: float, stop: float) -> list[float]:
    """Times for labels in order: deaths at ``deaths``, each run of censorings evenly in its gap."""
    edges = [start, *deaths.tolist(), stop]
    times: list[float] = []
    run, gap = 0, 0
    for label in labels + [1]:
        if label == 1:
            times += _spread(edges[gap], edges[gap + 1], run)
            if gap < deaths.size:
                times.append(float(deaths[gap]))
            run, gap = 0, gap + 1
        else:
            run += 1
    return times


def _spread(start: float, stop: float, count: int) -> list[float]:
    """``count`` times evenly inside the open interval (start, stop)."""
    return list(start + (stop - start) * (np.arange(count) + 1) / (count + 1))
