"""Word refuses a file whose property elements stand out of the schema's order, and
Word is not available here: every produced DOCX is checked against the sequences of
ECMA-376 Part 1 (wml.xsd, transitional), element by element, in every XML part.

A child the sequence does not list fails too: either the writer made it up or this
table needs the schema's entry.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from conftest import EXAMPLES
from doc_samples import sample_document
from framework_kit.api import render_bytes
from framework_kit.render.theme import Theme
from framework_kit.render.writers.docx.writer import write_docx as write

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_PPR_BASE = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
             "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap "
             "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
             "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
             "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle")
_RPR = ("ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike "
        "outline shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w "
        "kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang "
        "eastAsianLayout specVanish oMath rPrChange")
_SETTINGS = (
    "writeProtection view zoom removePersonalInformation removeDateAndTime "
    "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
    "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
    "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
    "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
    "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate "
    "linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge revisionView "
    "trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection "
    "autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation "
    "consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength "
    "clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting "
    "bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
    "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery "
    "displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin "
    "drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData "
    "noPunctuationKerning characterSpacingControl printTwoOnOne strictFirstAndLastChars "
    "noLineBreaksAfter noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema "
    "saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml "
    "saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags alwaysMergeEmptyNamespace "
    "updateFields hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr "
    "attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats "
    "doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType "
    "schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator")
# Parent element -> the order of its children. headerReference and footerReference
# are a choice: they share one rank.
ORDER = {
    "pPr": _PPR_BASE + " rPr sectPr pPrChange",
    "rPr": _RPR,
    "sectPr": ("headerReference|footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
               "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg "
               "textDirection bidi rtlGutter docGrid printerSettings sectPrChange"),
    "settings": _SETTINGS,
    "font": ("altName panose1 charset family notTrueType pitch sig embedRegular embedBold "
             "embedItalic embedBoldItalic"),
    "lvl": "start numFmt lvlRestart pStyle isLgl suff lvlText lvlPicBulletId legacy lvlJc pPr rPr",
    "abstractNum": "nsid multiLevelType tmpl name styleLink numStyleLink lvl",
    "num": "abstractNumId lvlOverride",
    "numbering": "numPicBullet abstractNum num numIdMacAtCleanup",
    "tblPr": ("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
              "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook "
              "tblCaption tblDescription tblPrChange"),
    "tcPr": ("cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
             "tcFitText vAlign hideMark"),
    "pBdr": "top left bottom right between bar",
    "tblBorders": "top left start bottom right end insideH insideV",
    "tblCellMar": "top left start bottom right end",
    "style": ("name aliases basedOn next link autoRedefine hidden uiPriority semiHidden "
              "unhideWhenUsed qFormat locked personal personalCompose personalReply rsid pPr "
              "rPr tblPr trPr tcPr tblStylePr"),
    "docDefaults": "rPrDefault pPrDefault",
    "tbl": "bookmarkStart tblPr tblGrid tr",
    "tc": "tcPr p tbl",
}
_RANKS = {parent: {name: rank for rank, names in enumerate(order.split())
                   for name in names.split("|")} for parent, order in ORDER.items()}
# Within settings, footnotePr is CT_FtnDocProps: its own order.
_FOOTNOTE_PROPS = {name: rank for rank, name in enumerate("pos numFmt numStart numRestart footnote".split())}


def order_problems(xml: bytes, part: str) -> list[str]:
    """Every element of ``xml`` whose WordprocessingML children break the schema's order."""
    problems = []
    for element in etree.fromstring(xml).iter(f"{{{W}}}*"):
        parent = etree.QName(element).localname
        ranks = _RANKS.get(parent)
        if parent == "footnotePr" and element.getparent() is not None \
                and etree.QName(element.getparent()).localname == "settings":
            ranks = _FOOTNOTE_PROPS
        if ranks is None:
            continue
        last = -1
        for child in element:
            if not isinstance(child.tag, str) or etree.QName(child).namespace != W:
                continue
            name = etree.QName(child).localname
            if name not in ranks:
                problems.append(f"{part}: <{parent}> holds <{name}>, which its schema does not list")
                continue
            if ranks[name] < last:
                problems.append(f"{part}: <{name}> stands after a later sibling in <{parent}>: "
                                + " ".join(etree.QName(c).localname for c in element))
            last = max(last, ranks[name])
    return problems


def _package_problems(data: bytes) -> list[str]:
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                found += order_problems(archive.read(name), name)
    return found


@pytest.fixture(scope="module")
def produced() -> list[tuple[str, bytes]]:
    files = [("sample.docx", write(sample_document(), Theme()))]
    for spec in sorted(EXAMPLES.glob("*.yaml")):
        files += [(f.filename, f.data) for f in
                  render_bytes(spec.read_bytes(), spec.name, formats=("docx",)).files]
    return files


def test_every_part_of_every_docx_follows_the_schema_order(produced):
    problems = {name: _package_problems(data) for name, data in produced}
    assert {name: found for name, found in problems.items() if found} == {}


def test_the_order_check_catches_a_misplaced_property():
    bad = (f'<w:p xmlns:w="{W}"><w:pPr><w:jc w:val="left"/><w:keepNext/></w:pPr>'
           f'<w:r><w:rPr><w:lang w:val="uk"/><w:b/><w:madeUp/></w:rPr></w:r></w:p>').encode()
    problems = order_problems(bad, "x.xml")
    assert len(problems) == 3
    assert "<keepNext> stands after" in problems[0] and "<b> stands after" in problems[1]
    assert "<madeUp>" in problems[2]
