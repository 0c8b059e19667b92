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


# --- the bands the book draws behind its reconstructed curves -----------------------------------------

from il2lib import datasets, plotting  # noqa: E402
from il2lib.plotting import layout_problems  # noqa: E402
from il2lib.studies import after_pd1, stable_disease  # noqa: E402


def _book_groups() -> list[tuple[str, GroupSummary]]:
    """Every group summary the book reconstructs and draws: stable-disease's three, after-pd1's per figure."""
    sd_study, ap_study = datasets.load("stable-disease"), datasets.load("after-pd1")
    groups = [(f"stable-disease {s.group}", s) for s in stable_disease.group_summaries(sd_study)]
    for figure in ap_study.metadata["reconstruction"]["comparisons"]:
        groups += [(f"after-pd1 {figure} {s.group}", s)
                   for s in after_pd1.summaries(ap_study, figure).values() if s is not None]
    return groups


BOOK_GROUPS = _book_groups()


@pytest.mark.parametrize("summary", [s for _, s in BOOK_GROUPS], ids=[name for name, _ in BOOK_GROUPS])
def test_every_curve_the_book_reconstructs_lies_inside_its_band(summary):
    rebuilt = reconstruct(summary).data
    assert band(summary).contains(rebuilt["time"].to_numpy(), rebuilt["event"].to_numpy())


def test_the_stable_disease_reconstruction_is_the_one_its_bands_are_drawn_for():
    study = datasets.load("stable-disease")
    summaries = stable_disease.group_summaries(study)
    assert [r.summary for r in stable_disease.reconstruct(study)] == summaries


def test_plot_km_shades_one_band_per_group_behind_its_curve_with_one_legend_entry():
    import matplotlib.pyplot as plt

    plotting.set_theme()
    study = datasets.load("stable-disease")
    bands = {s.group: band(s) for s in stable_disease.group_summaries(study)}
    fig, ax = plt.subplots(figsize=(plotting.FIGURE_WIDTH, 6.4))
    plotting.plot_km(stable_disease.reconstructed(study), ax=ax, p_value=1e-9, bands=bands)
    shaded = ax.collections
    assert len(shaded) == len(bands)
    assert all(c.get_zorder() < min(line.get_zorder() for line in ax.lines) for c in shaded)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels.count(plotting.km.BAND_LABEL) == 1 and len(labels) == len(bands) + 1
    assert layout_problems(fig) == []
    plt.close(fig)


def test_plot_km_shades_only_the_groups_given_a_band_and_keeps_the_entry_when_shading_is_added():
    import matplotlib.pyplot as plt

    plotting.set_theme()
    study = datasets.load("after-pd1")
    figure = next(f for f in study.metadata["reconstruction"]["comparisons"]
                  if after_pd1.summaries(study, f)["after PD-1"] is None)
    bands = {g: band(s) for g, s in after_pd1.summaries(study, figure).items() if s is not None}
    fig, ax = plt.subplots(figsize=(plotting.FIGURE_WIDTH, 4.6))
    plotting.plot_km(after_pd1.reconstructed(study, figure), ax=ax, horizon=30, bands=bands)
    assert len(ax.collections) == len(bands) == 1
    plotting.shade_not_reached(ax, until=29, label="median not reached")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert plotting.km.BAND_LABEL in labels and labels[-1] == "median not reached"
    assert layout_problems(fig) == []
    plt.close(fig)
