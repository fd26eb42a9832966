"""The document font embedded in the DOCX the way Word embeds fonts (ECMA-376 Part 1,
17.8.1): each face is a ``word/fonts/*.odttf`` part whose first 32 bytes are XORed with
a key, and fontTable.xml names the part and the key (``w:embedRegular`` and friends).

Without it a ministry PC, where IBM Plex Serif is not installed, lays the text out in
a substitute (LibreOffice chose DejaVu Sans and broke words as "D-/Day"). The whole
face is embedded, not a subset, because drafters edit the text and type letters the
draft did not use yet. The key is derived from the font's bytes so that the same
design gives the same file.
"""

from __future__ import annotations

import hashlib
import uuid
from functools import lru_cache
from pathlib import Path

from lxml import etree

from . import ooxml
from .ooxml import NSMAP, qn, w

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# Face of fonts.font_files() -> the fontTable element that embeds it, in schema order.
_FACES = (("regular", "embedRegular"), ("bold", "embedBold"), ("italic", "embedItalic"),
          ("bold_italic", "embedBoldItalic"))


def font_key(data: bytes) -> str:
    """A GUID in Word's braces form, the same for the same font file."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """The font with its first 32 bytes XORed with the key's 16 bytes, which are the
    GUID's hex digits read in pairs from its end. The same call reverses it."""
    key_bytes = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(byte ^ key_bytes[index % 16] for index, byte in enumerate(data[:32]))
    return head + data[32:]


@lru_cache(maxsize=8)
def _obfuscated(path: Path) -> tuple[str, bytes]:
    from ... import fonts

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise fonts.FontError(f"the document font cannot be read ({exc.strerror}: {path}); "
                              "reinstall the package fontpkg-ibm-plex-serif") from None
    key = font_key(data)
    return key, obfuscate(data, key)


def document_faces(theme) -> dict[str, Path]:
    """The font files to embed for the theme's font, by face (regular, bold, italic,
    bold_italic): the house font's that theme.yaml names, else IBM Plex Serif's."""
    from ... import fonts

    if not theme.font_files and theme.font != fonts.FAMILY:
        return {}
    return fonts.font_files(theme)


def embed_fonts(font_table_xml: bytes | None, family: str, faces: dict[str, Path],
                more: tuple[tuple[str, dict[str, Path]], ...] = ()) -> tuple[
                    bytes, list[tuple[str, str, str, bool]], dict[str, bytes]]:
    """fontTable.xml with ``faces`` embedded under ``family`` (and each of ``more``'s families
    with its faces: Amiri for Arabic), its relationships and the .odttf parts by path. The
    reference's font table is kept; its entry for a family (or a new one) gains the
    embedding elements."""
    if font_table_xml:
        root = etree.fromstring(font_table_xml, etree.XMLParser(resolve_entities=False,
                                                                no_network=True))
    else:
        root = etree.Element(w("fonts"))
    if root.nsmap.get("r") != NSMAP["r"]:  # declare r: on the root, not on each element
        bare = root
        root = etree.Element(w("fonts"), nsmap={**bare.nsmap, "w": NSMAP["w"], "r": NSMAP["r"]})
        root.extend(list(bare))
    rels, files = [], {}
    for position, (name, its_faces) in enumerate(((family, faces), *more)):
        entry = next((font for font in root.iterchildren(w("font"))
                      if font.get(w("name")) == name), None)
        if entry is None:
            entry = etree.Element(w("font"))
            entry.set(w("name"), name)
            root.insert(position, entry)
        for _, tag in _FACES:
            for old in entry.findall(w(tag)):
                entry.remove(old)
        for face, tag in ((f, t) for f, t in _FACES if f in its_faces):
            key, data = _obfuscated(its_faces[face])
            number = len(rels) + 1
            rel_id = f"rId{number}"
            target = f"fonts/font{number}.odttf"
            rels.append((rel_id, f"{ooxml.R}/font", target, False))
            files[f"word/{target}"] = data
            embed = etree.SubElement(entry, w(tag))  # the embed elements close CT_Font
            embed.set(qn("r:id"), rel_id)
            embed.set(w("fontKey"), key)
    return ooxml.serialize(root), rels, files
