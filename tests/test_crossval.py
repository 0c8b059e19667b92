"""Cross-validation of the target curve (module il2lib.crossval) and the curve choices of il2lib.reconstruction."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from test_reconstruction import LUNG_MALE, NOT_REACHED, stable_disease_groups

from il2lib import crossval
from il2lib.interpolation import pchip
from il2lib.reconstruction import ReconstructionError, reconstruct
from il2lib.reconstruction.summary import GRID, check
from il2lib.reconstruction.target import CURVES, DEFAULT_CURVE, anchors, target_curve


def _reference_curve(points_in, stop, not_reached, n):
    """The target curve exactly as it was before the interpolation and the tail became selectable."""
    points = sorted((t, min(max(s, 1e-6), 1.0)) for t, s in points_in if t > 0)
    times = [0.0] + [t for t, _ in points]
    hazard = np.maximum.accumulate([0.0] + [-math.log(s) for _, s in points])
    if times[-1] < stop:
        rate = 0.0
        if len(times) >= 2 and hazard[-1] > 0:
            average = hazard[-1] / times[-1]
            width = times[-1] - times[-2]
            s_start, s_end = math.exp(-hazard[-2]), math.exp(-hazard[-1])
            rise = hazard[-1] - hazard[-2]
            deaths = n * (s_start - s_end)
            exposure = n * width * (s_start if rise <= 1e-12 else (s_start - s_end) / rise)
            rate = (1 + deaths) / (1 / average + exposure)
        end = hazard[-1] + rate * (stop - times[-1])
        if not_reached:
            last = math.exp(-hazard[-1])
            end = min(end, -math.log(0.5 + 0.5 * (last - 0.5)))
        times.append(stop)
        hazard = np.append(hazard, max(end, hazard[-1]))
    grid = np.unique(np.concatenate([np.linspace(0.0, stop, GRID), times]))
    grid = grid[grid <= stop]
    cumulative = pchip(np.array(times), hazard, grid)
    return grid, np.exp(-np.maximum.accumulate(np.maximum(cumulative, 0.0)))


_GROUPS = [*stable_disease_groups(), LUNG_MALE, NOT_REACHED]


@pytest.mark.parametrize("summary", _GROUPS, ids=lambda s: s.group)
def test_default_target_curve_is_byte_identical_to_before(summary):
    spec = check(summary)
    grid, values = _reference_curve(anchors(spec), spec.max_fu, spec.median is None, spec.n)
    for curve in (target_curve(anchors(spec), spec.max_fu, spec.median is None, spec.n),
                  target_curve(anchors(spec), spec.max_fu, spec.median is None, spec.n, DEFAULT_CURVE)):
        assert curve.t.tobytes() == grid.tobytes() and curve.v.tobytes() == values.tobytes()


def test_default_target_curve_is_byte_identical_to_before_on_generated_anchors():
    rng = np.random.default_rng(7)
    for _ in range(300):
        m = int(rng.integers(0, 5))
        times, shares = np.sort(rng.uniform(0.1, 50, m)), np.sort(rng.uniform(0, 1, m))[::-1]
        stop, not_reached, n = float(rng.choice([times.max() if m else 10.0, 60.0])), bool(rng.random() < .3), 100
        grid, values = _reference_curve(list(zip(times, shares)), stop, not_reached, n)
        curve = target_curve(list(zip(times, shares)), stop, not_reached, n)
        assert curve.t.tobytes() == grid.tobytes() and curve.v.tobytes() == values.tobytes()


@pytest.mark.parametrize("summary", _GROUPS, ids=lambda s: s.group)
def test_default_reconstruction_is_the_explicit_default(summary):
    assert reconstruct(summary).data.to_csv() == reconstruct(summary, curve=DEFAULT_CURVE).data.to_csv()


@pytest.mark.parametrize("curve", CURVES)
@pytest.mark.parametrize("summary", [LUNG_MALE, NOT_REACHED, stable_disease_groups()[1]], ids=lambda s: s.group)
def test_every_curve_hits_every_printed_target(summary, curve):
    result = reconstruct(summary, curve=curve)
    assert bool(result.fit["within_precision"].all()), result.fit


@pytest.mark.parametrize("curve", CURVES)
def test_every_curve_gives_a_survival_curve(curve):
    target = target_curve([(6.0, 0.63), (12.0, 0.336), (18.0, 0.19)], 33.6, False, 138, curve)
    assert target.v[0] == 1.0 and np.all(np.diff(target.v) <= 0) and np.all(target.v > 0)
    for t, s in [(6.0, 0.63), (12.0, 0.336), (18.0, 0.19)]:
        assert target(t) == pytest.approx(s, abs=1e-9)


def test_unknown_curve_is_a_clear_error():
    with pytest.raises(ReconstructionError, match="curve must be one of"):
        reconstruct(LUNG_MALE, curve="spline/shrunk")


def _fake_metrics() -> pd.DataFrame:
    rows = []
    for fold, values in {"a": (0.01, 0.02, 0.03), "b": (0.05, 0.01, 0.02), "c": (0.04, 0.03, 0.01)}.items():
        for group in ("g1", "g2"):
            for curve, value in zip(("x", "y", "z"), values):
                rows.append({"fold": fold, "group": group, "curve": curve, "mean_distance": value, "failed": False})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("held_out", ["a", "b", "c"])
def test_selection_never_reads_the_held_out_fold(held_out):
    metrics = _fake_metrics()
    chosen = crossval.select_curve(metrics, held_out)
    assert chosen == crossval.select_curve(metrics[metrics["fold"] != held_out], held_out)
    for value, failed in [(0.0, False), (1e9, False), (math.nan, True)]:
        for curve in ("x", "y", "z"):
            changed = metrics.copy()
            mask = (changed["fold"] == held_out) & (changed["curve"] == curve)
            changed.loc[mask, "mean_distance"], changed.loc[mask, "failed"] = value, failed
            assert crossval.select_curve(changed, held_out) == chosen


def test_selection_uses_the_other_folds_and_counts_failures():
    metrics = _fake_metrics()
    # without a: x has medians b 0.05, c 0.04; y 0.01, 0.03; z 0.02, 0.01 -> z (0.015) over y (0.02)
    assert crossval.select_curve(metrics, "a") == "z"
    failed = metrics.copy()
    failed.loc[(failed["curve"] == "z") & (failed["fold"] != "a"), "failed"] = True
    assert crossval.select_curve(failed, "a") == "y"


def test_leave_one_dataset_out_holds_out_each_fold_once():
    table = crossval.leave_one_dataset_out(_fake_metrics())
    assert table["fold"].tolist() == ["a", "a", "b", "b", "c", "c"]
    assert all(table["curve"] == table["chosen"])
    for fold, chosen in zip(table["fold"], table["chosen"]):
        assert chosen == crossval.select_curve(_fake_metrics(), fold)


def test_against_targets_counts_failures():
    rows = pd.DataFrame({"mean_distance": [0.01, math.nan], "rmst_rel_error": [0.01, math.nan],
                         "failed": [False, True], "beats_crude_distance": [True, False],
                         "targets_agree": [True, False]})
    summary = crossval.against_targets(rows).set_index("figure")
    assert summary.loc["worst mean |ΔS|", "value"] == math.inf
    assert summary.loc["failed reconstructions", "value"] == 1 and not summary.loc["failed reconstructions", "met"]
    assert summary.loc["share of groups closer than crude", "value"] == 0.5


def test_added_data_sets_are_real_groups_with_fixed_landmarks():
    names = [d.name for d in crossval.CROSSVAL_DATASETS]
    assert len(names) == len(set(names)) == 14
    folds = {d.name: d.fold for d in crossval.CROSSVAL_DATASETS}
    assert folds["lymph_node"] == folds["gbsg2"]  # same patients, one fold
    for dataset in crossval.CROSSVAL_DATASETS:
        groups = crossval.groups(dataset)
        assert len(groups) == 2
        for durations, events in groups.values():
            assert len(durations) == len(events) >= 6 and np.all(durations >= 0) and set(np.unique(events)) <= {0, 1}
