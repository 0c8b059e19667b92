"""The band of Kaplan–Meier curves a printed summary allows (il2lib.reconstruction.band).

The band is a claim about every data set that prints a summary, so it is tested
on data sets whose summaries were printed from them: the real validation groups
and simulated trial groups.  The true curve must lie inside everywhere; so must
the reconstruction, which is one of those data sets.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from il2lib import simulation, validation
from il2lib.exceptions import ReconstructionError
from il2lib.reconstruction import GroupSummary, Landmark, band, reconstruct

VALIDATION_GROUPS = [(dataset, name, data) for dataset in validation.VALIDATION_DATASETS
                     for name, data in validation.groups(dataset).items()]


@pytest.mark.parametrize("dataset, name, data", VALIDATION_GROUPS,
                         ids=[f"{d.name}-{g}" for d, g, _ in VALIDATION_GROUPS])
def test_true_and_rebuilt_curves_of_every_validation_group_lie_inside_the_band(dataset, name, data):
    durations, events = data
    summary = validation.summarise(durations, events, landmark_times=dataset.landmark_times, group=name)
    allowed = band(summary)
    assert allowed.contains(durations, events)
    rebuilt = reconstruct(summary).data
    assert allowed.contains(rebuilt["time"].to_numpy(), rebuilt["event"].to_numpy())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, 10**6), seed=st.integers(0, 3))
def test_true_curve_of_a_simulated_group_lies_inside_its_band(index, seed):
    _, durations, events, summary = simulation.simulated_group(index, seed)
    assert band(summary).contains(durations, events), summary


def test_a_landmark_printed_100_percent_pins_the_curve_at_one_before_it():
    allowed = band(GroupSummary("A", 40, "20.0", (Landmark(6, "100.0"), Landmark(12, "80.0")), max_follow_up=30))
    lower, upper = allowed.at(np.array([0.0, 5.9, 6.0]))
    assert lower.tolist() == [1.0, 1.0, 0.7995] and upper.tolist() == [1.0, 1.0, 1.0]


def test_a_landmark_printed_0_percent_pins_the_curve_at_zero_from_it_on():
    allowed = band(GroupSummary("A", 40, "3.0", (Landmark(12, "0.0"),), max_follow_up=12))
    assert allowed.at(12.0)[1] == 0.0 and allowed.at(11.9)[1] == 0.5


def test_a_median_not_reached_keeps_the_curve_above_one_half_to_the_end():
    allowed = band(GroupSummary("A", 60, None, (Landmark(12, "90.0"),), max_follow_up=48))
    lower, _ = allowed.at(np.array([0.0, 12.0, 47.9, 48.0]))
    assert lower.tolist() == [0.8995, 0.5, 0.5, 0.5]


def test_a_known_status_share_bounds_the_curve_below_before_it_and_by_the_fewest_deaths_after_it():
    # 20.0% of five patients of known status: at least 1 alive and 4 dead, so survival is at most 1 - 4/5;
    # before it survival is at least the share's 19.95%, hence (whole patients) at least 1/5
    allowed = band(GroupSummary("A", 5, "3.0", (Landmark(6, "20.0"),), landmark_kind="known_status",
                                max_follow_up=10))
    assert allowed.at(5.9)[0] == pytest.approx(0.2)
    assert allowed.at(6.0)[1] == pytest.approx(0.2)


def test_the_band_is_exactly_the_printed_interval_at_a_landmark_and_free_beyond_the_last():
    allowed = band(GroupSummary("A", 200, "14.0", (Landmark(6, "70.0"), Landmark(12, "55.0")), max_follow_up=40))
    assert [float(x) for x in allowed.at(6.0)] == [0.5495, 0.7005]
    assert [float(x) for x in allowed.at(30.0)] == [0.0, 0.5]
    assert allowed.mean_width == pytest.approx(
        (6 * (1 - 0.6995) + 6 * (0.7005 - 0.5495) + 1.95 * (0.5505 - 0.5) + 0.1 * 0.5505 + 25.95 * 0.5) / 40)


def test_the_band_refuses_an_inconsistent_summary_as_the_reconstruction_does():
    rising = GroupSummary("A", 50, None, (Landmark(6, "60.0"), Landmark(12, "70.0")), max_follow_up=24)
    with pytest.raises(ReconstructionError, match="survival increases with time"):
        band(rising)
