"""Premises (il2lib.premises): declared as data, validated, tested against the paper, and withheld when denied.

The synthetic example study of the guide "Auditing a new paper" (invented numbers) is copied into a data
folder and given premises of its own; the book's own premises are pinned at the end.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from il2lib import audit, datasets, premises
from il2lib.consistency import Check
from il2lib.exceptions import DataError

EXAMPLE = Path(__file__).resolve().parent.parent / "chapters" / "examples" / "example-study"

PREMISE = """premises:
  - id: {id}
    statement: A reading the paper does not print.
    why: Because the test says so.
    bears_on: [t2-cr-n, t2-pr-n, t2-sd-n, t2-pd-n]
    implies:
{implies}"""


@pytest.fixture()
def example(data_copy: Path) -> Path:
    target = data_copy / "example-study"
    shutil.copytree(EXAMPLE, target)
    return target


def write(folder: Path, implies: list[str], premise_id: str = "bigger-first") -> None:
    lines = "".join(f"      - {line}\n" for line in implies)
    (folder / "premises.yaml").write_text(PREMISE.format(id=premise_id, implies=lines), encoding="utf-8")


def rows_of(study_id: str = "example-study"):
    return audit.audit_study(datasets.load(study_id)).set_index("id")


def test_a_premise_failing_in_one_place_contradicts_there_and_names_itself(example):
    write(example, ["{claim: t2-cr-n, at_least: t2-pr-n}"])
    row = rows_of().loc["t2-cr-n"]
    assert (row["verdict"], row["strength"], row["premises"]) == ("contradicted", "premise", ["bigger-first"])


def test_a_premise_failing_in_two_unrelated_places_is_denied_and_rests_no_verdict(example):
    write(example, ["{claim: t2-cr-n, at_least: t2-pr-n}", "{claim: t2-sd-n, at_least: t2-pd-n}"])
    rows = rows_of()
    for claim_id in ("t2-cr-n", "t2-sd-n"):
        assert rows.loc[claim_id, "verdict"] == "unverifiable"
        assert rows.loc[claim_id, "withheld"] == ["bigger-first"]
    status = next(p for p in audit.premise_status(rows.reset_index()) if p["id"] == "bigger-first")
    assert status["status"].startswith("denied by the paper's own numbers")
    failed = audit.failed_checks(rows.reset_index())
    assert failed[failed["premises"].map(lambda ps: "bigger-first" in ps)]["explained"].all()


def test_a_premise_that_holds_wherever_tested_says_so(example):
    write(example, ["{claim: t2-pd-n, at_least: t2-sd-n}"])
    status = next(p for p in audit.premise_status(rows_of().reset_index()) if p["id"] == "bigger-first")
    assert (status["status"], status["tests"]) == ("holds wherever tested", 1)


def test_premises_file_problems_name_the_file_line_and_key(example):
    (example / "premises.yaml").write_text("premises:\n  - id: x\n    statement: ''\n    why: w\n    bears_on: [t2-cr-n]\n",
                                           encoding="utf-8")
    with pytest.raises(DataError, match=r"premises.yaml: line 3, key 'premises\[0\]\.statement'"):
        datasets.load("example-study")


def test_a_premise_naming_an_unknown_claim_is_a_data_error(example):
    write(example, ["{claim: t2-cr-n, at_least: t2-xx-n}"])
    with pytest.raises(DataError, match=r"premise 'bigger-first', implies on 't2-cr-n', at_least: expected claim "
                                        r"ids of claims.csv, found 't2-xx-n'"):
        datasets.load("example-study")


def test_a_standard_premise_cannot_be_declared_again(example):
    write(example, ["{claim: t2-cr-n, at_least: t2-pr-n}"], premise_id="one-rounding-rule")
    with pytest.raises(DataError, match="a standard premise"):
        datasets.load("example-study")


def test_evidence_naming_an_undeclared_premise_is_a_data_error(data_copy):
    (data_copy / "successive-courses" / "premises.yaml").unlink()
    with pytest.raises(DataError, match="expected a premise named 'no-late-deepening'"):
        audit.audit_study(datasets.load("successive-courses"))


def test_the_premises_schema_has_a_field_for_each_relation_a_premise_may_imply():
    from il2lib._models import Implied

    assert set(Implied.model_fields) - {"claim"} == set(premises.RELATIONS)


def test_refuted_for_ignores_tests_that_involve_the_claim_itself():
    test = Check("sum", False, "a = b", ("a", "b"), premises=("p",), tests="p")
    assert premises.refuted_for("p", {"a"}, [test]) == []
    assert premises.refuted_for("p", {"c"}, [test]) == [test]
    assert premises.refuted_for("q", {"c"}, [test]) == []


def test_ties_rounded_both_ways_deny_one_rounding_rule_for_any_other_share():
    up = Check("share", True, "", ("u",), tie="up")
    down = Check("share", True, "", ("d",), tie="down")
    assert premises.refuted_for("one-rounding-rule", {"x"}, [], [up, down])
    assert not premises.refuted_for("one-rounding-rule", {"d"}, [], [up, down])   # only its own tie disagrees
    single = premises.premise_tests([], [], [up])
    assert single and single[0].passed and not single[0].informative   # one tie cannot disagree with itself


#: How each premise of the book's studies fares against the paper's own numbers (status, then the number of
#: failed tests).  A change here is a change in what the audit concludes: judge it, then update the table.
BOOK_PREMISES = {
    ("successive-courses", "no-late-deepening"): ("denied", 3),
    ("successive-courses", "t5-placement"): ("not tested", 0),
    ("successive-courses", "durations-at-cutoff"): ("not tested", 0),
    ("successive-courses", "same-writing-date"): ("contradict", 1),
    ("successive-courses", "other-includes-intolerance"): ("contradict", 1),
    ("stable-disease", "reconstruction-scenarios"): ("not tested", 0),
    ("stable-disease", "p-exact"): ("not tested", 0),
    ("stable-disease", "one-rounding-rule"): ("not tested", 0),
    ("after-pd1", "one-rounding-rule"): ("denied", 1),
    ("after-pd1", "best-until-progression"): ("denied", 2),
    ("after-pd1", "braf-needs-mutation"): ("contradict", 1),
    ("after-pd1", "pd1-for-metastatic-disease"): ("denied", 2),
    ("after-pd1", "follow-up-from-il2"): ("contradict", 1),
    ("long-term-pfs", "word-readings"): ("not tested", 0),
    ("successive-courses", "word-readings"): ("not tested", 0),
    ("long-term-pfs", "site-shares-of-cohort"): ("denied", 2),
    ("long-term-pfs", "row-denominator"): ("contradict", 1),
    ("long-term-pfs", "rates-in-arm-order"): ("contradict", 1),
    ("long-term-pfs", "cited-for-each"): ("contradict", 1),
}


@pytest.fixture(scope="module")
def book_premises():
    return {(p["study"], p["id"]): p for p in audit.premise_status(audit.run())}


@pytest.mark.parametrize(("key", "expected"), BOOK_PREMISES.items(), ids=[f"{s}:{p}" for s, p in BOOK_PREMISES])
def test_book_premise_against_the_papers_own_numbers(book_premises, key, expected):
    status, failed = expected
    premise = book_premises[key]
    assert status in premise["status"] and len(premise["failed"]) == failed, premise


def test_every_premise_the_book_rests_on_is_pinned(book_premises):
    assert set(book_premises) == set(BOOK_PREMISES)
