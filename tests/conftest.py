"""Shared fixtures: a fixed seed, a headless plotting backend, and disposable copies of the data."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
SEED = 20001954  # fixed, so any randomness in a test is repeatable


@pytest.fixture(autouse=True)
def _fixed_seed():
    random.seed(SEED)
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        return
    np.random.seed(SEED)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A copy of ``data/`` that a test may corrupt; il2lib reads it instead of the real one."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    monkeypatch.setenv("IL2_DATA_DIR", str(target))
    return target
