"""The book's house style: colours, sizes and :func:`set_theme`."""

from __future__ import annotations

__all__ = ["RESPONSE_COLORS", "GROUP_COLORS", "HISTOLOGY_COLORS", "HISTOLOGY_NAMES", "MORE_COLORS",
           "FIGURE_WIDTH", "NOTE_SIZE", "set_theme"]

#: Colour of each response state (Okabe-Ito palette): blues for objective
#: responses, dark for CR and light for PR; light grey for patients who stopped.
RESPONSE_COLORS: dict[str, str] = {
    "CR": "#0072B2",
    "PR": "#56B4E9",
    "MR": "#CC79A7",
    "NR": "#E69F00",
    "stopped": "#BDBDBD",
}

#: Colour of each survival group of a Kaplan-Meier figure (Okabe-Ito; unlisted groups cycle through the rest).
GROUP_COLORS: dict[str, str] = {
    "CR+PR": "#0072B2",
    "Objective response": "#0072B2",
    "SD": "#009E73",
    "Disease control": "#009E73",
    "PD": "#D55E00",
    "No objective response": "#E69F00",
    "All patients": "#000000",
    "true": "#000000",
    "reconstructed": "#E69F00",
    "after PD-1": "#CC79A7",
    "IL-2 alone": "#0072B2",
}
#: Colours for groups that :data:`GROUP_COLORS` does not name, in order of use.
MORE_COLORS = ["#CC79A7", "#56B4E9", "#F0E442", "#999999"]

#: Marker colour of each histology in summary plots, and its name in labels.
HISTOLOGY_COLORS = {"melanoma": "#0173B2", "renal_cell": "#DE8F05", "both": "#555555"}
HISTOLOGY_NAMES = {"melanoma": "Melanoma", "renal_cell": "Renal cell", "both": "Both histologies"}

#: Width of a full-width figure, in inches: with the crop margin it stays inside the site's 672 px
#: content column at 96 px per inch (see :data:`il2lib.plotting.layout.CONTENT_COLUMN_PX`), so
#: text is shown at its own size.
FIGURE_WIDTH = 6.8
#: Size of small annotations (notes, counts), in points; the smallest text the book draws.
NOTE_SIZE = 10

_RC = {
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "legend.frameon": False,
    "figure.figsize": (FIGURE_WIDTH, 4.4),
    "figure.dpi": 96,                 # one figure inch = one CSS inch of the page
    "figure.constrained_layout.use": True,
    "savefig.dpi": 192,               # twice the display resolution: sharp on phones and retina screens
    "savefig.bbox": "tight",
    "svg.hashsalt": "il2lib",
    "svg.fonttype": "none",
}


def set_theme() -> None:
    """Apply the book's plotting style, and in a notebook check every figure it shows.

    Seaborn ``ticks`` style with the colour-blind palette; no top or right
    spine; text of 10 pt and more; figures 6.8 inches wide, laid out by
    matplotlib's constrained layout, shown at 96 px per inch and saved at
    twice that.  SVGs are reproducible (fixed hash salt, text kept as text);
    an SVG's date stamp is not an rc setting, so save with
    ``metadata={"Date": None}`` for byte-identical files.

    Inside IPython (every page of the book), it also shows figures as PNGs at
    twice their display resolution and checks each figure shown with
    :func:`~il2lib.plotting.layout.layout_problems`: a figure with a problem
    fails its cell, and so the book's build (see :mod:`il2lib.plotting.notebook`).
    Calling it again changes nothing.

    Returns
    -------
    None

    Examples
    --------
    >>> set_theme()
    >>> import matplotlib as mpl
    >>> mpl.rcParams["savefig.dpi"], mpl.rcParams["figure.dpi"]
    (192.0, 96.0)
    """
    import seaborn as sns

    from il2lib.plotting import notebook

    sns.set_theme(context="notebook", style="ticks", palette="colorblind", font_scale=1.0, rc=_RC)
    notebook.install()
