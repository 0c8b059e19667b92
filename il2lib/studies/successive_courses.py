"""Reproduction of the successive-courses study: Tables 1-5 and the numbers in its text.

Study: 350 consecutive patients (149 melanoma, 201 renal cell) given high-dose
bolus IL-2 at the NCI Surgery Branch, 1985-1996, with the response to each
course recorded (J Clin Oncol 2000).  Every function takes the loaded
:class:`~il2lib.datasets.Study` and returns tidy frames with one row per claim
(``claim_id``, layout columns, ``evidence``); :func:`reproduce` gathers them.
"""

from __future__ import annotations

import itertools
from datetime import date
from fractions import Fraction
from pathlib import Path

import pandas as pd

from il2lib import courses
from il2lib.claims import Bound, Derived, Evidence, Statement, percent, summed, transcribed, year_of_record
from il2lib.datasets import Study
from il2lib.response import OBJECTIVE_RESPONSE_COLUMNS

__all__ = [
    "GROUPS", "LABELS", "label", "table1", "table2", "table3", "table4", "table5", "table5_placements",
    "text", "reproduce", "consistency_problems", "cohort_sizes", "course_table", "stopped_after",
    "longest_follow_up_months", "objective_response",
]

#: The tables this module reads, each with the schema it needs (checked when the study is read).
TABLES = {
    "best_response": "best_response",
    "characteristics": "cohort_characteristics",
    "course_response": "course_transitions",
    "discontinuation": "discontinuation",
}

GROUPS = {"melanoma": "Melanoma", "renal_cell": "Renal cell", "total": "Total"}
#: How the paper prints the data's category codes.
LABELS = {
    "total": "Total patients", "all": "", "sex": "Sex", "age_group": "Age group", "race": "Race",
    "performance_status": "Performance status", "prior_therapy": "Prior therapy",
    "two_or_more": "Any two or more", "three_or_more": "Any three or more",
    "progressive_disease": "Progressive disease", "il2_toxicity": "IL-2 toxicity", "death": "Death", "cr": "CR",
}


def label(code: str) -> str:
    """The paper's wording for a category code (``"age_group"`` -> ``"Age group"``, ``"21-30"`` unchanged)."""
    return LABELS.get(code, code.replace("_", " ").capitalize())
_COURSE_TABLE = {"melanoma": "t3", "renal_cell": "t4"}
#: Premises (``premises.yaml``) that some of this paper's evidence needs.
LAST_STATE_IS_FINAL = "no-late-deepening"
PLACEMENT = "t5-placement"
AT_CUTOFF = "durations-at-cutoff"
_PARTITION = "sex"  # a characteristic whose categories split the cohort; its sum is the cohort size


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def cohort_sizes(study: Study) -> dict[str, int]:
    """Patients per histology and in total, counted from Table 1's sex rows."""
    chars = study.tables["characteristics"]
    sizes = chars[chars["characteristic"] == _PARTITION].groupby("histology")["n"].sum().astype(int).to_dict()
    return {**sizes, "total": sum(sizes.values())}


# --- Table 1 ---------------------------------------------------------------------------------

def table1(study: Study) -> pd.DataFrame:
    """Table 1, patient characteristics: counts per histology, their totals, and all percentages.

    Returns
    -------
    DataFrame
        Columns ``claim_id, characteristic, category, group, measure, evidence``.
    """
    chars = study.tables["characteristics"]
    sizes = cohort_sizes(study)
    rows = []
    for group in GROUPS:
        rows.append(_t1_row("total", "all", group, "No.",
                            Derived(sizes[group], _cohort_evidence(study, group))))
        rows.append(_t1_row("total", "all", group, "%", percent(sizes[group], sizes[group])))
    for (characteristic, category), cells in chars.groupby(["characteristic", "category"], sort=False):
        by_histology = dict(zip(cells["histology"], cells["n"].astype(int)))
        for histology, n in by_histology.items():
            rows.append(_t1_row(characteristic, category, histology, "No.",
                                transcribed(n, "characteristics.csv")))
            rows.append(_t1_row(characteristic, category, histology, "%", percent(n, sizes[histology])))
        total = sum(by_histology.values())
        sum_text = " + ".join(str(v) for v in by_histology.values())
        rows.append(_t1_row(characteristic, category, "total", "No.", Derived(total, f"{sum_text} = {total}")))
        rows.append(_t1_row(characteristic, category, "total", "%", percent(total, sizes["total"])))
    return _frame(rows)


def _t1_row(characteristic: str, category: str, group: str, measure: str, evidence: Evidence) -> dict:
    suffix = "n" if measure == "No." else "pct"
    return {"claim_id": f"t1-{characteristic}-{category}-{group}-{suffix}", "characteristic": label(characteristic),
            "category": label(category), "group": GROUPS[group], "measure": measure, "evidence": evidence}


def _cohort_evidence(study: Study, group: str) -> str:
    chars = study.tables["characteristics"]
    sex = chars[chars["characteristic"] == _PARTITION]
    if group != "total":
        parts = sex[sex["histology"] == group]["n"].astype(int).tolist()
    else:
        parts = sex.groupby("histology")["n"].sum().astype(int).tolist()
    return f"{' + '.join(map(str, parts))} = {sum(parts)} (Table 1 sex rows)"


# --- Table 2 ---------------------------------------------------------------------------------

def table2(study: Study) -> pd.DataFrame:
    """Table 2, response by histology.

    Counts are computed from the course-by-course record (Tables 3 and 4):
    the patients whose last recorded response is CR or PR.  That gives the
    best response only if no response deepened after the last course, so
    this evidence names the premise ``no-late-deepening``.  Percentages are
    re-derived from Table 2's own counts, so they test its arithmetic.

    Returns
    -------
    DataFrame
        Columns ``claim_id, group, measure, evidence``.
    """
    transitions = study.tables["course_response"]
    best = study.tables["best_response"]
    last = courses.last_response(transitions).pivot(index="histology", columns="response", values="n").fillna(0)
    sizes = cohort_sizes(study)
    printed = best.pivot(index="histology", columns="response", values="n")
    rows = []
    for group in GROUPS:
        members = [group] if group != "total" else list(_COURSE_TABLE)
        cr = int(sum(last.loc[h, "CR"] for h in members))
        pr = int(sum(last.loc[h, "PR"] for h in members))
        table_cr = int(sum(printed.loc[h, "CR"] for h in members))
        table_pr = int(sum(printed.loc[h, "PR"] for h in members))
        patients = sizes[group]
        rows += [
            _t2_row(group, "patients", "Patients", Derived(patients, _cohort_evidence(study, group))),
            _t2_row(group, "cr-n", "CR No.", Derived(cr, _course_evidence(transitions, members, "CR"),
                                                     premises=(LAST_STATE_IS_FINAL,))),
            _t2_row(group, "pr-n", "PR No.", Derived(pr, _course_evidence(transitions, members, "PR"),
                                                     premises=(LAST_STATE_IS_FINAL,))),
            _t2_row(group, "orr-n", "CR + PR No.", Derived(cr + pr, f"{cr} CR + {pr} PR in Tables 3-4 = {cr + pr}",
                                                           premises=(LAST_STATE_IS_FINAL,))),
            _t2_row(group, "cr-pct", "CR %", percent(table_cr, patients)),
            _t2_row(group, "pr-pct", "PR %", percent(table_pr, patients)),
            _t2_row(group, "orr-pct", "CR + PR %", percent(table_cr + table_pr, patients)),
        ]
    return _frame(rows)


def _t2_row(group: str, suffix: str, measure: str, evidence: Evidence) -> dict:
    return {"claim_id": f"t2-{group}-{suffix}", "group": GROUPS[group], "measure": measure, "evidence": evidence}


def _course_evidence(transitions: pd.DataFrame, histologies: list[str], state: str) -> str:
    last = courses.stopped(transitions)
    last = last[last["histology"].isin(histologies) & (last["response"] == state)]
    terms = [f"{n} after course {k}" for k, n in last.groupby("course")["n"].sum().items()]
    total = int(last["n"].sum())
    return f"patients whose last recorded response (Tables 3-4) is {state}: {' + '.join(terms)} = {total}"


# --- Tables 3 and 4 --------------------------------------------------------------------------

def table3(study: Study) -> pd.DataFrame:
    """Table 3, melanoma response to successive courses (see :func:`course_table`)."""
    return course_table(study, "melanoma")


def table4(study: Study) -> pd.DataFrame:
    """Table 4, renal cell response to successive courses (see :func:`course_table`)."""
    return course_table(study, "renal_cell")


def course_table(study: Study, histology: str) -> pd.DataFrame:
    """Cells, column margins and totals of a course-by-course table, in the paper's order.

    Returns
    -------
    DataFrame
        Columns ``claim_id, course, row, column, evidence``: ``row`` is the
        response after the course, or ``"Given course k"`` for the margins
        printed above each course's cells; ``column`` is the response before it
        (``"All"`` for a course's total).
    """
    prefix = _COURSE_TABLE[histology]
    t = study.tables["course_response"]
    t = t[t["histology"] == histology]
    rows = []
    for course, cells in t.groupby("course", sort=True):
        given_row = f"Given course {course}"
        rows.append({"claim_id": f"{prefix}-c{course}-treated", "course": course, "row": given_row,
                     "column": "All", "evidence": summed(cells["n"])})
        if course > 1:
            for prior, parts in cells.groupby("prior_response", sort=False):
                rows.append({"claim_id": f"{prefix}-c{course}-treated-{prior.lower()}", "course": course,
                             "row": given_row, "column": prior,
                             "evidence": summed(parts["n"])})
        for cell in cells.itertuples():
            cid = (f"{prefix}-c1-{cell.response.lower()}" if course == 1
                   else f"{prefix}-c{course}-{cell.prior_response.lower()}-{cell.response.lower()}")
            rows.append({"claim_id": cid, "course": course, "row": cell.response,
                         "column": "—" if course == 1 else cell.prior_response,
                         "evidence": transcribed(cell.n, "course_response.csv")})
    return _frame(rows)



# --- Table 5 ---------------------------------------------------------------------------------

def stopped_after(study: Study) -> dict[int, int]:
    """Patients (both histologies) whose last course was *k*, from Tables 3 and 4."""
    given = courses.given(study.tables["course_response"]).groupby("course")["n"].sum()
    last = int(given.index.max())
    return {k: int(given[k] - given.get(k + 1, 0)) for k in range(1, last + 1)}


def table5(study: Study) -> pd.DataFrame:
    """Table 5, reasons for stopping, each cell checked against Tables 3 and 4.

    Tables 3 and 4 fix how many patients stopped after exactly *k* courses
    (given course *k* minus given course *k + 1*).  Each cell is re-derived as
    that number minus the other cells of its column: it matches only if its
    column adds up.  Two rows lost their columns in the text extraction; they
    are placed as the premise ``t5-placement`` says, so every cell of a column
    holding one of them rests on it, and such a cell cannot be tested by the
    very sum that placed it.  Where no placement lets every column add up, a
    cell of a column that does not is contradicted on that ground alone.

    Returns
    -------
    DataFrame
        Columns ``claim_id, reason, courses, evidence``.
    """
    cells = study.tables["discontinuation"]
    stops = stopped_after(study)
    some_placement_fits = bool((table5_placements(study)["off_by"].iloc[1:] == 0).any())
    rows = []
    for cell in cells.itertuples():
        k = int(cell.courses_completed)
        column = cells[cells["courses_completed"] == cell.courses_completed]
        premises = (PLACEMENT,) if column["column_inferred"].any() else ()
        rows.append({"claim_id": f"t5-{cell.reason.replace('_', '-')}-c{k}", "reason": label(cell.reason),
                     "courses": k, "evidence": _t5_evidence(cell, column, stops[k], premises, some_placement_fits)})
    return _frame(rows)


def _t5_evidence(cell, column: pd.DataFrame, stopped: int, premises: tuple[str, ...], some_placement_fits: bool
                 ) -> Evidence:
    k = int(cell.courses_completed)
    others = column[column.index != cell.Index]["n"].astype(int).tolist()
    value = stopped - sum(others)
    evidence = (f"{stopped} stopped after course {k} (Tables 3-4) minus the column's other cells "
                f"({' + '.join(map(str, others))}) = {value}")
    total = int(column["n"].sum())
    if total != stopped and not some_placement_fits:
        return Statement(False, f"no placement of the cells whose column was lost lets every column of Table 5 equal "
                                f"the patients who stopped after that course (Tables 3-4); as placed, column {k} "
                                f"adds up to {total} against {stopped}", value=value)
    if cell.column_inferred and total == stopped:
        return Bound(True, f"placed in column {k} because {evidence.replace(' = ', ', which is ')}; "
                           "that sum cannot also test it", premises=premises, value=value)
    return Derived(value, evidence, premises=premises)


def table5_placements(study: Study) -> pd.DataFrame:
    """Every way to place Table 5's cells whose column was lost in extraction, scored against Tables 3-4.

    Rows flagged ``column_inferred`` keep their printed order but may sit in
    any columns.  For each placement, the column sums are compared with the
    patients who stopped after each course according to Tables 3 and 4.

    Returns
    -------
    DataFrame
        One row per placement: where each inferred row's values go, the
        column sums, and ``off_by`` (total absolute difference), best first.
    """
    cells = study.tables["discontinuation"]
    fixed = cells[~cells["column_inferred"]].groupby("courses_completed")["n"].sum()
    stops = stopped_after(study)
    columns = sorted(stops)
    inferred = {reason: group.sort_values("courses_completed")["n"].astype(int).tolist()
                for reason, group in cells[cells["column_inferred"]].groupby("reason", sort=False)}
    choices = [itertools.combinations(columns, len(values)) for values in inferred.values()]
    rows = []
    for placement in itertools.product(*choices):
        sums = {k: int(fixed.get(k, 0)) for k in columns}
        for values, cols in zip(inferred.values(), placement):
            for value, k in zip(values, cols):
                sums[k] += value
        row = {f"{reason} in courses": ", ".join(map(str, cols)) for reason, cols in zip(inferred, placement)}
        row |= {f"sum {k}": sums[k] for k in columns}
        row["off_by"] = sum(abs(sums[k] - stops[k]) for k in columns)
        rows.append(row)
    expected = {f"sum {k}": stops[k] for k in columns} | {"off_by": 0}
    table = pd.DataFrame(rows).sort_values("off_by", kind="stable", ignore_index=True)
    return pd.concat([pd.DataFrame([{**{c: "Tables 3-4" for c in table.columns[:len(inferred)]}, **expected}]), table],
                     ignore_index=True)


# --- Numbers in the text ---------------------------------------------------------------------

def _months_between(first: str, last: str) -> int:
    a, b = (date.fromisoformat(f"{d}-01") for d in (first, last))
    return (b.year - a.year) * 12 + b.month - a.month


def longest_follow_up_months(study: Study) -> int:
    """Months from the first patient's treatment to the follow-up cut-off: no response can last longer."""
    dates = study.metadata["dates"]
    return _months_between(str(dates["first_treatment"]), str(dates["follow_up_to"]))


def _follow_up_bound(study: Study, months: float, what: str) -> Bound:
    dates = study.metadata["dates"]
    longest = longest_follow_up_months(study)
    return Bound(months <= longest,
                 f"{what} of {months:g} months against at most {longest} months of follow-up "
                 f"({dates['first_treatment']} to {dates['follow_up_to']})", premises=(AT_CUTOFF,))


def text(study: Study) -> dict[str, Evidence]:
    """Evidence for the numbers in the text that are not restatements of a table cell.

    Returns
    -------
    dict of str to Evidence
        Keyed by claim id.
    """
    t = study.tables["course_response"]
    chars = study.tables["characteristics"]
    sizes = cohort_sizes(study)
    first = courses.first_objective_response(t)
    evidence: dict[str, Evidence] = {}
    dates = study.metadata["dates"]
    evidence["abs-start-year"] = year_of_record(dates["first_treatment"], "first_treatment")
    evidence["abs-end-year"] = year_of_record(dates["last_treatment"], "last_treatment")
    evidence["intro-asof-year"] = year_of_record(dates["follow_up_to"], "follow_up_to")

    for histology, prefix in (("melanoma", "mel"), ("renal_cell", "rcc")):
        at_one = int(first.query("histology == @histology and course == 1")["n"].sum())
        evidence[f"abs-{prefix}-c1-responders"] = Derived(at_one, "PR or CR after course 1 (Tables 3-4)")
    late = first[first["course"] > 2].groupby("histology")["n"].sum()
    evidence["rt-rcc-late-responders"] = Derived(int(late.get("renal_cell", 0)),
                                                 "first PR or CR after course 3 or 4 (Table 4)")
    mel_first = first[first["histology"] == "melanoma"]
    evidence["rt-mel-responded-by"] = Derived(int(mel_first["course"].max()),
                                              "latest course at which a melanoma patient first reached PR or CR")
    rcc_first = first[first["histology"] == "renal_cell"].sort_values("course")
    all_but_one = int(rcc_first["n"].sum()) - 1
    by_course = rcc_first.assign(reached=rcc_first["n"].cumsum())
    evidence["rt-rcc-responded-by"] = Derived(
        int(by_course[by_course["reached"] >= all_but_one]["course"].iloc[0]),
        f"first course by which {all_but_one} of {all_but_one + 1} renal cell responders had reached PR or CR")

    no_response_later = t[(t["course"] >= 3) & (t["prior_response"] == "NR")]
    for histology, key in (("melanoma", "rt-mel-nrnr-c3-responders"), ("renal_cell", "rt-rcc-nrnr-c3-responders")):
        rows = no_response_later[no_response_later["histology"] == histology]
        evidence[key] = Derived(int(rows[rows["response"].isin(courses.OBJECTIVE)]["n"].sum()),
                                "PR or CR after course 3 among patients with no response to courses 1-2")
    responded = int(no_response_later[no_response_later["response"].isin(courses.OBJECTIVE)]["n"].sum())
    evidence["disc-nrnr-responders"] = Derived(responded, "PR or CR among patients given course 3 or 4 after NR")
    evidence["abs-nr-courses"] = Statement(
        responded == 0 and _responses_after(t, course=2) > 0,
        f"patients with no response to courses 1-2 later reaching PR or CR: {responded}; "
        f"patients with no response to course 1 reaching PR or CR with course 2: {_responses_after(t, course=2)}")

    improved = t[(t["histology"] == "renal_cell") & (t["course"] == 2) & (t["prior_response"] == "NR")
                 & (t["response"] != "NR")]
    evidence["disc-rcc-nr-improved"] = Derived(int(improved["n"].sum()), "NR to PR or MR with course 2 (Table 4)")

    responders = int(first["n"].sum())
    evidence["disc-c1-share"] = percent(int(first.query("course == 1")["n"].sum()), responders)
    lasting = courses.stopped(t)
    lasting = lasting[lasting["response"].isin(courses.OBJECTIVE)]
    two_or_three = int(lasting[lasting["course"].isin([2, 3])]["n"].sum())
    share = percent(two_or_three, int(lasting["n"].sum()))
    for key in ("disc-responder-courses-low", "disc-responder-courses-high"):
        evidence[key] = Statement(two_or_three * 2 > int(lasting["n"].sum()),
                                  f"responders whose last course was course 2 or 3: {share.evidence}")

    ages = chars[chars["characteristic"] == "age_group"]
    middle = ages[ages["category"].isin(["21-30", "31-40", "41-50", "51-60"])]["n"].sum()
    aged = percent(int(middle), sizes["total"])
    for key in ("res-age-low", "res-age-high"):
        evidence[key] = Statement(int(middle) * 2 > sizes["total"], f"aged 21-60 (Table 1): {aged.evidence}")
    sex = chars[chars["characteristic"] == "sex"].groupby("category")["n"].sum()
    evidence["res-sex-ratio"] = Derived(
        Fraction(int(sex["male"]), int(sex["female"])), f"{int(sex['male'])} men / {int(sex['female'])} women")

    evidence["rt-first-course-by-prior"] = Derived(int(t[t["prior_response"] != "none"]["course"].min()),
                                                   "first course tabulated by response to earlier courses")
    evidence["rt-last-course-by-prior"] = Derived(int(t["course"].max()), "last course tabulated")

    stops = study.tables["discontinuation"]
    evidence["rd-deaths"] = Derived(int(stops[stops["reason"] == "death"]["n"].sum()), "Death row of Table 5")
    evidence["rd-courses"] = Derived(int(stops["courses_completed"].max()), "columns of Table 5")
    for claim_id in _RESPONSE_DURATIONS:
        evidence[claim_id] = _follow_up_bound(study, study.claim(claim_id).months, "a response duration")
    return evidence


def _responses_after(t: pd.DataFrame, *, course: int) -> int:
    rows = t[(t["course"] == course) & (t["prior_response"] == "NR") & t["response"].isin(courses.OBJECTIVE)]
    return int(rows["n"].sum())


#: Claims that are response durations: none can exceed the time from first treatment to the cut-off.
_RESPONSE_DURATIONS = (
    "intro-longest-cr", "rt-pr-median-mel", "rt-pr-median-rcc", "rt-cr-ongoing-mel-low", "rt-cr-ongoing-mel-high",
    "rt-cr-ongoing-rcc-low", "rt-cr-ongoing-rcc-high", "rt-cr-prior2-median", "rt-cr-prior2-min",
    "rt-cr-prior2-max", "rt-pr-prior2-median", "rt-pr-prior2-min", "rt-pr-prior2-max",
)


# --- Everything ------------------------------------------------------------------------------

def objective_response(study: Study, responses: tuple[str, ...] = ("CR", "PR")) -> pd.DataFrame:
    """Patients whose best response over all courses is one of ``responses``, by histology, from Table 2.

    Parameters
    ----------
    responses : tuple of str, default ("CR", "PR")
        The responses counted: ``("CR", "PR")`` for objective response, ``("CR",)`` for complete response.
        This paper records no stable disease (its categories are NR, MR, PR and CR), so a set that
        includes ``"SD"`` gives an empty frame.

    Returns
    -------
    DataFrame
        Columns :data:`il2lib.response.OBJECTIVE_RESPONSE_COLUMNS`.
    """
    from il2lib._schemas import RESPONSES  # the study's own scale; imported here so that pandera loads only when needed

    best = study.tables["best_response"]
    if not set(responses) <= set(RESPONSES):
        return pd.DataFrame(columns=OBJECTIVE_RESPONSE_COLUMNS)
    rows = []
    for histology, group in best.groupby("histology", sort=False):
        responders = int(group[group["response"].isin(responses)]["n"].sum())
        rows.append({"source": f"{study.label} (this book)", "histology": histology, "responders_low": responders,
                     "responders_high": responders, "patients": int(group["patients"].iloc[0]),
                     "basis": "embedded counts (best response, all courses)"})
    return pd.DataFrame(rows, columns=OBJECTIVE_RESPONSE_COLUMNS)


def reproduce(study: Study) -> dict[str, Evidence]:
    """Evidence for every claim this module can re-derive, keyed by claim id."""
    evidence: dict[str, Evidence] = {}
    for artifact in (table1, table2, table3, table4, table5):
        frame = artifact(study)
        evidence.update(zip(frame["claim_id"], frame["evidence"]))
    evidence.update(text(study))
    return evidence


def consistency_problems(tables: dict[str, pd.DataFrame], path: Path) -> list[str]:
    """Checks between this study's files: every table must count the same patients per histology."""
    chars = tables["characteristics"]
    sizes = chars[chars["characteristic"] == _PARTITION].groupby("histology")["n"].sum()
    problems = []
    best = tables["best_response"].drop_duplicates("histology").set_index("histology")["patients"]
    for histology, patients in best.items():
        if sizes.get(histology) != patients:
            problems.append(f"{path / 'best_response.csv'}: column 'patients' for {histology}: expected "
                            f"{sizes.get(histology)} (Table 1 in characteristics.csv), found {patients}")
    course1 = tables["course_response"].query("course == 1").groupby("histology")["n"].sum()
    for histology, n in course1.items():
        if sizes.get(histology) != n:
            problems.append(f"{path / 'course_response.csv'}: column 'n', course 1 rows for {histology}: expected "
                            f"them to add up to {sizes.get(histology)} (characteristics.csv), found {n}")
    return problems
