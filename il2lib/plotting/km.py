"""Kaplan–Meier figures: curves that end at their last time, medians, numbers at risk, labels off the data."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from il2lib.formatting import p_value as journal_p
from il2lib.plotting.placement import arrange, place_legend, place_note
from il2lib.plotting.theme import FIGURE_WIDTH, GROUP_COLORS, MORE_COLORS, NOTE_SIZE

if TYPE_CHECKING:
    from collections.abc import Mapping

    from matplotlib.axes import Axes
    from matplotlib.patches import Patch

    from il2lib.reconstruction import Band

__all__ = ["plot_km", "shade_not_reached", "time_ticks", "add_at_risk_table", "curve_steps", "band_handle",
           "RECONSTRUCTED_NOTE", "BAND_LABEL"]

#: The label every figure drawn from reconstructed data carries inside its axes.
RECONSTRUCTED_NOTE = "RECONSTRUCTED data\n(from published summaries)"
#: The legend entry of the shaded bands (:func:`plot_km` with ``bands``).
BAND_LABEL = "shaded: range the\nprinted numbers allow"
_BAND_ALPHA = 0.14
_TICK_STEPS = [1, 2, 3, 6, 12, 24, 36, 48, 60, 120, 240, 500, 1000]
_INCHES_PER_TICK = 0.6


def plot_km(data: pd.DataFrame, *, duration: str = "time", event: str = "event", group: str = "group",
            ax: Axes | None = None, title: str | None = None, p_value: float | None = None,
            at_risk_times: list[float] | None = None, reconstructed: bool = True,
            time_label: str = "Months from start of HD IL-2", survival_label: str = "Overall survival",
            horizon: float | None = None, show_ci: bool = False, legend: bool = True,
            bands: Mapping[str, Band] | None = None) -> Axes:
    """Kaplan-Meier curves by group, with censoring marks, medians, log-rank p and numbers at risk.

    Each curve ends at its group's last time: when the last patient followed dies, the estimate falls
    to zero there, but no drop is drawn (it would read as everyone dying at once), and no median
    guide is drawn for a median that only that last death reaches.  The legend, and the label
    saying the data are reconstructed, go where they cover no curve.

    With ``bands``, each group's band (:func:`il2lib.reconstruction.band`: every curve its printed
    numbers allow) is shaded lightly behind its curve, in the group's colour, up to the band's end;
    the legend gains one grey entry, :data:`BAND_LABEL`, for all of them.  Where the shading is narrow
    the printed numbers pin the curve; where it is wide the curve drawn is one choice among many.

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
        A log-rank p-value, printed as the legend's title.
    at_risk_times : list of float, optional
        Times of the ticks and of the numbers at risk (default: :func:`time_ticks`).
    reconstructed : bool, default True
        Label the plot as drawn from reconstructed data, which it must be
        whenever the data are not the trial's own.
    time_label, survival_label : str
        Axis labels.
    horizon : float, optional
        Right end of the time axis (default: the longest time in ``data``).
    show_ci : bool, default False
        Also draw each curve's 95% pointwise band and, dashed, the limits of its median's interval.
    legend : bool, default True
        Place a legend (its title is the p-value); leave it out when panels share a figure legend
        (add :func:`band_handle` to that legend if the panels have bands).
    bands : mapping of str to Band, optional
        The band of each group, by group label; groups without one get no shading.

    Returns
    -------
    Axes

    Examples
    --------
    >>> frame = pd.DataFrame({"time": [1, 2, 3, 4, 5, 6], "event": [1, 0, 1, 1, 0, 1], "group": ["A"] * 6})
    >>> ax = plot_km(frame, reconstructed=False)
    >>> round(float(ax.lines[0].get_ydata()[-1]), 2)   # the last patient dies at t = 6: no drop to 0 drawn
    0.42
    >>> from il2lib.reconstruction import GroupSummary, band
    >>> allowed = band(GroupSummary("A", 6, "5.0", max_follow_up=6.0))
    >>> ax = plot_km(frame, reconstructed=False, bands={"A": allowed})
    >>> len(ax.collections)                             # one shaded band behind the curve
    1
    """
    import matplotlib.pyplot as plt
    from lifelines import KaplanMeierFitter

    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4.6), layout="constrained")
    horizon = float(data[duration].max()) if horizon is None else horizon
    spare = iter(MORE_COLORS)
    bands = bands or {}
    rows = []
    for label, patients in data.groupby(group, sort=False):
        colour = GROUP_COLORS.get(str(label)) or next(spare)
        if str(label) in bands:
            _draw_band(ax, bands[str(label)], colour)
        fitter = KaplanMeierFitter().fit(patients[duration], patients[event], label=f"{label} (n = {len(patients)})")
        _draw_curve(ax, fitter, colour, show_ci)
        rows.append((str(label), fitter, colour))
    ticks = at_risk_times if at_risk_times is not None else time_ticks(horizon, ax)
    _format_axes(ax, horizon, ticks, time_label, survival_label, title)
    add_at_risk_table(ax, rows, ticks)
    if legend:
        handles, labels = ax.get_legend_handles_labels()
        if any(str(label) in bands for label, _, _ in rows):
            handles, labels = [*handles, band_handle()], [*labels, BAND_LABEL]
        place_legend(ax, handles=handles, labels=labels, alignment="left",
                     title=_p_title(p_value) if p_value is not None else None, now=not reconstructed)
    if reconstructed:
        place_note(ax, RECONSTRUCTED_NOTE, color="#444444", style="italic")
    return ax


def _format_axes(ax: Axes, horizon: float, ticks: list[float], time_label: str, survival_label: str,
                 title: str | None) -> None:
    ax.set_xlim(0, horizon)
    ax.set_ylim(0, 1.02)
    ax.set_xticks(ticks)
    ax.set_xlabel(time_label)
    ax.set_ylabel(survival_label)
    if title:
        ax.set_title(title)


def curve_steps(fitter) -> tuple[np.ndarray, np.ndarray]:
    """Times and survival of a fitted curve as drawn: up to its last time, without a final drop to zero.

    Examples
    --------
    >>> from lifelines import KaplanMeierFitter
    >>> times, survival = curve_steps(KaplanMeierFitter().fit([1, 2, 3], [0, 1, 1]))
    >>> times.tolist(), survival.round(2).tolist()
    ([0.0, 1.0, 2.0, 3.0], [1.0, 1.0, 0.5, 0.5])
    """
    curve = fitter.survival_function_.iloc[:, 0]
    times, survival = curve.index.to_numpy(dtype=float), curve.to_numpy(dtype=float).copy()
    if len(survival) > 1 and survival[-1] == 0:
        survival[-1] = survival[-2]
    return times, survival


def _draw_curve(ax: Axes, fitter, colour: str, show_ci: bool) -> None:
    times, survival = curve_steps(fitter)
    ax.plot(times, survival, drawstyle="steps-post", color=colour, linewidth=1.8, label=fitter.label)
    censored = fitter.event_table.index[fitter.event_table["censored"].to_numpy() > 0].to_numpy(dtype=float)
    marks = survival[np.searchsorted(times, censored)]
    ax.plot(censored, marks, linestyle="None", marker="|", markersize=5, markeredgewidth=0.8, color=colour)
    if show_ci:
        band = fitter.confidence_interval_.to_numpy().copy()
        if len(band) > 1 and fitter.survival_function_.iloc[-1, 0] == 0:
            band[-1] = band[-2]     # the band ends with its curve
        ax.fill_between(times, band[:, 0], band[:, 1], step="post", color=colour, alpha=0.25, linewidth=0)
    _mark_median(ax, fitter, times, survival, colour, show_ci)


def _draw_band(ax: Axes, allowed: Band, colour: str) -> None:
    """Shade a band lightly behind the curves (their zorder is 2), without an edge or a legend entry."""
    times, lower, upper = allowed.steps()
    ax.fill_between(times, lower, upper, step="post", color=colour, alpha=_BAND_ALPHA, linewidth=0, zorder=1,
                    label=f"_band {allowed.group}")


def band_handle(color: str | None = None) -> Patch:
    """A legend handle for shaded bands: grey, standing for bands of every colour, or one band's ``color``.

    Examples
    --------
    >>> band_handle().get_alpha() > band_handle("#E69F00").get_alpha()    # grey needs more ink to show
    True
    """
    from matplotlib.patches import Patch

    if color is None:
        return Patch(facecolor="#555555", alpha=2 * _BAND_ALPHA, linewidth=0)
    return Patch(facecolor=color, alpha=_BAND_ALPHA, linewidth=0)


def _mark_median(ax: Axes, fitter, times: np.ndarray, survival: np.ndarray, colour: str, show_ci: bool) -> None:
    """Dotted guides to the median (and dashed lines at its interval's limits), where the drawn curve reaches it."""
    from il2lib import survival as km

    estimate = km.median(fitter.durations, fitter.event_observed)
    if estimate.estimate == math.inf or survival.min() > 0.5:
        return
    ax.plot([0, estimate.estimate, estimate.estimate], [0.5, 0.5, 0], linestyle=":", color=colour, linewidth=1)
    if show_ci:
        for limit in (estimate.ci_low, estimate.ci_high):
            if limit != math.inf:
                ax.plot([limit, limit], [0, 0.5], linestyle="--", color=colour, linewidth=1)


def time_ticks(horizon: float, ax: Axes | None = None, *, width_inches: float | None = None) -> list[float]:
    """Evenly spaced ticks from 0 to ``horizon``, in steps of 1, 2, 3, 6, 12, 24 ... units, one per 0.6 inch at most.

    The width is ``width_inches``, or else about three quarters of the width of ``ax``'s column of
    its figure (the same for every panel of a column, whatever its labels).

    Examples
    --------
    >>> time_ticks(168, width_inches=5.5)
    [0, 24, 48, 72, 96, 120, 144, 168]
    >>> time_ticks(30, width_inches=2.5)
    [0, 12, 24]
    """
    if width_inches is None:
        width_inches = _column_inches(ax) if ax is not None else 5.5
    most = max(2, int(width_inches / _INCHES_PER_TICK))
    step = next((s for s in _TICK_STEPS if horizon / s + 1 <= most), _TICK_STEPS[-1])
    return list(range(0, int(horizon) + 1, step))


def _column_inches(ax: Axes) -> float:
    spec = ax.get_subplotspec()
    columns = spec.get_gridspec().ncols if spec is not None else 1
    return 0.75 * ax.get_figure(root=True).get_figwidth() / columns


def add_at_risk_table(ax: Axes, rows: list[tuple[str, object, str]], times: list[float], *,
                      header: str = "At risk") -> None:
    """Numbers still at risk (neither dead nor censored) at each time, one row per curve, under the time axis.

    Parameters
    ----------
    ax : Axes
    rows : list of (str, KaplanMeierFitter, str)
        Each curve's row label, fitted curve and colour.
    times : list of float
    header : str
    """
    from matplotlib.transforms import ScaledTranslation, blended_transform_factory

    fig = ax.get_figure(root=True)
    renderer = fig.canvas.get_renderer()
    below_points = (ax.bbox.y0 - ax.xaxis.get_tightbbox(renderer).y0) * 72 / fig.dpi + 8
    line = 1.5 * NOTE_SIZE
    widest = max(len(str(len(fitter.durations))) for _, fitter, _ in rows)
    label_points = 0.35 * NOTE_SIZE * widest + 6

    def place(row: int, x_in_data: bool, shift: float = 0.0):
        base = blended_transform_factory(ax.transData if x_in_data else ax.transAxes, ax.transAxes)
        return base + ScaledTranslation(shift / 72, -(below_points + row * line) / 72, fig.dpi_scale_trans)

    ax.text(0, 0, header, transform=place(0, False, -label_points), ha="right", va="top", fontsize=NOTE_SIZE,
            fontweight="bold")
    for row, (label, fitter, colour) in enumerate(rows, start=1):
        durations = np.asarray(fitter.durations)
        ax.text(0, 0, label, transform=place(row, False, -label_points), ha="right", va="top",
                fontsize=NOTE_SIZE, color=colour)
        for time in times:
            ax.text(time, 0, str(int((durations > time).sum())), transform=place(row, True), ha="center",
                    va="top", fontsize=NOTE_SIZE)


def shade_not_reached(ax: Axes, *, until: float, label: str, color: str = GROUP_COLORS["after PD-1"]) -> Axes:
    """Shade where a survival curve known only as "median not reached" may lie: above 50% up to ``until``.

    Use it instead of drawing a curve that nothing printed supports.  The legend gains the shaded
    area, and the legend and notes move again if the shading now covers them.

    Returns
    -------
    Axes
    """
    shading = ax.fill_between([0, until], [0.5, 0.5], [1, 1], color=color, alpha=0.18, linewidth=0, label=label)
    legend = ax.get_legend()
    title = legend.get_title().get_text() if legend is not None else ""
    if legend is not None:          # keep the legend's entries (a band's among them), then add this one
        handles = [*legend.legend_handles, shading]
        labels = [*(text.get_text() for text in legend.get_texts()), label]
    else:
        handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, labels, title=title or None, alignment="left")
    arrange(ax.get_figure(root=True))
    return ax


def _p_title(p: float) -> str:
    """The legend's title, with p as a journal prints it.

    >>> _p_title(9.6e-24), _p_title(0.042)
    ('log-rank p < 0.001', 'log-rank p = 0.042')
    """
    shown = journal_p(p)
    return f"log-rank p {shown}" if shown.startswith("<") else f"log-rank p = {shown}"
