"""Figures of the document tree as reportlab vector drawings, and as PNG pictures.

The PDF writer places the :class:`Drawing` as it is (vector, with the text in
the embedded IBM Plex Serif); the DOCX writer takes the PNG from :func:`to_png`,
painted from the same Drawing (by :mod:`.raster`, as reportlab 5's own
rasteriser needs pycairo), so both formats show the same picture.

Coordinates in the tree grow downward from the figure's top-left corner;
reportlab's grow upward from the bottom-left, so every y is flipped here.
A :class:`~framework_kit.render.doctree.Label` is anchored by the top of its
text: ``x`` is its left edge, centre or right edge according to ``align``.
"""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Drawing, Group, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import doctree
from .fonts import names_for
from .theme import Theme

_ASCENT = 0.78  # IBM Plex Serif's cap height and ascenders, as a share of the size
_LINE = 1.22  # line spacing inside boxes, as a multiple of the size
_PADDING = 4.0  # space between a box's edge and its text
_STROKE = 0.8


def to_drawing(figure: doctree.Figure, theme: Theme, scale: float = 1.0) -> Drawing:
    """The figure as a reportlab Drawing, ``scale`` times its size in the tree."""
    fonts = names_for(theme.font)
    height = figure.height
    group = Group()
    painter = _Painter(theme, fonts, height, group)
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
    for label in painter.connector_labels:
        group.add(label)
    if scale != 1.0:
        group.transform = (scale, 0, 0, scale, 0, 0)
    drawing = Drawing(figure.width * scale, figure.height * scale)
    # reportlab opens every drawing with its default font set: make that ours, or
    # Helvetica would be referenced in the PDF although no text uses it.
    drawing.initialFontName = fonts.regular
    drawing.add(group)
    return drawing


def to_png(figure: doctree.Figure, theme: Theme, dpi: int = 200) -> bytes:
    """The figure as PNG bytes at ``dpi``, drawn with the same fonts as the PDF.

    The same figure and theme always give the same bytes.
    """
    from .raster import drawing_to_png

    return drawing_to_png(to_drawing(figure, theme), dpi=dpi, background=theme.colour("paper"))


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
    """Adds the shapes of one figure to a group, in reportlab's coordinates."""

    def __init__(self, theme: Theme, fonts, height: float, group: Group):
        self.theme = theme
        self.fonts = fonts
        self.height = height
        self.group = group
        self.connector_labels: list = []

    def colour(self, name: str):
        return HexColor(self.theme.colour(name))

    def y(self, value: float) -> float:
        return self.height - value

    def box(self, box: doctree.Box) -> None:
        self.group.add(Rect(box.x, self.y(box.y + box.height), box.width, box.height, rx=2, ry=2,
                            fillColor=self.colour(box.fill), strokeColor=self.colour(box.stroke),
                            strokeWidth=_STROKE))
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
            self.group.add(String(centre, self.y(top + index * size * _LINE), line, fontName=font,
                                  fontSize=size, fillColor=ink, textAnchor="middle"))

    def connector(self, connector: doctree.Connector) -> None:
        if len(connector.points) < 2:
            return
        colour = self.colour(connector.stroke)
        points = [(x, self.y(y)) for x, y in connector.points]
        line = PolyLine([c for point in points for c in point], strokeColor=colour,
                        strokeWidth=_STROKE, strokeLineJoin=1)
        if connector.dashed:
            line.strokeDashArray = [3, 2]
        if connector.arrow:
            # The line stops at the arrowhead's base so its end does not poke through the tip.
            (x1, y1), (x2, y2) = points[-2], points[-1]
            length = math.hypot(x2 - x1, y2 - y1) or 1.0
            ux, uy = (x2 - x1) / length, (y2 - y1) / length
            head, half = 6.0, 3.0
            bx, by = x2 - ux * head, y2 - uy * head
            line.points[-2:] = [bx, by]
            self.group.add(line)
            self.group.add(Polygon([x2, y2, bx - uy * half, by + ux * half, bx + uy * half, by - ux * half],
                                   fillColor=colour, strokeColor=colour, strokeWidth=0.5))
        else:
            self.group.add(line)
        if connector.label:
            self._connector_label(connector.label, points)

    def _connector_label(self, text: str, points: list[tuple[float, float]]) -> None:
        # On the middle of the longest segment, on a patch of paper so the line does not cross it.
        segments = list(zip(points, points[1:], strict=False))
        (x1, y1), (x2, y2) = max(segments, key=lambda s: math.hypot(s[1][0] - s[0][0], s[1][1] - s[0][1]))
        size = 7.0
        font = self.fonts.italic
        width = stringWidth(text, font, size)
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        if abs(y2 - y1) > abs(x2 - x1):  # a vertical run: the label sits to its right
            x, baseline, anchor = mx + 3, my - size * 0.3, "start"
            left = x - 1
        else:
            x, baseline, anchor = mx, my - size * 0.3, "middle"
            left = x - width / 2 - 1.5
        self.connector_labels.append(Rect(left, baseline - size * 0.25, width + 3, size * 1.05,
                                          fillColor=self.colour("paper"), strokeColor=None))
        self.connector_labels.append(String(x, baseline, text, fontName=font, fontSize=size,
                                            fillColor=self.colour("muted"), textAnchor=anchor))

    def label(self, label: doctree.Label) -> None:
        anchor = {"center": "middle", "right": "end"}.get(label.align, "start")
        font = self.fonts.bold if label.bold else self.fonts.regular
        self.group.add(String(label.x, self.y(label.y + label.size * _ASCENT), label.text, fontName=font,
                              fontSize=label.size, fillColor=self.colour(label.colour), textAnchor=anchor))
