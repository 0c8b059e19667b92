"""Pseudo patient-level survival data rebuilt from the few numbers a paper prints.

A paper rarely gives its patients' follow-up; it prints *n*, a Kaplan–Meier
median (or "not reached"), survival at a few landmark times, perhaps a median
follow-up and the longest follow-up.  :func:`reconstruct` builds one data set
of ``n`` (time, event) pairs that reproduces every one of those printed numbers
at printed precision, and is otherwise as smooth and as plain as the numbers
allow.  It is labelled **reconstructed** wherever it is used.

Method
------
1. **Target survival curve.**  The anchors ``S(0) = 1``, the landmarks and
   ``S(median) = 0.5`` are joined by a monotone, shape-preserving cubic
   (Fritsch–Carlson PCHIP) of the cumulative hazard ``H = -log S`` against
   time.  Beyond the last anchor a constant hazard is carried to the longest
   follow-up: the last segment's hazard, shrunk towards the average hazard
   ``H(t_last) / t_last`` by one pseudo-event (gamma-Poisson), so that a last
   segment with many deaths keeps its own hazard and a plateau does not freeze
   the tail.  When the median is printed "not reached" the tail may not fall
   below halfway between the last anchor and 50%.
2. **Censoring curve.**  Potential follow-up is uniform on ``[a, max_follow_up]``
   (uniform accrual to a cut-off).  ``a`` is solved so that the median of
   potential follow-up, which is what the reverse Kaplan–Meier median follow-up
   estimates, equals the printed median follow-up; when that would put ``a``
   below ``min_follow_up`` an exponential loss to follow-up is added instead,
   with its rate solved the same way.  Without a printed median follow-up
   ``a = min_follow_up``.
3. **Integer counts, Guyot-style.**  In the spirit of Guyot et al. (2012) the
   patients are released one at a time with the numbers at risk and a
   self-correcting rounding: the next death is placed where the target curve
   crosses the middle of the next Kaplan–Meier step computed from the
   reconstruction *so far*, the next censoring likewise against the censoring
   curve and the reverse Kaplan–Meier estimate; whichever comes first happens.
   Rounding errors therefore never accumulate, and times are deterministic.
   The last patient is the one followed longest, censored at ``max_follow_up``.
4. **Printed targets, exactly.**  Kaplan–Meier landmarks (``landmark_kind="km"``)
   are brought inside their printed intervals in time order, touching only the
   interval since the previous landmark: first the fewest deaths and censorings
   are moved across the landmark so that the interval can be reached (its
   lowest value has every censoring first, its highest every censoring last),
   then neighbouring deaths and censorings are reordered; deaths keep their
   times and censorings move between them, so only numbers at risk change.
   Known-status landmarks (``"known_status"``, see
   :func:`il2lib.survival.known_status_share`) are exact counts: the integer
   numbers alive, dead and not known at each landmark that print as the
   published shares are chosen first (a beam search, closest to the losses the
   censoring curve predicts, compatible with the median), the deaths and
   losses of each interval are placed at quantiles of the two curves, and the
   tail after the last landmark is released as in step 3.  Finally an
   order-preserving piecewise-linear time warp sends the death at which the
   curve first reaches 50% to the printed median, the reverse-KM crossing to
   the printed median follow-up and the last time to the longest follow-up;
   landmark times are fixed points of the warp, so no landmark changes.  A
   target still missed raises :class:`ReconstructionError`.

Medians follow lifelines (first time the curve is at or below 0.5, with the
curve computed as ``exp(sum(log(1 - d/r)))``).  When the curve sits exactly at
one half, other software may report the midpoint of that flat stretch instead.

Assumptions and limits
----------------------
* Censoring is independent of survival; potential follow-up is uniform, plus
  exponential (or, for known-status shares, whatever the counts force) early loss.
* Between and beyond the anchors the curve is an interpolation, not data: the
  reconstruction matches every printed number and can still differ from the
  true curve where nothing was printed, its tail above all.  Validation on real
  data (:mod:`il2lib.validation`) measures by how much.
* A known-status share with a small denominator pins the counts, hence the
  number of patients whose status was unknown; they are reported in
  :attr:`Reconstruction.notes`.  *When* within an interval those patients
  were lost is not identified by the printed shares (losses are spread
  evenly); it moves the Kaplan–Meier curve between landmarks, and so anything
  predicted from the reconstruction, such as the median of pooled groups.
* Ties are not reproduced; times are distinct.
* Speed: tens of milliseconds per group of a few hundred patients with
  Kaplan–Meier landmarks; known-status landmarks at n above about 500 can
  take seconds (the count search is not yet bounded by the input's size).
* It does not yet rebuild every consistent summary.  On 2,000 simulated
  groups (:mod:`il2lib.simulation`, seed 1) 8.3% raise
  :class:`ReconstructionError` or time out: mostly Kaplan–Meier landmarks at
  or below 25% in groups of at most 50, because the first pass fixes how many
  patients die and the repair only moves deaths and censorings across a
  landmark or reorders them, never turning one into the other.

References
----------
Guyot P, Ades AE, Ouwens MJ, Welton NJ. Enhanced secondary analysis of survival
data: reconstructing the data from published Kaplan–Meier survival curves.
BMC Med Res Methodol 2012;12:9.

Fritsch FN, Carlson RE. Monotone piecewise cubic interpolation.
SIAM J Numer Anal 1980;17:238-246.
"""

from __future__ import annotations

from collections.abc import Iterable

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from il2lib import rounding, survival
from il2lib.exceptions import ReconstructionError
from il2lib.interpolation import pchip

__all__ = ["LOSS_TIMINGS", "fit_table", "Landmark", "GroupSummary", "Reconstruction", "ReconstructionError", "METHOD", "reconstruct",
           "crude_baseline"]

#: Short name of the method of :func:`reconstruct`.
METHOD = "PCHIP cumulative hazard + Guyot-style integer counts + printed-precision repair"
_KINDS = ("km", "known_status")
_GRID = 4001          # points of the tabulated target and censoring curves
_MAX_PLANS = 4000     # beam width of the search for known-status counts
_EPS = 1e-9           # relative spacing that keeps reconstructed times distinct
#: A Kaplan–Meier value at or below this has reached one half: 3/6 computes as 0.5000000000000001, and
#: the reconstruction must agree with :func:`il2lib.survival.median`, which allows the same rounding.
_HALF = 0.5 + survival.HALF_TOLERANCE



@dataclass(frozen=True)
class Landmark:
    """One printed survival figure.

    Attributes
    ----------
    time : float
        In the summary's time unit (months in this book).
    printed : str
        Percent as printed, e.g. ``"92.5"`` or ``"36"``.
    """

    time: float
    printed: str


@dataclass(frozen=True)
class GroupSummary:
    """What a paper prints about the survival of one group.

    Attributes
    ----------
    group : str
        Name of the group.
    n : int
        Number of patients.
    median : str or None
        Printed Kaplan–Meier median, e.g. ``"38.2"``; ``None`` or ``"not reached"`` means not reached.
    landmarks : tuple of Landmark
        Printed survival percentages.
    landmark_kind : {"km", "known_status"}
        ``"km"``: Kaplan–Meier survival.  ``"known_status"``: alive among
        patients not lost to follow-up at the time (see
        :func:`il2lib.survival.known_status_share`).
    max_follow_up : float or None
        Longest follow-up; required by :func:`reconstruct`.
    min_follow_up : float or None
        Shortest potential (administrative) follow-up, e.g. from the last
        accrual to the cut-off; ``None`` means 0.
    median_follow_up : str or None
        Printed reverse Kaplan–Meier median follow-up.
    """

    group: str
    n: int
    median: str | None
    landmarks: tuple[Landmark, ...] = ()
    landmark_kind: str = "km"
    max_follow_up: float | None = None
    min_follow_up: float | None = None
    median_follow_up: str | None = None

    def __post_init__(self) -> None:
        # "not reached" as printed and None mean the same; keep one form, so every step can test `is None`
        if isinstance(self.median, str) and rounding.is_not_reached(self.median):
            object.__setattr__(self, "median", None)


@dataclass(frozen=True)
class Reconstruction:
    """Pseudo patient-level data and how well they reproduce the printed summary.

    Attributes
    ----------
    summary : GroupSummary
        What was reconstructed.
    data : DataFrame
        Columns ``time`` (float), ``event`` (int 0/1), ``group`` (str); sorted by
        time then event.
    fit : DataFrame
        One row per target (``n``, ``median``, ``landmark <t>``, ``median follow-up``,
        ``longest follow-up``): ``target, time, printed, achieved, within_precision, detail``.
        ``achieved`` is in the printed unit (percent for landmarks, ``inf`` for a
        median not reached).
    method : str
        Short name of the method.
    notes : tuple of str
        What the printed numbers forced (e.g. patients of unknown status).
    """

    summary: GroupSummary
    data: pd.DataFrame
    fit: pd.DataFrame
    method: str
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- checked inputs


@dataclass(frozen=True)
class _Target:
    time: float
    printed: str
    lo: float     # closed interval of survival fractions that print as `printed`
    hi: float


@dataclass(frozen=True)
class _Spec:
    n: int
    median: float | None
    median_lo: float
    median_hi: float
    landmarks: tuple[_Target, ...]
    kind: str
    max_fu: float
    min_fu: float
    mfu: float | None
    mfu_printed: str | None = None


def _number(text: str, what: str) -> rounding.PrintedNumber:
    try:
        return rounding.parse(text)
    except ValueError as err:
        raise ReconstructionError(f"{what}: {err}") from None


def _check(summary: GroupSummary) -> _Spec:
    """Validate a summary and turn it into numbers; every inconsistency is a ReconstructionError."""
    name = f"group {summary.group!r}"
    if not isinstance(summary.n, (int, np.integer)) or summary.n < 1:
        raise ReconstructionError(f"{name}: n must be a whole number >= 1, got {summary.n!r}")
    if summary.landmark_kind not in _KINDS:
        raise ReconstructionError(f"{name}: landmark_kind must be one of {_KINDS}, got {summary.landmark_kind!r}")
    if summary.max_follow_up is None or not summary.max_follow_up > 0:
        raise ReconstructionError(f"{name}: max_follow_up (longest follow-up, > 0) is required, "
                                  f"got {summary.max_follow_up!r}")
    max_fu = float(summary.max_follow_up)
    min_fu = float(summary.min_follow_up or 0.0)
    if not 0 <= min_fu <= max_fu:
        raise ReconstructionError(f"{name}: min_follow_up {min_fu:g} must lie in [0, max_follow_up {max_fu:g}]")
    median, m_lo, m_hi = _check_median(summary, name, max_fu)
    landmarks = _check_landmarks(summary, name, max_fu)
    _check_median_against_landmarks(summary, name, median, m_lo, m_hi, landmarks)
    mfu = None
    if summary.median_follow_up is not None:
        parsed = _number(summary.median_follow_up, f"{name}: median follow-up")
        if not (parsed.value > 0 and rounding.interval(parsed)[0] <= max_fu):
            raise ReconstructionError(f"{name}: median follow-up {summary.median_follow_up} must lie in "
                                      f"(0, max_follow_up {max_fu:g}]")
        mfu = min(float(parsed.value), max_fu)
    return _Spec(int(summary.n), median, m_lo, m_hi, landmarks, summary.landmark_kind, max_fu, min_fu, mfu,
                 summary.median_follow_up)


def _check_median(summary: GroupSummary, name: str, max_fu: float) -> tuple[float | None, float, float]:
    if summary.median is None:
        return None, math.inf, math.inf
    parsed = _number(summary.median, f"{name}: median")
    lo, hi = (float(x) for x in rounding.interval(parsed))
    if not parsed.value > 0:
        raise ReconstructionError(f"{name}: median {summary.median} must be > 0")
    if lo > max_fu:
        raise ReconstructionError(f"{name}: median {summary.median} lies beyond the longest follow-up {max_fu:g}")
    return min(float(parsed.value), max_fu), lo, hi


def _check_landmarks(summary: GroupSummary, name: str, max_fu: float) -> tuple[_Target, ...]:
    targets = []
    for mark in sorted(summary.landmarks, key=lambda m: m.time):
        parsed = _number(mark.printed, f"{name}: landmark at {mark.time:g}")
        if not 0 <= parsed.value <= 100:
            raise ReconstructionError(f"{name}: landmark at {mark.time:g} is {mark.printed}%, outside 0-100")
        if not 0 < mark.time <= max_fu:
            raise ReconstructionError(f"{name}: landmark time {mark.time:g} must lie in "
                                      f"(0, longest follow-up {max_fu:g}]")
        lo, hi = rounding.interval(parsed)
        targets.append(_Target(float(mark.time), mark.printed, float(max(lo, 0) / 100), float(min(hi, 100) / 100)))
    for before, after in zip(targets, targets[1:]):
        if before.time == after.time:
            raise ReconstructionError(f"{name}: two landmarks at time {after.time:g}")
        if after.lo > before.hi:
            raise ReconstructionError(f"{name}: survival increases with time, {before.printed}% at {before.time:g} "
                                      f"then {after.printed}% at {after.time:g}")
    return tuple(targets)


def _check_median_against_landmarks(summary: GroupSummary, name: str, median: float | None, m_lo: float,
                                    m_hi: float, landmarks: tuple[_Target, ...]) -> None:
    """A KM curve is above 50% before its median and at or below after it; a known-status share never exceeds KM."""
    km_kind = summary.landmark_kind == "km"
    for mark in landmarks:
        if median is None:
            if km_kind and mark.hi <= 0.5:
                raise ReconstructionError(f"{name}: median printed not reached, but survival {mark.printed}% "
                                          f"at {mark.time:g} is not above 50%")
        elif mark.time > m_hi and mark.lo > 0.5:
            raise ReconstructionError(f"{name}: survival {mark.printed}% at {mark.time:g} is above 50% after "
                                      f"the median {summary.median}")
        elif km_kind and mark.time < m_lo and mark.hi <= 0.5:
            raise ReconstructionError(f"{name}: survival {mark.printed}% at {mark.time:g} is not above 50% "
                                      f"before the median {summary.median}")


# --------------------------------------------------------------------------- curves


class _Curve:
    """A non-increasing function of time tabulated on a fine grid, with its generalised inverse."""

    def __init__(self, times: np.ndarray, values: np.ndarray) -> None:
        self.t = times
        self.v = values
        self._neg = -values

    def __call__(self, x: float) -> float:
        return float(np.interp(x, self.t, self.v))

    def first_at_or_below(self, y: float) -> float:
        """First time the curve is <= y (linear between grid points); ``inf`` if never."""
        if y >= self.v[0]:
            return float(self.t[0])
        i = int(np.searchsorted(self._neg, -y, side="left"))
        if i >= self.v.size:
            return math.inf
        t0, t1, v0, v1 = self.t[i - 1], self.t[i], self.v[i - 1], self.v[i]
        return float(t0 + (t1 - t0) * (v0 - y) / (v0 - v1))


def _tail_hazard(times: list[float], hazard: np.ndarray, n: int) -> float:
    """Hazard carried beyond the last anchor: the last segment's, shrunk towards the average hazard.

    Gamma-Poisson shrinkage with one pseudo-event at the average hazard
    ``H(t_last) / t_last``: the last segment's expected deaths ``d`` and
    person-time ``E`` (for ``n`` patients, ignoring censoring) give
    ``(1 + d) / (1 / average + E)``.  A last segment with many deaths keeps its
    own hazard; a plateau (no deaths) does not freeze the tail at zero hazard.
    """
    if len(times) < 2 or hazard[-1] <= 0:
        return 0.0
    average = hazard[-1] / times[-1]
    width = times[-1] - times[-2]
    s_start, s_end = math.exp(-hazard[-2]), math.exp(-hazard[-1])
    rise = hazard[-1] - hazard[-2]
    deaths = n * (s_start - s_end)
    exposure = n * width * (s_start if rise <= 1e-12 else (s_start - s_end) / rise)
    return (1 + deaths) / (1 / average + exposure)


def _target_curve(anchors: list[tuple[float, float]], stop: float, not_reached: bool, n: int) -> _Curve:
    """Monotone PCHIP of the cumulative hazard through (0, 0) and the anchors, then the tail hazard to ``stop``."""
    points = sorted((t, min(max(s, 1e-6), 1.0)) for t, s in anchors if t > 0)
    times = [0.0] + [t for t, _ in points]
    hazard = np.maximum.accumulate([0.0] + [-math.log(s) for _, s in points])
    if times[-1] < stop:
        end = hazard[-1] + _tail_hazard(times, hazard, n) * (stop - times[-1])
        if not_reached:
            last = math.exp(-hazard[-1])
            end = min(end, -math.log(0.5 + 0.5 * (last - 0.5)))
        times.append(stop)
        hazard = np.append(hazard, max(end, hazard[-1]))
    grid = np.unique(np.concatenate([np.linspace(0.0, stop, _GRID), times]))
    grid = grid[grid <= stop]
    cumulative = pchip(np.array(times), hazard, grid)
    return _Curve(grid, np.exp(-np.maximum.accumulate(np.maximum(cumulative, 0.0))))


@dataclass(frozen=True)
class _Censoring:
    """Potential follow-up uniform on [start, stop], times an exponential loss to follow-up."""

    start: float
    stop: float
    loss_rate: float

    def curve(self) -> _Curve:
        grid = np.linspace(0.0, self.stop, _GRID)
        span = self.stop - self.start
        uniform = np.ones_like(grid) if span <= 0 else np.clip((self.stop - grid) / span, 0.0, 1.0)
        uniform[-1] = 0.0
        return _Curve(grid, uniform * np.exp(-self.loss_rate * grid))

    def describe(self) -> str:
        text = f"potential follow-up uniform on [{self.start:.1f}, {self.stop:.1f}]"
        return text + (f", loss to follow-up {self.loss_rate:.4f} per unit time" if self.loss_rate else "")


def _censoring(spec: _Spec) -> _Censoring:
    """Censoring calibrated so that the median potential follow-up is the printed median follow-up."""
    if spec.mfu is None:
        return _Censoring(spec.min_fu, spec.max_fu, 0.0)
    start = 2 * spec.mfu - spec.max_fu
    if start >= spec.min_fu:
        return _Censoring(start, spec.max_fu, 0.0)
    span = spec.max_fu - spec.min_fu
    uniform = 1.0 if spec.mfu <= spec.min_fu else (spec.max_fu - spec.mfu) / span
    return _Censoring(spec.min_fu, spec.max_fu, math.log(2 * uniform) / spec.mfu)


# --------------------------------------------------------------------------- sorted-data helpers


def _order(times: np.ndarray, events: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def _km_at(times: np.ndarray, events: np.ndarray, t: float) -> float:
    """Kaplan–Meier value at t of sorted data with distinct times."""
    k = int(np.searchsorted(times, t, side="right"))
    return float(_km_path(events)[k - 1]) if k else 1.0


def _reverse_km_at(times: np.ndarray, events: np.ndarray, t: float) -> float:
    return _km_at(times, 1 - events, t)


def _crossing(times: np.ndarray, events: np.ndarray, level: float = 0.5) -> int | None:
    """Index of the first death at which the Kaplan–Meier curve is at or below ``level`` (to rounding)."""
    path = _km_path(events)
    hits = np.flatnonzero((path <= level + survival.HALF_TOLERANCE) & (events == 1))
    return int(hits[0]) if hits.size else None


# --------------------------------------------------------------------------- Guyot-style release


def _release(target: _Curve, censor: _Curve, start: float, stop: float, at_risk: int, km: float = 1.0,
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


# --------------------------------------------------------------------------- KM landmarks: local repair


def _km_range(km_before: float, at_risk: int, deaths: np.ndarray, losses: np.ndarray
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


def _count_changes(times: np.ndarray, events: np.ndarray, t: float, floor: float, lo: float, hi: float,
                   limit: int = 50) -> list[tuple[int, int]]:
    """Up to ``limit`` changes (deaths, censorings) in (floor, t] whose KM range meets [lo, hi], fewest moves first."""
    inside = (times > floor) & (times <= t)
    after = times > t
    at_risk = times.size - int(np.searchsorted(times, floor, side="right"))
    deaths, losses = int(np.sum(events[inside] == 1)), int(np.sum(events[inside] == 0))
    dd, dc = np.meshgrid(np.arange(-deaths, int(np.sum(events[after] == 1)) + 1),
                         np.arange(-losses, int(np.sum(events[after] == 0)) + 1), indexing="ij")
    low, high = _km_range(_km_at(times, events, floor), at_risk, deaths + dd, losses + dc)
    ok = (low <= hi) & (high >= lo)
    dd, dc = dd[ok], dc[ok]
    order = np.lexsort((dc, dd, np.abs(dc), np.abs(dd) + np.abs(dc)))[:limit]
    return [(int(a), int(b)) for a, b in zip(dd[order], dc[order])]


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
    return _order(times, events)


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
        value = _km_at(times, events, t)
        return events if lo <= value <= hi else None
    i = idx[:-1]
    r_first, r_second = (n - i).astype(float), (n - i - 1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = (1 - 1 / r_second) / (1 - 1 / r_first)   # death moves one place later: KM falls
    for _ in range(idx.size * idx.size + 1):
        value = _km_at(times, events, t)
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


def _fit_km_landmark(times: np.ndarray, events: np.ndarray, mark: _Target, floor: float, lo: float, hi: float,
                     name: str) -> tuple[np.ndarray, np.ndarray]:
    """Bring KM(mark.time) into [lo, hi] touching only (floor, mark.time] and what follows.

    First the fewest deaths and censorings are moved across the landmark so that
    the window is within reach, then neighbouring deaths and censorings are
    swapped (see :func:`_arrange`).  If the window is reachable only in theory
    (steps coarser than the window), the next-fewest moves are tried.
    """
    if lo <= _km_at(times, events, mark.time) <= hi:
        return times, events
    for dd, dc in _count_changes(times, events, mark.time, floor, lo, hi):
        t1, e1 = _move_across(times, events, mark.time, floor, 1, dd)
        t1, e1 = _move_across(t1, e1, mark.time, floor, 0, dc)
        arranged = _arrange(t1, e1, mark.time, floor, lo, hi)
        if arranged is not None:
            return _retime(t1, e1, arranged, mark.time, floor), arranged
    raise ReconstructionError(
        f"{name}: cannot make Kaplan–Meier survival at {mark.time:g} print as {mark.printed}% "
        f"(reached {100 * _km_at(times, events, mark.time):.3f}% before repair)")


# --------------------------------------------------------------------------- known-status landmarks: exact counts


@dataclass(frozen=True)
class _Plan:
    """Patients alive (time >= t) and dead before t at each landmark t."""

    alive: tuple[int, ...]
    dead: tuple[int, ...]

    def lost(self, n: int) -> tuple[int, ...]:
        return tuple(n - a - d for a, d in zip(self.alive, self.dead))


def _count_options(n: int, mark: _Target) -> list[tuple[int, int]]:
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


def _expected_losses(spec: _Spec, censor: _Curve) -> list[float]:
    """Patients censored before each landmark if censoring were only the calibrated censoring curve."""
    anchor_t = [0.0] + [m.time for m in spec.landmarks]
    anchor_s = [1.0] + [(m.lo + m.hi) / 2 for m in spec.landmarks]
    grid = censor.t
    alive = np.interp(0.5 * (grid[1:] + grid[:-1]), anchor_t, anchor_s)
    lost = np.concatenate([[0.0], np.cumsum(alive * -np.diff(censor.v))])
    return [float(spec.n * np.interp(m.time, grid, lost)) for m in spec.landmarks]


def _km_range_ok(spec: _Spec, time: float, km_max: float, km_min: float) -> bool:
    """Can the Kaplan–Meier value at a landmark sit on the right side of 50% for the printed median?"""
    if spec.median is None or time < spec.median_lo:
        return km_max > _HALF
    if time > spec.median_hi:
        return km_min <= _HALF
    return True


def _plan_counts(spec: _Spec, censor: _Curve, name: str) -> _Plan:
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


def _quantile_times(curve: _Curve, start: float, stop: float, count: int) -> np.ndarray:
    """``count`` times at the mid-quantiles of the curve's drop over (start, stop); uniform if it is flat."""
    q = (np.arange(count) + 0.5) / count
    top, bottom = curve(start), curve(stop)
    if top - bottom < 1e-12:
        return start + q * (stop - start)
    times = np.array([curve.first_at_or_below(top - p * (top - bottom)) for p in q])
    return np.clip(times, start + 1e-9 * (stop - start), stop - 1e-9 * (stop - start))


def _loss_times(censor: _Curve, start: float, stop: float, count: int, timing: str) -> np.ndarray:
    """When the ``count`` patients lost in (start, stop) drop out: see ``LOSS_TIMINGS``."""
    width = stop - start
    if timing == "early":
        return start + width * 1e-3 * (np.arange(count) + 1)
    if timing == "late":
        return stop - width * 1e-3 * (count - np.arange(count))
    return _quantile_times(censor, start, stop, count) + 1e-7 * width


def _fill_counts(spec: _Spec, plan: _Plan, target: _Curve, censor: _Curve, timing: str = "spread"
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Deaths and losses of each interval between landmarks, at quantiles of the target and censoring curves."""
    times, events = [], []
    start, a0, d0 = 0.0, spec.n, 0
    for mark, a, d in zip(spec.landmarks, plan.alive, plan.dead):
        deaths, losses = d - d0, (a0 - a) - (d - d0)
        width = mark.time - start
        times += list(_quantile_times(target, start, mark.time, deaths)) if deaths else []
        events += [1] * deaths
        if losses:
            lost = _loss_times(censor, start, mark.time, losses, timing)
            times += list(np.minimum(lost, mark.time - 1e-9 * width))
            events += [0] * losses
        start, a0, d0 = mark.time, a, d
    times += [math.inf] * a0  # still at risk after the last landmark: placeholders until the tail is released
    events += [0] * a0
    return _order(np.array(times, dtype=float), np.array(events, dtype=int))


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
                if (_km_at(times, events, t) > _HALF) == raise_km:
                    return events
    return events


def _known_status(spec: _Spec, target: _Curve, censor_model: _Censoring, name: str, timing: str = "spread"
                  ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Exact counts at the landmarks, then a Guyot-style tail; returns the data and notes on the counts."""
    censor = censor_model.curve()
    plan = _plan_counts(spec, censor, name)
    times = events = np.array([])
    for _ in range(2):  # second pass: the curve re-anchored on the reconstruction's own KM at the landmarks
        times, events = _fill_counts(spec, plan, target, censor, timing)
        times, events = _median_side(spec, times, events, name)
        anchors = [(m.time, _km_at(times, events, m.time)) for m in spec.landmarks]
        if spec.median is not None and all(abs(m.time - spec.median) > 1e-12 for m in spec.landmarks):
            anchors.append((spec.median, 0.5))
        target = _target_curve(anchors, spec.max_fu, spec.median is None, spec.n)
    last = spec.landmarks[-1].time
    remaining = plan.alive[-1]
    known = np.isfinite(times)
    if remaining:
        if last >= spec.max_fu:
            tail_t, tail_e = [spec.max_fu] * remaining, [0] * remaining
        else:
            tail_t, tail_e = _release(target, censor, last, spec.max_fu, remaining,
                                      _km_at(times, events, last), _reverse_km_at(times, events, last))
        times, events = _order(np.concatenate([times[known], tail_t]),
                               np.concatenate([events[known], tail_e]).astype(int))
    lost = plan.lost(spec.n)
    notes = [f"{l} of {spec.n} patients of unknown status (censored) before {m.time:g}; "
             f"{a}/{a + d} alive among those known"
             for m, a, d, l in zip(spec.landmarks, plan.alive, plan.dead, lost)]
    return times, events, notes


def _median_side(spec: _Spec, times: np.ndarray, events: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Keep KM above 50% at landmarks before the median (or everywhere if not reached) and at or below after."""
    marks = np.array([m.time for m in spec.landmarks])
    floor = 0.0
    for m in spec.landmarks:
        value = _km_at(times, events, m.time)
        if spec.median is None or m.time < spec.median_lo:
            if value <= _HALF:
                events = _swap_within(times, events, m.time, marks, True, 0.0)
        elif m.time > spec.median_hi and value > _HALF:
            events = _swap_within(times, events, m.time, marks, False, floor)
        value = _km_at(times, events, m.time)
        if not _km_range_ok(spec, m.time, value, value):
            side = "above" if spec.median is None or m.time < spec.median_lo else "at or below"
            raise ReconstructionError(f"{name}: the counts at {m.time:g} leave Kaplan–Meier survival "
                                      f"{100 * value:.1f}%, which cannot be {side} 50% as the median requires")
        floor = m.time
    return times, events


# --------------------------------------------------------------------------- median, tail and time warp


def _keep_not_reached(spec: _Spec, times: np.ndarray, events: np.ndarray) -> np.ndarray:
    """Median printed not reached: turn the latest tail deaths into censorings until KM stays above 50%."""
    last_mark = spec.landmarks[-1].time if spec.landmarks else 0.0
    events = events.copy()
    for i in np.flatnonzero((events == 1) & (times > last_mark))[::-1]:
        if _crossing(times, events) is None:
            break
        events[i] = 0
    return events


def _ensure_crossing(spec: _Spec, times: np.ndarray, events: np.ndarray) -> np.ndarray:
    """Median printed: if KM never reaches 50%, turn censorings after the median into deaths until it does."""
    events = events.copy()
    start = max(spec.median_lo, spec.landmarks[-1].time if spec.landmarks else 0.0)
    for i in np.flatnonzero((events == 0) & (times > start)):
        if _crossing(times, events) is not None:
            break
        events[i] = 1
    return events


def _reverse_crossing(times: np.ndarray, events: np.ndarray) -> int | None:
    return _crossing(times, 1 - events)


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


def _pin(spec: _Spec, times: np.ndarray, events: np.ndarray) -> np.ndarray:
    """Warp time so that the median, the median follow-up and the longest follow-up are the printed ones.

    Landmark times are fixed points, so nothing that a landmark counts moves
    across it; the other knots go to the printed value, or to the nearest point
    that prints the same when two of them would collide.
    """
    knots = [_Knot(0.0, 0.0, 0.0, 0.0)] + [_Knot(m.time, m.time, m.time, m.time) for m in spec.landmarks]
    crossing = _crossing(times, events)
    if spec.median is not None and crossing is not None:
        knots.append(_printed_knot(float(times[crossing]), spec.median, spec.median_lo, min(spec.median_hi,
                                                                                            spec.max_fu)))
    if times.size:
        knots.append(_Knot(float(times[-1]), spec.max_fu, spec.max_fu, spec.max_fu))
    reverse = _reverse_crossing(times, events)
    if spec.mfu is not None and reverse is not None:
        low, high = (float(x) for x in rounding.interval(spec.mfu_printed))
        knots.append(_printed_knot(float(times[reverse]), spec.mfu, low, min(high, spec.max_fu)))
    return _warp(times, knots)


# --------------------------------------------------------------------------- fit table


def _fit_table(summary: GroupSummary, spec: _Spec, times: np.ndarray, events: np.ndarray) -> pd.DataFrame:
    rows = [{"target": "n", "time": math.nan, "printed": str(summary.n), "achieved": float(times.size),
             "within_precision": times.size == summary.n, "detail": "patients"}]
    med = survival.median_time(times, events)
    if summary.median is None:
        rows.append({"target": "median", "time": math.nan, "printed": "not reached", "achieved": med,
                     "within_precision": math.isinf(med), "detail": "Kaplan–Meier"})
    else:
        rows.append({"target": "median", "time": math.nan, "printed": summary.median, "achieved": med,
                     "within_precision": math.isfinite(med) and rounding.agrees(med, summary.median),
                     "detail": "Kaplan–Meier"})
    for mark in spec.landmarks:
        rows.append(_landmark_row(spec, mark, times, events))
    if summary.median_follow_up is not None:
        mfu = survival.median_follow_up(times, events)
        rows.append({"target": "median follow-up", "time": math.nan, "printed": summary.median_follow_up,
                     "achieved": mfu, "within_precision": math.isfinite(mfu)
                     and rounding.agrees(mfu, summary.median_follow_up), "detail": "reverse Kaplan–Meier"})
    longest = float(times.max())
    rows.append({"target": "longest follow-up", "time": math.nan, "printed": f"{spec.max_fu:g}",
                 "achieved": longest, "within_precision": abs(longest - spec.max_fu) <= 1e-9 * spec.max_fu,
                 "detail": "largest time"})
    return pd.DataFrame(rows, columns=["target", "time", "printed", "achieved", "within_precision", "detail"])


def _landmark_row(spec: _Spec, mark: _Target, times: np.ndarray, events: np.ndarray) -> dict:
    if spec.kind == "known_status":
        status = survival.known_status_share(times, events, mark.time)
        value, detail = status.percent, f"{status.alive}/{status.known} alive among known"
    else:
        value = 100 * float(survival.survival_at(times, events, [mark.time])["estimate"].iloc[0])
        detail = "Kaplan–Meier"
    return {"target": f"landmark {mark.time:g}", "time": mark.time, "printed": mark.printed,
            "achieved": float(value), "within_precision": rounding.agrees(value, mark.printed), "detail": detail}


def _frame(times: np.ndarray, events: np.ndarray, group: str) -> pd.DataFrame:
    frame = pd.DataFrame({"time": times.astype(float), "event": events.astype(int), "group": group})
    frame["group"] = frame["group"].astype(object)
    return frame.sort_values(["time", "event"], kind="mergesort").reset_index(drop=True)


# --------------------------------------------------------------------------- public functions


def _anchors(spec: _Spec) -> list[tuple[float, float]]:
    anchors = [(m.time, (m.lo + m.hi) / 2) for m in spec.landmarks]
    if spec.median is not None and all(abs(t - spec.median) > 1e-12 for t, _ in anchors):
        anchors.append((spec.median, 0.5))
    return sorted(anchors)


def _km_kind(spec: _Spec, target: _Curve, censor_model: _Censoring, name: str) -> tuple[np.ndarray, np.ndarray]:
    times, events = _release(target, censor_model.curve(), 0.0, spec.max_fu, spec.n)
    times, events = _order(np.array(times), np.array(events, dtype=int))
    if any(mark.hi < 1 / spec.n for mark in spec.landmarks):
        events[-1] = 1   # survival printed as 0%: the patient followed longest died then (nobody is left)
    floor = 0.0
    for mark in spec.landmarks:
        # a hair inside, so float noise cannot print differently; 0 and 1 are exact and stay reachable
        lo = mark.lo + 1e-12 if mark.lo > 0 else 0.0
        hi = mark.hi - 1e-12 if mark.hi < 1 else 1.0
        if spec.median is None or mark.time < spec.median_lo:
            lo = max(lo, float(np.nextafter(_HALF, 1.0)))  # the median: first time S <= 0.5 (to rounding)
        elif mark.time > spec.median_hi:
            hi = min(hi, _HALF)
        times, events = _fit_km_landmark(times, events, mark, floor, lo, hi, name)
        floor = mark.time
    return times, events


#: Where, within an interval between landmarks, patients of unknown status are lost (``known_status`` only):
#: spread like the censoring curve (the default), all at its start, or all at its end.  The printed shares fix
#: how many are lost in each interval but not when, so results that depend on it are only partly identified.
LOSS_TIMINGS = ("spread", "early", "late")


def reconstruct(summary: GroupSummary, *, loss_timing: str = "spread") -> Reconstruction:
    """Pseudo patient-level data that reproduce a printed survival summary at printed precision.

    See the module docstring for the method (smooth PCHIP target curve,
    calibrated uniform censoring, Guyot-style self-correcting integer counts,
    exact repair of the printed targets), its assumptions and its limits.

    Parameters
    ----------
    summary : GroupSummary
        What the paper prints; ``max_follow_up`` is required.
    loss_timing : {"spread", "early", "late"}
        For known-status landmarks: when, within each interval, the patients of
        unknown status are lost (see :data:`LOSS_TIMINGS`).

    Returns
    -------
    Reconstruction
        ``data`` (time, event, group), the ``fit`` of every printed target, the
        method and notes.  The same summary always gives byte-identical data.

    Raises
    ------
    ReconstructionError
        If the summary is inconsistent (n < 1, a median beyond the longest
        follow-up, percentages outside 0-100, Kaplan–Meier landmarks rising
        with time or on the wrong side of 50% for the median, landmark times
        beyond follow-up) or a printed target cannot be met; the message names it.

    Examples
    --------
    >>> s = GroupSummary("SD", 57, "38.2", (Landmark(12, "92.5"), Landmark(24, "70.5"), Landmark(36, "47.5")),
    ...                  landmark_kind="known_status", max_follow_up=168, min_follow_up=12)
    >>> r = reconstruct(s)
    >>> bool(r.fit["within_precision"].all()), float(r.fit.set_index("target").loc["median", "achieved"])
    (True, 38.2)
    """
    try:
        return _reconstruct(summary, loss_timing)
    except ReconstructionError as err:
        err.group = summary.group
        raise


def _reconstruct(summary: GroupSummary, loss_timing: str) -> Reconstruction:
    spec = _check(summary)
    name = f"group {summary.group!r}"
    censor_model = _censoring(spec)
    target = _target_curve(_anchors(spec), spec.max_fu, spec.median is None, spec.n)
    notes = [censor_model.describe()]
    if spec.kind == "known_status" and spec.landmarks:
        if loss_timing not in LOSS_TIMINGS:
            raise ReconstructionError(f"loss_timing must be one of {LOSS_TIMINGS}, not {loss_timing!r}")
        times, events, counted = _known_status(spec, target, censor_model, name, loss_timing)
        notes += counted
    else:
        times, events = _km_kind(spec, target, censor_model, name)
    events = _keep_not_reached(spec, times, events) if spec.median is None else _ensure_crossing(spec, times, events)
    times = _pin(spec, times, events)
    times, events = _order(times, events)
    fit = _fit_table(summary, spec, times, events)
    _raise_on_miss(fit, name)
    return Reconstruction(summary, _frame(times, events, summary.group), fit, METHOD, tuple(notes))


def _raise_on_miss(fit: pd.DataFrame, name: str) -> None:
    required = fit[fit["target"].isin(["n", "median"]) | fit["target"].str.startswith("landmark")]
    missed = required[~required["within_precision"].astype(bool)]
    if not missed.empty:
        row = missed.iloc[0]
        raise ReconstructionError(f"{name}: the reconstruction misses the printed {row['target']} "
                                  f"{row['printed']} (reached {row['achieved']:.3f})")


def crude_baseline(summary: GroupSummary) -> pd.DataFrame:
    """The naive comparator: piecewise-exponential event times with uniform censoring.

    Survival is exponential between the anchors ``S(0) = 1``, the landmarks
    (known-status shares are taken as if they were Kaplan–Meier survival) and
    ``S(median) = 0.5``, with the last hazard carried on; patient *i* has the
    event-time quantile ``(i - 0.5) / n`` and a censoring time uniform on
    ``[min_follow_up, max_follow_up]`` paired by the golden-ratio sequence.  No
    randomness; no calibration to any printed number.

    Parameters
    ----------
    summary : GroupSummary
        As for :func:`reconstruct`.

    Returns
    -------
    DataFrame
        Columns ``time, event, group``, sorted by time then event.

    Examples
    --------
    >>> s = GroupSummary("A", 100, "10.0", max_follow_up=40)
    >>> int(crude_baseline(s)["event"].sum())
    66
    """
    spec = _check(summary)
    anchors = [(0.0, 1.0)] + _anchors(spec)
    times = np.array([t for t, _ in anchors])
    hazard = np.maximum.accumulate([-math.log(min(max(s, 1e-6), 1.0)) for _, s in anchors])
    if len(anchors) > 1:
        rate = (hazard[-1] - hazard[-2]) / (times[-1] - times[-2])
    else:
        rate = 0.0
    u = (np.arange(spec.n) + 0.5) / spec.n
    wanted = -np.log(1 - u)                                    # cumulative hazard at each patient's event
    event_times = np.where(wanted <= hazard[-1], np.interp(wanted, hazard, times),
                           times[-1] + (wanted - hazard[-1]) / rate if rate > 0 else np.inf)
    golden = (np.sqrt(5) - 1) / 2
    v = (0.5 + golden * np.arange(spec.n)) % 1.0
    censor_times = spec.min_fu + (spec.max_fu - spec.min_fu) * v
    observed = np.minimum(event_times, censor_times)
    return _frame(observed, (event_times <= censor_times).astype(int), summary.group)


def fit_table(reconstructions: Iterable[Reconstruction]) -> pd.DataFrame:
    """The fit of several reconstructions in one table: every printed target and what was reached.

    Returns
    -------
    DataFrame
        Columns ``group``, then those of :attr:`Reconstruction.fit`.
    """
    return pd.concat([r.fit.assign(group=r.summary.group)[["group", *r.fit.columns]] for r in reconstructions],
                     ignore_index=True)
