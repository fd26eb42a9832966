"""The default reference document: the house style of every DOCX, as named styles.

The idea is pandoc's ``--reference-doc``: ``kit templates export`` writes this
file, a drafter restyles it in Word or LibreOffice (Home > Styles > Modify) and
passes it back; the DOCX writer then takes only its styles and page set-up.
Every style the writer uses is defined here, so a restyled copy changes exactly
what the drafter sees; the body holds one sample paragraph per style to make
them easy to find and judge.
"""

from __future__ import annotations

import functools
import io
from lxml import etree

from ....data import data_folder
from .reference_choice import REFERENCE_FILE
from . import ooxml
from ...doctree import COMPACT_LEADING, LOOKS, TABLE_TEXT_SHARE
from .ooxml import border, mm_twips, paragraph_properties, run_properties, w
from ...theme import Theme


_NATURAL_LINE = 1.3  # ascender + descender of the shipped font, in ems
# A compact row's line (the brief's tables): the PDF's leading, in Word's "auto" terms.
COMPACT_LINE = round(240 * COMPACT_LEADING / _NATURAL_LINE)
# The gap between a clause or heading number and its text: wide enough for "10.12".
NUMBER_INDENT = mm_twips(12)

_REFERENCE_TITLE = "framework-kit reference document"

# Styles kept from python-docx's template besides those defined below: the
# defaults Word expects to find in every document.
_KEEP = {"normal", "default paragraph font", "normal table", "no list"}

# Relationships of python-docx's template that a reference document should not carry.
_DROP_RELS = ("stylesWithEffects", "customXml", "thumbnail")


@functools.lru_cache(maxsize=8)
def reference_docx(theme: Theme) -> bytes:
    """The default reference.docx for ``theme``; byte-identical on every call.

    Building takes python-docx tens of milliseconds; themes are few, so keep them.
    """
    return _packaged(theme) or _build(theme)


def packaged_path():
    """Where the prebuilt reference.docx of the default theme is shipped (beside theme.yaml)."""
    return data_folder("templates") / REFERENCE_FILE


def _packaged(theme: Theme) -> bytes | None:
    """The shipped build for the default theme: python-docx and the build cost a cold
    render about 150 ms. A test keeps the file equal to what :func:`_build` makes;
    ``python -m framework_kit.render.reference`` writes it again after a change here."""
    if theme != Theme():
        return None
    try:
        return packaged_path().read_bytes()
    except OSError:
        return None




def _build(theme: Theme) -> bytes:
    import docx

    document = docx.Document()
    for owner in (document.part, document.part.package):
        for rel_id, rel in list(owner.rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in _DROP_RELS:
                owner.rels.pop(rel_id)
    _define_styles(document.styles.element, theme)
    _set_page(document.sections[0], theme)
    _write_samples(document)
    buffer = io.BytesIO()
    document.save(buffer)
    parts = ooxml.read_package(buffer.getvalue())
    parts["docProps/core.xml"] = ooxml.core_properties(
        title=_REFERENCE_TITLE, author="framework-kit",
        description="Restyle the styles (not the text) and pass this file back with "
                    "--reference-doc; only its styles and page set-up are used.")
    parts["docProps/app.xml"] = ooxml.app_properties()
    parts["word/theme/theme1.xml"] = _theme_fonts(parts["word/theme/theme1.xml"], theme.font)
    parts["word/fontTable.xml"] = _font_table(parts["word/fontTable.xml"], theme.font)
    return ooxml.write_package(parts)


# ------------------------------------------------------------------ styles

_WORD_ALIGN = {"left": "left", "justify": "both", "center": "center", "right": "right"}


def _style_specs(theme: Theme) -> list[tuple]:
    """(name, type, based on, next, pPr, rPr) for every style of the house style."""
    sizes, colour = theme.sizes, theme.colour
    body, small = sizes["body"], sizes["small"]
    # Word's "auto" spacing multiplies the font's own line height (IBM Plex Serif's is 1.3 em),
    # reportlab's leading the font size: 240 * leading alone made every body line (lists, the
    # legend) 30% taller in Word than in the PDF, a page longer as soon as a page was full.
    line = round(240 * theme.leading / _NATURAL_LINE)
    table_size = round(body * TABLE_TEXT_SHARE * 2) / 2  # the PDF's cell text, to Word's half points
    number_tab = [("left", NUMBER_INDENT, "")]
    para, char = "paragraph", "character"
    bracketed = LOOKS["clause-bracketed"]  # the same decisions as the PDF (doctree.LOOKS)
    return [
        ("Normal", para, "", "", paragraph_properties(after=6, line=line),
         run_properties(font=theme.font, size=body, colour=colour("ink"))),
        ("Title", para, "Normal", "Subtitle",
         paragraph_properties(keep_next=True, keep_lines=True, before=0, after=6, line=240),
         run_properties(bold=True, size=sizes["title"], colour=colour("accent"))),
        ("Subtitle", para, "Normal", "Normal",
         paragraph_properties(keep_next=True, after=14, line=240),
         run_properties(size=sizes["heading3"], italic=LOOKS["lead"].italic,
                        colour=colour(LOOKS["lead"].colour or "ink"))),
        ("heading 1", para, "Normal", "Normal",
         paragraph_properties(keep_next=True, keep_lines=True, tabs=number_tab, before=18,
                              after=6, line=240, outline=0),
         run_properties(bold=True, size=sizes["heading2"], colour=colour("accent"))),
        ("heading 2", para, "Normal", "Normal",
         paragraph_properties(keep_next=True, keep_lines=True, tabs=number_tab, before=12,
                              after=4, line=240, outline=1),
         run_properties(bold=True, size=sizes["heading3"], colour=colour("accent"))),
        ("heading 3", para, "Normal", "Normal",
         paragraph_properties(keep_next=True, keep_lines=True, tabs=number_tab, before=10,
                              after=3, outline=2),
         run_properties(bold=True, italic=True, size=body)),
        ("Clause", para, "Normal", "Clause",
         paragraph_properties(tabs=number_tab, left=NUMBER_INDENT, hanging=NUMBER_INDENT,
                              align=_WORD_ALIGN[LOOKS["clause"].align]),
         None),
        # Agreed text "stands plain" (the documents' legend says so); the style
        # exists so that a drafter can still mark it in a restyled reference.
        ("Clause Agreed", para, "Clause", "Clause", None, None),
        ("Clause Bracketed", para, "Clause", "Clause",
         paragraph_properties(borders=[border("left", colour(bracketed.rule), 12, 6)] if bracketed.rule else None,
                              align=_WORD_ALIGN[bracketed.align]),
         run_properties(colour=colour(bracketed.colour or "ink"))),
        ("Clause Attribution", para, "Normal", "Clause",
         paragraph_properties(before=0, after=8, left=NUMBER_INDENT),
         run_properties(italic=True, size=small, colour=colour("muted"))),
        ("Legend", para, "Normal", "Normal",
         paragraph_properties(borders=[border(side, colour("muted"), 4, 4)
                                       for side in ("top", "left", "bottom", "right")],
                              fill=colour("header"), before=6, after=12, left=113, right=113),
         run_properties(size=small)),
        ("Small", para, "Normal", "Normal", None,
         run_properties(size=small, colour=colour("muted"))),
        ("Quote", para, "Normal", "Normal", paragraph_properties(left=567, right=567),
         run_properties(italic=True)),
        ("Centered", para, "Normal", "Normal", paragraph_properties(align="center"), None),
        ("caption", para, "Normal", "Normal", paragraph_properties(before=3, after=10),
         run_properties(italic=True, size=small, colour=colour("muted"))),
        ("Figure", para, "Normal", "caption",
         paragraph_properties(keep_next=True, before=6, after=3, line=240, align="center"),
         None),
        ("Rule", para, "Normal", "Normal",
         paragraph_properties(borders=[border("bottom", colour("muted"), 6, 1)],
                              before=0, after=10, line=240),
         run_properties(size=4)),
        ("Table Text", para, "Normal", "Table Text",
         paragraph_properties(before=1, after=1, line=line),
         run_properties(size=table_size)),
        # The initialling block's labels ("Office", "Name" ...), small and muted as in the PDF.
        ("Signature", para, "Normal", "Signature",
         paragraph_properties(before=0, after=0, line=240),
         run_properties(size=small, colour=colour("muted"))),
        ("Signature Party", para, "Signature", "Signature",
         paragraph_properties(keep_next=True, before=0, after=6),
         run_properties(bold=True, size=body, colour=colour("ink"))),
        ("List Paragraph", para, "Normal", "List Paragraph", paragraph_properties(after=3),
         None),
        ("header", para, "Normal", "header", paragraph_properties(after=0, line=240),
         run_properties(size=sizes["header"], colour=colour("muted"))),
        ("footer", para, "Normal", "footer", paragraph_properties(after=0, line=240),
         run_properties(size=sizes["header"], colour=colour("muted"))),
        ("footnote text", para, "Normal", "footnote text",
         paragraph_properties(after=2, line=240),
         run_properties(size=small)),
        ("footnote reference", char, "Default Paragraph Font", "", None,
         run_properties(superscript=True)),
        ("Hyperlink", char, "Default Paragraph Font", "", None,
         run_properties(colour=colour("accent"), underline=True)),
    ]


def _table_specs(theme: Theme) -> list[tuple[str, list[etree._Element]]]:
    line = theme.colour("muted")
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    return [
        ("Table Grid", [border(side, line, 4, 0) for side in sides]),
        ("Fields Table", [border(side, line, 4, 0) for side in ("top", "bottom", "insideH")]),
        ("Signature Table", []),
    ]


def _define_styles(styles: etree._Element, theme: Theme) -> None:
    specs = _style_specs(theme)
    tables = _table_specs(theme)
    wanted = _KEEP | {spec[0].lower() for spec in specs} | {name.lower() for name, _ in tables}
    for style in list(styles.iterchildren(w("style"))):
        name = style.find(w("name")).get(w("val")).lower()
        if name not in wanted:
            styles.remove(style)
            continue
        for child in style.findall(w("link")) + style.findall(w("rsid")):
            style.remove(child)
    _set_defaults(styles, theme)
    for name, kind, based_on, follower, ppr, rpr in specs:
        style = _fresh_style(styles, name, kind, based_on, follower)
        for props in (ppr, rpr):
            if props is not None and len(props):
                style.append(props)
    table_ppr = paragraph_properties(after=0)
    for name, borders in tables:
        style = _fresh_style(styles, name, "table", "Normal Table", "")
        style.append(table_ppr.__copy__())
        tbl_pr = etree.SubElement(style, w("tblPr"))
        if borders:
            box = etree.SubElement(tbl_pr, w("tblBorders"))
            box.extend(borders)
        margins = etree.SubElement(tbl_pr, w("tblCellMar"))
        for side, size in (("top", 28), ("left", 85), ("bottom", 28), ("right", 85)):
            margin = etree.SubElement(margins, w(side))
            margin.set(w("w"), str(size if name != "Signature Table" else 0))
            margin.set(w("type"), "dxa")


def _set_defaults(styles: etree._Element, theme: Theme) -> None:
    """Document defaults: the house font for every script and no theme-font override."""
    defaults = styles.find(w("docDefaults"))
    rpr = defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
    rpr.getparent().replace(rpr, run_properties(font=theme.font, size=theme.sizes["body"],
                                                language="en-GB"))
    ppr = defaults.find(f"{w('pPrDefault')}/{w('pPr')}")
    ppr.getparent().replace(ppr, paragraph_properties(after=0, line=240))


def _fresh_style(styles: etree._Element, name: str, kind: str, based_on: str,
                 follower: str) -> etree._Element:
    """The style called ``name``, emptied of formatting (created when missing)."""
    style = _find_style(styles, name)
    if style is None:
        style_id = _style_id(styles, name)
        style = etree.SubElement(styles, w("style"))
        style.set(w("styleId"), style_id)
    keep = {key: style.get(w(key)) for key in ("styleId", "default") if style.get(w(key))}
    ui_priority = style.find(w("uiPriority"))
    style.clear()
    style.set(w("type"), kind)
    for key, value in keep.items():
        style.set(w(key), value)
    etree.SubElement(style, w("name")).set(w("val"), name)
    if based_on:
        etree.SubElement(style, w("basedOn")).set(w("val"), _style_id(styles, based_on))
    if follower:
        etree.SubElement(style, w("next")).set(w("val"), _style_id(styles, follower))
    if ui_priority is not None:
        style.append(ui_priority)
    etree.SubElement(style, w("qFormat"))
    return style


def _find_style(styles: etree._Element, name: str) -> etree._Element | None:
    for style in styles.iterchildren(w("style")):
        if style.find(w("name")).get(w("val")).lower() == name.lower():
            return style
    return None


def _style_id(styles: etree._Element, name: str) -> str:
    """The id of the style called ``name``: its own when it exists, else Word's spelling."""
    style = _find_style(styles, name)
    if style is not None:
        return style.get(w("styleId"))
    return "".join(part[:1].upper() + part[1:] for part in name.split())


def _theme_fonts(theme_xml: bytes, font: str) -> bytes:
    """Point the theme's heading and body Latin fonts at the house font too."""
    root = etree.fromstring(theme_xml)
    drawing = ooxml.NSMAP["a"]
    for latin in root.iter(f"{{{drawing}}}latin"):
        latin.set("typeface", font)
    return ooxml.serialize(root)


# IBM Plex Serif's classification and script coverage (its OS/2 table): Word picks
# a look-alike serif with Cyrillic when the font is not installed, not Calibri.
_PLEX_SERIF = {"panose1": "02060503050406000203", "charset": "00", "family": "roman",
               "pitch": "variable"}
_PLEX_SERIF_SIGNATURE = {"usb0": "A000026F", "usb1": "5000203B", "usb2": "00000000",
                         "usb3": "00000000", "csb0": "20000197", "csb1": "00000000"}


def _font_table(font_table_xml: bytes, font: str) -> bytes:
    root = etree.fromstring(font_table_xml)
    entry = etree.Element(w("font"))
    entry.set(w("name"), font)
    for tag, value in _PLEX_SERIF.items():
        etree.SubElement(entry, w(tag)).set(w("val"), value)
    signature = etree.SubElement(entry, w("sig"))
    for key, value in _PLEX_SERIF_SIGNATURE.items():
        signature.set(w(key), value)
    root.insert(0, entry)
    return ooxml.serialize(root)


# ------------------------------------------------------------ page and samples


def _set_page(section, theme: Theme) -> None:
    from docx.shared import Mm

    width, height = theme.page_mm
    margins = theme.margins_mm
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    section.header_distance = Mm(max(8.0, margins["top"] / 2))
    section.footer_distance = Mm(max(8.0, margins["bottom"] / 2))


_SAMPLES = [
    ("Title", "Title: the name of the document"),
    ("Subtitle", "Subtitle: the process and the drafting office"),
    ("Normal", "Normal: the body text. This is the framework-kit reference document: change "
               "the styles of these paragraphs (Home > Styles > Modify), not their text, and "
               "pass the file back with --reference-doc. Only the styles and the page set-up "
               "are used; this text is discarded."),
    ("Legend", "Legend: agreed text is plain; text under discussion stands in [square "
               "brackets]."),
    ("Heading 1", "1\tHeading 1: a section"),
    ("Heading 2", "1.1\tHeading 2: a sub-section"),
    ("Heading 3", "Heading 3: a point within a sub-section"),
    ("Clause", "1.1\tClause: a numbered paragraph of the draft text, with a hanging indent "
               "so that the number stands clear of the words that follow it."),
    ("Clause Agreed", "1.2\tClause Agreed: text the parties have agreed (plain, like Clause)."),
    ("Clause Bracketed", "1.3\t[Clause Bracketed: text still under discussion.]"),
    ("Clause Attribution", "Clause Attribution: proposed by a party"),
    ("Quote", "Quote: words cited from another instrument."),
    ("Small", "Small: secondary information."),
    ("Rule", ""),
    ("Caption", "Caption: Figure 1. A caption under a figure or above a table"),
    ("Signature Party", "Signature Party: For the party"),
    ("Signature", "Signature: Name"),
]


def _write_samples(document) -> None:
    for style, text in _SAMPLES:
        document.add_paragraph(text, style=document.styles[style])
    for table_style, rows in (("Table Grid", [["Table Grid", "header row"],
                                               ["Table Text", "cells"]]),
                              ("Fields Table", [["Fields Table", "label and value"]])):
        table = document.add_table(rows=len(rows), cols=2)
        table.style = document.styles[table_style]
        for row, values in zip(table.rows, rows):
            for cell, value in zip(row.cells, values):
                cell.paragraphs[0].text = value
                cell.paragraphs[0].style = document.styles["Table Text"]
        document.add_paragraph("", style=document.styles["Normal"])


if __name__ == "__main__":  # regenerate the shipped default after changing the styles above
    packaged_path().write_bytes(_build(Theme()))
    print(f"wrote {packaged_path()}")
