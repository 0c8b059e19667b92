"""All the studies side by side: response rates with exact intervals, and a random-effects pooled rate.

Every rate comes from a study module's ``objective_response(study, responses)``
(counts embedded in ``data/``, or, for the reports summarised in a table of
another paper, the whole counts its printed shares allow).  Pooling uses a
random-effects model on the logit scale, through
:func:`statsmodels.stats.meta_analysis.combine_effects`, with the
between-cohort variance estimated by Paule and Mandel's method (statsmodels'
``"iterated"``).  That estimate is never negative, whereas statsmodels'
one-step DerSimonian-Laird estimate (``"dl"``) is not truncated at zero and can
make the random-effects interval narrower than the fixed-effect one.  The studies differ in design, dose, selection and
response criteria, so a pooled rate is a description of this heterogeneous
set, not an estimate of any one treatment effect: the chapter says so.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from statsmodels.stats.meta_analysis import combine_effects

from il2lib import datasets, response
from il2lib.studies import module_for

__all__ = ["MEASURES", "cohorts", "rates_table", "pooled", "overview"]

#: The response measures compared, and the responses each counts.
MEASURES: dict[str, tuple[str, ...]] = {"CR": ("CR",), "ORR": ("CR", "PR"), "DCR": ("CR", "PR", "SD")}


def cohorts(measure: str = "ORR") -> pd.DataFrame:
    """Every cohort's responders for one measure, with exact 95% intervals.

    Parameters
    ----------
    measure : {"CR", "ORR", "DCR"}

    Returns
    -------
    DataFrame
        The columns of :func:`il2lib.response.with_intervals`, plus ``measure``.
        A cohort whose paper does not report the measure (e.g. stable disease
        in a paper that records none) is absent.

    Examples
    --------
    >>> orr = cohorts("ORR")
    >>> set(orr["histology"]) == {"melanoma", "renal_cell", "both"}
    True
    """
    frames = []
    for study_id in datasets.studies():
        module = module_for(study_id)
        if module is not None and hasattr(module, "objective_response"):
            frames.append(module.objective_response(datasets.load(study_id), MEASURES[measure]))
    found = pd.concat([f for f in frames if len(f)], ignore_index=True)
    for column in ("responders_low", "responders_high", "patients"):
        found[column] = found[column].astype(int)
    return response.with_intervals(found).assign(measure=measure)


def rates_table() -> pd.DataFrame:
    """CR, ORR and DCR of every cohort side by side, each as ``rate (95% CI)`` in percent.

    A range of rates (``a-b%``) appears where only printed shares are known
    and several whole counts print as them; the interval then covers them all.
    """
    frames = {measure: cohorts(measure) for measure in MEASURES}
    wide = frames["ORR"][["source", "histology", "patients"]]   # every cohort reports ORR; keep its order
    for measure, frame in frames.items():
        column = pd.DataFrame({"source": frame["source"], "histology": frame["histology"],
                               measure: frame.apply(_rate_text, axis=1)})
        wide = wide.merge(column, on=["source", "histology"], how="left")
    return wide.fillna({m: "not reported" for m in MEASURES}).set_index(["source", "histology"])


def _rate_text(row: pd.Series) -> str:
    low, high = 100 * row["estimate_low"], 100 * row["estimate_high"]
    estimate = f"{low:.1f}" if math.isclose(low, high) else f"{low:.1f}–{high:.1f}"
    return f"{estimate}% ({100 * row['ci_low']:.1f}–{100 * row['ci_high']:.1f})"


def pooled(rates: pd.DataFrame, *, exclude: tuple[str, ...] = ()) -> pd.DataFrame:
    """A random-effects pooled rate per histology, with its heterogeneity.

    Each cohort enters as the logit of its rate, with variance
    ``1/(k + 0.5) + 1/(n - k + 0.5)`` (0.5 added to both cells so that a rate
    of 0 or 1 stays finite); ``k`` is the midpoint of the counts a cohort's
    printed figures allow.  Cohorts of mixed histology are left out.

    Parameters
    ----------
    rates : DataFrame
        Output of :func:`cohorts`.
    exclude : tuple of str
        Sources to leave out (e.g. a registry analysis that overlaps another).

    Returns
    -------
    DataFrame
        One row per histology: ``cohorts``, ``patients``, ``pooled``,
        ``ci_low``, ``ci_high`` (fractions), ``tau2``, ``i2`` (fraction, 0 when
        Cochran's Q is below its degrees of freedom),
        ``q`` and ``q_p`` (Cochran's test of homogeneity).

    Examples
    --------
    >>> table = pooled(cohorts("ORR"))
    >>> list(table.index)
    ['melanoma', 'renal_cell']
    """
    rows = {}
    chosen = rates[rates["histology"].isin(["melanoma", "renal_cell"]) & ~rates["source"].isin(exclude)]
    for histology, group in chosen.groupby("histology"):
        k = (group["responders_low"] + group["responders_high"]) / 2
        n = group["patients"]
        effect = np.log((k + 0.5) / (n - k + 0.5))
        variance = 1 / (k + 0.5) + 1 / (n - k + 0.5)
        result = combine_effects(effect.to_numpy(), variance.to_numpy(), method_re="iterated")  # Paule-Mandel
        random = result.summary_frame().loc["random effect"]
        homogeneity = result.test_homogeneity()
        rows[histology] = {
            "cohorts": len(group), "patients": int(n.sum()),
            "pooled": _expit(random["eff"]), "ci_low": _expit(random["ci_low"]), "ci_high": _expit(random["ci_upp"]),
            "tau2": float(result.tau2), "i2": max(0.0, float(result.i2)),   # I² is 0 when Q < its df
            "q": float(homogeneity.statistic), "q_p": float(homogeneity.pvalue),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _expit(x: float) -> float:
    return float(1 / (1 + math.exp(-x)))


def overview() -> pd.DataFrame:
    """Design, population, regimen and response criteria of each study, from its ``study.yaml``."""
    rows = []
    for study_id in datasets.studies():
        study = datasets.load(study_id)
        meta = study.metadata
        rows.append({"study": study.label, "design": study.describe("design"),
                     "population": study.describe("population"), "regimen": study.describe("regimen"),
                     "response criteria": study.describe("response_criteria") if "response_criteria" in meta
                     else "not stated"})
    return pd.DataFrame(rows).set_index("study")
