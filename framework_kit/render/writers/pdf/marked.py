"""Marked content of the PDF: the watermark drawn as outlines, the diagram's alternative text.

The watermark is furniture, not text: drawn as glyph outlines (no text
operators at all) inside an ``/Artifact`` marked-content sequence, so that
text extraction, copy-paste and screen readers never return its letters,
while the header marking stays real text. The diagram is wrapped in a
``/Span`` sequence carrying ``/Alt``, the way an untagged PDF gives a picture
its alternative text (ISO 32000-1, 14.9.3).
"""

from __future__ import annotations

import functools
import io
import threading

from . import reportlab_patches  # noqa: F401  (before any platypus import: see its docstring)
from reportlab.platypus import Flowable


def _pdf_text(text: str) -> str:
    """A PDF string in hex, UTF-16BE with its byte-order mark: any script, no escaping."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def begin_artifact(canvas, subtype: str = "Watermark") -> None:
    canvas._code.append(f"/Artifact <</Type /Pagination /Subtype /{subtype}>> BDC")


def end_marked(canvas) -> None:
    canvas._code.append("EMC")


# fontTools decompiles glyphs lazily and is not safe to share between threads unguarded:
# two documents rendered at once (the library allows it) draw their watermarks in turn.
_LOCK = threading.Lock()


@functools.cache
def _font(path: str):
    from fontTools.ttLib import TTFont

    # Read whole: a font kept for the life of the process must not hold a file open.
    with open(path, "rb") as handle:
        font = TTFont(io.BytesIO(handle.read()), lazy=True)
    return font, font.getGlyphSet(), font.getBestCmap(), font["head"].unitsPerEm


def text_width(text: str, path: str, size: float) -> float:
    with _LOCK:
        font, glyphs, cmap, units = _font(path)
        return sum(glyphs[cmap.get(ord(c), ".notdef")].width for c in text) * size / units


def draw_outlined(canvas, text: str, path: str, size: float, x: float, y: float) -> None:
    """``text`` as filled glyph outlines from the TrueType file at ``path``, baseline at (x, y)."""
    from fontTools.pens.basePen import BasePen

    font, glyphs, cmap, units = _font(path)
    scale = size / units
    outline = canvas.beginPath()

    class Pen(BasePen):
        offset = 0.0

        def _moveTo(self, point):
            outline.moveTo(*self._at(point))

        def _lineTo(self, point):
            outline.lineTo(*self._at(point))

        def _curveToOne(self, one, two, three):
            outline.curveTo(*self._at(one), *self._at(two), *self._at(three))

        def _closePath(self):
            outline.close()

        def _at(self, point):
            return x + (self.offset + point[0]) * scale, y + point[1] * scale

    pen = Pen(glyphs)
    with _LOCK:
        for character in text:
            glyph = glyphs[cmap.get(ord(character), ".notdef")]
            glyph.draw(pen)
            pen.offset += glyph.width
    canvas.drawPath(outline, stroke=0, fill=1)


class Described(Flowable):
    """A flowable (the diagram) drawn inside a marked-content sequence with ``/Alt`` text."""

    def __init__(self, inner: Flowable, description: str):
        super().__init__()
        self.inner = inner
        self.description = " ".join(description.split())
        self.hAlign = getattr(inner, "hAlign", "LEFT")

    def wrap(self, available_width, available_height):
        self.width, self.height = self.inner.wrap(available_width, available_height)
        return self.width, self.height

    def draw(self):
        if self.description:
            self.canv._code.append(f"/Span <</Alt {_pdf_text(self.description)}>> BDC")
        self.inner.drawOn(self.canv, 0, 0)
        if self.description:
            end_marked(self.canv)
