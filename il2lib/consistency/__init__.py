"""Checks of a paper against itself: what printed numbers allow, with no patient data at all.

Each function asks one question that a careful reader asks with pencil and
paper, and answers it exactly (counts are whole numbers; printed values are
compared under the closed rounding rule of :mod:`il2lib.rounding`, so a tie
counts under half-up and half-even alike).  One module per step:

:mod:`~il2lib.consistency.counts`
    whole counts behind printed shares: :func:`whole_counts` (the percentage
    form of the GRIM test of Brown and Heathers), :func:`grim`,
    :func:`denominators`, :func:`combined_counts`, :func:`splits`;
:mod:`~il2lib.consistency.spans`
    :class:`Span`, the values a printed number allows;
:mod:`~il2lib.consistency.checks`
    the checks of relations a claims file declares (:func:`share_check`,
    :func:`denominator_check`, :func:`sum_check`, :func:`restatement_check`,
    :func:`partition_check`, :func:`ratio_check`), each returning a
    :class:`Check` that says whether it passed, whether it could have failed
    at all, and what premises its outcome rests on;
:mod:`~il2lib.consistency.landmarks`
    a survival rate at a landmark against the median of the same curve;
:mod:`~il2lib.consistency.declared`
    :func:`check_claims`, which runs every check a claims file declares, and
    :func:`implied_checks`, the checks of what a premise implies.

References
----------
Brown NJL, Heathers JAJ. The GRIM test: a simple technique detects numerous
anomalies in the reporting of results in psychology. Soc Psychol Personal Sci
2017;8:363-369.
"""

from il2lib.consistency.checks import (ONE_ROUNDING_RULE, WORD_READINGS, Check, denominator_check,
                                       every_share_possible, partition_check, ratio_check, restatement_check,
                                       share_check, sum_check)
from il2lib.consistency.counts import combined_counts, denominators, grim, splits, whole_counts
from il2lib.consistency.declared import check_claims, implied_checks
from il2lib.consistency.landmarks import KM_LANDMARK, landmark_check, median_fits_landmark
from il2lib.consistency.spans import Span, can_fail, span_of

__all__ = ["whole_counts", "grim", "denominators", "combined_counts", "splits", "median_fits_landmark",
           "every_share_possible", "Check", "Span", "span_of", "can_fail", "share_check", "denominator_check",
           "sum_check", "landmark_check", "restatement_check", "partition_check", "ratio_check", "check_claims",
           "implied_checks", "ONE_ROUNDING_RULE", "WORD_READINGS", "KM_LANDMARK"]
