"""Step 4 of the reconstruction for known-status landmarks: exact counts alive, dead and lost at each one.

The counts are chosen by a beam search, placed at quantiles of the target and
censoring curves, kept on the printed side of the median, and followed by a
Guyot-style tail.  Internal to :mod:`il2lib.reconstruction` (see its docstring
for the method).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from il2lib import rounding
from il2lib.exceptions import ReconstructionError
from il2lib.reconstruction.censoring import Censoring, loss_times, quantile_times
from il2lib.reconstruction.kaplan_meier import km_at, order, reverse_km_at
from il2lib.reconstruction.release import release
from il2lib.reconstruction.summary import HALF, Spec, Target
from il2lib.reconstruction.target import Curve, target_curve

__all__ = ["known_status_kind"]

_MAX_PLANS = 4000     # beam width of the search for known-status counts


@dataclass(frozen=True)
class _Plan:
    """Patients alive (time >= t) and dead before t at each landmark t."""

    alive: tuple[int, ...]
    dead: tuple[int, ...]

    def lost(self, n: int) -> tuple[int, ...]:
        return tuple(n - a - d for a, d in zip(self.alive, self.dead))


def _count_options(n: int, mark: Target) -> list[tuple[int, int]]:
    """(alive, dead) with alive + dead <= n whose share prints as the landmark."""
    lo, hi = rounding.interval(mark.printed)
    options = []
    for known in range(1, n + 1):
        low = math.ceil(lo * known / 100)
        high = math.floor(hi * known / 100)
        for alive in range(max(low, 0), min(high, known) + 1):
            if rounding.agrees(Fraction(100 * alive, known), mark.printed):
                options.append((alive, known - alive))
    return options


def _expected_losses(spec: Spec, censor: Curve) -> list[float]:
    """Patients censored before each landmark if censoring were only the calibrated censoring curve."""
    anchor_t = [0.0] + [m.time for m in spec.landmarks]
    anchor_s = [1.0] + [(m.lo + m.hi) / 2 for m in spec.landmarks]
    grid = censor.t
    alive = np.interp(0.5 * (grid[1:] + grid[:-1]), anchor_t, anchor_s)
    lost = np.concatenate([[0.0], np.cumsum(alive * -np.diff(censor.v))])
    return [float(spec.n * np.interp(m.time, grid, lost)) for m in spec.landmarks]


def _km_range_ok(spec: Spec, time: float, km_max: float, km_min: float) -> bool:
    """Can the Kaplan–Meier value at a landmark sit on the right side of 50% for the printed median?"""
    if spec.median is None or time < spec.median_lo:
        return km_max > HALF
    if time > spec.median_hi:
        return km_min <= HALF
    return True


def _plan_counts(spec: Spec, censor: Curve, name: str) -> _Plan:
    """Integer alive/dead counts at every landmark that print as the shares, nearest the expected losses.

    A beam search over the landmarks in time order; alive counts cannot rise,
    deaths and losses cannot fall, and the Kaplan–Meier range that the counts
    allow must be compatible with the printed median (or "not reached").
    """
    expected = _expected_losses(spec, censor)
    beam = [((), (), 0.0, 1.0, 1.0)]  # alive, dead, cost, KM max, KM min
    for k, mark in enumerate(spec.landmarks):
        options = _count_options(spec.n, mark)
        if not options:
            raise ReconstructionError(f"{name}: no count of patients alive among {spec.n} known prints as "
                                      f"{mark.printed}% at {mark.time:g}")
        grown = []
        for alive, dead, cost, km_max, km_min in beam:
            a0, d0 = (alive[-1], dead[-1]) if alive else (spec.n, 0)
            lost0 = spec.n - a0 - d0
            for a, d in options:
                lost = spec.n - a - d
                if a > a0 or d < d0 or lost < lost0:
                    continue
                deaths = d - d0
                hi = km_max * (a0 - deaths) / a0
                lo = km_min * (a / (a + deaths) if a + deaths else 0.0)
                if not _km_range_ok(spec, mark.time, hi, lo):
                    continue
                step = (lost - expected[k]) ** 2 / (expected[k] + 1)
                grown.append((alive + (a,), dead + (d,), cost + step, hi, lo))
        if not grown:
            raise ReconstructionError(
                f"{name}: the known-status share {mark.printed}% at {mark.time:g} cannot follow the earlier "
                f"landmarks with n = {spec.n}" + ("" if spec.median is None else f" and median {spec.median:g}"))
        grown.sort(key=lambda p: (p[2], p[0], p[1]))
        beam = grown[:_MAX_PLANS]
    alive, dead, *_ = beam[0]
    return _Plan(alive, dead)


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
    k = int(np.searchsorted(times, t, side="right"))
    block = np.searchsorted(landmarks, times, side="left")  # interval index of each observation
    wanted = (0, 1) if raise_km else (1, 0)  # (first, second) labels that a swap turns round
    swapped = True
    while swapped:
        swapped = False
        for i in range(k - 2, -1, -1):
            if times[i] <= floor:
                break
            if block[i] == block[i + 1] and (events[i], events[i + 1]) == wanted:
                events[i], events[i + 1] = events[i + 1], events[i]
                swapped = True
                if (km_at(times, events, t) > HALF) == raise_km:
                    return events
    return events


def _median_side(spec: Spec, times: np.ndarray, events: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Keep KM above 50% at landmarks before the median (or everywhere if not reached) and at or below after."""
    marks = np.array([m.time for m in spec.landmarks])
    floor = 0.0
    for m in spec.landmarks:
        value = km_at(times, events, m.time)
        if spec.median is None or m.time < spec.median_lo:
            if value <= HALF:
                events = _swap_within(times, events, m.time, marks, True, 0.0)
        elif m.time > spec.median_hi and value > HALF:
            events = _swap_within(times, events, m.time, marks, False, floor)
        value = km_at(times, events, m.time)
        if not _km_range_ok(spec, m.time, value, value):
            side = "above" if spec.median is None or m.time < spec.median_lo else "at or below"
            raise ReconstructionError(f"{name}: the counts at {m.time:g} leave Kaplan–Meier survival "
                                      f"{100 * value:.1f}%, which cannot be {side} 50% as the median requires")
        floor = m.time
    return times, events


def known_status_kind(spec: Spec, target: Curve, censor_model: Censoring, name: str, timing: str = "spread"
                      ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Exact counts at the landmarks, then a Guyot-style tail; returns the data and notes on the counts."""
    censor = censor_model.curve()
    plan = _plan_counts(spec, censor, name)
    times = events = np.array([])
    for _ in range(2):  # second pass: the curve re-anchored on the reconstruction's own KM at the landmarks
        times, events = _fill_counts(spec, plan, target, censor, timing)
        times, events = _median_side(spec, times, events, name)
        anchors = [(m.time, km_at(times, events, m.time)) for m in spec.landmarks]
        if spec.median is not None and all(abs(m.time - spec.median) > 1e-12 for m in spec.landmarks):
            anchors.append((spec.median, 0.5))
        target = target_curve(anchors, spec.max_fu, spec.median is None, spec.n)
    last = spec.landmarks[-1].time
    remaining = plan.alive[-1]
    known = np.isfinite(times)
    if remaining:
        if last >= spec.max_fu:
            tail_t, tail_e = [spec.max_fu] * remaining, [0] * remaining
        else:
            tail_t, tail_e = release(target, censor, last, spec.max_fu, remaining,
                                     km_at(times, events, last), reverse_km_at(times, events, last))
        times, events = order(np.concatenate([times[known], tail_t]),
                              np.concatenate([events[known], tail_e]).astype(int))
    lost = plan.lost(spec.n)
    notes = [f"{l} of {spec.n} patients of unknown status (censored) before {m.time:g}; "
             f"{a}/{a + d} alive among those known"
             for m, a, d, l in zip(spec.landmarks, plan.alive, plan.dead, lost)]
    return times, events, notes
