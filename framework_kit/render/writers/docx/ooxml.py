"""Office Open XML plumbing shared by the reference document and the DOCX writer.

Namespaces, text that XML 1.0 can hold, core properties that never read the
clock, and a zip writer whose output depends on nothing but its input: Word
and python-docx stamp every zip entry with the current time, which would make
two renders of the same design differ.
"""

from __future__ import annotations

import datetime as _dt
import functools
import io
import os
import re
import struct
import zipfile
import zlib

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"

NSMAP = {
    "w": W,
    "r": R,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
}

CONTENT_TYPES = {
    "document": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "styles": "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
    "numbering": "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
    "settings": "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
    "webSettings": "application/vnd.openxmlformats-officedocument.wordprocessingml.webSettings+xml",
    "fontTable": "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
    "theme": "application/vnd.openxmlformats-officedocument.theme+xml",
    "footnotes": "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "header": "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "footer": "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
    "core": "application/vnd.openxmlformats-package.core-properties+xml",
    "app": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
}

# XML 1.0 allows tab, newline, carriage return and these ranges; anything else
# (NUL, other C0 controls, lone surrogates, U+FFFE/U+FFFF) makes lxml raise.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML tag: ``w("p")`` -> ``{...main}p``."""
    return f"{{{W}}}{tag}"


def qn(name: str) -> str:
    """The Clark name of a prefixed name such as ``"r:id"`` or ``"wp:inline"``."""
    prefix, _, local = name.partition(":")
    return f"{{{NSMAP[prefix]}}}{local}"


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (dropped, not escaped)."""
    return _NOT_XML.sub("", text)


def serialize(element: etree._Element) -> bytes:
    """An element as a standalone XML part, the way Word writes them."""
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


def package_date(meta_date: str) -> str:
    """The W3CDTF timestamp for core properties: SOURCE_DATE_EPOCH when set, else the
    document's own date; "" when neither is usable (then no date is written)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        moment = _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        day = _dt.date.fromisoformat(meta_date.strip()[:10])
    except ValueError:
        return ""
    return f"{day.isoformat()}T00:00:00Z"


def core_properties(*, title: str, subject: str = "", author: str = "", keywords: str = "",
                    language: str = "", description: str = "", when: str = "",
                    category: str = "", status: str = "", version: str = "") -> bytes:
    """docProps/core.xml with fixed revision and no clock-derived value; Word shows
    category, status and version under File > Info > Properties."""
    ns = {
        "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        "dc": "http://purl.org/dc/elements/1.1/",
        "dcterms": "http://purl.org/dc/terms/",
        "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    }
    root = etree.Element(f"{{{ns['cp']}}}coreProperties", nsmap=ns)

    def add(prefix: str, tag: str, value: str) -> etree._Element | None:
        if not value:
            return None
        node = etree.SubElement(root, f"{{{ns[prefix]}}}{tag}")
        node.text = xml_text(value)
        return node

    add("dc", "title", title)
    add("dc", "subject", subject)
    add("dc", "creator", author)
    add("cp", "keywords", keywords)
    add("dc", "description", description)
    add("dc", "language", language)
    add("cp", "lastModifiedBy", author)
    add("cp", "revision", "1")
    add("cp", "category", category)
    add("cp", "contentStatus", status)
    add("cp", "version", version)
    for tag in ("created", "modified"):
        node = add("dcterms", tag, when)
        if node is not None:
            node.set(f"{{{ns['xsi']}}}type", "dcterms:W3CDTF")
    return serialize(root)


def app_properties() -> bytes:
    """docProps/app.xml: the producing application only (page counts are Word's job)."""
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns})
    etree.SubElement(root, f"{{{ns}}}Application").text = "framework-kit"
    return serialize(root)


def write_package(parts: dict[str, bytes], static: frozenset[str] = frozenset()) -> bytes:
    """A zip of ``parts`` that is byte-identical for identical parts.

    [Content_Types].xml comes first (some readers expect it there), the rest in
    name order; every entry has the same timestamp and permissions. Parts named
    in ``static`` (styles, theme: the same bytes in every document) are
    compressed once per process, which zipfile cannot do.
    """
    names = sorted(parts, key=lambda name: (name != "[Content_Types].xml", name))
    out = io.BytesIO()
    central = []
    for name in names:
        data = parts[name]
        crc, packed = _deflated(data, name in static)
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else 0x800  # bit 11: the name is UTF-8
        offset = out.tell()
        common = (20, flags, 8, _DOS_TIME, _DOS_DATE, crc, len(packed), len(data), len(encoded))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *common, 0))
        out.write(encoded)
        out.write(packed)
        central.append(struct.pack("<IH", 0x02014B50, 0x0314)  # made by: Unix, zip 2.0
                       + struct.pack("<HHHHHIIIH", *common)
                       + struct.pack("<HHHHII", 0, 0, 0, 0, 0o100644 << 16, offset) + encoded)
    directory = b"".join(central)
    start = out.tell()
    out.write(directory)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(names), len(names),
                          len(directory), start, 0))
    return out.getvalue()


# 1980-01-01 00:00:00 in MS-DOS form: the earliest a zip can hold, so nothing
# about the moment of writing leaks into the file.
_DOS_DATE, _DOS_TIME = (0 << 9) | (1 << 5) | 1, 0
def _deflated(data: bytes, keep: bool) -> tuple[int, bytes]:
    """(CRC-32, raw deflate stream) of ``data``; remembered when ``keep`` (parts every file repeats)."""
    if not keep:
        return _deflate(data)
    return _deflate_remembered(data) if len(data) < _KEPT_FROM else _deflate_kept(data)


def _deflate(data: bytes) -> tuple[int, bytes]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


_deflate_remembered = functools.lru_cache(maxsize=64)(_deflate)

# Parts this large (the embedded font faces, 670 kB together) are also kept compressed between
# runs: deflating them was a fifth of a cold DOCX render.
_KEPT_FROM = 64 * 1024


@functools.lru_cache(maxsize=16)
def _deflate_kept(data: bytes) -> tuple[int, bytes]:
    from ...private_cache import keep, kept_file, read_kept

    # By content, and by the zlib that compressed it: the same bytes as now.
    file = kept_file("deflated-1", data, f"-zlib{zlib.ZLIB_RUNTIME_VERSION}.deflate")
    packed = read_kept(file)
    try:  # what was kept is used only if it gives back exactly these bytes
        if packed is not None and zlib.decompress(packed, -15) == data:
            return zlib.crc32(data), packed
    except zlib.error:
        pass
    crc, packed = _deflate(data)
    keep(file, packed)
    return crc, packed


def read_package(data: bytes, xml_only: bool = False,
                 limit: int = 64 * 1024 * 1024) -> dict[str, bytes]:
    """Every part of a zip package by name (only .xml and .rels parts when ``xml_only``).

    Raises ``zipfile.BadZipFile`` when it is not a zip and ``ValueError`` when the
    parts would unpack to more than ``limit`` bytes (a damaged file or a zip bomb).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = [info for info in archive.infolist() if not info.is_dir()
                 and (not xml_only or info.filename.endswith((".xml", ".rels")))]
        if sum(info.file_size for info in infos) > limit:
            raise ValueError("the package unpacks to more than its limit")
        # zipfile stops reading an entry at its declared size, so the sum bounds memory.
        return {info.filename: archive.read(info) for info in infos}


# ------------------------------------------------------- formatting properties
# Word rejects property elements out of schema order, so the builders below
# emit children in the order of CT_PPr / CT_RPr whatever the keyword order.


def twips(points: float) -> str:
    """Points as the twentieths of a point that WordprocessingML measures in."""
    return str(round(points * 20))


def mm_twips(millimetres: float) -> int:
    """Millimetres as twips (1440 to the inch)."""
    return round(millimetres * 1440 / 25.4)


def hex_colour(colour: str) -> str:
    """``"#1f3a5f"`` -> ``"1F3A5F"``."""
    return colour.lstrip("#").upper()


def border(side: str, colour: str, size_eighths: int = 4, space: int = 1) -> etree._Element:
    """A single-line border element for ``side`` (top, left, insideH ...); size in
    eighths of a point, space in points."""
    node = etree.Element(w(side))
    node.set(w("val"), "single")
    node.set(w("sz"), str(size_eighths))
    node.set(w("space"), str(space))
    node.set(w("color"), hex_colour(colour))
    return node


def paragraph_properties(*, style: str = "", keep_next: bool = False, keep_lines: bool = False,
                         borders: list[etree._Element] | None = None, fill: str = "",
                         tabs: list[tuple[str, int, str]] | None = None,
                         before: float | None = None, after: float | None = None,
                         line: int | None = None, left: int | None = None,
                         hanging: int | None = None, right: int | None = None,
                         align: str = "", outline: int | None = None,
                         numbering: tuple[int, int] | None = None) -> etree._Element:
    """A ``w:pPr``; spacing in points, indents in twips, tabs as (kind, twips, leader)."""
    ppr = etree.Element(w("pPr"))
    if style:
        etree.SubElement(ppr, w("pStyle")).set(w("val"), style)
    if keep_next:
        etree.SubElement(ppr, w("keepNext"))
    if keep_lines:
        etree.SubElement(ppr, w("keepLines"))
    if numbering:
        num_pr = etree.SubElement(ppr, w("numPr"))
        etree.SubElement(num_pr, w("ilvl")).set(w("val"), str(numbering[1]))
        etree.SubElement(num_pr, w("numId")).set(w("val"), str(numbering[0]))
    if borders:
        box = etree.SubElement(ppr, w("pBdr"))
        order = ("top", "left", "bottom", "right")
        for node in sorted(borders, key=lambda b: order.index(etree.QName(b).localname)):
            box.append(node)
    if fill:
        shading = etree.SubElement(ppr, w("shd"))
        shading.set(w("val"), "clear")
        shading.set(w("color"), "auto")
        shading.set(w("fill"), hex_colour(fill))
    if tabs:
        tab_list = etree.SubElement(ppr, w("tabs"))
        for kind, position, leader in tabs:
            tab = etree.SubElement(tab_list, w("tab"))
            tab.set(w("val"), kind)
            if leader:
                tab.set(w("leader"), leader)
            tab.set(w("pos"), str(position))
    _optional(ppr, "spacing", before=None if before is None else twips(before),
              after=None if after is None else twips(after),
              line=None if line is None else str(line),
              lineRule=None if line is None else "auto")
    _optional(ppr, "ind", left=left, right=right, hanging=hanging)
    if align:
        etree.SubElement(ppr, w("jc")).set(w("val"), align)
    if outline is not None:
        etree.SubElement(ppr, w("outlineLvl")).set(w("val"), str(outline))
    return ppr


# The first children of CT_PPrBase, in schema order: the flags set on existing pPr.
_PPR_HEAD = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl")


def add_paragraph_flag(ppr: etree._Element, tag: str) -> None:
    """Switch on ``tag`` (keepNext, widowControl ...) in an existing ``w:pPr``, in its
    schema place, unless the pPr already says something about it."""
    if ppr.find(w(tag)) is not None:
        return
    before = _PPR_HEAD[:_PPR_HEAD.index(tag)]
    place = sum(1 for child in ppr if etree.QName(child).localname in before)
    ppr.insert(place, etree.Element(w(tag)))


def keep_with_next(paragraph: etree._Element) -> None:
    """Give an existing ``w:p`` keep-with-next."""
    ppr = paragraph.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        paragraph.insert(0, ppr)
    add_paragraph_flag(ppr, "keepNext")


def _optional(parent: etree._Element, tag: str, **attributes) -> None:
    """A child ``tag`` carrying the attributes that are not None; none when all are."""
    given = {key: str(value) for key, value in attributes.items() if value is not None}
    if given:
        child = etree.SubElement(parent, w(tag))
        for key, value in given.items():
            child.set(w(key), value)


def run_properties(*, style: str = "", font: str = "", bold: bool = False, italic: bool = False,
                   caps: bool = False, colour: str = "", size: float | None = None,
                   underline: bool = False, superscript: bool = False,
                   language: str = "", east_asian_language: str = "",
                   bidi_language: str = "") -> etree._Element:
    """A ``w:rPr``; size in points. The font is set for every script, with no
    theme-font attribute left to override it. The languages go to w:lang's val,
    eastAsia and bidi slots (Word reads each for its own kind of script)."""
    rpr = etree.Element(w("rPr"))
    if style:
        etree.SubElement(rpr, w("rStyle")).set(w("val"), style)
    if font:
        fonts = etree.SubElement(rpr, w("rFonts"))
        for script in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(w(script), font)
    if bold:
        etree.SubElement(rpr, w("b"))
        etree.SubElement(rpr, w("bCs"))
    if italic:
        etree.SubElement(rpr, w("i"))
        etree.SubElement(rpr, w("iCs"))
    if caps:
        etree.SubElement(rpr, w("caps"))
    if colour:
        etree.SubElement(rpr, w("color")).set(w("val"), hex_colour(colour))
    if size is not None:
        half_points = str(round(size * 2))
        etree.SubElement(rpr, w("sz")).set(w("val"), half_points)
        etree.SubElement(rpr, w("szCs")).set(w("val"), half_points)
    if underline:
        etree.SubElement(rpr, w("u")).set(w("val"), "single")
    if superscript:
        etree.SubElement(rpr, w("vertAlign")).set(w("val"), "superscript")
    if language or east_asian_language or bidi_language:
        lang = etree.SubElement(rpr, w("lang"))
        for slot, tag in (("val", language), ("eastAsia", east_asian_language),
                          ("bidi", bidi_language)):
            if tag:
                lang.set(w(slot), xml_text(tag))
    return rpr
