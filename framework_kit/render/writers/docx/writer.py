"""Document tree -> DOCX bytes.

The package is assembled part by part with lxml rather than through
python-docx's object model: python-docx looks styles up by scanning them on
every paragraph (a five-page draft took over 150 ms) and stamps the clock into
the zip. Styles and page set-up come from a reference document
(:mod:`framework_kit.render.reference`, or the drafter's own restyled copy);
the writer only names styles, it never formats text directly except for
bold/italic inlines, table cell shading and the header and footer rules.
"""

from __future__ import annotations

from urllib.parse import quote

from lxml import etree

from ... import doctree as dt
from ... import scripts
from . import ooxml
from .ooxml import NSMAP, paragraph_properties, qn, run_properties, w
from ...theme import Theme
from ..base import UnknownNode
from . import parts
from .bidi import mark_parts
from .fonts import CONTENT_TYPE as FONT_CONTENT_TYPE
from .fonts import document_faces, embed_fonts
from .numbering import LIST_INDENT, ORDERED_ABSTRACT, Numbering, Outline
from .reference import Reference, landscape, load_reference

__all__ = ["write_docx"]

_HEADING_STYLES = {1: "Title", 2: "heading 1", 3: "heading 2"}
_PARAGRAPH_STYLES = {"body": "Normal", "lead": "Subtitle", "small": "Small", "legend": "Legend",
                     "quote": "Quote", "center": "Centered"}
_SPACED_STYLES = {"Title", "heading 1", "heading 2", "heading 3", "caption"}
_CLAUSE_STYLES = {"agreed": "Clause Agreed", "bracketed": "Clause Bracketed"}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_DOCUMENT, _FOOTNOTES = "word/document.xml", "word/footnotes.xml"
_LANGUAGE_ARGUMENT = {"val": "language", "eastAsia": "east_asian_language",
                      "bidi": "bidi_language"}
# Characters a hyperlink target may keep as they are; the rest is percent-encoded
# because Word refuses to open a package whose relationship target is not a URI.
_URI_SAFE = ";/?:@&=+$,-_.!~*'()#%[]"


def write_docx(document: dt.Document, theme: Theme, reference: bytes | None = None) -> bytes:
    """The DOCX of ``document``; ``reference`` is a reference.docx whose styles and page
    set-up replace the defaults. Raises ``ReferenceDocError`` for an unusable reference."""
    ref = load_reference(theme, reference)
    if document.meta.orientation == "landscape":
        ref = landscape(ref)
    return _Writer(document, theme, ref).package()


class _Writer:
    def __init__(self, document: dt.Document, theme: Theme, ref: Reference):
        self.document, self.theme, self.ref = document, theme, ref
        self.body = etree.Element(w("body"))
        self.footnotes = parts.footnotes_root()
        self.note_count = 0
        # Relationships by the part that uses them: a footnote's link resolves in
        # footnotes.xml.rels, never in the document's (Word calls that file damaged).
        self.rels: dict[str, list[tuple[str, str, str, bool]]] = {_DOCUMENT: [], _FOOTNOTES: []}
        self.part = _DOCUMENT  # the part whose content is being written
        self.media: dict[str, bytes] = {}
        self.numbering = Numbering()
        self.outline = Outline(self.numbering)
        self.drawing_count = 0
        self.text_language = ""  # the language of the cell being written, when it has its own
        self.styles = {name: ref.style_id(name) for name in (
            "Normal", "Title", "heading 1", "heading 2", "heading 3", "Clause", "Clause Agreed",
            "Clause Bracketed", "Clause Attribution", "Legend", "Small", "Quote", "Centered",
            "caption", "Figure", "Rule", "Table Text", "Signature", "Signature Party",
            "List Paragraph", "header", "footer", "footnote text", "footnote reference",
            "Hyperlink", "Subtitle", "Table Grid", "Fields Table", "Signature Table")}

    # ------------------------------------------------------------ package

    def package(self) -> bytes:
        from .keeping import write_blocks

        write_blocks(self, self.document.blocks)
        if "_tracker" in self.__dict__:  # a redline
            from .redline import part_at_paragraph_marks

            part_at_paragraph_marks(self.body)
        if not len(self.body) or self.body[-1].tag != w("p"):
            # Word needs a paragraph before the section; after a table that ends at the foot
            # of a page a full-size one would make a blank last page, so it is a hairline.
            self._hairline()
        fixed = ["styles", "numbering", "settings", "footnotes", "header", "footer", "fontTable"]
        fixed_targets = {"styles": "styles.xml", "numbering": "numbering.xml",
                         "settings": "settings.xml", "footnotes": "footnotes.xml",
                         "header": "header1.xml", "footer": "footer1.xml",
                         "theme": "theme/theme1.xml", "fontTable": "fontTable.xml",
                         "webSettings": "webSettings.xml"}
        fixed += [kind for kind in ("theme", "webSettings")
                  if "word/" + fixed_targets[kind] in self.ref.copied]
        rels = [(f"rId{index}", parts.REL_TYPES[kind], fixed_targets[kind], False)
                for index, kind in enumerate(fixed, start=1)]
        self.body.append(self._section(header=f"rId{fixed.index('header') + 1}",
                                       footer=f"rId{fixed.index('footer') + 1}"))
        meta, theme = self.document.meta, self.theme
        faces = document_faces(theme)
        root = etree.Element(w("document"), nsmap=NSMAP)
        root.append(self.body)
        language = meta.language or "en"
        files = {
            "word/document.xml": ooxml.serialize(root),
            "word/styles.xml": self.ref.styles_xml(language),
            "word/numbering.xml": self.numbering.xml(),
            "word/settings.xml": parts.settings_xml(language, embed_fonts=bool(faces)),
            "word/footnotes.xml": ooxml.serialize(self.footnotes),
            "word/header1.xml": parts.header_xml(
                marking=meta.marking, reference=meta.reference, watermark=meta.watermark,
                style=self.styles["header"], text_width=self.ref.text_width,
                rule_colour=theme.colour("muted"), font=theme.font,
                watermark_colour=theme.colour("watermark"), page=self.ref.page_size),
            "word/footer1.xml": parts.footer_xml(
                text=meta.footer, style=self.styles["footer"], text_width=self.ref.text_width,
                rule_colour=theme.colour("muted"), page_label=meta.page_label),
            "word/_rels/document.xml.rels": parts.relationships_xml(rels + self.rels[_DOCUMENT]),
            "_rels/.rels": parts.relationships_xml([
                ("rId1", f"{ooxml.R}/officeDocument", "word/document.xml", False),
                ("rId2", f"{ooxml.PR}/metadata/core-properties", "docProps/core.xml", False),
                ("rId3", f"{ooxml.R}/extended-properties", "docProps/app.xml", False)]),
            "docProps/core.xml": ooxml.core_properties(
                title=meta.title, subject=meta.subject, author=meta.author,
                keywords=", ".join(meta.keywords), language=meta.language,
                when=ooxml.package_date(meta.date), category=meta.document,
                status=meta.marking, version=meta.version),
            "docProps/app.xml": ooxml.app_properties(),
        }
        files.update(self.ref.copied)
        arabic = mark_parts(files, (_DOCUMENT, _FOOTNOTES, "word/header1.xml", "word/footer1.xml"),
                            meta.language, meta.languages)
        font_table, self.rels["word/fontTable.xml"], font_files = embed_fonts(
            self.ref.copied.get("word/fontTable.xml"), theme.font, faces, arabic)
        files["word/fontTable.xml"] = font_table
        files.update(font_files)
        for part_name, part_rels in self.rels.items():
            if part_rels and part_name != _DOCUMENT:
                folder, name = part_name.rsplit("/", 1)
                files[f"{folder}/_rels/{name}.rels"] = parts.relationships_xml(part_rels)
        files.update(self.media)
        overrides = {"word/document.xml": "document", "docProps/core.xml": "core",
                     "docProps/app.xml": "app"}
        overrides.update({"word/" + fixed_targets[kind]: kind for kind in fixed})
        defaults = {"png": "image/png"} if self.media else {}
        if font_files:
            defaults["odttf"] = FONT_CONTENT_TYPE
        files["[Content_Types].xml"] = parts.content_types_xml(overrides, defaults)
        static = frozenset(["word/styles.xml", *self.ref.copied, *font_files])
        return ooxml.write_package(files, static)

    def _section(self, header: str, footer: str) -> etree._Element:
        section = etree.Element(w("sectPr"))
        for tag, rel_id in (("headerReference", header), ("footerReference", footer)):
            node = etree.SubElement(section, w(tag))
            node.set(w("type"), "default")
            node.set(qn("r:id"), rel_id)
        for child in self.ref.page_setup:
            section.append(_copy(child))
        return section

    # ------------------------------------------------------------- blocks

    def block(self, block: dt.Block, depth: int) -> None:
        if isinstance(block, dt.Revision):
            from .redline import block as revised

            return revised(self, block, depth)
        handler = getattr(self, "_" + type(block).__name__.lower(), None)
        if handler is None:
            raise UnknownNode("DOCX", block)
        handler(block, depth)

    def paragraph(self, style: str, extra: dict | None = None) -> etree._Element:
        """A new body paragraph in the named style; ``extra`` is direct formatting."""
        extra = dict(extra or {})
        if (len(self.body) and self.body[-1].tag == w("tbl") and "before" not in extra
                and style not in _SPACED_STYLES):
            extra["before"] = 8  # a table has no spacing of its own below it
        node = etree.SubElement(self.body, w("p"))
        node.append(paragraph_properties(style=self.styles.get(style) or self.ref.style_id(style),
                                         **extra))
        return node

    def _heading(self, block: dt.Heading, depth: int) -> None:
        style = _HEADING_STYLES.get(block.level, "heading 3")
        number = block.number.strip()
        place = self.outline.place(number, block.old_number.strip())
        if not place:
            self.outline.leave()
        node = self.paragraph(style, {"numbering": place} if place else None)
        if number and not place:
            node.extend(self.outline.typed(number))
            # "2.3" fits the heading's tab stop; a word such as "Annex A" does not:
            # it stands on its own line above a title, an em space before a heading.
            worded = " " in number or len(number) > 8
            if worded and block.level == 1:
                etree.SubElement(etree.SubElement(node, w("r")), w("br"))
            elif worded:
                node.append(parts.text_run("\u2003"))
            else:
                etree.SubElement(etree.SubElement(node, w("r")), w("tab"))
        self.inlines(node, block.children)

    def _paragraph(self, block: dt.Paragraph, depth: int) -> None:
        style = _PARAGRAPH_STYLES.get(block.style, "Normal")
        self.inlines(self.paragraph(style, self._continued(style)), block.children)

    def _continued(self, style: str) -> dict:
        """Direct formatting for an unnumbered paragraph inside a numbered section: see
        :meth:`Outline.continuation`. LibreOffice drops the style's indent from a
        paragraph with numId 0, so the indent is repeated on the paragraph."""
        continued = self.outline.continuation()
        if continued is None:
            return {}
        return {"numbering": continued, **self.ref.indent(self.styles.get(style) or
                                                          self.ref.style_id(style))}

    def _clause(self, block: dt.Clause, depth: int) -> None:
        style = _CLAUSE_STYLES.get(block.status, "Clause")
        # The attribution belongs to its clause: no gap between them, never a page.
        extra = {"keep_next": True, "after": 1} if block.attribution else {}
        place = self.outline.place(block.number.strip(), block.old_number.strip())
        if place:
            extra["numbering"] = place
        node = self.paragraph(style, extra)
        if not place:
            node.extend(self.outline.typed(block.number))
            etree.SubElement(etree.SubElement(node, w("r")), w("tab"))
        self.inlines(node, block.children)
        if block.attribution:
            self.inlines(self.paragraph("Clause Attribution", self._continued("Clause Attribution")),
                         [dt.Text(block.attribution)])

    def _listblock(self, block: dt.ListBlock, depth: int) -> None:
        level = min(depth, 8)
        number = self.numbering.add(ORDERED_ABSTRACT, level) if block.ordered else 1
        indent = LIST_INDENT * (level + 1)
        for item in block.items:
            first = True
            for child in item:
                if isinstance(child, dt.Paragraph) and first:
                    node = self.paragraph("List Paragraph", {"numbering": (number, level)})
                    self.inlines(node, child.children)
                elif isinstance(child, dt.Paragraph):
                    node = self.paragraph("List Paragraph", {"left": indent})
                    self.inlines(node, child.children)
                elif isinstance(child, dt.ListBlock):
                    self._listblock(child, depth + 1)
                else:
                    self.block(child, depth + 1)
                first = False

    def _pagebreak(self, block: dt.PageBreak, depth: int) -> None:
        node = etree.SubElement(self.body, w("p"))
        etree.SubElement(etree.SubElement(node, w("r")), w("br")).set(w("type"), "page")

    def _rule(self, block: dt.Rule, depth: int) -> None:
        self.paragraph("Rule")

    def _table(self, block: dt.Table, depth: int) -> None:
        from .blocks import table_element

        show_header = block.style != "fields" and bool(block.header)
        rows = ([block.header] if show_header else []) + [row for row in block.rows if row]
        if not rows:
            return
        if block.caption:
            self.inlines(self.paragraph("caption", {"keep_next": True}), [dt.Text(block.caption)])
        self._separate_tables()
        style = "Fields Table" if block.style == "fields" else "Table Grid"
        self.body.append(table_element(self, rows, block.widths, self.styles[style], show_header,
                                       compact=block.style == "compact"))

    def _separate_tables(self) -> None:
        # Two tables with nothing between them merge into one in Word.
        if len(self.body) and self.body[-1].tag == w("tbl"):
            self._hairline()

    def _hairline(self) -> None:
        node = self.paragraph("Small", {"before": 0, "after": 0, "line": 240})
        node[0].append(run_properties(size=2))
        spacing = node[0].find(w("spacing"))
        spacing.set(w("line"), "20")  # one point, exactly: it never needs a page of its own
        spacing.set(w("lineRule"), "exact")

    def _figure(self, block: dt.Figure, depth: int) -> None:
        from .blocks import figure_paragraph

        figure_paragraph(self, block)
        if block.caption:
            self.inlines(self.paragraph("caption", {"align": "center"}), [dt.Text(block.caption)])

    def _signatureblock(self, block: dt.SignatureBlock, depth: int) -> None:
        from .blocks import signature_table

        # The block authenticates the text above it: never alone at the top of a page.
        if len(self.body) and self.body[-1].tag == w("p"):
            ooxml.keep_with_next(self.body[-1])
        elif len(self.body) and self.body[-1].tag == w("tbl"):
            for paragraph in self.body[-1].findall(f"{w('tr')}[last()]/{w('tc')}/{w('p')}"):
                ooxml.keep_with_next(paragraph)
        if block.heading:
            self.inlines(self.paragraph("heading 2"), [dt.Text(block.heading)])
        if block.signatories:
            self._separate_tables()
            self.body.append(signature_table(self, block.signatories, block.labels))

    def relationship(self, kind: str, target: str, external: bool = False) -> str:
        """The id of a new relationship of the part being written."""
        rels = self.rels[self.part]
        # The document's own fixed relationships (styles, header ...) take rId1 upwards.
        rel_id = f"rId{(100 if self.part == _DOCUMENT else 1) + len(rels)}"
        rels.append((rel_id, parts.REL_TYPES[kind], target, external))
        return rel_id

    # ------------------------------------------------------------ inlines

    def inlines(self, paragraph: etree._Element, children: list, bold: bool = False,
                italic: bool = False, link: bool = False) -> None:
        """Append ``children`` to ``paragraph`` as runs; bold/italic accumulate inward."""
        for node in children:
            if isinstance(node, dt.Text):
                self._text(paragraph, node.text, bold, italic, link)
            elif isinstance(node, dt.Strong):
                self.inlines(paragraph, node.children, True, italic, link)
            elif isinstance(node, dt.Emph):
                self.inlines(paragraph, node.children, bold, True, link)
            elif isinstance(node, dt.Link):
                self._link(paragraph, node, bold, italic)
            elif isinstance(node, dt.Note):
                self._note(paragraph, node)
            elif isinstance(node, dt.LineBreak):
                etree.SubElement(etree.SubElement(paragraph, w("r")), w("br"))
            elif isinstance(node, (dt.Inserted, dt.Deleted)):
                from .redline import inline

                inline(self, paragraph, node, bold, italic, link)
            else:
                raise UnknownNode("DOCX", node)

    def _text(self, paragraph: etree._Element, text: str, bold: bool, italic: bool,
              link: bool) -> None:
        text = ooxml.xml_text(text).replace("\r\n", "\n").replace("\r", "\n")
        meta = self.document.meta
        default = meta.language or "en"
        # A run per script, tagged with its language where that is not the document's:
        # Word would otherwise spell-check a Cyrillic name as English.
        here = self.text_language or default
        for piece, script in scripts.pieces(text):
            tag = scripts.language_of(piece, script, here, meta.languages)
            slot = _LANGUAGE_ARGUMENT[scripts.slot_of(script)] if tag != default else ""
            plain = not (bold or italic or link or slot)
            self._run(paragraph, piece, None if plain else run_properties(
                style=self.styles["Hyperlink"] if link else "", bold=bold, italic=italic,
                **({slot: tag} if slot else {})))

    def _run(self, paragraph: etree._Element, text: str,
             properties: etree._Element | None) -> None:
        run = etree.SubElement(paragraph, w("r"))
        if properties is not None:
            run.append(properties)
        # Tabs and newlines inside text are layout in Word, not characters.
        for index, line in enumerate(text.split("\n")):
            if index:
                etree.SubElement(run, w("br"))
            for position, piece in enumerate(line.split("\t")):
                if position:
                    etree.SubElement(run, w("tab"))
                if piece:
                    node = etree.SubElement(run, w("t"))
                    node.text = piece
                    node.set(_XML_SPACE, "preserve")

    def _link(self, paragraph: etree._Element, node: dt.Link, bold: bool, italic: bool) -> None:
        href = ooxml.xml_text(node.href).strip()
        if not href:
            self.inlines(paragraph, node.children, bold, italic)
            return
        hyperlink = etree.SubElement(paragraph, w("hyperlink"))
        if href.startswith("#"):
            hyperlink.set(w("anchor"), href[1:])
        else:
            hyperlink.set(qn("r:id"), self.relationship(
                "hyperlink", quote(href, safe=_URI_SAFE), external=True))
        hyperlink.set(w("history"), "1")
        self.inlines(hyperlink, node.children, bold, italic, link=True)

    def _note(self, paragraph: etree._Element, node: dt.Note) -> None:
        if any(ancestor.tag == w("footnote") for ancestor in paragraph.iterancestors()):
            # A note inside a note has nowhere to go; keep its words in brackets.
            self._text(paragraph, f" ({dt.plain_text(node.children)})", False, False, False)
            return
        self.note_count += 1
        note_id = str(self.note_count)
        reference = etree.SubElement(paragraph, w("r"))
        reference.append(run_properties(style=self.styles["footnote reference"]))
        etree.SubElement(reference, w("footnoteReference")).set(w("id"), note_id)
        footnote = etree.SubElement(self.footnotes, w("footnote"))
        footnote.set(w("id"), note_id)
        text = etree.SubElement(footnote, w("p"))
        text.append(paragraph_properties(style=self.styles["footnote text"]))
        mark = etree.SubElement(text, w("r"))
        mark.append(run_properties(style=self.styles["footnote reference"]))
        etree.SubElement(mark, w("footnoteRef"))
        text.append(parts.text_run(" "))
        self.part = _FOOTNOTES
        try:
            self.inlines(text, node.children)
        finally:
            self.part = _DOCUMENT


def _copy(element: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(element))
