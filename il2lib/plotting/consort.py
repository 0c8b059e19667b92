"""The CONSORT flow of a chart review: boxes joined by arrows that stop at the boxes' edges."""

from __future__ import annotations

from typing import TYPE_CHECKING

from il2lib.plotting.theme import FIGURE_WIDTH

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.text import Text

__all__ = ["plot_consort"]

_LEFT_X = 0.01
_TRUNK_X = 0.12
_EXCLUSION_X = 0.30
_BOX = {"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": "#333333"}
_EXCLUSIONS = [("no_survival", "no survival data"), ("no_survival_no_response", "no survival or response data"),
               ("no_response", "no response data")]


def plot_consort(boxes: dict[str, int], *, ax: Axes | None = None) -> Axes:
    """The CONSORT flow of a chart review: reviewed, three exclusions, analysed.

    The boxes are left-aligned, the exclusions right of the main line; every arrow
    is clipped to the box it points at, so none runs into a box's text.

    Parameters
    ----------
    boxes : dict
        Counts for ``reviewed``, ``no_survival``, ``no_survival_no_response``,
        ``no_response`` and ``analysed`` (e.g. from the data's ``consort`` table).
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> from il2lib.plotting.layout import layout_problems
    >>> ax = plot_consort({"reviewed": 305, "no_survival": 19, "no_survival_no_response": 57,
    ...                    "no_response": 12, "analysed": 217})
    >>> layout_problems(ax.figure)
    []
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(0.85 * FIGURE_WIDTH, 3.6), layout="constrained")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    top = _box(ax, _LEFT_X, 0.92, f"{boxes['reviewed']} patient charts reviewed")
    bottom = _box(ax, _LEFT_X, 0.08, f"{boxes['analysed']} with response and survival data: analysed")
    _arrow(ax, (_TRUNK_X, 0.92), (_TRUNK_X, 0.08), start=top, end=bottom)
    for i, (key, label) in enumerate(_EXCLUSIONS):
        y = 0.71 - 0.21 * i
        box = _box(ax, _EXCLUSION_X, y, f"{boxes[key]} excluded: {label}")
        _arrow(ax, (_TRUNK_X, y), (_EXCLUSION_X, y), end=box)
    return ax


def _box(ax: Axes, x: float, y: float, text: str) -> Text:
    """A boxed text whose box starts (with its padding) at ``x``."""
    from matplotlib.transforms import offset_copy

    shifted = offset_copy(ax.transData, ax.get_figure(root=True), x=5, units="points")   # the box's padding
    return ax.text(x, y, text, ha="left", va="center", fontsize=10, bbox=_BOX, transform=shifted)


def _arrow(ax: Axes, start_xy: tuple[float, float], end_xy: tuple[float, float], *,
           start: Text | None = None, end: Text | None = None) -> None:
    """An arrow between two points, cut short where it enters the boxes of ``start`` and ``end``.

    It is drawn after the texts (higher z-order), when their boxes have their final size.
    """
    from matplotlib.patches import FancyArrowPatch

    ax.add_patch(FancyArrowPatch(start_xy, end_xy, arrowstyle="->", mutation_scale=12, color="#333333",
                                 linewidth=1, shrinkA=2, shrinkB=2, zorder=4,
                                 patchA=start.get_bbox_patch() if start else None,
                                 patchB=end.get_bbox_patch() if end else None))
