"""The synthesis across studies (module il2lib.synthesis): rates, intervals and the pooled rate."""

from __future__ import annotations

import numpy as np
import pytest

from il2lib import response, synthesis


@pytest.fixture(scope="module")
def orr():
    return synthesis.cohorts("ORR")


def test_every_cohort_has_an_exact_interval_around_its_rates(orr):
    assert len(orr) >= 8
    assert (orr["ci_low"] <= orr["estimate_low"]).all() and (orr["estimate_high"] <= orr["ci_high"]).all()


def test_a_fixed_count_cohort_matches_clopper_pearson(orr):
    row = orr[orr["source"].str.startswith("Lindsey") & (orr["histology"] == "renal_cell")].iloc[0]
    direct = response.rate(int(row["responders_low"]), int(row["patients"]))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((direct.ci_low, direct.ci_high))


def test_disease_control_is_absent_where_a_paper_records_no_stable_disease():
    dcr = synthesis.cohorts("DCR")
    assert not dcr["source"].str.startswith("Lindsey").any()
    assert (dcr["responders_low"] >= synthesis.cohorts("ORR").set_index(["source", "histology"]).loc[
        list(zip(dcr["source"], dcr["histology"])), "responders_low"].to_numpy()).all()


def test_pooled_rate_without_heterogeneity_is_the_inverse_variance_mean(orr):
    """Cross-check: when tau² is 0 the random-effects mean is the fixed-effect one, computed by hand."""
    table = synthesis.pooled(orr)
    melanoma = orr[orr["histology"] == "melanoma"]
    k = (melanoma["responders_low"] + melanoma["responders_high"]) / 2
    n = melanoma["patients"]
    logit = np.log((k + 0.5) / (n - k + 0.5))
    weight = 1 / (1 / (k + 0.5) + 1 / (n - k + 0.5))
    by_hand = 1 / (1 + np.exp(-(weight * logit).sum() / weight.sum()))
    assert table.loc["melanoma", "tau2"] == 0
    assert table.loc["melanoma", "pooled"] == pytest.approx(by_hand)


def test_pooled_statistics_are_in_range(orr):
    table = synthesis.pooled(orr)
    assert list(table.index) == ["melanoma", "renal_cell"]
    assert (table["tau2"] >= 0).all() and table["i2"].between(0, 1).all()
    assert (table["ci_low"] < table["pooled"]).all() and (table["pooled"] < table["ci_high"]).all()


def test_excluding_a_cohort_changes_the_pool(orr):
    full = synthesis.pooled(orr)
    without = synthesis.pooled(orr, exclude=("Clark 2017 (PROCLAIM)",))
    assert without.loc["renal_cell", "cohorts"] == full.loc["renal_cell", "cohorts"] - 1
    assert without.loc["melanoma", "pooled"] == pytest.approx(full.loc["melanoma", "pooled"])
