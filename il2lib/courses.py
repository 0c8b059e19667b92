"""Patients moving through successive treatment courses.

The input is a *transitions* table (schema ``course_transitions``): one row per
histology, course *k*, response state before course *k* (``prior_response``:
the cumulative response to courses 1..k-1, ``none`` for course 1) and state
after it (``response``), with the number of patients ``n``.  Tables 3 and 4 of
the successive-courses study print exactly this.

From it follow who was given each course, who stopped after each course and in
what state, and when each responder first responded.  States are ordered
``NR < MR < PR < CR``; ``PR`` and ``CR`` are *objective* responses.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["STATES", "OBJECTIVE", "given", "after", "stopped", "last_response", "first_objective_response", "links"]

STATES = ["NR", "MR", "PR", "CR"]
OBJECTIVE = ["PR", "CR"]
_KEYS = ["histology", "course"]


def given(transitions: pd.DataFrame) -> pd.DataFrame:
    """Patients given each course, by their response to the earlier courses.

    Returns
    -------
    DataFrame
        Columns ``histology, course, prior_response, n``; the column margins
        that Tables 3 and 4 print as "No. of patients treated with ... course".
    """
    return transitions.groupby([*_KEYS, "prior_response"], as_index=False, sort=False)["n"].sum()


def after(transitions: pd.DataFrame) -> pd.DataFrame:
    """Response state after each course, among the patients given that course.

    Returns
    -------
    DataFrame
        Columns ``histology, course, response, n``.
    """
    return transitions.groupby([*_KEYS, "response"], as_index=False, sort=False)["n"].sum()


def stopped(transitions: pd.DataFrame) -> pd.DataFrame:
    """Patients whose last course was *k*, by their response after it.

    Everyone in a state after course *k* who was not given course *k + 1* from
    that state stopped after course *k*; nobody was given a course beyond the
    last one tabulated.

    Returns
    -------
    DataFrame
        Columns ``histology, course, response, n`` (zeros dropped).
    """
    state = after(transitions).set_index([*_KEYS, "response"])["n"]
    next_course = given(transitions).query("course > 1")
    retreated = next_course.assign(course=next_course["course"] - 1).rename(columns={"prior_response": "response"})
    retreated = retreated.set_index([*_KEYS, "response"])["n"]
    left = state.sub(retreated, fill_value=0).astype(int)
    if (left < 0).any():
        raise ValueError(f"more patients retreated than were in a state: {left[left < 0].to_dict()}")
    return left[left > 0].reset_index()


def last_response(transitions: pd.DataFrame) -> pd.DataFrame:
    """Each patient's response after the last course given, counted by histology.

    Returns
    -------
    DataFrame
        Columns ``histology, response, n``.
    """
    return stopped(transitions).groupby(["histology", "response"], as_index=False, sort=False)["n"].sum()


def first_objective_response(transitions: pd.DataFrame) -> pd.DataFrame:
    """When each responder first had at least a PR: patients crossing from no objective response to PR or CR.

    Returns
    -------
    DataFrame
        Columns ``histology, course, n``.
    """
    crossing = transitions[~transitions["prior_response"].isin(OBJECTIVE) & transitions["response"].isin(OBJECTIVE)]
    return crossing.groupby(_KEYS, as_index=False)["n"].sum()


def links(transitions: pd.DataFrame, histology: str) -> pd.DataFrame:
    """Flows between consecutive courses for one histology, for a flow (Sankey) diagram.

    Nodes are ``(course, state)``: the response state after a course among the
    patients given it, or ``"stopped"`` for patients given no further course.
    A link from ``(k, s)`` goes to ``(k + 1, t)`` for the patients in state
    *s* after course *k* who were given course *k + 1* and were in state *t*
    after it, or to ``(k + 1, "stopped")`` with ``stopped_state = s`` for those
    who were not retreated.  Patients in a stopped node leave the diagram.

    Returns
    -------
    DataFrame
        Columns ``source_course, source_state, target_course, target_state, n``,
        with ``source_state`` and ``target_state`` in :data:`STATES` or ``"stopped"``.

    Examples
    --------
    >>> from il2lib import datasets
    >>> t = datasets.load("successive-courses").tables["course_response"]
    >>> flows = links(t, "melanoma")
    >>> int(flows.query("source_course == 1")["n"].sum())
    149
    """
    rows = transitions[transitions["histology"] == histology]
    moved = rows[rows["course"] > 1]
    retreated = pd.DataFrame({
        "source_course": moved["course"] - 1,
        "source_state": moved["prior_response"],
        "target_course": moved["course"],
        "target_state": moved["response"],
        "n": moved["n"],
    })
    last = stopped(rows)
    final = last["course"] == last["course"].max()
    left = pd.DataFrame({
        "source_course": last["course"],
        "source_state": last["response"],
        "target_course": last["course"] + 1,
        "target_state": "stopped",
        "n": last["n"],
    })[~final.to_numpy()]
    flows = pd.concat([retreated, left], ignore_index=True)
    flows = flows[flows["n"] > 0]
    return flows.sort_values(["source_course", "source_state", "target_state"], ignore_index=True)
