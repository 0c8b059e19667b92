"""Step 3 of the reconstruction: integer counts, Guyot-style, and the driver for Kaplan–Meier landmarks.

Patients are released one at a time with a self-correcting rounding against the
target and censoring curves; with Kaplan–Meier landmarks each landmark is then
repaired in time order (:mod:`il2lib.reconstruction.repair`).  Internal to
:mod:`il2lib.reconstruction` (see its docstring for the method).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from il2lib.exceptions import ReconstructionError
from il2lib.reconstruction import km_exact, km_plan
from il2lib.reconstruction.censoring import Censoring, quantile_times
from il2lib.reconstruction.kaplan_meier import km_at, order, reverse_km_at
from il2lib.reconstruction.repair import fit_km_landmark
from il2lib.reconstruction.summary import HALF, Spec, Target
from il2lib.reconstruction.target import Curve

__all__ = ["release", "release_tail", "km_candidates", "km_window"]

_SUBSTEPS = (1, 2, 3)   # steps per interval of the count plans tried in turn (more reach rarer survival values)
_SMALL = 60             # groups up to this size also get more steps and the wide beam
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


def release_tail(target: Curve, censor: Curve, times: np.ndarray, events: np.ndarray, start: float, stop: float,
                 count: int) -> tuple[list[float], list[int]]:
    """The ``count`` patients still at risk after ``start``, released to ``stop`` from the curves the data
    reach there; all censored at ``stop`` when ``start`` is already the end of follow-up."""
    if start >= stop:
        return [stop] * count, [0] * count
    return release(target, censor, start, stop, count, km_at(times, events, start),
                   reverse_km_at(times, events, start))


def km_window(spec: Spec, mark: Target, hair: float = 1e-12) -> tuple[float, float]:
    """The Kaplan–Meier values at a landmark that print as it and keep the median on its printed side.

    ``hair`` > 0 keeps a hair inside the printed interval, so float noise cannot print differently (0 and 1
    are exact and stay reachable); ``hair`` < 0 admits values a hair outside, such as 1/8 printed as 13%,
    which sits exactly on the interval's end, for a caller that checks what it builds.
    """
    lo = mark.lo + hair if mark.lo > 0 else 0.0
    hi = mark.hi - hair if mark.hi < 1 else 1.0
    if spec.median is None or mark.time < spec.median_lo:
        lo = max(lo, float(np.nextafter(HALF, 1.0)))  # the median: first time S <= 0.5 (to rounding)
    elif mark.time > spec.median_hi:
        hi = min(hi, HALF)
    return lo, hi


def km_candidates(spec: Spec, target: Curve, censor_model: Censoring, name: str
                  ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Data sets whose Kaplan–Meier landmarks are inside their printed windows, best first.

    First the release with each landmark repaired in turn; then, if the repair
    fails or the caller asks for more (a later target missed), data built from
    the count plans of :mod:`il2lib.reconstruction.km_plan`, nearest the
    release's counts first, or, when they have none, of
    :mod:`il2lib.reconstruction.km_exact`.

    Raises
    ------
    ReconstructionError
        The repair's error, when the repair fails and no count plan exists.
    """
    censor = censor_model.curve()
    times, events = release(target, censor, 0.0, spec.max_fu, spec.n)
    times, events = order(np.array(times), np.array(events, dtype=int))
    if any(mark.hi < 1 / spec.n for mark in spec.landmarks):
        events[-1] = 1   # survival printed as 0%: the patient followed longest died then (nobody is left)
    failure = None
    try:
        yield _repaired(spec, times, events, name)
    except ReconstructionError as err:
        failure = err
    if not spec.landmarks:
        return
    cuts = [mark.time for mark in spec.landmarks]
    windows = [km_window(spec, mark, hair=-1e-12) for mark in spec.landmarks]   # every plan's data are checked
    keep_one = [mark.time < spec.max_fu for mark in spec.landmarks]   # someone is followed past it
    expected = km_plan.interval_counts(times, events, cuts)
    found = False
    for labels in _count_plans(spec.n, windows, expected, keep_one):
        found = True
        yield _planned(spec, target, censor, labels)
    if failure is not None and not found:
        raise failure


def _count_plans(n: int, windows: list[tuple[float, float]], expected: list[tuple[float, float]],
                 keep_one: list[bool]) -> Iterator[tuple[tuple[int, ...], ...]]:
    """The beam searches' plans (:mod:`.km_plan`), one shape after another; if none has any, the exhaustive
    search's (:mod:`.km_exact`)."""
    searches = [(substeps, km_plan.NARROW) for substeps in _SUBSTEPS]
    if n <= _SMALL:      # cheap for small groups: finer interleavings and a wider beam
        searches += [(6, km_plan.NARROW), (3, km_plan.WIDE), (6, km_plan.WIDE)]
    found = False
    for substeps, width in searches:
        for labels in km_plan.plans(n, windows, expected, keep_one, substeps=substeps, width=width):
            found = True
            yield labels
    if not found:        # finer interleavings than the plans' blocks
        yield from km_exact.plans(n, windows, expected, keep_one)


def _repaired(spec: Spec, times: np.ndarray, events: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    floor = 0.0
    for mark in spec.landmarks:
        lo, hi = km_window(spec, mark)
        times, events = fit_km_landmark(times, events, mark, floor, lo, hi, name)
        floor = mark.time
    return times, events


def _planned(spec: Spec, target: Curve, censor: Curve, labels: tuple[tuple[int, ...], ...]
             ) -> tuple[np.ndarray, np.ndarray]:
    """The data of a count plan: deaths at the target's quantiles, then the tail released after the last landmark."""
    cuts = [mark.time for mark in spec.landmarks]
    times, events = km_plan.fill(labels, cuts, lambda a, b, k: quantile_times(target, a, b, k))
    left = spec.n - times.size
    tail_t, tail_e = release_tail(target, censor, times, events, cuts[-1], spec.max_fu, left)
    if not left and cuts[-1] >= spec.max_fu:
        times[-1] = spec.max_fu          # nobody left: the last patient followed is the longest followed
    return order(np.concatenate([times, tail_t]), np.concatenate([events, tail_e]).astype(int))
