"""The parts of a DOCX around its body: settings, header and footer
(marking, reference, "Page X of Y", the diagonal watermark), footnotes, and the
package's relationships and content types.
"""

from __future__ import annotations

import math
import re

from lxml import etree

from . import ooxml
from .ooxml import CONTENT_TYPES, CT, NSMAP, PR, R, paragraph_properties, qn, run_properties, w

REL_TYPES = {kind: f"{R}/{kind}" for kind in (
    "styles", "numbering", "settings", "webSettings", "fontTable", "theme", "footnotes",
    "header", "footer", "image", "hyperlink")}

def _root(tag: str, *prefixes: str) -> etree._Element:
    return etree.Element(w(tag), nsmap={p: NSMAP[p] for p in ("w", "r", *prefixes)})


def settings_xml(language: str, embed_fonts: bool = False) -> bytes:
    """settings.xml: footnote separators declared, current compatibility mode, and
    (``embed_fonts``) Word told to keep the embedded fonts when it saves the file."""
    root = _root("settings")
    etree.SubElement(root, w("zoom")).set(w("percent"), "100")
    if embed_fonts:
        etree.SubElement(root, w("embedTrueTypeFonts"))
    etree.SubElement(root, w("defaultTabStop")).set(w("val"), "709")
    etree.SubElement(root, w("characterSpacingControl")).set(w("val"), "doNotCompress")
    notes = etree.SubElement(root, w("footnotePr"))
    for note_id in ("-1", "0"):
        etree.SubElement(notes, w("footnote")).set(w("id"), note_id)
    compat = etree.SubElement(root, w("compat"))
    # A line ended by a manual break is not stretched to the margin in justified text.
    etree.SubElement(compat, w("doNotExpandShiftReturn"))
    setting = etree.SubElement(compat, w("compatSetting"))
    for key, value in (("name", "compatibilityMode"), ("uri", "http://schemas.microsoft.com/office/word"),
                       ("val", "15")):
        setting.set(w(key), value)
    if language:
        etree.SubElement(root, w("themeFontLang")).set(w("val"), ooxml.xml_text(language))
    return ooxml.serialize(root)


def footnotes_root() -> etree._Element:
    """The footnotes part with Word's two separator notes (ids -1 and 0)."""
    root = _root("footnotes")
    for note_id, kind in (("-1", "separator"), ("0", "continuationSeparator")):
        note = etree.SubElement(root, w("footnote"))
        note.set(w("type"), kind)
        note.set(w("id"), note_id)
        paragraph = etree.SubElement(note, w("p"))
        paragraph.append(paragraph_properties(after=0, line=240))
        etree.SubElement(etree.SubElement(paragraph, w("r")), w(kind))
    return root


# ------------------------------------------------------------- header, footer


def text_run(text: str, rpr: etree._Element | None = None) -> etree._Element:
    """A run of literal text (spaces kept), with optional run properties."""
    run = etree.Element(w("r"))
    if rpr is not None and len(rpr):
        run.append(rpr)
    node = etree.SubElement(run, w("t"))
    node.text = ooxml.xml_text(text)
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def field_runs(instruction: str, shown: str) -> list[etree._Element]:
    """A complex field (PAGE, NUMPAGES) with a cached result Word replaces on layout."""
    runs = []
    for kind in ("begin", "instr", "separate", "result", "end"):
        if kind == "instr":
            run = etree.Element(w("r"))
            node = etree.SubElement(run, w("instrText"))
            node.text = f" {instruction} "
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        elif kind == "result":
            run = text_run(shown)
        else:
            run = etree.Element(w("r"))
            etree.SubElement(run, w("fldChar")).set(w("fldCharType"), kind)
        runs.append(run)
    return runs


def header_xml(*, marking: str, reference: str, watermark: str, style: str, text_width: int,
               rule_colour: str, watermark_colour: str, font: str,
               page: tuple[int, int]) -> bytes:
    """The header: marking left, reference right, a hairline under, the watermark."""
    root = _root("hdr", "v", "o", "w10")
    paragraph = etree.SubElement(root, w("p"))
    rule = [ooxml.border("bottom", rule_colour, 4, 4)] if marking or reference else None
    paragraph.append(paragraph_properties(style=style, tabs=[("right", text_width, "")],
                                          borders=rule))
    if watermark.strip():
        paragraph.append(_watermark_run(watermark, page, watermark_colour, font))
    if marking:
        paragraph.append(text_run(marking, run_properties(bold=True)))
    if reference:
        etree.SubElement(etree.SubElement(paragraph, w("r")), w("tab"))
        paragraph.append(text_run(reference))
    return ooxml.serialize(root)


def footer_xml(*, text: str, style: str, text_width: int, rule_colour: str,
               page_label: str = "Page {page} of {pages}") -> bytes:
    """The footer: the document's footer line left, "Page X of Y" right, as live fields."""
    root = _root("ftr")
    paragraph = etree.SubElement(root, w("p"))
    paragraph.append(paragraph_properties(
        style=style, tabs=[("right", text_width, "")],
        borders=[ooxml.border("top", rule_colour, 4, 4)]))
    if text:
        paragraph.append(text_run(text))
    etree.SubElement(etree.SubElement(paragraph, w("r")), w("tab"))
    # "Page {page} of {pages}" in the document's language, the numbers as live fields.
    for piece in re.split(r"(\{page\}|\{pages\})", page_label):
        if piece in ("{page}", "{pages}"):
            paragraph.extend(field_runs("PAGE" if piece == "{page}" else "NUMPAGES", "1"))
        elif piece:
            paragraph.append(text_run(piece))
    return ooxml.serialize(root)


# Word's WordArt text-path shape type (#136), as Word writes it for watermarks.
_TEXTPATH_FORMULAS = ("sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2",
                      "sum 21600 0 @3", "if @0 @3 0", "if @0 21600 @1", "if @0 0 @2",
                      "if @0 @4 21600", "mid @5 @6", "mid @8 @5", "mid @7 @8", "mid @6 @7",
                      "sum @6 0 @5")


def _watermark_run(text: str, page: tuple[int, int], colour: str, font: str) -> etree._Element:
    """A diagonal, pale, behind-text WordArt shape centred on the page, like Word's
    Design > Watermark; every page shows it because it lives in the header. It lies as the
    PDF's does (pdf/writer.py, _watermark): along the page's diagonal, half its length, at
    most 110 pt letters, so that a landscape page's stays on the page."""
    text = " ".join(ooxml.xml_text(text).split())
    width, height = page[0] / 20, page[1] / 20
    # Caps of a serif face run about 0.68 em wide; size the box to the text's own shape.
    em = 0.68 * max(len(text), 1)
    width_pt = min(0.5 * math.hypot(width, height), em * 110)
    height_pt = max(24.0, min(150.0, width_pt / em))
    rotation = round(360 - math.degrees(math.atan2(height, width)))
    run = etree.Element(w("r"))
    picture = etree.SubElement(run, w("pict"))
    shape_type = etree.SubElement(picture, qn("v:shapetype"))
    for key, value in (("id", "_x0000_t136"), ("coordsize", "21600,21600"), (qn("o:spt"), "136"),
                       ("adj", "10800"), ("path", "m@7,l@8,m@5,21600l@6,21600e")):
        shape_type.set(key, value)
    formulas = etree.SubElement(shape_type, qn("v:formulas"))
    for equation in _TEXTPATH_FORMULAS:
        etree.SubElement(formulas, qn("v:f")).set("eqn", equation)
    path = etree.SubElement(shape_type, qn("v:path"))
    path.set("textpathok", "t")
    path.set(qn("o:connecttype"), "custom")
    path.set(qn("o:connectlocs"), "@9,0;@10,10800;@11,21600;@12,10800")
    path.set(qn("o:connectangles"), "270,180,90,0")
    etree.SubElement(shape_type, qn("v:textpath")).attrib.update({"on": "t", "fitshape": "t"})
    handles = etree.SubElement(shape_type, qn("v:handles"))
    etree.SubElement(handles, qn("v:h")).attrib.update({"position": "#0,bottomRight",
                                                       "xrange": "6629,14971"})
    etree.SubElement(shape_type, qn("o:lock")).attrib.update({qn("v:ext"): "edit", "text": "t",
                                                             "shapetype": "t"})
    shape = etree.SubElement(picture, qn("v:shape"))
    shape.set("id", "PowerPlusWaterMarkObject1")
    shape.set(qn("o:spid"), "_x0000_s2049")
    shape.set("type", "#_x0000_t136")
    shape.set("style", (f"position:absolute;margin-left:0;margin-top:0;width:{width_pt:.1f}pt;"
                        f"height:{height_pt:.1f}pt;rotation:{rotation};z-index:-251654144;"
                        "mso-position-horizontal:center;mso-position-horizontal-relative:page;"
                        "mso-position-vertical:center;mso-position-vertical-relative:page"))
    shape.set(qn("o:allowincell"), "f")
    shape.set("fillcolor", colour)
    shape.set("stroked", "f")
    shape.set("strokecolor", colour)  # LibreOffice outlines Fontwork even when not stroked
    etree.SubElement(shape, qn("v:fill")).set("opacity", ".5")
    textpath = etree.SubElement(shape, qn("v:textpath"))
    textpath.set("style", f'font-family:"{font}";font-size:1pt')
    textpath.set("string", text)
    wrap = etree.SubElement(shape, qn("w10:wrap"))
    wrap.set("anchorx", "page")
    wrap.set("anchory", "page")
    return run


# ---------------------------------------------------------------- packaging


def relationships_xml(relationships: list[tuple[str, str, str, bool]]) -> bytes:
    """A .rels part from (id, type, target, external)."""
    root = etree.Element(f"{{{PR}}}Relationships", nsmap={None: PR})
    for rel_id, kind, target, external in relationships:
        rel = etree.SubElement(root, f"{{{PR}}}Relationship")
        rel.set("Id", rel_id)
        rel.set("Type", kind)
        rel.set("Target", target)
        if external:
            rel.set("TargetMode", "External")
    return ooxml.serialize(root)


def content_types_xml(overrides: dict[str, str], defaults: dict[str, str]) -> bytes:
    """[Content_Types].xml: defaults for rels, xml and the extensions in ``defaults``
    (png, odttf), one override per part."""
    root = etree.Element(f"{{{CT}}}Types", nsmap={None: CT})
    every = [("rels", "application/vnd.openxmlformats-package.relationships+xml"),
             ("xml", "application/xml"), *sorted(defaults.items())]
    for extension, kind in every:
        etree.SubElement(root, f"{{{CT}}}Default").attrib.update(
            {"Extension": extension, "ContentType": kind})
    for part, kind in sorted(overrides.items()):
        etree.SubElement(root, f"{{{CT}}}Override").attrib.update(
            {"PartName": "/" + part, "ContentType": CONTENT_TYPES[kind]})
    return ooxml.serialize(root)
