"""Simulated trial groups, summarised as a paper prints them, and how often :func:`reconstruct` rebuilds them.

Development tool and test support, not part of the library's API.  Every
summary made here is computed from data, so it is consistent by construction:
a :class:`~il2lib.exceptions.ReconstructionError` raised on it is a failure of
:func:`~il2lib.reconstruction.reconstruct`, not of the input.

One simulated group (time unit months):

* ``n`` log-uniform from 5 to 2,000;
* event times with a constant hazard (exponential), an increasing or a
  decreasing Weibull hazard, a cure fraction (a share that never dies) or a
  piecewise-constant hazard;
* censoring by uniform accrual to a cut-off (administrative), plus optionally
  an exponential loss to follow-up, or no censoring at all;
* times optionally rounded to days, weeks, months or years (ties), never to 0:
  the shortest time is one unit, or half a unit;
* printed as :func:`il2lib.validation.summarise` prints it, with up to three
  landmarks at round times within follow-up, median follow-up sometimes left
  out, at one decimal (sometimes none), and for some groups known-status
  landmarks (:func:`il2lib.survival.known_status_share`) instead of
  Kaplan–Meier ones.

Run ``python -m il2lib.simulation --groups 10000 --seed 1`` for the failure
rate, the failures by kind, the time per group, how many rebuilds also meet the
median and longest follow-up, and whether the true and the rebuilt curves lie
inside the band the printed numbers allow (:func:`il2lib.reconstruction.band`).
Seed 1 is the one the reconstruction was developed on; other seeds are the
honest check.  Group *i* of seed *s* is
drawn from ``np.random.default_rng([s, i])``, so results do not depend on the
number of worker processes.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import re
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

from il2lib import rounding, survival
from il2lib.reconstruction import GroupSummary, Landmark, Reconstruction, ReconstructionError, band, reconstruct
from il2lib.validation import DAYS_PER_MONTH, summarise

__all__ = ["Design", "HAZARDS", "CENSORINGS", "UNITS", "LANDMARK_CANDIDATES", "draw_design", "simulate",
           "choose_landmarks", "known_status_landmarks", "print_summary", "simulated_group", "category", "run_one", "run", "failures_by_kind", "main"]

#: Shapes of the hazard of death.
HAZARDS = ("exponential", "weibull-increasing", "weibull-decreasing", "cure", "piecewise")
#: How follow-up ends: accrual to a cut-off, the same plus exponential loss, or not at all.
CENSORINGS = ("administrative", "administrative+loss", "none")
#: Units times may be rounded to, in months (``"exact"``: not rounded).
UNITS = {"exact": 0.0, "day": 1 / DAYS_PER_MONTH, "week": 7 / DAYS_PER_MONTH, "month": 1.0, "year": 12.0}
#: Round times (months) at which a paper may print survival.
LANDMARK_CANDIDATES = (3.0, 6.0, 9.0, 12.0, 18.0, 24.0, 36.0, 48.0, 60.0)
#: Seconds after which one reconstruction is stopped and recorded as a ``"timeout"`` (wall clock, so the
#: one result that can differ between runs of the same seed on a slower or busier machine).
TIMEOUT = 10.0


@dataclass(frozen=True)
class Design:
    """How one group is simulated and printed.

    Attributes
    ----------
    n : int
        Patients.
    hazard : str
        One of :data:`HAZARDS`.
    median : float
        Median time to death of those who can die (months); for ``"piecewise"`` the
        median of the first piece's hazard, which sets the scale.
    shape : float
        Weibull shape (1 for the other hazards).
    cure : float
        Share that never dies (``"cure"`` only, else 0).
    breaks, factors : tuple of float
        ``"piecewise"`` only: times at which the hazard changes, and each piece's
        hazard relative to the first.
    censoring : str
        One of :data:`CENSORINGS`.
    accrual, extra_follow_up : float
        Months of uniform accrual, and from the last accrual to the cut-off.
    loss_rate : float
        Exponential loss to follow-up per month (0 if none).
    unit : str
        Key of :data:`UNITS`.
    floor_units : float
        Shortest rounded time, in units (1 or 0.5).
    decimals : int
        Decimals of the printed numbers.
    landmark_kind : {"km", "known_status"}
        What the printed landmarks are.
    print_follow_up : bool
        Whether the median follow-up is printed.
    """

    n: int
    hazard: str
    median: float
    shape: float
    cure: float
    breaks: tuple[float, ...]
    factors: tuple[float, ...]
    censoring: str
    accrual: float
    extra_follow_up: float
    loss_rate: float
    unit: str
    floor_units: float
    decimals: int
    landmark_kind: str
    print_follow_up: bool


# --------------------------------------------------------------------------- drawing a design


def _log_uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return float(math.exp(rng.uniform(math.log(low), math.log(high))))


def _draw_hazard(rng: np.random.Generator, censoring: str) -> dict:
    """Hazard shape and its parameters; no cure fraction without censoring (the cured would never end)."""
    shapes = HAZARDS if censoring != "none" else tuple(h for h in HAZARDS if h != "cure")
    hazard = str(rng.choice(shapes))
    out = {"hazard": hazard, "median": _log_uniform(rng, 1.5, 120.0), "shape": 1.0, "cure": 0.0,
           "breaks": (), "factors": ()}
    if hazard == "weibull-increasing":
        out["shape"] = float(rng.uniform(1.3, 3.0))
    elif hazard == "weibull-decreasing":
        out["shape"] = float(rng.uniform(0.5, 0.85))
    elif hazard == "cure":
        out["cure"] = float(rng.uniform(0.05, 0.7))
    elif hazard == "piecewise":
        pieces = int(rng.integers(2, 5))
        out["breaks"] = tuple(float(b) for b in np.sort(rng.uniform(1.0, 36.0, pieces - 1)))
        out["factors"] = (1.0,) + tuple(_log_uniform(rng, 0.2, 5.0) for _ in range(pieces - 1))
    return out


def _draw_unit(rng: np.random.Generator, longest: float) -> str:
    """Rounding unit; years only for follow-up of three years or more."""
    unit = str(rng.choice(list(UNITS), p=[0.3, 0.25, 0.15, 0.2, 0.1]))
    return "month" if unit == "year" and longest < 36 else unit


def draw_design(rng: np.random.Generator) -> Design:
    """Draw one group's design.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    Design

    Examples
    --------
    >>> design = draw_design(np.random.default_rng(1))
    >>> 5 <= design.n <= 2000
    True
    """
    n = int(round(_log_uniform(rng, 5, 2000)))
    censoring = str(rng.choice(CENSORINGS, p=[0.45, 0.45, 0.1]))
    hazard = _draw_hazard(rng, censoring)
    accrual, extra = float(rng.uniform(3.0, 60.0)), float(rng.uniform(0.0, 60.0))
    loss = -math.log(1 - rng.uniform(0.02, 0.3)) / 12 if censoring == "administrative+loss" else 0.0
    longest = accrual + extra if censoring != "none" else 4 * hazard["median"]
    return Design(n=n, **hazard, censoring=censoring, accrual=accrual, extra_follow_up=extra, loss_rate=loss,
                  unit=_draw_unit(rng, longest), floor_units=float(rng.choice([1.0, 0.5])),
                  decimals=int(rng.choice([1, 0], p=[0.8, 0.2])),
                  landmark_kind=str(rng.choice(["km", "known_status"], p=[0.7, 0.3])),
                  print_follow_up=bool(rng.random() < 0.7))


# --------------------------------------------------------------------------- simulating data


def _piecewise_times(design: Design, exp_draws: np.ndarray) -> np.ndarray:
    """Invert a piecewise-constant cumulative hazard at standard exponential draws."""
    rates = math.log(2) / design.median * np.asarray(design.factors)
    starts = np.concatenate([[0.0], design.breaks])
    widths = np.diff(np.concatenate([starts, [np.inf]]))
    cumulative = np.concatenate([[0.0], np.cumsum(rates[:-1] * widths[:-1])])
    piece = np.searchsorted(cumulative, exp_draws, side="right") - 1
    return starts[piece] + (exp_draws - cumulative[piece]) / rates[piece]


def _death_times(design: Design, rng: np.random.Generator) -> np.ndarray:
    """Time to death of each patient (``inf`` for the cured)."""
    draws = rng.standard_exponential(design.n)
    if design.hazard == "piecewise":
        return _piecewise_times(design, draws)
    scale = design.median / math.log(2) ** (1 / design.shape)
    times = scale * draws ** (1 / design.shape)
    if design.cure:
        times[rng.random(design.n) < design.cure] = np.inf
    return times


def _censoring_times(design: Design, rng: np.random.Generator) -> np.ndarray:
    """Potential follow-up: cut-off minus uniform entry, shortened by exponential loss; ``inf`` if none."""
    if design.censoring == "none":
        return np.full(design.n, np.inf)
    times = design.extra_follow_up + design.accrual * rng.random(design.n)
    if design.loss_rate:
        times = np.minimum(times, rng.exponential(1 / design.loss_rate, design.n))
    return times


def _round_times(times: np.ndarray, unit: str, floor_units: float) -> np.ndarray:
    """Round to the unit (half up), never below ``floor_units`` units."""
    size = UNITS[unit]
    if not size:
        return times
    return np.maximum(np.floor(times / size + 0.5), floor_units) * size


def simulate(design: Design, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Observed (durations in months, events) of one simulated group.

    Parameters
    ----------
    design : Design
        What to simulate.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    durations : ndarray of float
        Follow-up, months, > 0, rounded as ``design.unit`` says.
    events : ndarray of int
        1 = death observed, 0 = censored.

    Examples
    --------
    >>> rng = np.random.default_rng(7)
    >>> durations, events = simulate(draw_design(rng), rng)
    >>> int(durations.size) == int(events.size)
    True
    """
    death, censor = _death_times(design, rng), _censoring_times(design, rng)
    events = (death <= censor).astype(int)
    return _round_times(np.minimum(death, censor), design.unit, design.floor_units), events


# --------------------------------------------------------------------------- printing it


def choose_landmarks(rng: np.random.Generator, longest: float) -> tuple[float, ...]:
    """Up to three round times within follow-up (none in one group of twenty), in time order.

    Examples
    --------
    >>> len(choose_landmarks(np.random.default_rng(0), 40.0)) <= 3
    True
    """
    within = [t for t in LANDMARK_CANDIDATES if t <= longest]
    if not within or rng.random() < 0.05:
        return ()
    count = int(rng.integers(1, min(3, len(within)) + 1))
    return tuple(sorted(float(t) for t in rng.choice(within, count, replace=False)))


def known_status_landmarks(durations: np.ndarray, events: np.ndarray, times: Sequence[float],
                           decimals: int) -> tuple[Landmark, ...]:
    """The shares alive among patients of known status at *times*, printed to *decimals*.

    Examples
    --------
    >>> [m.printed for m in known_status_landmarks(np.array([1.0, 2, 3, 4]), np.array([1, 0, 1, 0]), [3.5], 1)]
    ['33.3']
    """
    return tuple(Landmark(t, rounding.format_at(survival.known_status_share(durations, events, t).percent,
                                                decimals)) for t in times)


def print_summary(durations: np.ndarray, events: np.ndarray, design: Design, landmark_times: Sequence[float],
                  group: str = "simulated") -> GroupSummary:
    """What a paper prints about the group: :func:`il2lib.validation.summarise`, as the design says.

    Known-status landmarks replace the Kaplan–Meier ones when ``design.landmark_kind`` asks for them, and
    the median follow-up is left out unless ``design.print_follow_up``.

    Examples
    --------
    >>> design = draw_design(np.random.default_rng(3))
    >>> s = print_summary(np.array([1.0, 2, 3, 4]), np.array([1, 0, 1, 0]), replace(design, decimals=1), [2.5])
    >>> s.n
    4
    """
    summary = summarise(durations, events, landmark_times=landmark_times, decimals=design.decimals, group=group)
    if design.landmark_kind == "known_status":
        marks = known_status_landmarks(durations, events, [m.time for m in summary.landmarks], design.decimals)
        summary = replace(summary, landmarks=marks, landmark_kind="known_status")
    return summary if design.print_follow_up else replace(summary, median_follow_up=None)


# --------------------------------------------------------------------------- one group, reconstructed

_KINDS = (
    (r"cannot make Kaplan–Meier survival at \S+ print as 100(\.0*)?%", "km landmark 100%"),
    (r"cannot make Kaplan–Meier survival at \S+ print as 0(\.0*)?%", "km landmark 0%"),
    (r"cannot make Kaplan–Meier survival", "km landmark unreachable"),
    (r"no count of patients alive", "known-status share impossible"),
    (r"cannot follow the earlier landmarks", "known-status counts incompatible"),
    (r"the counts at .* leave Kaplan–Meier survival", "known-status vs median"),
    (r"misses the printed median", "median missed"),
    (r"misses the printed landmark", "landmark missed"),
    (r"misses the printed", "other target missed"),
)


def category(error: str) -> str:
    """A short name for the kind of a failure message (``""`` for success).

    Examples
    --------
    >>> category("group 'x': cannot make Kaplan–Meier survival at 3 print as 100.0% (reached 99.000% before repair)")
    'km landmark 100%'
    """
    if not error:
        return ""
    if error.startswith(("timeout", "exception")):
        return error.split(":")[0]
    for pattern, name in _KINDS:
        if re.search(pattern, error):
            return name
    return "input refused"


class _Timeout(Exception):
    """Raised by the alarm when one reconstruction runs longer than its limit."""


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


def _attempt(summary: GroupSummary, limit: float) -> tuple[str, str, float, Reconstruction | None]:
    """Reconstruct with a time limit: (outcome, error message, seconds, the reconstruction or None).

    ``outcome`` is ``"ok"``, ``"ReconstructionError"``, ``"timeout"`` or ``"exception"`` (any other).
    """
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    start = time.perf_counter()
    rebuilt = None
    try:
        rebuilt = reconstruct(summary)
        outcome = "ok", ""
    except ReconstructionError as err:
        outcome = "ReconstructionError", str(err)
    except _Timeout:
        outcome = "timeout", f"timeout: still running after {limit:g} s"
    except Exception as err:  # noqa: BLE001 - any other exception is a finding to report
        outcome = "exception", f"exception {type(err).__name__}: {err}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return (*outcome, time.perf_counter() - start, rebuilt)


def _flat(design: Design) -> dict:
    row = asdict(design)
    row["breaks"] = ",".join(f"{b:.2f}" for b in design.breaks)
    row["factors"] = ",".join(f"{f:.2f}" for f in design.factors)
    return row


def simulated_group(index: int, seed: int) -> tuple[Design, np.ndarray, np.ndarray, GroupSummary]:
    """Group ``index`` of ``seed``: its design, true data and what a paper would print about it.

    Examples
    --------
    >>> design, durations, events, summary = simulated_group(0, seed=1)
    >>> summary.n == durations.size == design.n
    True
    """
    rng = np.random.default_rng([seed, index])
    design = draw_design(rng)
    durations, events = simulate(design, rng)
    landmarks = choose_landmarks(rng, float(durations.max()))
    return design, durations, events, print_summary(durations, events, design, landmarks,
                                                    group=f"sim-{seed}-{index}")


def run_one(index: int, seed: int, limit: float = TIMEOUT) -> dict:
    """Simulate, print and reconstruct group ``index`` of ``seed``: one row of :func:`run`.

    Examples
    --------
    >>> row = run_one(0, seed=1)
    >>> row["n"] == row["summary"].n
    True
    """
    design, durations, events, summary = simulated_group(index, seed)
    outcome, error, seconds, rebuilt = _attempt(summary, limit)
    allowed = band(summary)
    return {"index": index, **_flat(design), "events": int(events.sum()), "longest": float(durations.max()),
            "printed_median": summary.median or "not reached",
            "landmarks": " ".join(f"{m.time:g}:{m.printed}" for m in summary.landmarks),
            "printed_follow_up": summary.median_follow_up or "", "summary": summary, "ok": outcome == "ok",
            "outcome": outcome, "category": category(error), "error": error, "seconds": seconds,
            "all_targets": bool(rebuilt is not None and rebuilt.fit["within_precision"].all()),
            "truth_in_band": allowed.contains(durations, events),
            "rebuilt_in_band": rebuilt is None or allowed.contains(rebuilt.data["time"].to_numpy(),
                                                                  rebuilt.data["event"].to_numpy())}


def _run_star(job: tuple[int, int, float]) -> dict:
    return run_one(*job)


def _rows(count: int, seed: int, processes: int, limit: float) -> Iterator[dict]:
    jobs = [(i, seed, limit) for i in range(count)]
    if processes <= 1:
        yield from map(_run_star, jobs)
        return
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        yield from pool.imap(_run_star, jobs, chunksize=2)


def run(count: int, seed: int, *, processes: int = 1, limit: float = TIMEOUT, progress: bool = False
        ) -> pd.DataFrame:
    """Simulate ``count`` groups, print and reconstruct each one.

    Parameters
    ----------
    count : int
        Groups.
    seed : int
        Seed; group *i* uses ``np.random.default_rng([seed, i])``, so the result
        is the same for any ``processes``.
    processes : int, default 1
        Worker processes.
    limit : float, default TIMEOUT
        Seconds after which a reconstruction is stopped (category ``"timeout"``).
    progress : bool, default False
        Report every thousandth group on stderr.

    Returns
    -------
    DataFrame
        One row per group: the :class:`Design` fields, ``events``, ``longest``,
        what was printed (``printed_median``, ``landmarks``, ``printed_follow_up``
        and the ``summary`` itself), ``ok``, ``outcome`` (``"ok"``, ``"ReconstructionError"``,
        ``"timeout"`` or ``"exception"``), ``category``, ``error`` and
        ``seconds`` taken by :func:`~il2lib.reconstruction.reconstruct`.

    Examples
    --------
    >>> len(run(2, seed=1))
    2
    """
    rows = []
    for row in _rows(count, seed, processes, limit):
        rows.append(row)
        if progress and len(rows) % 1000 == 0:
            print(f"{len(rows)} of {count} groups", file=sys.stderr, flush=True)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- report


def failures_by_kind(frame: pd.DataFrame) -> pd.DataFrame:
    """Failures per category: count, share of all groups, smallest n, and the summary of the smallest.

    Examples
    --------
    >>> failures_by_kind(pd.DataFrame({"ok": [True], "category": [""], "n": [5], "summary": [None]})).shape[0]
    0
    """
    failed = frame[~frame["ok"]].sort_values(["n", "index"] if "index" in frame else ["n"])
    rows = [{"category": kind, "failures": len(group), "share": len(group) / len(frame),
             "smallest_n": int(group["n"].iloc[0]), "reproducer": group["summary"].iloc[0]}
            for kind, group in failed.groupby("category", sort=False)]
    table = pd.DataFrame(rows, columns=["category", "failures", "share", "smallest_n", "reproducer"])
    return table.sort_values("failures", ascending=False, ignore_index=True)


def _rate(frame: pd.DataFrame) -> str:
    """Percent of groups that raised ReconstructionError, and of those stopped or crashing otherwise."""
    refused = frame["outcome"] == "ReconstructionError"
    other = ~frame["ok"] & ~refused
    return f"{100 * refused.mean():.2f}% ReconstructionError, {100 * other.mean():.2f}% timeout or other exception"


def _report(frame: pd.DataFrame, wall: float) -> str:
    seconds = frame["seconds"]
    lines = [f"{len(frame)} groups in {wall:.0f} s; failure rate {100 * (~frame['ok']).mean():.2f}% "
             f"({_rate(frame)})",
             *(f"  {k} landmarks ({len(g)} groups): {_rate(g)}" for k, g in frame.groupby("landmark_kind")),
             f"reconstruct() seconds per group: median {seconds.median():.3f}, "
             f"95th percentile {seconds.quantile(0.95):.3f}, max {seconds.max():.3f}",
             f"rebuilt with every printed target met, median and longest follow-up included: "
             f"{int(frame['all_targets'].sum())} of {int(frame['ok'].sum())}",
             f"true curve outside its band: {int((~frame['truth_in_band']).sum())}; "
             f"rebuilt curve outside it: {int((~frame['rebuilt_in_band']).sum())}", "", "failures by kind:"]
    for row in failures_by_kind(frame).itertuples():
        lines += [f"  {row.category}: {row.failures} ({100 * row.share:.2f}%), smallest n {row.smallest_n}",
                  f"    {row.reproducer!r}"]
    slow = frame[frame["seconds"] > 2].sort_values("seconds", ascending=False)
    lines += ["", f"slower than 2 s: {len(slow)}"]
    lines += [f"  n={r.n} {r.landmark_kind} {r.seconds:.1f} s {r.category or 'ok'}" for r in slow.head(10).itertuples()]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulation and print the failure rate, the failures by kind and the time per group; return 0."""
    parser = argparse.ArgumentParser(prog="python -m il2lib.simulation", description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=2000, help="groups to simulate (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="seed (default 1)")
    parser.add_argument("--processes", type=int, default=min(2, os.cpu_count() or 1),
                        help="worker processes (default: 2, or fewer cores)")
    parser.add_argument("--limit", type=float, default=TIMEOUT, help="seconds before a reconstruction is stopped")
    parser.add_argument("--csv", help="also write the rows to this CSV file")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    frame = run(args.groups, args.seed, processes=args.processes, limit=args.limit, progress=True)
    if args.csv:
        frame.assign(summary=frame["summary"].map(repr)).to_csv(args.csv, index=False)
    print(_report(frame, time.perf_counter() - start))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
