"""Property tests of the consistency checks: over generated data, a check never fails on printed numbers that
come from real counts, and a check that says it could not have failed never fails for any printable value.

Each test builds whole counts (or exact values) first, prints them as a paper would (rounded half up, or
as an exact tie rounded the other way where that matters), and asks the generic check about the printed
numbers only.  References: the percentage form of the GRIM test (Brown and Heathers 2017), as in
``il2lib.consistency.counts``.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from il2lib import relations, rounding
from il2lib.claims import Claim
from il2lib.consistency import (Span, can_fail, every_share_possible, partition_check, ratio_check,
                                restatement_check, share_check, sum_check, whole_counts)

SETTINGS = settings(max_examples=150, deadline=None)


def claim(claim_id: str, printed: str, unit: str = "%", **declared: str) -> Claim:
    return Claim("s", claim_id, "Table 1", claim_id, printed, unit, "match", **declared)


def printed(value: Fraction, decimals: int) -> str:
    return rounding.format_at(value, decimals)


@st.composite
def cohorts(draw, most: int = 400):
    """A cohort of n patients split into 2 to 6 categories, each with a whole count."""
    n = draw(st.integers(1, most))
    parts = draw(st.integers(2, 6))
    cuts = sorted(draw(st.lists(st.integers(0, n), min_size=parts - 1, max_size=parts - 1)))
    counts = [b - a for a, b in zip([0, *cuts], [*cuts, n])]
    return n, counts


@SETTINGS
@given(cohorts(), st.integers(0, 2))
def test_shares_of_a_real_partition_always_add_up(cohort, decimals):
    """Shares printed from the counts of a real split of n patients never fail the partition check."""
    n, counts = cohort
    parts = [claim(f"p{i}", printed(Fraction(100 * k, n), decimals)) for i, k in enumerate(counts)]
    assert partition_check("all", parts).passed
    assert partition_check("all", parts, n).passed


@SETTINGS
@given(cohorts(), st.integers(0, 1))
def test_a_partition_missing_a_category_of_a_quarter_or_more_fails_in_whole_patients(cohort, decimals):
    n, counts = cohort
    dropped = max(range(len(counts)), key=counts.__getitem__)
    if counts[dropped] * 4 < n:
        return
    parts = [claim(f"p{i}", printed(Fraction(100 * k, n), decimals)) for i, k in enumerate(counts) if i != dropped]
    assert not partition_check("all", parts, n).passed


@SETTINGS
@given(st.integers(1, 500), st.integers(0, 2))
def test_every_share_possible_agrees_with_brute_force(n, decimals):
    """GRIM for percentages cannot fail exactly when every printable share has a whole count behind it."""
    step = Fraction(1, 10**decimals)
    every = all(whole_counts(rounding.format_at(step * j, decimals), n) for j in range(0, 100 * 10**decimals + 1))
    assert every_share_possible(n, decimals) is every


@SETTINGS
@given(st.integers(1, 300), st.integers(0, 300), st.integers(0, 1))
def test_an_uninformative_share_check_passes_for_every_printable_value(n, k, decimals):
    k = min(k, n)
    check = share_check(claim("s", printed(Fraction(100 * k, n), decimals)), n)
    assert check.passed
    if not check.informative:
        step = Fraction(1, 10**decimals)
        for j in range(0, 100 * 10**decimals + 1):
            assert share_check(claim("s", printed(step * j, decimals)), n).passed


@SETTINGS
@given(st.integers(1, 2000), st.integers(1, 2000), st.integers(0, 2), st.integers(0, 2))
def test_a_ratio_of_real_counts_always_fits_its_printing(top, bottom, d_top, d_ratio):
    """A ratio printed from two printed counts (or rounded values) is never refuted by the ratio check."""
    claims = {"a": claim("a", str(top), "patients"), "b": claim("b", str(bottom), "patients")}
    ratio = claim("r", printed(Fraction(top, bottom), d_ratio), "ratio")
    assert ratio_check(ratio, *relations.parse_ratio("a / b"), claims).passed
    rounded = {"a": claim("a", printed(Fraction(top, 7), d_top), "months"),
               "b": claim("b", printed(Fraction(bottom, 7), d_top), "months")}
    top_span, bottom_span = Span.of(rounded["a"].printed), Span.of(rounded["b"].printed)
    if bottom_span.lo > 0:
        exact = Fraction(top, bottom)   # (top/7) / (bottom/7)
        assert top_span.divided_by(bottom_span).meets(Span.exactly(exact))
        assert ratio_check(claim("r", printed(exact, d_ratio), "fold"), *relations.parse_ratio("a / b"), rounded).passed


@SETTINGS
@given(st.fractions(min_value=0, max_value=500), st.integers(0, 3), st.integers(0, 3))
def test_one_value_printed_twice_by_one_rule_always_agrees(value, d1, d2):
    """The same value rounded half up at two precisions never fails a restatement, tie or not."""
    first, second = claim("a", printed(value, d1), "months"), claim("b", printed(value, d2), "months")
    check = restatement_check(first, second, "b", name="same")
    assert check.passed, check.detail


@SETTINGS
@given(st.integers(0, 10_000), st.integers(1, 3))
def test_a_tie_printed_both_ways_fails_only_on_the_rounding_premise(units, decimals):
    """An exact tie printed once rounded down and once rounded up needs two rounding rules."""
    step = Fraction(1, 10**decimals)
    tie = step * units + step / 2
    down, up = claim("a", rounding.format_at(tie - step / 2, decimals)), claim("b", rounding.format_at(tie + step / 2, decimals))
    check = restatement_check(down, up, "b", name="same")
    assert not check.passed and check.premises == ("one-rounding-rule",)


@SETTINGS
@given(cohorts(most=300), st.integers(0, 1))
def test_shares_and_their_total_from_real_counts_never_fail_a_sum(cohort, decimals):
    """Printed shares of categories and of their union, all from real counts, fit the sum in whole patients."""
    n, counts = cohort
    claims = {f"p{i}": claim(f"p{i}", printed(Fraction(100 * k, n), decimals)) for i, k in enumerate(counts)}
    union = claim("u", printed(Fraction(100 * sum(counts[:2]), n), decimals))
    terms = relations.parse_expressions("p0 + p1")[0]
    denominators = {cid: n for cid in [*claims, "u"]}
    assert sum_check(union, terms, claims | {"u": union}, denominators).passed


PRINTED_FORMS = st.sampled_from(["{v}", "{v}+", ">{v}", "≥{v}", "<{v}"])


@SETTINGS
@given(PRINTED_FORMS, st.integers(0, 100), st.integers(0, 100), st.integers(0, 100),
       st.sampled_from(["=", "≥", "≤"]), st.booleans(), st.booleans())
def test_can_fail_is_false_only_when_no_printed_value_fails(form, v, lo, width, relation, open_lo, open_hi):
    """Where can_fail says a comparison cannot fail, no value printed in that form fails it; else some does."""
    target = Span(None if open_lo else Fraction(lo), None if open_hi else Fraction(lo + width))
    ends = Span.ends(form.format(v=v))

    def holds(value: int) -> bool:
        span = Span.of(form.format(v=value))
        return {"=": span.meets(target), "≥": target.below(span), "≤": span.below(target)}[relation]

    probes = [0, *range(1, 400, 7), 10**6]
    if not can_fail(ends, target, relation):
        assert all(holds(p) for p in probes)
    else:
        assert not all(holds(p) for p in [-10**6, *probes])
