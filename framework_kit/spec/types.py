"""Field types of the spec format: each turns one YAML node into a value.

A type either returns the converted value or reports a diagnostic through the
``Context`` and returns ``INVALID``. The same objects describe themselves as JSON
Schema, so the format has one definition: the one in :mod:`framework_kit.spec.model`.
Mappings read into records are :mod:`framework_kit.spec.records`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from ..diagnostics import Diagnostic, Span, did_you_mean, error
from ..report import printable
from .load import Node, is_duplicate
from .multilingual import Text, first_text
from .wording import Where, describe

INVALID = object()

ID_PATTERN = re.compile(r"[a-z][a-z0-9-]{0,39}")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
LANGUAGE_PATTERN = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
# One text field: a long treaty article is a few thousand characters. The PDF lays out a
# paragraph in time that grows with the square of its length, so this bounds the render.
MAX_TEXT_CHARS = 20_000


class Reference(NamedTuple):
    """A use of an id that must be declared in ``section``."""

    section: str
    id: str
    span: Span
    where: Where


class Context:
    """What schema validation collects while it walks the nodes."""

    def __init__(self, root: str = "the spec") -> None:
        self.root = root  # what the top-level mapping is called in messages
        self.diagnostics: list[Diagnostic] = []
        self.references: list[Reference] = []
        # (text, is Markdown) -> what is wrong with its characters (None: nothing). An alias repeats one
        # scalar up to 250,000 times; each distinct text is scanned once.
        self.scanned: dict[tuple[str, bool], tuple[str, str] | None] = {}
        # Help texts worked out once per (question, place), e.g. a did-you-mean per unknown key.
        self.hints: dict[tuple, str] = {}
        self._reported: set[tuple] = set()
        # process.languages as written (read before the rest): the first is the language of
        # plain text, and a multilingual text in another language is S008.
        self.languages: tuple[str, ...] = ("en",)

    def report(self, code: str, message: str, span: Span, help: str = "") -> object:
        # A node that aliases repeat is one place in the file, with one mistake: it is
        # reported once, not once per alias (45,000 copies of one unknown key were 45,000).
        key = (code, span, help)
        if key not in self._reported:
            self._reported.add(key)
            self.diagnostics.append(error(code, message, span, help))
        return INVALID


def describe_node(node: Node) -> str:
    if node.kind == "map":
        return "a group of 'key: value' lines"
    if node.kind == "seq":
        return "a list"
    if node.is_null:
        return "nothing"
    return f"'{shorten(node.text)}'"


def shorten(text: str, limit: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class FieldType:
    """Base of all field types."""

    label = "a value"

    def convert(self, node: Node, ctx: Context, where: Where) -> object:
        raise NotImplementedError

    def schema(self) -> dict:
        raise NotImplementedError

    def wrong(self, node: Node, ctx: Context, where: Where, help: str = "") -> object:
        return ctx.report(
            "S004", f"{describe(where)} must be {self.label}, not {describe_node(node)}", node.span,
            help or f"write {self.label} here",
        )


# Unicode's control (Cc) and surrogate (Cs) characters but tab and newline, and the
# two non-characters U+FFFE and U+FFFF: invisible in print, and refused by XML (DOCX).
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they
# make a text display in another order than it is stored ("Trojan Source"), and viewers
# disagree on them: "EUR \u202e0001\u202c" reads 0001 in one and 1000 in another. The
# marks U+200E and U+200F only nudge neutral characters and stay allowed.
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


# Markdown (markdown-it) makes a character of a reference of up to 7 decimal or 6 hex digits:
# "EUR &#x202E;0001" printed 0001 in the PDF, and the DOCX carried U+202E. (Other characters
# a reference writes are R004's business at render time.)
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));")


def _bidi_reference(text: str) -> re.Match | None:
    for found in _REFERENCE.finditer(text):
        hexadecimal, decimal = found.groups()
        code = int(hexadecimal, 16) if hexadecimal else int(decimal)
        if code < 0x110000 and _BIDI_CONTROL.match(chr(code)):
            return found
    return None


def _character_problem(text: str, markdown: bool = False) -> tuple[str, str] | None:
    """(what is wrong, help) when ``text`` holds a character no document may carry (in
    Markdown, a reference that writes a bidirectional control counts too)."""
    found = _BAD_CHARACTER.search(text) or _BIDI_CONTROL.search(text) or (
        _bidi_reference(text) if markdown and "&#" in text else None)
    if found is None:
        return None
    import unicodedata  # only to name the character in the message

    bad, written = found.group(), ""
    if bad.startswith("&#"):
        hexadecimal, decimal = found.groups()
        bad, written = chr(int(hexadecimal, 16) if hexadecimal else int(decimal)), f", written as '{bad}',"
    position = found.start() + 1
    context = printable(text[max(0, found.start() - 12):found.end() + 12].replace("\n", " "))
    name = unicodedata.name(bad, "control character")
    if _BIDI_CONTROL.match(bad):
        return (f"contains the bidirectional control U+{ord(bad):04X} {name}{written} at character "
                f"{position} (\"{context}\"): it makes the text display in another order "
                "than it is written, and the PDF and Word would show different texts",
                "delete it; write right-to-left text as it is, the document orders it; a "
                "left-to-right or right-to-left mark (U+200E, U+200F) is allowed where one is needed")
    return (f"contains an invisible control character (U+{ord(bad):04X} {name}) at character "
            f"{position}",
            "delete it; it usually comes from text pasted from another program")


class Str(FieldType):
    """Text. A YAML number or date keeps the characters the user typed.

    A translatable text (any but ids, tags and codes) may instead be a mapping of
    language tags to texts: a :class:`~.multilingual.Text`.
    """

    label = "text"

    def __init__(self, markdown: bool = False, pattern: re.Pattern | None = None,
                 pattern_help: str = "", translatable: bool | None = None) -> None:
        self.markdown = markdown
        self.pattern = pattern
        self.pattern_help = pattern_help
        self.translatable = pattern is None if translatable is None else translatable

    def convert(self, node, ctx, where):
        if node.kind == "map" and self.translatable:
            return self._translations(node, ctx, where)
        if node.kind != "scalar" or node.is_null:
            return self.wrong(node, ctx, where)
        text = node.text
        if not text.strip():
            return ctx.report("S004", f"{describe(where)} is empty", node.span, f"write {self.label} here")
        if len(text) > MAX_TEXT_CHARS:
            return ctx.report("S004", f"{describe(where)} is {len(text):,} characters long; a text field holds "
                              f"at most {MAX_TEXT_CHARS:,}", node.span,
                              "split it into several clauses, items or paragraphs")
        key = (text, self.markdown)  # the same text may be Markdown in one field, plain in another
        if key in ctx.scanned:
            problem = ctx.scanned[key]
        else:
            problem = ctx.scanned[key] = _character_problem(text, self.markdown)
        if problem is not None:
            return ctx.report("S004", f"{describe(where)} {problem[0]}", node.span, problem[1])
        if self.pattern is not None and not self.pattern.fullmatch(text):
            return ctx.report("S004", f"{describe(where)} '{shorten(text)}' is not valid", node.span,
                              self.pattern_help)
        return text

    def _translations(self, node, ctx, where):
        """A mapping of language tags to texts: S004 for a key that is no language tag or a
        text that is no text (at its own line), S008 for a language the process does not list."""
        texts, spans, key_spans = {}, {}, {}
        if not any(LANGUAGE_PATTERN.fullmatch(key.text) for key, _ in node.value):
            return self.wrong(node, ctx, where, f"write {self.label} here, or one line per language "
                              "of process.languages ('en: …', 'uk: …')")
        for key, value in node.value:
            if is_duplicate(key):
                continue
            tag = key.text
            if not LANGUAGE_PATTERN.fullmatch(tag):
                ctx.report("S004", f"{describe(where)}: '{shorten(tag)}' is not a language tag", key.span,
                           "a text in several languages is written as 'en: …', 'uk: …', one line "
                           "per language of process.languages")
                continue
            if tag not in ctx.languages:
                ctx.report("S008", f"{describe(where)} has a text in '{tag}', which is not one of the "
                           f"process's languages ({', '.join(ctx.languages)})", key.span,
                           f"add '{tag}' to process.languages, or remove this line")
                continue
            text = self.convert(value, ctx, where + (f"'{tag}' text",)) if value.kind != "map" \
                else self.wrong(value, ctx, where + (f"'{tag}' text",))
            if text is not INVALID:
                texts[tag], spans[tag], key_spans[tag] = text, value.span, key.span
        if not texts:
            return INVALID
        return Text(first_text(texts, ctx.languages), texts, spans, key_spans, node.span)

    def schema(self):
        out: dict = {"type": ["string", "number"], "maxLength": MAX_TEXT_CHARS}
        if self.markdown:
            out["description"] = "Markdown text"
        if self.pattern is not None:
            out = {"type": "string", "pattern": f"^{self.pattern.pattern}$"}
        if self.translatable:
            out = {"anyOf": [out, {
                "type": "object", "minProperties": 1,
                "description": "the text in each language of process.languages",
                "propertyNames": {"pattern": f"^{LANGUAGE_PATTERN.pattern}$"},
                "additionalProperties": dict(out)}]}
        return out


class Id(Str):
    label = "an id"

    def __init__(self) -> None:
        super().__init__(
            pattern=ID_PATTERN,
            pattern_help="an id starts with a lower-case letter and has at most 40 lower-case "
            "letters, digits and hyphens, e.g. 'table-a'",
        )



class Ref(Id):
    """An id that must be declared in another section (S005 is checked later)."""

    def __init__(self, section: str) -> None:
        super().__init__()
        self.section = section

    def convert(self, node, ctx, where):
        value = super().convert(node, ctx, where)
        if value is not INVALID:
            ctx.references.append(Reference(self.section, value, node.span, where))
        return value


class Enum(FieldType):
    def __init__(self, *values: str) -> None:
        self.values = values
        self.label = "one of " + ", ".join(values)

    def convert(self, node, ctx, where):
        if node.kind != "scalar" or node.text not in self.values or node.is_null:
            otherwise = f"use one of: {', '.join(self.values)}"
            hint = did_you_mean(node.text, self.values, otherwise) if node.kind == "scalar" else otherwise
            return ctx.report(
                "S004", f"{describe(where)} must be one of {', '.join(self.values)}, not {describe_node(node)}",
                node.span, hint,
            )
        return node.text

    def schema(self):
        return {"enum": list(self.values)}


class Bool(FieldType):
    label = "true or false"

    def convert(self, node, ctx, where):
        if node.kind == "scalar" and node.plain and node.text in ("true", "false"):
            return node.text == "true"
        return self.wrong(node, ctx, where, "write true or false (without quotes)")

    def schema(self):
        return {"type": "boolean"}


class Int(FieldType):
    def __init__(self, minimum: int = 1) -> None:
        self.minimum = minimum
        self.label = f"a whole number of at least {minimum}"

    def convert(self, node, ctx, where):
        if node.kind == "scalar" and node.plain and re.fullmatch(r"[0-9]{1,12}", node.text):
            value = int(node.text)
            if value >= self.minimum:
                return value
        return self.wrong(node, ctx, where, f"write {self.label}, e.g. 1500")

    def schema(self):
        return {"type": "integer", "minimum": self.minimum}


class Number(FieldType):
    """A number (whole or decimal) in a range; whole numbers stay ``int``."""

    def __init__(self, minimum: float, maximum: float, example: float,
                 exclusive_minimum: bool = False) -> None:
        self.minimum, self.maximum, self.exclusive = minimum, maximum, exclusive_minimum
        self.example = example
        low = f"more than {minimum:g}" if exclusive_minimum else f"at least {minimum:g}"
        self.label = f"a number {low} and at most {maximum:g}"

    def convert(self, node, ctx, where):
        if node.kind == "scalar" and node.plain and re.fullmatch(r"[0-9]{1,6}(\.[0-9]{1,6})?", node.text):
            value = float(node.text) if "." in node.text else int(node.text)
            too_low = value <= self.minimum if self.exclusive else value < self.minimum
            if not too_low and value <= self.maximum:
                return value
        return self.wrong(node, ctx, where, f"write {self.label}, e.g. {self.example:g}")

    def schema(self):
        low = "exclusiveMinimum" if self.exclusive else "minimum"
        return {"type": "number", low: self.minimum, "maximum": self.maximum}


class Date(FieldType):
    label = "a date in the form YYYY-MM-DD"

    def convert(self, node, ctx, where):
        if node.kind == "scalar" and DATE_PATTERN.fullmatch(node.text):
            try:
                return dt.date.fromisoformat(node.text)
            except ValueError:
                return ctx.report("S004", f"{describe(where)} {node.text} does not exist ({_no_such_date(node.text)})",
                                  node.span, "check the day and the month; write the date as "
                                  "YYYY-MM-DD, e.g. 2026-11-25")
        return self.wrong(node, ctx, where, "write the date as YYYY-MM-DD, e.g. 2026-11-25")

    def schema(self):
        return {"type": "string", "format": "date"}


def _no_such_date(text: str) -> str:
    """Why a YYYY-MM-DD text is no date, e.g. 'February 2026 has 28 days'."""
    import calendar

    year, month, day = (int(part) for part in text.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if year == 0:
        return "there is no year 0"
    if day == 0:
        return "there is no day 0"
    return f"{calendar.month_name[month]} {year} has {calendar.monthrange(year, month)[1]} days"


class OneOf(FieldType):
    """The first type that accepts the node wins (e.g. a keyword or a date)."""

    def __init__(self, *types: FieldType) -> None:
        self.types = types
        self.label = " or ".join(t.label for t in types)

    def convert(self, node, ctx, where):
        for candidate in self.types:
            trial = Context()
            value = candidate.convert(node, trial, where)
            if value is not INVALID:
                ctx.references.extend(trial.references)
                return value
        return self.wrong(node, ctx, where)

    def schema(self):
        return {"anyOf": [t.schema() for t in self.types]}


class ListOf(FieldType):
    def __init__(self, item: FieldType, min_items: int = 0, max_items: int | None = None) -> None:
        self.item = item
        self.min_items = min_items
        self.max_items = max_items
        self.label = "a list"

    def convert(self, node, ctx, where):
        if node.kind != "seq":
            return self.wrong(node, ctx, where, "write a list, one '- item' per line, or [a, b]")
        if len(node.value) < self.min_items:
            return ctx.report(
                "S004",
                f"{describe(where)} needs at least {self.min_items} entr{'y' if self.min_items == 1 else 'ies'}",
                node.span, "add the missing entries",
            )
        if self.max_items is not None and len(node.value) > self.max_items:
            return ctx.report(
                "S004", f"{describe(where)} has {len(node.value):,} entries; at most {self.max_items:,} are supported",
                node.span, "a design this large cannot be laid out in documents a reader can use: "
                "split it into several specs",
            )
        out = []
        for index, item in enumerate(node.value):
            value = self.item.convert(item, ctx, where + (index + 1,))
            if value is not INVALID:
                out.append(value)
        return out

    def schema(self):
        out = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            out["minItems"] = self.min_items
        if self.max_items is not None:
            out["maxItems"] = self.max_items
        return out
