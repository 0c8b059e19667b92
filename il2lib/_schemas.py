"""Pandera schemas for every kind of embedded data file, and readable errors from them.

Private: use :func:`il2lib.datasets.load`, which applies these.  Each schema is
applied in two phases, so that a value that is not a number is reported as
such rather than as a failed comparison: first the columns and their types
(:func:`structure_of`), then the values and totals.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from il2lib import relations, rounding

HISTOLOGIES = ["melanoma", "renal_cell"]
RESPONSES = ["NR", "MR", "PR", "CR"]
VERDICTS = ["match", "contradicted", "unverifiable"]
CHARACTERISTICS = {
    "sex": ["male", "female"],
    "age_group": ["11-20", "21-30", "31-40", "41-50", "51-60", "61-70"],
    "race": ["asian", "black", "hispanic", "other", "white"],
    "performance_status": ["0", "1", "2", "3"],
    "prior_therapy": ["none", "surgery", "chemotherapy", "radiotherapy", "hormonal",
                      "immunotherapy", "two_or_more", "three_or_more"],
}
#: Characteristics whose categories overlap (a patient can have several prior therapies).
OVERLAPPING = {"prior_therapy"}
DISCONTINUATION_REASONS = ["progressive_disease", "il2_toxicity", "death", "cr", "other"]

_SEP = "|"  # separates the reported column from the expectation in frame-level check names


def _frame_check(test: Callable[[pd.DataFrame], pd.Series], column: str, expected: str) -> pa.Check:
    """A check over the whole frame that marks failing rows and names the column to blame."""
    return pa.Check(test, name=f"{column}{_SEP}{expected}", error=f"{column}{_SEP}{expected}")


def _count(*checks: pa.Check) -> pa.Column:
    return pa.Column(int, [pa.Check.ge(0), *checks])


# --- frame-level tests (each returns one boolean per row: True = row is fine)

def _partitions_add_up(df: pd.DataFrame) -> pd.Series:
    parts = df[~df["characteristic"].isin(OVERLAPPING)]
    sums = parts.groupby(["histology", "characteristic"])["n"].sum()
    cohort = sums.groupby(level="histology").agg(lambda s: s.mode().iloc[0])
    bad = {key for key, total in sums.items() if total != cohort[key[0]]}
    return pd.Series([(h, c) not in bad for h, c in zip(df["histology"], df["characteristic"])], index=df.index)


def _category_known(df: pd.DataFrame) -> pd.Series:
    return pd.Series([cat in CHARACTERISTICS.get(ch, []) for ch, cat in zip(df["characteristic"], df["category"])],
                     index=df.index)


def _same_patients_per_histology(df: pd.DataFrame) -> pd.Series:
    return df.groupby("histology")["patients"].transform("nunique") == 1


def _responses_within_patients(df: pd.DataFrame) -> pd.Series:
    return df.groupby("histology")["n"].transform("sum") <= df["patients"]


def _course_one_has_no_prior(df: pd.DataFrame) -> pd.Series:
    return (df["course"] == 1) == (df["prior_response"] == "none")


def _retreated_within_available(df: pd.DataFrame) -> pd.Series:
    after = df.groupby(["histology", "course", "response"])["n"].sum()
    given = df.groupby(["histology", "course", "prior_response"])["n"].transform("sum")
    available = [after.get((h, k - 1, prior), 0) for h, k, prior in
                 zip(df["histology"], df["course"], df["prior_response"])]
    return (df["course"] == 1) | (given <= pd.Series(available, index=df.index))


def _note_unless_match(df: pd.DataFrame) -> pd.Series:
    return df["expected"].isin(["match", ""]) | (df["note"].str.strip() != "")


#: The largest magnitude a printed number may have, and the most patients a claim may count: beyond these a
#: value is a typing slip, and refusing it keeps every search over counts bounded.
MAX_PRINTED = 10**12
MAX_PATIENTS = relations.MAX_PATIENTS


def _printed_readable(value: str) -> bool:
    try:
        return abs(rounding.parse(value).value) <= MAX_PRINTED
    except ValueError:
        return False


def _counts_plausible(df: pd.DataFrame) -> pd.Series:
    """A claim in patients prints a count from 0 to :data:`MAX_PATIENTS`."""
    def plausible(printed: str, unit: str) -> bool:
        if unit != "patients":
            return True
        try:
            return 0 <= rounding.parse(printed).value <= MAX_PATIENTS
        except ValueError:
            return True   # reported by the column's own check
    return pd.Series([plausible(p, u) for p, u in zip(df["printed"], df["unit"])], index=df.index)


def _not_reached_is_a_time(df: pd.DataFrame) -> pd.Series:
    """Only a duration (a median) can be printed "not reached"."""
    return pd.Series([unit in relations.DURATIONS or not rounding.is_not_reached(printed)
                      for printed, unit in zip(df["printed"], df["unit"])], index=df.index)


def _restates_known(df: pd.DataFrame) -> pd.Series:
    units = dict(zip(df["id"], df["unit"]))
    same_study = [target in units and target != claim and relations.comparable_units(units[target], unit)
                  for claim, target, unit in zip(df["id"], df["restates"], df["unit"])]
    other_study = df["restates"].str.fullmatch(r"[a-z0-9][a-z0-9_.-]*:[a-z0-9][a-z0-9_.-]*")
    return (df["restates"] == "") | pd.Series(same_study, index=df.index) | other_study


# --- declared relations between claims (see il2lib.relations)

def _cells(df: pd.DataFrame, column: str) -> pd.Series:
    """A relation column's cells, or empty text where the optional column is absent."""
    return df[column].str.strip() if column in df else pd.Series("", index=df.index)


def _each_row(test: Callable[[dict, dict[str, str]], bool]) -> Callable[[pd.DataFrame], pd.Series]:
    """A frame check from a test of one row (as a dict) given every claim's unit by id."""
    def check(df: pd.DataFrame) -> pd.Series:
        units, rows = _rows_of(df)
        return pd.Series([_safely(test, row, units) for row in rows], index=df.index)
    return check


_ROWS: list = [None, None]   # the last claims frame read into rows, and its rows: one conversion serves every check


def _rows_of(df: pd.DataFrame) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Every claim's unit by id, and the rows of the relation columns as dicts (computed once per frame)."""
    if _ROWS[0] is not df:
        columns = ("id", "unit", *relations.COLUMNS, *relations.ANNOTATIONS)
        cells = {c: _cells(df, c).tolist() for c in columns}
        rows = [dict(zip(columns, values)) for values in zip(*cells.values())]
        _ROWS[:] = [df, (dict(zip(df["id"], df["unit"])), rows)]
    return _ROWS[1]


def _safely(test: Callable[[dict, dict[str, str]], bool], row: dict, units: dict[str, str]) -> bool:
    try:
        return test(row, units)
    except ValueError:
        return False


def _of_ok(row: dict, units: dict[str, str]) -> bool:
    if not row["of"]:
        return not row["count"]
    target = relations.parse_denominator(row["of"])
    if row["unit"] != "%":
        return False
    return not isinstance(target, str) or target.startswith("?") or units.get(target) not in (None, "%")


def _count_ok(row: dict, units: dict[str, str]) -> bool:
    return not row["count"] or (row["unit"] == "%" and units.get(row["count"]) not in (None, "%"))


def _expressions_ok(column: str) -> Callable[[dict, dict[str, str]], bool]:
    def test(row: dict, units: dict[str, str]) -> bool:
        if not row[column]:
            return True
        terms = [t for group in relations.parse_expressions(row[column]) for t in group]
        return all(t.claim is None or (t.claim != row["id"] and t.claim in units
                                       and relations.comparable_units(units[t.claim], row["unit"]))
                   for t in terms)
    return test


def _median_ok(row: dict, units: dict[str, str]) -> bool:
    if not row["median"]:
        return not row["landmark"]
    known = row["median"] == relations.NOT_REACHED or units.get(row["median"]) in relations.DURATIONS
    return known and row["unit"] == "%" and bool(row["landmark"])


def _same_as_ok(row: dict, units: dict[str, str]) -> bool:
    target = row["same_as"]
    if not target:
        return True
    if ":" in target:
        return bool(re.fullmatch(r"[a-z0-9][a-z0-9_.-]*:[a-z0-9][a-z0-9_.-]*", target))
    return target != row["id"] and target in units and relations.comparable_units(units[target], row["unit"])


def _partition_ok(row: dict, units: dict[str, str]) -> bool:
    return not row["partition"] or (row["unit"] == "%" and bool(re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", row["partition"])))


def _ratio_ok(row: dict, units: dict[str, str]) -> bool:
    if not row["ratio_of"]:
        return True
    top, bottom = relations.parse_ratio(row["ratio_of"])
    claims = [t.claim for t in (*top, *bottom) if t.claim]
    sides = [{units.get(t.claim) for t in side if t.claim} for side in (top, bottom)]
    comparable = all(relations.comparable_units(a, b) for side in sides for a in side for b in side if a and b)
    return all(c in units and c != row["id"] for c in claims) and comparable


def _compares_ok(row: dict, units: dict[str, str]) -> bool:
    if not row["compares"]:
        return True
    relations.parse_comparison(row["compares"])
    return row["unit"] == "p"


def _landmark_ok(row: dict, units: dict[str, str]) -> bool:
    if not row["landmark"]:
        return True
    landmark = relations.parse_landmark(row["landmark"])
    return bool(row["median"]) and (landmark.claim is None or units.get(landmark.claim) in relations.DURATIONS)


#: Each relation column's test of one claim row, and what the column must hold (also read by
#: :func:`relation_problem`, for the relations a premise implies).
_ROW_TESTS: dict[str, tuple[Callable[[dict, dict[str, str]], bool], str]] = {
    "of": (_of_ok, "empty, or (for a claim in %) a positive whole number, the id of a count claim in this file, "
                   "or ?label; required when count is given"),
    "count": (_count_ok, "empty, or (for a claim in %) the id of a count claim in this file"),
    **{column: (_expressions_ok(column),
                "empty, or ids of other claims in this file (in this claim's unit, or any unit of time) and "
                "numbers joined by + and -, several expressions separated by ;")
       for column in ("sum_of", "at_least", "at_most")},
    "median": (_median_ok, "empty, or (for a claim in %, with a landmark) the id of a claim in days, weeks, months "
                           "or years, or 'not reached'"),
    "landmark": (_landmark_ok, "empty, or (with a median) the id of a claim in days, weeks, months or years, or a "
                               "time such as '2 years'; either may end in ', known status'"),
    "same_as": (_same_as_ok, "empty, the id of another claim in this file in the same unit (or any unit of time), or "
                             "study-id:claim-id"),
    "partition": (_partition_ok, "empty, or (for a claim in %) a label shared by the shares that together cover "
                                 "every patient"),
    "ratio_of": (_ratio_ok, "empty, or 'numerator / denominator': two expressions of other claims of this file "
                            "(each in one unit, or units of time) and numbers"),
    "compares": (_compares_ok, "empty, or (for a claim in p) 'A vs B' with groups separated by ', ', or 'unstated'"),
}
_RELATION_CHECKS = [_frame_check(_each_row(test), column, expected) for column, (test, expected) in _ROW_TESTS.items()]


def relation_problem(claim: str, declared: dict[str, str], units: dict[str, str]) -> str | None:
    """What is wrong with relations declared on one claim (as a premise implies them), or None.

    The same tests as the claims file's own relation columns, on the claim's row with only
    ``declared`` filled in; the message names the first column that fails and what it expects.

    Examples
    --------
    >>> units = {"a": "patients", "b": "months"}
    >>> relation_problem("a", {"sum_of": "b"}, units)[:40]
    'sum_of: expected empty, or ids of other '
    >>> relation_problem("a", {"at_least": "2"}, units) is None
    True
    """
    row = {"id": claim, "unit": units.get(claim, "")} | {c: "" for c in (*relations.COLUMNS, *relations.ANNOTATIONS)}
    row |= declared
    for column in declared:
        if column in _ROW_TESTS:
            test, expected = _ROW_TESTS[column]
            if not _safely(test, row, units):
                return f"{column}: expected {expected}"
    return None


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "claims": pa.DataFrameSchema(
        {
            "id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9][a-z0-9_.-]*$"), unique=True),
            "source": pa.Column(str, pa.Check.str_length(min_value=1)),
            "quantity": pa.Column(str, pa.Check.str_length(min_value=1)),
            "printed": pa.Column(str, pa.Check(_printed_readable, element_wise=True,
                                               error="a printed number such as 19.0, 720,000, Seventeen, none, 2:1 "
                                                     "or not reached, at most 10^12")),
            "unit": pa.Column(str, pa.Check.str_length(min_value=1)),
            "expected": pa.Column(str, pa.Check.isin([*VERDICTS, ""],
                                                     error="match, contradicted, unverifiable, or empty (not yet "
                                                           "recorded)")),
            "restates": pa.Column(str),
            "note": pa.Column(str),
            **{column: pa.Column(str, required=False) for column in (*relations.COLUMNS, *relations.ANNOTATIONS)},
            "finding": pa.Column(str, pa.Check.str_matches(r"^(|[a-z0-9][a-z0-9-]*)$"), required=False),
        },
        checks=[
            _frame_check(_note_unless_match, "note", "a note explaining any verdict other than match"),
            _frame_check(_counts_plausible, "printed", f"for a claim in patients, a count from 0 to {MAX_PATIENTS:,}"),
            _frame_check(_not_reached_is_a_time, "printed",
                         "'not reached' only for a median in days, weeks, months or years"),
            _frame_check(_restates_known, "restates",
                         "empty, the id of another claim in this file in the same unit (or any unit of time), "
                         "or study-id:claim-id"),
            *_RELATION_CHECKS,
        ],
        strict=True, ordered=True,
    ),
    "cohort_characteristics": pa.DataFrameSchema(
        {
            "histology": pa.Column(str, pa.Check.isin(HISTOLOGIES)),
            "characteristic": pa.Column(str, pa.Check.isin(list(CHARACTERISTICS))),
            "category": pa.Column(str),
            "n": _count(),
        },
        checks=[
            _frame_check(_category_known, "category", "a category listed for its characteristic"),
            _frame_check(_partitions_add_up, "n",
                         "the categories of each characteristic (other than prior therapy) to add up to the same "
                         "number of patients within a histology"),
        ],
        unique=["histology", "characteristic", "category"], strict=True, ordered=True,
    ),
    "best_response": pa.DataFrameSchema(
        {
            "histology": pa.Column(str, pa.Check.isin(HISTOLOGIES)),
            "patients": pa.Column(int, pa.Check.gt(0)),
            "response": pa.Column(str, pa.Check.isin(RESPONSES)),
            "n": _count(),
        },
        checks=[
            _frame_check(_same_patients_per_histology, "patients", "one number of patients per histology"),
            _frame_check(_responses_within_patients, "n", "responses adding up to no more than the patients treated"),
        ],
        unique=["histology", "response"], strict=True, ordered=True,
    ),
    "course_transitions": pa.DataFrameSchema(
        {
            "histology": pa.Column(str, pa.Check.isin(HISTOLOGIES)),
            "course": pa.Column(int, pa.Check.ge(1)),
            "prior_response": pa.Column(str, pa.Check.isin(["none", *RESPONSES])),
            "response": pa.Column(str, pa.Check.isin(RESPONSES)),
            "n": _count(),
        },
        checks=[
            _frame_check(_course_one_has_no_prior, "prior_response", "'none' for course 1 and a response for later courses"),
            _frame_check(_retreated_within_available, "n",
                         "no more patients retreated from a response state than the previous course left in it"),
        ],
        unique=["histology", "course", "prior_response", "response"], strict=True, ordered=True,
    ),
    "discontinuation": pa.DataFrameSchema(
        {
            "reason": pa.Column(str, pa.Check.isin(DISCONTINUATION_REASONS)),
            "courses_completed": pa.Column(int, pa.Check.ge(1)),
            "n": _count(),
            "column_inferred": pa.Column(bool),
        },
        unique=["reason", "courses_completed"], strict=True, ordered=True,
    ),
}


def _labelled_counts(label: str, allowed: list[str], *, extra: dict[str, pa.Column] | None = None,
                     checks: list[pa.Check] | None = None) -> pa.DataFrameSchema:
    """A table of counts: one row per ``label`` value (optionally within ``extra`` columns)."""
    columns = {**(extra or {}), label: pa.Column(str, pa.Check.isin(allowed)), "n": _count()}
    return pa.DataFrameSchema(columns, checks=checks or [], unique=[*(extra or {}), label], strict=True,
                              ordered=True)


CONSORT_BOXES = ["reviewed", "no_survival", "no_survival_no_response", "no_response", "analysed"]


def _consort_adds_up(df: pd.DataFrame) -> pd.Series:
    n = dict(zip(df["box"], df["n"]))
    excluded = n.get("no_survival", 0) + n.get("no_survival_no_response", 0) + n.get("no_response", 0)
    adds_up = n.get("reviewed", 0) - excluded == n.get("analysed", 0)
    return pd.Series(adds_up, index=df.index) | (df["box"] != "analysed")


SCHEMAS.update({
    "consort_boxes": _labelled_counts("box", CONSORT_BOXES, checks=[
        _frame_check(_consort_adds_up, "n", "the analysed patients to equal the reviewed minus every exclusion")]),
    "characteristic_counts": _labelled_counts(
        "category", ["male", "female", "melanoma", "renal_cell"],
        extra={"characteristic": pa.Column(str, pa.Check.isin(["sex", "primary_diagnosis"]))}),
    "response_counts": _labelled_counts("response", ["PD", "SD", "PR", "CR"]),
    "site_counts": _labelled_counts(
        "site", ["skin_nodes_soft_tissue", "lung", "liver", "bone", "brain", "other", "unknown"]),
    "stage_counts": _labelled_counts("stage", ["IV M1A", "IV M1B", "IV M1C", "IV NOS"]),
    "diagnosis_counts": _labelled_counts("diagnosis", HISTOLOGIES),
    "cohort_sizes": _labelled_counts("histology", HISTOLOGIES),
    "assessed_response_counts": _labelled_counts(
        "response", ["CR", "PR", "SD", "PD"],
        extra={"histology": pa.Column(str, pa.Check.isin(HISTOLOGIES)),
               "assessment": pa.Column(str, pa.Check.isin(["initial", "best_overall"]))}),
    "agent_counts": _labelled_counts(
        "agent", ["nivolumab", "pembrolizumab", "nivolumab_ipilimumab", "atezolizumab"],
        extra={"histology": pa.Column(str, pa.Check.isin(HISTOLOGIES))}),
    "gene_counts": _labelled_counts("gene", ["BRAF", "NRAS", "cKIT"]),
    "therapy_counts": _labelled_counts(
        "therapy", ["braf_inhibitor", "anti_vegf_tki"], extra={"histology": pa.Column(str, pa.Check.isin(HISTOLOGIES))}),
    "prior_response_counts": _labelled_counts(
        "response", ["CR", "PR", "SD", "PD"], extra={"histology": pa.Column(str, pa.Check.isin(HISTOLOGIES))}),
})


FOLLOW_UP_STATISTICS = ["shortest", "median", "longest"]
TOXICITIES = ["hypothyroidism", "arthralgia_arthritis", "vitiligo", "neuropathy",
              "premature_ventricular_contractions", "normal_pressure_hydrocephalus"]
REPORT_QUANTITIES = [
    "patients", "patients_with_response_data", "CR", "PR", "SD", "PD", "progression_free_3y",
    "median_os", "median_os_SD", "median_os_PD", "median_os_PD_with_TT", "median_os_PD_without_TT",
    "median_follow_up", "period_start", "period_end", "ORR", "survival_5y", "shortest_ongoing_CR",
    "longest_ongoing_CR", "CR_not_ongoing",
]


def _follow_up_ordered(df: pd.DataFrame) -> pd.Series:
    years = df.pivot_table(index="histology", columns="statistic", values="years", aggfunc="first")
    years = years.reindex(columns=FOLLOW_UP_STATISTICS)
    ordered = years.apply(lambda row: list(row.dropna()) == sorted(row.dropna()), axis=1)
    return df["histology"].map(ordered).astype(bool)


def _percentages_at_most_100(df: pd.DataFrame) -> pd.Series:
    return (df["unit"] != "%") | (df["value"] <= 100)


SCHEMAS.update({
    "selected_response_counts": _labelled_counts(
        "response", ["CR", "surgical_CR", "PR"], extra={"histology": pa.Column(str, pa.Check.isin(HISTOLOGIES))}),
    "follow_up_summary": pa.DataFrameSchema(
        {
            "histology": pa.Column(str, pa.Check.isin(HISTOLOGIES)),
            "statistic": pa.Column(str, pa.Check.isin(FOLLOW_UP_STATISTICS)),
            "years": pa.Column(float, pa.Check.ge(0)),
            "ongoing": pa.Column(bool),
        },
        checks=[_frame_check(_follow_up_ordered, "years",
                             "shortest <= median <= longest follow-up within a histology")],
        unique=["histology", "statistic"], strict=True, ordered=True,
    ),
    "toxicity_counts": pa.DataFrameSchema(
        {
            "event": pa.Column(str, pa.Check.isin(TOXICITIES)),
            "grade": pa.Column(str, pa.Check.str_matches(r"^[1-5](-[1-5])?$")),
            "n": _count(),
        },
        unique=["event"], strict=True, ordered=True,
    ),
    "report_figures": pa.DataFrameSchema(
        {
            "report": pa.Column(str, pa.Check.str_matches(r"^[a-z]+[0-9]{4}$")),
            "histology": pa.Column(str, pa.Check.isin(HISTOLOGIES)),
            "centre": pa.Column(str, pa.Check.str_matches(r"^[a-z][a-z0-9]*$")),
            "quantity": pa.Column(str, pa.Check.isin(REPORT_QUANTITIES)),
            "value": pa.Column(float, pa.Check.ge(0)),
            "unit": pa.Column(str, pa.Check.isin(["patients", "%", "months", "year"])),
        },
        checks=[_frame_check(_percentages_at_most_100, "value", "a percentage of at most 100")],
        unique=["report", "histology", "centre", "quantity", "unit"], strict=True, ordered=True,
    ),
})


def _text_unchecked(schema: pa.DataFrameSchema) -> pa.DataFrameSchema:
    """The schema without a ``str`` type check on its text columns (their values and checks stay).

    Every file is read as text (``read_csv(dtype=str)``), so such a check could only confirm it again, value
    by value; it was a third of the time validation took.
    """
    text = [name for name, column in schema.columns.items() if str(column.dtype) == "str"]
    return schema.update_columns({name: {"dtype": None} for name in text})


SCHEMAS = {name: _text_unchecked(schema) for name, schema in SCHEMAS.items()}


def structure_of(schema: pa.DataFrameSchema) -> pa.DataFrameSchema:
    """The first phase of a schema: its columns and their types, without value checks.

    True/false columns are checked as the literal text ``true`` or ``false``
    (pandas would read any non-empty text as true); :func:`typed` converts them.
    """
    columns = {
        name: pa.Column(str, pa.Check.isin(["true", "false"]), required=col.required) if _is_bool(col)
        else pa.Column(col.dtype, nullable=col.nullable, coerce=True, required=col.required)
        for name, col in schema.columns.items()
    }
    return pa.DataFrameSchema(columns, strict=schema.strict, ordered=schema.ordered)


def typed(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Convert the ``true``/``false`` text of a frame that passed :func:`structure_of` to booleans."""
    frame = frame.copy()
    for name, col in schema.columns.items():
        if _is_bool(col):
            frame[name] = frame[name] == "true"
    return frame


def _is_bool(column: pa.Column) -> bool:
    return str(column.dtype) == "bool"


_PLAIN = {
    "column_in_dataframe": "this column to be present",
    "column_in_schema": "no column of this name",
    "column_ordered": "the columns in the documented order",
    "not_nullable": "a value (the cell is empty)",
    "field_uniqueness": "a value not repeated in another row",
    "multiple_fields_uniqueness": "no other row with the same key",
    "dataframe_column_labels_unique": "unique column names",
}


def _plain(check: str) -> str:
    if check in _PLAIN:
        return _PLAIN[check]
    if check.startswith("coerce_dtype('int") or check.startswith("dtype('int"):
        return "a whole number"
    if check.startswith("coerce_dtype('float") or check.startswith("dtype('float"):
        return "a number"
    if check.startswith("coerce_dtype('bool") or check.startswith("dtype('bool"):
        return "true or false"
    if check.startswith("greater_than_or_equal_to("):
        return f"a number >= {check[25:-1]}"
    if check.startswith("greater_than("):
        return f"a number > {check[13:-1]}"
    if check.startswith("isin("):
        return f"one of {check[5:-1]}"
    if check.startswith("str_matches("):
        return f"text matching {check[12:-1]}"
    if check.startswith("str_length("):
        return "non-empty text"
    return check


def problems_from(errors: SchemaErrors, path: Path, lines: Sequence[int] | None = None) -> list[str]:
    """Turn pandera's failure cases into one line per problem: file, line, column, expected, found.

    ``lines`` gives the file's line of each row (:func:`il2lib.textfiles.read_csv`); without it, row ``i``
    is taken to be on line ``i + 2``.
    """
    problems: list[str] = []
    seen: set[tuple] = set()
    for case in errors.failure_cases.to_dict("records"):
        check = str(case["check"])
        column = case["column"]
        if _SEP in check:
            blamed, _, expected = check.partition(_SEP)
            if column != blamed:
                continue  # a frame-level failure is listed once per column; keep the blamed one
        else:
            expected = _plain(check)
        index = case["index"]
        has_row = index is not None and not (isinstance(index, float) and pd.isna(index))
        if check == "column_in_dataframe":
            column, found = case["failure_case"], "no such column"
        elif check == "column_in_schema":
            column, found = case["failure_case"], "an unexpected column"
        else:
            found = repr(str(case["failure_case"]))
        if "TypeError(" in found:
            continue
        key = (has_row and int(index), column, expected)
        if key in seen:
            continue
        seen.add(key)
        where = f"line {lines[int(index)] if lines is not None else int(index) + 2}" if has_row else "header"
        problems.append(f"{path}: {where}, column {column!r}: expected {expected}, found {found}")
    return problems
