"""The long-term-pfs study module (il2lib.studies.long_term_pfs), checked against its claims file."""

from __future__ import annotations

import pytest

from il2lib import audit, datasets, rounding
from il2lib.exceptions import DataError
from il2lib.studies import long_term_pfs as lt

STUDY = "long-term-pfs"


@pytest.fixture(scope="module")
def study():
    return datasets.load(STUDY)


@pytest.fixture(scope="module")
def rows(study):
    return audit.audit_study(study).set_index("id")


@pytest.mark.parametrize("claim_id", ["t1-clark-dcr", "t1-alva-mel-dcr", "t1-alva-rcc-dcr"])
def test_combined_shares_that_their_parts_cannot_make_are_contradicted(rows, claim_id):
    assert rows.loc[claim_id, "verdict"] == "contradicted"


def test_a_combined_share_its_parts_can_make_matches(rows):
    assert rows.loc["t1-stenehjem-dcr", "verdict"] == "match"


def test_the_clark_row_fits_only_over_all_patients(rows):
    """53% is not CR + PR + SD of the 328 with response data, but the same patients over all 352 print as 53%."""
    assert "over all 352 patients" in rows.loc["t1-clark-dcr", "evidence"]


def test_clinical_benefit_claim_fails_on_the_rows_own_parts(rows):
    assert rows.loc["d-clinical-benefit", "verdict"] == "contradicted"
    assert "Alva" in rows.loc["d-clinical-benefit", "evidence"]


def test_melanoma_site_shares_are_no_whole_count_of_the_cohort_so_that_reading_is_denied(rows):
    """Both melanoma shares fail as shares of all 54 patients: each denies that reading for the other."""
    assert rows.loc[["r-mel-lung", "r-mel-nodes"], "verdict"].tolist() == ["unverifiable"] * 2
    assert all(rows.loc[c, "withheld"] == ["site-shares-of-cohort"] for c in ["r-mel-lung", "r-mel-nodes"])
    failed = [c for c in rows.loc["r-mel-lung", "checks"] if not c["passed"]]
    assert failed and "no whole count prints as 25%" in failed[0]["detail"]
    assert rows.loc[["r-rcc-lung", "r-rcc-nodes"], "verdict"].tolist() == ["unverifiable"] * 2


def test_complete_response_shares_count_surgical_complete_responses(rows):
    assert rows.loc[["r-mel-cr-pct", "r-rcc-cr-pct"], "verdict"].tolist() == ["match", "match"]
    assert "CR + surgical/SRS CR: 52 / 54" in rows.loc["r-mel-cr-pct", "evidence"]


def test_every_table_1_claim_is_in_the_reproduced_table(study):
    table = lt.table1(study)
    assert table["claim_id"].tolist() == [c.id for c in study.claims if c.source == "Table 1"]


def test_table_1_transcriptions_agree(study):
    assert lt.transcription_differences(study).empty


def test_a_transcription_slip_in_table_1_shows_and_flips_the_arithmetic(data_copy):
    path = data_copy / STUDY / "literature.csv"
    path.write_text(path.read_text().replace("stenehjem2016,renal_cell,all,SD,32,%", "stenehjem2016,renal_cell,all,SD,22,%"))
    study = datasets.load(STUDY)
    assert lt.transcription_differences(study).empty  # SD is not in the cited abstract: only the sum can catch it
    assert audit.audit_study(study).set_index("id").loc["t1-stenehjem-dcr", "verdict"] == "contradicted"


def test_courses_have_one_whole_number_split(study):
    splits = lt.course_splits(study)
    assert len(splits) == 1
    split = splits.iloc[0]
    assert split.sum() == 100
    for claim_id, courses in lt.COURSE_GROUPS.items():
        assert rounding.agrees(int(split[courses].sum()), study.claim(claim_id).number)


def test_partial_courses_open_up_many_splits(study):
    splits = lt.course_splits(study, partial_courses=True)
    assert len(splits) > 1
    assert (splits.sum(axis=1) == 100).all()
    assert splits["between 1 and 2"].min() == 0


def test_a_median_follow_up_below_the_count_beyond_it_is_contradicted(data_copy):
    path = data_copy / STUDY / "follow_up.csv"
    path.write_text(path.read_text().replace("melanoma,median,10,true", "melanoma,median,9,true"))
    rows = audit.audit_study(datasets.load(STUDY)).set_index("id")
    assert rows.loc["t2-mel-fu-median", "verdict"] == "contradicted"


def test_responses_must_add_up_to_the_cohort(data_copy):
    path = data_copy / STUDY / "best_response.csv"
    path.write_text(path.read_text().replace("melanoma,CR,43", "melanoma,CR,42"))
    with pytest.raises(DataError, match=r"best_response.csv: column 'n' \(melanoma\): expected the responses to add "
                                        r"up to the 54 patients of cohort.csv, found 53"):
        datasets.load(STUDY)


def test_follow_up_must_be_ordered(data_copy):
    path = data_copy / STUDY / "follow_up.csv"
    path.write_text(path.read_text().replace("renal_cell,longest,30,true", "renal_cell,longest,3,true"))
    with pytest.raises(DataError, match=r"follow_up.csv: line \d+, column 'years': expected shortest <= median <= "
                                        r"longest"):
        datasets.load(STUDY)


def test_objective_response_ranges_cover_the_printed_shares(study):
    frame = lt.objective_response(study).set_index("source")
    select = frame.loc["McDermott 2015 (SELECT)"]
    assert (select["responders_low"], select["responders_high"], select["patients"]) == (30, 30, 120)
    clark = frame.loc["Clark 2017 (PROCLAIM)"]
    assert clark["responders_low"] < clark["responders_high"]
    assert clark["patients"] == 328
