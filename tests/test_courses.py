"""Patients through successive courses (module il2lib.courses), on the successive-courses data."""

from __future__ import annotations

import pandas as pd
import pytest

from il2lib import courses, datasets


@pytest.fixture(scope="module")
def transitions() -> pd.DataFrame:
    return datasets.load("successive-courses").tables["course_response"]


def test_everyone_stops_exactly_once(transitions):
    """Patients who stopped after some course add up to those given course 1."""
    started = transitions[transitions["course"] == 1].groupby("histology")["n"].sum()
    stopped = courses.stopped(transitions).groupby("histology")["n"].sum()
    pd.testing.assert_series_equal(started, stopped)


def _published(claim_id: str) -> int:
    return int(datasets.load("successive-courses").claim(claim_id).number.value)


def test_given_equals_printed_column_margins(transitions):
    """Summed cells equal the margins Tables 3 and 4 print (from the claims file)."""
    given = courses.given(transitions).set_index(["histology", "course", "prior_response"])["n"]
    assert given[("melanoma", 2, "NR")] == _published("t3-c2-treated-nr")
    assert given[("renal_cell", 3, "MR")] == _published("t4-c3-treated-mr")


def test_last_response_reconciles_with_table_2_for_renal_cell(transitions):
    last = courses.last_response(transitions).set_index(["histology", "response"])["n"]
    assert last[("renal_cell", "CR")] == _published("t2-renal_cell-cr-n")
    assert last[("renal_cell", "PR")] == _published("t2-renal_cell-pr-n")


def test_first_objective_response_counts_each_responder_once(transitions):
    first = courses.first_objective_response(transitions).groupby("histology")["n"].sum()
    last = courses.last_response(transitions)
    responders = last[last["response"].isin(courses.OBJECTIVE)].groupby("histology")["n"].sum()
    pd.testing.assert_series_equal(first, responders)


@pytest.mark.parametrize("histology", ["melanoma", "renal_cell"])
def test_links_conserve_patients(transitions, histology):
    links = courses.links(transitions, histology)
    inflow = links.groupby(["target_course", "target_state"])["n"].sum()
    outflow = links.groupby(["source_course", "source_state"])["n"].sum()
    for (course, state), n in outflow.items():
        if course > 1:
            assert inflow[(course, state)] == n, (course, state)


def test_stopped_rejects_more_retreated_than_available():
    bad = pd.DataFrame({"histology": ["x", "x"], "course": [1, 2], "prior_response": ["none", "PR"],
                        "response": ["PR", "PR"], "n": [2, 3]})
    with pytest.raises(ValueError, match="more patients retreated"):
        courses.stopped(bad)
