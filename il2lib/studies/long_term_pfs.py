"""Reproduction of the long-term-pfs study: Tables 1 and 2 and the numbers in its text.

Study: 100 patients (54 melanoma, 46 renal cell) alive and free of progression
at least five years after HD IL-2, with no other systemic therapy, gathered
from eleven centres (J Investig Med 2021).  Table 2 and the text are
re-derived from the embedded counts.  Table 1 summarises four other reports;
its figures are checked two ways: against what those reports' own abstracts
print (``cited_abstracts.csv``), and for each row's own arithmetic (do the
shares add up to the combined figure printed beside them?).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pandas as pd

from il2lib import consistency, rounding
from il2lib.claims import Basis, Bound, Derived, Evidence, Statement, percent, summed, transcribed
from il2lib.datasets import Study, count
from il2lib.response import OBJECTIVE_RESPONSE_COLUMNS

__all__ = ["HISTOLOGY_KEYS", "COURSE_GROUPS", "alive_threshold", "table1", "table2a", "table2b", "row_arithmetic", "course_splits",
           "follow_up", "objective_response", "text", "reproduce", "consistency_problems", "settings_problems"]

#: The tables this module reads, each with the schema it needs (checked when the study is read).
TABLES = {
    "alive_10_years": "cohort_sizes",
    "best_response": "selected_response_counts",
    "cited_abstracts": "report_figures",
    "cohort": "cohort_sizes",
    "follow_up": "follow_up_summary",
    "literature": "report_figures",
    "toxicity": "toxicity_counts",
}

#: Premises (``premises.yaml``) that some of this paper's evidence needs.
ROW_DENOMINATOR = "row-denominator"
#: Claim-id abbreviation of each histology.
HISTOLOGY_KEYS = {"melanoma": "mel", "renal_cell": "rcc"}
_RESPONSE_KEYS = {"CR": "cr", "surgical_CR": "surgical-cr", "PR": "pr"}
_RESPONSE_LABELS = {"CR": "CR", "surgical_CR": "Surgical/SRS CR", "PR": "PR, no further treatment"}
_FOLLOW_UP_KEYS = {"median": "fu-median", "shortest": "fu-min", "longest": "fu-max"}
_TOXICITY_KEYS = {"hypothyroidism": "hypothyroid", "arthralgia_arthritis": "arthralgia", "vitiligo": "vitiligo",
                  "neuropathy": "neuropathy", "premature_ventricular_contractions": "pvc",
                  "normal_pressure_hydrocephalus": "nph"}

#: Table 1 claims that the cited reports' abstracts also print: claim id -> (report, histology, centre, quantity).
_CITED = {
    "t1-clark-n": ("clark2017", "renal_cell", "all", "patients"),
    "t1-clark-cr": ("clark2017", "renal_cell", "all", "CR"),
    "t1-clark-pr": ("clark2017", "renal_cell", "all", "PR"),
    "t1-clark-sd": ("clark2017", "renal_cell", "all", "SD"),
    "t1-clark-pd": ("clark2017", "renal_cell", "all", "PD"),
    "t1-clark-os-pd": ("clark2017", "renal_cell", "all", "median_os_PD"),
    "t1-clark-os-pd-tt": ("clark2017", "renal_cell", "all", "median_os_PD_with_TT"),
    "t1-clark-os-pd-no-tt": ("clark2017", "renal_cell", "all", "median_os_PD_without_TT"),
    "t1-mcdermott-n": ("mcdermott2015", "renal_cell", "all", "patients"),
    "t1-mcdermott-cr": ("mcdermott2015", "renal_cell", "all", "CR"),
    "t1-mcdermott-pr": ("mcdermott2015", "renal_cell", "all", "PR"),
    "t1-mcdermott-pf3y": ("mcdermott2015", "renal_cell", "all", "progression_free_3y", "patients"),
    "t1-mcdermott-os": ("mcdermott2015", "renal_cell", "all", "median_os"),
    **{f"t1-alva-{key}-{suffix}": ("alva2016", histology, "all", quantity)
       for histology, key in HISTOLOGY_KEYS.items()
       for suffix, quantity in [("start", "period_start"), ("end", "period_end"), ("n", "patients"), ("cr", "CR"),
                                ("pr", "PR"), ("sd", "SD"), ("fu", "median_follow_up"), ("os", "median_os"),
                                ("os-sd", "median_os_SD")]},
    "t1-stenehjem-n": ("stenehjem2016", "renal_cell", "all", "patients"),
    "t1-stenehjem-utah-start": ("stenehjem2016", "renal_cell", "utah", "period_start"),
    "t1-stenehjem-utah-end": ("stenehjem2016", "renal_cell", "utah", "period_end"),
    "t1-stenehjem-mich-start": ("stenehjem2016", "renal_cell", "michigan", "period_start"),
    "t1-stenehjem-mich-end": ("stenehjem2016", "renal_cell", "michigan", "period_end"),
    "t1-stenehjem-cr": ("stenehjem2016", "renal_cell", "all", "CR"),
    "t1-stenehjem-pr": ("stenehjem2016", "renal_cell", "all", "PR"),
    # the Discussion's account of Prieto 2012 (ref. 20), whose protocol 2 gave ipilimumab with HD IL-2
    "d-prieto-n": ("prieto2012", "melanoma", "protocol2", "patients"),
    "d-prieto-gp100-a-n": ("prieto2012", "melanoma", "protocol1", "patients"),
    "d-prieto-gp100-b-n": ("prieto2012", "melanoma", "protocol3", "patients"),
    "d-prieto-fu": ("prieto2012", "melanoma", "protocol2", "median_follow_up"),
    "d-prieto-cr": ("prieto2012", "melanoma", "protocol2", "CR"),
    "d-prieto-os": ("prieto2012", "melanoma", "protocol2", "survival_5y"),
    "d-prieto-cr-relapsed": ("prieto2012", "melanoma", "all", "CR_not_ongoing"),
    "d-prieto-cr-ongoing-min": ("prieto2012", "melanoma", "all", "shortest_ongoing_CR"),
    "d-prieto-cr-ongoing-max": ("prieto2012", "melanoma", "all", "longest_ongoing_CR"),
}
#: The two gp100 arms' CR rates, which the Discussion prints as a pair after the two arms.
_GP100_RATES = ("d-prieto-gp100-a-cr", "d-prieto-gp100-b-cr")
_GP100_ARMS = (("prieto2012", "melanoma", "protocol1", "CR"), ("prieto2012", "melanoma", "protocol3", "CR"))
#: Table 1's combined CR+PR+SD figures: claim id -> (report, histology).
_COMBINED = {"t1-clark-dcr": ("clark2017", "renal_cell"), "t1-alva-mel-dcr": ("alva2016", "melanoma"),
             "t1-alva-rcc-dcr": ("alva2016", "renal_cell"), "t1-stenehjem-dcr": ("stenehjem2016", "renal_cell")}
#: Table 1 shares printed without a count: claim id -> (report, histology, quantity).
_SHARES = {"t1-stenehjem-sd": ("stenehjem2016", "renal_cell", "SD"),
           "t1-stenehjem-pd": ("stenehjem2016", "renal_cell", "PD")}
#: The courses each printed course category covers, reading "two to three" and "three or more" as overlapping
#: at three courses.  ``COURSES`` are the categories that do not overlap.
COURSE_GROUPS = {"d-courses-le1": ["1 or fewer"], "r-courses-2-3": ["2", "3"], "d-courses-ge3": ["3", "4 or more"]}
COURSES = ["1 or fewer", "2", "3", "4 or more"]
#: The same, if some patients stopped between one and two courses (e.g. after one cycle of a second course).
COURSES_WITH_PARTIAL = ["1 or fewer", "between 1 and 2", "2", "3", "4 or more"]


def alive_threshold(study: Study) -> float:
    """Years after IL-2 beyond which Table 2A counts the patients alive (its printed threshold, a claim)."""
    return float(study.claim("t2-alive-threshold").number.value)


def _cohort(study: Study) -> dict[str, int]:
    return dict(zip(study.tables["cohort"]["histology"], study.tables["cohort"]["n"].astype(int)))


def _figure(table: pd.DataFrame, report: str, histology: str, quantity: str, *, centre: str = "all",
            unit: str | None = None) -> float | None:
    """One value of a ``report_figures`` table, or ``None`` if it is not there."""
    rows = table[(table["report"] == report) & (table["histology"] == histology) & (table["centre"] == centre)
                 & (table["quantity"] == quantity)]
    if unit is not None:
        rows = rows[rows["unit"] == unit]
    return float(rows["value"].iloc[0]) if len(rows) else None


def _exact(value: float) -> Fraction:
    """A transcribed decimal (e.g. 10.5) as an exact fraction."""
    return Fraction(str(value))


# --- Table 2 ------------------------------------------------------------------------------------------------

def _years(study: Study, histology: str, statistic: str) -> float:
    table = study.tables["follow_up"]
    return float(table[(table["histology"] == histology) & (table["statistic"] == statistic)]["years"].iloc[0])


def _median_follow_up_evidence(study: Study, histology: str) -> Evidence:
    """The printed median follow-up, checked against the count alive beyond 10 years.

    If more than half of a group was followed beyond 10 years, its median
    follow-up cannot be below 10 years.
    """
    median = _years(study, histology, "median")
    beyond = alive_threshold(study)
    alive = count(study.tables["alive_10_years"], histology=histology)
    n = _cohort(study)[histology]
    if 2 * alive > n and median < beyond:
        return Bound(False, f"{alive} of {n} were followed beyond {beyond:g} years, more than half, so "
                            f"the median cannot be {median:g} years")
    return Derived(_exact(median), f"cell of follow_up.csv (second transcription); {alive} of {n} followed beyond "
                                   f"{beyond:g} years agrees with it", basis=Basis.TRANSCRIPTION)


def table2a(study: Study) -> pd.DataFrame:
    """Table 2A: best response, follow-up and long-term survivors by histology.

    Returns
    -------
    DataFrame
        Columns ``claim_id, row, histology, evidence``.
    """
    rows = []
    responses = study.tables["best_response"]
    for histology, key in HISTOLOGY_KEYS.items():
        mine = responses[responses["histology"] == histology]
        rows.append((f"t2-{key}-n", "Patients (n)", histology, summed(mine["n"])))
        for response, n in zip(mine["response"], mine["n"]):
            rows.append((f"t2-{key}-{_RESPONSE_KEYS[response]}", _RESPONSE_LABELS[response], histology,
                         transcribed(int(n), "best_response.csv")))
        for statistic, suffix in _FOLLOW_UP_KEYS.items():
            evidence = (_median_follow_up_evidence(study, histology) if statistic == "median" else
                        Derived(_exact(_years(study, histology, statistic)),
                                "cell of follow_up.csv (second transcription)", basis=Basis.TRANSCRIPTION))
            rows.append((f"t2-{key}-{suffix}", f"Follow-up, {statistic} (years)", histology, evidence))
        alive = count(study.tables["alive_10_years"], histology=histology)
        rows.append((f"t2-{key}-alive-10y", f"Alive >{alive_threshold(study):g} years, no further therapy", histology,
                     transcribed(alive, "alive_10_years.csv")))
    return pd.DataFrame(rows, columns=["claim_id", "row", "histology", "evidence"])


def table2b(study: Study) -> pd.DataFrame:
    """Table 2B: patients by long-term toxicity.

    Returns
    -------
    DataFrame
        Columns ``claim_id, event, grade, measure, evidence``.
    """
    rows = [(f"t2b-{_TOXICITY_KEYS[event]}", event.replace("_", " "), grade, "Patients",
             transcribed(int(n), "toxicity.csv"))
            for event, grade, n in study.tables["toxicity"][["event", "grade", "n"]].itertuples(index=False)]
    return pd.DataFrame(rows, columns=["claim_id", "event", "grade", "measure", "evidence"])


def follow_up(study: Study) -> pd.DataFrame:
    """Follow-up by histology, one row per histology: shortest, median, longest (years) and alive beyond the threshold.

    Every value was printed with a "+": the patients were still being followed.
    """
    frame = study.tables["follow_up"].pivot(index="histology", columns="statistic", values="years")
    frame = frame[["shortest", "median", "longest"]]
    frame["patients"] = frame.index.map(_cohort(study))
    frame["alive beyond threshold"] = [count(study.tables["alive_10_years"], histology=h) for h in frame.index]
    return frame


# --- Table 1 ------------------------------------------------------------------------------------------------

def _denominator(literature: pd.DataFrame, report: str, histology: str) -> int:
    """The patients a report's response shares are of: those with response data where printed, else all."""
    assessed = _figure(literature, report, histology, "patients_with_response_data")
    return int(assessed if assessed is not None else _figure(literature, report, histology, "patients"))


def _cited_evidence(study: Study, claim_id: str) -> Derived:
    report, histology, centre, quantity, *unit = _CITED[claim_id]
    value = _figure(study.tables["cited_abstracts"], report, histology, quantity, centre=centre,
                    unit=unit[0] if unit else None)
    if value is None:
        raise KeyError(f"cited_abstracts.csv has no {quantity} for {report} ({histology}, {centre})")
    where_ = "" if centre == "all" else f", {centre}"
    return Derived(_exact(value), f"the cited report's own abstract prints {value:g}{where_} (cited_abstracts.csv)",
                   basis=Basis.CITED)


def _parts(literature: pd.DataFrame, report: str, histology: str, quantities: list[str]) -> list[str]:
    """The printed shares of a report row, as printed numbers (text)."""
    values = [_figure(literature, report, histology, q, unit="%") for q in quantities]
    return [f"{v:g}" for v in values]


def _row_counts(literature: pd.DataFrame, report: str, histology: str, quantities: list[str]
                ) -> tuple[int, int, int]:
    """The denominator of a report row, and the least and greatest patients its printed shares add up to."""
    n = _denominator(literature, report, histology)
    low, high = consistency.combined_counts(_parts(literature, report, histology, quantities), n)
    return n, low, high


def _combined_evidence(study: Study, claim_id: str) -> Statement:
    """Does a printed CR+PR+SD share follow from the CR, PR and SD shares printed beside it?"""
    report, histology = _COMBINED[claim_id]
    literature = study.tables["literature"]
    parts = _parts(literature, report, histology, ["CR", "PR", "SD"])
    n, low, high = _row_counts(literature, report, histology, ["CR", "PR", "SD"])
    printed = study.claim(claim_id).number
    holds = any(low <= k <= high for k in consistency.whole_counts(printed, n))
    ranges = " + ".join(_span(r.start, r.stop - 1) for r in (consistency.whole_counts(p, n) for p in parts))
    evidence = (f"CR {parts[0]}% + PR {parts[1]}% + SD {parts[2]}% of {n} are {ranges} = {_span(low, high)} "
                f"patients, {_share_span(low, high, n)}")
    everyone = _figure(literature, report, histology, "patients")
    premises: tuple[str, ...] = ()
    if not holds and everyone and int(everyone) != n:
        fits = [k for k in consistency.whole_counts(printed, int(everyone)) if low <= k <= high]
        if fits:
            evidence += (f"; over all {int(everyone)} patients, {fits[0]}–{fits[-1]} of them print as "
                         f"{printed.text}%")
            premises = (ROW_DENOMINATOR,)   # it fails only if the row's shares are all of one denominator
    total = sum(Fraction(p) for p in parts)
    return Statement(holds, evidence, value=total, premises=premises)


def _span(low: int, high: int) -> str:
    return f"{low}" if low == high else f"{low}–{high}"


def _share_span(low: int, high: int, n: int) -> str:
    """``"54.9–57.0%"``: the shares of *n* that *low* to *high* patients make, to one decimal."""
    shares = [rounding.format_at(Fraction(100 * k, n), 1) for k in (low, high)]
    return f"{shares[0]}%" if low == high else f"{shares[0]}–{shares[1]}%"


def _share_bound(printed: rounding.PrintedNumber, n: int, what: str) -> Bound:
    counts = consistency.whole_counts(printed, n)
    if counts:
        return Bound(True, f"{what}: {percent(counts.start, n).evidence} prints as {printed.text}%")
    below, above = max(0, counts.start - 1), min(n, counts.start)
    return Bound(False, f"{what}: no whole count prints as {printed.text}% ({percent(below, n).evidence}, "
                        f"{percent(above, n).evidence})")


def table1(study: Study) -> pd.DataFrame:
    """Table 1: the four reports' figures, each with the evidence that bears on it.

    Returns
    -------
    DataFrame
        Columns ``claim_id, report, figure, evidence``: every Table 1 claim in
        the order of the claims file; ``evidence`` is ``None`` where neither
        the cited abstracts nor the row's own arithmetic bear on it.
    """
    literature = study.tables["literature"]
    evidence: dict[str, Evidence] = {claim_id: _cited_evidence(study, claim_id) for claim_id in _CITED
                                     if claim_id.startswith("t1-")}
    evidence |= {claim_id: _combined_evidence(study, claim_id) for claim_id in _COMBINED}
    for claim_id, (report, histology, quantity) in _SHARES.items():
        n = _denominator(literature, report, histology)
        evidence[claim_id] = _share_bound(study.claim(claim_id).number, n, f"{quantity} of {n}")
    evidence |= _mcdermott(study)
    evidence |= _clark_denominator(study)
    utah = (_figure(study.tables["cited_abstracts"], "stenehjem2016", "renal_cell", "period_end", centre="utah")
            - _figure(study.tables["cited_abstracts"], "stenehjem2016", "renal_cell", "period_start", centre="utah"))
    years = study.claim("t1-stenehjem-os-cr").number.value
    evidence["t1-stenehjem-os-cr"] = Bound(years <= utah, f"{float(years):g} years against the {utah:g} years the "
                                                          "Utah series spans (cited_abstracts.csv)")
    rows = []
    for claim in study.claims:
        if claim.source == "Table 1":
            report, _, figure = claim.quantity.partition(": ")
            rows.append((claim.id, report, figure, evidence.get(claim.id)))
    return pd.DataFrame(rows, columns=["claim_id", "report", "figure", "evidence"])


def _mcdermott(study: Study) -> dict[str, Evidence]:
    literature = study.tables["literature"]
    n = int(_figure(literature, "mcdermott2015", "renal_cell", "patients"))
    cr = int(_figure(literature, "mcdermott2015", "renal_cell", "CR", unit="patients"))
    pr = int(_figure(literature, "mcdermott2015", "renal_cell", "PR", unit="patients"))
    free = int(_figure(literature, "mcdermott2015", "renal_cell", "progression_free_3y", unit="patients"))
    orr = percent(cr + pr, n)
    return {
        "t1-mcdermott-orr": Derived(orr.value, f"CR {cr} + PR {pr}: {orr.evidence}"),
        "t1-mcdermott-pf3y-pct": percent(free, n),
        "t1-mcdermott-tt": _share_bound(study.claim("t1-mcdermott-tt").number, n, f"share of {n}"),
    }


def _clark_denominator(study: Study) -> dict[str, Evidence]:
    """Are the row's four response shares all possible shares of the 328 patients with response data?"""
    literature = study.tables["literature"]
    n = _denominator(literature, "clark2017", "renal_cell")
    shares = _parts(literature, "clark2017", "renal_cell", ["CR", "PR", "SD", "PD"])
    fits = consistency.denominators(shares, [n])
    return {"t1-clark-n-response": Bound(bool(fits), f"CR, PR, SD and PD ({', '.join(shares)}%) "
                                                     f"{'are all' if fits else 'are not all'} possible shares of {n}")}


def row_arithmetic(study: Study) -> pd.DataFrame:
    """Each Table 1 row's own arithmetic: what its printed parts add up to, beside its printed total.

    Returns
    -------
    DataFrame
        Indexed by report and histology: the denominator, the printed parts,
        the patients they can stand for, the share those patients make, the
        printed combined share, whether it is possible, and how much of the
        cohort all printed categories account for.
    """
    literature = study.tables["literature"]
    claims = {claim_id: study.claim(claim_id) for claim_id in _COMBINED}
    rows = []
    for claim_id, (report, histology) in _COMBINED.items():
        parts = _parts(literature, report, histology, ["CR", "PR", "SD"])
        n, low, high = _row_counts(literature, report, histology, ["CR", "PR", "SD"])
        quantities = [q for q in ["CR", "PR", "SD", "PD"] if _figure(literature, report, histology, q) is not None]
        _, accounted_low, accounted_high = _row_counts(literature, report, histology, quantities)
        rows.append({
            "report": study.metadata["reports"][report]["label"], "histology": histology, "of n": n,
            "CR + PR + SD (printed shares)": " + ".join(parts),
            "patients": _span(low, high),
            "their share": _share_span(low, high, n),
            "printed CR+PR+SD (%)": claims[claim_id].printed,
            "possible": "yes" if _combined_evidence(study, claim_id).holds else "no",
            "categories printed": "+".join(quantities),
            "patients they account for": f"{_span(accounted_low, min(accounted_high, n))} of {n}",
        })
    return pd.DataFrame(rows).set_index(["report", "histology"])


def transcription_differences(study: Study) -> pd.DataFrame:
    """Table 1 figures where the tidy transcription and the claims file disagree (double entry; should be empty)."""
    literature = study.tables["literature"]
    rows = []
    for claim_id, (report, histology, _centre, quantity, *_unit) in _CITED.items():
        if claim_id.startswith("t1-") and quantity in {"patients", "CR", "PR", "SD", "PD"}:
            unit = study.claim(claim_id).unit
            value = _figure(literature, report, histology, quantity, unit=unit)
            printed = study.claim(claim_id).number.value
            if value is None or _exact(value) != printed:
                rows.append({"claim": claim_id, "claims.csv": float(printed), "literature.csv": value})
    return pd.DataFrame(rows, columns=["claim", "claims.csv", "literature.csv"])


# --- courses ------------------------------------------------------------------------------------------------

def course_splits(study: Study, *, partial_courses: bool = False) -> pd.DataFrame:
    """Every split of the patients by courses received that prints the three overlapping course shares.

    Parameters
    ----------
    partial_courses : bool, default False
        Also allow patients who stopped between one and two courses, a group
        none of the printed categories covers.

    Returns
    -------
    DataFrame
        One row per possible split, one column per course category (patients).
    """
    n = sum(_cohort(study).values())
    shares = {claim_id: study.claim(claim_id).number for claim_id in COURSE_GROUPS}
    atoms = COURSES_WITH_PARTIAL if partial_courses else COURSES
    found = consistency.splits(n, COURSE_GROUPS, shares, atoms)
    return pd.DataFrame(found, columns=atoms)


def _course_evidence(study: Study) -> Bound:
    whole = course_splits(study)
    n = sum(_cohort(study).values())
    if whole.empty:
        return Bound(False, f"no whole-number split of the {n} patients by courses prints all three shares")
    split = ", ".join(f"{k} {a}" for a, k in whole.iloc[0].items())
    return Bound(True, f"{len(whole)} split of the {n} patients by whole courses prints all three shares: {split}")


# --- response rates for the forest plot ---------------------------------------------------------------------

def objective_response(study: Study, responses: tuple[str, ...] = ("CR", "PR")) -> pd.DataFrame:
    """Patients with one of ``responses`` in each of Table 1's reports, as whole counts the printed figures allow.

    Where a report prints counts, they are used; where it prints only shares,
    ``responders_low`` and ``responders_high`` bound the patients whose shares
    print as Table 1 prints them.  A report that prints no figure for one of
    the responses is left out.  This study itself has no response rate: it
    selected its patients by outcome.

    Parameters
    ----------
    responses : tuple of str, default ("CR", "PR")
        ``("CR", "PR")`` for objective response, ``("CR",)`` for complete response,
        ``("CR", "PR", "SD")`` for disease control.

    Returns
    -------
    DataFrame
        Columns ``source, histology, responders_low, responders_high, patients, basis``.
    """
    literature = study.tables["literature"]
    rows = []
    for (report, histology), _group in literature.groupby(["report", "histology"], sort=False):
        counts = [_figure(literature, report, histology, r, unit="patients") for r in responses]
        shares = [_figure(literature, report, histology, r, unit="%") for r in responses]
        if all(c is not None for c in counts):
            n = _denominator(literature, report, histology)
            low = high = int(sum(counts))
            basis = "printed counts"
        elif all(s is not None for s in shares):
            n, low, high = _row_counts(literature, report, histology, list(responses))
            basis = "counts recovered from printed shares"
        else:
            continue
        rows.append({"source": study.metadata["reports"][report]["label"], "histology": histology,
                     "responders_low": low, "responders_high": high, "patients": n, "basis": basis})
    return pd.DataFrame(rows, columns=OBJECTIVE_RESPONSE_COLUMNS)


# --- the text -----------------------------------------------------------------------------------------------

def text(study: Study) -> dict[str, Evidence]:
    """Evidence for the numbers in the abstract, introduction, methods, results and discussion."""
    cohort = _cohort(study)
    responses = study.tables["best_response"]
    toxicity = study.tables["toxicity"]
    shortest = {h: _years(study, h, "shortest") for h in HISTOLOGY_KEYS}
    longest = {h: _years(study, h, "longest") for h in HISTOLOGY_KEYS}
    medians = {h: _years(study, h, "median") for h in HISTOLOGY_KEYS}
    alive = sum(count(study.tables["alive_10_years"], histology=h) for h in HISTOLOGY_KEYS)
    everyone = sum(cohort.values())
    shortest_of_all = Derived(_exact(min(shortest.values())), _listing("shortest follow-up", shortest))
    evidence: dict[str, Evidence] = {
        "abs-patients": summed(cohort.values()),
        "r-patients": summed(responses["n"]),
        "abs-min-survival": shortest_of_all,
        "abs-pfs-min": shortest_of_all,
        "abs-pfs-max": Derived(_exact(max(longest.values())), _listing("longest follow-up", longest)),
        "abs-fu-median": Bound(
            any(rounding.agrees(_exact(m), study.claim("abs-fu-median").number) for m in medians.values())
            and 2 * alive > everyone,
            f"{_listing('median follow-up', medians)}: the median of all lies between them; {alive} of {everyone} "
            f"were followed beyond {alive_threshold(study):g} years, so it exceeds {alive_threshold(study):g}"),
        "i-nearly-4-years": _nearly_four_years(study),
        "r-tox-pct": _toxicity_share(toxicity, list(_TOXICITY_KEYS), everyone),
        "d-tox-thyroid-joints": _toxicity_share(toxicity, ["hypothyroidism", "arthralgia_arthritis"], everyone),
        "d-clinical-benefit": _clinical_benefit(study),
        "d-courses-2-3-share": _two_thirds(study),
    }
    for histology, key in HISTOLOGY_KEYS.items():
        complete = count(responses, histology=histology, response=["CR", "surgical_CR"])
        cr = percent(complete, cohort[histology])
        evidence[f"r-{key}-cr-pct"] = Derived(cr.value, f"CR + surgical/SRS CR: {cr.evidence}")
    evidence |= dict.fromkeys(COURSE_GROUPS, _course_evidence(study))   # one search serves the three shares
    evidence |= _prieto(study)
    return evidence


def _listing(what: str, values: dict[str, float]) -> str:
    return f"{what} " + ", ".join(f"{v:g}+ years ({h.replace('_', ' ')})" for h, v in values.items())


def _toxicity_share(toxicity: pd.DataFrame, events: list[str], patients: int) -> Derived:
    counts = [count(toxicity, event=e) for e in events]
    share = percent(sum(counts), patients)
    return Derived(share.value, f"{' + '.join(map(str, counts))} patients in Table 2B, each event counted as a "
                                f"different patient: {share.evidence} (if a patient had two of these events, fewer)")


def _nearly_four_years(study: Study) -> Statement:
    """'Nearly 4 years' of follow-up in report 6: its median follow-up in years, read as the words say.

    "Nearly" is read as :mod:`il2lib.rounding` reads it (premise ``word-readings``).
    """
    cited = study.tables["cited_abstracts"]
    months = [_figure(cited, "alva2016", h, "median_follow_up") for h in HISTOLOGY_KEYS]
    years = [_exact(m) / 12 for m in months]
    printed = study.claim("i-nearly-4-years").number
    holds = all(rounding.agrees(y, printed) for y in years)
    return Statement(holds, "report 6's abstracts print median follow-up of "
                            + " and ".join(f"{m:g} months = {float(y):.2f} years" for m, y in zip(months, years))
                            + " (report 7's follow-up is not embedded)", basis=Basis.CITED,
                     premises=(consistency.WORD_READINGS,))


def _two_thirds(study: Study) -> Statement:
    """'Two-thirds (66/100)': is 66 of 100 the count nearest to two-thirds, give or take one?"""
    share = study.claim("r-courses-2-3").number.value
    n = sum(_cohort(study).values())
    patients = share * n / 100
    nearest = round(Fraction(2, 3) * n)
    return Statement(abs(patients - nearest) <= 1,
                     f"{patients} of {n} patients, against {nearest} for two-thirds of {n}: within one patient")


def _clinical_benefit(study: Study) -> Statement:
    """'CR+PR+SD in >50%' of reports 4, 6 and 7, judged on each row's own CR, PR and SD shares."""
    literature = study.tables["literature"]
    shown, holds = [], True
    for report, histology in _COMBINED.values():
        n, _, high = _row_counts(literature, report, histology, ["CR", "PR", "SD"])
        most = Fraction(100 * high, n)
        holds &= most > 50
        shown.append(f"{study.metadata['reports'][report]['label']} {histology.replace('_', ' ')}: at most "
                     f"{high}/{n} = {rounding.format_at(most, 1)}%")
    return Statement(holds, "; ".join(shown))


def _prieto(study: Study) -> dict[str, Evidence]:
    """The cited combination trial (Prieto 2012, named in the text): what its abstract prints.

    The gp100 arms' CR rates are printed as a pair with no "respectively", so they are set against the
    abstract's two rates as a pair; whether the printed order pairs them with the right arms is a premise
    (``rates-in-arm-order``) that ``premises.yaml`` tests.  The serious adverse event rate, which the
    abstract does not print, can only be checked as a share of the arm.
    """
    evidence: dict[str, Evidence] = {claim_id: _cited_evidence(study, claim_id) for claim_id in _CITED
                                     if claim_id.startswith("d-prieto-")}
    cited = study.tables["cited_abstracts"]
    abstract = sorted(_exact(_figure(cited, r, h, q, centre=c)) for r, h, c, q in _GP100_ARMS)
    printed = sorted(study.claim(claim_id).number.value for claim_id in _GP100_RATES)
    pair = " and ".join(f"{float(v):g}%" for v in abstract)
    for claim_id in _GP100_RATES:
        evidence[claim_id] = Statement(abstract == printed, f"as a pair, the cited report's abstract prints {pair} "
                                                            "for its two gp100 protocols (cited_abstracts.csv)",
                                       basis=Basis.CITED)
    n = int(study.claim("d-prieto-n").number.value)
    evidence["d-prieto-irae"] = _share_bound(study.claim("d-prieto-irae").number, n, f"share of {n}")
    return evidence


def reproduce(study: Study) -> dict[str, Evidence]:
    """Evidence for every claim this module can re-derive, keyed by claim id."""
    evidence: dict[str, Evidence] = {}
    for frame in (table1(study), table2a(study), table2b(study)):
        evidence |= {claim_id: item for claim_id, item in zip(frame["claim_id"], frame["evidence"]) if item}
    return evidence | text(study)


def settings_problems(metadata: dict, tables: dict[str, pd.DataFrame], path: Path) -> list[str]:
    """Every report of Table 1 (``literature.csv``) has an entry under ``reports`` in ``study.yaml`` (its label and
    reference)."""
    reports = metadata.get("reports") or {}
    return [f"{path / 'study.yaml'}: key 'reports': expected an entry for {report!r}, which literature.csv names, "
            "found none" for report in sorted(set(tables["literature"]["report"]) - set(reports))]


def consistency_problems(tables: dict[str, pd.DataFrame], path: Path) -> list[str]:
    """Checks between this study's files: Table 2A's responses and survivors against the cohort."""
    cohort = dict(zip(tables["cohort"]["histology"], tables["cohort"]["n"]))
    problems = []
    for histology, total in tables["best_response"].groupby("histology")["n"].sum().items():
        if total != cohort.get(histology):
            problems.append(f"{path / 'best_response.csv'}: column 'n' ({histology}): expected the responses to add "
                            f"up to the {cohort.get(histology)} patients of cohort.csv, found {total}")
    for histology, alive in zip(tables["alive_10_years"]["histology"], tables["alive_10_years"]["n"]):
        if alive > cohort.get(histology, 0):
            problems.append(f"{path / 'alive_10_years.csv'}: column 'n' ({histology}): expected at most the "
                            f"{cohort.get(histology)} patients of cohort.csv, found {alive}")
    return problems
