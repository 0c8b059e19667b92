"""The stable-disease study module (il2lib.studies.stable_disease), checked against its claims file."""

from __future__ import annotations

import pytest

from il2lib import audit, datasets
from il2lib.exceptions import DataError
from il2lib.studies import stable_disease as sd

STUDY = "stable-disease"


@pytest.fixture(scope="module")
def study():
    return datasets.load(STUDY)


def test_every_fitted_target_is_reached(study):
    for rec in sd.reconstruct(study):
        assert rec.fit["within_precision"].all(), rec.fit


def test_reconstructed_groups_have_the_analysed_sizes(study):
    data = sd.reconstructed(study)
    sizes = data.groupby("group").size().to_dict()
    assert sum(sizes.values()) == sd.consort_counts(study)["analysed"]


@pytest.mark.parametrize(("claim_id", "pool"), [
    ("fig2a-median", "All patients"),
    ("os-nonresp-median", "No objective response"),
    ("fig2b-nonresp-median", "No objective response"),
    ("fig4-dcr-median", "Disease control"),
])
def test_published_pooled_median_lies_in_predicted_range(study, claim_id, pool):
    """Pooled medians are predictions (nothing pooled is fitted); the printed value must fall in the open range."""
    row = sd.prediction_ranges(study).loc[f"median {pool}"]
    printed = float(study.claim(claim_id).number.value)
    assert row["low"] - 0.05 <= printed <= row["high"] + 0.05, (printed, row["low"], row["high"])


@pytest.mark.parametrize("key", ["p PD, SD vs CR+PR", "p PD vs SD", "p PD vs SD, CR+PR", "p PD vs SD vs CR+PR"])
def test_printed_p_value_far_above_any_scenario(study, key):
    """The paper prints p = 0.001 for every comparison; for those it names, no scenario comes within two orders of magnitude."""
    printed = float(study.claim("os-orr-p").number.value)
    assert sd.prediction_ranges(study).loc[key, "high"] < printed / 100


def test_the_legend_p_value_that_names_no_comparison_fits_one_reading(study):
    """Fig. 3's second p-value names no comparison; objective responders against stable disease allows 0.001."""
    row = audit.audit_study(study).set_index("id").loc["fig3-orr-p"]
    assert row["verdict"] == "unverifiable"
    assert "SD vs CR+PR: " in row["evidence"] and "(cannot be 0.001)" in row["evidence"]
    ranges = sd.prediction_ranges(study)
    assert ranges.loc["p SD vs CR+PR", "low"] <= 0.001 <= ranges.loc["p SD vs CR+PR", "high"]


def test_landmark_analysis_drops_early_deaths(study):
    table = sd.landmark_comparison(study, at=3.0)
    start, later = table.iloc[0], table.iloc[1]
    assert later["PD n"] < start["PD n"]
    assert later["SD n"] <= start["SD n"]


def test_consort_totals_checked_across_files(data_copy):
    path = data_copy / STUDY / "initial_response.csv"
    path.write_text(path.read_text().replace("PD,128", "PD,129"))
    with pytest.raises(DataError, match=r"initial_response.csv: column 'n' \(all\): expected the counts to add up "
                                        r"to the 217 analysed patients of consort.csv, found 218"):
        datasets.load(STUDY)


def test_consort_boxes_must_add_up(data_copy):
    path = data_copy / STUDY / "consort.csv"
    path.write_text(path.read_text().replace("no_response,12", "no_response,13"))
    with pytest.raises(DataError, match=r"consort.csv: line 6, column 'n': expected the analysed patients to equal "
                                        r"the reviewed minus every exclusion, found '217'"):
        datasets.load(STUDY)


def test_stage_counts_must_cover_the_stable_disease_patients(data_copy):
    path = data_copy / STUDY / "sd_stage.csv"
    path.write_text(path.read_text().replace("IV NOS,25", "IV NOS,24"))
    with pytest.raises(DataError, match="sd_stage.csv: column 'n': expected the stages to add up to the 57 SD"):
        datasets.load(STUDY)
