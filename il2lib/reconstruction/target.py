"""Step 1 of the reconstruction: the target survival curve, a monotone PCHIP of the cumulative hazard.

Internal to :mod:`il2lib.reconstruction` (see its docstring for the method).

The interpolation between anchors and the tail model are selectable by name,
``"<interpolation>/<tail>"`` (:data:`CURVES`); the default :data:`DEFAULT_CURVE`
is the method as documented.  The alternatives exist so that the choice can be
cross-validated (:mod:`il2lib.crossval`):

interpolation
    ``"pchip"`` monotone PCHIP of ``H = -log S`` against time (default);
    ``"linear"`` ``H`` linear in time, i.e. piecewise exponential;
    ``"loglog"`` monotone PCHIP of ``log H`` against ``log t`` (Weibull-like;
    a Weibull power through the first anchor before it).
tail (constant hazard from the last anchor to the longest follow-up)
    ``"shrunk"`` the last segment's hazard shrunk towards the average (default);
    ``"last"`` the last segment's hazard; ``"average"`` ``H(t_last) / t_last``.
    The tail hazard fixes ``H`` at the longest follow-up, which is then one more
    knot of the interpolation (so with ``"pchip"`` and ``"loglog"`` the hazard is
    constant beyond the last anchor only approximately; with ``"linear"`` exactly).
"""

from __future__ import annotations

import math

import numpy as np

from il2lib.exceptions import ReconstructionError
from il2lib.interpolation import pchip
from il2lib.reconstruction.summary import GRID, Spec

__all__ = ["Curve", "target_curve", "anchors", "INTERPOLATIONS", "TAILS", "CURVES", "DEFAULT_CURVE", "parse_curve"]

#: Interpolations of the cumulative hazard between anchors (see the module docstring).
INTERPOLATIONS = ("pchip", "linear", "loglog")
#: Tail models: the constant hazard carried from the last anchor to the longest follow-up.
TAILS = ("shrunk", "last", "average")
#: Every curve choice, ``"<interpolation>/<tail>"``; the default first.
CURVES = tuple(f"{i}/{t}" for i in INTERPOLATIONS for t in TAILS)
#: The documented method: PCHIP of the cumulative hazard, shrunk tail hazard.
DEFAULT_CURVE = "pchip/shrunk"


def parse_curve(curve: str) -> tuple[str, str]:
    """``"pchip/shrunk"`` -> ``("pchip", "shrunk")``; a :class:`ReconstructionError` for an unknown name.

    Examples
    --------
    >>> parse_curve("linear/average")
    ('linear', 'average')
    """
    interpolation, _, tail = str(curve).partition("/")
    if interpolation not in INTERPOLATIONS or tail not in TAILS:
        raise ReconstructionError(f"curve must be one of {CURVES}, not {curve!r}")
    return interpolation, tail


class Curve:
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


def _other_tail(times: list[float], hazard: np.ndarray, tail: str) -> float:
    """Tail hazard ``"last"`` (the last segment's own) or ``"average"`` (``H(t_last) / t_last``)."""
    if len(times) < 2 or hazard[-1] <= 0:
        return 0.0
    if tail == "average":
        return float(hazard[-1] / times[-1])
    return float((hazard[-1] - hazard[-2]) / (times[-1] - times[-2]))


def _loglog(times: np.ndarray, hazard: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Monotone PCHIP of log H against log t through the anchors after 0; a Weibull power before the first."""
    floor = 1e-12
    x, y = np.log(times[1:]), np.log(np.maximum(hazard[1:], floor))
    out = np.zeros_like(grid)
    positive = grid > 0
    lt = np.log(grid[positive])
    if len(x) == 1:
        shape = 1.0
        inside = np.full(lt.shape, y[0])
    else:
        shape = max((y[1] - y[0]) / (x[1] - x[0]), 1e-3)
        inside = pchip(x, y, np.clip(lt, x[0], x[-1]))
    out[positive] = np.exp(np.where(lt < x[0], y[0] + shape * (lt - x[0]), inside))
    return out if hazard[-1] > floor else np.zeros_like(grid)


def target_curve(anchors: list[tuple[float, float]], stop: float, not_reached: bool, n: int,
                 curve: str = DEFAULT_CURVE) -> Curve:
    """Monotone PCHIP of the cumulative hazard through (0, 0) and the anchors, then the tail hazard to ``stop``.

    ``curve`` (:data:`CURVES`) selects the interpolation and the tail model; the
    default is byte-identical to the method as documented.
    """
    interpolation, tail = parse_curve(curve)
    points = sorted((t, min(max(s, 1e-6), 1.0)) for t, s in anchors if t > 0)
    times = [0.0] + [t for t, _ in points]
    hazard = np.maximum.accumulate([0.0] + [-math.log(s) for _, s in points])
    if times[-1] < stop:
        rate = _tail_hazard(times, hazard, n) if tail == "shrunk" else _other_tail(times, hazard, tail)
        end = hazard[-1] + rate * (stop - times[-1])
        if not_reached:
            last = math.exp(-hazard[-1])
            end = min(end, -math.log(0.5 + 0.5 * (last - 0.5)))
        times.append(stop)
        hazard = np.append(hazard, max(end, hazard[-1]))
    grid = np.unique(np.concatenate([np.linspace(0.0, stop, GRID), times]))
    grid = grid[grid <= stop]
    if interpolation == "pchip":
        cumulative = pchip(np.array(times), hazard, grid)
    elif interpolation == "linear":
        cumulative = np.interp(grid, np.array(times), hazard)
    else:
        cumulative = _loglog(np.array(times), hazard, grid)
    return Curve(grid, np.exp(-np.maximum.accumulate(np.maximum(cumulative, 0.0))))


def anchors(spec: Spec) -> list[tuple[float, float]]:
    anchors = [(m.time, (m.lo + m.hi) / 2) for m in spec.landmarks]
    if spec.median is not None and all(abs(t - spec.median) > 1e-12 for t, _ in anchors):
        anchors.append((spec.median, 0.5))
    return sorted(anchors)
