"""Reproduction of the stable-disease study: CONSORT, Tables 1-3, Figs 2-4 and the numbers in its text.

Study: 305 patients with metastatic melanoma or renal cell carcinoma treated
with HD IL-2 by one physician, 2000-2012; overall survival by response after
the first course (Cancer Immunol Immunother 2015).  Counts are re-derived from
the embedded tables.  Survival was published only as medians, landmark shares
and p-values, so survival claims rest on pseudo patient-level data
**reconstructed** from the three disjoint groups (PD, SD, CR+PR) with
:mod:`il2lib.reconstruction`; pooled results are then predictions.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import pandas as pd

from il2lib import consistency, datasets, memo, reconstruction, relations, rounding, survival
from il2lib.claims import Basis, Bound, Derived, Evidence, Statement, percent, summed, transcribed, year_of_record
from il2lib.datasets import Study, count
from il2lib.formatting import scientific

__all__ = [
    "GROUPS", "POOLS", "comparison_p", "p_value_evidence", "consort", "consort_counts", "table1", "table2",
    "group_summaries", "reconstruct", "reconstructed", "pooled", "predictions", "prediction_ranges",
    "landmark_comparison", "table3", "text", "reproduce", "consistency_problems", "follow_up_windows",
    "objective_response",
]

#: The tables this module reads, each with the schema it needs (checked when the study is read).
TABLES = {
    "characteristics": "characteristic_counts",
    "consort": "consort_boxes",
    "diagnosis_all": "diagnosis_counts",
    "initial_response": "response_counts",
    "sd_metastatic_sites": "site_counts",
    "sd_stage": "stage_counts",
}

#: Premises (``premises.yaml``) that some of this paper's evidence needs.
SCENARIOS = "reconstruction-scenarios"
EXACT_P = "p-exact"
#: The three disjoint groups the reconstruction rebuilds, in the order comparisons name them.
GROUPS = ["PD", "SD", "CR+PR"]
#: How pooled curves are formed from the three reconstructed groups.
POOLS = {
    "All patients": ["PD", "SD", "CR+PR"],
    "No objective response": ["PD", "SD"],
    "Disease control": ["SD", "CR+PR"],
}


# --- Fig. 1 (CONSORT) --------------------------------------------------------------------------

def consort_counts(study: Study) -> dict[str, int]:
    """The CONSORT boxes and the subsets they imply.

    Returns
    -------
    dict
        Every box of Fig. 1 plus ``with_survival`` (reviewed minus those
        without survival data) and ``with_response`` (reviewed minus those
        without response data).
    """
    boxes = dict(zip(study.tables["consort"]["box"], study.tables["consort"]["n"].astype(int)))
    return boxes | {
        "with_survival": boxes["reviewed"] - boxes["no_survival"] - boxes["no_survival_no_response"],
        "with_response": boxes["reviewed"] - boxes["no_response"] - boxes["no_survival_no_response"],
    }


def consort(study: Study) -> pd.DataFrame:
    """Fig. 1: each box re-derived, the analysed box from the others.

    Returns
    -------
    DataFrame
        Columns ``claim_id, box, evidence``.
    """
    n = consort_counts(study)
    diagnoses = study.tables["diagnosis_all"]["n"].astype(int).tolist()
    excluded = n["no_survival"] + n["no_survival_no_response"] + n["no_response"]
    rows = [
        ("fig1-reviewed", "Charts reviewed", Derived(sum(diagnoses), f"{' + '.join(map(str, diagnoses))} "
                                                     f"by diagnosis (abstract) = {sum(diagnoses)}")),
        ("fig1-no-survival", "No survival data", transcribed(n["no_survival"], "consort.csv")),
        ("fig1-no-both", "No survival or response data", transcribed(n["no_survival_no_response"], "consort.csv")),
        ("fig1-no-response", "No response data", transcribed(n["no_response"], "consort.csv")),
        ("fig1-analysed", "Analysed", Derived(n["reviewed"] - excluded,
                                              f"{n['reviewed']} reviewed - {excluded} excluded = {n['reviewed'] - excluded}")),
    ]
    return pd.DataFrame(rows, columns=["claim_id", "box", "evidence"])



# --- Table 1 -----------------------------------------------------------------------------------

def table1(study: Study) -> pd.DataFrame:
    """Table 1: counts of the analysed patients, the combined response rows, and every percentage.

    Returns
    -------
    DataFrame
        Columns ``claim_id, row, measure, evidence``.
    """
    analysed = consort_counts(study)["analysed"]
    chars = study.tables["characteristics"]
    resp = study.tables["initial_response"]
    counts = {
        "male": ("Male", count(chars, category="male")),
        "female": ("Female", count(chars, category="female")),
        "melanoma": ("Malignant melanoma", count(chars, category="melanoma")),
        "rcc": ("Renal cell carcinoma", count(chars, category="renal_cell")),
        "pd": ("PD", count(resp, response="PD")),
        "sd": ("SD", count(resp, response="SD")),
        "pr": ("PR", count(resp, response="PR")),
        "cr": ("CR", count(resp, response="CR")),
    }
    rows = []
    for key, (label, n) in counts.items():
        file = "characteristics.csv" if key in ("male", "female", "melanoma", "rcc") else "initial_response.csv"
        rows.append((f"t1-{key}-n", label, "No.", transcribed(n, file)))
        rows.append((f"t1-{key}-pct", label, "%", percent(n, analysed)))
    for key, label, parts in (("orr", "PR + CR", ["pr", "cr"]), ("dcr", "SD + PR + CR", ["sd", "pr", "cr"])):
        values = [counts[p][1] for p in parts]
        rows.append((f"t1-{key}-n", label, "No.", Derived(sum(values), f"{' + '.join(map(str, values))} = {sum(values)}")))
        rows.append((f"t1-{key}-pct", label, "%", percent(sum(values), analysed)))
    return pd.DataFrame(rows, columns=["claim_id", "row", "measure", "evidence"])


# --- Table 2 -----------------------------------------------------------------------------------

def table2(study: Study) -> pd.DataFrame:
    """Table 2: metastatic sites and stage of the stable-disease patients.

    Returns
    -------
    DataFrame
        Columns ``claim_id, row, measure, evidence``.
    """
    sites = study.tables["sd_metastatic_sites"]
    stages = study.tables["sd_stage"]
    site_ids = {"skin_nodes_soft_tissue": "skin", "lung": "lung", "liver": "liver", "bone": "bone",
                "brain": "brain", "other": "other", "unknown": "unknown"}
    rows = [(f"t2-site-{site_ids[s]}", s.replace("_", ", ").capitalize(), "N", transcribed(int(n), "sd_metastatic_sites.csv"))
            for s, n in zip(sites["site"], sites["n"])]
    total = int(stages["n"].sum())
    rows.append(("t2-stage-total-n", "Total patients", "N", summed(stages["n"])))
    rows.append(("t2-stage-total-pct", "Total patients", "%", percent(total, total)))
    for stage, n in zip(stages["stage"], stages["n"].astype(int)):
        key = stage.split()[-1].lower()
        rows.append((f"t2-stage-{key}-n", stage, "N", transcribed(n, "sd_stage.csv")))
        rows.append((f"t2-stage-{key}-pct", stage, "%", percent(n, total)))
    return pd.DataFrame(rows, columns=["claim_id", "row", "measure", "evidence"])



# --- Reconstruction ----------------------------------------------------------------------------

def follow_up_windows(study: Study) -> list[dict[str, float]]:
    """The assumed potential follow-up window (first) and the alternatives shown for sensitivity."""
    assumption = study.metadata["reconstruction"]["follow_up_assumption"]
    main = {"min_months": assumption["min_months"], "max_months": assumption["max_months"]}
    return [main, *assumption.get("sensitivity", [])]


def group_summaries(study: Study, *, min_months: float | None = None,
                    max_months: float | None = None) -> list[reconstruction.GroupSummary]:
    """What the paper prints for each disjoint response group, as reconstruction targets.

    The targets are read from the claims file by the claim ids listed in
    ``study.yaml`` (``reconstruction:``); the group sizes from the embedded
    response counts.  The follow-up window defaults to the stated assumption.
    """
    spec = study.metadata["reconstruction"]
    window = follow_up_windows(study)[0]
    summaries = []
    for group, targets in spec["groups"].items():
        table = study.tables[targets["n"]["table"]]
        n = int(table.loc[table["response"].isin(targets["n"]["response"]), "n"].sum())
        landmarks = tuple(reconstruction.Landmark(float(t), study.claim(cid).printed)
                          for t, cid in targets["landmarks"].items())
        summaries.append(reconstruction.GroupSummary(
            group=group, n=n, median=study.claim(targets["median"]).printed if targets["median"] else None,
            landmarks=landmarks, landmark_kind=spec["landmark_kind"],
            max_follow_up=float(max_months if max_months is not None else window["max_months"]),
            min_follow_up=float(min_months if min_months is not None else window["min_months"])))
    return summaries


@cache
def _reconstruct_cached(summaries: tuple[reconstruction.GroupSummary, ...], loss_timing: str
                        ) -> tuple[reconstruction.Reconstruction, ...]:
    return tuple(reconstruction.reconstruct(s, loss_timing=loss_timing) for s in summaries)


def reconstruct(study: Study, *, loss_timing: str = "spread", **window: float
                ) -> tuple[reconstruction.Reconstruction, ...]:
    """Reconstructions of the three disjoint groups (RECONSTRUCTED data, not the trial's)."""
    return _reconstruct_cached(tuple(group_summaries(study, **window)), loss_timing)


def reconstructed(study: Study, *, loss_timing: str = "spread", **window: float) -> pd.DataFrame:
    """Pseudo patient-level data of all three groups: ``time`` (months), ``event``, ``group``."""
    return pd.concat([r.data for r in reconstruct(study, loss_timing=loss_timing, **window)], ignore_index=True)


def pooled(data: pd.DataFrame, name: str) -> pd.DataFrame:
    """The reconstructed patients of one of :data:`POOLS`, labelled with the pool's name."""
    return data[data["group"].isin(POOLS[name])].assign(group=name)


def predictions(study: Study, *, loss_timing: str = "spread", **window: float) -> dict[str, float]:
    """Pooled results the paper prints, predicted from the reconstruction of the disjoint groups.

    Returns
    -------
    dict
        ``median <pool>`` for each pool, and the log-rank p of every comparison the three groups allow
        (:func:`il2lib.relations.readings`), keyed ``p <comparison>``: ``p CR+PR vs PD, SD``,
        ``p PD vs SD``, ``p PD vs SD vs CR+PR`` (all three at once), and so on.
    """
    data = reconstructed(study, loss_timing=loss_timing, **window)
    out = {f"median {name}": survival.median_time(p["time"], p["event"]) for name in POOLS for p in [pooled(data, name)]}
    for comparison in relations.readings(list(study.metadata["reconstruction"]["groups"])):
        out[f"p {comparison.label}"] = comparison_p(data, comparison)
    return out


def comparison_p(data: pd.DataFrame, comparison: relations.Comparison) -> float:
    """Log-rank p of a comparison between groups (or pools of groups) of reconstructed data."""
    sides = [data[data["group"].isin(side)].assign(group=", ".join(side)) for side in comparison.sides]
    if len(sides) == 2:
        (a, b) = sides
        return survival.logrank(a["time"], a["event"], b["time"], b["event"]).p_value
    return survival.logrank_groups(pd.concat(sides, ignore_index=True)).p_value


def prediction_ranges(study: Study) -> pd.DataFrame:
    """Every prediction under each follow-up window and loss timing: what the printed numbers leave open.

    Computed once per loaded study (it rebuilds 27 groups) and returned as a copy.

    Returns
    -------
    DataFrame
        One row per prediction: ``central`` (assumed window, losses spread),
        ``low`` and ``high`` over all windows and timings, and one column per scenario.
    """
    return _prediction_ranges(study).copy()


@cache
def _prediction_ranges(study: Study) -> pd.DataFrame:
    if not datasets.is_current(study):
        return _compute_prediction_ranges(study)
    return memo.remembered("prediction-ranges", lambda: _compute_prediction_ranges(study), inputs=[study.path])


def _compute_prediction_ranges(study: Study) -> pd.DataFrame:
    scenarios = {}
    for window in follow_up_windows(study):
        for timing in reconstruction.LOSS_TIMINGS:
            label = f"{window['min_months']:g}–{window['max_months']:g} mo, losses {timing}"
            scenarios[label] = predictions(study, loss_timing=timing, **window)
    table = pd.DataFrame(scenarios)
    central = table.iloc[:, 0]
    return pd.concat([central.rename("central"), table.min(axis=1).rename("low"),
                      table.max(axis=1).rename("high"), table], axis=1)


def landmark_comparison(study: Study, at: float) -> pd.DataFrame:
    """Survival by response counted from the start of IL-2 (as the paper does) and from a landmark.

    Parameters
    ----------
    at : float
        Months after the start of IL-2 at which patients must be alive and followed.

    Returns
    -------
    DataFrame
        One row per analysis (``from start``, ``from <at> months``): patients
        and median per group, and the log-rank p over the three groups, on the
        reconstructed data.
    """
    data = reconstructed(study)
    rows = []
    for label, frame in (("from start of IL-2", data), (f"from {at:g} months", survival.from_landmark(data, at))):
        row = {"analysis": label}
        for group, rows_of_group in frame.groupby("group", sort=False):
            row[f"{group} n"] = len(rows_of_group)
            row[f"{group} median"] = round(survival.median(rows_of_group["time"], rows_of_group["event"]).estimate, 1)
        row["log-rank p"] = survival.logrank_groups(frame).p_value
        rows.append(row)
    return pd.DataFrame(rows).set_index("analysis")


def table3(study: Study) -> pd.DataFrame:
    """Table 3 and the group medians: each fitted target and what the reconstruction reaches.

    Returns
    -------
    DataFrame
        Columns ``claim_id, group, target, evidence`` with :class:`Bound`
        evidence: a target the reconstruction could not reach would be
        contradicted; one it reaches stays unverifiable (it was fitted).
    """
    spec = study.metadata["reconstruction"]["groups"]
    rows = []
    for rec in reconstruct(study):
        targets = spec[rec.summary.group]
        ids = {f"landmark {float(t):g}": cid for t, cid in targets["landmarks"].items()}
        if targets["median"]:
            ids["median"] = targets["median"]
        for fit in rec.fit.itertuples():
            if fit.target in ids:
                achieved = float(fit.achieved)
                reaches = "a median not reached" if math.isinf(achieved) else f"{achieved:.2f}"
                rows.append((ids[fit.target], rec.summary.group, fit.target,
                             Bound(bool(fit.within_precision),
                                   f"fitted target {fit.printed}; the reconstruction reaches {reaches} "
                                   f"({fit.detail})", basis=Basis.RECONSTRUCTED, value=achieved,
                                   premises=(SCENARIOS,))))
    return pd.DataFrame(rows, columns=["claim_id", "group", "target", "evidence"])


# --- Numbers in the text -----------------------------------------------------------------------

def _published(study: Study, claim_id: str) -> float:
    return float(study.claim(claim_id).number.value)


def text(study: Study) -> dict[str, Evidence]:
    """Evidence for the numbers in the text that do not simply restate a table cell."""
    n = consort_counts(study)
    resp = study.tables["initial_response"]
    evidence: dict[str, Evidence] = {}
    dates = study.metadata["dates"]
    evidence["pm-start-year"] = year_of_record(dates["first_treatment"], "first_treatment")
    evidence["pm-end-year"] = year_of_record(dates["last_treatment"], "last_treatment")

    diagnoses = study.tables["diagnosis_all"]
    evidence["abs-melanoma"] = transcribed(count(diagnoses, diagnosis="melanoma"), "diagnosis_all.csv")
    evidence["abs-rcc"] = transcribed(count(diagnoses, diagnosis="renal_cell"), "diagnosis_all.csv")
    evidence["os-all-n"] = Derived(n["with_survival"], f"{n['reviewed']} reviewed - {n['no_survival']} - "
                                                        f"{n['no_survival_no_response']} without survival data")
    responders = count(resp, response="PR") + count(resp, response="CR")
    controlled = responders + count(resp, response="SD")
    evidence["disc-orr-pct"] = _over_analysed(percent(responders, n["analysed"]), n)
    evidence["disc-dcr-pct-2"] = _over_analysed(percent(controlled, n["analysed"]), n)
    fold = study.claim("disc-fold")   # "over fivefold": the ratio of the printed medians, read generically
    check = consistency.ratio_check(fold, *relations.parse_ratio(fold.ratio_of), {c.id: c for c in study.claims})
    evidence["disc-fold"] = Statement(check.passed, check.detail)
    for year in (1, 2, 3):
        shares = {g: _published(study, f"t3-{g}-{year}y") for g in ("orr", "sd", "pd")}
        evidence[f"lm-best-{year}y"] = Statement(
            shares["orr"] > max(shares["sd"], shares["pd"]),
            f"Table 3 at {year} year(s): PR/CR {shares['orr']:g}%, SD {shares['sd']:g}%, PD {shares['pd']:g}%")
    return evidence


def _over_analysed(rate: Derived, n: dict[str, int]) -> Derived:
    return Derived(rate.value, f"{rate.evidence} over the {n['analysed']} analysed patients; over the "
                               f"{n['with_response']} with response data it would be "
                               f"{float(rate.value) * n['analysed'] / n['with_response']:.1f}%")


def _prediction_evidence(study: Study) -> dict[str, Evidence]:
    """Pooled medians and p-values as bounds: the printed numbers leave a range open, which the printed value must meet."""
    ranges = prediction_ranges(study)
    scenarios = len(ranges.columns) - 3
    note = (f"reconstructed data, fitted to PD, SD and CR+PR only; range over {scenarios} scenarios of "
            "follow-up window and timing of losses")

    def median(claim_id: str, pool: str) -> Bound:
        row = ranges.loc[f"median {pool}"]
        printed = float(study.claim(claim_id).number.value)
        return Bound(bool(row["low"] - 0.05 <= printed <= row["high"] + 0.05),
                     f"predicted median, {pool}: {row['central']:.1f} months (error {printed - row['central']:+.1f}); "
                     f"the printed groups allow {row['low']:.1f}–{row['high']:.1f} ({note})",
                     basis=Basis.RECONSTRUCTED, value=row["central"], premises=(SCENARIOS,))

    evidence: dict[str, Evidence] = {
        "fig2a-median": median("fig2a-median", "All patients"),
        "os-nonresp-median": median("os-nonresp-median", "No objective response"),
        "fig2b-nonresp-median": median("fig2b-nonresp-median", "No objective response"),
        "fig4-dcr-median": median("fig4-dcr-median", "Disease control"),
    }
    groups = list(study.metadata["reconstruction"]["groups"])
    for claim in study.claims:
        if claim.compares:
            evidence[claim.id] = p_value_evidence(claim, ranges, groups, note)
    return evidence


def p_value_evidence(claim, ranges: pd.DataFrame, groups: list[str], note: str) -> Bound:
    """A printed p-value against the range the reconstruction allows for the comparison the paper states.

    Where the paper does not state what the p-value compares, every comparison the groups allow is tried,
    and the printed value is consistent if it fits any of them.
    """
    comparison = relations.parse_comparison(claim.compares)
    tried = [comparison.ordered(groups)] if comparison.stated else relations.readings(groups)
    lo, hi = rounding.interval(claim.number)
    fits = {c.label: bool(ranges.loc[f"p {c.label}", "high"] >= lo and ranges.loc[f"p {c.label}", "low"] <= hi)
            for c in tried}
    shown = "; ".join(f"{c.label}: {scientific(ranges.loc[f'p {c.label}', 'low'])} to "
                      f"{scientific(ranges.loc[f'p {c.label}', 'high'])}"
                      f"{'' if fits[c.label] else ' (cannot be ' + claim.printed + ')'}" for c in tried)
    what = (f"log-rank p, {comparison.label}" if comparison.stated
            else "log-rank p; the paper does not say what it compares, so every comparison is tried")
    return Bound(any(fits.values()), f"{what}: the reconstruction allows {shown} ({note})",
                 basis=Basis.RECONSTRUCTED, value=ranges.loc[f"p {tried[0].label}", "central"],
                 premises=(EXACT_P, SCENARIOS))


# --- Everything --------------------------------------------------------------------------------

def objective_response(study: Study, responses: tuple[str, ...] = ("CR", "PR")) -> pd.DataFrame:
    """Patients whose response after one course is one of ``responses``, both histologies together.

    The paper does not split response by histology.

    Parameters
    ----------
    responses : tuple of str, default ("CR", "PR")
        ``("CR", "PR")`` for objective response, ``("CR",)`` for complete response,
        ``("CR", "PR", "SD")`` for disease control.

    Returns
    -------
    DataFrame
        Columns :data:`il2lib.response.OBJECTIVE_RESPONSE_COLUMNS`.
    """
    initial = study.tables["initial_response"]
    responders = count(initial, response=list(responses))
    return pd.DataFrame([{"source": f"{study.label} (this book)", "histology": "both", "responders_low": responders,
                          "responders_high": responders, "patients": int(initial["n"].sum()),
                          "basis": "embedded counts (after one course)"}])


def reproduce(study: Study) -> dict[str, Evidence]:
    """Evidence for every claim this module can re-derive, keyed by claim id."""
    evidence: dict[str, Evidence] = {}
    for artifact in (consort, table1, table2, table3):
        frame = artifact(study)
        evidence.update(zip(frame["claim_id"], frame["evidence"]))
    evidence.update(text(study))
    evidence.update(_prediction_evidence(study))
    return evidence


def consistency_problems(tables: dict[str, pd.DataFrame], path: Path) -> list[str]:
    """Checks between this study's files: each count adds up to the CONSORT box (or SD group) it describes."""
    boxes = dict(zip(tables["consort"]["box"], tables["consort"]["n"]))
    analysed = f"the {boxes.get('analysed')} analysed patients of consort.csv"
    sd = count(tables["initial_response"], response="SD")
    chars = tables["characteristics"]
    expectations = [  # file, what is summed, found, expected total, description of that total
        ("initial_response.csv", "(all)", int(tables["initial_response"]["n"].sum()), boxes.get("analysed"),
         f"the counts to add up to {analysed}"),
        *(("characteristics.csv", f"({c})", count(chars, characteristic=c), boxes.get("analysed"),
           f"the counts to add up to {analysed}") for c in dict.fromkeys(chars["characteristic"])),
        ("sd_stage.csv", "", int(tables["sd_stage"]["n"].sum()), sd,
         f"the stages to add up to the {sd} SD patients of initial_response.csv"),
        ("diagnosis_all.csv", "", int(tables["diagnosis_all"]["n"].sum()), boxes.get("reviewed"),
         f"the diagnoses to add up to the {boxes.get('reviewed')} reviewed patients of consort.csv"),
    ]
    return [f"{path / file}: column 'n'{' ' + key if key else ''}: expected {expected}, found {found}"
            for file, key, found, total, expected in expectations if found != total]
