"""Marked content of the PDF: the watermark drawn as outlines, the diagram's alternative text.

The watermark is furniture, not text: drawn as glyph outlines (no text
operators at all) inside an ``/Artifact`` marked-content sequence, so that
text extraction, copy-paste and screen readers never return its letters,
while the header marking stays real text. The outlines of a text are taken
from the font once per installation (:mod:`...font_facts`), made a path once per
process (:func:`outline`), and drawn once per document,
as a form that every page places (:func:`form_once`). The diagram is wrapped in a
``/Span`` sequence carrying ``/Alt``, the way an untagged PDF gives a picture
its alternative text (ISO 32000-1, 14.9.3).
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from . import reportlab_patches  # noqa: F401  (before any platypus import: see its docstring)
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import Flowable

from ... import font_facts


def _pdf_text(text: str) -> str:
    """A PDF string in hex, UTF-16BE with its byte-order mark: any script, no escaping."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def begin_artifact(canvas, subtype: str = "Watermark") -> None:
    canvas._code.append(f"/Artifact <</Type /Pagination /Subtype /{subtype}>> BDC")


def end_marked(canvas) -> None:
    canvas._code.append("EMC")


class Outline(NamedTuple):
    """A text's outlines as a path in font units, baseline at 0: made once, then only read."""

    path: PDFPathObject
    advance: float  # the text's width, in font units
    units: int  # font units per em


_OPERATORS = {"m": PDFPathObject.moveTo, "l": PDFPathObject.lineTo, "c": PDFPathObject.curveTo,
              "h": PDFPathObject.close}


@functools.lru_cache(maxsize=32)
def _outline(text: str, key: font_facts.FontState) -> Outline:
    found = font_facts.outline_in(text, key)
    drawn = PDFPathObject()
    for operator, *numbers in found.calls:
        _OPERATORS[operator](drawn, *numbers)
    return Outline(drawn, found.advance, found.units)


def outline(text: str, path: str) -> Outline:
    """``text`` as outlines from the TrueType file at ``path``, kept for the process (by text and
    by the file's state: a font replaced in place is read again)."""
    return _outline(text, font_facts.state(path))


def text_width(text: str, path: str, size: float) -> float:
    found = outline(text, path)
    return found.advance * size / found.units


def draw_outlined(canvas, text: str, path: str, size: float, x: float, y: float) -> None:
    """``text`` as filled glyph outlines from the TrueType file at ``path``, baseline at (x, y)."""
    found = outline(text, path)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / found.units, size / found.units)
    canvas.drawPath(found.path, stroke=0, fill=1)
    canvas.restoreState()


class _Form(pdfdoc.PDFStreamFilterZCompress):
    """A form drawn once in this process: its operators, and (as the Flate filter of its
    stream) the stream compressed the first time, which every later document repeats."""

    def __init__(self, operators: tuple):
        self.operators, self._stream, self._compressed = operators, None, b""

    def encode(self, text):
        if text != self._stream:
            self._stream, self._compressed = text, super().encode(text)
        return self._compressed


# Forms already drawn, by all they depend on. The watermark's outlines are a few thousand
# numbers to format and compress, 1.3 ms a document and the same for every document with
# the same marking. Few markings, fonts and page sizes meet in one process; past this many,
# the memory is simply cleared.
_FORMS: dict = {}
_MOST_FORMS = 64


def form_once(canvas, name: str, draw, key=None) -> None:
    """``draw(canvas)`` as the page-sized form XObject ``name``, made once per document.

    Each page then places it with ``canvas.doForm(name)``: the drawing is written
    once in the file, whatever the number of pages. With a ``key`` (all that the
    drawing depends on), the form is remembered for the process: ``draw`` must
    then only draw (no fonts, images or graphics states to register). The
    form's stream is compressed with Flate alone, as the pages' are (see
    pages.DeferredCanvas).
    """
    if canvas.hasForm(name):
        return
    canvas.beginForm(name)
    kept = _FORMS.get(key) if key is not None else None
    if kept is None:
        start = len(canvas._code)
        draw(canvas)
        kept = _Form(tuple(canvas._code[start:]))
        if key is not None:
            if len(_FORMS) >= _MOST_FORMS:
                _FORMS.clear()
            _FORMS[key] = kept
    else:
        canvas._code.extend(kept.operators)
    canvas.endForm(compression=0)
    form = canvas._doc.idToObject[canvas._doc.getXObjectName(name)]
    form.Contents = pdfdoc.PDFStream(content=form.stream, filters=[kept])


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
