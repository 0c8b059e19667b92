"""The embedded data: find a study's folder, read its files and validate them.

Every page, test and command reaches data through :func:`load`, which checks
each file against its schema (see ``data/README.md``) and the files against
each other before returning anything.  A problem raises
:class:`~il2lib.exceptions.DataError` naming the file, line, column, what was
expected and what was found.

A study is validated once per process, and, during a book build, once per
build: the build validates every study before any page runs and files each
in the build's store (:mod:`il2lib.memo`), keyed on a hash of its files'
contents, and the pages read them from there.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from il2lib import findings, memo, premises
from il2lib.claims import Claim, Verdict
from il2lib.findings import FindingSpec
from il2lib.premises import Premise
from il2lib.exceptions import DataError, UnknownClaimError, UnknownStudyError
from il2lib.textfiles import load_yaml, read_csv

__all__ = ["Study", "data_dir", "studies", "load", "is_current", "count", "REQUIRED_METADATA", "PROSE_KEYS"]

#: Keys every ``study.yaml`` must have (``tables`` may be left out when a study has none).
REQUIRED_METADATA = ("id", "title", "citation", "source_file", "design", "population", "regimen", "claims")

#: Keys of ``study.yaml`` that describe the study in prose.  A number in them is written as the id of the
#: claim that prints it, in braces (``{abs-patients} patients``), so that it is typed only in ``claims.csv``.
PROSE_KEYS = ("design", "population", "regimen", "response_criteria")

_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.-]+)\}")


@dataclass(frozen=True, eq=False)
class Study:
    """One study's validated data.

    Compared and hashed by identity: :func:`load` returns the same object
    while a study's files are unchanged and a new one after any edit, so
    results may be cached per study.

    Attributes
    ----------
    id : str
        Study id, the folder name under ``data/``.
    metadata : dict
        The contents of ``study.yaml`` (citation, design, population, regimen, ...).
    tables : dict of str to DataFrame
        Each tidy table, keyed by its name in ``study.yaml``.
    claims : tuple of Claim
        Every published number, in file order.
    path : Path
        The study's folder.
    premises : tuple of Premise
        The premises the study declares (``premises.yaml``; see :mod:`il2lib.premises`).
    findings : tuple of FindingSpec
        The findings it names (``findings.yaml``; see :mod:`il2lib.findings`).
    claim_lines : tuple of int
        The line of ``claims.csv`` where each claim starts (empty for a study built by hand).
    """

    id: str
    metadata: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(repr=False)
    claims: tuple[Claim, ...] = field(repr=False)
    path: Path
    premises: tuple[Premise, ...] = field(default=(), repr=False)
    findings: tuple[FindingSpec, ...] = field(default=(), repr=False)
    claim_lines: tuple[int, ...] = field(default=(), repr=False)

    def claim(self, claim_id: str) -> Claim:
        """The claim with this id (``KeyError`` if there is none)."""
        try:
            return self.claims[self._claim_index[claim_id]]
        except KeyError:
            raise UnknownClaimError(f"{self.id} has no claim {claim_id!r}") from None

    def claim_line(self, claim_id: str) -> int | None:
        """The line of ``claims.csv`` where the claim starts, if known.

        >>> load("after-pd1").claim_line("abs-patients")
        2
        """
        index = self._claim_index.get(claim_id)
        return self.claim_lines[index] if index is not None and index < len(self.claim_lines) else None

    @cached_property
    def _claim_index(self) -> dict[str, int]:
        """Each claim id and its position in :attr:`claims` (and :attr:`claim_lines`)."""
        return {claim.id: index for index, claim in enumerate(self.claims)}

    def describe(self, key: str) -> str:
        """A prose field of ``study.yaml`` (see :data:`PROSE_KEYS`) with each ``{claim-id}`` printed as the paper prints it.

        Examples
        --------
        >>> load("after-pd1").describe("population")[:48]
        '57 patients (40 metastatic melanoma, 17 metastat'
        """
        return _PLACEHOLDER.sub(lambda found: self.claim(found[1]).printed, self.metadata[key])

    @property
    def label(self) -> str:
        """First author's surname and year, e.g. ``"Hughes 2015"``, for plot labels."""
        citation = self.metadata["citation"]
        return f"{citation['authors'].split()[0]} {citation['year']}"


def count(table: pd.DataFrame, **where: str | list[str]) -> int:
    """Patients in the rows of a count table that match every condition (column = value, or one of a list).

    Examples
    --------
    >>> t = pd.DataFrame({"histology": ["a", "a", "b"], "response": ["CR", "PR", "CR"], "n": [1, 2, 4]})
    >>> count(t, histology="a"), count(t, response=["CR", "PR"], histology=["a", "b"])
    (3, 7)
    """
    chosen = pd.Series(True, index=table.index)
    for column, value in where.items():
        chosen &= table[column].isin(value if isinstance(value, list) else [value])
    return int(table.loc[chosen, "n"].sum())


def data_dir() -> Path:
    """The ``data/`` folder: ``$IL2_DATA_DIR`` if set, else the one beside the package."""
    override = os.environ.get("IL2_DATA_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "data"


def studies() -> list[str]:
    """Ids of every study under :func:`data_dir`, i.e. every folder holding a ``study.yaml``.

    Raises
    ------
    DataError
        If two of them are one folder (a link to another study's folder would audit it twice).
    """
    folders = sorted(p.parent for p in data_dir().glob("*/study.yaml"))
    seen: dict[Path, Path] = {}
    for folder in folders:
        first = seen.setdefault(folder.resolve(), folder)
        if first is not folder:
            raise DataError([f"{folder}: is the folder {first} again (a link); expected each study once under "
                             f"{data_dir()}"])
    return [folder.name for folder in folders]


def load(study_id: str) -> Study:
    """Read and validate one study.

    Parameters
    ----------
    study_id : str
        Folder name under ``data/``, e.g. ``"successive-courses"``.

    Returns
    -------
    Study

    Raises
    ------
    UnknownStudyError
        If there is no such folder.
    DataError
        If any file is malformed or the files disagree with each other.

    Examples
    --------
    >>> study = load("successive-courses")
    >>> int(study.tables["best_response"].query("histology == 'melanoma'")["patients"].iloc[0])
    149
    """
    path = data_dir() / study_id
    return _load_cached(path.resolve(), _fingerprint(path))


def _fingerprint(path: Path) -> tuple:
    """Names, sizes and modification times of a study's files: a new value means reload."""
    if not (path / "study.yaml").is_file():
        known = ", ".join(studies()) or "none"
        raise UnknownStudyError(f"no study {path.name!r} under {path.parent} (known: {known})")
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(path.iterdir()) if p.is_file())


def is_current(study: Study) -> bool:
    """Whether ``study`` is what :func:`load` gives for its id now (same folder, files unchanged).

    Results computed from such a study may be shared between the pages of a
    build (:mod:`il2lib.memo`); a study built or changed by hand may not.

    Examples
    --------
    >>> is_current(load("after-pd1"))
    True
    """
    try:
        return load(study.id) is study
    except (UnknownStudyError, DataError):
        return False


@cache
def _load_cached(path: Path, fingerprint: tuple) -> Study:
    """Read and validate a study once per process, and once per book build (:mod:`il2lib.memo`)."""
    return memo.remembered(f"study-{path.name}", lambda: _read_study(path), inputs=[path])


def _read_study(path: Path) -> Study:
    from il2lib import studies as study_modules

    metadata, text = _read_metadata(path / "study.yaml")
    problems = study_modules.table_problems(metadata["id"], metadata["tables"], path / "study.yaml")
    tables: dict[str, pd.DataFrame] = {}
    for name, spec in metadata["tables"].items():
        frame, found = _read_table(path / spec["file"], spec["schema"])
        problems += found
        tables[name] = frame
    claims_frame, found = _read_table(path / metadata["claims"], "claims")
    problems += found + (_relation_hints(claims_frame, path / metadata["claims"]) if found else [])
    if not problems:
        problems += study_modules.consistency_problems(metadata["id"], tables, path)
    if problems:
        raise DataError(problems)
    claims = tuple(_claim(metadata["id"], row) for row in claims_frame.to_dict("records"))
    ids = {claim.id for claim in claims}
    problems = _settings_problems(metadata, text, path / "study.yaml", {c.id: c.unit for c in claims}, set(tables))
    problems = problems or _unknown_claims_named(metadata, ids, path / "study.yaml")
    problems = problems or study_modules.settings_problems(metadata["id"], metadata, tables, path)
    declared = premises.read(path / premises.FILE)
    named = findings.read(path / findings.FILE)
    problems += premises.problems(declared, {c.id: c.unit for c in claims}, path / premises.FILE)
    problems += findings.problems(named, claims, path / findings.FILE)
    if problems:
        raise DataError(problems)
    lines = tuple(claims_frame.attrs.get("lines") or ())
    return Study(metadata["id"], metadata, tables, claims, path, declared, named, lines)


def _settings_problems(metadata: dict[str, Any], text: str, path: Path, units: dict[str, str], tables: set[str]
                       ) -> list[str]:
    """Every key of ``study.yaml`` that the code reads, checked for type, range and the claims and tables it
    names (:mod:`il2lib._settings`)."""
    from il2lib import _settings

    return _settings.problems(metadata, text, path, units, tables)


def _unknown_claims_named(metadata: dict[str, Any], ids: set[str], path: Path) -> list[str]:
    """Problems with the claim ids that ``study.yaml`` names: ``patients_claim`` and the prose placeholders."""
    expected = f"expected the id of a claim in {metadata['claims']}"
    problems = []
    named = metadata.get("patients_claim")
    if named is not None and named not in ids:
        problems.append(f"{path}: key 'patients_claim' is {named!r}, {expected}")
    for key in PROSE_KEYS:
        for found in _PLACEHOLDER.findall(str(metadata.get(key) or "")):
            if found not in ids:
                problems.append(f"{path}: key {key!r} writes {{{found}}}, {expected}")
    return problems


#: Relation columns whose words are claim ids of the same file (the others hold labels, times or groups).
_ID_COLUMNS = ("restates", "of", "count", "sum_of", "at_least", "at_most", "median", "same_as", "ratio_of")
_WORD = re.compile(r"[a-z0-9][a-z0-9_.:-]*[a-z][a-z0-9_.:-]*")


def _relation_hints(claims: pd.DataFrame, path: Path) -> list[str]:
    """For each relation cell the schema refused, the part that is wrong: a term that is not a claim id or a
    number (and why), a claim in a unit that cannot be compared, the claim itself, or an id this file does not
    have, with the nearest id it does have (a typo is the usual cause).

    >>> frame = pd.DataFrame({"id": ["t1-mel-n", "t1-mel-pr-n"], "unit": ["patients", "patients"],
    ...                       "sum_of": ["", "t1-mel-n + t1-mel-pr-m"]})
    >>> _relation_hints(frame, Path("claims.csv"))
    ["claims.csv: line 3, column 'sum_of': no claim 't1-mel-pr-m' in this file; did you mean 't1-mel-pr-n'?"]
    """
    if "id" not in claims.columns:
        return []
    units = dict(zip(claims["id"], claims["unit"])) if "unit" in claims.columns else {}
    lines = claims.attrs.get("lines") or range(2, len(claims) + 2)
    hints = []
    for line, values in zip(lines, claims.to_dict("records")):
        for column in (c for c in _ID_COLUMNS if c in values and values[c]):
            where = f"{path}: line {line}, column {column!r}"
            hints += [f"{where}: {problem}" for problem in _cell_problems(column, values, units)]
    return hints


def _cell_problems(column: str, row: dict[str, str], units: dict[str, str]) -> list[str]:
    """What is wrong in one relation cell, part by part (nothing if every part is fine)."""
    import difflib

    from il2lib import relations

    cell = str(row[column])
    if column in ("sum_of", "at_least", "at_most", "ratio_of"):
        try:
            relations.parse_ratio(cell) if column == "ratio_of" else relations.parse_expressions(cell)
        except ValueError as err:
            return [str(err)]
    problems = []
    for word in _WORD.findall(re.sub(r"\?\S+|not reached|known status|\d+ (days|weeks|months|years)", "", cell)):
        if ":" in word:
            continue
        if word == row.get("id"):
            problems.append(f"{word!r} is this claim itself")
        elif word not in units:
            nearest = difflib.get_close_matches(word, sorted(units), n=1)
            problems.append(f"no claim {word!r} in this file" + (f"; did you mean {nearest[0]!r}?" if nearest else ""))
        elif column in ("sum_of", "at_least", "at_most", "same_as", "restates") and row.get("unit") and \
                not relations.comparable_units(units[word], row["unit"]):
            problems.append(f"{word!r} is in {units[word]!r}, which cannot be compared with this claim's "
                            f"{row['unit']!r}")
    return problems


def _claim(study_id: str, row: dict[str, str]) -> Claim:
    expected = row.pop("expected")
    return Claim(study=study_id, expected=Verdict(expected) if expected else None, **row)


def _read_metadata(path: Path) -> tuple[dict[str, Any], str]:
    """``study.yaml``'s keys, checked for what reading the tables needs, and the file's text."""
    metadata, text = load_yaml(path)
    if not isinstance(metadata, dict):
        raise DataError([f"{path}: expected a mapping of keys to values at the top level, found "
                         f"{type(metadata).__name__}"])
    missing = [key for key in REQUIRED_METADATA if key not in metadata]
    problems = [f"{path}: missing key {key!r}" for key in missing]
    if not missing and metadata["id"] != path.parent.name:
        problems.append(f"{path}: key 'id' is {metadata['id']!r}, expected the folder name {path.parent.name!r}")
    if not missing and not _is_file_name(metadata["claims"]):
        problems.append(f"{path}: key 'claims' is {metadata['claims']!r}, expected a file name such as 'claims.csv'")
    metadata.setdefault("tables", {})
    if metadata["tables"] is None:
        metadata["tables"] = {}
    if not isinstance(metadata["tables"], dict):
        problems.append(f"{path}: key 'tables' is a {type(metadata['tables']).__name__}, expected a mapping of "
                        "table names to their file, schema, source and description (or no key when there are none)")
    else:
        problems += [p for name, spec in metadata["tables"].items() for p in _table_spec_problems(path, name, spec)]
    if problems:
        raise DataError(problems)
    return metadata, text


def _is_file_name(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip()) and "/" not in value and "\\" not in value


def _table_spec_problems(path: Path, name: str, spec: object) -> list[str]:
    """Problems with one entry of ``tables:`` in ``study.yaml``: its keys and the type of each."""
    from il2lib import _schemas

    if not isinstance(spec, dict):
        return [f"{path}: table {name!r} is {spec!r}, expected a mapping with keys file, schema, source and "
                "description"]
    problems = [f"{path}: table {name!r} needs a {key!r}" for key in ("file", "schema", "source", "description")
                if key not in spec]
    if "file" in spec and not _is_file_name(spec["file"]):
        problems.append(f"{path}: table {name!r} has file {spec['file']!r}, expected a file name in the study's "
                        "folder, such as 'cohort.csv'")
    schema = spec.get("schema")
    if "schema" in spec and not (isinstance(schema, str) and schema in _schemas.SCHEMAS):
        problems.append(f"{path}: table {name!r} has schema {schema!r}, expected one of {sorted(_schemas.SCHEMAS)}")
    return problems


def _read_table(path: Path, schema_name: str) -> tuple[pd.DataFrame, list[str]]:
    """Read a CSV as text, then validate it in two phases; return the typed frame and any problems."""
    if not path.is_file():
        return pd.DataFrame(), [f"{path}: file not found"]
    from pandera.errors import SchemaErrors

    from il2lib import _schemas

    try:
        raw, lines = read_csv(path)
    except DataError as err:
        return pd.DataFrame(), err.problems
    raw.attrs["lines"] = lines   # each row's line in the file, for messages about the rows
    schema = _schemas.SCHEMAS[schema_name]
    try:
        structured = _schemas.structure_of(schema).validate(raw, lazy=True)
        return schema.validate(_schemas.typed(structured, schema), lazy=True), []
    except SchemaErrors as errors:
        return raw, _schemas.problems_from(errors, path, lines)
