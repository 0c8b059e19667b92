"""Reproduction of the after-pd1 study: Table 1 and the counts and rates in its text.

Study: 57 patients (40 melanoma, 17 renal cell) from the PROCLAIM registry
given HD IL-2 after PD-1/PD-L1 inhibition (J Immunother Cancer 2019).  Counts
and rates are re-derived from the embedded tables.  Its survival results
(Figs 1-2) were printed only as medians and are not re-derived here; durations
are checked against the follow-up the paper prints.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from il2lib import reconstruction, rounding, survival
from il2lib.claims import Bound, Derived, Evidence, percent, transcribed
from il2lib.datasets import Study, count

__all__ = ["HISTOLOGY_KEYS", "table1", "text", "reproduce", "consistency_problems", "comparator_size",
           "summaries", "reconstructed", "comparator_sensitivity", "cycle_counts", "objective_response"]

#: The tables this module reads, each with the schema it needs (checked when the study is read).
TABLES = {
    "cohort": "cohort_sizes",
    "mutations": "gene_counts",
    "prior_pd1_agents": "agent_counts",
    "prior_pd1_response": "prior_response_counts",
    "prior_therapy": "therapy_counts",
    "response": "assessed_response_counts",
}

#: The premise (``premises.yaml``) the follow-up bounds rest on.
FOLLOW_UP_FROM_IL2 = "follow-up-from-il2"
#: Claim-id abbreviation of each histology.
HISTOLOGY_KEYS = {"melanoma": "mel", "renal_cell": "rcc"}
_ASSESSMENT_KEYS = {"initial": "initial", "best_overall": "bor"}


def _cohort(study: Study) -> dict[str, int]:
    return dict(zip(study.tables["cohort"]["histology"], study.tables["cohort"]["n"].astype(int)))



def table1(study: Study) -> pd.DataFrame:
    """Table 1: initial and best overall response by histology, counts and percentages.

    Returns
    -------
    DataFrame
        Columns ``claim_id, assessment, response, histology, measure, evidence``.
    """
    cohort = _cohort(study)
    rows = []
    for histology, key in HISTOLOGY_KEYS.items():
        rows.append((f"t1-{key}-n", "N", "", histology, "No.", transcribed(cohort[histology], "cohort.csv")))
    for cell in study.tables["response"].itertuples():
        prefix = f"t1-{_ASSESSMENT_KEYS[cell.assessment]}-{HISTOLOGY_KEYS[cell.histology]}-{cell.response.lower()}"
        label = "Initial response" if cell.assessment == "initial" else "Best overall response"
        rows.append((f"{prefix}-n", label, cell.response, cell.histology, "No.",
                     transcribed(int(cell.n), "response.csv")))
        rows.append((f"{prefix}-pct", label, cell.response, cell.histology, "%",
                     percent(int(cell.n), cohort[cell.histology])))
    return pd.DataFrame(rows, columns=["claim_id", "assessment", "response", "histology", "measure", "evidence"])


def comparator_size(study: Study, histology: str, share: float | None = None) -> int:
    """Comparator patients of one histology under the stated (or a given) melanoma share of the 1,122.

    The split is NOT printed; ``study.yaml`` states the assumption.
    """
    assumption = study.metadata["reconstruction"]["comparator_assumption"]
    total = int(study.claim(assumption["total"]).number.value)
    melanoma = round(total * (assumption["melanoma_share"] if share is None else share))
    return melanoma if histology == "melanoma" else total - melanoma


def summaries(study: Study, figure: str, *, share: float | None = None
              ) -> dict[str, reconstruction.GroupSummary | None]:
    """Reconstruction targets of one comparison: ``"after PD-1"`` and ``"IL-2 alone"``.

    ``"after PD-1"`` is ``None`` where its median was printed as not reached and no
    other survival figure constrains the curve: any curve staying above 50% fits.
    """
    spec = study.metadata["reconstruction"]
    comparison = spec["comparisons"][figure]
    histology = comparison["histology"]
    follow_up = {k: study.claim(v) for k, v in spec["follow_up"][histology].items()}
    cohort = _cohort(study)[histology]
    after = None
    if comparison["after_pd1"]:
        after = reconstruction.GroupSummary(
            group="after PD-1", n=cohort, median=study.claim(comparison["after_pd1"]).printed,
            max_follow_up=float(follow_up["max"].number.value), min_follow_up=float(follow_up["min"].number.value),
            median_follow_up=follow_up["median"].printed)
    assumption = spec["comparator_assumption"]
    alone = reconstruction.GroupSummary(
        group="IL-2 alone", n=comparator_size(study, histology, share),
        median=study.claim(comparison["alone"]).printed,
        max_follow_up=float(assumption["max_months"]), min_follow_up=float(assumption["min_months"]))
    return {"after PD-1": after, "IL-2 alone": alone}


def reconstructed(study: Study, figure: str, *, share: float | None = None) -> pd.DataFrame:
    """RECONSTRUCTED pseudo patient-level data of one comparison (groups that can be rebuilt)."""
    frames = [reconstruction.reconstruct(s).data for s in summaries(study, figure, share=share).values() if s]
    return pd.concat(frames, ignore_index=True)


def comparator_sensitivity(study: Study) -> pd.DataFrame:
    """How the re-drawn comparisons depend on the unprinted melanoma share of the comparator.

    Returns
    -------
    DataFrame
        One row per figure and assumed share: comparator size, and the log-rank p
        of PD-1-pretreated against IL-2-alone patients on the reconstruction
        (no p-value is printed in the paper; the medians are fitted, so they do
        not move).
    """
    assumption = study.metadata["reconstruction"]["comparator_assumption"]
    shares = [assumption["melanoma_share"], *assumption["sensitivity_shares"]]
    rows = []
    for figure in study.metadata["reconstruction"]["comparisons"]:
        for share in shares:
            data = reconstructed(study, figure, share=share)
            groups = data["group"].unique()
            p = survival.logrank_groups(data).p_value if len(groups) > 1 else float("nan")
            histology = study.metadata["reconstruction"]["comparisons"][figure]["histology"]
            rows.append({"figure": figure, "melanoma share assumed": share,
                         "comparator n": comparator_size(study, histology, share), "log-rank p": p})
    return pd.DataFrame(rows)


def cycle_counts(study: Study) -> pd.DataFrame:
    """Whole numbers of patients that each printed cycle percentage can stand for, out of the whole cohort.

    Returns
    -------
    DataFrame
        One row per printed percentage: ``printed``, the cohort size, the
        counts k with k/N printing as that percentage, and how many patients
        the percentages account for in all.
    """
    cohort = _cohort(study)
    rows = []
    for claim in study.claims:
        if claim.id.startswith("tox-") and "-cycles-" in claim.id:
            histology = "melanoma" if claim.id.startswith("tox-mel") else "renal_cell"
            total = cohort[histology]
            counts = [k for k in range(total + 1) if rounding.agrees(percent(k, total).value, claim.number)]
            rows.append({"claim": claim.id, "histology": histology, "cycles": claim.quantity.split("given ")[-1],
                         "printed %": claim.printed, "of N": total,
                         "patients": ", ".join(map(str, counts)) or "none"})
    return pd.DataFrame(rows)


def _best(study: Study, histologies: list[str], responses: list[str]) -> int:
    return count(study.tables["response"], assessment="best_overall", histology=histologies, response=responses)


def text(study: Study) -> dict[str, Evidence]:
    """Evidence for the numbers in the text that do not simply restate a table cell."""
    cohort = _cohort(study)
    both = list(HISTOLOGY_KEYS)
    evidence: dict[str, Evidence] = {
        "abs-patients": Derived(sum(cohort.values()), f"{' + '.join(map(str, cohort.values()))} (cohort.csv)"),
        "abs-mel-orr": percent(_best(study, ["melanoma"], ["CR", "PR"]), cohort["melanoma"]),
        "abs-rcc-orr": percent(_best(study, ["renal_cell"], ["CR", "PR"]), cohort["renal_cell"]),
        "rs-orr": percent(_best(study, both, ["CR", "PR"]), sum(cohort.values())),
        "rs-mel-orr": percent(_best(study, ["melanoma"], ["CR", "PR"]), cohort["melanoma"]),
        "rs-rcc-orr": percent(_best(study, ["renal_cell"], ["CR", "PR"]), cohort["renal_cell"]),
        "rs-cr": Derived(_best(study, both, ["CR"]), "best overall CR, both histologies (Table 1)"),
        "rs-pr": Derived(_best(study, both, ["PR"]), "best overall PR, both histologies (Table 1)"),
    }
    agents = study.tables["prior_pd1_agents"]
    for histology, key in HISTOLOGY_KEYS.items():
        for agent, n in agents[agents["histology"] == histology][["agent", "n"]].itertuples(index=False):
            name = {"nivolumab_ipilimumab": "nivo-ipi"}.get(agent, agent)
            evidence[f"r-{key}-{name}"] = transcribed(int(n), "prior_pd1_agents.csv")
    genes = dict(zip(study.tables["mutations"]["gene"], study.tables["mutations"]["n"].astype(int)))
    evidence |= {f"r-{g.lower()}": transcribed(n, "mutations.csv") for g, n in genes.items()}
    mutated = sum(genes.values())
    evidence["r-mutation-pct"] = Bound(
        float(study.claim("r-mutation-pct").number.value) >= float(percent(mutated, cohort["melanoma"]).value),
        f"{mutated} melanoma patients carry a printed mutation: {percent(mutated, cohort['melanoma']).evidence}, "
        "the least share that can have been tested")
    therapy = study.tables["prior_therapy"]
    evidence["r-prior-brafi"] = transcribed(count(therapy, therapy="braf_inhibitor"), "prior_therapy.csv")
    evidence["r-prior-tki"] = transcribed(count(therapy, therapy="anti_vegf_tki"), "prior_therapy.csv")
    prior = study.tables["prior_pd1_response"]
    for histology, key in HISTOLOGY_KEYS.items():
        known = prior[prior["histology"] == histology]["n"].astype(int)
        evidence[f"r-{key}-prior-resp-known"] = Derived(int(known.sum()), f"{' + '.join(map(str, known))} "
                                                                         "responses recorded (prior_pd1_response.csv)")
    evidence["r-rcc-prior-pr"] = transcribed(count(prior, histology="renal_cell", response="PR"), "prior_pd1_response.csv")
    evidence["r-rcc-prior-pd"] = transcribed(count(prior, histology="renal_cell", response="PD"), "prior_pd1_response.csv")
    evidence |= _follow_up_bounds(study)
    return evidence


#: Printed durations (claim id) and the longest follow-up printed for the same histology (claim id).
_DURATIONS = {
    "rs-mel-cr-fu-max": "rs-fu-mel-max", "rs-mel-cr-fu-min": "rs-fu-mel-max", "rs-mel-pr-fu-min": "rs-fu-mel-max",
    "rs-mel-pr-fu-max": "rs-fu-mel-max", "rs-rcc-cr-fu": "rs-fu-rcc-max", "rs-rcc-pr-fu": "rs-fu-rcc-max",
    "rs-os-mel": "rs-fu-mel-max", "rs-pfs-mel": "rs-fu-mel-max", "rs-pfs-rcc": "rs-fu-rcc-max",
}


def _follow_up_bounds(study: Study) -> dict[str, Bound]:
    """Durations measured from the start of HD IL-2 cannot exceed the longest follow-up printed for the histology."""
    bounds = {}
    for claim_id, longest_id in _DURATIONS.items():
        claim, longest = study.claim(claim_id), study.claim(longest_id)
        months = claim.months
        bounds[claim_id] = Bound(months <= float(longest.number.value),
                                 f"{months:g} months against the longest follow-up printed for this histology, "
                                 f"{longest.printed} months ({longest_id})", premises=(FOLLOW_UP_FROM_IL2,))
    return bounds


def objective_response(study: Study, responses: tuple[str, ...] = ("CR", "PR")) -> pd.DataFrame:
    """Patients whose best overall response is one of ``responses``, by histology, from Table 1's counts.

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
    cohort = _cohort(study)
    rows = []
    for histology in HISTOLOGY_KEYS:
        responders = _best(study, [histology], list(responses))
        rows.append({"source": f"{study.label} (this book)", "histology": histology, "responders_low": responders,
                     "responders_high": responders, "patients": cohort[histology],
                     "basis": "embedded counts (best overall response)"})
    return pd.DataFrame(rows)


def reproduce(study: Study) -> dict[str, Evidence]:
    """Evidence for every claim this module can re-derive, keyed by claim id."""
    frame = table1(study)
    return dict(zip(frame["claim_id"], frame["evidence"])) | text(study)


def consistency_problems(tables: dict[str, pd.DataFrame], path: Path) -> list[str]:
    """Checks between this study's files: each assessment of Table 1 counts every patient of its histology."""
    cohort = dict(zip(tables["cohort"]["histology"], tables["cohort"]["n"]))
    problems = []
    sums = tables["response"].groupby(["histology", "assessment"])["n"].sum()
    for (histology, assessment), total in sums.items():
        if total != cohort.get(histology):
            problems.append(f"{path / 'response.csv'}: column 'n' ({histology}, {assessment}): expected the responses "
                            f"to add up to the {cohort.get(histology)} patients of cohort.csv, found {total}")
    return problems
