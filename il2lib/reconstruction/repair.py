"""Step 4 of the reconstruction for Kaplan–Meier landmarks: each brought inside its printed interval.

Deaths and censorings are moved across a landmark and reordered, touching only
the interval since the previous landmark.  Then, for either kind of landmark,
the median is kept on its printed side (reached, or not reached).  Internal to
:mod:`il2lib.reconstruction` (see its docstring for the method).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from il2lib.exceptions import ReconstructionError
from il2lib.reconstruction.kaplan_meier import crossing, km_at, km_range, order
from il2lib.reconstruction.summary import Spec, Target

__all__ = ["fit_km_landmark", "keep_not_reached", "ensure_crossing"]


def _count_changes(times: np.ndarray, events: np.ndarray, t: float, floor: float, lo: float, hi: float,
                   limit: int = 50) -> list[tuple[int, int]]:
    """Up to ``limit`` changes (deaths, censorings) in (floor, t] whose KM range meets [lo, hi], fewest moves first."""
    inside = (times > floor) & (times <= t)
    after = times > t
    at_risk = times.size - int(np.searchsorted(times, floor, side="right"))
    deaths, losses = int(np.sum(events[inside] == 1)), int(np.sum(events[inside] == 0))
    dd, dc = np.meshgrid(np.arange(-deaths, int(np.sum(events[after] == 1)) + 1),
                         np.arange(-losses, int(np.sum(events[after] == 0)) + 1), indexing="ij")
    low, high = km_range(km_at(times, events, floor), at_risk, deaths + dd, losses + dc)
    ok = (low <= hi) & (high >= lo)
    dd, dc = dd[ok], dc[ok]
    ranked = np.lexsort((dc, dd, np.abs(dc), np.abs(dd) + np.abs(dc)))[:limit]
    return [(int(a), int(b)) for a, b in zip(dd[ranked], dc[ranked])]


def _move_across(times: np.ndarray, events: np.ndarray, t: float, floor: float, label: int, count: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Move ``count`` observations with this label across t (``count < 0``: out of (floor, t]; ``> 0``: into it).

    The latest inside move out, just after t; the earliest after t move in,
    just before t; both evenly spaced between their new neighbours.
    """
    if count == 0:
        return times, events
    times = times.copy()
    inside = np.flatnonzero((times > floor) & (times <= t))
    after = np.flatnonzero(times > t)
    if count < 0:
        chosen = inside[events[inside] == label][count:]
        nxt = times[after[0]] if after.size else t + 1e-6 * max(t, 1.0)
        times[chosen] = t + (nxt - t) * (np.arange(chosen.size) + 1) / (chosen.size + 1)
    else:
        chosen = after[events[after] == label][:count]
        prv = times[inside[-1]] if inside.size else floor
        times[chosen] = prv + (t - prv) * (np.arange(chosen.size) + 1) / (chosen.size + 1)
    return order(times, events)


def _arrange(times: np.ndarray, events: np.ndarray, t: float, floor: float, lo: float, hi: float
             ) -> np.ndarray | None:
    """Swap neighbouring deaths and censorings in (floor, t] until KM(t) lies in [lo, hi]; None if it cannot.

    A swap changes one death's number at risk by one, a relative change of about
    1/r**2.  Each step takes the largest change that does not jump over the
    window (or one that lands in it), so the search ends in at most
    deaths x censorings steps.
    """
    events = events.copy()
    n = times.size
    idx = np.flatnonzero((times > floor) & (times <= t))
    if idx.size < 2:
        value = km_at(times, events, t)
        return events if lo <= value <= hi else None
    i = idx[:-1]
    r_first, r_second = (n - i).astype(float), (n - i - 1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = (1 - 1 / r_second) / (1 - 1 / r_first)   # death moves one place later: KM falls
    for _ in range(idx.size * idx.size + 1):
        value = km_at(times, events, t)
        if lo <= value <= hi:
            return events
        falling = value > hi
        pattern = (events[i] == 1) & (events[i + 1] == 0) if falling else (events[i] == 0) & (events[i + 1] == 1)
        with np.errstate(divide="ignore"):
            ratio = lower if falling else 1 / lower   # a zero ratio (the last at risk) is never taken
        new = np.where(pattern & np.isfinite(ratio) & (ratio > 0), value * ratio, np.nan)
        landing = np.flatnonzero((new >= lo) & (new <= hi))
        if landing.size:
            k = landing[-1]
        else:
            short = (new > hi) if falling else (new < lo)
            if not np.any(short):
                return None
            k = int(np.nanargmax(np.where(short, np.abs(new - value), np.nan)))
        events[i[k]], events[i[k] + 1] = events[i[k] + 1], events[i[k]]
    return None


def _retime(times: np.ndarray, before: np.ndarray, after: np.ndarray, t: float, floor: float) -> np.ndarray:
    """Times for a new order of deaths and censorings in (floor, t]: the deaths keep the interval's death times.

    :func:`_arrange` only reorders labels (``before`` -> ``after``).  Here the
    deaths get back the interval's death times, in order, and each censoring is
    placed evenly in the gap between its neighbouring deaths, so that the
    curve's steps stay where they were and only the numbers at risk change.
    """
    times = times.copy()
    idx = np.flatnonzero((times > floor) & (times <= t))
    if idx.size == 0:
        return times
    labels = after[idx]
    death_times = times[idx][before[idx] == 1]
    left = max(times[idx[0] - 1] if idx[0] > 0 else 0.0, floor)
    edges = np.concatenate([[left], death_times, [t]])
    deaths_so_far = np.cumsum(labels)
    new = np.empty(idx.size)
    new[labels == 1] = death_times
    for gap in np.unique(deaths_so_far[labels == 0]):
        members = np.flatnonzero((labels == 0) & (deaths_so_far == gap))
        start, stop = edges[gap], edges[gap + 1]
        new[members] = start + (stop - start) * (np.arange(members.size) + 1) / (members.size + 1)
    times[idx] = new
    return times


def fit_km_landmark(times: np.ndarray, events: np.ndarray, mark: Target, floor: float, lo: float, hi: float,
                    name: str) -> tuple[np.ndarray, np.ndarray]:
    """Bring KM(mark.time) into [lo, hi] touching only (floor, mark.time] and what follows.

    First the fewest deaths and censorings are moved across the landmark so that
    the window is within reach, then neighbouring deaths and censorings are
    swapped (see :func:`_arrange`).  If the window is reachable only in theory
    (steps coarser than the window), the next-fewest moves are tried.
    """
    if lo <= km_at(times, events, mark.time) <= hi:
        return times, events
    for dd, dc in _count_changes(times, events, mark.time, floor, lo, hi):
        t1, e1 = _move_across(times, events, mark.time, floor, 1, dd)
        t1, e1 = _move_across(t1, e1, mark.time, floor, 0, dc)
        arranged = _arrange(t1, e1, mark.time, floor, lo, hi)
        if arranged is not None:
            return _retime(t1, e1, arranged, mark.time, floor), arranged
    raise ReconstructionError(
        f"{name}: cannot make Kaplan–Meier survival at {mark.time:g} print as {mark.printed}% "
        f"(reached {100 * km_at(times, events, mark.time):.3f}% before repair)")


# --------------------------------------------------------------------------- the median's side


def keep_not_reached(spec: Spec, times: np.ndarray, events: np.ndarray) -> np.ndarray:
    """Median printed not reached: turn the latest tail deaths into censorings until KM stays above 50%."""
    last_mark = spec.landmarks[-1].time if spec.landmarks else 0.0
    latest_first = np.flatnonzero((events == 1) & (times > last_mark))[::-1]
    return _turn_until(events, latest_first, 0, lambda e: crossing(times, e) is None)


def ensure_crossing(spec: Spec, times: np.ndarray, events: np.ndarray) -> np.ndarray:
    """Median printed: if KM never reaches 50%, turn censorings after the median into deaths until it does.

    If that would turn the patient followed longest into a death (then the printed longest follow-up is
    lost when the death is moved to the median), censorings after the last landmark are turned instead,
    nearest the median first, leaving the last patient censored.
    """
    start = max(spec.median_lo, spec.landmarks[-1].time if spec.landmarks else 0.0)
    changed = _turn_until_crossing(times, events, np.flatnonzero((events == 0) & (times >= start)))
    if _crossing_past_a_later_landmark(spec, times, changed):
        return _cross_before_that_landmark(spec, times, changed)
    if changed[-1] == events[-1] or spec.median is None:
        return changed
    after = spec.landmarks[-1].time if spec.landmarks else 0.0
    others = np.flatnonzero((events[:-1] == 0) & (times[:-1] > after))
    if others.size == 0:
        return changed
    return _turn_until_crossing(times, events, np.append(_nearest_the_median(spec, times, others), events.size - 1))


def _first_landmark_after_median(spec: Spec) -> float | None:
    later = [mark.time for mark in spec.landmarks if spec.median is not None and mark.time >= spec.median_hi]
    return min(later) if later else None


def _crossing_past_a_later_landmark(spec: Spec, times: np.ndarray, events: np.ndarray) -> bool:
    """Whether the curve first reaches 50% at or after a landmark printed after the median (the warp keeps
    landmark times fixed, so that crossing cannot be moved back onto the median)."""
    where, later = crossing(times, events), _first_landmark_after_median(spec)
    return where is not None and later is not None and times[where] >= later


def _cross_before_that_landmark(spec: Spec, times: np.ndarray, events: np.ndarray) -> np.ndarray:
    """The curve reaches 50% only at a landmark after the median: cross earlier.

    A landmark of 0% at the end of follow-up does this: everyone left dies, the last at the end, and the
    curve can reach 50% only there.  Censorings after the last landmark above 50% are turned into deaths,
    before it, nearest the median first, until the curve reaches 50% before that landmark.
    """
    before = max((mark.time for mark in spec.landmarks if mark.time < spec.median_lo), default=0.0)
    later = _first_landmark_after_median(spec)
    others = np.flatnonzero((events[:-1] == 0) & (times[:-1] > before) & (times[:-1] < later))
    return _turn_until(events, _nearest_the_median(spec, times, others), 1,
                       lambda e: not _crossing_past_a_later_landmark(spec, times, e))


def _nearest_the_median(spec: Spec, times: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """``indices`` ordered by how near their times are to the printed median (ties keep their order)."""
    return indices[np.argsort(np.abs(times[indices] - spec.median), kind="stable")]


def _turn_until_crossing(times: np.ndarray, events: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Turn the censorings at ``order``, one by one, into deaths until the curve reaches 50%."""
    return _turn_until(events, order, 1, lambda e: crossing(times, e) is not None)


def _turn_until(events: np.ndarray, order: np.ndarray, label: int, done: Callable[[np.ndarray], bool]
                ) -> np.ndarray:
    """A copy of ``events`` with the observations at ``order`` set to ``label``, one by one, until ``done``."""
    events = events.copy()
    for i in order:
        if done(events):
            break
        events[i] = label
    return events
