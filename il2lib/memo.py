"""Results shared by the pages of one book build, kept on disk so that each is computed once.

Several pages audit the same studies, and each page runs in its own kernel,
so without a shared store every kernel would validate the same files and
rebuild the same reconstructions.  The book's Sphinx extension
(:mod:`il2lib.sphinxext`) names a folder for the build in the environment
variable :data:`ENV_VAR`; the folder's name is a hash of ``data/``,
``il2lib/`` and the lock file, so a change to any of them starts an empty
store.  Outside a build the variable is unset and :func:`remembered` simply
computes.

Within a build a result is filed under a key that also holds a hash of the
*contents* of the data it was computed from (:func:`folder_digest`), so a page
that edits or swaps data files (as the guide to auditing a new paper does)
never reads a result computed from other files.

One process computes a result while any other that wants it waits for it
(a lock file per result, where the system has ``fcntl``), and the result is
written to a temporary file and then renamed, so nobody reads half a file.
The extension starts one process that computes the audits while the first
pages run, so the pages that show them wait for them instead of repeating
the work.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

__all__ = ["ENV_VAR", "remembered", "folder_digest", "files_digest", "store"]

#: Environment variable naming the folder of the current build's results.
ENV_VAR = "IL2_MEMO_DIR"

T = TypeVar("T")


def store() -> Path | None:
    """The current build's folder of results, or ``None`` outside a book build."""
    folder = os.environ.get(ENV_VAR)
    return Path(folder) if folder else None


def files_digest(files: Iterable[Path], root: Path) -> str:
    """A hash of the names (relative to ``root``) and contents of ``files``, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def folder_digest(folder: Path) -> str:
    """A hash of the resolved path of ``folder`` and of the names and contents of every file under it.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "a.csv").write_text("x\\n1\\n")
    ...     before = folder_digest(Path(tmp))
    ...     _ = (Path(tmp) / "a.csv").write_text("x\\n2\\n")
    ...     before == folder_digest(Path(tmp))
    False
    """
    folder = Path(folder).resolve()
    files = [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    place = hashlib.sha256(str(folder).encode()).hexdigest()[:8]
    return f"{place}{files_digest(files, folder)}"


def remembered(name: str, compute: Callable[[], T], *, inputs: Sequence[Path]) -> T:
    """The result ``compute`` gives, filed in the current build's store (computed only if not filed yet).

    Parameters
    ----------
    name : str
        What the result is, e.g. ``"audit-stable-disease"``.
    compute : callable
        Makes the result when it is not filed yet (or when there is no store).
    inputs : sequence of Path
        The folders the result is computed from.  The result is filed under ``name`` and a
        :func:`folder_digest` of each, so it is read back only for the same files in the same place.

    Returns
    -------
    object
        The result, as computed now or as unpickled from the store.
    """
    folder = store()
    if folder is None:
        return compute()
    key = "-".join([name, *(folder_digest(path) for path in inputs)])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}.pickle"
    with _only_one_at_a_time(folder / f"{key}.lock"):
        if path.is_file():
            with path.open("rb") as stream:
                return pickle.load(stream)
        value = compute()
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(stream.name, path)
    return value


@contextmanager
def _only_one_at_a_time(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (no lock where ``fcntl`` is missing, e.g. on Windows)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
