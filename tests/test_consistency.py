"""Checks of printed numbers against each other (il2lib.consistency), at their edges."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from il2lib import consistency, rounding


def _brute_force(printed: str, n: int) -> list[int]:
    return [k for k in range(n + 1) if rounding.agrees(Fraction(100 * k, n), printed)]


@pytest.mark.parametrize("n", [1, 7, 8, 46, 54, 99, 100, 328, 391])
@pytest.mark.parametrize("printed", ["0", "4", "12.5", "13", "25", "33.3", "40", "50", "66.7", "99", "100"])
def test_whole_counts_agree_with_brute_force(printed, n):
    assert list(consistency.whole_counts(printed, n)) == _brute_force(printed, n)


def test_a_tie_gives_a_count_under_either_rounding():
    """1/8 = 12.5% exactly: it may print as 12 (half-even) or 13 (half-up)."""
    assert list(consistency.whole_counts("12", 8)) == [1]
    assert list(consistency.whole_counts("13", 8)) == [1]


def test_whole_counts_needs_a_positive_denominator():
    with pytest.raises(ValueError, match="positive denominator"):
        consistency.whole_counts("10", 0)


@pytest.mark.parametrize(("mean", "n", "items", "possible"), [
    ("5.19", 28, 1, False),   # Brown and Heathers' worked example: 145/28 = 5.18, 146/28 = 5.21
    ("5.18", 28, 1, True),
    ("5.21", 28, 1, True),
    ("3.50", 2, 1, True),     # 7/2
    ("3.25", 2, 1, False),    # halves only
    ("3.25", 2, 2, True),     # two items each: quarters
])
def test_grim_on_means(mean, n, items, possible):
    assert consistency.grim(mean, n, items=items) is possible


def test_denominators_recover_the_cohorts_that_allow_several_shares():
    found = consistency.denominators(["25", "40"], range(1, 61))
    assert 20 in found and 40 in found
    assert 54 not in found
    assert all(consistency.whole_counts("25", n) and consistency.whole_counts("40", n) for n in found)


def test_combined_counts_add_the_least_and_the_greatest():
    assert consistency.combined_counts(["50", "50"], 2) == (2, 2)
    assert consistency.combined_counts(["9", "10", "32"], 391) == (196, 205)


def test_combined_counts_is_none_when_a_part_is_impossible():
    assert consistency.combined_counts(["25", "10"], 54) is None


GROUPS = {"<=1": ["<=1"], "2-3": ["2", "3"], ">=3": ["3", ">=4"]}
ATOMS = ["<=1", "2", "3", ">=4"]


def test_splits_of_overlapping_shares_solve_the_equations():
    found = consistency.splits(100, GROUPS, {"<=1": "20", "2-3": "66", ">=3": "26"}, ATOMS)
    assert found == [{"<=1": 20, "2": 54, "3": 12, ">=4": 14}]


def test_splits_are_empty_when_the_shares_cannot_all_hold():
    assert consistency.splits(100, GROUPS, {"<=1": "20", "2-3": "90", ">=3": "26"}, ATOMS) == []


def _splits_by_brute_force(n, groups, shares, atoms):
    """Every composition of n into len(atoms) parts, kept if each category prints its share."""
    def compositions(left, parts):
        if parts == 1:
            yield (left,)
            return
        for k in range(left + 1):
            for rest in compositions(left - k, parts - 1):
                yield (k, *rest)

    kept = []
    for counts in compositions(n, len(atoms)):
        split = dict(zip(atoms, counts))
        if all(rounding.agrees(Fraction(100 * sum(split[a] for a in members), n), shares[g])
               for g, members in groups.items()):
            kept.append(split)
    return kept


@pytest.mark.parametrize("n, shares", [(20, {"<=1": "20", "2-3": "65", ">=3": "25"}),   # 4 splits
                                       (23, {"<=1": "17", "2-3": "65", ">=3": "26"}),   # 5 splits
                                       (21, {"<=1": "20", "2-3": "90", ">=3": "26"})])  # none
def test_splits_agree_with_brute_force_when_one_atom_is_in_no_category(n, shares):
    atoms = ["<=1", "1-2", "2", "3", ">=4"]  # "1-2" is in no printed category, so only the total bounds it
    assert consistency.splits(n, GROUPS, shares, atoms) == _splits_by_brute_force(n, GROUPS, shares, atoms)


def test_splits_of_a_cohort_that_is_not_a_hundred_allow_every_rounding():
    found = consistency.splits(200, GROUPS, {"<=1": "20", "2-3": "66", ">=3": "26"}, ATOMS)
    assert len(found) > 1  # with 200 patients each share allows several counts
    for split in found:
        assert sum(split.values()) == 200
        assert rounding.agrees(Fraction(100 * (split["2"] + split["3"]), 200), "66")


@pytest.mark.parametrize(("rate", "landmark", "median", "fits"), [
    ("39", 30, 15.5, True),     # after the median: at most 50%
    ("60", 30, 15.5, False),
    ("50", 30, 15.5, True),     # 50% exactly is "at most 50%"
    ("75", 30, None, True),     # not reached: above 50%
    ("45", 30, None, False),
    ("50", 30, None, True),     # 50 may stand for 50.4%
    ("55", 12, 24.0, True),     # before the median: at least 50%
    ("40", 12, 24.0, False),
])
def test_median_and_landmark_on_one_curve(rate, landmark, median, fits):
    assert consistency.median_fits_landmark(rate, landmark, median)[0] is fits


def test_a_median_not_reached_says_nothing_beyond_follow_up():
    assert consistency.median_fits_landmark("10", 60, None, followed_past_landmark=False)[0] is True


# --- denominator recovery: bounded work, same answer as trying every n

_SHARES = st.sampled_from(["0", "100", "25", "40", "33.3", "66.7", "12.5", "50", "0.5", "99.5", "7", "1", "150", "3.5"])


def _every_n_tried(shares: list[str], limit: int, counts: list[int | None]) -> list[int]:
    from il2lib.consistency.counts import _counts_within

    bounds = [rounding.interval(s) for s in shares]
    return [n for n in range(1, limit + 1)
            if all((bool(_counts_within(b, n, 100)) if k is None else k in _counts_within(b, n, 100))
                   for b, k in zip(bounds, counts))]


@settings(max_examples=200, deadline=None)
@given(shares=st.lists(_SHARES, min_size=1, max_size=3), limit=st.integers(1, 400), data=st.data())
def test_denominators_equal_trying_every_n(shares, limit, data):
    counts = data.draw(st.lists(st.one_of(st.none(), st.integers(0, 30)), min_size=len(shares), max_size=len(shares)))
    found = consistency.denominators(shares, range(1, limit + 1), counts=counts)
    assert found == _every_n_tried(shares, limit, counts)


def test_a_mistyped_huge_cohort_does_not_run_away():
    """Millions of candidate cohorts: every n from 100 on allows 25% and 40%, so none of those is tried."""
    found = consistency.denominators(["25", "40"], range(1, 3_050_001))
    assert len(found) == 3_049_932 and found[:3] == [20, 40, 48]
