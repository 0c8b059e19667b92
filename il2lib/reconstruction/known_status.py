"""Step 4 of the reconstruction for known-status landmarks: exact counts alive, dead and lost at each one.

The counts are chosen by a beam search, placed at quantiles of the target and
censoring curves, kept on the printed side of the median, and followed by a
Guyot-style tail.  Internal to :mod:`il2lib.reconstruction` (see its docstring
for the method).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from il2lib import rounding
from il2lib.exceptions import ReconstructionError
from il2lib.reconstruction.censoring import Censoring, loss_times, quantile_times
from il2lib.reconstruction.kaplan_meier import km_at, log_step, order
from il2lib.reconstruction.km_plan import evenly_spaced
from il2lib.reconstruction.release import release_tail
from il2lib.reconstruction.summary import HALF, Spec, Target
from il2lib.reconstruction.target import DEFAULT_CURVE, Curve, target_curve

__all__ = ["known_status_kind", "count_options"]

_MAX_PLANS = 4000     # beam width of the search for known-status counts
_EXHAUSTIVE = 150     # up to this many patients, every count of unknown status is searched (the book's largest: 128)
_LARGE_BEAM = 200     # beam width above that
_SPREAD = 40          # plans also kept (and tried) across this many numbers of patients lost
_TRIES = 20           # count plans tried, nearest first, until the median's side can be kept
_NEAR_LOST = 40       # above it, unknown-status counts searched on either side of the expected number


@dataclass(frozen=True)
class _Plan:
    """Patients alive (time >= t) and dead before t at each landmark t."""

    alive: tuple[int, ...]
    dead: tuple[int, ...]

    def lost(self, n: int) -> tuple[int, ...]:
        return tuple(n - a - d for a, d in zip(self.alive, self.dead))


def count_options(n: int, mark: Target, lost: tuple[int, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(alive, dead) with alive + dead <= n whose share prints as the landmark, as two arrays.

    ``lost`` limits the patients of unknown status (``n - alive - dead``) to a closed range.  The share
    prints as the landmark exactly when it lies in the closed rounding interval, so the alive counts
    are a range for each number known, computed in whole numbers.
    """
    lo, hi = rounding.interval(mark.printed)      # in percent, exact fractions
    fewest, most = lost if lost is not None else (0, n - 1)
    known = np.arange(max(n - most, 1), n - max(fewest, 0) + 1, dtype=np.int64)
    low = np.maximum(-((-lo.numerator * known) // (100 * lo.denominator)), 0)   # ceil(lo * known / 100)
    high = np.minimum((hi.numerator * known) // (100 * hi.denominator), known)   # floor(hi * known / 100)
    counts = np.maximum(high - low + 1, 0)
    alive = np.repeat(low, counts) + np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return alive, np.repeat(known, counts) - alive


def _expected_losses(spec: Spec, censor: Curve) -> list[float]:
    """Patients censored before each landmark if censoring were only the calibrated censoring curve."""
    anchor_t = [0.0] + [m.time for m in spec.landmarks]
    anchor_s = [1.0] + [(m.lo + m.hi) / 2 for m in spec.landmarks]
    grid = censor.t
    alive = np.interp(0.5 * (grid[1:] + grid[:-1]), anchor_t, anchor_s)
    lost = np.concatenate([[0.0], np.cumsum(alive * -np.diff(censor.v))])
    return [float(spec.n * np.interp(m.time, grid, lost)) for m in spec.landmarks]


def _km_range_ok(spec: Spec, time: float, km_max: np.ndarray, km_min: np.ndarray) -> np.ndarray:
    """Can the Kaplan–Meier value at a landmark sit on the right side of 50% for the printed median?"""
    if spec.median is None or time < spec.median_lo:
        return km_max > HALF
    if time > spec.median_hi:
        return km_min <= HALF
    return np.ones(np.shape(km_max), dtype=bool)


@dataclass
class _Beam:
    """Plans so far, one row each: alive and dead counts at each landmark, cost, and the KM range they allow."""

    alive: np.ndarray      # plans x landmarks so far
    dead: np.ndarray
    cost: np.ndarray
    km_max: np.ndarray
    km_min: np.ndarray

    def last(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if self.alive.shape[1] == 0:
            return np.full(len(self.cost), n), np.zeros(len(self.cost), dtype=np.int64)
        return self.alive[:, -1], self.dead[:, -1]


def _grow(beam: _Beam, spec: Spec, mark: Target, options: tuple[np.ndarray, np.ndarray], expected: float,
          width: int) -> _Beam | None:
    """Every plan extended by every option it allows, the ``width`` cheapest kept; None if there is none.

    Ties in cost are broken by the alive counts, then the dead counts, in landmark order.  The cheapest
    plan at each of ``_SPREAD`` numbers of patients lost is kept too, since a later landmark may need
    more or fewer losses than the cheapest plans have.
    """
    a, d = (x[None, :] for x in options)
    a0, d0 = (x[:, None] for x in beam.last(spec.n))
    lost, lost0 = spec.n - a - d, spec.n - a0 - d0
    deaths = d - d0
    with np.errstate(divide="ignore", invalid="ignore"):
        hi = beam.km_max[:, None] * (a0 - deaths) / a0
        lo = beam.km_min[:, None] * np.where(a + deaths > 0, a / (a + deaths), 0.0)
    ok = (a <= a0) & (d >= d0) & (lost >= lost0) & _km_range_ok(spec, mark.time, hi, lo)
    plan, option = np.nonzero(ok)
    if plan.size == 0:
        return None
    cost = beam.cost[plan] + (lost[0, option] - expected) ** 2 / (expected + 1)
    alive = np.column_stack([beam.alive[plan], options[0][option]])
    dead = np.column_stack([beam.dead[plan], options[1][option]])
    ranked = np.lexsort([*dead.T[::-1], *alive.T[::-1], cost])
    keep = ranked[:width]
    lost_now = (spec.n - alive[:, -1] - dead[:, -1])[ranked]     # also the cheapest at each of several
    levels, first = np.unique(lost_now, return_index=True)         # numbers lost, across their range
    keep = np.concatenate([keep, np.setdiff1d(ranked[first[evenly_spaced(levels.size, _SPREAD)]], keep)])
    return _Beam(alive[keep], dead[keep], cost[keep], hi[plan, option][keep], lo[plan, option][keep])


def _options_near(n: int, mark: Target, expected: float, widen: bool) -> tuple[np.ndarray, np.ndarray]:
    """Count options at a landmark: all for small groups, else near the expected losses and near none."""
    if widen or n <= _EXHAUSTIVE:
        return count_options(n, mark)
    ranges = sorted({(0, _NEAR_LOST), (max(int(expected) - _NEAR_LOST, 0), int(expected) + _NEAR_LOST)})
    if ranges[0][1] >= ranges[-1][0]:
        ranges = [(ranges[0][0], max(r[1] for r in ranges))]
    parts = [count_options(n, mark, lost) for lost in ranges]
    return np.concatenate([a for a, _ in parts]), np.concatenate([d for _, d in parts])


def _tries(beam: _Beam, n: int) -> list[int]:
    """Rows of the final beam to try in turn: the ``_TRIES`` cheapest, then for each landmark the cheapest
    plan at each of ``_SPREAD`` numbers of patients lost there (a median just before a landmark may need
    fewer losses than the censoring curve expects)."""
    rows = list(range(min(_TRIES, len(beam.cost))))      # the beam is sorted cheapest first
    lost = n - beam.alive - beam.dead
    for k in range(lost.shape[1]):
        levels, first = np.unique(lost[:, k], return_index=True)
        rows += [int(i) for i in np.sort(first[evenly_spaced(levels.size, _SPREAD)]) if i not in rows]
    return rows


def _plan_counts(spec: Spec, censor: Curve, name: str) -> list[_Plan]:
    """Integer alive/dead counts at every landmark that print as the shares, nearest the expected losses first.

    A beam search over the landmarks in time order; alive counts cannot rise,
    deaths and losses cannot fall, and the Kaplan–Meier range that the counts
    allow must be compatible with the printed median (or "not reached").  Up to
    ``_EXHAUSTIVE`` patients every count is searched; above, the numbers of
    unknown status near those the censoring curve predicts, then all of them
    if that finds nothing.
    """
    expected = _expected_losses(spec, censor)
    for widen in (False, True):
        beam: _Beam | None = _Beam(np.zeros((1, 0), dtype=np.int64), np.zeros((1, 0), dtype=np.int64),
                                   np.zeros(1), np.ones(1), np.ones(1))
        width = _MAX_PLANS if spec.n <= _EXHAUSTIVE else _LARGE_BEAM
        for k, mark in enumerate(spec.landmarks):
            options = _options_near(spec.n, mark, expected[k], widen)
            if not options[0].size and (widen or spec.n <= _EXHAUSTIVE):
                raise ReconstructionError(f"{name}: no count of patients alive among {spec.n} known prints as "
                                          f"{mark.printed}% at {mark.time:g}")
            beam = _grow(beam, spec, mark, options, expected[k], width) if options[0].size else None
            if beam is None:
                break
        if beam is not None:
            # the cheapest plans, then the cheapest at each of several numbers lost at each landmark
            tried = _tries(beam, spec.n)
            return [_Plan(tuple(int(x) for x in beam.alive[i]), tuple(int(x) for x in beam.dead[i])) for i in tried]
        if spec.n <= _EXHAUSTIVE:
            break
    raise ReconstructionError(
        f"{name}: the known-status share {mark.printed}% at {mark.time:g} cannot follow the earlier "
        f"landmarks with n = {spec.n}" + ("" if spec.median is None else f" and median {spec.median:g}"))


# --------------------------------------------------------------------------- placing the counts


def _fill_counts(spec: Spec, plan: _Plan, target: Curve, censor: Curve, timing: str = "spread"
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Deaths and losses of each interval between landmarks, at quantiles of the target and censoring curves."""
    times, events = [], []
    start, a0, d0 = 0.0, spec.n, 0
    for mark, a, d in zip(spec.landmarks, plan.alive, plan.dead):
        deaths, losses = d - d0, (a0 - a) - (d - d0)
        width = mark.time - start
        times += list(quantile_times(target, start, mark.time, deaths)) if deaths else []
        events += [1] * deaths
        if losses:
            lost = loss_times(censor, start, mark.time, losses, timing)
            times += list(np.minimum(lost, mark.time - 1e-9 * width))
            events += [0] * losses
        start, a0, d0 = mark.time, a, d
    times += [math.inf] * a0  # still at risk after the last landmark: placeholders until the tail is released
    events += [0] * a0
    return order(np.array(times, dtype=float), np.array(events, dtype=int))


def _swap_within(times: np.ndarray, events: np.ndarray, t: float, landmarks: np.ndarray, raise_km: bool,
                 floor: float) -> np.ndarray:
    """Swap neighbouring deaths and censorings in (floor, t], never across a landmark, to move KM(t) up or down.

    Counts on each side of every landmark are unchanged, so known-status shares are kept.  Stops as soon as
    KM(t) is on the wanted side of 50%, or when no swap is left.
    """
    events = events.copy()
    n, k = events.size, int(np.searchsorted(times, t, side="right"))
    block = np.searchsorted(landmarks, times, side="left")  # interval index of each observation
    wanted = (0, 1) if raise_km else (1, 0)  # (first, second) labels that a swap turns round
    log_km = _log(km_at(times, events, t))
    swapped = True
    while swapped:
        swapped = False
        for i in range(k - 2, -1, -1):
            if times[i] <= floor:
                break
            if block[i] == block[i + 1] and (events[i], events[i + 1]) == wanted:
                events[i], events[i + 1] = events[i + 1], events[i]
                swapped = True
                # the death moves one place, so one more or one fewer is at risk when it happens
                change = log_step(n - i) - log_step(n - i - 1)
                log_km += change if raise_km else -change
                if not math.isfinite(log_km) or abs(math.exp(log_km) - HALF) < 1e-9:
                    log_km = _log(km_at(times, events, t))      # near 50%, or at 0: computed exactly
                if (math.exp(log_km) > HALF) == raise_km:
                    return events
    return events


def _log(value: float) -> float:
    return math.log(value) if value > 0 else -math.inf


def _median_side(spec: Spec, times: np.ndarray, events: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Keep KM above 50% at landmarks before the median (or everywhere if not reached) and at or below after."""
    marks = np.array([m.time for m in spec.landmarks])
    floor = 0.0
    # the last landmark the curve must stay above 50% at: lowering the curve after it moves none of those
    settled = max([m.time for m in spec.landmarks if spec.median is not None and m.time < spec.median_lo],
                  default=0.0)
    for m in spec.landmarks:
        value = km_at(times, events, m.time)
        if spec.median is None or m.time < spec.median_lo:
            if value <= HALF:
                events = _swap_within(times, events, m.time, marks, True, 0.0)
        elif m.time > spec.median_hi and value > HALF:
            events = _swap_within(times, events, m.time, marks, False, floor)
            if km_at(times, events, m.time) > HALF:     # reorder the earlier intervals after the median too
                events = _swap_within(times, events, m.time, marks, False, settled)
            if km_at(times, events, m.time) > HALF:     # and before it, if those landmarks stay above 50%
                lowered = _swap_within(times, events, m.time, marks, False, 0.0)
                if all(km_at(times, lowered, b.time) > HALF for b in spec.landmarks if b.time < spec.median_lo):
                    events = lowered
        value = km_at(times, events, m.time)
        if not _km_range_ok(spec, m.time, value, value):
            side = "above" if spec.median is None or m.time < spec.median_lo else "at or below"
            raise ReconstructionError(f"{name}: the counts at {m.time:g} leave Kaplan–Meier survival "
                                      f"{100 * value:.1f}%, which cannot be {side} 50% as the median requires")
        floor = m.time
    return times, events


def known_status_kind(spec: Spec, target: Curve, censor_model: Censoring, name: str, timing: str = "spread",
                      curve: str = DEFAULT_CURVE) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Exact counts at the landmarks, then a Guyot-style tail; returns the data and notes on the counts."""
    censor = censor_model.curve()
    plans = _plan_counts(spec, censor, name)
    for plan in plans[:-1]:     # the nearest plan whose counts let the curve sit on the median's printed side
        try:
            return _from_plan(spec, plan, target, censor, name, timing, curve)
        except ReconstructionError:
            continue
    return _from_plan(spec, plans[-1], target, censor, name, timing, curve)


def _from_plan(spec: Spec, plan: _Plan, target: Curve, censor: Curve, name: str, timing: str, curve: str
               ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    times = events = np.array([])
    for _ in range(2):  # second pass: the curve re-anchored on the reconstruction's own KM at the landmarks
        times, events = _fill_counts(spec, plan, target, censor, timing)
        times, events = _median_side(spec, times, events, name)
        anchors = [(m.time, km_at(times, events, m.time)) for m in spec.landmarks]
        if spec.median is not None and all(abs(m.time - spec.median) > 1e-12 for m in spec.landmarks):
            anchors.append((spec.median, 0.5))
        target = target_curve(anchors, spec.max_fu, spec.median is None, spec.n, curve)
    last = spec.landmarks[-1].time
    remaining = plan.alive[-1]
    known = np.isfinite(times)
    if remaining:
        tail_t, tail_e = release_tail(target, censor, times, events, last, spec.max_fu, remaining)
        times, events = order(np.concatenate([times[known], tail_t]),
                              np.concatenate([events[known], tail_e]).astype(int))
    lost = plan.lost(spec.n)
    notes = [f"{l} of {spec.n} patients of unknown status (censored) before {m.time:g}; "
             f"{a}/{a + d} alive among those known"
             for m, a, d, l in zip(spec.landmarks, plan.alive, plan.dead, lost)]
    return times, events, notes
