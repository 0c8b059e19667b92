"""In a notebook, show figures sharp and fail the cell of any figure with a layout problem.

How the inline backend shows a figure: ``plt.show()`` (or, at the end of a
cell, the backend's ``post_execute`` hook) calls IPython's ``display(fig)``,
and IPython turns the figure into an image with the formatter registered for
``image/png``.  Any exception a formatter raises is caught and printed, so it
cannot fail the cell.  :func:`install` therefore registers two things:

* its own ``image/png`` formatter, which checks the figure with
  :func:`~il2lib.plotting.layout.layout_problems`, keeps the problems, and
  renders the figure at twice its display resolution with its display width
  (and no height, so narrow screens keep its proportions) in the output's metadata;
* a ``post_run_cell`` hook that, when the cell showed a figure with problems,
  marks the cell as failed with a :class:`FigureLayoutError` naming them.  The
  kernel then replies with that error, and the book's build stops on it like
  on any cell that raises.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from IPython.core.interactiveshell import ExecutionResult, InteractiveShell
    from matplotlib.figure import Figure

__all__ = ["FigureLayoutError", "install", "retina_png"]

#: Problems of the figures shown since the cell started, one entry per figure.
_PENDING: list[str] = []


class FigureLayoutError(Exception):
    """A figure shown by a cell has layout problems (overlaps, text on data, text too small)."""


def install(shell: InteractiveShell | None = None) -> bool:
    """Register the checking PNG formatter and the cell hook in IPython; nothing outside it.

    Returns
    -------
    bool
        Whether an IPython shell was found (and so whether figures are now checked).
    """
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None:
        return False
    from matplotlib.figure import Figure

    _load_inline_backend()
    shell.display_formatter.formatters["image/png"].for_type(Figure, retina_png)
    callbacks = shell.events.callbacks["post_run_cell"]
    if fail_on_layout_problems not in callbacks:
        shell.events.register("post_run_cell", fail_on_layout_problems)
    return True


def _load_inline_backend() -> None:
    """Import the inline backend now if it is the one in use.

    Importing it registers its own PNG formatter; pyplot imports it lazily, with the first figure,
    which would replace ours.
    """
    import importlib

    import matplotlib

    if "inline" in matplotlib.get_backend():
        importlib.import_module("matplotlib_inline.backend_inline")


def retina_png(fig: Figure) -> tuple[str, dict[str, int]] | None:
    """Check ``fig``, then render it as a base64 PNG at twice ``fig.dpi``, shown at ``fig.dpi``.

    Returns
    -------
    tuple of (str, dict) or None
        The PNG and ``{"width": css_px}``; ``None`` for a figure with nothing drawn.
    """
    from base64 import b64encode

    from IPython.core.pylabtools import print_figure

    from il2lib.plotting.layout import layout_problems

    problems = layout_problems(fig)
    if problems:
        title = _figure_title(fig)
        _PENDING.append(f"{title}:\n  - " + "\n  - ".join(problems))
    png = print_figure(fig, fmt="retina", base64=False)
    if png is None:
        return None
    return b64encode(png).decode("ascii"), {"width": _png_width(png) // 2}


def fail_on_layout_problems(result: ExecutionResult) -> None:
    """``post_run_cell`` hook: turn the problems of the figures the cell showed into the cell's error."""
    if not _PENDING:
        return
    message = "figure layout problems (fix the figure; see il2lib.plotting.layout_problems):\n" + "\n".join(_PENDING)
    _PENDING.clear()
    from IPython import get_ipython

    try:
        raise FigureLayoutError(message)
    except FigureLayoutError as error:
        shell = get_ipython()
        if shell is not None:
            shell.showtraceback()
        if result is not None and result.error_in_exec is None:
            result.error_in_exec = error


def _figure_title(fig: Figure) -> str:
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    return f"figure {titles[0]!r}" + (f" (+{len(titles) - 1} panels)" if len(titles) > 1 else "") if titles \
        else "untitled figure"


def _png_width(png: bytes) -> int:
    """Width in pixels from a PNG's header."""
    return struct.unpack(">I", png[16:20])[0]
