"""Shared fixtures: a fixed seed, a headless plotting backend, disposable copies of the data, and one strict
build of a copy of the whole book per test session (for the build, site and browser tests)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
SEED = 20001954  # fixed, so any randomness in a test is repeatable
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
BOOK_PARTS = ["_config.yml", "_toc.yml", "chapters", "data", "il2lib"]


def copy_book(target: Path) -> Path:
    """Copy what the book build reads into ``target``."""
    for part in BOOK_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    return target


def build_book(root: Path) -> subprocess.CompletedProcess:
    """Build a copy of the book with the same strict command as ``make book``."""
    env = {k: v for k, v in os.environ.items() if k not in ("IL2_DATA_DIR", "IL2_MEMO_DIR")}
    return subprocess.run([str(JUPYTER_BOOK), "build", str(root), "-W", "-n", "--keep-going"],
                          capture_output=True, text=True, env=env, timeout=600)


def log_of(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """A copy of the whole book, built once per session; tests must not edit it."""
    root = copy_book(tmp_path_factory.mktemp("book"))
    result = build_book(root)
    assert result.returncode == 0, log_of(result)[-4000:]
    return root


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
