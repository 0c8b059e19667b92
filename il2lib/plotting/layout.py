"""Is a figure readable?  :func:`layout_problems` checks it from matplotlib's own bounding boxes.

After a draw, every visible text (titles, labels, tick labels, legends, notes)
has a window extent in pixels, and every piece of data (lines, markers, bars,
bands, arrows) a path.  The rules, each reported as one sentence:

* no text overlaps another text (tick labels of one axis also keep a small gap);
* no text or legend covers data: it may sit wholly inside a filled area (a label
  on a bar) but not across its edge, and never on a line, curve or marker;
* no text is smaller than 9 pt as displayed, once the figure is shrunk to the
  page's content column;
* no text falls outside the figure;
* the layout settles: a second draw leaves every axes where the first put it (else the image,
  drawn again, would not be the figure checked).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.path import Path
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

__all__ = ["CONTENT_COLUMN_PX", "MIN_DISPLAYED_PT", "layout_problems", "displayed_scale", "Shape", "data_shapes",
           "visible_texts", "legend_boxes", "covers"]

#: Width in CSS pixels of the content column that holds a figure, measured in Chromium on the built
#: site at a 1280 px wide window (``figure img``: ``max-width: 100%`` of a 688 px figure with 8 px
#: padding on each side).  A wider figure is shrunk to it, and its text with it.
CONTENT_COLUMN_PX = 672
#: Smallest text size allowed, in points as displayed (a CSS point is 4/3 CSS px).
MIN_DISPLAYED_PT = 9.0
_CSS_PX_PER_INCH = 96
_TOLERANCE_PX = 1.0      # boxes are shrunk by this much before testing, so that touching is not overlapping
_TICK_GAP_PX = 2.0       # tick labels of one axis must be at least this far apart


@dataclass(frozen=True)
class Shape:
    """A piece of data in display pixels: a path (curve, bar outline, arrow) or a set of markers.

    ``path`` is a list of polylines; ``points`` an (n, 2) array of marker centres; ``reach`` how far
    the ink extends beyond the path or centre (half a line width, or a marker's radius); ``clip``
    the box outside which nothing of it is drawn; ``filled`` whether the path encloses a painted area.
    """

    name: str
    path: list[np.ndarray]
    points: np.ndarray
    reach: float
    clip: Bbox | None
    filled: bool = False


def layout_problems(fig: Figure, *, column_px: float = CONTENT_COLUMN_PX,
                    min_pt: float = MIN_DISPLAYED_PT) -> list[str]:
    """Every layout problem of a figure, one sentence each; ``[]`` when it is readable.

    Parameters
    ----------
    fig : Figure
        Drawn here (without rendering), so its layout is final.
    column_px : float, default :data:`CONTENT_COLUMN_PX` (672)
        Width of the page column the figure is shown in, in CSS px; a wider figure is shrunk to it.
    min_pt : float, default :data:`MIN_DISPLAYED_PT` (9)
        Smallest text size allowed as displayed, in points.

    Returns
    -------
    list of str
        Texts that overlap, texts or legends on data, colliding tick labels, text
        too small as displayed, text outside the figure, and a layout that does not settle.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(4, 3), dpi=96, layout="constrained")
    >>> _ = ax.plot([0, 1], [0, 1], label="a diagonal")
    >>> layout_problems(fig)
    []
    >>> _ = ax.text(0.5, 0.5, "on the line", ha="center")
    >>> _ = ax.text(0.9, 0.1, "tiny", fontsize=6)
    >>> for problem in layout_problems(fig):
    ...     print(problem)
    'tiny' is 6.0 pt as displayed (needs 9 pt)
    'on the line' covers data (line 'a diagonal')
    >>> plt.close(fig)
    """
    unsettled = _unsettled_layout(fig)
    renderer = fig.canvas.get_renderer()
    texts = visible_texts(fig, renderer)
    shapes = [shape for ax in fig.axes if ax.get_visible() for shape in data_shapes(ax)]
    return [*_too_small(fig, texts, renderer, column_px, min_pt), *_clipped(fig, texts, renderer),
            *_collisions(fig, texts, legend_boxes(fig, renderer)), *_on_data(texts, shapes, fig, renderer),
            *unsettled]


def _unsettled_layout(fig: Figure) -> list[str]:
    """Draw twice; report the axes that the second draw moved (a layout engine that never settles)."""
    fig.draw_without_rendering()
    before = np.array([ax.get_position().bounds for ax in fig.axes])
    fig.draw_without_rendering()
    after = np.array([ax.get_position().bounds for ax in fig.axes])
    moved = np.abs(after - before).max() * max(fig.get_size_inches()) * fig.dpi if len(before) else 0.0
    return [f"the layout does not settle: a second draw moves an axes by {moved:.0f} px"] if moved > 1 else []


# --- what is on the figure -------------------------------------------------------------------------

def visible_texts(fig: Figure, renderer: RendererBase) -> list[tuple[Text, Bbox]]:
    """Every text that a draw shows, with its footprint (its box, if it has one, included)."""
    candidates = list(fig.texts)
    for legend in fig.legends:
        candidates += _legend_texts(legend)
    for ax in fig.axes:
        if ax.get_visible():
            candidates += _axes_texts(ax)
    return [(text, _footprint(text, renderer)) for text in candidates
            if text.get_visible() and text.get_text().strip()]


def _axes_texts(ax: Axes) -> list[Text]:
    texts = [*ax.texts, ax.title, ax._left_title, ax._right_title]  # noqa: SLF001 (no public getter)
    if ax.axison:
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_visible():
                texts += [axis.label, axis.get_offset_text(), *_drawn_tick_labels(axis)]
    legend = ax.get_legend()
    if legend is not None and legend.get_visible():
        texts += _legend_texts(legend)
    return texts


def _legend_texts(legend) -> list[Text]:
    return [*legend.get_texts(), legend.get_title()]


def _drawn_tick_labels(axis) -> list[Text]:
    """Tick labels inside the axis' view (matplotlib keeps, but does not draw, the others)."""
    low, high = sorted(axis.get_view_interval())
    slack = 1e-9 * max(high - low, 1.0)
    ticks = [*axis.get_major_ticks(len(axis.get_majorticklocs())),
             *axis.get_minor_ticks(len(axis.get_minorticklocs()))]
    return [label for tick in ticks if low - slack <= tick.get_loc() <= high + slack
            for label in (tick.label1, tick.label2) if label.get_visible()]


def _footprint(text: Text, renderer: RendererBase) -> Bbox:
    from matplotlib.transforms import Bbox

    box = text.get_window_extent(renderer)
    patch = text.get_bbox_patch()
    return Bbox.union([box, patch.get_window_extent(renderer)]) if patch is not None else box


def legend_boxes(fig: Figure, renderer: RendererBase) -> list[tuple[Artist, Bbox]]:
    """Every visible legend with its box."""
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_visible())]
    return [(legend, legend.get_window_extent(renderer)) for legend in legends
            if legend is not None and legend.get_visible()]


def data_shapes(ax: Axes) -> list[Shape]:
    """The data an axes draws, in display pixels: its lines, markers, collections, patches and arrows."""
    shapes: list[Shape] = []
    for line in ax.lines:
        if line.get_visible():
            shapes += _line_shapes(line)
    for collection in ax.collections:
        if collection.get_visible():
            shapes += _collection_shapes(collection)
    for patch in ax.patches:
        if patch.get_visible():
            shapes.append(_outline(_name(patch, "a patch"), patch.get_transform().transform_path(patch.get_path()),
                                   _reach(patch.get_linewidth(), patch.get_edgecolor(), ax), _clip(patch),
                                   filled=patch.get_fill() and _painted(patch.get_facecolor())))
    for text in ax.texts:
        arrow = getattr(text, "arrow_patch", None)
        if arrow is not None and text.get_visible():
            shapes.append(_outline("an arrow", arrow.get_transform().transform_path(arrow.get_path()),
                                   _points_to_px(arrow.get_linewidth(), ax) / 2, None))
    return shapes


def _line_shapes(line) -> list[Shape]:
    name = _name(line, "a line")
    shapes = []
    if line.get_linestyle() not in ("None", "", " ") and line.get_linewidth() > 0:
        shapes.append(_outline(name, line.get_transform().transform_path(line.get_path()),
                               _points_to_px(line.get_linewidth(), line) / 2, _clip(line)))
    if line.get_marker() not in (None, "None", "", " "):
        centres = line.get_transform().transform(line.get_xydata())
        shapes.append(Shape(name, [], centres, _points_to_px(line.get_markersize(), line) / 2, _clip(line)))
    return shapes


def _collection_shapes(collection) -> list[Shape]:
    from matplotlib.collections import PathCollection

    name = _name(collection, "a shaded area")
    if isinstance(collection, PathCollection) and len(collection.get_offsets()):
        centres = collection.get_offset_transform().transform(collection.get_offsets())
        radius = _points_to_px(float(np.sqrt(np.max(collection.get_sizes()))), collection) / 2
        return [Shape(_name(collection, "points"), [], centres, radius, _clip(collection))]
    transform = collection.get_transform()
    widths = collection.get_linewidths()
    reach = _points_to_px(float(np.max(widths)) if len(widths) else 0.0, collection) / 2
    filled = any(_painted(colour) for colour in collection.get_facecolors())
    return [_outline(name, transform.transform_path(path), reach, _clip(collection), filled=filled)
            for path in collection.get_paths()]


def _outline(name: str, path: Path, reach: float, clip: Bbox | None, *, filled: bool = False) -> Shape:
    return Shape(name, path.to_polygons(closed_only=False), np.empty((0, 2)), reach, clip, filled)


def _painted(colour) -> bool:
    """Whether an RGBA colour (or array of them) shows at all."""
    colour = np.asarray(colour, dtype=float).reshape(-1)
    return colour.size == 4 and colour[3] > 0


def _reach(linewidth: float, edgecolor, artist) -> float:
    """Half the drawn edge width, in px (0 for an invisible edge)."""
    return _points_to_px(linewidth, artist) / 2 if _painted(edgecolor) else 0.0


def _points_to_px(points: float, artist) -> float:
    return points * artist.get_figure(root=True).dpi / 72


def _clip(artist) -> Bbox | None:
    return artist.get_clip_box() if artist.get_clip_on() else None


def _name(artist, default: str) -> str:
    label = str(artist.get_label() or "")
    return f"{default.split()[-1]} {label!r}" if label and not label.startswith("_") else default


def _describe(artist) -> str:
    from matplotlib.legend import Legend

    if isinstance(artist, Legend):
        return "the legend"
    text = " ".join(artist.get_text().split())
    return repr(text if len(text) <= 40 else text[:39] + "…")


# --- the rules -------------------------------------------------------------------------------------

def displayed_scale(fig: Figure, renderer: RendererBase, column_px: float = CONTENT_COLUMN_PX) -> float:
    """How much a figure's text is shrunk as displayed: its image width, at 96 CSS px per inch, into the column.

    The image is the figure cropped to its content plus a margin (``bbox_inches="tight"``), shown at
    the size its pixels have at ``fig.dpi``; a page shows it at most ``column_px`` wide.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure(figsize=(14, 2), dpi=96)
    >>> round(float(displayed_scale(fig, fig.canvas.get_renderer())), 2)   # 14.2 in (with margins) = 1363 px into 672
    0.49
    >>> plt.close(fig)
    """
    import matplotlib as mpl

    pad = 2 * mpl.rcParams["savefig.pad_inches"]
    tight = fig.get_tightbbox(renderer)
    width_inches = max(fig.get_figwidth(), (tight.width if tight is not None else 0) + pad)
    width_css = width_inches * fig.dpi
    return fig.dpi / _CSS_PX_PER_INCH * min(1.0, column_px / width_css)


def _too_small(fig: Figure, texts, renderer, column_px: float, min_pt: float) -> list[str]:
    scale = displayed_scale(fig, renderer, column_px)
    sizes: dict[float, list[str]] = {}
    for text, _ in texts:
        shown = round(text.get_fontsize() * scale, 1)
        if shown < min_pt:
            sizes.setdefault(shown, []).append(_describe(text))
    return [_some(names, f"{{}} {'is' if len(names) == 1 else 'are'} {size:.1f} pt as displayed (needs {min_pt:g} pt)")
            for size, names in sorted(sizes.items())]


def _some(names: list[str], sentence: str) -> str:
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return sentence.format(shown)


def _clipped(fig: Figure, texts, renderer) -> list[str]:
    """Texts that fall outside the figure, or that clipping hides (a bar label whose bar leaves the axes)."""
    problems = []
    for text, box in texts:
        if _hidden_by_clipping(text, box, renderer):
            problems.append(f"{_describe(text)} is clipped away")
        elif not _inside(box, fig.bbox):
            problems.append(f"{_describe(text)} falls outside the figure")
    return problems


def _hidden_by_clipping(text: Text, box: Bbox, renderer) -> bool:
    from matplotlib.text import Annotation

    if isinstance(text, Annotation) and not text._check_xy(renderer):  # noqa: SLF001 (the test draw() makes)
        return True
    return text.get_clip_on() and text.get_clip_box() is not None and not _inside(box, text.get_clip_box())


def _inside(box: Bbox, frame: Bbox) -> bool:
    frame = frame.padded(_TOLERANCE_PX)
    return frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1


def _collisions(fig: Figure, texts, legends) -> list[str]:
    axis_of = _tick_label_axes(fig, texts)
    problems = []
    for (first, a), (second, b) in combinations(texts, 2):
        same_axis = axis_of.get(id(first), 0) is axis_of.get(id(second), 1)
        if same_axis and _overlap(a.padded(_TICK_GAP_PX / 2), b.padded(_TICK_GAP_PX / 2)):
            problems.append(f"tick labels {_describe(first)} and {_describe(second)} collide")
        elif not same_axis and _overlap(a, b):
            problems.append(f"{_describe(first)} overlaps {_describe(second)}")
    for legend, box in legends:
        own = set(_legend_texts(legend))
        problems += [f"the legend overlaps {_describe(text)}" for text, other in texts
                     if text not in own and _overlap(box, other)]
    return problems


def _tick_label_axes(fig: Figure, texts) -> dict[int, object]:
    """The axis (x or y of one axes) of each tick label among ``texts``, by ``id`` of the label."""
    shown = {id(text) for text, _ in texts}
    return {id(label): axis for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
            for tick in [*axis.majorTicks, *axis.minorTicks] for label in (tick.label1, tick.label2)
            if id(label) in shown}


def _overlap(a: Bbox, b: Bbox) -> bool:
    t = _TOLERANCE_PX
    return min(a.x1, b.x1) - max(a.x0, b.x0) > t and min(a.y1, b.y1) - max(a.y0, b.y0) > t


def _on_data(texts, shapes: list[Shape], fig: Figure, renderer) -> list[str]:
    from matplotlib.legend import Legend

    in_legends = {text for legend, _ in legend_boxes(fig, renderer) for text in _legend_texts(legend)}
    items = [(text, box) for text, box in texts if text not in in_legends] + legend_boxes(fig, renderer)
    problems = []
    for artist, box in items:
        hit = next((shape for shape in shapes if covers(box, shape)), None)
        if hit is not None:
            subject = "the legend" if isinstance(artist, Legend) else _describe(artist)
            problems.append(f"{subject} covers data ({hit.name})")
    return problems


def covers(box: Bbox, shape: Shape, *, inside_fill: bool = True) -> bool:
    """Whether a text's box touches a piece of data (a box wholly inside a filled area does not).

    With ``inside_fill=False`` a box wholly inside a filled area covers it too (for placing labels,
    which should stay off shading where they can).

    Examples
    --------
    >>> from matplotlib.transforms import Bbox
    >>> line = Shape("a line", [np.array([[0, 0], [100, 100]])], np.empty((0, 2)), 1.0, None)
    >>> covers(Bbox([[40, 40], [60, 45]]), line), covers(Bbox([[60, 10], [90, 20]]), line)
    (True, False)
    """
    from matplotlib.path import Path
    from matplotlib.transforms import Bbox

    region = box.padded(-_TOLERANCE_PX)
    if shape.clip is not None:
        region = Bbox.intersection(region, shape.clip)
        if region is None:
            return False
    reach = region.padded(shape.reach)
    if len(shape.points):
        x, y = shape.points[:, 0], shape.points[:, 1]
        if np.any((x >= reach.x0) & (x <= reach.x1) & (y >= reach.y0) & (y <= reach.y1)):
            return True
    enclosing = shape.filled and not inside_fill
    return any(len(line) > 1 and Path(line).intersects_bbox(reach, filled=enclosing) for line in shape.path)
