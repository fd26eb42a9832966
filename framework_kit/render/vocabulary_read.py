"""A template's output read into elements with their positions: the first step of the vocabulary.

:func:`read_elements` parses the XML with expat, refusing a DOCTYPE and entity
declarations, and checks every element and attribute against the vocabulary's
table as it goes. Every problem is a :class:`VocabularyError` at a position in
the output, the element at fault's own where there is one: for an element left
open, where it was opened, not where expat noticed. :mod:`.build` turns that
position into the template line that wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat


PARAGRAPH_STYLES = ("body", "lead", "small", "legend", "quote", "center")
CLAUSE_STATUSES = ("agreed", "proposed", "bracketed")
TABLE_STYLES = ("grid", "compact", "fields")  # compact: a grid with tight rows (the brief)
ALIGNMENTS = ("left", "center", "right")
META_FIELDS = ("title", "subject", "author", "reference", "version", "date", "marking",
               "watermark", "language", "document", "footer", "languages", "orientation", "page_label",
               "notes_label")
ORIENTATIONS = ("portrait", "landscape")

# element -> allowed attributes; what may contain what is in :mod:`.vocabulary`.
BLOCK_ELEMENTS = {
    "heading": {"level", "number"},
    "p": {"style"},
    "clause": {"number", "status", "attribution"},
    "list": {"ordered"},
    "table": {"widths", "style", "caption"},
    "fields": {"widths"},
    "figure": {"name"},
    "signatures": {"heading", "office_label", "name_label", "place_label", "date_label", "initials_label"},
    "pagebreak": set(),
    "rule": set(),
}
INLINE_ELEMENTS = {"b": set(), "i": set(), "a": {"href"}, "note": set(), "br": set()}
OTHER_ELEMENTS = {
    "document": set(), "meta": set(META_FIELDS), "keyword": set(), "item": set(),
    "row": {"header"}, "cell": {"bold", "shade", "align"}, "field": {"label"},
    "signatory": {"party", "name", "place", "date", "office"},
}
ELEMENTS = {**BLOCK_ELEMENTS, **INLINE_ELEMENTS, **OTHER_ELEMENTS}
MAX_NESTING = 100  # elements inside one another; a document needs fewer than ten
SPACE = re.compile(r"[ \t\r\n]+")
_CLOSING = re.compile(r"</\s*([^\s>]+)")


class VocabularyError(Exception):
    """The markup a template produced is not well-formed or not in the vocabulary."""

    def __init__(self, message: str, line: int = 1, column: int = 1, help: str = "", tag: str = ""):
        super().__init__(message)
        self.message, self.line, self.column, self.help = message, line, column, help
        self.tag = tag  # the element at fault, when there is one


@dataclass
class Element:
    tag: str
    attrs: dict
    line: int
    column: int
    children: list = field(default_factory=list)  # Element or str

    def fail(self, message: str, help: str = "") -> VocabularyError:
        return VocabularyError(f"<{self.tag}> {message}", self.line, self.column, help, self.tag)


def read_elements(xml: str) -> Element:
    """The outermost element of ``xml``; raises :class:`VocabularyError` at the first problem."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Element] = []
    root: list[Element] = []

    def where() -> tuple[int, int]:
        return parser.CurrentLineNumber, parser.CurrentColumnNumber + 1

    def refuse(*_args):
        line, column = where()
        raise VocabularyError("a DOCTYPE or entity declaration is not allowed in a template's output",
                              line, column, "remove the <!DOCTYPE ...> or <!ENTITY ...> line")

    def start(tag, attrs):
        line, column = where()
        element = Element(tag, attrs, line, column)
        if tag not in ELEMENTS:
            raise element.fail("is not part of the template vocabulary",
                               "known elements: " + ", ".join(sorted(ELEMENTS)))
        unknown = sorted(set(attrs) - ELEMENTS[tag])
        if unknown:
            allowed = ", ".join(sorted(ELEMENTS[tag])) or "none"
            raise element.fail(f"has no attribute {', '.join(unknown)}", f"its attributes: {allowed}")
        if len(stack) >= MAX_NESTING:
            raise element.fail(f"is nested more than {MAX_NESTING} elements deep",
                               "close each element before opening the next; a document needs a few levels")
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
        raise _malformed(exc, xml, stack) from None
    except UnicodeEncodeError as exc:  # a lone surrogate cannot be written as UTF-8
        line = xml[: exc.start].count("\n") + 1
        raise VocabularyError("the output contains a character that is not text", line, 1,
                              _excerpt(xml, line)) from None
    return root[0]


def _malformed(exc: expat.ExpatError, xml: str, stack: list[Element]) -> VocabularyError:
    """The well-formedness error, at the element left open when that is the cause."""
    unclosed = exc.code in (expat.errors.codes[expat.errors.XML_ERROR_TAG_MISMATCH],
                            expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS])
    if unclosed and stack:
        element = stack[-1]
        lines = xml.splitlines()
        closing = _CLOSING.match(_closing_tag_at(lines[exc.lineno - 1], exc.offset)) \
            if 0 < exc.lineno <= len(lines) else None
        before = f" before </{closing.group(1)}>" if closing else " by the end of the output"
        return element.fail(f"is not closed{before}",
                            f"close it with </{element.tag}>, or write <{element.tag}/> when it is empty")
    message = expat.ErrorString(exc.code)
    return VocabularyError(f"the output is not well-formed XML ({message})", exc.lineno,
                           exc.offset + 1, _excerpt(xml, exc.lineno))


def _closing_tag_at(line: str, byte_offset: int) -> str:
    """``line`` from the ``</`` that expat's column (in bytes of UTF-8, after the ``</``) is in."""
    data = line.encode("utf-8")
    start = data.rfind(b"</", 0, byte_offset + 1)
    return data[max(start, 0):].decode("utf-8", errors="ignore")


def _excerpt(xml: str, line: int) -> str:
    lines = xml.splitlines()
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    if len(shown) > 120:
        shown = shown[:117] + "..."
    hint = ("close every element, write & as &amp; and < as &lt; in literal text, and insert "
            "spec text with {{ ... }} (which escapes it)")
    return f"output line {line}: {shown}; {hint}" if shown else hint
