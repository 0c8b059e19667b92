"""The book's figures: house style, the figures themselves, and a check that each one is readable.

* :mod:`~il2lib.plotting.theme`: :func:`set_theme` and the colours
  (:data:`RESPONSE_COLORS`, :data:`GROUP_COLORS`, :data:`HISTOLOGY_COLORS`);
* :mod:`~il2lib.plotting.flow`: :func:`plot_course_flow`, the course-flow (Sankey) diagram;
* :mod:`~il2lib.plotting.km`: :func:`plot_km` and :func:`shade_not_reached`, Kaplan–Meier figures;
* :mod:`~il2lib.plotting.summary`: :func:`plot_response_counts`, :func:`plot_forest`,
  :func:`plot_pooled`, :func:`plot_follow_up_ranges`;
* :mod:`~il2lib.plotting.consort`: :func:`plot_consort`;
* :mod:`~il2lib.plotting.placement`: :func:`place_legend`, :func:`place_note`, labels put where they
  cover nothing;
* :mod:`~il2lib.plotting.layout`: :func:`layout_problems`, which every figure the book shows must pass
  (:mod:`~il2lib.plotting.notebook` fails the page's cell otherwise).

Matplotlib and seaborn are imported inside the functions, so importing :mod:`il2lib` stays light.
"""

from il2lib.plotting.consort import plot_consort
from il2lib.plotting.flow import GAP_FRACTION, MIN_HEIGHT_FRACTION, STATE_ORDER, plot_course_flow
from il2lib.plotting.km import RECONSTRUCTED_NOTE, plot_km, shade_not_reached, time_ticks
from il2lib.plotting.layout import CONTENT_COLUMN_PX, MIN_DISPLAYED_PT, layout_problems
from il2lib.plotting.notebook import FigureLayoutError
from il2lib.plotting.placement import place_legend, place_note
from il2lib.plotting.summary import plot_follow_up_ranges, plot_forest, plot_pooled, plot_response_counts
from il2lib.plotting.theme import (FIGURE_WIDTH, GROUP_COLORS, HISTOLOGY_COLORS, HISTOLOGY_NAMES, NOTE_SIZE,
                                   RESPONSE_COLORS, set_theme)

__all__ = ["RESPONSE_COLORS", "GROUP_COLORS", "HISTOLOGY_COLORS", "HISTOLOGY_NAMES", "STATE_ORDER", "FIGURE_WIDTH",
           "NOTE_SIZE", "RECONSTRUCTED_NOTE", "CONTENT_COLUMN_PX", "MIN_DISPLAYED_PT", "GAP_FRACTION", "MIN_HEIGHT_FRACTION",
           "set_theme", "plot_course_flow", "plot_km", "shade_not_reached", "time_ticks", "plot_consort",
           "plot_response_counts", "plot_forest", "plot_pooled", "plot_follow_up_ranges", "place_legend",
           "place_note", "layout_problems", "FigureLayoutError"]
