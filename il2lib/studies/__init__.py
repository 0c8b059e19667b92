"""Per-study reproduction code, found from the study id.

A study under ``data/<id>/`` may have a module ``il2lib/studies/<id with _>.py``
defining ``reproduce(study) -> dict[claim id, Evidence]`` and, optionally,
``consistency_problems(tables, path) -> list[str]`` (checks between its files).
A module that reads tables names them, with the schema each needs, in
``TABLES``; a ``study.yaml`` that leaves one out, or gives it another schema,
is refused when the study is read (:func:`table_problems`).  A study without a
module still loads and audits: every claim is then ``unverifiable`` until
code re-derives it.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pandas as pd

from il2lib.exceptions import DataError, NotADurationError, ReconstructionError, UnknownClaimError

if TYPE_CHECKING:
    from il2lib.claims import Evidence
    from il2lib.datasets import Study

__all__ = ["module_for", "reproduce", "consistency_problems", "table_problems", "settings_problems"]


def module_for(study_id: str) -> ModuleType | None:
    """The reproduction module of a study, or ``None`` if it has none."""
    name = f"{__name__}.{study_id.replace('-', '_')}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name == name:
            return None
        raise


def reproduce(study: Study) -> dict[str, Evidence]:
    """Evidence for every claim the study's module can re-derive, keyed by claim id.

    Raises
    ------
    DataError
        If the printed targets of a reconstruction cannot all hold, naming ``study.yaml``'s block and the
        claims it names, with their lines.
    """
    module = module_for(study.id)
    if module is None:
        return {}
    try:
        return module.reproduce(study)
    except ReconstructionError as err:
        raise DataError([_targets_problem(study, err)]) from None
    except (UnknownClaimError, NotADurationError) as err:   # a claim the module reads, deleted or retyped
        raise DataError([f"{study.path / study.metadata['claims']}: {err}; the study's module "
                         f"({module.__name__}) reads it as such"]) from None


def _targets_problem(study: Study, err: ReconstructionError) -> str:
    """What no reconstruction could reproduce, with the claims that print the targets and their lines."""
    block = study.metadata.get("reconstruction") or {}
    groups = block.get("groups") if isinstance(block.get("groups"), dict) else {}
    named = _claim_ids(groups.get(err.group, block), {claim.id for claim in study.claims})
    targets = ", ".join(f"{claim_id} (line {study.claim_line(claim_id)}: {study.claim(claim_id).printed} "
                        f"{study.claim(claim_id).unit})" for claim_id in named)
    return (f"{study.path / 'study.yaml'}, key 'reconstruction': expected printed targets that some data can "
            f"reproduce together, found that {err}" + (f"; the targets are in {study.metadata['claims']}: {targets}"
                                                       if targets else ""))


def _claim_ids(value: object, ids: set[str]) -> list[str]:
    """The claim ids named anywhere in a block of ``study.yaml``, in order, once each.

    >>> _claim_ids({"median": "m", "landmarks": {12: "a", 24: "b"}, "n": 5}, {"a", "b", "m"})
    ['m', 'a', 'b']
    """
    if isinstance(value, str):
        return [value] if value in ids else []
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return list(dict.fromkeys(claim_id for item in items for claim_id in _claim_ids(item, ids)))


def table_problems(study_id: str, declared: dict, path: Path) -> list[str]:
    """The tables the study's module reads that ``study.yaml`` does not declare with the schema it needs.

    Examples
    --------
    >>> table_problems("after-pd1", {"cohort": {"file": "cohort.csv", "schema": "cohort_sizes"}}, Path("study.yaml"))[0]
    "study.yaml: key 'tables': expected a table named 'mutations' with schema 'gene_counts' (the study's module reads it), found none"
    """
    module = module_for(study_id)
    problems = []
    for name, schema in getattr(module, "TABLES", {}).items():
        spec = declared.get(name) if isinstance(declared, dict) else None
        if not isinstance(spec, dict):
            problems.append(f"{path}: key 'tables': expected a table named {name!r} with schema {schema!r} (the "
                            "study's module reads it), found none")
        elif spec.get("schema") != schema:
            problems.append(f"{path}: key 'tables.{name}.schema': expected {schema!r} (the study's module reads the "
                            f"table as such), found {spec.get('schema')!r}")
    return problems


def settings_problems(study_id: str, metadata: dict, tables: dict[str, pd.DataFrame], path: Path) -> list[str]:
    """Problems between ``study.yaml`` and the tables, where the module checks any (``settings_problems``)."""
    check = getattr(module_for(study_id), "settings_problems", None)
    return check(metadata, tables, path) if check else []


def consistency_problems(study_id: str, tables: dict[str, pd.DataFrame], path: Path) -> list[str]:
    """Problems between a study's files (each file already passed its own schema)."""
    module = module_for(study_id)
    check = getattr(module, "consistency_problems", None)
    return check(tables, path) if check else []
