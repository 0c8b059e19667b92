"""Response rates with exact (Clopper-Pearson) confidence intervals."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["Proportion", "rate", "OBJECTIVE_RESPONSE_COLUMNS", "with_intervals"]

#: Columns of a study module's ``objective_response`` frame.  Where a paper prints only shares, the
#: responders are a range of whole counts (``responders_low`` to ``responders_high``).
OBJECTIVE_RESPONSE_COLUMNS = ["source", "histology", "responders_low", "responders_high", "patients", "basis"]


@dataclass(frozen=True)
class Proportion:
    """A proportion with its confidence interval.

    Attributes
    ----------
    count, total : int
        Responders and patients.
    estimate, ci_low, ci_high : float
        Point estimate and interval bounds, as fractions (0-1).
    level : float
        Confidence level.
    method : str
        Name of the interval method.
    """

    count: int
    total: int
    estimate: float
    ci_low: float
    ci_high: float
    level: float
    method: str

    def as_percent(self, decimals: int = 1) -> str:
        """The rate and its interval as a journal prints them, with an en dash between the bounds.

        >>> rate(2, 13).as_percent()
        '15.4% (95% CI 1.9–45.4)'
        """
        pct = [100 * v for v in (self.estimate, self.ci_low, self.ci_high)]
        return (f"{pct[0]:.{decimals}f}% ({self.level:.0%} CI {pct[1]:.{decimals}f}–{pct[2]:.{decimals}f})")


def rate(count: int, total: int, *, level: float = 0.95) -> Proportion:
    """A response rate with its exact Clopper-Pearson interval.

    Parameters
    ----------
    count : int
        Patients with the response.
    total : int
        Patients evaluated.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    Proportion

    References
    ----------
    Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the case of the
    binomial. Biometrika 1934;26:404-413.

    Examples
    --------
    >>> r = rate(0, 10)
    >>> round(r.ci_high, 4)   # 1 - 0.025 ** (1 / 10)
    0.3085
    """
    from scipy.stats import binomtest  # scipy.stats takes ~1 s to import; pay it only when used

    if total <= 0 or not 0 <= count <= total:
        raise ValueError(f"need 0 <= count <= total and total > 0, got count={count}, total={total}")
    interval = binomtest(count, total).proportion_ci(confidence_level=level, method="exact")
    return Proportion(count, total, count / total, float(interval.low), float(interval.high), level,
                      "Clopper-Pearson (exact)")


def with_intervals(responses: pd.DataFrame, *, level: float = 0.95) -> pd.DataFrame:
    """Response rates with exact intervals, for rows whose responders may be a range of whole counts.

    Parameters
    ----------
    responses : DataFrame
        Columns :data:`OBJECTIVE_RESPONSE_COLUMNS`.
    level : float, default 0.95

    Returns
    -------
    DataFrame
        The input with ``estimate`` (the midpoint of the possible rates),
        ``estimate_low``/``estimate_high`` (the rates of the least and greatest
        counts) and ``ci_low``/``ci_high``: the Clopper-Pearson interval of
        the least count's lower bound to the greatest count's upper bound, so
        that it covers every count the printed figures allow.  All as fractions.

    Examples
    --------
    >>> frame = pd.DataFrame([{"source": "x", "histology": "renal_cell", "responders_low": 30,
    ...                        "responders_high": 30, "patients": 120, "basis": "printed counts"}])
    >>> row = with_intervals(frame).iloc[0]
    >>> [round(float(row[c]), 3) for c in ("estimate", "ci_low", "ci_high")]
    [0.25, 0.175, 0.337]
    """
    frame = responses.copy()
    low = [rate(int(k), int(n), level=level) for k, n in zip(frame["responders_low"], frame["patients"])]
    high = [rate(int(k), int(n), level=level) for k, n in zip(frame["responders_high"], frame["patients"])]
    frame["estimate_low"] = [r.estimate for r in low]
    frame["estimate_high"] = [r.estimate for r in high]
    frame["estimate"] = (frame["estimate_low"] + frame["estimate_high"]) / 2
    frame["ci_low"] = [r.ci_low for r in low]
    frame["ci_high"] = [r.ci_high for r in high]
    return frame
