"""A survival rate at a landmark against the median printed for the same Kaplan-Meier curve."""

from __future__ import annotations

from fractions import Fraction

from il2lib import relations, rounding
from il2lib.claims import Claim
from il2lib.consistency.checks import Check, _label
from il2lib.consistency.counts import Printed, _parsed
from il2lib.consistency.spans import Span

__all__ = ["KM_LANDMARK", "median_fits_landmark", "landmark_check"]

#: The premise a failed landmark check rests on: the rate and the median are read off one Kaplan-Meier curve.
KM_LANDMARK = "km-landmark"


def median_fits_landmark(rate: Printed, landmark: float, median: float | None, *,
                         followed_past_landmark: bool = True) -> tuple[bool, str]:
    """Whether a printed survival rate at a landmark fits the median printed for the same curve.

    On a Kaplan-Meier curve the median is the first time survival falls to 50%
    or below, so survival is above 50% before the median and at most 50% from
    it on.  A median "not reached" (``None``) means survival stayed above 50%
    for as long as patients were followed.

    Parameters
    ----------
    rate : str or PrintedNumber
        Printed survival at the landmark, in percent.
    landmark : float
        The landmark, in the same unit as ``median``.
    median : float or None
        The printed median, or ``None`` if not reached.
    followed_past_landmark : bool, default True
        Whether follow-up reached the landmark (a curve cannot say anything
        about a time it never reached).

    Returns
    -------
    (bool, str)
        Whether they fit, and why.

    Examples
    --------
    >>> median_fits_landmark("39", 30, 15.5)
    (True, 'the median (15.5) comes before the landmark (30), so survival there must be at most 50%: 39% is')
    >>> median_fits_landmark("45", 30, None)[0]
    False
    """
    p = _parsed(rate)
    lo, hi = rounding.interval(p)
    half = Fraction(50)
    if median is None:
        if not followed_past_landmark:
            return True, "follow-up did not reach the landmark, so a median not reached says nothing there"
        holds = hi > half
        return holds, (f"the median was not reached, so survival at the landmark must be above "
                       f"50%: {p.text}% {'is' if holds else 'is not'}")
    if median <= landmark:
        holds = lo <= half
        return holds, (f"the median ({median:g}) comes before the landmark ({landmark:g}), so survival there must "
                       f"be at most 50%: {p.text}% {'is' if holds else 'is not'}")
    holds = hi >= half
    return holds, (f"the median ({median:g}) comes after the landmark ({landmark:g}), so survival there must be "
                   f"at least 50%: {p.text}% {'is' if holds else 'is not'}")



def landmark_check(rate: Claim, median: Claim | None, landmark_claim: Claim | None = None) -> Check:
    """Whether a survival rate at a landmark and the median of the same curve can both hold.

    On a Kaplan-Meier curve survival is above 50% before the median and at
    most 50% from it on (:func:`median_fits_landmark`).  When the landmark
    falls within the rounding of the median, nothing can be concluded.  A
    failure is explained away when the claims file declares the rate as a
    proportion among patients with known status at the landmark (``known
    status``): such a rate is not a point on the Kaplan-Meier curve.

    Examples
    --------
    >>> median = Claim("s", "m", "Results", "median OS", "38.2", "months", "match")
    >>> rate = Claim("s", "r", "Table 3", "3-year OS", "47.5", "%", "match", median="m", landmark="3 years")
    >>> landmark_check(rate, median).passed
    False
    """
    landmark = relations.parse_landmark(rate.landmark)
    if landmark_claim is not None:
        landmark = relations.Landmark(time=landmark_claim.number.value, unit=landmark_claim.unit,
                                      known_status=landmark.known_status)
    at = f"{rounding.format_at(landmark.time, 2).rstrip('0').rstrip('.')} {landmark.unit}"
    involved = (rate.id,) + ((median.id,) if median else ()) + ((landmark_claim.id,) if landmark_claim else ())
    if median is None or median.number.relation == "nr":
        holds, why = median_fits_landmark(rate.printed, float(landmark.time), None)
    else:
        time = relations.convert(landmark.time, landmark.unit, median.unit)   # compare in the median's unit
        span = Span.of(median.printed)
        if span.lo is not None and span.hi is not None and span.lo <= time <= span.hi:
            return Check("landmark", True, f"{_label(rate)} at {at}: the landmark lies within the rounding of "
                                           f"the median {_label(median)}, so either may hold", involved,
                         informative=False)
        holds, why = median_fits_landmark(rate.printed, float(time), float(median.number.value))
    printed_median = "not reached" if median is None or median.number.relation == "nr" else \
        f"{median.printed} {median.unit}"
    detail = f"{_label(rate)} at {at}, median {printed_median}: {why}"
    if holds:
        return Check("landmark", True, detail, involved)
    if landmark.known_status:
        return Check("landmark", True, detail + " on a Kaplan-Meier curve; but the rate is declared as a proportion "
                     "among patients with known status at the landmark, which the median does not bind, so this "
                     "could not fail", involved, informative=False)
    return Check("landmark", False, detail + ". They cannot both hold on one Kaplan-Meier curve; they can if the "
                 "rate is a proportion among patients with known status at the landmark, or the median is not a "
                 "Kaplan-Meier median (e.g. a median of observed times)", involved, premises=(KM_LANDMARK,))
