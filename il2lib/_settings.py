"""The schema of ``study.yaml``: the keys every study has, and the blocks that a study's module reads.

A mistake in a block that only a study's module reads (``reconstruction:``, ``reports:``, ``dates:``) used to
pass validation and crash the audit or a chapter.  Every key the code reads is now checked here, as pydantic
models, when the study is validated: its type, its range, and that each claim id or table it names exists.
A study whose module reads keys of its own adds its model to :data:`MODELS`.  Imported only when files are
read (pydantic stays out of a book build's pages).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from il2lib.exceptions import DataError

__all__ = ["StudyFile", "MODELS", "problems"]

Duration = Literal["days", "weeks", "months", "years"]
LandmarkKind = Literal["km", "known_status"]


class _Strict(BaseModel):
    # strict: the modules read the raw values, so "0.5" where a number belongs must not be converted here
    model_config = ConfigDict(extra="forbid", strict=True)


class Citation(BaseModel):
    """Who wrote the paper and when (other bibliographic keys are free)."""

    model_config = ConfigDict(extra="allow")

    authors: str = Field(min_length=1)
    year: int = Field(ge=1900, le=2100)


class StudyFile(BaseModel):
    """The keys every ``study.yaml`` has (a study's own blocks are checked by its model in :data:`MODELS`)."""

    model_config = ConfigDict(extra="allow")

    id: str
    title: str = Field(min_length=1)
    citation: Citation
    source_file: str = Field(min_length=1)
    design: str
    population: str
    regimen: str
    response_criteria: str | None = None
    claims: str
    patients_claim: str | None = None
    dates: dict[str, str | int] = {}

    def claims_named(self) -> dict[str, str | None]:
        """Each key that names a claim, and the id it names."""
        return {}

    def tables_named(self) -> dict[str, str]:
        """Each key that names a table, and the table it names."""
        return {}

    def durations_named(self) -> dict[str, str]:
        """Each key that names a claim the module reads as a duration, and the claim it names."""
        return {}


class _Window(_Strict):
    min_months: float = Field(gt=0)
    max_months: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> _Window:
        if self.min_months >= self.max_months:
            raise ValueError(f"min_months below max_months, found {self.min_months} and {self.max_months}")
        return self


class _FollowUpAssumption(_Window):
    sensitivity: list[_Window] = []


class _GroupSize(_Strict):
    table: str
    response: list[str] = Field(min_length=1)


class _Group(_Strict):
    n: _GroupSize
    median: str | None
    landmarks: dict[float, str] = Field(min_length=1)


class _KnownStatusReconstruction(_Strict):
    time_unit: Duration
    landmark_kind: LandmarkKind
    groups: dict[str, _Group] = Field(min_length=1)
    follow_up_assumption: _FollowUpAssumption


class _Years(_Strict):
    first_treatment: int = Field(ge=1900, le=2100)
    last_treatment: int = Field(ge=1900, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> _Years:
        if self.first_treatment > self.last_treatment:
            raise ValueError(f"first_treatment no later than last_treatment, found {self.first_treatment} and "
                             f"{self.last_treatment}")
        return self


class StableDisease(StudyFile):
    """stable-disease: the groups rebuilt from their printed medians and landmark shares."""

    reconstruction: _KnownStatusReconstruction
    dates: _Years

    @model_validator(mode="after")
    def _every_group(self) -> StableDisease:
        from il2lib.studies.stable_disease import GROUPS

        if sorted(self.reconstruction.groups) != sorted(GROUPS):
            raise ValueError(f"reconstruction groups {', '.join(GROUPS)} (the chapter compares them), found "
                             f"{', '.join(self.reconstruction.groups) or 'none'}")
        return self

    def claims_named(self) -> dict[str, str | None]:
        named = {}
        for group, spec in self.reconstruction.groups.items():
            named[f"reconstruction.groups.{group}.median"] = spec.median
            named |= {f"reconstruction.groups.{group}.landmarks.{t:g}": c for t, c in spec.landmarks.items()}
        return named

    def tables_named(self) -> dict[str, str]:
        return {f"reconstruction.groups.{g}.n.table": s.n.table for g, s in self.reconstruction.groups.items()}


Histology = Literal["melanoma", "renal_cell"]


class _Comparison(_Strict):
    endpoint: Literal["OS", "PFS"]
    histology: Histology
    after_pd1: str | None
    alone: str | None


class _FollowUpClaims(_Strict):
    median: str
    min: str
    max: str


class _ComparatorAssumption(_Window):
    total: str
    melanoma_share: float = Field(gt=0, lt=1)
    sensitivity_shares: list[float] = []

    @model_validator(mode="after")
    def _shares(self) -> _ComparatorAssumption:
        if not all(0 < share < 1 for share in self.sensitivity_shares):
            raise ValueError(f"sensitivity_shares between 0 and 1, found {self.sensitivity_shares}")
        return self


class _ComparisonReconstruction(_Strict):
    time_unit: Duration
    landmark_kind: LandmarkKind
    comparisons: dict[str, _Comparison] = Field(min_length=1)
    follow_up: dict[Histology, _FollowUpClaims]
    comparator_assumption: _ComparatorAssumption

    @model_validator(mode="after")
    def _follow_up_for_each(self) -> _ComparisonReconstruction:
        missing = sorted({c.histology for c in self.comparisons.values()} - set(self.follow_up))
        if missing:
            raise ValueError(f"follow_up for every histology compared, found none for {', '.join(missing)}")
        return self


class AfterPd1(StudyFile):
    """after-pd1: the curves after PD-1 blockade set against a comparator cohort."""

    reconstruction: _ComparisonReconstruction

    def claims_named(self) -> dict[str, str | None]:
        spec = self.reconstruction
        named: dict[str, str | None] = {"reconstruction.comparator_assumption.total": spec.comparator_assumption.total}
        for figure, c in spec.comparisons.items():
            named |= {f"reconstruction.comparisons.{figure}.after_pd1": c.after_pd1,
                      f"reconstruction.comparisons.{figure}.alone": c.alone}
        for histology, f in spec.follow_up.items():
            named |= {f"reconstruction.follow_up.{histology}.{k}": v for k, v in f.model_dump().items()}
        return named

    def durations_named(self) -> dict[str, str]:
        return {f"reconstruction.follow_up.{histology}.{k}": v for histology, f in self.reconstruction.follow_up.items()
                for k, v in f.model_dump().items()}


class _Report(_Strict):
    ref: int = Field(ge=1)
    label: str = Field(min_length=1)


class LongTermPfs(StudyFile):
    """long-term-pfs: the earlier reports its Table 1 summarises."""

    reports: dict[str, _Report] = Field(min_length=1)


YearMonth = Annotated[str, StringConstraints(pattern=r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$")]


class _Months(_Strict):
    first_treatment: YearMonth
    last_treatment: YearMonth
    follow_up_to: YearMonth

    @model_validator(mode="after")
    def _ordered(self) -> _Months:
        if not self.first_treatment <= self.last_treatment <= self.follow_up_to:
            raise ValueError("first_treatment, last_treatment and follow_up_to in time order, found "
                             f"{self.first_treatment}, {self.last_treatment} and {self.follow_up_to}")
        return self


class SuccessiveCourses(StudyFile):
    """successive-courses: the treatment and follow-up dates (year-month), and the histologies' names."""

    dates: _Months
    histologies: dict[str, str] = Field(min_length=1)


#: The model of each study whose module reads keys of its own; any other study is checked as :class:`StudyFile`.
MODELS: dict[str, type[StudyFile]] = {"stable-disease": StableDisease, "after-pd1": AfterPd1,
                                      "long-term-pfs": LongTermPfs, "successive-courses": SuccessiveCourses}


def problems(metadata: dict[str, Any], text: str, path: Path, claim_units: dict[str, str], tables: set[str]
             ) -> list[str]:
    """Problems with ``study.yaml`` against its model, one line each, naming the key and its line.

    Examples
    --------
    >>> text = "id: x\\ntitle: T\\ncitation: {authors: A, year: twenty}\\nsource_file: s\\n" \\
    ...        "design: d\\npopulation: p\\nregimen: r\\nclaims: claims.csv\\n"
    >>> import yaml
    >>> problems(yaml.safe_load(text), text, Path("study.yaml"), {}, set())[0]
    "study.yaml: line 3, key 'citation.year': expected a valid integer, unable to parse string as an integer, found 'twenty'"
    """
    from il2lib._yamlfiles import validate

    try:
        settings = validate(path, metadata, text, MODELS.get(str(metadata.get("id")), StudyFile))
    except DataError as err:
        return err.problems
    found = [f"{path}: key {key!r}: expected the id of a claim in {metadata['claims']}, found {claim!r}"
             for key, claim in settings.claims_named().items() if claim is not None and claim not in claim_units]
    found += [f"{path}: key {key!r}: expected a claim in months or years, found {claim!r}, which is in "
              f"{claim_units[claim]!r}" for key, claim in settings.durations_named().items()
              if claim in claim_units and claim_units[claim] not in ("months", "years")]
    found += [f"{path}: key {key!r}: expected the name of a table under 'tables', found {table!r}"
              for key, table in settings.tables_named().items() if table not in tables]
    return found
