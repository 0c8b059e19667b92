"""A chapter as a Jupyter notebook: read its MyST source, optionally run it, write an ``.ipynb``.

The book's pages are MyST Markdown notebooks (``chapters/*.md``).  A reader who
wants to rerun or change one chapter can turn it into an ordinary notebook:
``il2 notebook chapters/after-pd1.md`` writes ``after-pd1.ipynb``, executed
with the page's own folder as working directory, exactly as the book build
runs it.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from myst_nb.core.read import read_myst_markdown_notebook
from nbclient import NotebookClient

__all__ = ["to_notebook"]


def to_notebook(page: Path, output: Path | None = None, *, execute: bool = True,
                timeout: int = 180) -> Path:
    """Write a chapter's MyST source as an ``.ipynb``, executed unless told otherwise.

    Parameters
    ----------
    page : Path
        A chapter, e.g. ``chapters/after-pd1.md``.
    output : Path, optional
        Where to write; default: the page's name with ``.ipynb`` in the current folder.
    execute : bool, default True
        Run every cell (in the page's folder, as the book does) before writing.
    timeout : int, default 180
        Seconds allowed per cell.

    Returns
    -------
    Path
        The notebook written.

    Raises
    ------
    FileNotFoundError
        If the page does not exist.
    nbclient.exceptions.CellExecutionError
        If a cell fails (the message shows the cell and the error).
    """
    page = Path(page)
    notebook = read_myst_markdown_notebook(page.read_text(encoding="utf-8"), path=str(page))
    if execute:
        client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(page.resolve().parent)}})
        client.execute()
    target = Path(output) if output else Path(page.with_suffix(".ipynb").name)
    nbformat.write(notebook, target)
    return target
