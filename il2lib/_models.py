"""The schemas of the per-study YAML files (``premises.yaml``, ``findings.yaml``), as pydantic models.

Kept apart so that pydantic is imported only when such a file is read (a book build reads validated studies
from its store).  See ``data/README.md`` for the files' documentation.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from il2lib.premises import RELATIONS

__all__ = ["PremisesFile", "FindingsFile"]

_ID = r"^[a-z0-9][a-z0-9-]*$"


class Implied(BaseModel):
    """A relation that holds only if the premise does, declared on one claim (one field per
    :data:`il2lib.premises.RELATIONS`)."""

    model_config = ConfigDict(extra="forbid")

    claim: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    of: str | None = None
    count: str | None = None
    sum_of: str | None = None
    at_least: str | None = None
    at_most: str | None = None
    same_as: str | None = None
    ratio_of: str | None = None

    @model_validator(mode="after")
    def _declares_a_relation(self) -> Implied:
        if not any(getattr(self, column) for column in RELATIONS if column != "count"):
            raise ValueError(f"a relation: one of {', '.join(RELATIONS)}")
        return self


class PremiseSpec(BaseModel):
    """One premise: id, statement, why it is plausible, the claims that bear on it, what it implies."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=_ID)
    statement: str = Field(min_length=1)
    why: str = Field(min_length=1)
    bears_on: list[str] = Field(min_length=1)
    implies: list[Implied] = []


class PremisesFile(BaseModel):
    """``premises.yaml``: a list of premises."""

    model_config = ConfigDict(extra="forbid")

    premises: list[PremiseSpec] = Field(min_length=1)


class FindingSpec(BaseModel):
    """One finding: id, title and summary (prose with ``{claim-id}`` placeholders)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)


class FindingsFile(BaseModel):
    """``findings.yaml``: a list of findings."""

    model_config = ConfigDict(extra="forbid")

    findings: list[FindingSpec] = Field(min_length=1)
