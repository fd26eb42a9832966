"""What the DOCX writer takes from a reference document: styles and page set-up.

A drafter's restyled reference.docx may lack a style the writer uses (deleted,
or exported by an older version); such styles are copied in from the default
reference so the output never points at a style that does not exist. Styles
are found by name, not id, because Word localises ids ("Überschrift1").
"""

from __future__ import annotations

import copy
import functools
import math
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from . import ooxml
from .ooxml import PR, w
from .default_reference import reference_docx
from .reference_choice import ReferenceDocError
from ...theme import Theme


# Parts copied from the reference as they are: their path in the output, their type.
_COPIED = {"theme": "word/theme/theme1.xml", "fontTable": "word/fontTable.xml",
           "webSettings": "word/webSettings.xml"}
# Page set-up children of w:sectPr; headers, footers and a distinct first page are ours.
_PAGE_SETUP = ("pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols",
               "vAlign", "textDirection", "bidi", "rtlGutter", "docGrid")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
# The page set-up lengths (twips) taken from a reference, and the largest Word accepts (22 inches).
_MEASURED = {"pgSz": ("w", "h"),
             "pgMar": ("top", "right", "bottom", "left", "header", "footer", "gutter")}
MAX_TWIPS = 31_680
A4 = (11_906, 16_838)  # the page, in twips, where a set-up does not say


@dataclass
class Reference:
    """The parsed reference document, shared by every document written with it."""

    styles: etree._Element
    style_ids: dict[str, str]  # lower-case style name -> style id
    copied: dict[str, bytes]  # output part path -> bytes
    page_setup: list[etree._Element]
    text_width: int  # twips between the margins
    _styles_by_language: dict[str, bytes] = field(default_factory=dict)

    @property
    def page_size(self) -> tuple[int, int]:
        """The page's width and height in twips."""
        return page_size(self.page_setup)

    def style_id(self, name: str) -> str:
        """The id of the style called ``name`` (every house style is present)."""
        return self.style_ids.get(name.lower(), "Normal")

    def indent(self, style_id: str) -> dict[str, int]:
        """The left, right and hanging indents (twips) a paragraph style gives, its own
        or inherited through basedOn; {} when it has none or they cannot be read."""
        styles = {s.get(w("styleId")): s for s in self.styles.iterchildren(w("style"))}
        seen = set()
        while style_id in styles and style_id not in seen:
            seen.add(style_id)
            ind = styles[style_id].find(f"{w('pPr')}/{w('ind')}")
            if ind is not None:
                found = {}
                for key, names in (("left", ("left", "start")), ("right", ("right", "end")),
                                   ("hanging", ("hanging",))):
                    value = next((ind.get(w(n)) for n in names if ind.get(w(n))), None)
                    if value is not None and value.lstrip("-").isdigit():
                        found[key] = int(value)
                return found
            based = styles[style_id].find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else ""
        return {}

    def styles_xml(self, language: str) -> bytes:
        """styles.xml with the document's language as the default proofing language, and
        widow and orphan control on unless a style turns it off: absent, the schema says
        it is off, and a clause's last line could stand alone at the top of a page."""
        if language not in self._styles_by_language:
            styles = copy.deepcopy(self.styles)
            ppr = styles.find(f"{w('docDefaults')}/{w('pPrDefault')}/{w('pPr')}")
            if ppr is not None:
                ooxml.add_paragraph_flag(ppr, "widowControl")
            rpr = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
            if rpr is not None and language:
                lang = rpr.find(w("lang"))
                if lang is None:
                    lang = etree.SubElement(rpr, w("lang"))
                lang.set(w("val"), ooxml.xml_text(language))
            self._styles_by_language[language] = ooxml.serialize(styles)
        return self._styles_by_language[language]


@functools.lru_cache(maxsize=8)
def load_reference(theme: Theme, reference: bytes | None) -> Reference:
    """The reference to write with: the user's bytes, or the theme's default (parsed once each).

    An unmodified copy of the default (an export) counts as the default: its output
    stays byte-identical to the default's, and a page size changed in the folder's
    theme.yaml still reaches the DOCX.
    """
    default = _parse(reference_docx(theme))
    if reference is None or reference in (reference_docx(theme), reference_docx(Theme())):
        return default
    return _merge(_parse(reference), default)


def _parse(data: bytes) -> Reference:
    try:
        parts = ooxml.read_package(data, xml_only=True)
    except ValueError:
        raise ReferenceDocError("the reference document is too large to be a reference "
                                "(over 64 MB of text and styles); export a fresh one with "
                                "`kit templates export` and restyle that") from None
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        raise ReferenceDocError("the reference document is not a Word .docx file; export a "
                                "fresh one with `kit templates export` and restyle that") from None
    except zlib.error:
        raise ReferenceDocError("the reference document is damaged (its compressed data cannot be "
                                "read); save it again from Word as .docx") from None
    try:
        main = _target(parts, "_rels/.rels", "", "/officeDocument")
        related = _related(parts, main)
        document = etree.fromstring(parts[main], _PARSER)
        styles = etree.fromstring(parts[related["styles"]], _PARSER)
    except (KeyError, etree.XMLSyntaxError, ValueError):
        raise ReferenceDocError("the reference document is damaged or is not a Word document "
                                "(its styles could not be read); save it again from Word as "
                                ".docx") from None
    section = document.find(f"{w('body')}/{w('sectPr')}")
    page_setup = [copy.deepcopy(child) for child in (section if section is not None else [])
                  if etree.QName(child).localname in _PAGE_SETUP]
    _check_lengths(page_setup)
    _place_header_and_footer(page_setup)
    copied = {path: parts[related[kind]] for kind, path in _COPIED.items() if kind in related}
    return Reference(styles, _style_ids(styles), copied, page_setup, _text_width(page_setup))


def _target(parts: dict[str, bytes], rels_path: str, base: str, type_suffix: str) -> str:
    rels = etree.fromstring(parts[rels_path], _PARSER)
    for rel in rels.iterchildren(f"{{{PR}}}Relationship"):
        if rel.get("Type", "").endswith(type_suffix) and rel.get("TargetMode") != "External" \
                and rel.get("Target"):
            return posixpath.normpath(posixpath.join(base, rel.get("Target").lstrip("/")))
    raise KeyError(type_suffix)


def _related(parts: dict[str, bytes], main: str) -> dict[str, str]:
    """Relationship kind (last segment of its type) -> part path, for the main part."""
    base = posixpath.dirname(main)
    rels_path = posixpath.join(base, "_rels", posixpath.basename(main) + ".rels")
    rels = etree.fromstring(parts[rels_path], _PARSER)
    found = {}
    for rel in rels.iterchildren(f"{{{PR}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        path = posixpath.normpath(path)
        if path in parts:
            found.setdefault(rel.get("Type", "").rsplit("/", 1)[-1], path)
    return found


def _style_ids(styles: etree._Element) -> dict[str, str]:
    ids = {}
    for style in styles.iterchildren(w("style")):
        name = style.find(w("name"))
        if name is not None and style.get(w("styleId")):
            ids.setdefault(name.get(w("val"), "").lower(), style.get(w("styleId")))
    return ids


def _check_lengths(page_setup: list[etree._Element]) -> None:
    """Refuse a page size or margin that is not a length Word accepts (``1e999``, ``nan``)."""
    for element in page_setup:
        for attribute in _MEASURED.get(etree.QName(element).localname, ()):
            text = element.get(w(attribute))
            if text is None:
                continue
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            # Only the top and bottom margins may be negative (text over the header); a page
            # -5 twips wide went into every DOCX, which Word calls unreadable.
            least = 1 if element.tag == w("pgSz") else 0 if attribute not in ("top", "bottom") else -MAX_TWIPS
            if not math.isfinite(value) or not least <= value <= MAX_TWIPS:
                name = etree.QName(element).localname
                raise ReferenceDocError(
                    f'the reference document\'s page set-up is not usable: {name} {attribute}="{text}" '
                    f"is not a length Word accepts (a whole number of twips, {least:,} to {MAX_TWIPS:,}); "
                    "set the page size and margins again in Word and save it as .docx")


def _place_header_and_footer(page_setup: list[etree._Element]) -> None:
    """Give the header and footer a distance from the page edge when the reference has none.

    LibreOffice saves a document without a header with header="0", which would
    print our marking on the very edge of the sheet; half the margin is Word's habit.
    """
    margins = next((e for e in page_setup if etree.QName(e).localname == "pgMar"), None)
    if margins is None:
        return
    for edge, side in (("header", "top"), ("footer", "bottom")):
        try:
            distance = float(margins.get(w(edge)) or 0)
            margin = abs(float(margins.get(w(side)) or 1440))
        except ValueError:
            distance, margin = 0.0, 1440.0
        if distance < 144:  # under a quarter of an inch: on the edge or nearly
            margins.set(w(edge), str(max(454, int(margin / 2))))


def landscape(ref: Reference) -> Reference:
    """``ref`` with its page turned: width and height swapped, margins kept, the text wider."""
    from copy import deepcopy
    from dataclasses import replace

    page_setup = [deepcopy(node) for node in ref.page_setup]
    for node in page_setup:
        if etree.QName(node).localname == "pgSz":
            width, height = node.get(w("w"), str(A4[0])), node.get(w("h"), str(A4[1]))
            if float(width) < float(height):
                node.set(w("w"), height)
                node.set(w("h"), width)
            node.set(w("orient"), "landscape")
    return replace(ref, page_setup=page_setup, text_width=_text_width(page_setup))


def page_size(page_setup: list[etree._Element]) -> tuple[int, int]:
    """The page's width and height in twips (A4 when the set-up does not say)."""
    size = next((e for e in page_setup if etree.QName(e).localname == "pgSz"), None)
    try:
        return int(float(size.get(w("w")))), int(float(size.get(w("h"))))
    except (AttributeError, TypeError, ValueError):
        return A4


def _text_width(page_setup: list[etree._Element]) -> int:
    size = next((e for e in page_setup if etree.QName(e).localname == "pgSz"), None)
    margins = next((e for e in page_setup if etree.QName(e).localname == "pgMar"), None)

    def number(node, attribute: str, default: float) -> float:
        try:
            return float(node.get(w(attribute))) if node is not None else default
        except (TypeError, ValueError):
            return default

    width = number(size, "w", A4[0])
    used = sum(number(margins, side, 1440) for side in ("left", "right", "gutter")
               if side != "gutter" or margins is not None and margins.get(w("gutter")))
    return max(2880, int(width - used))


def _merge(user: Reference, default: Reference) -> Reference:
    """The user's reference, completed with any house style it lacks."""
    styles = user.styles
    names_by_default_id = {style_id: name for name, style_id in default.style_ids.items()}
    taken = set(user.style_ids.values())
    for name, default_id in default.style_ids.items():
        if name in user.style_ids:
            continue
        source = next(s for s in default.styles.iterchildren(w("style"))
                      if s.get(w("styleId")) == default_id)
        style = copy.deepcopy(source)
        new_id = default_id
        while new_id in taken:
            new_id += "Kit"
        style.set(w("styleId"), new_id)
        taken.add(new_id)
        user.style_ids[name] = new_id
        styles.append(style)
    # Copied styles name their parents by the default's ids; point them at the user's.
    for style in styles.iterchildren(w("style")):
        for tag in ("basedOn", "next"):
            node = style.find(w(tag))
            name = names_by_default_id.get(node.get(w("val"))) if node is not None else None
            if name and user.style_ids.get(name) and node.get(w("val")) not in user.style_ids.values():
                node.set(w("val"), user.style_ids[name])
    if not user.page_setup:
        user.page_setup, user.text_width = default.page_setup, default.text_width
    for path, data in default.copied.items():
        user.copied.setdefault(path, data)
    return user
