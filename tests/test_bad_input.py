"""Bad input gets a clear error: exit 2 with the file (and line) named, no traceback, nothing changed on disk.

Each kind of mistake a person writing a new paper's files makes first is written into a copy of one study
(after-pd1) and checked through ``il2 validate``, as a user would meet it; generated damage to a CSV file is
checked through :func:`il2lib.datasets.load` (hypothesis), which must either read the study or raise a
:class:`~il2lib.exceptions.DataError`, never anything else.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from il2lib import audit, cli, datasets
from il2lib.claims import TO_REVIEW
from il2lib.exceptions import DataError

STUDY = "after-pd1"


@pytest.fixture
def study(tmp_path, monkeypatch) -> Path:
    """A data folder holding a copy of one study; il2lib reads it instead of the real one."""
    shutil.copytree(ROOT / "data" / STUDY, tmp_path / "data" / STUDY)
    monkeypatch.setenv("IL2_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data" / STUDY


def _files(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _validate_refuses(folder: Path, capsys, *names: str) -> str:
    """Run ``il2 validate``: exit 2, each of ``names`` in the message, no traceback, no file changed."""
    before = _files(folder)
    assert cli.main(["validate"]) == cli.BAD_INPUT
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for name in names:
        assert name in err, err
    assert _files(folder) == before
    return err


def _edit(path: Path, change: Callable[[bytes], bytes]) -> None:
    path.write_bytes(change(path.read_bytes()))


def test_a_csv_saved_in_windows_1252_names_its_line_and_byte_and_how_to_resave(study, capsys):
    _edit(study / "claims.csv", lambda b: b.replace(b"Abstract", b"Abstract \x96 summary", 1))
    err = _validate_refuses(study, capsys, "claims.csv: line 2, byte", "0x96", "UTF-8")
    assert "CSV UTF-8" in err


def test_a_byte_order_mark_is_read_as_utf_8(study, capsys):
    _edit(study / "claims.csv", lambda b: b"\xef\xbb\xbf" + b)
    assert cli.main(["validate"]) == cli.AS_EXPECTED


@pytest.mark.parametrize(("change", "expected"), [
    (lambda b: b"", "claims.csv: the file is empty"),
    (lambda b: b.replace(b"\n", b"\n\x00", 1), "claims.csv: line 2 holds a NUL byte"),
    (lambda b: b.replace(b"\n", b",extra\n", 2).replace(b",extra\n", b"\n", 1), "claims.csv: line 2: "),
    (lambda b: b.replace(b"id,", b"id,note,", 1), "column 'note' is named 2 times in the header"),
    (lambda b: b + b'x,"never closed\n', "a quote opened and never closed"),
], ids=["empty", "nul", "ragged-row", "duplicate-header", "open-quote"])
def test_a_damaged_claims_file_is_refused_with_its_line(study, capsys, change, expected):
    _edit(study / "claims.csv", change)
    _validate_refuses(study, capsys, expected)


def test_line_numbers_count_blank_lines_and_quoted_line_breaks(study, capsys):
    lines = (study / "claims.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header, first, second, *rest = lines
    first = first.replace("Abstract", '"Abst\nract"', 1)   # a quoted line break: the row spans lines 2-3
    claim_id = second.split(",")[0]
    second = second.replace(claim_id, claim_id + " x", 1)     # an id with a space: refused by the schema
    (study / "claims.csv").write_text(header + first + "\n" + second + "".join(rest), encoding="utf-8")
    _validate_refuses(study, capsys, "claims.csv: line 5")      # after a blank line 4


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("tables:", "tables: [cohort.csv]\nunused:", "key 'tables' is a list"),
    ("schema: cohort_sizes", "schema: [cohort_sizes]", "has schema ['cohort_sizes']"),
    ("file: cohort.csv", "file: 3", "has file 3, expected a file name"),
    ("claims: claims.csv", "claims: 7", "key 'claims' is 7"),
    ("title:", "title: &t x\nalso: *t\nsubtitle:", "anchors and aliases are not allowed"),
], ids=["tables-list", "schema-list", "file-number", "claims-number", "alias"])
def test_a_wrong_type_in_study_yaml_is_refused(study, capsys, old, new, expected):
    path = study / "study.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _validate_refuses(study, capsys, "study.yaml", expected)


def test_study_yaml_that_is_not_utf_8_is_refused(study, capsys):
    _edit(study / "study.yaml", lambda b: b.replace(b"title:", b"title: \xe9", 1))
    _validate_refuses(study, capsys, "study.yaml: line", "not UTF-8")


@pytest.mark.parametrize("folder", ["missing", "empty"])
def test_no_data_is_bad_input_not_a_clean_bill(tmp_path, monkeypatch, capsys, folder):
    target = tmp_path / folder
    if folder == "empty":
        target.mkdir()
    monkeypatch.setenv("IL2_DATA_DIR", str(target))
    for command in (["validate"], ["audit"]):
        assert cli.main(command) == cli.BAD_INPUT
        assert str(target) in capsys.readouterr().err


def test_an_internal_error_exits_3_and_asks_for_a_report(monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("something il2lib did not foresee")

    monkeypatch.setattr(cli.audit, "run", broken)
    assert cli.main(["audit"]) == cli.INTERNAL_ERROR
    err = capsys.readouterr().err
    assert "internal error" in err and "--debug" in err and "Traceback" not in err
    with pytest.raises(RuntimeError):
        cli.main(["--debug", "audit"])
    with pytest.raises(RuntimeError):
        cli.main(["audit", "--debug"])


def test_the_notebook_command_never_overwrites_the_book_without_force(tmp_path, capsys):
    page = ROOT / "chapters" / "after-pd1.md"
    before = page.read_bytes()
    assert cli.main(["notebook", str(page), "-o", str(page), "--no-execute"]) == cli.BAD_INPUT
    assert "--force" in capsys.readouterr().err
    assert page.read_bytes() == before


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_damage_to_a_csv_file_reads_or_is_a_data_error(study, data):
    """Bytes inserted anywhere in a table (quotes, commas, line breaks, NULs, non-UTF-8 bytes, text)."""
    path = study / "cohort.csv"
    original = (ROOT / "data" / STUDY / "cohort.csv").read_bytes()   # the same before every example
    at = data.draw(st.integers(0, len(original)), label="position")
    inserted = data.draw(st.one_of(st.sampled_from([b'"', b",", b"\n", b"\r\n", b"\x00", b"\x96", b"\xef\xbb\xbf"]),
                                   st.binary(max_size=6), st.text(max_size=6).map(str.encode)), label="inserted")
    path.write_bytes(original[:at] + inserted + original[at:])
    try:
        datasets.load(STUDY)
    except DataError as err:
        assert all(str(study) in problem for problem in err.problems), err.problems


def test_a_link_to_another_paper_in_an_incomparable_unit_is_bad_input(tmp_path, monkeypatch, capsys):
    for study_id in ("stable-disease", "successive-courses"):
        shutil.copytree(ROOT / "data" / study_id, tmp_path / "data" / study_id)
    monkeypatch.setenv("IL2_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "data" / "stable-disease" / "claims.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(1, "\n")   # a blank line: the line named must still be the file's own
    line = next(i for i, text in enumerate(lines, start=1) if ",year," in text and ",successive-courses:" in text)
    lines[line - 1] = lines[line - 1].replace(",year,", ",month,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    _validate_refuses(tmp_path / "data", capsys, f"claims.csv: line {line}, column 'restates'", "'month'")


def test_a_premise_implying_a_sum_of_claims_in_another_unit_is_bad_input(tmp_path, monkeypatch, capsys):
    """Found by the fuzz test: a claim's unit damaged to an unknown word made a premise's implied at_most
    add patients to it, and validate stopped on an internal error instead of naming the premise."""
    shutil.copytree(ROOT / "data" / "after-pd1", tmp_path / "data" / "after-pd1")
    monkeypatch.setenv("IL2_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "data" / "after-pd1" / "claims.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines) if text.startswith("r-braf,"))
    lines[line] = lines[line].replace(",4,patients,", ",4,gvyp-xl-zz,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    _validate_refuses(tmp_path / "data", capsys, "premises.yaml: premise 'braf-needs-mutation'",
                      "implies on 'r-prior-brafi' (in patients), at_most")


def test_a_study_folder_linked_twice_is_bad_input(study, capsys):
    (study.parent / "again").symlink_to(study, target_is_directory=True)
    _validate_refuses(study.parent, capsys, "again: is the folder")


def test_a_typo_in_a_relation_names_the_unknown_id_and_the_nearest_one(study, capsys):
    path = study / "claims.csv"
    text = path.read_text(encoding="utf-8")
    assert " + t1-bor-mel-pr-pct" in text
    path.write_text(text.replace(" + t1-bor-mel-pr-pct", " + t1-bor-mel-pr-pcx", 1), encoding="utf-8")
    _validate_refuses(study, capsys, "no claim 't1-bor-mel-pr-pcx' in this file; did you mean 't1-bor-mel-pr-pct'?")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("melanoma_share: 0.5", "melanoma_share: 1.5", "key 'reconstruction.comparator_assumption.melanoma_share'"),
    ("total: r-comparators", "total: r-comparator", "expected the id of a claim in claims.csv, found 'r-comparator'"),
    ("landmark_kind: km", "landmark_kind: kaplan", "key 'reconstruction.landmark_kind': expected 'km' or"),
    ("time_unit: months", "time_unit: month", "key 'reconstruction.time_unit'"),
], ids=["share-above-1", "unknown-claim", "landmark-kind", "time-unit"])
def test_a_mistake_in_a_block_the_study_module_reads_is_refused_before_it_runs(study, capsys, old, new, expected):
    path = study / "study.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    _validate_refuses(study, capsys, "study.yaml", expected)


def test_il2_new_writes_a_study_that_validates_and_never_overwrites(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IL2_DATA_DIR", str(tmp_path / "data"))
    assert cli.main(["new", "smith-2019"]) == cli.AS_EXPECTED
    folder = tmp_path / "data" / "smith-2019"
    assert sorted(p.name for p in folder.iterdir()) == ["claims.csv", "study.yaml"]
    assert cli.main(["validate"]) == cli.AS_EXPECTED
    assert cli.main(["audit", "--study", "smith-2019"]) == cli.AS_EXPECTED
    capsys.readouterr()
    before = _files(folder)
    assert cli.main(["new", "smith-2019"]) == cli.BAD_INPUT
    assert "exists already; nothing written" in capsys.readouterr().err
    assert _files(folder) == before
    assert cli.main(["new", "Smith 2019"]) == cli.BAD_INPUT


def test_expected_may_wait_and_record_fills_only_the_empty_cells(tmp_path, monkeypatch, capsys):
    """A new study's claims may leave ``expected`` empty; ``--record`` writes the verdicts reached there and
    nowhere else, with the audit's evidence as the note a verdict other than match needs, marked for review."""
    monkeypatch.setenv("IL2_DATA_DIR", str(tmp_path / "data"))
    assert cli.main(["new", "smith-2019"]) == cli.AS_EXPECTED
    claims = tmp_path / "data" / "smith-2019" / "claims.csv"
    def row(*cells: str) -> str:   # the first columns, then empty ones up to the header's twenty
        return ",".join([*cells, *[""] * (20 - len(cells))]) + "\n"

    claims.write_text(claims.read_text(encoding="utf-8") + row("abs-n", "Abstract", "Patients treated", "64",
                                                               "patients", "")
                      + row("abs-k", "Abstract", "Complete responses", "4", "patients", "unverifiable", "",
                            "No module re-derives it yet."), encoding="utf-8")
    assert cli.main(["validate"]) == cli.AS_EXPECTED
    assert cli.main(["audit", "--study", "smith-2019"]) == cli.AS_EXPECTED
    assert "1 expected verdict not written yet" in capsys.readouterr().out
    before = claims.read_text(encoding="utf-8")
    assert cli.main(["audit", "--record"]) == cli.BAD_INPUT      # --record names its study
    assert cli.main(["audit", "--study", "smith-2019", "--record"]) == cli.AS_EXPECTED
    assert "recorded smith-2019 abs-n: unverifiable" in capsys.readouterr().out
    after = claims.read_text(encoding="utf-8")
    recorded_note = f'"{TO_REVIEW} nothing embedded re-derives this number"'
    assert after == before.replace("abs-n,Abstract,Patients treated,64,patients,,,",
                                   f"abs-n,Abstract,Patients treated,64,patients,unverifiable,,{recorded_note}")
    assert cli.main(["validate"]) == cli.AS_EXPECTED            # the recorded note keeps the file valid
    assert cli.main(["audit", "--study", "smith-2019"]) == cli.AS_EXPECTED
    assert capsys.readouterr().out.rstrip().endswith("; 1 recorded note marked TO REVIEW.")
    noted = after.replace(recorded_note, "Nothing re-derives it yet.")
    claims.write_text(noted, encoding="utf-8")
    assert cli.main(["audit", "--study", "smith-2019", "--record"]) == cli.AS_EXPECTED
    assert "nothing changed" in capsys.readouterr().out and claims.read_text(encoding="utf-8") == noted


def test_record_rewrites_the_books_claims_files_byte_for_byte_when_nothing_is_empty(study):
    from il2lib.scaffold import record_verdicts

    before = (study / "claims.csv").read_bytes()
    loaded = datasets.load(STUDY)
    assert record_verdicts(loaded, {claim.id: "match" for claim in loaded.claims}) == {}
    assert (study / "claims.csv").read_bytes() == before


def _claims(folder: Path, rows: list[dict[str, str]]) -> None:
    """Write these claims (id, source, quantity, printed, unit and any other columns) into the study."""
    header = (folder / "claims.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    with open(folder / "claims.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _claim(claim_id: str, quantity: str, printed: str, unit: str, **relations: str) -> dict[str, str]:
    return {"id": claim_id, "source": "Abstract", "quantity": quantity, "printed": printed, "unit": unit, **relations}


def _new_study(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("IL2_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "data").mkdir()
    assert cli.main(["new", "nr-paper"]) == cli.AS_EXPECTED
    return tmp_path / "data" / "nr-paper"


def test_not_reached_is_entered_audited_and_bounds_a_landmark(tmp_path, monkeypatch, capsys):
    folder = _new_study(tmp_path, monkeypatch)
    _claims(folder, [_claim("os-median", "Median OS", "not reached", "months"),
                     _claim("os-2y", "2-year OS", "41", "%", median="os-median", landmark="2 years"),
                     _claim("os-median-again", "Median OS", "38.2", "months", restates="os-median")])
    assert cli.main(["validate"]) == cli.AS_EXPECTED
    capsys.readouterr()
    rows = audit.audit_study(datasets.load("nr-paper")).set_index("id")
    assert rows.loc["os-median", "published"] == float("inf")
    failed = {c["name"]: c["detail"] for c in rows.loc["os-2y", "checks"] if not c["passed"]}
    assert "median not reached" in failed["landmark"]          # 41% at 2 years: the median was reached
    failed = {c["name"]: c["detail"] for c in rows.loc["os-median-again", "checks"] if not c["passed"]}
    assert "not reached" in failed["restatement"]


def test_not_reached_is_refused_for_anything_but_a_time(tmp_path, monkeypatch, capsys):
    folder = _new_study(tmp_path, monkeypatch)
    _claims(folder, [_claim("orr", "Response rate", "not reached", "%")])
    _validate_refuses(folder, capsys, "claims.csv: line 2, column 'printed'", "'not reached' only for a median")


def test_reconstruction_targets_that_cannot_hold_together_name_the_block_and_the_claims(tmp_path, monkeypatch, capsys):
    shutil.copytree(ROOT / "data" / "stable-disease", tmp_path / "data" / "stable-disease")
    shutil.copytree(ROOT / "data" / "successive-courses", tmp_path / "data" / "successive-courses")
    monkeypatch.setenv("IL2_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "data" / "stable-disease" / "claims.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count("at 1 year(s),36.2,%") == 1
    path.write_text(text.replace("at 1 year(s),36.2,%", "at 1 year(s),3.2,%"), encoding="utf-8")
    line = 1 + text.split("\nt3-pd-1y,")[0].count("\n") + 1
    _validate_refuses(tmp_path / "data", capsys, "stable-disease/study.yaml, key 'reconstruction'",
                      "survival increases with time, 3.2% at 12", f"t3-pd-1y (line {line}: 3.2 %)")


@pytest.mark.parametrize(("sum_of", "expected"), [
    ("t1-bor-mel-cr-pct +t1-bor-mel-pr-pct",
     "'t1-bor-mel-cr-pct +t1-bor-mel-pr-pct': put a space on each side of + and -"),
    ("t1-bor-mel-cr-pct + + t1-bor-mel-pr-pct", "two signs in a row before 't1-bor-mel-pr-pct'"),
    ("t1-bor-mel-cr-pct + t1-bor-mel-pr-pct +", "a + or - with no term after it"),
    ("t1-bor-mel-cr-pct / t1-bor-mel-pr-pct",
     "'t1-bor-mel-cr-pct / t1-bor-mel-pr-pct': only + and - join terms (a ratio goes in ratio_of)"),
    ("t1-bor-mel-cr-pct + abs-mel-patients", "'abs-mel-patients' is in 'patients', which cannot be compared with this "
                                             "claim's '%'"),
    ("abs-mel-orr + t1-bor-mel-pr-pct", "'abs-mel-orr' is this claim itself"),
], ids=["no-space", "two-signs", "trailing-sign", "division", "unit", "itself"])
def test_a_relation_error_names_the_part_that_is_wrong(study, capsys, sum_of, expected):
    path = study / "claims.csv"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    assert lines[4].startswith("abs-mel-orr,") and lines[4].count(",t1-bor-mel-cr-pct + t1-bor-mel-pr-pct,") == 1
    lines[4] = lines[4].replace(",t1-bor-mel-cr-pct + t1-bor-mel-pr-pct,", f",{sum_of},")
    path.write_text("".join(lines), encoding="utf-8")
    _validate_refuses(study, capsys, f"claims.csv: line 5, column 'sum_of': {expected}")


def test_a_table_the_study_module_reads_must_be_declared_with_its_schema(study, capsys):
    path = study / "study.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("schema: gene_counts") == 1
    path.write_text(text.replace("schema: gene_counts", "schema: agent_counts"), encoding="utf-8")
    _validate_refuses(study, capsys, "study.yaml: key 'tables.mutations.schema': expected 'gene_counts'")
    path.write_text(text.replace("  mutations:", "  genes:"), encoding="utf-8")
    _validate_refuses(study, capsys, "study.yaml: key 'tables': expected a table named 'mutations' with schema "
                                     "'gene_counts' (the study's module reads it), found none")
