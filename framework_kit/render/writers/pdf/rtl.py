"""A paragraph that holds right-to-left text, or stands in a right-to-left document.

reportlab's Paragraph cannot order such text (see :mod:`.shaping`); this one keeps
its markup, fragments, style and place in the story (keeping, notes, outline), and
lays out and draws its lines itself: runs shaped by HarfBuzz, lines broken in
logical order, each line drawn in visual order. In a right-to-left paragraph the
style is mirrored: its left indent and the clause number (the bullet) stand at the
right, "left" alignment is the start of the line, so the right, and the last line
of a justified paragraph ends at the right.
"""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.pdfbase.pdfmetrics import getAscentDescent

from ...direction import has_rtl, starts_rtl
from . import shaping
from .paragraph import Paragraph, RuledParagraph

RTL_WRAP = "RTL"  # a style's wordWrap in a right-to-left document (reportlab's own word for it)


def base_is_rtl(style, text: str) -> bool:
    """The paragraph's direction: its document's, else that of its first strong letter (UAX #9 P2)."""
    return getattr(style, "wordWrap", None) == RTL_WRAP or starts_rtl(text)


def make_paragraph(text: str, style, bulletText=None, rule=None) -> Paragraph:
    """The paragraph for ``text`` (markup): right-to-left aware when its text or its document
    needs it, else reportlab's (with a rule in the margin when ``rule`` is a colour)."""
    if getattr(style, "wordWrap", None) == RTL_WRAP or has_rtl(text):
        return RtlParagraph(text, style, bulletText, rule=rule)
    if rule is not None:
        return RuledParagraph(text, style, bulletText=bulletText, rule=rule)
    return Paragraph(text, style, bulletText=bulletText)


class RtlParagraph(Paragraph):
    """A paragraph laid out by bidi levels; see the module's docstring."""

    def __init__(self, text, style=None, bulletText=None, frags=None, rule=None, **kwargs):
        super().__init__(text, style, bulletText, frags, **kwargs)
        self.rule = rule
        plain = "".join(getattr(frag, "text", "") for frag in self.frags)
        self.rtl = base_is_rtl(self.style, plain)
        self._laid: tuple[float, list] | None = None

    # ------------------------------------------------------------ layout

    def _runs(self) -> list[shaping.Run]:
        pieces = [(frag, getattr(frag, "text", "")) for frag in self.frags]
        return shaping.runs(pieces, self.rtl)

    def _lines(self, width: float) -> list[list[shaping.Run]]:
        if self._laid is None or self._laid[0] != width:
            style = self.style
            room = width - style.leftIndent - style.rightIndent
            lines = shaping.break_lines(self._runs(),
                                        lambda n: room - (style.firstLineIndent if n == 0 else 0))
            self._laid = (width, lines)
        return self._laid[1]

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.height = len(self._lines(availWidth)) * self.style.leading
        return availWidth, self.height

    def minWidth(self):
        return max((run.width for run in self._runs()), default=0.0)

    def split(self, availWidth, availHeight):
        lines = self._lines(availWidth)
        fit = int((availHeight + 1e-6) // self.style.leading)
        if fit >= len(lines):
            return [self]
        if len(lines) - fit == 1 and not self.style.allowWidows:
            fit -= 1
        if fit < 1 or (fit == 1 and not self.style.allowOrphans):
            return []
        return [self._part(availWidth, lines[:fit], first=True),
                self._part(availWidth, lines[fit:], first=False)]

    def _part(self, width: float, lines: list, first: bool) -> RtlParagraph:
        part = object.__new__(RtlParagraph)
        part.__dict__.update(self.__dict__)
        part.__dict__.pop("_fk_notes", None)
        part._laid = (width, lines)
        part.frags = list(dict.fromkeys(run.frag for line in lines for run in line))
        if not first:
            part.bulletText = None
            part.__dict__.pop("outline", None)
        return part

    # ------------------------------------------------------------ drawing

    def draw(self):
        canvas, style = self.canv, self.style
        lines = self._lines(self.width)
        if getattr(style, "backColor", None):
            self._background(canvas, style)
        ascent = getAscentDescent(style.fontName, style.fontSize)[0]
        baseline = self.height - ascent
        for number, line in enumerate(lines):
            shown = shaping.visual(line)
            last = number == len(lines) - 1 or (line and shaping.ends_line(line[-1]))
            x, extra = self._start(line, number, last)
            shaping.draw_runs(canvas, shown, x, baseline - number * style.leading, extra)
        if self.bulletText and lines:
            self._bullet(canvas, baseline)
        if self.rule is not None:
            canvas.saveState()
            canvas.setStrokeColor(self.rule)
            canvas.setLineWidth(1.5)
            edge = self.width + 6 if self.rtl else -6
            canvas.line(edge, 0, edge, self.height)
            canvas.restoreState()

    def _start(self, line, number: int, last: bool) -> tuple[float, float]:
        """Where a line starts, and the space added to each of its spaces."""
        style = self.style
        first = style.firstLineIndent if number == 0 else 0
        start_indent = style.leftIndent + first
        left, right = ((style.rightIndent, self.width - start_indent) if self.rtl
                       else (start_indent, self.width - style.rightIndent))
        slack = right - left - shaping.width_of(line)
        align = style.alignment
        if self.rtl and align in (TA_LEFT, TA_RIGHT):
            align = TA_RIGHT if align == TA_LEFT else TA_LEFT
        if align == TA_JUSTIFY:
            spaces = sum(1 for run in line if run.space)
            if not last and spaces and slack > 0:
                return left, slack / spaces
            align = TA_RIGHT if self.rtl else TA_LEFT
        if align == TA_RIGHT:
            return left + slack, 0.0
        if align == TA_CENTER:
            return left + slack / 2, 0.0
        return left, 0.0

    def _bullet(self, canvas, baseline: float) -> None:
        style = self.style
        font = getattr(style, "bulletFontName", style.fontName)
        size = getattr(style, "bulletFontSize", style.fontSize)
        line = shaping.one_line(str(self.bulletText), font, size, style.textColor, self.rtl)
        indent = getattr(style, "bulletIndent", 0)
        x = self.width - indent - shaping.width_of(line) if self.rtl else indent
        shaping.draw_runs(canvas, line, x, baseline)

    def _background(self, canvas, style) -> None:
        padding = style.borderPadding
        if not isinstance(padding, (list, tuple)):
            padding = (padding,) * 4
        top, right, bottom, left = (tuple(padding) * 4)[:4] if len(padding) < 4 else padding[:4]
        canvas.saveState()
        canvas.setFillColor(style.backColor)
        canvas.rect(style.leftIndent - left if not self.rtl else style.rightIndent - left, -bottom,
                    self.width - style.leftIndent - style.rightIndent + left + right,
                    self.height + top + bottom, stroke=0, fill=1)
        canvas.restoreState()


def shape_strings(drawing):
    """``drawing`` with each label that holds right-to-left letters set as shaped runs in bidi
    order (a group of strings, one a run, in their own fonts), where its anchor puts it."""
    from reportlab.graphics.shapes import Group, String

    def replaced(shape):
        if isinstance(shape, Group):
            shape.contents = [replaced(child) for child in shape.contents]
            return shape
        if not isinstance(shape, String) or not has_rtl(shape.text):
            return shape
        line = shaping.one_line(shape.text, shape.fontName, shape.fontSize, shape.fillColor,
                                base_is_rtl(None, shape.text))
        width = shaping.width_of(line)
        x = shape.x - {"middle": width / 2, "end": width}.get(shape.textAnchor, 0.0)
        group = Group()
        for run in line:
            if run.shaped is not None and not run.space:
                group.add(String(x, shape.y, run.shaped, fontName=run.font, fontSize=run.size,
                                 fillColor=shape.fillColor))
            x += run.width
        return group

    drawing.contents = [replaced(shape) for shape in drawing.contents]
    return drawing


def mirrored(rows: list[list], widths: list[float], commands: list) -> tuple[list, list, list]:
    """A table's rows, column widths and style commands with its columns in the opposite order:
    a right-to-left document's tables read from the right."""
    count = len(widths)

    def column(index: int) -> int:
        return count - 1 - (index if index >= 0 else count + index)

    flipped = []
    reversed_rows = [list(reversed(row)) for row in rows]
    for name, start, end, *rest in commands:
        first, last = sorted((column(start[0]), column(end[0])))
        name = {"LEFTPADDING": "RIGHTPADDING", "RIGHTPADDING": "LEFTPADDING",
                "LINEBEFORE": "LINEAFTER", "LINEAFTER": "LINEBEFORE"}.get(name, name)
        flipped.append((name, (first, start[1]), (last, end[1]), *rest))
        if name == "SPAN" and first != last:
            # reportlab prints a span's first cell; the text was in the one now at its end.
            row = reversed_rows[min(start[1], end[1])]
            row[first], row[last] = row[last], row[first]
    return reversed_rows, list(reversed(widths)), flipped


__all__ = ["RTL_WRAP", "RtlParagraph", "base_is_rtl", "make_paragraph", "mirrored", "shape_strings"]
