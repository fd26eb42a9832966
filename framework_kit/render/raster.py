"""A reportlab Drawing as a PNG picture, painted with Pillow.

reportlab 5 rasterises only through pycairo, which has no wheels for Linux; the
old libart accelerator (rl-renderPM) no longer plugs into it. The figures are
made of four kinds of shape (rectangles, polylines, polygons, strings), so
this small painter draws them with Pillow and the same IBM Plex Serif files
the PDF embeds. It paints at three times the size and scales down, which
smooths the lines; nothing depends on the clock or the machine, so the same
Drawing always gives the same bytes.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.shapes import Group, Polygon, PolyLine, Rect, String

from .fonts import NAMES, font_files

_SUPERSAMPLE = 3
_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


class RasterError(RuntimeError):
    """A figure holds a shape this painter cannot draw."""


def drawing_to_png(drawing, dpi: int = 200, background: str = "#ffffff") -> bytes:
    """PNG bytes of ``drawing`` at ``dpi`` on a ``background`` colour."""
    scale = dpi / 72.0 * _SUPERSAMPLE
    width = max(1, round(drawing.width * dpi / 72.0))
    height = max(1, round(drawing.height * dpi / 72.0))
    image = Image.new("RGB", (width * _SUPERSAMPLE, height * _SUPERSAMPLE), background)
    painter = _Painter(ImageDraw.Draw(image), scale, drawing.height)
    painter.group(drawing, (1, 0, 0, 1, 0, 0))
    image = image.reduce(_SUPERSAMPLE)  # averages each 3×3 block: the anti-aliasing
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi), optimize=False)
    return out.getvalue()


@lru_cache(maxsize=64)
def _font(name: str, pixels: int) -> ImageFont.FreeTypeFont:
    files = font_files()
    by_name = {getattr(NAMES, face): path for face, path in files.items()}
    if name not in by_name:
        raise RasterError(f"the figure uses the font {name!r}, which is not the document font")
    return ImageFont.truetype(str(by_name[name]), pixels)


def _multiply(a, b):
    """The affine matrix that applies ``b`` first, then ``a`` (reportlab's 6-tuples)."""
    return (a[0] * b[0] + a[2] * b[1], a[1] * b[0] + a[3] * b[1],
            a[0] * b[2] + a[2] * b[3], a[1] * b[2] + a[3] * b[3],
            a[0] * b[4] + a[2] * b[5] + a[4], a[1] * b[4] + a[3] * b[5] + a[5])


def _colour(colour) -> tuple[int, int, int] | None:
    if colour is None:
        return None
    red, green, blue = colour.rgb()
    return round(red * 255), round(green * 255), round(blue * 255)


class _Painter:
    def __init__(self, draw: ImageDraw.ImageDraw, scale: float, height: float):
        self.draw = draw
        self.scale = scale
        self.height = height

    def point(self, matrix, x: float, y: float) -> tuple[float, float]:
        px = matrix[0] * x + matrix[2] * y + matrix[4]
        py = matrix[1] * x + matrix[3] * y + matrix[5]
        return px * self.scale, (self.height - py) * self.scale

    def size(self, matrix, value: float) -> float:
        return value * math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2])) * self.scale

    def group(self, group: Group, matrix) -> None:
        matrix = _multiply(matrix, tuple(getattr(group, "transform", (1, 0, 0, 1, 0, 0))))
        for shape in group.contents:
            if isinstance(shape, Group):
                self.group(shape, matrix)
            elif isinstance(shape, Rect):
                self.rect(shape, matrix)
            elif isinstance(shape, Polygon):
                self.polygon(shape, matrix)
            elif isinstance(shape, PolyLine):
                self.polyline(shape, matrix)
            elif isinstance(shape, String):
                self.string(shape, matrix)
            else:
                raise RasterError(f"figures cannot hold a {type(shape).__name__}")

    def rect(self, rect: Rect, matrix) -> None:
        x0, y0 = self.point(matrix, rect.x, rect.y + rect.height)
        x1, y1 = self.point(matrix, rect.x + rect.width, rect.y)
        width = round(self.size(matrix, rect.strokeWidth)) if rect.strokeColor is not None else 0
        self.draw.rounded_rectangle([min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)],
                                    radius=self.size(matrix, rect.rx or 0), fill=_colour(rect.fillColor),
                                    outline=_colour(rect.strokeColor), width=width)

    def polygon(self, polygon: Polygon, matrix) -> None:
        points = [self.point(matrix, *pair) for pair in zip(polygon.points[::2], polygon.points[1::2], strict=True)]
        self.draw.polygon(points, fill=_colour(polygon.fillColor), outline=_colour(polygon.strokeColor))

    def polyline(self, line: PolyLine, matrix) -> None:
        points = [self.point(matrix, *pair) for pair in zip(line.points[::2], line.points[1::2], strict=True)]
        colour = _colour(line.strokeColor)
        width = max(1, round(self.size(matrix, line.strokeWidth)))
        if not line.strokeDashArray:
            self.draw.line(points, fill=colour, width=width, joint="curve")
            return
        on, off = (self.size(matrix, value) for value in line.strokeDashArray[:2])
        for start, end in zip(points, points[1:], strict=False):
            length = math.dist(start, end)
            position = 0.0
            while position < length:
                stop = min(position + on, length)
                self.draw.line([_along(start, end, position / length), _along(start, end, stop / length)],
                               fill=colour, width=width)
                position = stop + off

    def string(self, string: String, matrix) -> None:
        pixels = max(1, round(self.size(matrix, string.fontSize)))
        x, y = self.point(matrix, string.x, string.y)
        self.draw.text((x, y), string.text, font=_font(string.fontName, pixels),
                       fill=_colour(string.fillColor), anchor=_ANCHORS.get(string.textAnchor, "ls"))


def _along(start, end, fraction: float) -> tuple[float, float]:
    return start[0] + (end[0] - start[0]) * fraction, start[1] + (end[1] - start[1]) * fraction
