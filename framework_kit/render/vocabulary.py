"""The templates' XML vocabulary read into a document tree: its content model.

A template renders to a small XML language that maps one to one onto
:mod:`framework_kit.render.doctree` (documented for users in
``templates/README.md``). :mod:`.vocabulary_read` reads the XML into elements
(with expat, refusing a DOCTYPE and entity declarations, checking every element
and attribute); :func:`parse_document` here checks what may contain what and
builds the tree, so a typo in a customised template is a clear message at its
line, not a silently missing paragraph. :mod:`.vocabulary_write` goes the other
way, for the ``markdown`` filters.
"""

from __future__ import annotations

from typing import Callable

from . import doctree as dt
from .vocabulary_read import (ALIGNMENTS, BLOCK_ELEMENTS, CLAUSE_STATUSES, INLINE_ELEMENTS,
                              META_FIELDS, PARAGRAPH_STYLES, SPACE, TABLE_STYLES,
                              Element, ORIENTATIONS, VocabularyError, read_elements)
from .vocabulary_write import block_markup, inline_markup

FigureSource = Callable[[str], "dt.Block | None"]


def parse_document(xml: str, figure: FigureSource | None = None) -> dt.Document:
    """Read a template's output into a :class:`doctree.Document`.

    ``figure`` maps a ``<figure name="...">`` to a block (None when unknown).
    Raises :class:`VocabularyError` with the output line of the first problem.
    """
    root = read_elements(xml)
    if root.tag != "document":
        raise root.fail("cannot be the outermost element", "a template's output must be one <document>")
    meta = None
    blocks: list[dt.Block] = []
    reader = _Reader(figure)
    for child in root.children:
        if isinstance(child, str):
            _no_text(root, child)
        elif child.tag == "meta":
            if meta is not None:
                raise child.fail("appears twice", "a document has one <meta>")
            meta = _meta(child)
        else:
            blocks.append(reader.block(child))
    if meta is None:
        raise root.fail("has no <meta> element", 'add <meta title="..."/> (the base template writes one)')
    return dt.Document(meta, blocks)


def _no_text(parent: Element, text: str) -> None:
    if text.strip():
        shown = SPACE.sub(" ", text.strip())[:60]
        raise parent.fail(f"cannot contain text directly (found {shown!r})",
                          "put text in a <p>, <clause>, <cell> or another text element")


def _meta(element: Element) -> dt.Meta:
    if not element.attrs.get("title", "").strip():
        raise element.fail("needs a title attribute")
    keywords = []
    for child in element.children:
        if isinstance(child, str):
            _no_text(element, child)
        elif child.tag != "keyword":
            raise child.fail("cannot appear in <meta>", "<meta> holds only <keyword> elements")
        else:
            keywords.append(SPACE.sub(" ", "".join(c for c in child.children if isinstance(c, str))).strip())
    values = {name: element.attrs.get(name, "") for name in META_FIELDS}
    if not values["language"]:
        values["language"] = "en"
    values["languages"] = tuple(values["languages"].split())
    values["orientation"] = _choice(element, "orientation", ORIENTATIONS, "portrait")
    if "{page}" not in values["page_label"] or "{pages}" not in values["page_label"]:
        values["page_label"] = dt.PAGE_LABEL  # an old template, or a label without the numbers
    return dt.Meta(keywords=[k for k in keywords if k], **values)


def _choice(element: Element, name: str, allowed: tuple, default: str) -> str:
    value = element.attrs.get(name, default)
    if value not in allowed:
        raise element.fail(f'{name}="{value}" is not allowed', f"use one of: {', '.join(allowed)}")
    return value


def _flag(element: Element, name: str) -> bool:
    value = element.attrs.get(name, "").strip().lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("", "0", "false", "no"):
        return False
    raise element.fail(f'{name}="{value}" is not allowed', 'write 1 (yes) or 0 (no)')


def _widths(element: Element) -> list[float]:
    raw = element.attrs.get("widths", "").replace(",", " ").split()
    try:
        widths = [float(w) for w in raw]
    except ValueError:
        widths = [-1.0]
    if any(not 0 < w <= 1 for w in widths) or sum(widths) > 1.001:
        raise element.fail(f'widths="{element.attrs.get("widths")}" is not usable',
                           'give fractions of the text width that add up to 1 at most, e.g. "0.3 0.7"')
    return widths


class _Reader:
    def __init__(self, figure: FigureSource | None):
        self.figure = figure

    # ------------------------------------------------------------ blocks

    def block(self, element: Element) -> dt.Block:
        tag = element.tag
        if tag not in BLOCK_ELEMENTS:
            raise element.fail("is not a block here",
                               "blocks are: " + ", ".join(f"<{b}>" for b in BLOCK_ELEMENTS))
        if tag in ("pagebreak", "rule", "figure", "signatures", "list", "table", "fields"):
            return getattr(self, "_" + tag)(element)
        children = self.inlines(element)
        if tag == "heading":
            level = element.attrs.get("level", "2")
            if level not in ("1", "2", "3"):
                raise element.fail(f'level="{level}" is not allowed', "use 1 (title), 2 or 3")
            return dt.Heading(int(level), children, element.attrs.get("number", "").strip())
        if tag == "p":
            return dt.Paragraph(children, _choice(element, "style", PARAGRAPH_STYLES, "body"))
        number = element.attrs.get("number", "").strip()
        return dt.Clause(number, children, _choice(element, "status", CLAUSE_STATUSES, "proposed"),
                         element.attrs.get("attribution", "").strip())

    def _pagebreak(self, element: Element) -> dt.Block:
        self._empty(element)
        return dt.PageBreak()

    def _rule(self, element: Element) -> dt.Block:
        self._empty(element)
        return dt.Rule()

    def _figure(self, element: Element) -> dt.Block:
        self._empty(element)
        name = element.attrs.get("name", "")
        found = self.figure(name) if self.figure else None
        if found is None:
            raise element.fail(f'name="{name}" is not a known figure', 'known figures: "architecture"')
        return found

    def _signatures(self, element: Element) -> dt.Block:
        signatories = []
        for child in self._elements(element, ("signatory",)):
            self._empty(child)
            signatories.append(dt.Signatory(**{k: child.attrs.get(k, "").strip()
                                               for k in ("party", "name", "place", "date", "office")}))
        labels = {key: element.attrs.get(f"{key}_label", "").strip() or default
                  for key, default in dt.SIGNATURE_LABELS.items()}
        return dt.SignatureBlock(element.attrs.get("heading", "").strip(), signatories, labels)

    def _list(self, element: Element) -> dt.Block:
        items = [self.item(child) for child in self._elements(element, ("item",))]
        return dt.ListBlock(items, ordered=_flag(element, "ordered"))

    def item(self, element: Element) -> list[dt.Block]:
        """An item holds blocks, or only inline content (one paragraph)."""
        if any(isinstance(c, Element) and c.tag in BLOCK_ELEMENTS for c in element.children):
            return [self.block(child) for child in self._elements(element, tuple(BLOCK_ELEMENTS))]
        return [dt.Paragraph(self.inlines(element))]

    def _table(self, element: Element) -> dt.Block:
        header: list[dt.Cell] = []
        rows: list[list[dt.Cell]] = []
        for row in self._elements(element, ("row",)):
            cells = [self.cell(c) for c in self._elements(row, ("cell",))]
            if _flag(row, "header"):
                if header or rows:
                    raise row.fail("header row must come first, once", "mark only the first row header=\"1\"")
                header = cells
            else:
                rows.append(cells)
        widths = _widths(element)
        columns = max([len(header)] + [len(r) for r in rows])
        if widths and len(widths) != columns:
            raise element.fail(f"has {columns} columns but {len(widths)} widths",
                               "give one width per column, or none")
        return dt.Table(header, rows, widths, _choice(element, "style", TABLE_STYLES, "grid"),
                        SPACE.sub(" ", element.attrs.get("caption", "")).strip())

    def cell(self, element: Element) -> dt.Cell:
        return dt.Cell(self.inlines(element), _flag(element, "bold"),
                       element.attrs.get("shade", "").strip(),
                       _choice(element, "align", ALIGNMENTS, "left"))

    def _fields(self, element: Element) -> dt.Block:
        rows = []
        for child in self._elements(element, ("field",)):
            label = SPACE.sub(" ", child.attrs.get("label", "")).strip()
            rows.append([dt.Cell([dt.Text(label)], bold=True), dt.Cell(self.inlines(child))])
        widths = _widths(element) if element.attrs.get("widths") else [0.28, 0.72]
        if len(widths) != 2:
            raise element.fail("needs two widths (label, value)")
        return dt.Table([], rows, widths, "fields")

    def _elements(self, parent: Element, allowed: tuple) -> list[Element]:
        out = []
        for child in parent.children:
            if isinstance(child, str):
                _no_text(parent, child)
            elif child.tag not in allowed:
                raise child.fail(f"cannot appear in <{parent.tag}>",
                                 f"<{parent.tag}> holds " + ", ".join(f"<{a}>" for a in allowed))
            else:
                out.append(child)
        return out

    def _empty(self, element: Element) -> None:
        for child in element.children:
            if isinstance(child, str):
                _no_text(element, child)
            else:
                raise child.fail(f"cannot appear in <{element.tag}>", f"<{element.tag}/> is empty")

    # ------------------------------------------------------------ inlines

    def inlines(self, element: Element, in_note: bool = False) -> list[dt.Inline]:
        return _trim(self._inlines(element, in_note))

    def _inlines(self, element: Element, in_note: bool) -> list[dt.Inline]:
        out: list[dt.Inline] = []
        for child in element.children:
            if isinstance(child, str):
                _append_text(out, SPACE.sub(" ", child))
                continue
            tag = child.tag
            if tag not in INLINE_ELEMENTS:
                raise child.fail(f"cannot appear in <{element.tag}>",
                                 f"<{element.tag}> holds text and <b>, <i>, <a>, <note>, <br/>")
            if tag == "br":
                self._empty(child)
                out.append(dt.LineBreak())
            elif tag == "b":
                out.append(dt.Strong(self._inlines(child, in_note)))
            elif tag == "i":
                out.append(dt.Emph(self._inlines(child, in_note)))
            elif tag == "a":
                href = child.attrs.get("href", "").strip()
                if not href.lower().startswith(dt.LINK_PREFIXES):
                    raise child.fail(f'href="{href}" is not allowed', "links must start with http:, https: or mailto:")
                out.append(dt.Link(href, self._inlines(child, in_note)))
            else:
                if in_note:
                    raise child.fail("cannot contain another note")
                out.append(dt.Note(self.inlines(child, in_note=True)))
        return out


def _append_text(out: list[dt.Inline], text: str) -> None:
    if out and isinstance(out[-1], dt.Text):
        out[-1] = dt.Text(out[-1].text + text)
    elif text:
        out.append(dt.Text(text))


def _trim(items: list[dt.Inline]) -> list[dt.Inline]:
    """Drop the layout whitespace at the edges of a block and around line breaks."""
    for index, item in enumerate(items):
        if isinstance(item, dt.Text):
            before = index == 0 or isinstance(items[index - 1], dt.LineBreak)
            after = index == len(items) - 1 or isinstance(items[index + 1], (dt.LineBreak, dt.Note))
            text = item.text.lstrip(" ") if before else item.text
            item.text = text.rstrip(" ") if after else text
    if items and isinstance(items[0], (dt.Strong, dt.Emph, dt.Link)):
        _lstrip(items[0])
    if items and isinstance(items[-1], (dt.Strong, dt.Emph, dt.Link)):
        _rstrip(items[-1])
    return [i for i in items if not (isinstance(i, dt.Text) and not i.text)]


def _lstrip(node) -> None:
    if node.children and isinstance(node.children[0], dt.Text):
        node.children[0].text = node.children[0].text.lstrip(" ")
    elif node.children and isinstance(node.children[0], (dt.Strong, dt.Emph, dt.Link)):
        _lstrip(node.children[0])


def _rstrip(node) -> None:
    if node.children and isinstance(node.children[-1], dt.Text):
        node.children[-1].text = node.children[-1].text.rstrip(" ")
    elif node.children and isinstance(node.children[-1], (dt.Strong, dt.Emph, dt.Link)):
        _rstrip(node.children[-1])


__all__ = ["VocabularyError", "block_markup", "inline_markup", "parse_document"]
