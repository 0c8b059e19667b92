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
    :func:`denominator_check`, :func:`sum_check`, :func:`restatement_check`),
    each returning a :class:`Check`;
:mod:`~il2lib.consistency.landmarks`
    a survival rate at a landmark against the median of the same curve;
:mod:`~il2lib.consistency.declared`
    :func:`check_claims`, which runs every check a claims file declares.

References
----------
Brown NJL, Heathers JAJ. The GRIM test: a simple technique detects numerous
anomalies in the reporting of results in psychology. Soc Psychol Personal Sci
2017;8:363-369.
"""

from il2lib.consistency.checks import Check, denominator_check, restatement_check, share_check, sum_check
from il2lib.consistency.counts import combined_counts, denominators, grim, splits, whole_counts
from il2lib.consistency.declared import check_claims
from il2lib.consistency.landmarks import landmark_check, median_fits_landmark
from il2lib.consistency.spans import Span, span_of

__all__ = ["whole_counts", "grim", "denominators", "combined_counts", "splits", "median_fits_landmark",
           "Check", "Span", "span_of", "share_check", "denominator_check", "sum_check", "landmark_check",
           "restatement_check", "check_claims"]
