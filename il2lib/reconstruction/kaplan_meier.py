"""Kaplan–Meier values of sorted data with distinct times, computed as lifelines does; every step uses them.

Internal to :mod:`il2lib.reconstruction`.
"""

from __future__ import annotations

import math

import numpy as np

from il2lib import survival

__all__ = ["order", "km_at", "reverse_km_at", "crossing", "reverse_crossing", "km_range", "log_step"]


def order(times: np.ndarray, events: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort by time, deaths before censorings at equal times (lifelines' at-risk convention)."""
    order = np.lexsort((1 - events, times))
    return times[order], events[order]


def _km_path(events: np.ndarray) -> np.ndarray:
    """Kaplan–Meier value after each observation of sorted data with distinct times.

    Computed as lifelines does, ``exp(cumsum(log(r - d) - log(r)))``, so that a
    value of exactly one half falls on the same side of 0.5 here and there.
    """
    r = (events.size - np.arange(events.size)).astype(float)
    with np.errstate(divide="ignore"):
        steps = np.where(events == 1, np.log(r - 1) - np.log(r), 0.0)
    return np.exp(np.cumsum(steps))


def log_step(at_risk: int) -> float:
    """What one death among ``at_risk`` adds to log Kaplan–Meier survival (the expression of :func:`_km_path`).

    Examples
    --------
    >>> round(log_step(4), 6), log_step(1)
    (-0.287682, -inf)
    """
    return math.log(at_risk - 1) - math.log(at_risk) if at_risk > 1 else -math.inf


def km_at(times: np.ndarray, events: np.ndarray, t: float) -> float:
    """Kaplan–Meier value at t of sorted data with distinct times."""
    k = int(np.searchsorted(times, t, side="right"))
    return float(_km_path(events)[k - 1]) if k else 1.0


def reverse_km_at(times: np.ndarray, events: np.ndarray, t: float) -> float:
    return km_at(times, 1 - events, t)


def crossing(times: np.ndarray, events: np.ndarray, level: float = 0.5) -> int | None:
    """Index of the first death at which the Kaplan–Meier curve is at or below ``level`` (to rounding)."""
    path = _km_path(events)
    hits = np.flatnonzero((path <= level + survival.HALF_TOLERANCE) & (events == 1))
    return int(hits[0]) if hits.size else None


def reverse_crossing(times: np.ndarray, events: np.ndarray) -> int | None:
    return crossing(times, 1 - events)


def km_range(km_before: float, at_risk: int, deaths: np.ndarray, losses: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan–Meier values reachable after an interval with these deaths and censorings, in any order.

    Lowest with every censoring first, highest with every censoring last
    (vectorised over arrays of ``deaths`` and ``losses``).
    """
    left = at_risk - losses
    possible = (deaths <= left) & (left > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(possible, km_before * (left - deaths) / left, 0.0)
    high = np.where(possible, km_before * (at_risk - deaths) / at_risk, 0.0)
    return low, high
