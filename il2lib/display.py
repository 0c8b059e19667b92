"""What a page's code cells show: tables and numbers for readers, not Python reprs.

A page calls :func:`install` once, in its first code cell.  From then on, in that
IPython kernel, a frame, series or dict of plain values that a cell returns is shown
as a table by :func:`il2lib.tables.show`, and numbers and booleans in a
returned tuple or list print as a reader expects: ``12.3`` rather than
``np.float64(12.3456789)``, "not reached" rather than ``inf`` and "yes" rather than
``True``.  Strings keep their quotes: myst-nb's ``glue`` reads glued text back from its repr.  Outside IPython, :func:`install` does nothing.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd

from il2lib import formatting, tables

__all__ = ["install", "plain"]


def plain(x: object) -> str:
    """One value as a code cell shows it to a reader.

    >>> plain(float("inf")), plain(True), plain(0.054308)
    ('not reached', 'yes', '0.054')
    """
    if isinstance(x, (bool, np.bool_)):
        return "yes" if x else "no"
    if isinstance(x, numbers.Integral):
        return str(int(x))
    if isinstance(x, numbers.Real):
        return formatting.number(x)
    return str(x)


def _pretty(x: Any, printer: Any, cycle: bool) -> None:
    printer.text(plain(x))


def _table_html(obj: Any) -> str | None:
    if isinstance(obj, dict) and not all(_is_cell(v) for v in obj.values()):
        return None
    return tables.show(obj).to_html()


def _is_cell(x: object) -> bool:
    return isinstance(x, (str, numbers.Number, type(None))) or \
        (isinstance(x, (list, tuple)) and all(isinstance(i, (str, numbers.Number)) for i in x))


def install() -> None:
    """Show this kernel's frames, series and dicts as reader tables, and its numbers as a reader expects.

    Examples
    --------
    >>> install()   # outside IPython: nothing to do
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    for kind in (pd.DataFrame, pd.Series, dict):
        formatters["text/html"].for_type(kind, _table_html)
    import numpy as np

    # numpy's scalar types each define their own repr, so each is registered by its exact type
    plain_text = formatters["text/plain"]
    # str keeps its repr: myst-nb's glue reads a glued value back from it (il2lib.pages)
    for kind in (float, bool, np.float64, np.float32, np.int64, np.int32, np.bool_):
        plain_text.for_type(kind, _pretty)
    plain_text.singleton_printers.update({id(True): _pretty, id(False): _pretty})   # IPython prints these first
