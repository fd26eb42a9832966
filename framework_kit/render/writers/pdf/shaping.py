"""Right-to-left text for the PDF: pieces of text shaped by HarfBuzz, lines shown in bidi order.

reportlab's own right-to-left support needs ``rlbidi``, which is not on PyPI, and
orders whole words, so a word such as "(Annex" that holds two directions comes out
torn. Here a paragraph's logical text is cut into *runs*, each of one fragment
(font, colour, link), one font (Arabic letters in Amiri, the rest in the document
font) and one embedding level, never across a space. Each run is shaped by HarfBuzz
(through uharfbuzz, as reportlab's shaping does) in its own direction, which joins
Arabic letters into their contextual forms, makes the lam-alef ligatures and mirrors
brackets inside right-to-left text. Lines are broken on the runs' shaped widths in
logical order, then each line's runs are put in visual order (:func:`visual`).

A shaped run is a reportlab ``ShapedStr``: its characters are the code points the
glyphs are known by (a presentation form where the font's character map has one, a
private-use code point otherwise), so the PDF's ToUnicode map makes text extraction
give the shaped forms, in the order they are drawn.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from . import reportlab_patches  # noqa: F401  (before any platypus import: see its docstring)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

from ...direction import has_rtl, is_arabic_block, levels, visual_order
from ...fonts import register_arabic

_FEATURES = {"kern": True, "liga": True}
# HarfBuzz fonts by face name; reportlab's faces are shared by every document, and naming a
# glyph that has no code point changes the face's maps: one thread at a time.
_hb_fonts: dict[str, object] = {}
_private: dict[str, dict[int, int]] = {}  # face name -> glyph -> its private-use code point
_lock = threading.Lock()


@dataclass
class Run:
    """A piece of one line, drawn in one go."""

    frag: object  # reportlab's fragment: colour, rise, links, lines
    font: str
    size: float
    level: int
    text: str  # logical order
    shaped: ShapedStr | None
    width: float

    @property
    def space(self) -> bool:
        return self.text == " "


def shape(text: str, font_name: str, size: float, rtl: bool) -> tuple[ShapedStr, float]:
    """``text`` shaped in ``font_name`` as one run of the given direction, and its width."""
    import uharfbuzz

    font = pdfmetrics.getFont(font_name)
    with _lock:
        hb_font = _hb_fonts.get(font_name)
        if hb_font is None:
            hb_font = _hb_fonts[font_name] = font.hbFont(1000)
        buffer = uharfbuzz.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        buffer.direction = "rtl" if rtl else "ltr"
        uharfbuzz.shape(hb_font, buffer, _FEATURES)
        characters, data, advance = [], [], 0.0
        face = font.face
        for info, position in zip(buffer.glyph_infos, buffer.glyph_positions):
            glyph = info.codepoint
            known = face.glyphToChar.get(glyph)
            code = known[0] if known else _private_code(font, font_name, hb_font, glyph)
            x_advance = font.pdfScale(position.x_advance)
            characters.append(chr(code))
            data.append(ShapeData(info.cluster, x_advance, font.pdfScale(position.y_advance),
                                  font.pdfScale(position.x_offset), font.pdfScale(position.y_offset),
                                  face.charWidths.get(code, 0)))
            advance += x_advance
    return ShapedStr("".join(characters), shapeData=data), advance * size / 1000


def _private_code(font, font_name: str, hb_font, glyph: int) -> int:
    """The private-use code point of a glyph that has none (a contextual form), the same in
    every process and whatever was shaped before: the font's unmapped glyphs, in glyph
    order, take the free code points of U+E000–U+F8FF in order. Its width is the glyph's
    own advance (the PDF's /Widths must match the font program). Called under ``_lock``."""
    face = font.face
    table = _private.get(font_name)
    if table is None:
        mapped = set(face.glyphToChar)
        unmapped = [number for number in range(face.numGlyphs) if number not in mapped]
        free = [code for code in range(0xE000, 0xF900) if code not in face.charToGlyph]
        table = _private[font_name] = dict(zip(unmapped, free))
    code = table.get(glyph)
    if code is None:  # a font with more unmapped glyphs than private code points
        return font.hbAddPrivate(hb_font.glyph_to_string(glyph), glyph,
                                 font.pdfScale(hb_font.get_glyph_h_advance(glyph)))
    if code not in face.charToGlyph:
        face.charToGlyph[code] = glyph
        face.glyphToChar.setdefault(glyph, []).append(code)
        face.charWidths[code] = font.pdfScale(hb_font.get_glyph_h_advance(glyph))
    return code


def arabic_face(font_name: str) -> str:
    """The Amiri face for a face of the document font: bold for bold, italic for italic."""
    from reportlab.lib.fonts import ps2tt

    arabic = register_arabic()
    try:
        _, bold, italic = ps2tt(font_name)
    except ValueError:  # a face of no registered family
        return arabic.regular
    return arabic.face(bool(bold), bool(italic))


def runs(pieces, rtl: bool) -> list[Run]:
    """The runs of a paragraph's ``pieces`` (fragment, text), in logical order, shaped.

    A fragment without text (a line break, an anchor) is a run of its own, unshaped.
    """
    text = "".join(piece for _, piece in pieces)
    level_of = levels(text, rtl) if (rtl or has_rtl(text)) else [0] * len(text)
    out: list[Run] = []
    start = 0
    for frag, piece in pieces:
        if not piece:
            out.append(Run(frag, frag.fontName, frag.fontSize, 1 if rtl else 0, "", None, 0.0))
            continue
        keys = []
        previous_font = frag.fontName
        for offset, character in enumerate(piece):
            font = arabic_face(frag.fontName) if is_arabic_block(ord(character)) else frag.fontName
            if character in "\u200c\u200d\u200e\u200f":  # joiners and marks go with their neighbour
                font = previous_font
            previous_font = font
            keys.append((font, level_of[start + offset], character == " "))
        cut = 0
        for offset in range(1, len(piece) + 1):
            if offset == len(piece) or keys[offset] != keys[cut] or keys[offset][2]:
                font, level, _ = keys[cut]
                words = piece[cut:offset]
                shaped, width = shape(words, font, frag.fontSize, level % 2 == 1)
                out.append(Run(frag, font, frag.fontSize, level, words, shaped, width))
                cut = offset
        start += len(piece)
    return out


def break_lines(items: list[Run], widths) -> list[list[Run]]:
    """Greedy line breaking in logical order; ``widths(n)`` is the room of line ``n``.

    Lines break at spaces (a space at a break is dropped) and at explicit line breaks;
    a word longer than a line stands alone on its line.
    """
    lines: list[list[Run]] = [[]]
    used = 0.0
    word: list[Run] = []

    def place_word():
        nonlocal used
        if not word:
            return
        width = sum(run.width for run in word)
        line = lines[-1]
        pending_space = sum(run.width for run in _trailing_spaces(line))
        if line and used + width > widths(len(lines) - 1) + 1e-6 and used - pending_space > 0:
            del line[len(line) - len(_trailing_spaces(line)):]
            lines.append([])
            used = 0.0
        lines[-1].extend(word)
        used += width
        word.clear()

    for run in items:
        if ends_line(run):  # kept at the line's end: that line is not justified
            place_word()
            lines[-1].append(run)
            lines.append([])
            used = 0.0
        elif run.space:
            place_word()
            if lines[-1]:
                lines[-1].append(run)
                used += run.width
        else:
            word.append(run)
    place_word()
    for line in lines:
        end = len(line) - (1 if line and ends_line(line[-1]) else 0)
        spaces = len(_trailing_spaces(line[:end]))
        del line[end - spaces:end]
    return lines


def ends_line(run: Run) -> bool:
    """Whether ``run`` is an explicit line break."""
    return bool(getattr(run.frag, "lineBreak", False))


def _trailing_spaces(line: list[Run]) -> list[Run]:
    count = 0
    for run in reversed(line):
        if not run.space:
            break
        count += 1
    return line[len(line) - count:] if count else []


def visual(line: list[Run]) -> list[Run]:
    """A line's runs in the order they are drawn, left to right (UAX #9, L2)."""
    return [line[index] for index in visual_order([run.level for run in line])]


def width_of(line: list[Run]) -> float:
    return sum(run.width for run in line)


def draw_runs(canvas, line: list[Run], x: float, y: float, extra_space: float = 0.0) -> float:
    """Draw ``line`` (visual order) from ``x`` on baseline ``y``; ``extra_space`` is added to each
    space (justified lines). Returns where the line ends."""
    for run in line:
        anchor = getattr(run.frag, "cbDefn", None)
        if anchor is not None and getattr(anchor, "kind", "") == "anchor":
            canvas.bookmarkHorizontal(anchor.name, x, y + run.size)
        if run.shaped is not None and not run.space:
            frag = run.frag
            text = canvas.beginText(x, y + (getattr(frag, "rise", 0) or 0))
            text.setFont(run.font, run.size)
            text.setFillColor(frag.textColor)
            text.textOut(run.shaped)
            _actual_text(canvas, run.text[::-1] if run.level % 2 else run.text, text)
            _decorate(canvas, run, x, y)
        x += run.width + (extra_space if run.space else 0.0)
    return x


def _actual_text(canvas, words: str, text) -> None:
    """Draw ``text`` as a marked-content span whose /ActualText is the run's logical text:
    copying and extraction give the letters as typed, not the shaped glyphs' forms."""
    utf16 = "".join(f"{unit:02X}" for unit in ("\ufeff" + words).encode("utf-16-be"))
    canvas._code.append(f"/Span <</ActualText <{utf16}>>> BDC")
    canvas.drawText(text)
    canvas._code.append("EMC")


def _decorate(canvas, run: Run, x: float, y: float) -> None:
    """A run's underline and strike-through (blackline) and its link."""
    frag = run.frag
    for line in getattr(frag, "us_lines", None) or ():
        kind = line[1] if len(line) > 1 else ""
        offset = -0.125 * run.size if kind == "underline" else 0.25 * run.size
        canvas.saveState()
        canvas.setStrokeColor(frag.textColor)
        canvas.setLineWidth(0.5)
        canvas.line(x, y + offset, x + run.width, y + offset)
        canvas.restoreState()
    for link in getattr(frag, "link", None) or ():
        target = link[1] if isinstance(link, tuple) and len(link) > 1 else link
        if not isinstance(target, str) or not target:
            continue
        rect = (x, y - 0.2 * run.size, x + run.width, y + run.size)
        if target.startswith("#"):
            canvas.linkRect("", target[1:], rect, relative=1)
        else:
            canvas.linkURL(target, rect, relative=1, kind="URI")


class _Plain:
    """A fragment for a line of furniture: one font, one colour."""

    rise = 0
    link = ()
    us_lines = ()

    def __init__(self, font: str, size: float, colour):
        self.fontName, self.fontSize, self.textColor = font, size, colour


def one_line(text: str, font: str, size: float, colour, rtl: bool) -> list[Run]:
    """A one-line text (header, footer, a clause number) as runs in visual order."""
    return visual([run for run in runs([(_Plain(font, size, colour), text)], rtl) if run.text])


def draw_outlines(canvas, text: str, font: str, room: float, largest: float, rtl: bool) -> None:
    """``text`` as filled outlines of its shaped glyphs, centred on the origin, as large as fits
    ``room`` up to ``largest`` points (the watermark: never text that extraction returns)."""
    from reportlab.lib.colors import black

    line = one_line(text, font, 1, black, rtl)
    size = min(room / max(width_of(line), 1e-6), largest)
    outline = canvas.beginPath()
    x = -width_of(line) * size / 2
    for run in line:
        if run.shaped is not None and not run.space:
            reportlab_font = pdfmetrics.getFont(run.font)
            scale = size / reportlab_font.face.unitsPerEm
            pen = _PathPen(outline, scale)
            for character, data in zip(run.shaped, run.shaped.__shapeData__):
                pen.origin = (x + data.x_offset * size / 1000, -size * 0.35 + data.y_offset * size / 1000)
                with _lock:
                    _hb_fonts[run.font].draw_glyph_with_pen(
                        reportlab_font.face.charToGlyph[ord(character)], pen)
                x += data.x_advance * size / 1000
        else:
            x += run.width * size
    canvas.drawPath(outline, stroke=0, fill=1)


class _PathPen:
    """A HarfBuzz glyph's outline, scaled and moved, into a reportlab path."""

    def __init__(self, path, scale: float):
        self.path, self.scale, self.origin = path, scale, (0.0, 0.0)

    def _at(self, x, y):
        return self.origin[0] + x * self.scale, self.origin[1] + y * self.scale

    def moveTo(self, point):
        self.path.moveTo(*self._at(*point))
        self.last = point

    def lineTo(self, point):
        self.path.lineTo(*self._at(*point))
        self.last = point

    def curveTo(self, one, two, three):
        self.path.curveTo(*self._at(*one), *self._at(*two), *self._at(*three))
        self.last = three

    def qCurveTo(self, control, end):  # a quadratic segment as the cubic it equals
        (x0, y0), (cx, cy), (x1, y1) = self.last, control, end
        self.curveTo((x0 + 2 * (cx - x0) / 3, y0 + 2 * (cy - y0) / 3),
                     (x1 + 2 * (cx - x1) / 3, y1 + 2 * (cy - y1) / 3), end)

    def closePath(self):
        self.path.close()


__all__ = ["Run", "arabic_face", "break_lines", "ends_line", "draw_runs", "draw_outlines", "one_line", "runs",
           "shape",
           "visual", "width_of"]
