"""Loading and validating embedded data (module il2lib.datasets).

Each corruption test edits a copy of a real data file and asserts that loading
fails with the file, the line, the column and what was expected.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from il2lib import datasets
from il2lib.exceptions import DataError, UnknownStudyError

STUDY = "successive-courses"


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in {path}")


def _problems(study: str = STUDY) -> str:
    with pytest.raises(DataError) as caught:
        datasets.load(study)
    return str(caught.value)


def test_real_data_load_and_validate():
    study = datasets.load(STUDY)
    assert set(study.tables) == {"characteristics", "best_response", "course_response", "discontinuation"}
    assert len(study.claims) == len({c.id for c in study.claims})


def test_studies_are_discovered_from_data_folder():
    assert STUDY in datasets.studies()


def test_loading_never_writes_to_data():
    folder = datasets.data_dir() / STUDY
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()}
    datasets.load(STUDY)
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()} == before


def test_bad_number(data_copy):
    path = data_copy / STUDY / "characteristics.csv"
    _edit(path, "melanoma,sex,male,99", "melanoma,sex,male,9x")
    message = _problems()
    line = _line_of(path, "melanoma,sex,male,9x")
    assert f"characteristics.csv: line {line}, column 'n': expected a whole number, found '9x'" in message


def test_missing_column(data_copy):
    path = data_copy / STUDY / "best_response.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(",".join(line.split(",")[:3]) for line in lines) + "\n")
    message = _problems()
    assert "best_response.csv: header, column 'n': expected this column to be present, found no such column" in message


def test_negative_count(data_copy):
    path = data_copy / STUDY / "course_response.csv"
    _edit(path, "melanoma,2,NR,PR,2", "melanoma,2,NR,PR,-2")
    message = _problems()
    line = _line_of(path, "melanoma,2,NR,PR,-2")
    assert f"course_response.csv: line {line}, column 'n': expected a number >= 0, found '-2'" in message


def test_total_that_does_not_add_up(data_copy):
    """Melanoma men + women must equal the melanoma patients counted by every other characteristic."""
    path = data_copy / STUDY / "characteristics.csv"
    _edit(path, "melanoma,sex,male,99", "melanoma,sex,male,100")
    message = _problems()
    line = _line_of(path, "melanoma,sex,male,100")
    assert re.search(rf"characteristics.csv: line {line}, column 'n': expected the categories of each "
                     r"characteristic .* to add up to the same number of patients within a histology, found '100'",
                     message)


def test_total_across_files_that_does_not_add_up(data_copy):
    path = data_copy / STUDY / "best_response.csv"
    _edit(path, "melanoma,149,", "melanoma,150,", count=2)
    message = _problems()
    assert "best_response.csv: column 'patients' for melanoma: expected 149 (Table 1 in characteristics.csv), found 150" \
        in message


def test_more_retreated_than_available(data_copy):
    """Course 3 cannot retreat more partial responders than course 2 left in PR."""
    path = data_copy / STUDY / "course_response.csv"
    _edit(path, "melanoma,3,PR,PR,10", "melanoma,3,PR,PR,30")
    message = _problems()
    line = _line_of(path, "melanoma,3,PR,PR,30")
    assert f"course_response.csv: line {line}, column 'n': expected no more patients retreated" in message


def test_unknown_category(data_copy):
    path = data_copy / STUDY / "characteristics.csv"
    _edit(path, "renal_cell,race,hispanic,2", "renal_cell,race,latino,2")
    message = _problems()
    line = _line_of(path, "renal_cell,race,latino,2")
    assert f"characteristics.csv: line {line}, column 'category': expected a category listed for its " \
           "characteristic, found 'latino'" in message


def test_unknown_histology(data_copy):
    path = data_copy / STUDY / "best_response.csv"
    _edit(path, "renal_cell,201,CR", "kidney,201,CR")
    message = _problems()
    line = _line_of(path, "kidney,201,CR")
    assert f"best_response.csv: line {line}, column 'histology': expected one of ['melanoma', 'renal_cell'], " \
           "found 'kidney'" in message


def test_duplicate_row(data_copy):
    path = data_copy / STUDY / "discontinuation.csv"
    path.write_text(path.read_text() + "other,4,7,false\n")
    message = _problems()
    assert "discontinuation.csv" in message and "expected no other row with the same key" in message


def test_true_false_column_rejects_other_text(data_copy):
    path = data_copy / STUDY / "discontinuation.csv"
    _edit(path, "death,1,3,true", "death,1,3,yes")
    message = _problems()
    line = _line_of(path, "death,1,3,yes")
    assert f"discontinuation.csv: line {line}, column 'column_inferred': expected one of ['true', 'false'], " \
           "found 'yes'" in message


def test_empty_cell(data_copy):
    path = data_copy / STUDY / "characteristics.csv"
    _edit(path, "melanoma,race,black,1", "melanoma,race,black,")
    message = _problems()
    line = _line_of(path, "melanoma,race,black,")
    assert f"characteristics.csv: line {line}, column 'n': expected a whole number, found ''" in message


def test_claim_with_unreadable_number(data_copy):
    path = data_copy / STUDY / "claims.csv"
    _edit(path, "t2-total-orr-pct,Table 2,All patients: objective response rate,17.4,",
          "t2-total-orr-pct,Table 2,All patients: objective response rate,17.4%,")
    message = _problems()
    line = _line_of(path, "t2-total-orr-pct,")
    assert f"claims.csv: line {line}, column 'printed': expected a printed number such as 19.0" in message
    assert "found '17.4%'" in message


def test_claim_with_unknown_verdict(data_copy):
    path = data_copy / STUDY / "claims.csv"
    _edit(path, "17.4,%,match,", "17.4,%,maybe,")
    message = _problems()
    assert ("column 'expected': expected match, contradicted, unverifiable, or empty (not yet recorded), "
            "found 'maybe'") in message


def test_contradicted_claim_needs_a_note(data_copy):
    path = data_copy / STUDY / "claims.csv"
    _edit(path, "17.4,%,match,,", "17.4,%,contradicted,,")
    message = _problems()
    line = _line_of(path, "17.4,%,contradicted")
    assert f"claims.csv: line {line}, column 'note': expected a note explaining any verdict other than match" in message


def test_restatement_of_unknown_claim(data_copy):
    path = data_copy / STUDY / "claims.csv"
    _edit(path, "match,t1-total-all-total-n,", "match,t1-no-such-claim,")
    message = _problems()
    assert "column 'restates': expected empty, the id of another claim in this file in the same unit" in message
    assert "found 't1-no-such-claim'" in message


def test_relation_to_unknown_claim(data_copy):
    path = data_copy / "stable-disease" / "claims.csv"
    _edit(path, "fig1-reviewed - fig1-no-survival - fig1-no-both", "fig1-reviewed - fig1-no-surviva - fig1-no-both")
    message = _problems("stable-disease")
    line = _line_of(path, "fig1-no-surviva ")
    assert f"claims.csv: line {line}, column 'sum_of': expected empty, or ids of other claims in this file" in message
    assert "found 'fig1-reviewed - fig1-no-surviva - fig1-no-both" in message


def _declare(path: Path, claim_id: str, column: str, value: str) -> int:
    """Set one relation cell of a claims file; return the line it is on."""
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    line = next(i for i, row in enumerate(rows) if row[0] == claim_id)
    rows[line][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    return line + 1


def test_relation_in_an_incompatible_unit(data_copy):
    path = data_copy / "after-pd1" / "claims.csv"
    line = _declare(path, "abs-mel-patients", "at_most", "abs-mel-orr")     # patients against a percentage
    message = _problems("after-pd1")
    assert f"claims.csv: line {line}, column 'at_most': expected empty, or ids of other claims in this file " \
           "(in this claim's unit, or any unit of time)" in message


def test_landmark_needs_a_median(data_copy):
    path = data_copy / "after-pd1" / "claims.csv"
    line = _declare(path, "abs-mel-orr", "landmark", "2 years")
    message = _problems("after-pd1")
    assert f"claims.csv: line {line}, column 'landmark': expected empty, or (with a median) the id of a claim" \
        in message


def test_share_declared_on_a_count_is_rejected(data_copy):
    path = data_copy / "after-pd1" / "claims.csv"
    _declare(path, "abs-mel-patients", "of", "t1-mel-n")     # a denominator for a count of patients
    message = _problems("after-pd1")
    assert "column 'of': expected empty, or (for a claim in %) a positive whole number" in message


def test_duplicate_claim_id(data_copy):
    path = data_copy / STUDY / "claims.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n")
    message = _problems()
    assert f"claims.csv: line {len(lines) + 1}, column 'id': expected a value not repeated in another row" in message


def test_metadata_missing_key(data_copy):
    path = data_copy / STUDY / "study.yaml"
    _edit(path, "claims: claims.csv", "")
    message = _problems()
    assert "study.yaml: missing key 'claims'" in message


def test_metadata_unknown_schema(data_copy):
    path = data_copy / STUDY / "study.yaml"
    _edit(path, "schema: discontinuation", "schema: stopping")
    message = _problems()
    assert "table 'discontinuation' has schema 'stopping', expected one of" in message


def test_all_problems_reported_together(data_copy):
    folder = data_copy / STUDY
    _edit(folder / "characteristics.csv", "melanoma,sex,male,99", "melanoma,sex,male,9x")
    _edit(folder / "course_response.csv", "melanoma,2,NR,PR,2", "melanoma,2,NR,PR,-2")
    message = _problems()
    assert "characteristics.csv" in message and "course_response.csv" in message
    assert message.startswith("2 problems")


def test_unknown_study():
    with pytest.raises(UnknownStudyError, match="no study 'no-such-study'"):
        datasets.load("no-such-study")


def test_edited_file_is_reloaded(data_copy):
    """The load cache keys on file size and time: an edit is never served from memory."""
    first = datasets.load(STUDY)
    path = data_copy / STUDY / "best_response.csv"
    _edit(path, "melanoma,149,CR,10", "melanoma,149,CR,11")
    second = datasets.load(STUDY)
    assert second is not first
    assert int(second.tables["best_response"]["n"].iloc[0]) == 11


def test_patients_claim_must_name_a_claim(data_copy):
    path = data_copy / STUDY / "study.yaml"
    _edit(path, "patients_claim: t1-total-all-total-n", "patients_claim: t1-total-al-total-n")
    message = _problems()
    assert ("study.yaml: key 'patients_claim' is 't1-total-al-total-n', expected the id of a claim in claims.csv"
            in message)


def test_prose_placeholders_must_name_claims(data_copy):
    path = data_copy / STUDY / "study.yaml"
    _edit(path, "{tx-dose}", "{tx-dos}")
    assert "study.yaml: key 'regimen' writes {tx-dos}, expected the id of a claim in claims.csv" in _problems()


@pytest.mark.parametrize("study_id", datasets.studies())
def test_no_number_is_typed_in_a_study_s_prose(study_id):
    """Numbers in design, population, regimen and criteria come from claims: only names keep digits."""
    study = datasets.load(study_id)
    for key in datasets.PROSE_KEYS:
        text = re.sub(r"\{[^}]+\}", "", str(study.metadata.get(key) or ""))
        text = re.sub(r"\b[A-Z][A-Za-z]*(-[A-Za-z]*\d*)+\b|RECIST 1\.1", "", text)   # IL-2, PD-L1, RECIST 1.1: names
        assert not re.search(r"\d", text), f"{study_id} {key}: {text}"
        rendered = study.describe(key) if key in study.metadata else ""
        assert "{" not in rendered
