"""Summary figures: response counts, forest plots of rates, pooled rates and follow-up ranges."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from il2lib.plotting.placement import place_legend
from il2lib.plotting.theme import FIGURE_WIDTH, HISTOLOGY_COLORS, HISTOLOGY_NAMES, NOTE_SIZE

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_response_counts", "plot_forest", "plot_pooled", "plot_follow_up_ranges"]

_LEGEND_LINE_POINTS = 1.45 * NOTE_SIZE


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

    Examples
    --------
    >>> from il2lib.plotting.layout import layout_problems
    >>> counts = pd.DataFrame({"assessment": ["first", "best"] * 2, "response": ["PR", "PR", "PD", "PD"],
    ...                        "n": [3, 5, 17, 16]})
    >>> layout_problems(plot_response_counts(counts).figure)
    []
    """
    import matplotlib.pyplot as plt
    import seaborn as sns
    from matplotlib.ticker import MaxNLocator

    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH / 2, 3.4), layout="constrained")
    order = [s for s in ["CR", "PR", "SD", "PD"] if s in set(counts["response"])]
    sns.barplot(counts, x="response", y="n", hue="assessment", order=order, ax=ax, palette=["#BBBBBB", "#0072B2"])
    for bars in ax.containers:
        ax.bar_label(bars, fontsize=NOTE_SIZE, padding=2)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.set_ylim(0, max(1.45 * float(counts["n"].max()), ax.get_ylim()[1]))   # room for the legend; never lower
    ax.set_xlabel("Response")
    ax.set_ylabel("Patients")
    if title:
        ax.set_title(title)
    place_legend(ax, title=None)
    return ax


def plot_forest(rates: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Response rates with exact 95% intervals, one row per source and histology, grouped by histology.

    The legend sits above the axes, where it cannot cover a row; counts are printed right of the axes.

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
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 0.42 * len(frame) + 1.8), layout="constrained")
    positions = list(range(len(frame)))[::-1]
    for y, row in zip(positions, frame.itertuples()):
        _draw_rate(ax, y, row)
    ax.set_yticks(positions, labels=list(frame["source"]), fontsize=NOTE_SIZE)
    ax.set_ylim(-0.6, len(frame) - 0.4)
    ax.set_xlim(0, max(50.0, 100 * float(frame["ci_high"].max()) + 5))
    ax.set_xlabel("Objective response rate, % (exact 95% CI)")
    _legend_above(ax, _forest_handles(frame), title)
    return ax


def _draw_rate(ax: Axes, y: float, row) -> None:
    """One row of a forest plot: interval, possible range of a recovered count, point, and the count."""
    color = HISTOLOGY_COLORS[row.histology]
    recovered = row.responders_low != row.responders_high
    ax.plot([100 * row.ci_low, 100 * row.ci_high], [y, y], color=color, linewidth=1.4)
    if recovered:
        ax.plot([100 * row.estimate_low, 100 * row.estimate_high], [y, y], color=color, linewidth=5,
                solid_capstyle="butt", alpha=0.5)
    ax.plot(100 * row.estimate, y, "o", color=color, markerfacecolor="white" if recovered else color, markersize=6)
    counts = (f"{row.responders_low}/{row.patients}" if not recovered else
              f"{row.responders_low}-{row.responders_high}/{row.patients}")
    ax.text(1.01, y, counts, transform=ax.get_yaxis_transform(), va="center", fontsize=NOTE_SIZE)


def _forest_handles(frame: pd.DataFrame) -> list:
    import matplotlib.pyplot as plt

    handles = [plt.Line2D([], [], marker="o", color=c, linestyle="", label=HISTOLOGY_NAMES[h])
               for h, c in HISTOLOGY_COLORS.items() if h in set(frame["histology"])]
    handles.append(plt.Line2D([], [], marker="o", color="#555555", markerfacecolor="white", linestyle="",
                              label="count recovered from printed shares"))
    return handles


def _legend_above(ax: Axes, handles: list, title: str | None) -> None:
    """A legend in two columns above the axes, flush right (it may reach over the tick labels' margin, never
    past the axes' right edge); a title, if any, above the legend."""
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1, 1.01), ncols=2, borderaxespad=0,
              fontsize=NOTE_SIZE, handletextpad=0.3, columnspacing=1.2)
    if title:
        rows = (len(handles) + 1) // 2
        ax.set_title(title, pad=rows * _LEGEND_LINE_POINTS + 10)


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
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 0.5 * len(pooled) + 1.2), layout="constrained")
    positions = list(range(len(pooled)))[::-1]
    for y, (histology, row) in zip(positions, pooled.iterrows()):
        low, mid, high = 100 * row["ci_low"], 100 * row["pooled"], 100 * row["ci_high"]
        ax.fill([low, mid, high, mid], [y, y + 0.25, y, y - 0.25], color=HISTOLOGY_COLORS[histology])
        ax.text(1.01, y, f"I² {100 * row['i2']:.0f}%", transform=ax.get_yaxis_transform(), va="center",
                fontsize=NOTE_SIZE)
    labels = [f"{HISTOLOGY_NAMES[h]}: pooled, {int(r['cohorts'])} cohorts" for h, r in pooled.iterrows()]
    ax.set_yticks(positions, labels=labels, fontsize=NOTE_SIZE)
    ax.set_ylim(-0.7, len(pooled) - 0.3)
    shared = [other.get_xlim()[1] for other in ax.get_shared_x_axes().get_siblings(ax) if other is not ax]
    ax.set_xlim(0, max(50.0, 100 * float(pooled["ci_high"].max()) + 5, *shared))   # never narrower than a shared forest
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
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 2.8), layout="constrained")
    for y, (histology, row) in enumerate(follow_up.iloc[::-1].iterrows()):
        _draw_follow_up(ax, y, str(histology), row, threshold)
    if threshold is not None:
        ax.axvline(threshold, color="#777777", linestyle=":", linewidth=1)
    ax.set_yticks([])
    ax.set_ylim(-0.6, len(follow_up) - 0.3)
    ax.set_xlim(0, float(follow_up["longest"].max()) + 3)
    ax.set_xlabel("Years from HD IL-2 ('+': still being followed)")
    ax.spines["left"].set_visible(False)
    return ax


def _draw_follow_up(ax: Axes, y: float, histology: str, row: pd.Series, threshold: float | None) -> None:
    """One group: its range as a bar with an arrow (follow-up goes on), its median, and its label on the left."""
    color = HISTOLOGY_COLORS.get(histology, "#555555")
    ax.plot([row["shortest"], row["longest"]], [y, y], color=color, linewidth=8, alpha=0.35, solid_capstyle="butt")
    ax.annotate("", xy=(row["longest"] + 1.2, y), xytext=(row["longest"], y),
                arrowprops={"arrowstyle": "->", "color": color, "lw": 1.4})
    ax.plot(row["median"], y, "D", color=color, markersize=8)
    ax.annotate(f"median {row['median']:g}+", xy=(row["median"], y), xytext=(6, 7), textcoords="offset points",
                ha="left", va="bottom", fontsize=NOTE_SIZE)
    label = f"{HISTOLOGY_NAMES.get(histology, histology)} (n = {int(row['patients'])})"
    if "alive beyond threshold" in row and threshold is not None:
        label += f"\n{int(row['alive beyond threshold'])} alive > {threshold:g} years"
    ax.text(-0.01, y, label, transform=ax.get_yaxis_transform(), ha="right", va="center", fontsize=NOTE_SIZE)
