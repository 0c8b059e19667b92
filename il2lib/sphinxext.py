"""Sphinx extension for the book: bad data stop the build, and no page is computed from older inputs.

Jupyter Book's execution cache keys each page on its code cells only, so an
edit to ``data/`` or ``il2lib/`` would otherwise be served from the cache.
This extension, listed in ``_config.yml``:

* validates every study under ``data/`` before anything executes
  (a :class:`~il2lib.exceptions.DataError` fails the build with its message);
* points the execution cache at a folder named after a hash of ``data/`` and
  ``il2lib/``, so any change to them re-executes the pages, and removes the
  folders of older hashes;
* records those files as dependencies of every page, so Sphinx re-reads the
  pages when they change;
* exports ``IL2_DATA_DIR`` so that the executing kernels read this book's
  data, and sets ``MPLBACKEND`` to the inline backend so that figures appear
  whatever backend the person building the book has configured.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

from il2lib import datasets
from il2lib.exceptions import DataError

__all__ = ["setup", "inputs_digest", "input_files"]

_INPUT_DIRS = ("data", "il2lib")
_SKIP_PARTS = {"__pycache__", ".pytest_cache"}


def input_files(root: Path) -> list[Path]:
    """Every file under ``data/`` and ``il2lib/`` that can change what a page computes."""
    files = []
    for folder in _INPUT_DIRS:
        files += [p for p in (root / folder).rglob("*") if p.is_file() and not _SKIP_PARTS & set(p.parts)]
    return sorted(files)


def inputs_digest(root: Path) -> str:
    """A short hash of the names and contents of :func:`input_files`."""
    digest = hashlib.sha256()
    for path in input_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def _prepare_kernels_and_validate_data(app: Sphinx, config: Config) -> None:
    root = Path(app.srcdir)
    os.environ["IL2_DATA_DIR"] = str(root / "data")  # inherited by the kernels that execute pages
    os.environ["MPLBACKEND"] = _INLINE_BACKEND
    try:
        for study_id in datasets.studies():
            datasets.load(study_id)
    except DataError as err:
        raise ExtensionError(f"the embedded data are invalid, so no chapter was executed.\n{err}") from err


def _key_cache_on_inputs(app: Sphinx, config: Config) -> None:
    cache_root = Path(app.outdir).parent / ".jupyter_cache"
    current = cache_root / inputs_digest(Path(app.srcdir))
    if cache_root.is_dir():
        for old in cache_root.iterdir():
            if old.is_dir() and old != current:
                shutil.rmtree(old)
    config.nb_execution_cache_path = str(current)


def _note_inputs(app: Sphinx, docname: str, source: list[str]) -> None:
    for path in input_files(Path(app.srcdir)):
        app.env.note_dependency(str(path))


def setup(app: Sphinx) -> dict:
    """Register the handlers (Sphinx entry point)."""
    app.connect("config-inited", _prepare_kernels_and_validate_data, priority=100)
    app.connect("config-inited", _key_cache_on_inputs, priority=100)
    app.connect("source-read", _note_inputs)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
