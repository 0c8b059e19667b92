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
   When that repair cannot reach a window (small groups, low landmarks: the
   release fixed how many die), the counts of all intervals are planned
   together instead (:mod:`~il2lib.reconstruction.km_plan`): in each interval
   runs of censorings and deaths whose Kaplan–Meier value lands in the window,
   found by a beam search nearest the release's counts, with one step per
   interval first and up to three when the window needs deaths in more blocks.
   When no such plan exists, a dynamic programme over every interleaving of
   deaths and censorings (:mod:`~il2lib.reconstruction.km_exact`) finds one,
   on ``-log S`` cut into bins a 64th of the narrowest window wide.
   Candidate data sets are tried in order until every printed target is met.
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
   required target (n, median, landmarks) still missed raises
   :class:`ReconstructionError`; a data set that misses only the median follow-up or
   longest follow-up is returned when no candidate meets them all, and its
   ``fit`` says so.
5. **The band.**  :func:`band` gives, for any summary, the pointwise range of
   Kaplan–Meier curves that every data set printing it must lie in (monotone
   between the printed anchors and the median, known-status shares as lower
   bounds, whole patients at 0 and 1).  The reconstruction is one curve inside
   it; the book draws it behind every reconstructed curve.

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
* Ties are not reproduced (times are distinct), except at the longest
  follow-up when a known-status landmark falls there.
* Speed (``make bench``): a group of 500 takes milliseconds to tens of
  milliseconds, of 5,000 under a second, known-status landmarks included
  (above 150 patients the count search looks near the expected losses first).
* Consistent summaries rebuild.  Of 10,000 simulated groups
  (:mod:`il2lib.simulation`) of seed 1, on which the method was developed,
  none raises :class:`ReconstructionError`.  Seeds 2 to 5 were each run once
  as held-out checks (4, 4, 7 and 1 failures in 10,000), seed 6 once after
  the dynamic programme of step 4 was added (none) and seed 7 once after that
  (3: a plan only at the edge of what is reachable, a median before a 0%
  landmark at the end of follow-up, a group of 1,752 that took 14 s); all
  of those 19 groups rebuild now.  Seeds 8 and 9, run only after that,
  refused none of their 10,000 each.  About 2-2.6% of rebuilds meet every
  required target but miss the printed median follow-up or longest
  follow-up (their ``fit`` says which), and every true and rebuilt curve
  lies inside its band.

Package layout
--------------
One module per step; all but this one are internal to the package.

:mod:`~il2lib.reconstruction.summary`
    :class:`Landmark` and :class:`GroupSummary`, and the checks that turn a
    summary into numbers (every inconsistency a :class:`ReconstructionError`);
:mod:`~il2lib.reconstruction.kaplan_meier`
    Kaplan–Meier values of sorted data, computed as lifelines does;
:mod:`~il2lib.reconstruction.target`
    step 1, the target survival curve;
:mod:`~il2lib.reconstruction.censoring`
    step 2, the censoring curve;
:mod:`~il2lib.reconstruction.release`
    step 3, the Guyot-style release, and the driver for Kaplan–Meier landmarks;
:mod:`~il2lib.reconstruction.repair`
    step 4 for Kaplan–Meier landmarks, and the median kept on its printed side;
:mod:`~il2lib.reconstruction.km_plan`
    step 4 for Kaplan–Meier landmarks the repair cannot reach: joint count plans;
:mod:`~il2lib.reconstruction.km_exact`
    step 4 for Kaplan–Meier landmarks the count plans cannot reach: every interleaving, by dynamic programming;
:mod:`~il2lib.reconstruction.known_status`
    step 4 for known-status landmarks: the exact counts;
:mod:`~il2lib.reconstruction.warp`
    step 4, last: the time warp that pins the median and the follow-up;
:mod:`~il2lib.reconstruction.fit`
    the output: :class:`Reconstruction`, the fit of every printed target and
    :func:`fit_table`;
:mod:`~il2lib.reconstruction.baseline`
    :func:`crude_baseline`, the naive comparator;
:mod:`~il2lib.reconstruction.band`
    step 5, :func:`band`: the range of curves the printed numbers allow.

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

import numpy as np
import pandas as pd

from il2lib.exceptions import ReconstructionError
from il2lib.reconstruction.band import Band, band, band_widths
from il2lib.reconstruction.baseline import crude_baseline
from il2lib.reconstruction.censoring import calibrated_censoring
from il2lib.reconstruction.fit import Reconstruction, data_frame, fit_table, measure_fit
from il2lib.reconstruction.kaplan_meier import order
from il2lib.reconstruction.known_status import known_status_kind
from il2lib.reconstruction.release import km_candidates
from il2lib.reconstruction.repair import ensure_crossing, keep_not_reached
from il2lib.reconstruction.summary import GroupSummary, Landmark, Spec, check
from il2lib.reconstruction.target import DEFAULT_CURVE, anchors, target_curve
from il2lib.reconstruction.warp import pin

__all__ = ["LOSS_TIMINGS", "fit_table", "Landmark", "GroupSummary", "Reconstruction", "ReconstructionError", "METHOD",
           "reconstruct", "crude_baseline", "Band", "band", "band_widths"]

#: Short name of the method of :func:`reconstruct`.
METHOD = "PCHIP cumulative hazard + Guyot-style integer counts + printed-precision repair"

#: Where, within an interval between landmarks, patients of unknown status are lost (``known_status`` only):
#: spread like the censoring curve (the default), all at its start, or all at its end.  The printed shares fix
#: how many are lost in each interval but not when, so results that depend on it are only partly identified.
LOSS_TIMINGS = ("spread", "early", "late")
_MORE_TRIES = 5   # candidates tried for the median and longest follow-up once the required targets are met


def reconstruct(summary: GroupSummary, *, loss_timing: str = "spread", curve: str = DEFAULT_CURVE) -> Reconstruction:
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
    curve : str, default "pchip/shrunk"
        Interpolation of the cumulative hazard between anchors and tail model,
        ``"<interpolation>/<tail>"``: one of ``il2lib.reconstruction.target.CURVES``
        (interpolation ``"pchip"``, ``"linear"`` or ``"loglog"``; tail ``"shrunk"``,
        ``"last"`` or ``"average"``).  The default is the method described above,
        and gives the same bytes as before the option existed.
        :mod:`il2lib.crossval` cross-validates the choice.

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
        return _reconstruct(summary, loss_timing, curve)
    except ReconstructionError as err:
        err.group = summary.group
        raise


def _reconstruct(summary: GroupSummary, loss_timing: str, curve: str = DEFAULT_CURVE) -> Reconstruction:
    spec = check(summary)
    name = f"group {summary.group!r}"
    censor_model = calibrated_censoring(spec)
    target = target_curve(anchors(spec), spec.max_fu, spec.median is None, spec.n, curve)
    notes = [censor_model.describe()]
    if spec.kind == "known_status" and spec.landmarks:
        if loss_timing not in LOSS_TIMINGS:
            raise ReconstructionError(f"loss_timing must be one of {LOSS_TIMINGS}, not {loss_timing!r}")
        times, events, counted = known_status_kind(spec, target, censor_model, name, loss_timing, curve)
        notes += counted
        candidates: Iterable[tuple[np.ndarray, np.ndarray]] = [(times, events)]
    else:
        candidates = km_candidates(spec, target, censor_model, name)
    fallback, first_miss, since = None, None, 0
    for times, events in candidates:
        times, events = _finish(spec, times, events)
        fit = measure_fit(summary, spec, times, events)
        miss = _first_miss(fit, name)
        if miss is None:
            rebuilt = Reconstruction(summary, data_frame(times, events, summary.group), fit, METHOD, tuple(notes))
            if bool(fit["within_precision"].all()):
                return rebuilt
            fallback = rebuilt if fallback is None else fallback
        first_miss = first_miss or miss
        since += fallback is not None
        if since > _MORE_TRIES:
            break            # the required targets are met: a few more tries for the follow-up, not all
    if fallback is not None:
        return fallback          # every required target met; the median follow-up or longest follow-up only nearly
    raise ReconstructionError(first_miss)


def _finish(spec: Spec, times: np.ndarray, events: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keep the median on its printed side, then warp time onto the printed median and follow-up."""
    events = keep_not_reached(spec, times, events) if spec.median is None else ensure_crossing(spec, times, events)
    return order(pin(spec, times, events), events)


def _first_miss(fit: pd.DataFrame, name: str) -> str | None:
    """The first required target (n, median, landmarks) missed, as an error message; None if all are met."""
    required = fit[fit["target"].isin(["n", "median"]) | fit["target"].str.startswith("landmark")]
    missed = required[~required["within_precision"].astype(bool)]
    if missed.empty:
        return None
    row = missed.iloc[0]
    return (f"{name}: the reconstruction misses the printed {row['target']} "
            f"{row['printed']} (reached {row['achieved']:.3f})")
