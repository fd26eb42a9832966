"""Blocks of the document tree as reportlab flowables, styled from the theme.

Clause and heading numbers hang in one left column whose width is measured
from the widest number in the document, so every text starts at the same
edge. Lists are laid out as hanging paragraphs too, one per item, which keeps
each item splittable and its notes traceable.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import reportlab_patches  # noqa: F401  (before any platypus import: see its docstring)
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from ... import doctree
from ...drawing import to_drawing
from ...theme import Theme
from ..base import UnknownNode, WriterError
from .frags import share_parses
from .keeping import keep_as_the_tree_says, keep_with_signatures, keep_with_tables, tallest as _tallest
from .marked import Described
from .markup import InlineMarkup, NoteBook, text_markup
from .paragraph import Paragraph
from .rtl import RTL_WRAP, make_paragraph, mirrored, shape_strings

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
_NUMERIC = re.compile(r"\d+(\.\d+)*\.?")
_KEEP_LIMIT = 400  # characters: beyond that a paragraph is not kept with the next one
_MIN_COLUMN = 14.0  # points: the cell padding (10) and a character; narrower, reportlab fails


class PdfError(WriterError):
    """The document could not be laid out; the message says what to change."""


class Styles:
    """The paragraph styles of one theme."""

    def __init__(self, theme: Theme, fonts, number_width: float, rtl: bool = False):
        self.theme = theme
        self.rtl = rtl
        self.fonts = fonts
        self.number_width = number_width
        size = theme.sizes
        body = size["body"]
        self.colour = {name: HexColor(value) for name, value in theme.colours.items()}
        ink = self.colour["ink"]

        def style(name, font=fonts.regular, font_size=body, **extra):
            settings = dict(fontName=font, fontSize=font_size, leading=font_size * theme.leading,
                            textColor=ink, splitLongWords=1, allowWidows=0, allowOrphans=0,
                            bulletFontName=fonts.regular, bulletFontSize=font_size)
            if rtl:  # a right-to-left document: every paragraph is laid out by rtl.RtlParagraph
                settings["wordWrap"] = RTL_WRAP
            settings.update(extra)
            return ParagraphStyle(name, **settings)

        self.body = style("body", spaceAfter=body * 0.6)
        lead = doctree.LOOKS["lead"]
        self.lead = style("lead", font=fonts.italic if lead.italic else fonts.regular, font_size=body * 1.25,
                          textColor=self.colour[lead.colour or "ink"], spaceAfter=body * 1.2)
        self.small = style("small", font_size=size["small"], textColor=self.colour["muted"],
                           spaceAfter=size["small"] * 0.6)
        self.legend = style("legend", font_size=size["small"], backColor=self.colour["header"],
                            borderPadding=(5, 6, 5, 6), leftIndent=6, rightIndent=6,
                            spaceBefore=8, spaceAfter=16)
        self.quote = style("quote", font=fonts.italic, leftIndent=number_width, rightIndent=number_width / 2,
                           spaceAfter=body * 0.6)
        self.center = style("center", alignment=TA_CENTER, spaceAfter=body * 0.6)
        self.title = style("title", font=fonts.bold, font_size=size["title"], leading=size["title"] * 1.2,
                           textColor=self.colour["accent"], spaceAfter=size["title"] * 0.35)
        self.heading2 = style("heading2", font=fonts.bold, font_size=size["heading2"],
                              textColor=self.colour["accent"], leftIndent=number_width,
                              bulletFontName=fonts.bold, spaceBefore=size["heading2"] * 1.1,
                              spaceAfter=size["heading2"] * 0.45, keepWithNext=1)
        self.annex_heading = style("annex", font=fonts.bold, font_size=size["heading2"],
                                   textColor=self.colour["accent"], spaceBefore=size["heading2"] * 1.1,
                                   spaceAfter=size["heading2"] * 0.6, keepWithNext=1)
        self.heading3 = style("heading3", font=fonts.bold, font_size=size["heading3"], leftIndent=number_width,
                              bulletFontName=fonts.bold, spaceBefore=size["heading3"] * 0.9,
                              spaceAfter=size["heading3"] * 0.35, keepWithNext=1)
        self.heading2_plain = ParagraphStyle("heading2-plain", parent=self.heading2, leftIndent=0)
        self.heading3_plain = ParagraphStyle("heading3-plain", parent=self.heading3, leftIndent=0)
        self.clause = style("clause", leftIndent=number_width, spaceAfter=body * 0.6,
                            alignment=_ALIGN[doctree.LOOKS["clause"].align])
        self.clause_bracketed = style("clause-bracketed", leftIndent=number_width, spaceAfter=body * 0.6,
                                      alignment=_ALIGN[doctree.LOOKS["clause-bracketed"].align])
        cell_size = body * doctree.TABLE_TEXT_SHARE
        self.cell = style("cell", font_size=cell_size, alignment=TA_LEFT)
        self.cell_compact = style("cell-compact", font_size=cell_size,
                                  leading=cell_size * doctree.COMPACT_LEADING,
                                  alignment=TA_LEFT)
        self.caption = style("caption", font=fonts.italic, font_size=size["small"],
                             textColor=self.colour["muted"], spaceBefore=3, spaceAfter=12)
        self.table_caption = style("table-caption", font=fonts.bold, font_size=size["small"],
                                   textColor=self.colour["accent"], spaceBefore=4, spaceAfter=4,
                                   keepWithNext=1)
        self.signature_heading = style("signature-heading", font=fonts.bold, font_size=size["heading3"],
                                       textColor=self.colour["accent"],  # a heading, as in the DOCX
                                       spaceBefore=size["heading3"] * 1.2, spaceAfter=4, keepWithNext=1)
        self.note = style("note", font_size=size["small"], leftIndent=12, spaceAfter=1.5,
                          bulletFontSize=size["small"])
        self.signature_party = style("signature-party", font=fonts.bold, font_size=body)
        self.signature_label = style("signature-label", font_size=size["small"], textColor=self.colour["muted"])
        share_parses(value for value in vars(self).values() if isinstance(value, ParagraphStyle))

    def paragraph(self, name: str) -> ParagraphStyle:
        return {"lead": self.lead, "small": self.small, "legend": self.legend, "quote": self.quote,
                "center": self.center}.get(name, self.body)


def number_column(blocks: list[doctree.Block], theme: Theme, fonts) -> float:
    """The width of the hanging number column: the widest clause or heading number, plus a gap."""
    widest = 0.0
    for block in walk(blocks):
        if isinstance(block, doctree.Clause) and block.number:
            widest = max(widest, stringWidth(block.number, fonts.regular, theme.sizes["body"]))
        elif isinstance(block, doctree.Heading) and block.level >= 2 and _NUMERIC.fullmatch(block.number):
            size = theme.sizes["heading2" if block.level == 2 else "heading3"]
            widest = max(widest, stringWidth(block.number, fonts.bold, size))
    return min(max(widest + theme.sizes["body"] * 1.2, 28.0), 90.0)


def walk(blocks):
    """Every block, lists' items included, in reading order."""
    for block in blocks:
        block = block.block if isinstance(block, doctree.Revision) else block
        yield block
        if isinstance(block, doctree.ListBlock):
            for item in block.items:
                yield from walk(item)


class BlockBuilder:
    """Turns the blocks of one document into flowables."""

    def __init__(self, styles: Styles, notes: NoteBook, width: float, height: float, *,
                 revision=None):
        self.revision = revision  # lays out a blackline's Revision blocks (.redline.revision)
        self.s = styles
        self.width = width
        self.height = height
        self.inline = InlineMarkup(notes, styles.theme.colour("accent"), styles.theme.colour("accent"))
        self._headings = 0

    def build(self, blocks: list[doctree.Block]) -> list[Flowable]:
        """The flowables of ``blocks``, in order."""
        made = [self.block(block) for block in blocks]
        keep_as_the_tree_says(blocks, made)
        out = [flowable for flowables in made for flowable in flowables]
        keep_with_signatures(blocks, out)
        for flowable in out:
            # reportlab loops for ever on a kept-with-next paragraph taller than a page;
            # a heading or caption that long is no longer worth keeping together.
            if (isinstance(flowable, Paragraph) and getattr(flowable.style, "keepWithNext", 0)
                    and len(flowable.getPlainText()) > _KEEP_LIMIT):
                flowable.style = ParagraphStyle("unkept", parent=flowable.style, keepWithNext=0)
        # An empty document still gets its one page, with the header and footer.
        return keep_with_tables(out, self.width, self.height) or [Spacer(0, 1)]

    def block(self, block: doctree.Block) -> list[Flowable]:
        if isinstance(block, doctree.Heading):
            return [self.heading(block)]
        if isinstance(block, doctree.Paragraph):
            return [make_paragraph(self.inline.markup(block.children), self.s.paragraph(block.style))]
        if isinstance(block, doctree.Clause):
            return [self.clause(block)]
        if isinstance(block, doctree.ListBlock):
            return self.list_block(block, depth=0)
        if isinstance(block, doctree.Table):
            return self.table(block)
        if isinstance(block, doctree.Figure):
            return [self.figure(block)]
        if isinstance(block, doctree.SignatureBlock):
            return self.signatures(block)
        if isinstance(block, doctree.PageBreak):
            return [PageBreak()]
        if isinstance(block, doctree.Rule):
            return [HRFlowable(width="100%", thickness=0.5, color=self.s.colour["muted"],
                               spaceBefore=6, spaceAfter=10)]
        if isinstance(block, doctree.Revision) and self.revision is not None:
            return self.revision(self, block)
        raise UnknownNode("PDF", block)

    def heading(self, block: doctree.Heading) -> Paragraph:
        text = self.inline.markup(block.children)
        number = block.number.strip()
        if block.level <= 1:
            style, bullet = self.s.title, None
        elif number and not _NUMERIC.fullmatch(number):
            # "Annex A" is too wide for the number column: it stands on its own line above the title.
            style, bullet = self.s.annex_heading, None
            text = f"{text_markup(number)}<br/>{text}"
        else:
            style = self.s.heading2 if block.level == 2 else self.s.heading3
            bullet = number or None
            if not number:  # an unnumbered heading starts at the margin, like the text under it
                style = self.s.heading2_plain if block.level == 2 else self.s.heading3_plain
        paragraph = make_paragraph(text, style, bulletText=bullet)
        self._headings += 1
        title = " ".join(filter(None, (number, doctree.plain_text(block.children))))
        paragraph.outline = (title, max(0, block.level - 1), f"heading-{self._headings}")
        return paragraph

    def clause(self, block: doctree.Clause, attribution: str | None = None) -> Paragraph:
        """The clause; ``attribution`` is the attribution line as markup (a blackline marks it)."""
        text = self.inline.markup(block.children)
        bracketed = block.status == "bracketed"
        look = doctree.LOOKS["clause-bracketed" if bracketed else "clause"]
        if look.colour:
            text = f'<font color="{self.s.theme.colour(look.colour)}">{text}</font>'
        attribution = text_markup(block.attribution) if attribution is None else attribution
        if attribution:
            small = self.s.theme.sizes["small"]
            text += (f'<br/><font size="{small}" color="{self.s.theme.colour("muted")}">'
                     f"<i>{attribution}</i></font>")
        style = self.s.clause_bracketed if bracketed else self.s.clause
        if look.rule:
            return make_paragraph(text, style, bulletText=block.number or None,
                                  rule=self.s.colour[look.rule])
        return make_paragraph(text, style, bulletText=block.number or None)

    def list_block(self, block: doctree.ListBlock, depth: int) -> list[Flowable]:
        out: list[Flowable] = []
        # Deep nesting stops indenting at the sixth level, so text keeps a usable width.
        indent = self.s.number_width + min(depth, 5) * 18
        for index, item in enumerate(block.items, start=1):
            bullet = _list_marker(index, depth) if block.ordered else ("•" if depth % 2 == 0 else "–")
            first = True
            for position, child in enumerate(item):
                if isinstance(child, doctree.ListBlock):
                    out.extend(self.list_block(child, depth + 1))
                    continue
                if not isinstance(child, doctree.Paragraph):
                    out.extend(self.block(child))
                    continue
                # A lead-in ("two negotiating tables:") stays on the page of its sub-list.
                leads_in = isinstance(item[position + 1] if position + 1 < len(item) else None,
                                      doctree.ListBlock)
                style = ParagraphStyle(f"list-{depth}", parent=self.s.body, leftIndent=indent,
                                       bulletIndent=indent - 16, spaceAfter=self.s.body.spaceAfter * 0.5,
                                       keepWithNext=int(leads_in))
                out.append(make_paragraph(self.inline.markup(child.children), style,
                                     bulletText=bullet if first else None))
                first = False
        if out and depth == 0:
            out.append(Spacer(0, self.s.body.spaceAfter * 0.5))
        return out

    def table(self, block: doctree.Table) -> list[Flowable]:
        fields = block.style == "fields"
        columns = max([len(block.header)] + [len(row) for row in block.rows] + [1])
        widths = list(block.widths[:columns]) if len(block.widths) >= columns else []
        total = sum(w for w in widths if w > 0) if widths and all(w > 0 for w in widths) else 0
        fractions = [w / total for w in widths] if total else [1 / columns] * columns
        column_widths = [self.width * f for f in fractions]
        if min(column_widths) < _MIN_COLUMN:
            raise PdfError(f"a table has {columns} columns, too many to fit across the page; "
                           "give it fewer columns")
        compact = block.style == "compact"
        cell = self.s.cell_compact if compact else self.s.cell
        header = [] if fields or not block.header else [self._cell_row(block.header, columns, cell, header=True)]
        rows = header + [self._cell_row(row, columns, cell) for row in block.rows]
        if not rows:
            return []
        top, bottom, side = doctree.CELL_PADDING["compact" if compact else "other"]
        commands = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), side), ("RIGHTPADDING", (0, 0), (-1, -1), side),
                    ("TOPPADDING", (0, 0), (-1, -1), top), ("BOTTOMPADDING", (0, 0), (-1, -1), bottom)]
        rule = self.s.colour["muted"]
        if fields:
            commands += [("LINEABOVE", (0, 0), (-1, 0), 0.8, self.s.colour["accent"]),
                         ("LINEBELOW", (0, 0), (-1, -1), 0.4, rule),
                         ("LINEBELOW", (0, -1), (-1, -1), 0.8, self.s.colour["accent"])]
        else:
            commands += [("GRID", (0, 0), (-1, -1), 0.4, rule),
                         ("BOX", (0, 0), (-1, -1), 0.8, self.s.colour["accent"])]
            if header:
                commands += [("BACKGROUND", (0, 0), (-1, 0), self.s.colour["header"]),
                             ("LINEBELOW", (0, 0), (-1, 0), 0.8, self.s.colour["accent"])]
        source = ([] if not header else [block.header]) + block.rows
        for r, row in enumerate(source):
            for c, cell in enumerate(row[:columns]):
                if cell.shade:
                    commands.append(("BACKGROUND", (c, r), (c, r), HexColor(self.s.theme.colour(cell.shade))))
        # A header taller than a third of the page (a table name thousands of characters long)
        # cannot be repeated on every page, and a repeated row is never split: let it flow once.
        inner = [width - side - side for width in column_widths]  # as the table wraps its cells
        repeat = len(header) if header and _tallest(rows[0], inner) < self.height / 3 else 0
        # A row is never split across pages, unless one is too tall to move on whole.
        split_in_row = int(any(_tallest(row, inner) > self.height / 2 for row in rows))
        table = self._table(rows, column_widths, commands, repeatRows=repeat, splitByRow=1,
                            splitInRow=split_in_row, spaceBefore=4, spaceAfter=8 if compact else 12)
        out: list[Flowable] = []
        if block.caption:
            out.append(make_paragraph(text_markup(block.caption), self.s.table_caption))
        out.append(table)
        return out

    def _table(self, rows: list, widths: list, commands: list, **settings) -> Table:
        if self.s.rtl:  # columns read from the right
            rows, widths, commands = mirrored(rows, widths, commands)
        # Every cell holds a paragraph, but reportlab still sets the table's own font
        # (Helvetica unless told) on the page: name ours so no other font is referenced.
        style = TableStyle([("FONT", (0, 0), (-1, -1), self.s.fonts.regular, self.s.theme.sizes["body"])]
                           + commands)
        return Table(rows, colWidths=widths, style=style, hAlign="RIGHT" if self.s.rtl else "LEFT",
                     **settings)

    def _cell_row(self, cells: list[doctree.Cell], columns: int, base: ParagraphStyle,
                  header: bool = False) -> list:
        row = []
        for cell in cells[:columns]:
            style = ParagraphStyle("cell", parent=base, alignment=_ALIGN.get(cell.align, TA_LEFT))
            text = self.inline.markup(cell.children)
            if cell.bold or header:
                text = f"<b>{text}</b>"
            row.append(make_paragraph(text, style))
        row += [""] * (columns - len(row))
        return row

    def figure(self, block: doctree.Figure) -> Flowable:
        width, height = max(block.width, 1.0), max(block.height, 1.0)
        room = self.height * 0.8
        scale = min(1.0, self.width / width, room / height)
        drawing = shape_strings(to_drawing(block, self.s.theme, scale=scale))
        drawing.hAlign = "CENTER"
        parts: list[Flowable] = [Spacer(0, 4), Described(drawing, block.description)]
        if block.caption:
            caption = ParagraphStyle("figure-caption", parent=self.s.caption, alignment=TA_CENTER)
            parts.append(make_paragraph(text_markup(block.caption), caption))
        else:
            parts.append(Spacer(0, 12))
        return KeepTogether(parts)

    def signatures(self, block: doctree.SignatureBlock) -> list[Flowable]:
        # Kept with the last clause (see build): the block never stands alone on a page.
        out: list[Flowable] = []
        if block.heading:
            out.append(make_paragraph(text_markup(block.heading), self.s.signature_heading))
        for start in range(0, len(block.signatories), 2):
            pair = block.signatories[start:start + 2]
            parties = [make_paragraph(text_markup(s.party), self.s.signature_party) for s in pair]
            if _tallest(parties, [(self.width - 24.0) / 2] * 2) < self.height / 3:
                out.append(self._signatory_pair(pair, block.labels))
                continue
            # A party name too long for a table row flows as a paragraph above its own lines.
            for party, signatory in zip(parties, pair):
                out += [party, self._signatory_pair([replace(signatory, party="")], block.labels)]
        return out

    def _signatory_pair(self, pair: list[doctree.Signatory], labels: dict) -> Table:
        """Two signatories side by side, as on a treaty's signature page.

        One table row per line, so the lines of both stay level even when one
        party's name takes two lines.
        """
        gap, label_width = doctree.SIGNATURE_GAP, doctree.SIGNATURE_LABEL_WIDTH
        half = (self.width - gap) / 2
        rows = [[], *([] for _ in doctree.SIGNATURE_LINES)]
        commands = [("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, 0), 6), ("BOTTOMPADDING", (0, 1), (-1, -1), 2)]
        for side, signatory in enumerate(pair):
            first = side * 3  # label, line, then the gap column
            rows[0] += [make_paragraph(text_markup(signatory.party), self.s.signature_party), ""]
            for row, label in zip(rows[1:], doctree.SIGNATURE_LINES, strict=True):
                row += [make_paragraph(text_markup(labels.get(label.lower(), label)), self.s.signature_label),
                        make_paragraph(text_markup(signatory.value(label)), self.s.cell)]
            commands += [("SPAN", (first, 0), (first + 1, 0)),
                         ("LINEBELOW", (first + 1, 1), (first + 1, -1), 0.5, self.s.colour["ink"])]
            if side == 0:
                for row in rows:
                    row.append("")
        columns = [label_width, half - label_width, gap, label_width, half - label_width]
        for row in rows:
            row += [""] * (len(columns) - len(row))
        heights = [None] + [doctree.SIGNATURE_LINE_HEIGHT] * len(doctree.SIGNATURE_LINES)
        return self._table(rows, columns, commands, rowHeights=heights, spaceBefore=6, spaceAfter=14)


def _list_marker(index: int, depth: int) -> str:
    if depth % 3 == 1:
        return f"({_letters(index)})"
    if depth % 3 == 2:
        return f"({_roman(index)})"
    return f"{index}."


def _letters(index: int) -> str:
    out = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        out = chr(ord("a") + remainder) + out
    return out


def _roman(index: int) -> str:
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while index >= value:
            out += numeral
            index -= value
    return out
