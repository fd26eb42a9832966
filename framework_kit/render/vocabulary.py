"""The templates' XML vocabulary, both ways: markup -> document tree, and back.

A template renders to a small XML language that maps one to one onto
:mod:`framework_kit.render.doctree` (documented for users in
``templates/README.md``). :func:`parse_document` reads it with expat, refusing a
DOCTYPE and entity declarations, and checks every element and attribute, so a
typo in a customised template is a clear message with the line of the output,
not a silently missing paragraph. :func:`inline_markup` and
:func:`block_markup` go the other way, for the ``markdown`` filters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable
from xml.parsers import expat

from markupsafe import Markup, escape

from . import doctree as dt

LINK_SCHEMES = ("http:", "https:", "mailto:")
PARAGRAPH_STYLES = ("body", "lead", "small", "legend", "quote", "center")
CLAUSE_STATUSES = ("agreed", "proposed", "bracketed")
TABLE_STYLES = ("grid", "fields")
ALIGNMENTS = ("left", "center", "right")
META_FIELDS = ("title", "subject", "author", "reference", "version", "date", "marking",
               "watermark", "language", "document", "footer", "languages")

# element -> allowed attributes; the content model is in the functions below.
BLOCK_ELEMENTS = {
    "heading": {"level", "number"},
    "p": {"style"},
    "clause": {"number", "status", "attribution"},
    "list": {"ordered"},
    "table": {"widths", "style", "caption"},
    "fields": {"widths"},
    "figure": {"name"},
    "signatures": {"heading"},
    "pagebreak": set(),
    "rule": set(),
}
INLINE_ELEMENTS = {"b": set(), "i": set(), "a": {"href"}, "note": set(), "br": set()}
OTHER_ELEMENTS = {
    "document": set(), "meta": set(META_FIELDS), "keyword": set(), "item": set(),
    "row": {"header"}, "cell": {"bold", "shade", "align"}, "field": {"label"},
    "signatory": {"party", "name", "place", "date"},
}
ELEMENTS = {**BLOCK_ELEMENTS, **INLINE_ELEMENTS, **OTHER_ELEMENTS}
_SPACE = re.compile(r"[ \t\r\n]+")

FigureSource = Callable[[str], "dt.Block | None"]


class VocabularyError(Exception):
    """The markup a template produced is not well-formed or not in the vocabulary."""

    def __init__(self, message: str, line: int = 1, column: int = 1, help: str = "", tag: str = ""):
        super().__init__(message)
        self.message, self.line, self.column, self.help = message, line, column, help
        self.tag = tag  # the element at fault, when there is one


@dataclass
class _Element:
    tag: str
    attrs: dict
    line: int
    column: int
    children: list = field(default_factory=list)  # _Element or str

    def fail(self, message: str, help: str = "") -> VocabularyError:
        return VocabularyError(f"<{self.tag}> {message}", self.line, self.column, help, self.tag)


# ---------------------------------------------------------------- reading


def _read(xml: str) -> _Element:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Element] = []
    root: list[_Element] = []

    def where() -> tuple[int, int]:
        return parser.CurrentLineNumber, parser.CurrentColumnNumber + 1

    def refuse(*_args):
        line, column = where()
        raise VocabularyError("a DOCTYPE or entity declaration is not allowed in a template's output",
                              line, column, "remove the <!DOCTYPE ...> or <!ENTITY ...> line")

    def start(tag, attrs):
        line, column = where()
        element = _Element(tag, attrs, line, column)
        if tag not in ELEMENTS:
            raise element.fail("is not part of the template vocabulary",
                               "known elements: " + ", ".join(sorted(ELEMENTS)))
        unknown = sorted(set(attrs) - ELEMENTS[tag])
        if unknown:
            allowed = ", ".join(sorted(ELEMENTS[tag])) or "none"
            raise element.fail(f"has no attribute {', '.join(unknown)}", f"its attributes: {allowed}")
        if stack:
            stack[-1].children.append(element)
        else:
            root.append(element)
        stack.append(element)

    def end(_tag):
        stack.pop()

    def text(data):
        if stack:
            stack[-1].children.append(data)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        message = expat.ErrorString(exc.code)
        raise VocabularyError(f"the output is not well-formed XML ({message})", exc.lineno,
                              exc.offset + 1, _excerpt(xml, exc.lineno)) from None
    except UnicodeEncodeError as exc:  # a lone surrogate cannot be written as UTF-8
        line = xml[: exc.start].count("\n") + 1
        raise VocabularyError("the output contains a character that is not text", line, 1,
                              _excerpt(xml, line)) from None
    return root[0]


def _excerpt(xml: str, line: int) -> str:
    lines = xml.splitlines()
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    if len(shown) > 120:
        shown = shown[:117] + "..."
    hint = ("close every element, write & as &amp; and < as &lt; in literal text, and insert "
            "spec text with {{ ... }} (which escapes it)")
    return f"output line {line}: {shown}; {hint}" if shown else hint


def parse_document(xml: str, figure: FigureSource | None = None) -> dt.Document:
    """Read a template's output into a :class:`doctree.Document`.

    ``figure`` maps a ``<figure name="...">`` to a block (None when unknown).
    Raises :class:`VocabularyError` with the output line of the first problem.
    """
    root = _read(xml)
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


def _no_text(parent: _Element, text: str) -> None:
    if text.strip():
        shown = _SPACE.sub(" ", text.strip())[:60]
        raise parent.fail(f"cannot contain text directly (found {shown!r})",
                          "put text in a <p>, <clause>, <cell> or another text element")


def _meta(element: _Element) -> dt.Meta:
    if not element.attrs.get("title", "").strip():
        raise element.fail("needs a title attribute")
    keywords = []
    for child in element.children:
        if isinstance(child, str):
            _no_text(element, child)
        elif child.tag != "keyword":
            raise child.fail("cannot appear in <meta>", "<meta> holds only <keyword> elements")
        else:
            keywords.append(_SPACE.sub(" ", "".join(c for c in child.children if isinstance(c, str))).strip())
    values = {name: element.attrs.get(name, "") for name in META_FIELDS}
    if not values["language"]:
        values["language"] = "en"
    values["languages"] = tuple(values["languages"].split())
    return dt.Meta(keywords=[k for k in keywords if k], **values)


def _choice(element: _Element, name: str, allowed: tuple, default: str) -> str:
    value = element.attrs.get(name, default)
    if value not in allowed:
        raise element.fail(f'{name}="{value}" is not allowed', f"use one of: {', '.join(allowed)}")
    return value


def _flag(element: _Element, name: str) -> bool:
    value = element.attrs.get(name, "").strip().lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("", "0", "false", "no"):
        return False
    raise element.fail(f'{name}="{value}" is not allowed', 'write 1 (yes) or 0 (no)')


def _widths(element: _Element) -> list[float]:
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

    def block(self, element: _Element) -> dt.Block:
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

    def _pagebreak(self, element: _Element) -> dt.Block:
        self._empty(element)
        return dt.PageBreak()

    def _rule(self, element: _Element) -> dt.Block:
        self._empty(element)
        return dt.Rule()

    def _figure(self, element: _Element) -> dt.Block:
        self._empty(element)
        name = element.attrs.get("name", "")
        found = self.figure(name) if self.figure else None
        if found is None:
            raise element.fail(f'name="{name}" is not a known figure', 'known figures: "architecture"')
        return found

    def _signatures(self, element: _Element) -> dt.Block:
        signatories = []
        for child in self._elements(element, ("signatory",)):
            self._empty(child)
            signatories.append(dt.Signatory(**{k: child.attrs.get(k, "").strip()
                                               for k in ("party", "name", "place", "date")}))
        return dt.SignatureBlock(element.attrs.get("heading", "").strip(), signatories)

    def _list(self, element: _Element) -> dt.Block:
        items = [self.item(child) for child in self._elements(element, ("item",))]
        return dt.ListBlock(items, ordered=_flag(element, "ordered"))

    def item(self, element: _Element) -> list[dt.Block]:
        """An item holds blocks, or only inline content (one paragraph)."""
        if any(isinstance(c, _Element) and c.tag in BLOCK_ELEMENTS for c in element.children):
            return [self.block(child) for child in self._elements(element, tuple(BLOCK_ELEMENTS))]
        return [dt.Paragraph(self.inlines(element))]

    def _table(self, element: _Element) -> dt.Block:
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
                        _SPACE.sub(" ", element.attrs.get("caption", "")).strip())

    def cell(self, element: _Element) -> dt.Cell:
        return dt.Cell(self.inlines(element), _flag(element, "bold"),
                       element.attrs.get("shade", "").strip(),
                       _choice(element, "align", ALIGNMENTS, "left"))

    def _fields(self, element: _Element) -> dt.Block:
        rows = []
        for child in self._elements(element, ("field",)):
            label = _SPACE.sub(" ", child.attrs.get("label", "")).strip()
            rows.append([dt.Cell([dt.Text(label)], bold=True), dt.Cell(self.inlines(child))])
        widths = _widths(element) if element.attrs.get("widths") else [0.28, 0.72]
        if len(widths) != 2:
            raise element.fail("needs two widths (label, value)")
        return dt.Table([], rows, widths, "fields")

    def _elements(self, parent: _Element, allowed: tuple) -> list[_Element]:
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

    def _empty(self, element: _Element) -> None:
        for child in element.children:
            if isinstance(child, str):
                _no_text(element, child)
            else:
                raise child.fail(f"cannot appear in <{element.tag}>", f"<{element.tag}/> is empty")

    # ------------------------------------------------------------ inlines

    def inlines(self, element: _Element, in_note: bool = False) -> list[dt.Inline]:
        return _trim(self._inlines(element, in_note))

    def _inlines(self, element: _Element, in_note: bool) -> list[dt.Inline]:
        out: list[dt.Inline] = []
        for child in element.children:
            if isinstance(child, str):
                _append_text(out, _SPACE.sub(" ", child))
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
                if not href.lower().startswith(LINK_SCHEMES):
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


# ---------------------------------------------------------------- writing


def inline_markup(items: list[dt.Inline]) -> Markup:
    """Inlines -> vocabulary markup, every piece of text escaped."""
    return Markup("".join(_inline(item) for item in items))


def _inline(item: dt.Inline) -> str:
    if isinstance(item, dt.Text):
        return str(escape(item.text))
    if isinstance(item, dt.LineBreak):
        return "<br/>"
    inner = "".join(_inline(child) for child in item.children)
    if isinstance(item, dt.Strong):
        return f"<b>{inner}</b>"
    if isinstance(item, dt.Emph):
        return f"<i>{inner}</i>"
    if isinstance(item, dt.Link):
        return f'<a href="{escape(item.href)}">{inner}</a>'
    return f"<note>{inner}</note>"


def block_markup(blocks: list[dt.Block]) -> Markup:
    """Paragraphs, lists and rules -> vocabulary markup (what Markdown produces)."""
    out = []
    for block in blocks:
        if isinstance(block, dt.Paragraph):
            out.append(f'<p style="{block.style}">{inline_markup(block.children)}</p>')
        elif isinstance(block, dt.ListBlock):
            items = "".join(f"<item>{block_markup(item)}</item>" for item in block.items)
            out.append(f'<list ordered="{int(block.ordered)}">{items}</list>')
        elif isinstance(block, dt.Rule):
            out.append("<rule/>")
        else:  # Markdown yields nothing else; a new kind must be added here on purpose
            raise TypeError(f"no markup for {type(block).__name__}")
    return Markup("".join(out))
