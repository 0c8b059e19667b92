"""What a paper prints about one group, checked and turned into numbers: the input of every step.

Internal to :mod:`il2lib.reconstruction`, which re-exports :class:`Landmark` and
:class:`GroupSummary`; the constants here are shared by its modules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from il2lib import rounding, survival
from il2lib.exceptions import ReconstructionError

__all__ = ["Landmark", "GroupSummary", "Target", "Spec", "check", "GRID", "HALF"]

_KINDS = ("km", "known_status")
GRID = 4001          # points of the tabulated target and censoring curves
#: A Kaplan–Meier value at or below this has reached one half: 3/6 computes as 0.5000000000000001, and
#: the reconstruction must agree with :func:`il2lib.survival.median`, which allows the same rounding.
HALF = 0.5 + survival.HALF_TOLERANCE


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


# --------------------------------------------------------------------------- checked inputs


@dataclass(frozen=True)
class Target:
    time: float
    printed: str
    lo: float     # closed interval of survival fractions that print as `printed`
    hi: float


@dataclass(frozen=True)
class Spec:
    n: int
    median: float | None
    median_lo: float
    median_hi: float
    landmarks: tuple[Target, ...]
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


def check(summary: GroupSummary) -> Spec:
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
    return Spec(int(summary.n), median, m_lo, m_hi, landmarks, summary.landmark_kind, max_fu, min_fu, mfu,
                summary.median_follow_up)


def _check_median(summary: GroupSummary, name: str, max_fu: float) -> tuple[float | None, float, float]:
    if summary.median is None:
        return None, math.inf, math.inf
    parsed = _number(summary.median, f"{name}: median")
    lo, hi = (float(x) for x in rounding.interval(parsed))
    if not hi > 0:
        raise ReconstructionError(f"{name}: median {summary.median} must be > 0")
    if lo > max_fu:
        raise ReconstructionError(f"{name}: median {summary.median} lies beyond the longest follow-up {max_fu:g}")
    lo = max(lo, 0.0)
    value = float(parsed.value) if parsed.value > 0 else hi / 2   # "0" printed: some time below one half unit
    return min(value, max_fu), lo, hi


def _check_landmarks(summary: GroupSummary, name: str, max_fu: float) -> tuple[Target, ...]:
    targets = []
    for mark in sorted(summary.landmarks, key=lambda m: m.time):
        parsed = _number(mark.printed, f"{name}: landmark at {mark.time:g}")
        if not 0 <= parsed.value <= 100:
            raise ReconstructionError(f"{name}: landmark at {mark.time:g} is {mark.printed}%, outside 0-100")
        if not 0 < mark.time <= max_fu:
            raise ReconstructionError(f"{name}: landmark time {mark.time:g} must lie in "
                                      f"(0, longest follow-up {max_fu:g}]")
        lo, hi = rounding.interval(parsed)
        targets.append(Target(float(mark.time), mark.printed, float(max(lo, 0) / 100), float(min(hi, 100) / 100)))
    for before, after in zip(targets, targets[1:]):
        if before.time == after.time:
            raise ReconstructionError(f"{name}: two landmarks at time {after.time:g}")
        if after.lo > before.hi:
            raise ReconstructionError(f"{name}: survival increases with time, {before.printed}% at {before.time:g} "
                                      f"then {after.printed}% at {after.time:g}")
    return tuple(targets)


def _check_median_against_landmarks(summary: GroupSummary, name: str, median: float | None, m_lo: float,
                                    m_hi: float, landmarks: tuple[Target, ...]) -> None:
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
