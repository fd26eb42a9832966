"""Figures of the document tree as reportlab vector drawings, and as PNG pictures.

The PDF writer places the :class:`Drawing` as it is (vector, with the text in
the embedded IBM Plex Serif); the DOCX writer takes the PNG that :mod:`.raster`
paints from the same shapes (:func:`~framework_kit.render.raster.figure_png`, as reportlab 5's own
rasteriser needs pycairo), so both formats show the same picture.

Coordinates in the tree grow downward from the figure's top-left corner;
reportlab's grow upward from the bottom-left, so every y is flipped here.
A :class:`~framework_kit.render.doctree.Label` is anchored by the top of its
text: ``x`` is its left edge, centre or right edge according to ``align``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..lazy_patterns import before_reportlab

before_reportlab()  # see lazy_patterns

from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: E402

from . import doctree  # noqa: E402
from .fonts import names_for  # noqa: E402
from .theme import Theme  # noqa: E402

_ASCENT = 0.78  # IBM Plex Serif's cap height and ascenders, as a share of the size
_LINE = 1.22  # line spacing inside boxes, as a multiple of the size
_PADDING = 4.0  # space between a box's edge and its text
_STROKE = 0.8


# The figure as plain shapes, in reportlab's coordinates (y grows upward). Both
# outputs are made from these: reportlab's shapes module imports all of platypus
# (a tenth of a second), which a DOCX-only render does not need.


@dataclass(frozen=True)
class RectShape:
    x: float
    y: float
    width: float
    height: float
    fill: str | None  # "#rrggbb", or None for none
    stroke: str | None
    stroke_width: float | None = None  # None: reportlab's default
    radius: float = 0.0


@dataclass(frozen=True)
class LineShape:
    points: tuple[float, ...]  # x0, y0, x1, y1, ...
    stroke: str
    stroke_width: float
    dashes: tuple[float, ...] = ()


@dataclass(frozen=True)
class PolygonShape:
    points: tuple[float, ...]
    fill: str
    stroke: str
    stroke_width: float


@dataclass(frozen=True)
class TextShape:
    x: float  # the anchor point on the baseline
    y: float
    text: str
    font: str  # a registered face name (fonts.NAMES)
    size: float
    fill: str
    anchor: str  # start | middle | end


@dataclass(frozen=True)
class Scene:
    """A figure as shapes, painted in order; ``font`` is the face text defaults to."""

    width: float
    height: float
    shapes: tuple
    font: str


def to_scene(figure: doctree.Figure, theme: Theme) -> Scene:
    """The figure as plain shapes, at its size in the tree."""
    fonts = names_for(theme)
    painter = _Painter(theme, fonts, figure.height)
    # Connectors first so that boxes cover their ends and labels stay legible.
    for shape in figure.shapes:
        if isinstance(shape, doctree.Connector):
            painter.connector(shape)
    for shape in figure.shapes:
        if isinstance(shape, doctree.Box):
            painter.box(shape)
    for shape in figure.shapes:
        if isinstance(shape, doctree.Label):
            painter.label(shape)
    return Scene(figure.width, figure.height, tuple(painter.shapes + painter.connector_labels),
                 fonts.regular)


def to_drawing(figure: doctree.Figure, theme: Theme, scale: float = 1.0):
    """The figure as a reportlab Drawing, ``scale`` times its size in the tree."""
    from reportlab.graphics.shapes import Drawing, Group

    scene = to_scene(figure, theme)
    group = Group()
    for shape in scene.shapes:
        group.add(_reportlab_shape(shape))
    if scale != 1.0:
        group.transform = (scale, 0, 0, scale, 0, 0)
    drawing = Drawing(scene.width * scale, scene.height * scale)
    # reportlab opens every drawing with its default font set: make that ours, or
    # Helvetica would be referenced in the PDF although no text uses it.
    drawing.initialFontName = scene.font
    drawing.add(group)
    return drawing


def _reportlab_shape(shape):
    from reportlab.graphics.shapes import Polygon, PolyLine, Rect, String
    from reportlab.lib.colors import HexColor

    def colour(value):
        return None if value is None else HexColor(value)

    if isinstance(shape, RectShape):
        extra = {} if shape.stroke_width is None else {"strokeWidth": shape.stroke_width}
        if shape.radius:
            extra.update(rx=shape.radius, ry=shape.radius)
        return Rect(shape.x, shape.y, shape.width, shape.height, fillColor=colour(shape.fill),
                    strokeColor=colour(shape.stroke), **extra)
    if isinstance(shape, LineShape):
        line = PolyLine(list(shape.points), strokeColor=colour(shape.stroke),
                        strokeWidth=shape.stroke_width, strokeLineJoin=1)
        if shape.dashes:
            line.strokeDashArray = list(shape.dashes)
        return line
    if isinstance(shape, PolygonShape):
        return Polygon(list(shape.points), fillColor=colour(shape.fill), strokeColor=colour(shape.stroke),
                       strokeWidth=shape.stroke_width)
    return String(shape.x, shape.y, shape.text, fontName=shape.font, fontSize=shape.size,
                  fillColor=colour(shape.fill), textAnchor=shape.anchor)


def wrap_words(text: str, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width``; a word longer than that is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if stringWidth(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while stringWidth(word, font, size) > width and len(word) > 1:
            cut = _longest_prefix(word, font, size, width)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


def _longest_prefix(word: str, font: str, size: float, width: float) -> int:
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(word[:middle], font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return low


class _Painter:
    """Collects the shapes of one figure, in reportlab's coordinates."""

    def __init__(self, theme: Theme, fonts, height: float):
        self.theme = theme
        self.fonts = fonts
        self.height = height
        self.shapes: list = []
        self.connector_labels: list = []

    def colour(self, name: str) -> str:
        return self.theme.colour(name)

    def y(self, value: float) -> float:
        return self.height - value

    def box(self, box: doctree.Box) -> None:
        self.shapes.append(RectShape(box.x, self.y(box.y + box.height), box.width, box.height,
                                     self.colour(box.fill), self.colour(box.stroke), _STROKE, radius=2))
        size = box.font_size
        room = max(box.width - 2 * _PADDING, size)
        lines: list[tuple[str, str]] = []
        for index, text in enumerate(box.lines):
            font = self.fonts.bold if box.title and index == 0 else self.fonts.regular
            lines.extend((font, line) for line in wrap_words(text, font, size, room))
        block = size * _LINE * (len(lines) - 1) + size * _ASCENT
        top = box.y + (box.height - block) / 2 + size * _ASCENT
        centre = box.x + box.width / 2
        ink = self.colour("ink")
        for index, (font, line) in enumerate(lines):
            self.shapes.append(TextShape(centre, self.y(top + index * size * _LINE), line, font, size,
                                         ink, "middle"))

    def connector(self, connector: doctree.Connector) -> None:
        if len(connector.points) < 2:
            return
        colour = self.colour(connector.stroke)
        points = [(x, self.y(y)) for x, y in connector.points]
        flat = [c for point in points for c in point]
        dashes = (3, 2) if connector.dashed else ()
        if connector.arrow:
            # The line stops at the arrowhead's base so its end does not poke through the tip.
            (x1, y1), (x2, y2) = points[-2], points[-1]
            length = math.hypot(x2 - x1, y2 - y1) or 1.0
            ux, uy = (x2 - x1) / length, (y2 - y1) / length
            head, half = 6.0, 3.0
            bx, by = x2 - ux * head, y2 - uy * head
            flat[-2:] = [bx, by]
            self.shapes.append(LineShape(tuple(flat), colour, _STROKE, dashes))
            self.shapes.append(PolygonShape((x2, y2, bx - uy * half, by + ux * half, bx + uy * half,
                                             by - ux * half), colour, colour, 0.5))
        else:
            self.shapes.append(LineShape(tuple(flat), colour, _STROKE, dashes))
        if connector.label:
            self._connector_label(connector.label, points)

    def _connector_label(self, text: str, points: list[tuple[float, float]]) -> None:
        # On the middle of the longest segment, on a patch of paper so the line does not cross it.
        segments = list(zip(points, points[1:], strict=False))
        (x1, y1), (x2, y2) = max(segments, key=lambda s: math.hypot(s[1][0] - s[0][0], s[1][1] - s[0][1]))
        size = 8.0  # no text in a figure under 8 pt
        font = self.fonts.italic
        width = stringWidth(text, font, size)
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        if abs(y2 - y1) > abs(x2 - x1):  # a vertical run: the label sits to its right
            x, baseline, anchor = mx + 3, my - size * 0.3, "start"
            left = x - 1
        else:
            x, baseline, anchor = mx, my - size * 0.3, "middle"
            left = x - width / 2 - 1.5
        self.connector_labels.append(RectShape(left, baseline - size * 0.25, width + 3, size * 1.05,
                                               self.colour("paper"), None))
        self.connector_labels.append(TextShape(x, baseline, text, font, size, self.colour("muted"), anchor))

    def label(self, label: doctree.Label) -> None:
        anchor = {"center": "middle", "right": "end"}.get(label.align, "start")
        font = self.fonts.bold if label.bold else self.fonts.regular
        self.shapes.append(TextShape(label.x, self.y(label.y + label.size * _ASCENT), label.text, font,
                                     label.size, self.colour(label.colour), anchor))
