"""The DOCX blocks that are more than a paragraph: tables, figures, signature blocks."""

from __future__ import annotations

import functools
import math

from lxml import etree

from ... import doctree as dt
from ... import font_facts
from . import ooxml
from .default_reference import COMPACT_LINE
from .ooxml import paragraph_properties, qn, w

_EMU_PER_POINT = 12700
_PICTURE = "http://schemas.openxmlformats.org/drawingml/2006/picture"


def column_widths(count: int, fractions: list[float], total: int,
                  minima: list[int] | None = None) -> list[int]:
    """Column widths in twips: ``fractions`` scaled to ``total`` (equal when unusable),
    then widened where a column is narrower than its ``minima``, taking the room
    from columns that have some to spare."""
    usable = [f for f in fractions[:count] if _positive(f)]
    if len(usable) != count:
        usable = [1.0] * count
    scale = total / sum(usable)
    widths = [f * scale for f in usable]
    minima = [min(m, total / count * 2) for m in (minima or [0] * count)]
    if sum(minima) < total:
        for _ in range(count):  # each pass settles at least one column
            short = [i for i in range(count) if widths[i] < minima[i] - 0.5]
            if not short:
                break
            need = sum(minima[i] - widths[i] for i in short)
            for i in short:
                widths[i] = minima[i]
            spare = {i: widths[i] - minima[i] for i in range(count) if widths[i] > minima[i]}
            room = sum(spare.values())
            for i, extra in spare.items():
                widths[i] -= need * extra / room
    return [max(240, int(width)) for width in widths]


def _positive(number) -> bool:
    return (isinstance(number, (int, float)) and not isinstance(number, bool)
            and math.isfinite(number) and number > 0)


def _longest_word(cells: list[dt.Cell], size: float, bold: bool, measured: dict | None = None,
                  margin: int = 85) -> int:
    """Twips the longest word in ``cells`` needs, so that no word is broken mid-way: measured
    with the font's advance widths when they are known (``measured``, by boldness: see
    font_facts.advances), else estimated."""
    longest = 0.0
    for cell in cells:
        heavy = bold or cell.bold
        advances = measured[heavy] if measured else None
        for word in dt.plain_text(cell.children).split():
            if advances is not None:
                units, widths = advances
                em = sum(widths.get(ord(char), units) for char in word) / units
                longest = max(longest, em * size)
                continue
            # IBM Plex Serif runs about 0.6 em a lower-case letter, 0.75 em a capital.
            em = sum(0.75 if char.isupper() else 0.6 for char in word)
            longest = max(longest, em * size * (1.05 if heavy else 1.0))
    return round(longest * 20) + 2 * margin + 20  # the cell margins, a little air


def table_element(writer, rows: list[list[dt.Cell]], widths: list[float], style_id: str,
                  header: bool, compact: bool = False) -> etree._Element:
    """A ``w:tbl`` in the named table style; the header row repeats on every page.

    ``compact`` (the brief's tables) narrows the cell margins as the PDF does."""
    count = max(len(row) for row in rows)
    from .fonts import document_faces

    faces = document_faces(writer.theme)
    measured = {heavy: font_facts.advances(faces["bold" if heavy else "regular"])
                for heavy in (False, True)} if faces else None
    # Measured, the words are set in the cells' own size (the PDF's); estimated, a size larger.
    size = (writer.theme.sizes["body"] * dt.TABLE_TEXT_SHARE if faces
            else max(writer.theme.sizes["small"], writer.theme.sizes["body"] - 1))
    margin = round(dt.CELL_PADDING["compact"][2] * 20) if compact else 85
    minima = [_longest_word([row[i] for row in rows if i < len(row)], size, header, measured, margin)
              for i in range(count)]
    grid = column_widths(count, widths, writer.ref.text_width, minima)
    table = etree.Element(w("tbl"))
    properties = etree.SubElement(table, w("tblPr"))
    etree.SubElement(properties, w("tblStyle")).set(w("val"), style_id)
    _width(etree.SubElement(properties, w("tblW")), sum(grid))
    etree.SubElement(properties, w("tblLayout")).set(w("type"), "fixed")
    if compact:  # the PDF's padding (doctree.CELL_PADDING) around paragraphs without spacing
        top, bottom, side = dt.CELL_PADDING["compact"]
        margins = etree.SubElement(properties, w("tblCellMar"))
        for name, points in (("top", top), ("left", side), ("bottom", bottom), ("right", side)):
            _width(etree.SubElement(margins, w(name)), round(points * 20))
    look = etree.SubElement(properties, w("tblLook"))
    look.attrib.update({w("val"): "0620" if header else "0600", w("firstRow"): str(int(header)),
                        w("lastRow"): "0", w("firstColumn"): "0", w("lastColumn"): "0",
                        w("noHBand"): "1", w("noVBand"): "1"})
    column_grid = etree.SubElement(table, w("tblGrid"))
    for width in grid:
        _width(etree.SubElement(column_grid, w("gridCol")), width, attribute_only=True)
    for index, row in enumerate(rows):
        is_header = header and index == 0
        row_node = etree.SubElement(table, w("tr"))
        row_properties = etree.SubElement(row_node, w("trPr"))
        etree.SubElement(row_properties, w("cantSplit"))
        if is_header:
            etree.SubElement(row_properties, w("tblHeader"))
        cells = list(row) + [dt.Cell([]) for _ in range(count - len(row))]
        for cell, width in zip(cells, grid):
            shade = cell.shade or ("header" if is_header else "")
            _cell(writer, row_node, cell, width, shade, bold=cell.bold or is_header, compact=compact)
    return table


def _width(node: etree._Element, twips: int, attribute_only: bool = False) -> None:
    node.set(w("w"), str(twips))
    if not attribute_only:
        node.set(w("type"), "dxa")


def _cell(writer, row: etree._Element, cell: dt.Cell, width: int, shade: str,
          bold: bool, compact: bool = False) -> None:
    node = etree.SubElement(row, w("tc"))
    properties = etree.SubElement(node, w("tcPr"))
    _width(etree.SubElement(properties, w("tcW")), width)
    if shade:
        shading = etree.SubElement(properties, w("shd"))
        shading.attrib.update({w("val"): "clear", w("color"): "auto",
                               w("fill"): ooxml.hex_colour(writer.theme.colour(shade))})
    paragraph = etree.SubElement(node, w("p"))
    align = {"center": "center", "right": "right"}.get(cell.align, "")
    # A compact row is as tight as the PDF's: no space around the text, lines at 1.1.
    tight = {"before": 0, "after": 0, "line": COMPACT_LINE} if compact else {}
    paragraph.append(paragraph_properties(style=writer.styles["Table Text"], align=align, **tight))
    writer.text_language = cell.language  # a column of a parallel edition is in its own language
    try:
        writer.inlines(paragraph, cell.children, bold=bold)
    finally:
        writer.text_language = ""


# ------------------------------------------------------------------ figures


def figure_paragraph(writer, figure: dt.Figure) -> None:
    """The figure as an inline 200 dpi PNG, scaled to the text width, with alt text."""
    png = _png(_Keyed(figure), writer.theme)
    writer.drawing_count += 1
    number = writer.drawing_count
    name = f"media/figure{number}.png"
    writer.media["word/" + name] = png
    rel_id = writer.relationship("image", name)
    max_width = writer.ref.text_width / 20
    width = figure.width if _positive(figure.width) else max_width
    height = figure.height if _positive(figure.height) else width / 2
    scale = min(1.0, max_width / width)
    cx = max(1, round(width * scale * _EMU_PER_POINT))
    cy = max(1, round(height * scale * _EMU_PER_POINT))
    description = ooxml.xml_text(figure.description or figure.caption)
    paragraph = writer.paragraph("Figure")
    drawing = etree.SubElement(etree.SubElement(paragraph, w("r")), w("drawing"))
    inline = etree.SubElement(drawing, qn("wp:inline"))
    inline.attrib.update({"distT": "0", "distB": "0", "distL": "0", "distR": "0"})
    etree.SubElement(inline, qn("wp:extent")).attrib.update({"cx": str(cx), "cy": str(cy)})
    etree.SubElement(inline, qn("wp:effectExtent")).attrib.update(
        {"l": "0", "t": "0", "r": "0", "b": "0"})
    doc_properties = etree.SubElement(inline, qn("wp:docPr"))
    doc_properties.attrib.update({"id": str(number), "name": f"Figure {number}",
                                  "descr": description})
    frame = etree.SubElement(inline, qn("wp:cNvGraphicFramePr"))
    etree.SubElement(frame, qn("a:graphicFrameLocks")).set("noChangeAspect", "1")
    graphic = etree.SubElement(inline, qn("a:graphic"))
    data = etree.SubElement(graphic, qn("a:graphicData"))
    data.set("uri", _PICTURE)
    picture = etree.SubElement(data, qn("pic:pic"))
    non_visual = etree.SubElement(picture, qn("pic:nvPicPr"))
    etree.SubElement(non_visual, qn("pic:cNvPr")).attrib.update(
        {"id": "0", "name": f"figure{number}.png", "descr": description})
    etree.SubElement(non_visual, qn("pic:cNvPicPr"))
    fill = etree.SubElement(picture, qn("pic:blipFill"))
    etree.SubElement(fill, qn("a:blip")).set(qn("r:embed"), rel_id)
    etree.SubElement(etree.SubElement(fill, qn("a:stretch")), qn("a:fillRect"))
    shape = etree.SubElement(picture, qn("pic:spPr"))
    transform = etree.SubElement(shape, qn("a:xfrm"))
    etree.SubElement(transform, qn("a:off")).attrib.update({"x": "0", "y": "0"})
    etree.SubElement(transform, qn("a:ext")).attrib.update({"cx": str(cx), "cy": str(cy)})
    geometry = etree.SubElement(shape, qn("a:prstGeom"))
    geometry.set("prst", "rect")
    etree.SubElement(geometry, qn("a:avLst"))


class _Keyed:
    """A figure compared by its ``repr``: the tree's dataclasses hold lists, so cannot be hashed."""

    __slots__ = ("figure", "key")

    def __init__(self, figure: dt.Figure):
        self.figure, self.key = figure, repr(figure)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other) -> bool:
        return isinstance(other, _Keyed) and other.key == self.key


@functools.lru_cache(maxsize=16)
def _png(figure: _Keyed, theme) -> bytes:
    """Rasterising a figure costs far more than writing a whole DOCX, and a batch renders
    the same process picture into several documents: remember the last few."""
    from ...raster import figure_png  # Pillow: only documents with a figure need it

    return figure_png(figure.figure, theme, dpi=200)


# --------------------------------------------------------------- signatures


def signature_table(writer, signatories: list[dt.Signatory], labels: dict | None = None) -> etree._Element:
    """Signatories two abreast, laid out as the PDF lays them out (pdf/blocks.py,
    _signatory_pair): for each, the party across a label column and a line column, then
    one row per line of dt.SIGNATURE_LINES with its label small and muted and the line
    a rule under the value (the office filled in, the name left blank)."""
    labels = labels or dt.SIGNATURE_LABELS
    label = dt.SIGNATURE_LABEL_WIDTH * 20
    half = (writer.ref.text_width - dt.SIGNATURE_GAP * 20) // 2
    grid = [label, half - label, dt.SIGNATURE_GAP * 20, label, half - label]
    table = etree.Element(w("tbl"))
    properties = etree.SubElement(table, w("tblPr"))
    etree.SubElement(properties, w("tblStyle")).set(w("val"), writer.styles["Signature Table"])
    _width(etree.SubElement(properties, w("tblW")), sum(grid))
    etree.SubElement(properties, w("tblLayout")).set(w("type"), "fixed")
    margins = etree.SubElement(properties, w("tblCellMar"))
    for side, twips in (("top", 0), ("left", 0), ("bottom", 40), ("right", 0)):
        _width(etree.SubElement(margins, w(side)), twips)
    column_grid = etree.SubElement(table, w("tblGrid"))
    for width in grid:
        _width(etree.SubElement(column_grid, w("gridCol")), width, attribute_only=True)
    for start in range(0, len(signatories), 2):
        pair = signatories[start:start + 2]
        # One row per line of the block, so that the lines of signatories side by
        # side stay level even when one party's name takes two lines.
        for part in range(_SIGNATORY_ROWS):
            row = etree.SubElement(table, w("tr"))
            row_properties = etree.SubElement(row, w("trPr"))
            etree.SubElement(row_properties, w("cantSplit"))
            if part:
                height = etree.SubElement(row_properties, w("trHeight"))
                height.set(w("val"), str(dt.SIGNATURE_LINE_HEIGHT * 20))
                height.set(w("hRule"), "exact")
            keep = part < _SIGNATORY_ROWS - 1
            for side in range(2):
                signatory = pair[side] if side < len(pair) else None
                if part == 0:
                    _signatory_cell(writer, row, grid[0] + grid[1], 2,
                                    signatory.party if signatory else "", "Signature Party",
                                    keep, before=20 if start else 6)  # the PDF's space around each pair
                else:
                    name = dt.SIGNATURE_LINES[part - 1]
                    _signatory_cell(writer, row, grid[0], 1,
                                    labels.get(name.lower(), name) if signatory else "",
                                    "Signature", keep)
                    _signatory_cell(writer, row, grid[1], 1,
                                    signatory.value(name) if signatory else "", "Table Text",
                                    keep, rule=signatory is not None)
                if side == 0:
                    _signatory_cell(writer, row, grid[2], 1, "", "Signature", keep)
    return table


_SIGNATORY_ROWS = 1 + len(dt.SIGNATURE_LINES)  # the party, then office, name, place, date, initials


def _signatory_cell(writer, row: etree._Element, width: int, span: int, words: str, style: str,
                    keep_next: bool, rule: bool = False, before: float = 0) -> None:
    """One cell of the initialling block, its text at the foot of the cell as in the PDF."""
    cell = etree.SubElement(row, w("tc"))
    properties = etree.SubElement(cell, w("tcPr"))
    _width(etree.SubElement(properties, w("tcW")), width)
    if span > 1:
        etree.SubElement(properties, w("gridSpan")).set(w("val"), str(span))
    if rule:
        borders = etree.SubElement(properties, w("tcBorders"))
        borders.append(ooxml.border("bottom", writer.theme.colour("ink"), 4, 0))
    etree.SubElement(properties, w("vAlign")).set(w("val"), "bottom")
    paragraph = etree.SubElement(cell, w("p"))
    spacing = {"before": before, "after": 6 if style == "Signature Party" else 0, "line": 240}
    paragraph.append(paragraph_properties(style=writer.styles[style], keep_next=keep_next, **spacing))
    if words:
        writer.inlines(paragraph, [dt.Text(words)])
