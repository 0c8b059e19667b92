"""The course-flow (Sankey) diagram: patients moving between response states over successive courses.

:func:`plot_course_flow` draws it from the links that :func:`il2lib.courses.links`
returns.  Each node's label sits beside it in a lane that its outgoing bands
start after, so no label lies on a band.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from il2lib.plotting.theme import FIGURE_WIDTH, NOTE_SIZE, RESPONSE_COLORS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.path import Path
    from matplotlib.text import Text

__all__ = ["STATE_ORDER", "GAP_FRACTION", "MIN_HEIGHT_FRACTION", "plot_course_flow"]

#: Order of the nodes in each column of the flow diagram, from top to bottom.
STATE_ORDER: list[str] = ["CR", "PR", "MR", "NR", "stopped"]

#: Default vertical gap between nodes, as a fraction of the largest column's patients.
GAP_FRACTION = 0.045
#: Default smallest node or band height, as a fraction of the largest column's patients.
MIN_HEIGHT_FRACTION = 0.015

_NODE_WIDTH = 0.08
_LINK_ALPHA = 0.45
_LABEL_SIZE = NOTE_SIZE
_LABEL_PAD = 0.04
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


def _draw_links(ax: Axes, bands: pd.DataFrame, first_course: int, lanes: dict[int, float]) -> None:
    """Draw each link as a filled band from just after its source's label lane to its target node."""
    from matplotlib.patches import PathPatch

    for _, link in bands.iterrows():
        column = link["source_course"] - first_course
        x0 = column + _NODE_WIDTH / 2 + lanes.get(column, 0.0)
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
    return 1.35 * _LABEL_SIZE * (y_high - y_low) / axes_height_points


def _label_side(node: pd.Series) -> str:
    """Which side of its node a label goes: left in the first column (no bands come in), right elsewhere."""
    return "left" if node["column"] == 0 else "right"


def _draw_labels(ax: Axes, nodes: pd.DataFrame) -> dict[int, list[Text]]:
    """Write ``"<state> <n>"`` beside every node, spreading crowded labels apart.

    Returns the labels, by column, of the nodes that bands leave from.
    """
    separation = _label_separation(ax)
    labels: dict[int, list[Text]] = {}
    for column_number, column in nodes.groupby("column"):
        centres = (column["bottom"] + column["height"] / 2).tolist()
        for (_, node), y in zip(column.iterrows(), _spread_labels(centres, separation)):
            left = _label_side(node) == "left"
            x = node["column"] + (-1 if left else 1) * (_NODE_WIDTH / 2 + _LABEL_PAD)
            text = ax.text(x, y, f"{node['state']} {node['n']}", ha="right" if left else "left", va="center",
                           fontsize=_LABEL_SIZE, color="0.1")
            if node["n_out"] > 0:
                labels.setdefault(int(column_number), []).append(text)
    return labels


def _label_lanes(ax: Axes, labels: dict[int, list[Text]]) -> dict[int, float]:
    """Width, in data units, that the labels right of each column's nodes need before a band may start.

    Only labels of nodes that bands leave count: a ``stopped`` node's label sits below the bands.
    """
    fig = ax.get_figure(root=True)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    to_data = ax.transData.inverted()
    lanes = {}
    for column, texts in labels.items():
        if column == 0:
            continue
        right = max(to_data.transform(text.get_window_extent(renderer))[1, 0] for text in texts)
        lanes[column] = right - (column + _NODE_WIDTH / 2) + _LABEL_PAD
    return lanes


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
    ``stopped`` are grey.  Labels sit left of the first column and right of
    the others, in a lane the bands start after.

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
    >>> from il2lib.plotting.layout import layout_problems
    >>> t = datasets.load("successive-courses").tables["course_response"]
    >>> ax = plot_course_flow(courses.links(t, "melanoma"), title="Melanoma")
    >>> layout_problems(ax.figure)
    []
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4.6), layout="constrained")
    gap, min_height = _default_spacing(links)
    nodes = _node_layout(links, gap=gap, min_height=min_height)
    bands = _link_layout(links, nodes, min_height)
    top = (nodes["bottom"] + nodes["height"]).max()
    ax.set_xlim(-0.55, nodes["column"].max() + 0.75)
    ax.set_ylim(-gap / 2, top + 2.5 * gap)
    ax.set_axis_off()
    if title is not None:
        ax.set_title(title)
    _draw_nodes(ax, nodes)
    _draw_stage_labels(ax, nodes, top + gap, stage_label)
    lanes = _label_lanes(ax, _draw_labels(ax, nodes))
    _draw_links(ax, bands, int(nodes["course"].min()), lanes)
    return ax
