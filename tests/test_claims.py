"""Every published number: the audit's verdict must be the one its claims file expects.

One test per claim (``test_claim_verdict[<study>:<claim id>]``), so a failure names the claim.
"""

from __future__ import annotations

import pytest

from il2lib import audit, datasets, rounding

ROWS = audit.run()
CASES = [pytest.param(row, id=f"{row['study']}:{row['id']}") for row in ROWS.to_dict("records")]


@pytest.mark.parametrize("row", CASES)
def test_claim_verdict(row):
    """The verdict re-derived from embedded data equals the expected one in data/<study>/claims.csv."""
    assert row["verdict"] == row["expected"], (
        f"{row['id']} ({row['source']}): printed {row['printed']}, reproduced {row['shown'] or '-'}; "
        f"verdict {row['verdict']}, expected {row['expected']}. Evidence: {row['evidence']}"
    )


@pytest.mark.parametrize("row", [c for c in CASES if c.values[0]["verdict"] == "match"
                                 and c.values[0]["shown"]])
def test_matching_claim_within_printed_precision(row):
    """A matching number lies within half a unit of its last printed decimal of the reproduction."""
    decimals = rounding.parse(row["printed"]).decimals
    assert row["reproduced"] == pytest.approx(row["published"], abs=0.5 * 10**-decimals + 1e-9), (
        f"{row['id']}: printed {row['printed']}, reproduced {row['reproduced']}"
    )


def test_every_study_has_claims():
    assert set(ROWS["study"]) == set(datasets.studies())


def test_contradictions_carry_evidence():
    """No claim is contradicted without both computed evidence and a written explanation."""
    bad = ROWS[ROWS["verdict"] == "contradicted"]
    assert (bad["evidence"].str.len() > 0).all()
    assert (bad["note"].str.len() > 0).all()


def test_successive_courses_headline_counts():
    """The audit of the first study, as recorded in the closing note of its issue."""
    summary = audit.summary(ROWS[ROWS["study"] == "successive-courses"])
    assert summary["unexpected"] == 0
    assert summary["verdicts"]["contradicted"] > 0
