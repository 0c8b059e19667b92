"""Survival statistics (module il2lib.survival), checked against lifelines and against hand computations."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_lung
from lifelines.statistics import logrank_test, multivariate_logrank_test
from lifelines.utils import median_survival_times, restricted_mean_survival_time

from il2lib import survival

# A tiny hand example: deaths at 1, 2, 4; censored at 3, 5.
#   S = 4/5 after t=1, 3/5 after t=2, (3/5)(1/2) = 3/10 after t=4 (two at risk).
HAND_T = [1, 2, 3, 4, 5]
HAND_E = [1, 1, 0, 1, 0]


@pytest.fixture(scope="module")
def lung():
    frame = load_lung()
    dead = 2 if frame["status"].max() == 2 else 1
    return frame["time"].to_numpy(float), (frame["status"] == dead).to_numpy(int)


def test_km_median_hand_example():
    """First time S <= 0.5 is t = 4 (S drops from 0.6 to 0.3)."""
    assert survival.median(HAND_T, HAND_E).estimate == 4.0


def test_km_median_not_reached_is_inf():
    result = survival.median([1, 2, 3, 4], [1, 0, 0, 0])
    assert math.isinf(result.estimate) and not result.reached


def test_km_median_against_lifelines(lung):
    durations, events = lung
    fitted = KaplanMeierFitter().fit(durations, events)
    expected = median_survival_times(fitted.survival_function_)
    bands = median_survival_times(fitted.confidence_interval_)
    result = survival.median(durations, events)
    assert result.estimate == pytest.approx(expected, abs=0)
    assert (result.ci_low, result.ci_high) == pytest.approx(tuple(bands.iloc[0]), abs=0)
    assert "log-log Greenwood" in result.method


def test_survival_at_hand_example():
    table = survival.survival_at(HAND_T, HAND_E, [0.5, 1, 2.5, 4, 10])
    assert table["estimate"].tolist() == pytest.approx([1.0, 0.8, 0.6, 0.3, 0.3], abs=1e-12)
    assert list(table.columns) == ["time", "estimate", "ci_low", "ci_high"]


def test_survival_at_against_lifelines(lung):
    durations, events = lung
    times = [30.0, 182.5, 365.0, 730.0]
    fitted = KaplanMeierFitter().fit(durations, events)
    table = survival.survival_at(durations, events, times)
    assert table["estimate"].to_numpy() == pytest.approx(fitted.survival_function_at_times(times).to_numpy(),
                                                         abs=1e-12)
    assert np.all(table["ci_low"] <= table["estimate"]) and np.all(table["estimate"] <= table["ci_high"])


def test_known_status_share_hand_example():
    """At t = 10: alive = {10, 12, 15}; dead before = {2, 8}; censored at 5 is left out -> 3/5."""
    durations, events = [2, 5, 8, 10, 12, 15], [1, 0, 1, 0, 1, 0]
    status = survival.known_status_share(durations, events, 10)
    assert (status.alive, status.known, status.share) == (3, 5, Fraction(3, 5))
    assert status.percent == 60
    km_value = survival.survival_at(durations, events, [10])["estimate"].iloc[0]  # (5/6)(3/4) = 0.625
    assert km_value == pytest.approx(0.625) and km_value >= status.share  # KM is never below the share


def test_known_status_share_needs_a_known_patient():
    with pytest.raises(ValueError, match="no patient has a known status"):
        survival.known_status_share([1, 2], [0, 0], 5)


def test_reverse_km_follow_up_hand_example():
    """Censorings at 2, 4, 5 end follow-up: reverse KM 4/5 at 2, 8/15 at 4, 4/15 at 5 -> median 5."""
    assert survival.median_follow_up([1, 2, 3, 4, 5, 6], [1, 0, 1, 0, 0, 1]) == 5.0


def test_rmst_against_lifelines(lung):
    durations, events = lung
    fitted = KaplanMeierFitter().fit(durations, events)
    for horizon in (100.0, 365.0, 1022.0):
        expected = restricted_mean_survival_time(fitted, t=horizon)
        assert survival.rmst(durations, events, horizon).estimate == pytest.approx(expected, rel=1e-12)


def test_rmst_hand_example_with_greenwood_variance():
    """Area 1 + 0.75*2 + 0.375*1; variance 1.875**2/(4*3) + 0.375**2/(2*1) (Klein & Moeschberger 4.5)."""
    result = survival.rmst([1, 2, 3, 4], [1, 0, 1, 0], horizon=4)
    assert result.estimate == pytest.approx(2.875, abs=1e-12)
    se = math.sqrt(1.875**2 / 12 + 0.375**2 / 2)
    assert (result.ci_low, result.ci_high) == pytest.approx((2.875 - 1.959964 * se, 2.875 + 1.959964 * se))


def test_logrank_against_lifelines(lung):
    durations, events = lung
    sex = load_lung()["sex"].to_numpy()
    a, b = sex == 1, sex == 2
    expected = logrank_test(durations[a], durations[b], events[a], events[b])
    result = survival.logrank(durations[a], events[a], durations[b], events[b])
    assert (result.statistic, result.p_value) == pytest.approx((expected.test_statistic, expected.p_value))
    assert result.degrees_of_freedom == 1


def test_logrank_groups_against_lifelines(lung):
    durations, events = lung
    frame = pd.DataFrame({"time": durations, "event": events, "group": load_lung()["ph.ecog"].fillna(1).astype(int)})
    expected = multivariate_logrank_test(frame["time"], frame["group"], frame["event"])
    result = survival.logrank_groups(frame)
    assert (result.statistic, result.p_value) == pytest.approx((expected.test_statistic, expected.p_value))
    assert result.degrees_of_freedom == frame["group"].nunique() - 1


# Two hand-built step functions on [0, 4]:
#   a = 1 on [0, 1), 0.5 on [1, 4];   b = 1 on [0, 2), 0.8 on [2, 3), 0.2 on [3, 4].
#   |a - b| = 0 on [0, 1), 0.5 on [1, 2), 0.3 on [2, 3), 0.3 on [3, 4] -> integral 1.1, mean 0.275, max 0.5.
STEP_A = pd.Series([1.0, 0.5], index=[0.0, 1.0])
STEP_B = pd.Series([1.0, 0.8, 0.2], index=[0.0, 2.0, 3.0])


def test_mean_vertical_distance_hand_example():
    assert survival.mean_vertical_distance(STEP_A, STEP_B, horizon=4) == pytest.approx(1.1 / 4, abs=1e-15)
    assert survival.mean_vertical_distance(STEP_B, STEP_A, horizon=4) == pytest.approx(1.1 / 4, abs=1e-15)


def test_max_vertical_distance_hand_example():
    assert survival.max_vertical_distance(STEP_A, STEP_B, horizon=4) == pytest.approx(0.5, abs=1e-15)
    assert survival.max_vertical_distance(STEP_A, STEP_B, horizon=0.5) == 0.0


def test_distances_stop_at_the_horizon():
    """On [0, 2.5]: 0.5 on [1, 2), 0.3 on [2, 2.5] -> (0.5 + 0.15) / 2.5; the drop of b at 3 is beyond it."""
    assert survival.mean_vertical_distance(STEP_A, STEP_B, horizon=2.5) == pytest.approx(0.65 / 2.5, abs=1e-15)


def test_distances_accept_fitted_curves_and_are_zero_for_identical_data():
    fitted = survival.km(HAND_T, HAND_E)
    same = survival.km(HAND_T, HAND_E)
    assert survival.mean_vertical_distance(fitted, same, horizon=5) == 0.0
    assert survival.max_vertical_distance(fitted, STEP_A, horizon=5) == pytest.approx(0.3)  # 0.8 vs 0.5 at [1, 2)


def test_numbers_at_risk_hand_example():
    at_risk = survival.numbers_at_risk(HAND_T, [0, 2, 2.5, 5, 6])
    assert at_risk.tolist() == [5, 4, 3, 1, 0]


@pytest.mark.parametrize(("durations", "events", "message"), [
    ([1, 2], [1], "equal length"),
    ([], [], "at least one patient"),
    ([-1, 2], [1, 0], "finite and >= 0"),
    ([1, 2], [1, 2], "0 \\(censored\\) or 1"),
])
def test_invalid_input_is_rejected(durations, events, message):
    with pytest.raises(ValueError, match=message):
        survival.km(durations, events)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 40), st.integers(0, 1), st.integers(0, 3)), min_size=4, max_size=120))
def test_mantel_cox_against_lifelines_with_ties_and_censoring(patients):
    """The numpy log-rank statistic equals lifelines' on any data with whole-number (tied) times and censoring."""
    frame = pd.DataFrame(patients, columns=["time", "event", "group"])
    if frame["group"].nunique() < 2 or frame["event"].sum() == 0:
        return
    expected = multivariate_logrank_test(frame["time"], frame["group"], frame["event"])
    statistic, df = survival.mantel_cox(frame["time"], frame["event"], frame["group"])
    assert df == frame["group"].nunique() - 1
    assert statistic == pytest.approx(float(expected.test_statistic), rel=1e-9, abs=1e-9)
    assert survival.logrank_groups(frame).p_value == pytest.approx(float(expected.p_value), rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 1)), min_size=1, max_size=80))
def test_median_time_against_lifelines(patients):
    """The numpy Kaplan-Meier median equals lifelines' on tied, censored data (inf when not reached)."""
    frame = pd.DataFrame(patients, columns=["time", "event"])
    assert survival.median_time(frame["time"], frame["event"]) == survival.median(frame["time"], frame["event"]).estimate


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(0, 1)), min_size=1, max_size=80),
       st.floats(0.5, 40))
def test_area_is_the_restricted_mean_lifelines_computes(patients, horizon):
    frame = pd.DataFrame(patients, columns=["time", "event"])
    curve = pd.Series(*reversed(survival.km_steps(frame["time"], frame["event"])))
    expected = survival.rmst(frame["time"], frame["event"], horizon).estimate
    assert survival.area(curve, horizon) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(0, 1)), min_size=1, max_size=80))
def test_km_steps_equal_lifelines_to_the_last_bit(patients):
    """The numpy Kaplan-Meier curve equals lifelines' exactly (not approximately), ties and censoring included:
    a value on a printed rounding boundary must fall on the same side in both."""
    frame = pd.DataFrame(patients, columns=["time", "event"])
    times, values = survival.km_steps(frame["time"], frame["event"])
    fitted = survival.km(frame["time"], frame["event"]).survival_function_.iloc[:, 0]
    assert values.tolist() == fitted.loc[times].tolist()


@settings(max_examples=300, deadline=None)
@given(st.floats(0.0, 400.0), st.integers(1, 40))
def test_chi_squared_tail_is_scipys(statistic, df):
    from scipy.special import chdtrc

    from il2lib.survival import _chi2_p

    np.testing.assert_allclose(_chi2_p(statistic, df), chdtrc(df, statistic), rtol=1e-10, atol=1e-300)
