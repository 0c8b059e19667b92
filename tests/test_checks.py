"""Checks of declared relations between claims (il2lib.consistency, second half) at their edges."""

from __future__ import annotations

from fractions import Fraction

import pytest

from il2lib import relations
from il2lib.claims import Claim
from il2lib.consistency import (Span, check_claims, denominator_check, landmark_check, restatement_check,
                                share_check, sum_check)


def claim(claim_id: str, printed: str, unit: str = "%", **declared: str) -> Claim:
    return Claim("s", claim_id, "Table 1", claim_id, printed, unit, "match", **declared)


# --- Span: what a printed number allows

@pytest.mark.parametrize(("printed", "lo", "hi"), [
    ("53", Fraction(105, 2), Fraction(107, 2)),
    ("19.0", Fraction(1895, 100), Fraction(1905, 100)),
    ("1990s", Fraction(1990), Fraction(2000)),
    ("10+", Fraction(19, 2), None),
    ("<1", None, Fraction(1)),
])
def test_span_of_printed_numbers(printed, lo, hi):
    span = Span.of(printed)
    assert (span.lo, span.hi) == (lo, hi)


@pytest.mark.parametrize(("a", "b", "meet"), [
    (Span.of(">50"), Span.exactly(50), False),      # strict bound excludes its end
    (Span.of("≥50"), Span.exactly(50), True),
    (Span.of("1990s"), Span.exactly(2000), False),   # a decade ends before the next begins
    (Span.of("1990s"), Span.exactly(1998), True),
    (Span.of("53"), Span.of("56"), False),
    (Span.of("53"), Span.of("54"), True),            # 53.5 is in both
    (Span.of("<1"), Span.of("10+"), False),
])
def test_spans_meet_only_when_some_value_is_in_both(a, b, meet):
    assert a.meets(b) is meet
    assert b.meets(a) is meet


def test_span_arithmetic_adds_ends():
    total = Span.of("4") + Span.of("13") - Span.exactly(1)
    assert (total.lo, total.hi) == (Fraction(15), Fraction(17))
    assert str(Span.of(">50") + Span.exactly(1)) == "over 51"


# --- share: percent, count and denominator

def test_a_share_with_no_whole_count_fails_grim():
    check = share_check(claim("lung", "25"), 54)
    assert not check.passed
    assert "13 / 54 = 24.1%, 14 / 54 = 25.9%" in check.detail


def test_a_possible_share_names_its_counts():
    check = share_check(claim("cr", "93"), 46)
    assert check.passed and "43 of 46 print as 93%" in check.detail


def test_a_declared_count_must_print_as_the_share():
    count = claim("n", "38", "patients")
    assert not share_check(claim("orr", "19.0"), 201, count).passed    # 18.91%
    assert share_check(claim("orr", "18.9"), 201, count).passed


@pytest.mark.parametrize(("printed", "note"), [
    ("13", "only if halves are rounded half-up"),                    # 1/8 = 12.5%
    ("12", "only if halves are rounded half-even or half-down"),
])
def test_a_tie_names_the_rounding_it_needs(printed, note):
    check = share_check(claim("x", printed), 8, claim("k", "1", "patients"))
    assert check.passed and note in check.detail


def test_a_tie_both_common_rules_agree_on_has_no_note():
    check = share_check(claim("x", "14"), 200, claim("k", "27", "patients"))    # 13.5% -> 14 either way
    assert check.passed and "tie" not in check.detail


def test_a_truncated_share_is_flagged():
    check = share_check(claim("x", "66"), 3, claim("k", "2", "patients"))       # 66.67% truncated
    assert not check.passed and "truncated" in check.detail


# --- denominator recovery

def test_denominators_allowing_a_group_of_shares():
    check = denominator_check("?g", [claim("a", "25"), claim("b", "40")], {}, 60)
    assert check.passed and "{20, 40, 48, 52–53, 55, 57, 60}" in check.detail


def test_a_declared_count_narrows_the_denominators():
    check = denominator_check("?g", [claim("a", "25", count="k")], {"a": claim("k", "5", "patients")}, 100)
    assert check.passed and "{20}" in check.detail     # 5/19 = 26.3% and 5/21 = 23.8% do not print as 25%


def test_no_denominator_fails():
    assert not denominator_check("?g", [claim("a", "33"), claim("b", "50")], {}, 5).passed


# --- sums and bounds

def terms(text: str) -> list[relations.Term]:
    return relations.parse_expressions(text)[0]


def test_a_sum_of_exact_counts_is_exact():
    parts = {"a": claim("a", "305", "patients"), "b": claim("b", "19", "patients"), "c": claim("c", "57", "patients")}
    assert not sum_check(claim("n", "226", "patients"), terms("a - b - c"), parts, {}).passed
    assert sum_check(claim("n", "229", "patients"), terms("a - b - c"), parts, {}).passed


def test_shares_of_one_denominator_are_summed_in_patients():
    parts = {"cr": claim("cr", "4"), "pr": claim("pr", "13"), "sd": claim("sd", "39")}
    n = {"cr": 328, "pr": 328, "sd": 328, "dcr": 328}
    assert not sum_check(claim("dcr", "53"), terms("cr + pr + sd"), parts, n).passed
    assert sum_check(claim("dcr", "56"), terms("cr + pr + sd"), parts, n).passed


def test_without_a_shared_denominator_percentages_add_as_ranges():
    parts = {"cr": claim("cr", "4"), "pr": claim("pr", "13")}
    check = sum_check(claim("orr", "18"), terms("cr + pr"), parts, {})    # 16 to 18 meets 17.5 to 18.5
    assert check.passed and "spans 16 to 18%" in check.detail


def test_a_bound_total_against_a_sum_in_patients():
    parts = {"cr": claim("cr", "5"), "pr": claim("pr", "10"), "sd": claim("sd", "22")}
    n = {"cr": 170, "pr": 170, "sd": 170}
    assert not sum_check(claim("benefit", ">50"), terms("cr + pr + sd"), parts, n).passed


def test_literals_in_an_expression():
    parts = {"pd": claim("pd", "59.0"), "sd": claim("sd", "26.3")}
    assert sum_check(claim("orr", "14.7"), terms("100 - pd - sd"), parts, {}).passed


def test_durations_convert_in_bounds():
    longest = {"fu": claim("fu", "30.9", "months")}
    assert not sum_check(claim("cr-fu", "4", "years"), terms("fu"), longest, {}, name="at-most").passed
    assert sum_check(claim("cr-fu", "2", "years"), terms("fu"), longest, {}, name="at-most").passed


def test_subgroups_within_their_group():
    stages = {"a": claim("a", "18", "patients"), "b": claim("b", "29", "patients"), "c": claim("c", "14", "patients")}
    assert not sum_check(claim("sd", "57", "patients"), terms("a + b + c"), stages, {}, name="at-least").passed
    assert sum_check(claim("sd", "61", "patients"), terms("a + b + c"), stages, {}, name="at-least").passed


# --- survival coherence

def test_a_rate_after_the_median_above_half_cannot_be_kaplan_meier():
    median = claim("m", "38.2", "months")
    check = landmark_check(claim("r", "47.5", median="m", landmark="3 years"), median)
    assert not check.passed and "known status" in check.detail


def test_known_status_rates_are_not_bound_by_the_median():
    median = claim("m", "38.2", "months")
    check = landmark_check(claim("r", "47.5", median="m", landmark="3 years, known status"), median)
    assert check.passed and "does not bind" in check.detail


def test_a_landmark_within_the_rounding_of_the_median_cannot_be_judged():
    median = claim("m", "12", "months")     # 11.5 to 12.5
    assert landmark_check(claim("r", "30", median="m", landmark="1 years"), median).passed


def test_a_median_not_reached_needs_more_than_half():
    assert not landmark_check(claim("r", "45", median="not reached", landmark="30 months"), None).passed
    assert landmark_check(claim("r", "55", median="not reached", landmark="30 months"), None).passed


# --- restatements

@pytest.mark.parametrize(("mine", "unit", "theirs", "their_unit", "agree"), [
    ("7.9", "months", "7.2", "months", False),
    ("15", "%", "14.7", "%", True),
    ("two", "years", "24", "months", True),
    ("1990s", "year", "1998", "year", True),
    ("1996", "year", "1998", "year", False),
])
def test_restatements_agree_at_the_precision_of_each(mine, unit, theirs, their_unit, agree):
    assert restatement_check(claim("a", mine, unit), claim("b", theirs, their_unit), "b").passed is agree


# --- everything a claims file declares

def test_check_claims_runs_each_declaration():
    claims = [
        claim("n", "201", "patients"),
        claim("k", "38", "patients"),
        claim("orr", "19.0", of="n", count="k"),
        claim("cr", "9.0", of="n"),
        claim("pr", "10.0", of="n"),
        claim("orr-sum", "19.0", of="n", sum_of="cr + pr"),
        claim("abs-orr", "19", restates="orr"),
        claim("x", "25", of="?g"),
        claim("y", "40", of="?g"),
    ]
    checks = check_claims(claims)
    by_first = {(c.name, c.claims[0]): c.passed for c in checks}
    # 19.0% is not a whole count of 201 at all, and 9.0% + 10.0% of 201 are 18 + 20 = 38 patients, 18.9%
    assert by_first == {("share", "orr"): False, ("share", "cr"): True, ("share", "pr"): True,
                        ("share", "orr-sum"): False, ("sum", "orr-sum"): False, ("restatement", "abs-orr"): True,
                        ("denominator", "x"): True}
