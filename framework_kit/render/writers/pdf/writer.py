"""The PDF writer: a document tree -> PDF bytes and the number of pages.

Built on reportlab's platypus, with IBM Plex Serif embedded (subset), written
as PDF/A-2b by the archival canvas (``archive``). Every page carries the
marking and reference in its header, the version line and "Page X of Y" in its
footer, and the watermark, when there is one, behind the text. Notes are
footnotes on the page of their reference; a note too long for the foot of a
page goes to a "Notes" section at the end instead.

The same tree always gives the same bytes: reportlab runs in its invariant
mode and the creation date is the document's date (or SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import io
import math
import os
import re

from . import reportlab_patches  # noqa: F401  (before any platypus import: see its docstring)
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus.doctemplate import LayoutError

from ... import font_facts
from ...direction import has_rtl, is_rtl_language
from ...doctree import Document
from ...fonts import font_files, names_for
from ...theme import Theme
from .archive import PRODUCER, pdf_date
from .blocks import BlockBuilder, PdfError, Paragraph, Styles, number_column
from .marked import begin_artifact, draw_outlined, end_marked, form_once, text_width
from .rtl import make_paragraph
from .markup import NOTE_LINK, NoteBook
from .pages import DeferredCanvas, DocTemplate, FlushNotes, FootnoteArea, NoteFrame, PageLimit

CREATOR = "framework-kit"  # the tool that made the document; archive.PRODUCER wrote the file
WATERMARK = "watermark"  # the name of the watermark's form in each document
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def write_pdf(document: Document, theme: Theme, max_pages: int | None = None) -> tuple[bytes, int]:
    """Lay out ``document`` with ``theme``; return the PDF bytes and the page count.

    Raises ``PageLimit`` (with the text being laid out) when a page beyond ``max_pages``
    would begin.
    """
    fonts = names_for(theme)
    page_width, page_height = (side * mm for side in theme.page_mm)
    if document.meta.orientation == "landscape":  # a wide table (the CBM schedule)
        page_width, page_height = max(page_width, page_height), min(page_width, page_height)
    margins = {side: value * mm for side, value in theme.margins_mm.items()}
    width = page_width - margins["left"] - margins["right"]
    height = page_height - margins["top"] - margins["bottom"]

    rtl = is_rtl_language(document.meta.language)
    styles = Styles(theme, fonts, number_column(document.blocks, theme, fonts), rtl=rtl)
    notes = NoteBook()
    if document.meta.compared_with:  # a blackline: revision marks, and their legend under the title
        from . import redline

        story = BlockBuilder(styles, notes, width, height, revision=redline.revision).build(document.blocks)
        story[1:1] = redline.legend(styles, document.meta)
    else:
        story = BlockBuilder(styles, notes, width, height).build(document.blocks)
    footnotes, endnotes = _split_notes(notes, styles, width, height)
    if endnotes:
        story += [make_paragraph(document.meta.notes_label or "Notes", styles.heading2_plain)] + endnotes

    area = FootnoteArea(footnotes, width, theme.colour("muted"))
    frame = NoteFrame(margins["left"], margins["bottom"], width, height, id="text", notes=area,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    story += FlushNotes.for_frame(frame, len(footnotes))
    furniture = _Furniture(document, theme, fonts, (page_width, page_height), margins)
    meta = document.meta
    buffer = io.BytesIO()
    template = DocTemplate(
        buffer, frame=frame, on_page=furniture.background, pagesize=(page_width, page_height),
        leftMargin=margins["left"], rightMargin=margins["right"], topMargin=margins["top"],
        bottomMargin=margins["bottom"], title=meta.title, author=meta.author, subject=meta.subject,
        keywords=list(meta.keywords), creator=CREATOR, producer=PRODUCER, invariant=1,
        lang=meta.language or None, displayDocTitle=1, initialFontName=fonts.regular,
        max_pages=max_pages)
    canvases: list[DeferredCanvas] = []

    def canvas_maker(*args, **kwargs):
        canvas = DeferredCanvas(*args, stamp=furniture.page_number, date_formatter=_date_formatter(meta.date),
                                **kwargs)
        canvases.append(canvas)
        return canvas

    try:
        template.build(story, canvasmaker=canvas_maker)
    except PageLimit:
        raise PageLimit(template.stopped_at) from None
    except LayoutError:
        # reportlab's own message names its internal objects: of no use to a drafter.
        raise PdfError("the PDF could not be laid out: a table row, figure or signature block is "
                       "too large for one page; shorten it or split it into smaller parts") from None
    return buffer.getvalue(), canvases[-1].page_count


def _split_notes(notes: NoteBook, styles: Styles, width: float, height: float):
    """Footnote paragraphs by number, and endnote flowables for notes too long for a page's foot."""
    footnotes: dict[int, Paragraph] = {}
    endnotes: list[Paragraph] = []
    for number, markup in notes.texts.items():
        text = f'<a name="{NOTE_LINK[1:]}{number}"/>{markup}'
        paragraph = make_paragraph(text, styles.note, bulletText=str(number))
        _, needed = paragraph.wrap(width, 10_000)
        if needed <= height * 0.35:
            footnotes[number] = paragraph
        else:
            endnotes.append(make_paragraph(text, styles.note, bulletText=str(number)))
    return footnotes, endnotes


def _date_formatter(date: str):
    """The PDF date format from the document's ISO date, else the archival canvas's own.

    reportlab's invariant mode already takes SOURCE_DATE_EPOCH when it is set,
    and falls back to a fixed date otherwise: never the clock.
    """
    found = _ISO_DATE.fullmatch(date.strip()) if date else None
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip() or not found:
        return pdf_date
    year, month, day = found.groups()
    return lambda *_: pdf_date(int(year), int(month), int(day), 0, 0, 0)


class _Furniture:
    """Header, footer and watermark, drawn on every page."""

    def __init__(self, document: Document, theme: Theme, fonts, page: tuple[float, float], margins: dict):
        self.meta = document.meta
        self.theme = theme
        self.fonts = fonts
        self.page_width, self.page_height = page
        self.margins = margins
        self.size = theme.sizes["header"]
        self.rtl = is_rtl_language(self.meta.language)

    def colour(self, name: str):
        return HexColor(self.theme.colour(name))

    def background(self, canvas, _document) -> None:
        """Watermark, header and the left of the footer; drawn before the page's text."""
        canvas.saveState()
        if self.meta.watermark.strip():
            self._watermark(canvas, self.meta.watermark.strip())
        left = self.margins["left"]
        right = self.page_width - self.margins["right"]
        top = self.page_height - self.margins["top"] * 0.55
        rule = top - self.size * 0.6
        canvas.setFillColor(self.colour("accent"))
        canvas.setFont(self.fonts.bold, self.size)
        # A right-to-left document mirrors its furniture: the marking at the right.
        start, end = (right, left) if self.rtl else (left, right)
        self._text(canvas, self.meta.marking, self.fonts.bold, (right - left) * 0.6, start, top)
        canvas.setFillColor(self.colour("muted"))
        canvas.setFont(self.fonts.regular, self.size)
        self._text(canvas, self.meta.reference, self.fonts.regular, (right - left) * 0.38, end, top)
        canvas.setStrokeColor(self.colour("muted"))
        canvas.setLineWidth(0.4)
        canvas.line(left, rule, right, rule)
        bottom = self.margins["bottom"] * 0.45
        canvas.line(left, bottom + self.size * 1.3, right, bottom + self.size * 1.3)
        self._text(canvas, self.meta.footer, self.fonts.regular, (right - left) * 0.7, start, bottom)
        canvas.restoreState()

    def page_number(self, canvas, number: int, total: int) -> None:
        """"Page X of Y" at the right of the footer (the left, right to left), once the total is known."""
        canvas.saveState()
        canvas.setFillColor(self.colour("muted"))
        canvas.setFont(self.fonts.regular, self.size)
        end = self.margins["left"] if self.rtl else self.page_width - self.margins["right"]
        label = self.meta.page_label.replace("{page}", str(number)).replace("{pages}", str(total))
        self._text(canvas, label, self.fonts.regular, self.page_width, end, self.margins["bottom"] * 0.45)
        canvas.restoreState()

    def _text(self, canvas, text: str, font: str, room: float, x: float, y: float) -> None:
        """One line of furniture, cut to ``room``, from ``x`` when that is the left margin, else
        ending there; set by bidi levels in a right-to-left document or text."""
        left_edge = x == self.margins["left"]
        if not (self.rtl or has_rtl(text)):
            fitted = _fit(text, font, self.size, room)
            (canvas.drawString if left_edge else canvas.drawRightString)(x, y, fitted)
            return
        from .shaping import draw_runs, one_line, width_of

        colour = canvas._fillColorObj
        text = " ".join(text.split())
        line = one_line(text, font, self.size, colour, self.rtl)
        while width_of(line) > room and _shorter(text) != text:  # whole words off the end
            text = _shorter(text)
            line = one_line(text, font, self.size, colour, self.rtl)
        draw_runs(canvas, line, x if left_edge else x - width_of(line), y)

    def _watermark(self, canvas, text: str) -> None:
        # Outlines in an artifact, never text: extraction and screen readers skip it. The
        # outlines are one form, drawn once in the file and placed on every page.
        bold = str(font_files(self.theme)["bold"])
        angle = math.degrees(math.atan2(self.page_height, self.page_width))
        diagonal = math.hypot(self.page_width, self.page_height)

        def draw(form) -> None:
            form.translate(self.page_width / 2, self.page_height / 2)
            form.rotate(angle)
            if has_rtl(text):  # joined letters in bidi order: the shaped glyphs' outlines
                from .shaping import draw_outlines

                draw_outlines(form, text, self.fonts.bold, 0.5 * diagonal, 110, self.rtl)
            else:
                size = min(0.5 * diagonal / max(text_width(text, bold, 1), 1e-6), 110)
                draw_outlined(form, text, bold, size, -text_width(text, bold, size) / 2, -size * 0.35)

        key = (text, font_facts.state(bold), self.fonts.bold, self.page_width, self.page_height, self.rtl)
        form_once(canvas, WATERMARK, draw, key)
        begin_artifact(canvas)
        # Translucent as well as light, so that text crossing it stays crisp in print.
        canvas.setFillColor(self.colour("watermark"), alpha=0.45)
        canvas.doForm(WATERMARK)
        end_marked(canvas)


def _shorter(text: str) -> str:
    """``text`` without its last word, and an ellipsis."""
    words = " ".join(text.split()).rstrip("…").split(" ")
    return " ".join(words[:-1]) + "…" if len(words) > 1 else text


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` (header lines have one line only)."""
    text = " ".join(text.split())
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


__all__ = ["write_pdf", "PdfError", "PageLimit", "CREATOR"]
