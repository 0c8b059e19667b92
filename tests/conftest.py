"""Shared fixtures: a fixed seed, a headless plotting backend, disposable copies of the data, and one strict
build of a copy of the whole book per test session (for the build, site and browser tests)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
SEED = 20001954  # fixed, so any randomness in a test is repeatable
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
BOOK_PARTS = ["_config.yml", "_toc.yml", "chapters", "data", "il2lib"]


def copy_book(target: Path) -> Path:
    """Copy what the book build reads into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for part in BOOK_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    return target


def _build_command(root: Path) -> list[str]:
    return [str(JUPYTER_BOOK), "build", str(root), "-W", "-n", "--keep-going"]


def _build_env(*, handouts: bool) -> dict[str, str]:
    """This environment without the variables the book's extension sets for its own kernels; without PDF
    handouts unless ``handouts`` (only the whole book's build is tested for them)."""
    env = {k: v for k, v in os.environ.items() if k not in ("IL2_DATA_DIR", "IL2_MEMO_DIR", "IL2_HANDOUTS")}
    return env if handouts else env | {"IL2_HANDOUTS": "0"}


def build_book(root: Path) -> subprocess.CompletedProcess:
    """Build a copy of the book with the same strict command as ``make book`` (handouts left out)."""
    return subprocess.run(_build_command(root), capture_output=True, text=True, env=_build_env(handouts=False),
                          timeout=600)


def log_of(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


def cut_to_one_chapter(root: Path) -> None:
    """Cut a copy of the book down to one executed chapter (successive-courses), for the rebuild tests.

    The glossary and bibliography stay, and the pages the glossary links to are replaced by stubs with no code.
    """
    stubs = ["ledger", "synthesis", "reconstruction"]
    for page in stubs:
        (root / "chapters" / f"{page}.md").write_text(f"({page})=\n# {page} (stub for this test)\n", encoding="utf-8")
    entries = "".join(f"  - file: chapters/{page}\n" for page in ["glossary", "bibliography", *stubs])
    (root / "_toc.yml").write_text(f"format: jb-book\nroot: chapters/successive-courses\nchapters:\n{entries}",
                                   encoding="utf-8")


class _BackgroundBuild:
    """A strict build of a copy of the book, started in the background as soon as the tests are collected."""

    def __init__(self, name: str, prepare: Callable[[Path], None] | None = None) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=f"il2-{name}-"))
        self.root = copy_book(self.folder / name)
        if prepare is not None:
            prepare(self.root)
        self.log = self.folder / "build.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(_build_command(self.root), stdout=log, stderr=subprocess.STDOUT,
                                            env=_build_env(handouts=name == "built-book"))

    def wait(self) -> Path:
        """The built copy, once its build has ended (the test fails with the log's end if the build failed)."""
        self.process.wait(timeout=600)
        assert self.process.returncode == 0, self.log.read_text()[-4000:]
        return self.root

    def discard(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


#: The session's built copies, by fixture name, and how each is prepared before its build.
_COPIES: dict[str, Callable[[Path], None] | None] = {"built_book": None, "small_book": cut_to_one_chapter}
_BUILDS: dict[str, _BackgroundBuild] = {}


def pytest_collection_modifyitems(config, items):
    """Run the tests that need a built book last, so that the builds overlap the other tests (order otherwise kept)."""
    items.sort(key=lambda item: item.get_closest_marker("build") is not None)


def pytest_collection_finish(session):
    """Start building each copy of the book that a selected test needs, in the background."""
    for fixture, prepare in _COPIES.items():
        if any(fixture in getattr(item, "fixturenames", ()) for item in session.items):
            _BUILDS[fixture] = _BackgroundBuild(fixture.replace("_", "-"), prepare)


def pytest_sessionfinish(session, exitstatus):
    for build in _BUILDS.values():
        build.discard()


def _built(fixture: str) -> Path:
    if fixture not in _BUILDS:   # requested in a way collection did not see
        _BUILDS[fixture] = _BackgroundBuild(fixture.replace("_", "-"), _COPIES[fixture])
    return _BUILDS[fixture].wait()


@pytest.fixture(scope="session")
def built_book() -> Path:
    """A copy of the whole book, built once per session (in the background from the start); tests must not edit it."""
    return _built("built_book")


@pytest.fixture(scope="session")
def small_book() -> Path:
    """A copy of the book with one executed chapter (:func:`cut_to_one_chapter`), built in the background.

    The rebuild tests in ``test_book.py`` edit it, in their file order.
    """
    return _built("small_book")


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
