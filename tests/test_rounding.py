"""Rounding-aware comparison at its edges (module il2lib.rounding)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from il2lib import rounding


@pytest.mark.parametrize(("text", "value", "decimals"), [
    ("19.0", Fraction(19), 1),
    ("720,000", Fraction(720000), 0),
    ("0", Fraction(0), 0),
    ("6.7", Fraction(67, 10), 1),
    ("Seventeen", Fraction(17), 0),
    ("Forty-three", Fraction(43), 0),
    ("Thirty-eight", Fraction(38), 0),
    ("none", Fraction(0), 0),
    ("one half", Fraction(1, 2), 0),
    ("2:1", Fraction(2), 0),
    ("12.40", Fraction(124, 10), 2),
    ("Two hundred and forty-five", Fraction(245), 0),
    ("One hundred and seventy-two", Fraction(172), 0),
    ("three hundred", Fraction(300), 0),
    ("a quarter", Fraction(1, 4), 0),
])
def test_parse_printed_forms(text, value, decimals):
    number = rounding.parse(text)
    assert (number.value, number.decimals) == (value, decimals)


@pytest.mark.parametrize(("text", "relation", "words", "value"), [
    ("nearly a quarter", "≲", "nearly", Fraction(1, 4)),
    ("approximately 2:1", "≈", "approximately", Fraction(2)),
    ("over fivefold", ">", "over", Fraction(5)),
    ("more than 50", ">", "more than", Fraction(50)),
    ("fivefold", "", "", Fraction(5)),
])
def test_words_of_size_are_read_as_relations(text, relation, words, value):
    number = rounding.parse(text)
    assert (number.relation, number.words, number.value) == (relation, words, value)


@pytest.mark.parametrize(("value", "printed", "agrees"), [
    (Fraction(2628, 10000), "nearly a quarter", False),    # above a quarter: no reading of "nearly" allows it
    (Fraction(2415, 10000), "nearly a quarter", True),
    (Fraction(20, 1), "nearly a quarter", False),
    (Fraction(2097, 1000), "approximately 2:1", True),
    (Fraction(531, 100), "over fivefold", True),
    (Fraction(484, 100), "over fivefold", False),
])
def test_words_of_size_against_a_value(value, printed, agrees):
    assert rounding.agrees(value, printed) is agrees


@pytest.mark.parametrize("text", ["", "19.0.1", "about", "about >20", "7,00", "twenty-ten", "1e3", "twelve hundred",
                                  "two hundred and ninety-ten"])
def test_parse_rejects_unreadable(text):
    with pytest.raises(ValueError, match="cannot read"):
        rounding.parse(text)


def test_tie_agrees_under_half_up_and_half_even():
    """6.65 exactly: half-up prints 6.7, half-even prints 6.6; both are accepted."""
    tie = Fraction(133, 20)
    assert rounding.agrees(tie, "6.7")
    assert rounding.agrees(tie, "6.6")
    assert not rounding.agrees(tie, "6.5")


def test_interval_is_closed_and_exact():
    assert rounding.agrees(Fraction(1895, 100), "19.0")
    assert not rounding.agrees(Fraction(18949, 1000), "19.0")
    assert rounding.agrees(Fraction(1905, 100), "19.0")
    assert not rounding.agrees(Fraction(19051, 1000), "19.0")


def test_trailing_zero_sets_precision():
    """'19.0' demands one decimal: 18.91 fails it although it rounds to '19'."""
    assert not rounding.agrees(Fraction(3800, 201), "19.0")
    assert rounding.agrees(Fraction(3800, 201), "19")


def test_whole_number_percentages_of_small_counts():
    """1/201 = 0.4975% prints as 0; 1/200 = 0.5% is a tie; 1/199 = 0.5025% is not 0."""
    assert rounding.agrees(Fraction(100, 201), "0")
    assert rounding.agrees(Fraction(100, 200), "0")
    assert not rounding.agrees(Fraction(100, 199), "0")


def test_integer_counts_must_be_equal():
    assert rounding.agrees(149, "149")
    assert not rounding.agrees(148, "149")


def test_format_at_rounds_half_up_unlike_builtin_round():
    assert rounding.format_at(Fraction(1, 8), 2) == "0.13"
    assert round(0.125, 2) == 0.12  # Python's own round is half-even
    assert rounding.format_at(Fraction(3800, 201), 1) == "18.9"
    assert rounding.format_at(149, 0) == "149"


def test_interval_of_word_number():
    lo, hi = rounding.interval("Seventeen")
    assert (lo, hi) == (Fraction(33, 2), Fraction(35, 2))


@pytest.mark.parametrize(("text", "value", "relation"), [
    ("10+", Fraction(10), "+"),
    ("10.5+", Fraction(21, 2), "+"),
    (">50", Fraction(50), ">"),
    ("≥5", Fraction(5), "≥"),
    ("<1", Fraction(1), "<"),
    (">4+", Fraction(4), ">"),
    ("two-thirds", Fraction(2, 3), "≈"),   # a fraction in words states a size
    ("1990s", Fraction(1990), "s"),
])
def test_parse_printed_bounds(text, value, relation):
    number = rounding.parse(text)
    assert (number.value, number.relation) == (value, relation)


@pytest.mark.parametrize(("value", "printed", "agrees"), [
    (Fraction(51), ">50", True),
    (Fraction(50), ">50", False),           # strictly more than
    (Fraction(5), "≥5", True),
    (Fraction(49, 10), "≥5", False),
    (Fraction(19, 2), "10+", True),          # 9.5 prints as 10
    (Fraction(47, 5), "10+", False),         # 9.4 does not reach 10
    (Fraction(30), "10+", True),             # "at least", no upper end
    (Fraction(1, 2), "<1", True),
    (Fraction(1), "<1", False),
    (Fraction(1999), "1990s", True),
    (Fraction(2000), "1990s", False),
])
def test_agrees_with_printed_bounds(value, printed, agrees):
    assert rounding.agrees(value, printed) is agrees


@pytest.mark.parametrize("text", ["not reached", "Not reached", "NOT  REACHED", " not reached "])
def test_not_reached_is_a_printed_value_without_a_number(text):
    number = rounding.parse(text)
    assert number.relation == "nr"
    with pytest.raises(ValueError, match="prints no number"):
        rounding.interval(number)


@pytest.mark.parametrize(("value", "printed", "agrees"), [
    (float("inf"), "not reached", True),
    (38.2, "not reached", False),
    (Fraction(1000), "not reached", False),
    (float("inf"), "38.2", False),
    (float("inf"), ">50", False),
    (float("-inf"), "not reached", False),
])
def test_only_a_median_not_reached_agrees_with_not_reached(value, printed, agrees):
    assert rounding.agrees(value, printed) is agrees
