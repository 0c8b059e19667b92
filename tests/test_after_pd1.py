"""The after-pd1 study module (il2lib.studies.after_pd1), checked against its claims file."""

from __future__ import annotations

from fractions import Fraction

import pytest

from il2lib import audit, datasets, rounding
from il2lib.exceptions import DataError

STUDY = "after-pd1"


@pytest.fixture(scope="module")
def rows():
    return audit.audit_study(datasets.load(STUDY)).set_index("id")


def test_exact_ties_in_table_1_match_either_way_of_rounding(rows):
    """15/40 = 37.5% exactly: Table 1 prints 37 and the text 38; both agree under the stated rule, and only
    one of them can come from rounding half up."""
    table, text = rows.loc["t1-bor-mel-sd-pct"], rows.loc["rs-mel-sd-pct"]
    assert table["verdict"] == text["verdict"] == "match"
    assert table["printed"] != text["printed"]
    assert Fraction(table["reproduced"]).limit_denominator(1000) == Fraction(75, 2)
    assert str(rounding.round_half_up(Fraction(75, 2), 0)) == text["printed"]


def test_follow_up_longer_than_printed_maximum_is_contradicted(rows):
    assert rows.loc["rs-mel-cr-fu-max", "verdict"] == "contradicted"
    assert rows.loc["rs-rcc-cr-fu", "verdict"] == "unverifiable"


def test_each_assessment_counts_the_whole_cohort(data_copy):
    path = data_copy / STUDY / "response.csv"
    path.write_text(path.read_text().replace("melanoma,best_overall,PD,16", "melanoma,best_overall,PD,15"))
    with pytest.raises(DataError, match=r"response.csv: column 'n' \(melanoma, best_overall\): expected the responses "
                                        r"to add up to the 40 patients of cohort.csv, found 39"):
        datasets.load(STUDY)


def test_each_cycle_percentage_is_one_whole_number_of_the_cohort():
    from il2lib.studies import after_pd1 as ap

    table = ap.cycle_counts(datasets.load(STUDY))
    assert table["patients"].str.fullmatch(r"\d+").all(), table
    covered = table.assign(k=table["patients"].astype(int)).groupby("histology")["k"].sum()
    cohort = dict(zip(*datasets.load(STUDY).tables["cohort"][["histology", "n"]].T.values))
    for histology, k in covered.items():
        assert k < cohort[histology], "the printed cycle shares should leave some patients without cycle data"


def test_comparator_split_adds_up_and_not_reached_is_not_drawn():
    from il2lib.studies import after_pd1 as ap

    study = datasets.load(STUDY)
    total = int(study.claim("r-comparators").number.value)
    for share in (0.3, 0.5, 0.7):
        assert ap.comparator_size(study, "melanoma", share) + ap.comparator_size(study, "renal_cell", share) == total
    assert ap.summaries(study, "Fig. 1b")["after PD-1"] is None
    data = ap.reconstructed(study, "Fig. 1a")
    assert set(data["group"]) == {"after PD-1", "IL-2 alone"}
