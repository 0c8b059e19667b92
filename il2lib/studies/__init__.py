"""Per-study reproduction code, found from the study id.

A study under ``data/<id>/`` may have a module ``il2lib/studies/<id with _>.py``
defining ``reproduce(study) -> dict[claim id, Evidence]`` and, optionally,
``consistency_problems(tables, path) -> list[str]`` (checks between its files).
A study without a module still loads and audits: every claim is then
``unverifiable`` until code re-derives it.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from il2lib.claims import Evidence
    from il2lib.datasets import Study

__all__ = ["module_for", "reproduce", "consistency_problems"]


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
    """Evidence for every claim the study's module can re-derive, keyed by claim id."""
    module = module_for(study.id)
    return module.reproduce(study) if module else {}


def consistency_problems(study_id: str, tables: dict[str, pd.DataFrame], path: Path) -> list[str]:
    """Problems between a study's files (each file already passed its own schema)."""
    module = module_for(study_id)
    check = getattr(module, "consistency_problems", None)
    return check(tables, path) if check else []
