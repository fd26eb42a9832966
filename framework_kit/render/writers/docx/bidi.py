"""Right-to-left text in the DOCX: the direction marks Word and LibreOffice read.

Word shapes and orders Arabic itself; it needs to be told which paragraphs are
right to left (``w:bidi``: the paragraph starts at the right, its numbers and
indents there), which runs hold right-to-left text (``w:rtl``, and their language
in ``w:lang``'s bidi slot for proofing), which font draws them (the complex-script
slot ``w:rFonts w:cs``: Amiri, embedded like the document font) and, in a
right-to-left document, that tables read from the right (``w:bidiVisual``) and the
section too. The parts are written first and marked here, each element put in its
schema place (ECMA-376 Part 1; tests/test_docx_schema_order.py checks them).
"""

from __future__ import annotations

from lxml import etree

from ...direction import has_rtl, is_arabic_block, is_rtl_language
from .ooxml import w

# The schema's order of the children these marks go among (wml.xsd, transitional).
_PPR = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
        "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
        "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
        "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
        "rPr sectPr pPrChange").split()
_RPR = ("ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline "
        "shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern position sz "
        "szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
        "specVanish oMath rPrChange").split()
_TBLPR = ("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
          "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
          "tblDescription tblPrChange").split()
_SECTPR = ("headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
           "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi "
           "rtlGutter docGrid printerSettings sectPrChange").split()


def child(parent: etree._Element, tag: str, order: list[str]) -> etree._Element:
    """``parent``'s child ``tag``, made and put in its schema place when it has none."""
    found = parent.find(w(tag))
    if found is not None:
        return found
    rank = order.index(tag)
    node = etree.Element(w(tag))
    for index, existing in enumerate(parent):
        name = etree.QName(existing).localname
        if name in order and order.index(name) > rank:
            parent.insert(index, node)
            return node
    parent.append(node)
    return node


def _properties(owner: etree._Element, tag: str) -> etree._Element:
    """The properties element (pPr, rPr, tblPr) that opens ``owner``, made when missing."""
    found = owner.find(w(tag))
    if found is None:
        found = etree.Element(w(tag))
        owner.insert(0, found)
    return found


def mark(root: etree._Element, rtl_document: bool, language: str, font: str) -> None:
    """Mark the right-to-left runs of a part (and, in a right-to-left document, every
    paragraph, table and section) in place; ``language`` is their bidi language tag, ``font``
    the complex-script font of runs with Arabic letters (others keep their style's)."""
    for run in root.iter(w("r")):
        text = "".join(node.text or "" for node in run.iter(w("t")))
        if not has_rtl(text):
            continue
        properties = _properties(run, "rPr")
        if any(is_arabic_block(ord(character)) for character in text):  # else the style's font
            child(properties, "rFonts", _RPR).set(w("cs"), font)
        child(properties, "rtl", _RPR)
        lang = child(properties, "lang", _RPR)
        if lang.get(w("bidi")) is None:
            lang.set(w("bidi"), language)
    if not rtl_document:
        return
    for paragraph in root.iter(w("p")):
        child(_properties(paragraph, "pPr"), "bidi", _PPR)
    for table in root.iter(w("tbl")):
        child(_properties(table, "tblPr"), "bidiVisual", _TBLPR)
    for section in root.iter(w("sectPr")):
        child(section, "bidi", _SECTPR)


def mark_parts(files: dict[str, bytes], names, language: str, languages) -> tuple:
    """Mark the right-to-left text of the parts ``names`` of ``files`` in place; the Arabic
    font's faces to embed, (family, faces), when there is any, else nothing. A document
    without right-to-left text is left byte for byte as written."""
    rtl_document = is_rtl_language(language)
    if not rtl_document and not any(has_rtl(files[name].decode("utf-8")) for name in names):
        return ()
    from ...fonts import ARABIC_FAMILY, arabic_font_files
    from .ooxml import serialize

    tag = next((tag for tag in (language, *languages) if is_rtl_language(tag)), "ar")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for name in names:
        root = etree.fromstring(files[name], parser)
        mark(root, rtl_document, tag, ARABIC_FAMILY)
        files[name] = serialize(root)
    return ((ARABIC_FAMILY, arabic_font_files()),)


__all__ = ["child", "mark", "mark_parts"]
