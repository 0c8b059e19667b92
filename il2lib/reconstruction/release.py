"""Step 3 of the reconstruction: integer counts, Guyot-style, and the driver for Kaplan–Meier landmarks.

Patients are released one at a time with a self-correcting rounding against the
target and censoring curves; with Kaplan–Meier landmarks each landmark is then
repaired in time order (:mod:`il2lib.reconstruction.repair`).  Internal to
:mod:`il2lib.reconstruction` (see its docstring for the method).
"""

from __future__ import annotations

import numpy as np

from il2lib.reconstruction.censoring import Censoring
from il2lib.reconstruction.kaplan_meier import order
from il2lib.reconstruction.repair import fit_km_landmark
from il2lib.reconstruction.summary import HALF, Spec
from il2lib.reconstruction.target import Curve

__all__ = ["release", "km_kind"]

_EPS = 1e-9           # relative spacing that keeps reconstructed times distinct


def release(target: Curve, censor: Curve, start: float, stop: float, at_risk: int, km: float = 1.0,
            reverse_km: float = 1.0) -> tuple[list[float], list[int]]:
    """Release ``at_risk`` patients after ``start``, one at a time, tracking both curves (midpoint rule).

    The target curves are rescaled so that they start from the reconstruction's
    own Kaplan–Meier and reverse Kaplan–Meier values at ``start``.  The last
    patient is the one followed longest: censored at ``stop``.
    """
    s_scale = target(start) / km if km > 0 else 1.0
    g_scale = censor(start) / reverse_km if reverse_km > 0 else 1.0
    times: list[float] = []
    events: list[int] = []
    now, spacing = start, _EPS * max(stop, 1.0)
    r = at_risk
    while r > 1:
        death = target.first_at_or_below(km * (1 - 0.5 / r) * s_scale)
        loss = censor.first_at_or_below(reverse_km * (1 - 0.5 / r) * g_scale)
        death, loss = max(death, now + spacing), max(min(loss, stop), now + spacing)
        if death <= loss:
            now, km = death, km * (1 - 1 / r)
            events.append(1)
        else:
            now, reverse_km = loss, reverse_km * (1 - 1 / r)
            events.append(0)
        times.append(now)
        r -= 1
    if r == 1:
        times.append(max(stop, now + spacing))
        events.append(0)
    return times, events


def km_kind(spec: Spec, target: Curve, censor_model: Censoring, name: str) -> tuple[np.ndarray, np.ndarray]:
    times, events = release(target, censor_model.curve(), 0.0, spec.max_fu, spec.n)
    times, events = order(np.array(times), np.array(events, dtype=int))
    if any(mark.hi < 1 / spec.n for mark in spec.landmarks):
        events[-1] = 1   # survival printed as 0%: the patient followed longest died then (nobody is left)
    floor = 0.0
    for mark in spec.landmarks:
        # a hair inside, so float noise cannot print differently; 0 and 1 are exact and stay reachable
        lo = mark.lo + 1e-12 if mark.lo > 0 else 0.0
        hi = mark.hi - 1e-12 if mark.hi < 1 else 1.0
        if spec.median is None or mark.time < spec.median_lo:
            lo = max(lo, float(np.nextafter(HALF, 1.0)))  # the median: first time S <= 0.5 (to rounding)
        elif mark.time > spec.median_hi:
            hi = min(hi, HALF)
        times, events = fit_km_landmark(times, events, mark, floor, lo, hi, name)
        floor = mark.time
    return times, events
