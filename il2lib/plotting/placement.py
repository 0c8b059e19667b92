"""Legends and notes put where they cover nothing: the first empty spot of an axes, searched in order.

:func:`place_legend` and :func:`place_note` register an artist as *floating*
and place it; :func:`arrange` places every floating artist of a figure again,
for when the layout has changed (another panel drawn, a shaded area added).
A spot is empty when the artist's box touches no data (see
:func:`~il2lib.plotting.layout.covers`) and no other text; spots off shading
are tried first.  When no spot inside the axes is empty, the artist goes
outside it: a legend to the right, a note above.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING

from il2lib.plotting.layout import covers, data_shapes, legend_boxes, visible_texts
from il2lib.plotting.theme import NOTE_SIZE

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

__all__ = ["place_legend", "place_note", "arrange"]

_INSET_PX = 4.0
_GRID = [i / 8 for i in range(9)]
#: Where to look first: (x, y) of the box within the free space of the axes, 0 = left/bottom, 1 = right/top.
_CORNERS = {"upper right": (1, 1), "upper left": (0, 1), "lower left": (0, 0), "lower right": (1, 0)}


@dataclass
class _Floating:
    ax: Axes
    note: Text | None          # None: the axes' legend (which may be re-created)
    prefer: str


#: Attribute of a figure listing its floating artists (kept on the figure, so it goes with it).
_FLOATING = "_il2lib_floating"


def place_legend(ax: Axes, *, prefer: str = "upper right", now: bool = True, **kwargs) -> Legend:
    """Draw the axes' legend where it covers no data and no text.

    Parameters
    ----------
    ax : Axes
    prefer : str
        The corner tried first (``"upper right"``, ``"lower left"``, ...).
    now : bool, default True
        Place it now; ``False`` leaves it to the next :func:`arrange` (one draw for several artists).
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.legend` (handles, title, ...).

    Returns
    -------
    Legend

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    >>> _ = ax.plot([0, 1], [1, 0], label="falling")
    >>> legend = place_legend(ax)      # upper right would cover the line's end: not there
    >>> from il2lib.plotting.layout import layout_problems
    >>> layout_problems(fig)
    []
    >>> plt.close(fig)
    """
    legend = ax.legend(**kwargs)
    _register(ax, None, prefer, now)
    return ax.get_legend() or legend


def place_note(ax: Axes, text: str, *, prefer: str = "lower left", now: bool = True, **kwargs) -> Text:
    """Write a short note inside the axes where it covers no data and no text.

    Parameters
    ----------
    ax : Axes
    text : str
    prefer : str
        The corner tried first.
    now : bool, default True
        Place it now, or at the next :func:`arrange`.
    **kwargs
        Text properties (colour, style, size; default size :data:`~il2lib.plotting.theme.NOTE_SIZE`).

    Returns
    -------
    Text

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> note = place_note(ax, "a note")
    >>> x, y = note.get_position()     # lower left is on the line, so it goes upper left
    >>> bool(x < 0.5 < y)
    True
    >>> plt.close(fig)
    """
    note = ax.text(0, 0, text, transform=ax.transAxes, ha="left", va="bottom",
                   **{"fontsize": NOTE_SIZE, **kwargs})
    _register(ax, note, prefer, now)
    return note


def arrange(fig: Figure) -> None:
    """Place every floating legend and note of ``fig`` again, legends first, for its current layout."""
    items = sorted(getattr(fig, _FLOATING, []), key=lambda item: item.note is not None)
    fig.draw_without_rendering()
    moved_out = _place_all(items)
    if moved_out:   # an artist moved outside an axes changes the layout: place the others again
        fig.draw_without_rendering()
        _place_all([item for item in items if item not in moved_out])


def _place_all(items: list[_Floating]) -> list[_Floating]:
    """Place the items one by one, each avoiding those placed before it; return those that went outside."""
    artists = [_artist(item) for item in items]
    for artist in artists:
        if artist is not None:
            artist.set_visible(False)
    moved_out = []
    for item, artist in zip(items, artists):
        if artist is not None:
            artist.set_visible(True)
            if not _place(item, artist):
                moved_out.append(item)
    return moved_out


def _register(ax: Axes, note: Text | None, prefer: str, now: bool) -> None:
    fig = ax.get_figure(root=True)
    items = fig.__dict__.setdefault(_FLOATING, [])
    if not any(item.ax is ax and item.note is note for item in items):
        items.append(_Floating(ax, note, prefer))
    if now:
        arrange(fig)


def _artist(item: _Floating):
    return item.note if item.note is not None else item.ax.get_legend()


def _place(item: _Floating, artist) -> bool:
    """Move one artist to the first empty spot; ``False`` if it had to go outside the axes."""
    renderer = item.ax.get_figure(root=True).canvas.get_renderer()
    size = artist.get_window_extent(renderer)
    obstacles = _obstacles(item.ax.get_figure(root=True), artist, renderer)
    for strict in (True, False):
        for box in _candidates(item.ax, size.width, size.height, item.prefer):
            if _empty(box, obstacles, strict=strict):
                _move(item, artist, box)
                return True
    _move_outside(item, artist)
    return False


def _obstacles(fig: Figure, artist, renderer):
    """Data shapes of every axes, and the boxes of every visible text and legend but the artist's own."""
    own = {artist, *(artist.get_texts() if hasattr(artist, "get_texts") else [])}
    boxes = [box for text, box in visible_texts(fig, renderer) if text not in own]
    boxes += [box for legend, box in legend_boxes(fig, renderer) if legend is not artist]
    shapes = [shape for ax in fig.axes if ax.get_visible() for shape in data_shapes(ax)]
    return shapes, boxes


def _candidates(ax: Axes, width: float, height: float, prefer: str) -> list[Bbox]:
    """Boxes of the given size inside the axes: the preferred corner, the other corners, then a grid."""
    from matplotlib.transforms import Bbox

    frame = ax.bbox.padded(-_INSET_PX)
    first = _CORNERS.get(prefer, (1, 1))
    corners = [first, *(c for c in _CORNERS.values() if c != first)]
    grid = sorted(product(_GRID, _GRID), key=lambda p: abs(p[0] - first[0]) + abs(p[1] - first[1]))
    spare_x, spare_y = frame.width - width, frame.height - height
    if spare_x < 0 or spare_y < 0:
        return []
    return [Bbox.from_bounds(frame.x0 + fx * spare_x, frame.y0 + fy * spare_y, width, height)
            for fx, fy in [*corners, *grid]]


def _empty(box: Bbox, obstacles, *, strict: bool) -> bool:
    shapes, boxes = obstacles
    clear = box.padded(2.0)
    if any(_overlap(clear, other) for other in boxes):
        return False
    return not any(covers(clear, shape, inside_fill=not strict) for shape in shapes)


def _overlap(a: Bbox, b: Bbox) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)


def _move(item: _Floating, artist, box: Bbox) -> None:
    frame = item.ax.bbox
    position = ((box.x0 - frame.x0) / frame.width, (box.y0 - frame.y0) / frame.height)
    if item.note is None:
        artist.set_bbox_to_anchor(None)
        artist.set_loc(position)
    else:
        artist.set_position(position)
        artist.set_horizontalalignment("left")
        artist.set_verticalalignment("bottom")


def _move_outside(item: _Floating, artist) -> None:
    if item.note is None:
        artist.set_loc("center left")
        artist.set_bbox_to_anchor((1.02, 0.5), transform=item.ax.transAxes)
    else:
        artist.set_position((1.0, 1.02))
        artist.set_horizontalalignment("right")
        artist.set_verticalalignment("bottom")
