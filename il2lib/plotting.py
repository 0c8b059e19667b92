"""The book's figures: house style, response colours and the course-flow diagram.

:func:`set_theme` sets the seaborn-based style every page uses, and
:data:`RESPONSE_COLORS` gives each response state one colour-blind-safe colour.
:func:`plot_course_flow` draws a flow (Sankey) diagram of patients moving
between response states over successive courses, from the links that
:func:`il2lib.courses.links` returns.  Matplotlib and seaborn are imported
inside the functions, so importing :mod:`il2lib` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.patheffects import AbstractPathEffect
    from matplotlib.path import Path

__all__ = ["RESPONSE_COLORS", "GROUP_COLORS", "STATE_ORDER", "set_theme", "plot_course_flow", "plot_km",
           "plot_consort", "shade_not_reached", "plot_response_counts", "HISTOLOGY_COLORS", "plot_forest",
           "plot_follow_up_ranges", "plot_pooled"]

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
_MORE_COLORS = ["#CC79A7", "#56B4E9", "#F0E442", "#999999"]

#: Order of the nodes in each column of the flow diagram, from top to bottom.
STATE_ORDER: list[str] = ["CR", "PR", "MR", "NR", "stopped"]

#: Default vertical gap between nodes, as a fraction of the largest column's patients.
GAP_FRACTION = 0.045
#: Default smallest node or band height, as a fraction of the largest column's patients.
MIN_HEIGHT_FRACTION = 0.015

_NODE_WIDTH = 0.08
_LINK_ALPHA = 0.45
_LABEL_SIZE = 9.5
_LABEL_PAD = 0.05


def set_theme() -> None:
    """Apply the book's plotting style (seaborn ``ticks``, colour-blind palette).

    Axes have no top or right spine, figures are saved tightly cropped at a
    resolution that keeps PNGs small, and SVGs are reproducible (fixed hash
    salt, text kept as text); an SVG's date stamp is not an rc setting, so
    save with ``metadata={"Date": None}`` (or set ``SOURCE_DATE_EPOCH``) for
    byte-identical files.  Calling it again changes nothing.

    Returns
    -------
    None

    Examples
    --------
    >>> set_theme()
    >>> import matplotlib as mpl
    >>> mpl.rcParams["svg.fonttype"]
    'none'
    """
    import seaborn as sns

    sns.set_theme(
        context="notebook",
        style="ticks",
        palette="colorblind",
        font_scale=1.0,
        rc={
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 13,
            "axes.labelsize": 12,
            "xtick.labelsize": 11,
            "ytick.labelsize": 11,
            "legend.fontsize": 11,
            "legend.frameon": False,
            "figure.dpi": 100,
            "savefig.dpi": 120,
            "savefig.bbox": "tight",
            "svg.hashsalt": "il2lib",
            "svg.fonttype": "none",
        },
    )


def _state_rank(state: pd.Series) -> pd.Series:
    """Position of each state in :data:`STATE_ORDER` (0 is the top of a column)."""
    return state.map({name: rank for rank, name in enumerate(STATE_ORDER)})


def _band_width(n: pd.Series, min_height: float) -> pd.Series:
    """Drawn width of each link: its patients, but never less than ``min_height``."""
    return n.clip(lower=min_height)


def _default_spacing(links: pd.DataFrame) -> tuple[float, float]:
    """Default ``(gap, min_height)``, in patients, scaled to the largest column."""
    out_by_course = links.groupby("source_course")["n"].sum()
    in_by_course = links.groupby("target_course")["n"].sum()
    largest = float(max(out_by_course.max(), in_by_course.max()))
    return GAP_FRACTION * largest, MIN_HEIGHT_FRACTION * largest


def _node_sizes(links: pd.DataFrame, min_height: float) -> pd.DataFrame:
    """Patients into and out of every node, and the node's drawn height."""
    widths = links.assign(width=_band_width(links["n"], min_height))
    out = widths.groupby(["source_course", "source_state"])[["n", "width"]].sum()
    out.index = out.index.set_names(["course", "state"])
    into = widths.groupby(["target_course", "target_state"])[["n", "width"]].sum()
    into.index = into.index.set_names(["course", "state"])
    nodes = out.join(into, how="outer", lsuffix="_out", rsuffix="_in").fillna(0).reset_index()
    nodes["n_in"] = nodes["n_in"].astype(int)
    nodes["n_out"] = nodes["n_out"].astype(int)
    nodes["n"] = nodes[["n_in", "n_out"]].max(axis=1)
    nodes["height"] = nodes[["width_in", "width_out"]].max(axis=1).clip(lower=min_height)
    return nodes.drop(columns=["width_in", "width_out"])


def _node_layout(
    links: pd.DataFrame, *, gap: float | None = None, min_height: float | None = None
) -> pd.DataFrame:
    """Position of every node of the flow diagram, in patient units.

    Each course is one column; its nodes are stacked from the top in
    :data:`STATE_ORDER` with ``gap`` between them, and every column hangs from
    the same top line (the tallest column reaches down to ``y = 0``).

    Parameters
    ----------
    links : DataFrame
        Columns ``source_course, source_state, target_course, target_state, n``
        as returned by :func:`il2lib.courses.links`.
    gap : float, optional
        Vertical gap between nodes, in patients.  Default: 4.5% of the largest column.
    min_height : float, optional
        Smallest drawn height of a node or link, in patients, so that a single
        patient stays visible.  Default: 1.5% of the largest column.  With
        ``min_height=0`` every height equals its number of patients.

    Returns
    -------
    DataFrame
        One row per node, top to bottom within each course: ``course, state,
        n_in, n_out, n`` (patients in, out and the node size, the larger of
        the two), ``column`` (0 for course 1), ``bottom`` and ``height``.

    Examples
    --------
    >>> links = pd.DataFrame({"source_course": [1, 1], "source_state": ["PR", "NR"],
    ...                       "target_course": [2, 2], "target_state": ["PR", "stopped"],
    ...                       "n": [3, 5]})
    >>> _node_layout(links, gap=1, min_height=0)[["course", "state", "n", "bottom", "height"]]
       course    state  n  bottom  height
    0       1       PR  3     6.0     3.0
    1       1       NR  5     0.0     5.0
    2       2       PR  3     6.0     3.0
    3       2  stopped  5     0.0     5.0
    """
    default_gap, default_min = _default_spacing(links)
    gap = default_gap if gap is None else gap
    min_height = default_min if min_height is None else min_height
    nodes = _node_sizes(links, min_height)
    nodes = nodes.assign(rank=_state_rank(nodes["state"])).sort_values(["course", "rank"], ignore_index=True)
    nodes["column"] = nodes["course"] - nodes["course"].min()
    depth_below_top = nodes.groupby("course")["height"].cumsum() + gap * nodes.groupby("course").cumcount()
    top = depth_below_top.max()
    nodes["bottom"] = top - depth_below_top
    columns = ["course", "state", "n_in", "n_out", "n", "column", "bottom", "height"]
    return nodes[columns]


def _stack_bands(ends: pd.DataFrame, node_key: list[str], order_key: str, nodes: pd.DataFrame) -> pd.DataFrame:
    """Stack link ends on a node's edge from its top, centred within the node.

    Returns ``ends`` with columns ``y0`` and ``y1`` (bottom and top of each band end).
    """
    ends = ends.assign(rank=_state_rank(ends[order_key])).sort_values([*node_key, "rank"])
    sizes = nodes.set_index(["course", "state"])
    keys = pd.MultiIndex.from_frame(ends[node_key])
    node_top = (sizes["bottom"] + sizes["height"]).reindex(keys).to_numpy()
    node_height = sizes["height"].reindex(keys).to_numpy()
    stacked = ends.groupby(node_key)["width"].cumsum().to_numpy()
    total = ends.groupby(node_key)["width"].transform("sum").to_numpy()
    margin = (node_height - total) / 2
    ends["y0"] = node_top - margin - stacked
    ends["y1"] = ends["y0"] + ends["width"]
    return ends.drop(columns="rank").sort_index()


def _link_layout(links: pd.DataFrame, nodes: pd.DataFrame, min_height: float) -> pd.DataFrame:
    """Where each link leaves its source node and enters its target node.

    Returns
    -------
    DataFrame
        ``links`` with ``width`` and ``source_y0, source_y1, target_y0, target_y1``.
    """
    ends = links.reset_index(drop=True).assign(width=_band_width(links["n"].reset_index(drop=True), min_height))
    source = _stack_bands(ends.rename(columns={"source_course": "course", "source_state": "state"}),
                          ["course", "state"], "target_state", nodes)
    target = _stack_bands(ends.rename(columns={"target_course": "course", "target_state": "state"}),
                          ["course", "state"], "source_state", nodes)
    return ends.assign(source_y0=source["y0"], source_y1=source["y1"],
                       target_y0=target["y0"], target_y1=target["y1"])


def _band_path(x0: float, x1: float, bottom0: float, top0: float, bottom1: float, top1: float) -> Path:
    """Closed path of a smooth band from ``x0`` (between bottom0 and top0) to ``x1``."""
    from matplotlib.path import Path

    mid = (x0 + x1) / 2
    vertices = [
        (x0, top0), (mid, top0), (mid, top1), (x1, top1),
        (x1, bottom1), (mid, bottom1), (mid, bottom0), (x0, bottom0),
        (x0, top0),
    ]
    codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4,
             Path.LINETO, Path.CURVE4, Path.CURVE4, Path.CURVE4,
             Path.CLOSEPOLY]
    return Path(vertices, codes)


def _link_color(link: pd.Series) -> str:
    """Colour of a link: its source state, or grey when it ends in ``stopped``."""
    if link["target_state"] == "stopped":
        return RESPONSE_COLORS["stopped"]
    return RESPONSE_COLORS[link["source_state"]]


def _draw_links(ax: Axes, bands: pd.DataFrame, first_course: int) -> None:
    """Draw each link as a filled band between the facing node edges."""
    from matplotlib.patches import PathPatch

    for _, link in bands.iterrows():
        x0 = link["source_course"] - first_course + _NODE_WIDTH / 2
        x1 = link["target_course"] - first_course - _NODE_WIDTH / 2
        path = _band_path(x0, x1, link["source_y0"], link["source_y1"], link["target_y0"], link["target_y1"])
        ax.add_patch(PathPatch(path, facecolor=_link_color(link), edgecolor="none", alpha=_LINK_ALPHA))


def _draw_nodes(ax: Axes, nodes: pd.DataFrame) -> None:
    """Draw each node as a rectangle centred on its column."""
    from matplotlib.patches import Rectangle

    for _, node in nodes.iterrows():
        corner = (node["column"] - _NODE_WIDTH / 2, node["bottom"])
        ax.add_patch(Rectangle(corner, _NODE_WIDTH, node["height"], facecolor=RESPONSE_COLORS[node["state"]],
                               edgecolor="white", linewidth=0.6))


def _spread_labels(centres: list[float], separation: float) -> list[float]:
    """Move label positions (given top to bottom) down just enough to keep them ``separation`` apart."""
    placed: list[float] = []
    for centre in centres:
        if placed and centre > placed[-1] - separation:
            centre = placed[-1] - separation
        placed.append(centre)
    return placed


def _label_separation(ax: Axes) -> float:
    """Smallest distance between two label centres, in data units, for one line of text."""
    axes_height_points = ax.get_window_extent().height * 72 / ax.figure.dpi
    y_low, y_high = ax.get_ylim()
    return 1.3 * _LABEL_SIZE * (y_high - y_low) / axes_height_points


def _label_side(node: pd.Series) -> str:
    """Which side of its node a label goes: left in the first column (no bands come in), right elsewhere."""
    return "left" if node["column"] == 0 else "right"


def _white_outline() -> AbstractPathEffect:
    """A thin white outline that keeps text legible on top of the bands."""
    from matplotlib import patheffects

    return patheffects.withStroke(linewidth=2.5, foreground="white")


def _draw_labels(ax: Axes, nodes: pd.DataFrame) -> None:
    """Write ``"<state> <n>"`` beside every node, spreading crowded labels apart."""
    separation = _label_separation(ax)
    for _, column in nodes.groupby("column"):
        centres = (column["bottom"] + column["height"] / 2).tolist()
        for (_, node), y in zip(column.iterrows(), _spread_labels(centres, separation)):
            left = _label_side(node) == "left"
            x = node["column"] + (-1 if left else 1) * (_NODE_WIDTH / 2 + _LABEL_PAD)
            ax.text(x, y, f"{node['state']} {node['n']}", ha="right" if left else "left", va="center",
                    fontsize=_LABEL_SIZE, color="0.1", path_effects=[_white_outline()])


def _draw_stage_labels(ax: Axes, nodes: pd.DataFrame, y: float, stage_label: str) -> None:
    """Write a header such as "After course 1" above each column."""
    for column, course in nodes.groupby("column")["course"].first().items():
        ax.text(column, y, stage_label.format(k=course), ha="center", va="bottom", fontsize=_LABEL_SIZE,
                color="0.15")


def plot_course_flow(
    links: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    stage_label: str = "After course {k}",
) -> Axes:
    """Flow (Sankey) diagram of patients moving between response states over courses.

    One column per course holds a node for each response state after that
    course (CR at the top, then PR, MR, NR) and, at the bottom, the patients
    not given that course (``stopped``, who leave the diagram).  Node heights
    and band widths are proportional to patients, except that none is drawn
    thinner than about 1.5% of the largest column so single patients stay
    visible.  Bands take the colour of the state they leave; bands into
    ``stopped`` are grey.

    Parameters
    ----------
    links : DataFrame
        Columns ``source_course, source_state, target_course, target_state, n``
        as returned by :func:`il2lib.courses.links`.
    ax : Axes, optional
        Where to draw; a new figure is made if omitted.
    title : str, optional
        Axes title.
    stage_label : str
        Column header; ``{k}`` is replaced by the course number.

    Returns
    -------
    Axes
        The axes drawn on: one patch per node, then one per link.

    Examples
    --------
    >>> from il2lib import courses, datasets
    >>> t = datasets.load("successive-courses").tables["course_response"]
    >>> ax = plot_course_flow(courses.links(t, "melanoma"), title="Melanoma")
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    gap, min_height = _default_spacing(links)
    nodes = _node_layout(links, gap=gap, min_height=min_height)
    bands = _link_layout(links, nodes, min_height)
    top = (nodes["bottom"] + nodes["height"]).max()
    ax.set_xlim(-0.5, nodes["column"].max() + 0.7)
    ax.set_ylim(-gap / 2, top + 2.5 * gap)
    ax.set_axis_off()
    _draw_nodes(ax, nodes)
    _draw_links(ax, bands, int(nodes["course"].min()))
    _draw_labels(ax, nodes)
    _draw_stage_labels(ax, nodes, top + gap, stage_label)
    if title is not None:
        ax.set_title(title)
    return ax


def plot_km(data: pd.DataFrame, *, duration: str = "time", event: str = "event", group: str = "group",
            ax: Axes | None = None, title: str | None = None, p_value: float | None = None,
            at_risk_times: list[float] | None = None, reconstructed: bool = True,
            time_label: str = "Months from start of HD IL-2", survival_label: str = "Overall survival",
            horizon: float | None = None) -> Axes:
    """Kaplan-Meier curves by group, with censoring marks, medians, log-rank p and numbers at risk.

    Parameters
    ----------
    data : DataFrame
        One row per patient.
    duration, event, group : str
        Column names: follow-up time, 1 for death (0 censored), and group label.
    ax : Axes, optional
        Axes to draw on (a new figure if omitted).
    title : str, optional
    p_value : float, optional
        A log-rank p-value to print on the plot.
    at_risk_times : list of float, optional
        Times at which to count patients at risk under the axis (default: every 12 time units).
    reconstructed : bool, default True
        Label the plot as drawn from reconstructed data, which it must be
        whenever the data are not the trial's own.
    time_label, survival_label : str
        Axis labels.
    horizon : float, optional
        Right end of the time axis (default: the longest time in ``data``).

    Returns
    -------
    Axes
    """
    import matplotlib.pyplot as plt
    from lifelines import KaplanMeierFitter
    from lifelines.plotting import add_at_risk_counts

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    fitters = []
    spare = iter(_MORE_COLORS)
    for label, rows in data.groupby(group, sort=False):
        color = GROUP_COLORS.get(str(label)) or next(spare)
        kmf = KaplanMeierFitter(label=f"{label} (n = {len(rows)})").fit(rows[duration], rows[event])
        kmf.plot_survival_function(ax=ax, ci_show=False, show_censors=True, color=color, linewidth=1.8,
                                   censor_styles={"marker": "|", "ms": 5, "mew": 0.8})
        _mark_median(ax, kmf.median_survival_time_, color)
        fitters.append(kmf)
    horizon = float(data[duration].max()) if horizon is None else horizon
    ticks = at_risk_times if at_risk_times is not None else [t for t in range(0, int(horizon) + 1, 12)]
    ax.set_xlim(0, horizon)
    ax.set_ylim(0, 1.02)
    ax.set_xticks(ticks)
    ax.set_xlabel(time_label)
    ax.set_ylabel(survival_label)
    ax.legend(loc="upper right", frameon=False)
    if p_value is not None:
        ax.text(0.98, 0.62, f"log-rank p = {p_value:.1e}", transform=ax.transAxes, ha="right")
    if reconstructed:
        ax.text(0.01, 0.02, "RECONSTRUCTED data (from published summaries)", transform=ax.transAxes,
                fontsize=8, color="#555555", style="italic")
    if title:
        ax.set_title(title)
    add_at_risk_counts(*fitters, ax=ax, rows_to_show=["At risk"], xticks=ticks)
    return ax


def _mark_median(ax: Axes, median: float, color: str) -> None:
    if median == float("inf"):
        return
    ax.plot([0, median, median], [0.5, 0.5, 0], linestyle=":", color=color, linewidth=1)


def plot_consort(boxes: dict[str, int], *, ax: Axes | None = None) -> Axes:
    """The CONSORT flow of a chart review: reviewed, three exclusions, analysed.

    Parameters
    ----------
    boxes : dict
        Counts for ``reviewed``, ``no_survival``, ``no_survival_no_response``,
        ``no_response`` and ``analysed`` (e.g. from the data's ``consort`` table).
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.2))
    style = {"ha": "center", "va": "center", "fontsize": 10,
             "bbox": {"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": "#333333"}}
    ax.text(0.3, 0.9, f"{boxes['reviewed']} patient charts reviewed", **style)
    exclusions = [("no_survival", "no survival data"), ("no_survival_no_response", "no survival or response data"),
                  ("no_response", "no response data")]
    for i, (key, label) in enumerate(exclusions):
        y = 0.68 - 0.17 * i
        ax.text(0.78, y, f"{boxes[key]} excluded: {label}", **style)
        ax.annotate("", xy=(0.55, y), xytext=(0.3, y), arrowprops={"arrowstyle": "->", "color": "#333333"})
    ax.annotate("", xy=(0.3, 0.16), xytext=(0.3, 0.82), arrowprops={"arrowstyle": "->", "color": "#333333"})
    ax.text(0.3, 0.08, f"{boxes['analysed']} with response and survival data: analysed", **style)
    ax.set_xlim(0, 1.05)
    ax.set_ylim(0, 1)
    ax.axis("off")
    return ax


def shade_not_reached(ax: Axes, *, until: float, label: str, color: str = GROUP_COLORS["after PD-1"]) -> Axes:
    """Shade where a survival curve known only as "median not reached" may lie: above 50% up to ``until``.

    Use it instead of drawing a curve that nothing printed supports.

    Returns
    -------
    Axes
    """
    ax.fill_between([0, until], [0.5, 0.5], [1, 1], color=color, alpha=0.18, linewidth=0, label=label)
    ax.legend(loc="upper right", frameon=False)
    return ax


def plot_response_counts(counts: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Patients by response at two assessments (e.g. initial and best overall), side by side.

    Parameters
    ----------
    counts : DataFrame
        Columns ``assessment``, ``response`` and ``n``.
    ax : Axes, optional
    title : str, optional

    Returns
    -------
    Axes
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    order = [s for s in ["CR", "PR", "SD", "PD"] if s in set(counts["response"])]
    sns.barplot(counts, x="response", y="n", hue="assessment", order=order, ax=ax, palette=["#BBBBBB", "#0072B2"])
    for bars in ax.containers:
        ax.bar_label(bars, fontsize=9)
    ax.set_xlabel("Response")
    ax.set_ylabel("Patients")
    ax.legend(title=None, frameon=False)
    if title:
        ax.set_title(title)
    return ax


#: Marker colour of each histology in summary plots.
HISTOLOGY_COLORS = {"melanoma": "#0173B2", "renal_cell": "#DE8F05", "both": "#555555"}
_HISTOLOGY_NAMES = {"melanoma": "Melanoma", "renal_cell": "Renal cell", "both": "Both histologies"}


def plot_forest(rates: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Response rates with exact 95% intervals, one row per source and histology, grouped by histology.

    Parameters
    ----------
    rates : DataFrame
        Output of :func:`il2lib.response.with_intervals`.  Where the
        responders are a range of counts (recovered from printed shares), the
        point is hollow and a thick bar spans the possible rates.
    ax : Axes, optional
    title : str, optional

    Returns
    -------
    Axes
    """
    import matplotlib.pyplot as plt

    order = list(HISTOLOGY_COLORS)
    frame = rates.assign(_rank=rates["histology"].map(order.index)).sort_values(["_rank"], kind="stable")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.45 * len(frame) + 1.2))
    positions = list(range(len(frame)))[::-1]
    for y, row in zip(positions, frame.itertuples()):
        color = HISTOLOGY_COLORS[row.histology]
        recovered = row.responders_low != row.responders_high
        ax.plot([100 * row.ci_low, 100 * row.ci_high], [y, y], color=color, linewidth=1.4)
        if recovered:
            ax.plot([100 * row.estimate_low, 100 * row.estimate_high], [y, y], color=color, linewidth=5,
                    solid_capstyle="butt", alpha=0.5)
        ax.plot(100 * row.estimate, y, "o", color=color, markerfacecolor="white" if recovered else color,
                markersize=6)
        counts = (f"{row.responders_low}/{row.patients}" if not recovered else
                  f"{row.responders_low}-{row.responders_high}/{row.patients}")
        ax.text(1.01, y, counts, transform=ax.get_yaxis_transform(), va="center", fontsize=9)
    ax.set_yticks(positions)
    ax.set_yticklabels(list(frame["source"]), fontsize=9)
    ax.set_xlim(0, max(50.0, 100 * float(frame["ci_high"].max()) + 5))
    ax.set_xlabel("Objective response rate, % (exact 95% CI)")
    handles = [plt.Line2D([], [], marker="o", color=c, linestyle="", label=_HISTOLOGY_NAMES[h])
               for h, c in HISTOLOGY_COLORS.items() if h in set(frame["histology"])]
    handles.append(plt.Line2D([], [], marker="o", color="#555555", markerfacecolor="white", linestyle="",
                              label="count recovered from printed shares"))
    ax.legend(handles=handles, loc="lower right", frameon=False, fontsize=9)
    if title:
        ax.set_title(title)
    return ax


def plot_pooled(pooled: pd.DataFrame, *, ax: Axes | None = None, measure: str = "Objective response rate"
                ) -> Axes:
    """Random-effects pooled rates per histology as diamonds spanning their 95% CI.

    Parameters
    ----------
    pooled : DataFrame
        Output of :func:`il2lib.synthesis.pooled` (indexed by histology).
    ax : Axes, optional
    measure : str
        What the rate measures, for the axis label.

    Returns
    -------
    Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.5 * len(pooled) + 1.2))
    positions = list(range(len(pooled)))[::-1]
    for y, (histology, row) in zip(positions, pooled.iterrows()):
        low, mid, high = 100 * row["ci_low"], 100 * row["pooled"], 100 * row["ci_high"]
        ax.fill([low, mid, high, mid], [y, y + 0.25, y, y - 0.25], color=HISTOLOGY_COLORS[histology])
        ax.text(1.01, y, f"I² {100 * row['i2']:.0f}%", transform=ax.get_yaxis_transform(), va="center", fontsize=9)
    ax.set_yticks(positions)
    ax.set_yticklabels([f"{_HISTOLOGY_NAMES[h]}: pooled, {int(r['cohorts'])} cohorts" for h, r in pooled.iterrows()],
                       fontsize=9)
    ax.set_ylim(-0.7, len(pooled) - 0.3)
    ax.set_xlim(0, max(50.0, 100 * float(pooled["ci_high"].max()) + 5))
    ax.set_xlabel(f"{measure}, % (random effects, 95% CI)")
    return ax


def plot_follow_up_ranges(follow_up: pd.DataFrame, *, ax: Axes | None = None, threshold: float | None = None
                          ) -> Axes:
    """Shortest-to-longest follow-up by group, with the median, for summaries printed as ranges.

    Parameters
    ----------
    follow_up : DataFrame
        Indexed by histology, with columns ``shortest``, ``median``,
        ``longest`` (years) and ``patients``; optionally ``alive beyond threshold``
        (patients alive beyond ``threshold`` years).
    ax : Axes, optional
    threshold : float, optional
        A time to mark with a dotted line (e.g. the 10 years of a printed count).

    Returns
    -------
    Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 2.6))
    for y, (histology, row) in enumerate(follow_up.iloc[::-1].iterrows()):
        color = HISTOLOGY_COLORS.get(str(histology), "#555555")
        ax.plot([row["shortest"], row["longest"]], [y, y], color=color, linewidth=8, alpha=0.35,
                solid_capstyle="butt")
        ax.annotate("", xy=(row["longest"] + 1.2, y), xytext=(row["longest"], y),
                    arrowprops={"arrowstyle": "->", "color": color, "lw": 1.4})
        ax.plot(row["median"], y, "D", color=color, markersize=8)
        ax.text(row["median"], y + 0.28, f"median {row['median']:g}+", ha="center", fontsize=9)
        label = f"{_HISTOLOGY_NAMES.get(str(histology), histology)} (n = {int(row['patients'])})"
        if "alive beyond threshold" in row and threshold is not None:
            label += f"\n{int(row['alive beyond threshold'])} alive > {threshold:g} years"
        ax.text(-0.01, y, label, transform=ax.get_yaxis_transform(), ha="right", va="center", fontsize=10)
    if threshold is not None:
        ax.axvline(threshold, color="#777777", linestyle=":", linewidth=1)
    ax.set_yticks([])
    ax.set_ylim(-0.6, len(follow_up) - 0.3)
    ax.set_xlim(0, float(follow_up["longest"].max()) + 3)
    ax.set_xlabel("Years from HD IL-2 (every value printed with '+': still being followed)")
    ax.spines["left"].set_visible(False)
    return ax
