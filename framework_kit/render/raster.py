"""A figure's shapes (:class:`~.drawing.Scene`) as a PNG picture, painted with Pillow.

reportlab 5 rasterises only through pycairo, which has no wheels for Linux; the
old libart accelerator (rl-renderPM) no longer plugs into it. The figures are
made of four kinds of shape (rectangles, polylines, polygons, strings), so
this small painter draws them with Pillow and the same IBM Plex Serif files
the PDF embeds. It paints at twice the size and scales down, which smooths
the lines and the text (three times looks the same even under a loupe, and
took half again the time and 25 MB for a full-width figure). Nothing depends
on the clock or the machine, so the same figure always gives the same bytes.
"""

from __future__ import annotations

import math
import struct
import zlib
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from .drawing import LineShape, PolygonShape, RectShape, Scene, TextShape, to_scene
from .direction import has_rtl, is_arabic_block, starts_rtl
from .fonts import NAMES, arabic_font_files, font_files, house_font_files

_SUPERSAMPLE = 2
_BAND = 128  # rows of the final picture painted at a time
_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


class RasterError(RuntimeError):
    """A figure holds a shape this painter cannot draw."""


def figure_png(figure, theme, dpi: int = 200) -> bytes:
    """The figure as PNG bytes at ``dpi``, drawn with the same fonts as the PDF.

    The same figure and theme always give the same bytes.
    """
    return scene_to_png(to_scene(figure, theme), dpi=dpi, background=theme.colour("paper"))


def scene_to_png(scene: Scene, dpi: int = 200, background: str = "#ffffff") -> bytes:
    """PNG bytes of ``scene`` at ``dpi`` on a ``background`` colour."""
    scale = dpi / 72.0 * _SUPERSAMPLE
    width = max(1, round(scene.width * dpi / 72.0))
    height = max(1, round(scene.height * dpi / 72.0))
    image = Image.new("RGB", (width, height), background)
    # Painted a band of rows at a time: the supersampled canvas of a whole
    # full-width figure would take 11 MB, a band about 3.
    for top, bottom in _bands(scene, scale, height):
        rows = (bottom - top) * _SUPERSAMPLE
        band = Image.new("RGB", (width * _SUPERSAMPLE, rows), background)
        painter = _Painter(ImageDraw.Draw(band), scale, scene.height, top * _SUPERSAMPLE)
        for shape in scene.shapes:
            if painter.reaches(shape, rows):
                painter.shape(shape)
        image.paste(band.reduce(_SUPERSAMPLE), (0, top))  # averages each 2×2 block: the anti-aliasing
    return _png(image, dpi)


def _png(image: Image.Image, dpi: int) -> bytes:
    """The RGB ``image`` as PNG, written here rather than by Pillow's PNG plugin.

    Importing the plugin and Pillow's format registry costs a cold render 20 ms;
    unfiltered rows compress as well here (figures are mostly flat colour), and
    the bytes depend on nothing but the pixels.
    """
    width, height = image.size
    stride = width * 3
    pixels = image.tobytes()
    rows = b"".join(b"\0" + pixels[start:start + stride] for start in range(0, len(pixels), stride))
    per_metre = round(dpi / 0.0254)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
            + chunk(b"IDAT", zlib.compress(rows, 6))
            + chunk(b"IEND", b""))


def _bands(scene: Scene, scale: float, height: int) -> list[tuple[int, int]]:
    """Rows of the picture to paint together, cut only where no box or text is cut.

    Pillow rounds a rounded rectangle or a line of text that starts above its
    canvas differently, so a box cut in two would come out half a pixel off;
    cut between boxes, the picture is the same as painted whole.
    """
    pixels = scale / _SUPERSAMPLE
    whole: list[tuple[float, float]] = []  # rows (of the final picture) not to cut across
    for shape in scene.shapes:
        if isinstance(shape, RectShape):
            low, high = shape.y - 2, shape.y + shape.height + 2
        elif isinstance(shape, TextShape):
            low, high = shape.y - shape.size * 1.5, shape.y + shape.size * 1.5
        else:
            continue
        whole.append(((scene.height - high) * pixels, (scene.height - low) * pixels))

    def cuts_something(row: int) -> bool:
        return any(first < row < last for first, last in whole)

    bands, top = [], 0
    while top < height:
        bottom = min(top + _BAND, height)
        while bottom < height and cuts_something(bottom) and bottom > top + _BAND // 4:
            bottom -= 1
        if cuts_something(bottom) and bottom < height:  # no gap near: go on to the next one
            bottom = min(top + _BAND, height)
            while bottom < height and cuts_something(bottom):
                bottom += 1
        bands.append((top, bottom))
        top = bottom
    return bands


@lru_cache(maxsize=64)
def _font(name: str, pixels: int) -> ImageFont.FreeTypeFont:
    files = font_files()
    by_name = {getattr(NAMES, face): path for face, path in files.items()}
    by_name.update(house_font_files())
    if name not in by_name:
        raise RasterError(f"the figure uses the font {name!r}, which is not the document font")
    return ImageFont.truetype(str(by_name[name]), pixels)


@lru_cache(maxsize=64)
def _shaping_font(name: str, pixels: int, arabic: bool) -> ImageFont.FreeTypeFont:
    """The face ``name`` (Amiri's matching face for Arabic letters) with raqm's layout."""
    from PIL import features

    from .fonts import FontError

    if not features.check("raqm"):
        raise FontError("the figure holds right-to-left text, which Pillow lays out only with "
                        "libraqm and libfribidi; install the system package libfribidi0")
    path = _font(name, pixels).path
    if arabic:
        faces = {getattr(NAMES, face): face for face in ("regular", "bold", "italic", "bold_italic")}
        path = str(arabic_font_files()[faces.get(name, "regular")])
    return ImageFont.truetype(path, pixels, layout_engine=ImageFont.Layout.RAQM)


def _colour(colour: str | None) -> tuple[int, int, int] | None:
    if colour is None:
        return None
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


class _Painter:
    def __init__(self, draw: ImageDraw.ImageDraw, scale: float, height: float, offset: int = 0):
        self.draw = draw
        self.scale = scale
        self.height = height
        self.offset = offset  # the band's first row on the whole canvas

    def point(self, x: float, y: float) -> tuple[float, float]:
        return x * self.scale, (self.height - y) * self.scale - self.offset

    def reaches(self, shape, rows: int) -> bool:
        """Whether ``shape`` may touch the band's ``rows`` (generously: text has ascenders)."""
        if isinstance(shape, RectShape):
            low, high, reach = shape.y, shape.y + shape.height, 2.0
        elif isinstance(shape, TextShape):
            low, high, reach = shape.y, shape.y, shape.size * 1.5
        elif isinstance(shape, (LineShape, PolygonShape)):
            ys = shape.points[1::2]
            low, high, reach = min(ys), max(ys), 2.0
        else:
            return True  # shape() says what is wrong with it
        top = self.point(0, high + reach)[1]
        bottom = self.point(0, low - reach)[1]
        return bottom >= 0 and top <= rows

    def size(self, value: float) -> float:
        return value * self.scale

    def points(self, flat) -> list[tuple[float, float]]:
        return [self.point(*pair) for pair in zip(flat[::2], flat[1::2], strict=True)]

    def shape(self, shape) -> None:
        if isinstance(shape, RectShape):
            self.rect(shape)
        elif isinstance(shape, PolygonShape):
            self.draw.polygon(self.points(shape.points), fill=_colour(shape.fill),
                              outline=_colour(shape.stroke))
        elif isinstance(shape, LineShape):
            self.polyline(shape)
        elif isinstance(shape, TextShape):
            self.text(shape)
        else:
            raise RasterError(f"figures cannot hold a {type(shape).__name__}")

    def rect(self, rect: RectShape) -> None:
        x0, y0 = self.point(rect.x, rect.y + rect.height)
        x1, y1 = self.point(rect.x + rect.width, rect.y)
        stroke = 1.0 if rect.stroke_width is None else rect.stroke_width  # reportlab's default
        width = round(self.size(stroke)) if rect.stroke is not None else 0
        self.draw.rounded_rectangle([min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)],
                                    radius=self.size(rect.radius), fill=_colour(rect.fill),
                                    outline=_colour(rect.stroke), width=width)

    def polyline(self, line: LineShape) -> None:
        points = self.points(line.points)
        colour = _colour(line.stroke)
        width = max(1, round(self.size(line.stroke_width)))
        if not line.dashes:
            self.draw.line(points, fill=colour, width=width, joint="curve")
            return
        on, off = (self.size(value) for value in line.dashes[:2])
        for start, end in zip(points, points[1:], strict=False):
            length = math.dist(start, end)
            position = 0.0
            while position < length:
                stop = min(position + on, length)
                self.draw.line([_along(start, end, position / length), _along(start, end, stop / length)],
                               fill=colour, width=width)
                position = stop + off

    def text(self, text: TextShape) -> None:
        pixels = max(1, round(self.size(text.size)))
        x, y = self.point(text.x, text.y)
        if has_rtl(text.text):  # joined letters in bidi order: Pillow's raqm layout
            arabic = any(is_arabic_block(ord(character)) for character in text.text)
            font = _shaping_font(text.font, pixels, arabic)
            direction = "rtl" if starts_rtl(text.text) else "ltr"
        else:
            font, direction = _font(text.font, pixels), None
        self.draw.text((x, y), text.text, font=font, fill=_colour(text.fill),
                       anchor=_ANCHORS.get(text.anchor, "ls"), direction=direction)


def _along(start, end, fraction: float) -> tuple[float, float]:
    return start[0] + (end[0] - start[0]) * fraction, start[1] + (end[1] - start[1]) * fraction
