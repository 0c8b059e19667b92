"""Sphinx extension for how pages look: the book's stylesheet and scripts, and numbered tables.

Loaded by :mod:`il2lib.sphinxext`.  It

* serves ``chapters/_static/il2.css`` and ``il2.js`` on every page (reader tables, dark mode, working
  sidebar toggles, filters for long tables);
* numbers the tables that code cells show, in one sequence with the book's other tables.  A cell
  names its table as it would a figure, with a name that starts with ``tab-``::

      ---
      mystnb:
        figure:
          name: tab-sd-table1
          caption: Demographics and first response, published beside reproduced (the paper's Table 1).
      ---

  myst-nb wraps the output in a figure; this extension turns every such figure into a
  :class:`numbered_table`, which Sphinx numbers as a table ("Table 4") and which
  ``{numref}`tab-sd-table1``` cites.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform
from sphinx.writers.html5 import HTML5Translator

__all__ = ["numbered_table", "TABLE_PREFIX", "setup"]

#: Names of figure-wrapped cell outputs that are tables, not figures, start with this.
TABLE_PREFIX = "tab-"
_STATIC = ("chapters", "_static")


class numbered_table(nodes.figure):  # noqa: N801 - docutils names node classes in lower case
    """A table shown by a code cell, with its caption; numbered as a table.

    The HTML keeps the figure's order (table, then caption: the theme's ``<figcaption>`` closes only
    at the end of the figure); the stylesheet shows the caption above the table, as tables have it.
    """


class _TablesFromOutputs(SphinxTransform):
    """Turn the figures that wrap a table output (names starting ``tab-``) into numbered tables."""

    default_priority = 200

    def apply(self, **kwargs) -> None:
        for figure in list(self.document.findall(nodes.figure)):
            if type(figure) is nodes.figure and any(n.startswith(TABLE_PREFIX) for n in figure["names"]):
                table = _as_table(figure)
                figure.replace_self(table)
                for node_id in table["ids"]:   # {numref} finds its target through the document's ids
                    self.document.ids[node_id] = table


def _as_table(figure: nodes.figure) -> numbered_table:
    table = numbered_table(figure.rawsource, **figure.attributes)
    table["classes"] = [*figure["classes"], "il2-numbered-table"]
    table.extend(figure.children)
    return table


def _serve_static_files(app: Sphinx, config: Config) -> None:
    config.html_static_path.append(str(Path(app.srcdir).joinpath(*_STATIC)))


def setup(app: Sphinx) -> dict:
    """Register the stylesheet, the script and numbered tables (Sphinx entry point)."""
    app.connect("config-inited", _serve_static_files)
    app.add_css_file("il2.css")
    app.add_js_file("il2.js")
    app.add_enumerable_node(numbered_table, "table",   # drawn as the figure it is, numbered as a table
                            html=(HTML5Translator.visit_figure, HTML5Translator.depart_figure))
    app.add_transform(_TablesFromOutputs)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
