"""Glyph coverage: every character a document prints is in the font that prints it (R004).

A character missing from a TrueType font is drawn as nothing, or as an empty box:
a name in Georgian or a clause in Arabic would vanish from a PDF that otherwise
looks complete. So, before any writer runs, the characters of the document
trees are compared with the character maps (:mod:`.font_facts`) of the fonts
actually used: the four faces of the theme's font, for the text and the figures.
Letters of the Arabic blocks, which the document font lacks, are drawn in Amiri (the
writers' fallback, :mod:`.direction`): they are looked up in its character maps.
A character that none of them can draw is R004, at the line and column of the
spec text that holds it, with its name, its U+ code and the text's language;
nothing is written. Hebrew and other scripts no shipped font covers are refused so.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import fields, is_dataclass
from functools import lru_cache
from typing import Iterator, NamedTuple

from ..diagnostics import Diagnostic, Span, error
from . import doctree, font_facts
from .codes import GLYPH_PROBLEM
from .direction import is_arabic_block

# Attributes of the document tree that are never drawn as text: links, styles and
# colours, and the metadata only PDF readers show (in their own fonts).
_NOT_PRINTED = frozenset({"href", "style", "status", "shade", "align", "fill", "stroke", "colour",
                          "description"})
# At most this many R004 diagnostics (one per spec text): enough to act on.
MAX_REPORTED = 50


class SourceText(NamedTuple):
    """One text of the spec: its words, where it starts and its language."""

    text: str
    span: Span
    language: str


def coverage(files) -> frozenset[int]:
    """The code points every one of ``files`` (font paths) can draw."""
    covered: frozenset[int] | None = None
    for path in files:
        cmap = font_facts.coverage(path)
        covered = cmap if covered is None else covered & cmap
    return covered or frozenset()


def needs_no_glyph(character: str) -> bool:
    """Spaces, line ends and invisible format characters (soft hyphen, joiners, marks)."""
    return character in " \n\t\r" or unicodedata.category(character) == "Cf"


def missing(characters, covered: frozenset[int]) -> list[str]:
    """The characters of ``characters`` that ``covered`` lacks, in code point order."""
    return sorted(c for c in set(characters) if ord(c) not in covered and not needs_no_glyph(c))


# ------------------------------------------------------------------ the trees


def printed_text(document: doctree.Document) -> str:
    """The characters a document prints, in its text, its figures and its page furniture."""
    meta = document.meta
    text: list[str] = [meta.marking, meta.reference, meta.footer, meta.watermark, meta.version]
    _strings(document.blocks, text)
    return "".join(text)


def _strings(node, out: list[str]) -> None:
    kind = type(node)
    if kind is doctree.Text or kind is str:  # most nodes: kept fast
        out.append(node if kind is str else node.text)
    elif kind is doctree.LineBreak:
        return
    elif kind is list or kind is tuple:
        for item in node:
            _strings(item, out)
    elif is_dataclass(node):
        for name in _printed_fields(kind):
            _strings(getattr(node, name), out)


@lru_cache(maxsize=None)
def _printed_fields(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in fields(kind) if field.name not in _NOT_PRINTED)


# ------------------------------------------------------------------ the spec


def spec_texts(design, language: str) -> Iterator[SourceText]:
    """Every text of the spec, in file order, with its position and language."""
    from ..spec.model import Record
    from ..spec.multilingual import Text

    def translations(text: Text) -> Iterator[SourceText]:  # each language's text at its own line
        for tag, words in text.texts.items():
            yield SourceText(words, text.spans[tag], tag)

    def walk(record) -> Iterator[SourceText]:
        for name in record.spec_fields:
            value = getattr(record, name, None)
            if name not in record.spans:
                # Absent from the file: a default ('language: en') has no place of its own, and
                # the record's first line, given instead, would be blamed for its letters.
                continue
            if isinstance(value, Text):
                yield from translations(value)
            elif isinstance(value, str):
                yield SourceText(value, record.at(name), language)
            elif isinstance(value, Record):
                yield from walk(value)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, Text):
                        yield from translations(item)
                    elif isinstance(item, str):
                        yield SourceText(item, record.item_at(name, index), language)
                    elif isinstance(item, Record):
                        yield from walk(item)

    found = list(walk(design))
    found.sort(key=lambda source: source.span)
    return iter(found)


def character_position(source: SourceText, character: str, lines: list[str]) -> Span:
    """The line and column of ``character`` (or the entity that writes it), when it is written out
    after the text's start.

    A character written as an escape (``"\\u10D0"``) is not found: the text's own
    position is the answer then.
    """
    if not lines:
        return source.span
    budget = 8 * len(source.text) + 16  # escapes and indentation make the source longer
    line, column = source.span.line - 1, source.span.column - 1
    while 0 <= line < len(lines) and budget > 0:
        text = lines[line][column:]
        where = text.find(character)
        if where >= 0 and where < budget:
            return Span(line + 1, column + where + 1)
        budget -= len(text) + 1
        line, column = line + 1, 0
    return source.span


# ------------------------------------------------------------------ the check


class Fonts(NamedTuple):
    """The font of one render: its family name and the files of its faces."""

    name: str
    files: tuple


def refuse_missing_glyphs(design, built: list, theme, source_lines=()) -> None:
    """``RenderError`` with R004 when a built document prints a character its font lacks."""
    from ..diagnostics import RenderError
    from .codes import THEME_PROBLEM
    from .fonts import FontError, font_files

    try:
        fonts = Fonts(theme.font, tuple(font_files(theme).values()))
    except FontError as exc:
        raise RenderError([error(THEME_PROBLEM, str(exc), help="reinstall framework-kit")]) from None
    problems = check([item.tree for item in built], fonts, design, list(source_lines),
                     design.process.language)
    if problems:
        raise RenderError(problems)


def check(documents, fonts: Fonts, design, lines: list[str], language: str) -> list[Diagnostic]:
    """R004 for each character the documents print that their font cannot draw."""
    characters: set[str] = set()
    for document in documents:
        characters.update(printed_text(document))
    lacking = {c: fonts.name for c in missing(characters, coverage(fonts.files))}
    if any(is_arabic_block(ord(c)) for c in lacking):
        from .fonts import ARABIC_FAMILY, arabic_font_files

        arabic = coverage(arabic_font_files().values())
        lacking = {c: ARABIC_FAMILY if is_arabic_block(ord(c)) else font for c, font in lacking.items()
                   if not (is_arabic_block(ord(c)) and ord(c) in arabic)}
    if not lacking:
        return []
    return _diagnostics(lacking, design, lines, language)


def _diagnostics(lacking: dict[str, str], design, lines: list[str], language: str) -> list[Diagnostic]:
    """One R004 per spec text that holds missing characters, at the first of them."""
    by_source: dict[int, list[tuple[str, str]]] = {}
    unplaced: list[str] = []
    sources = list(spec_texts(design, language))
    for character in lacking:
        found = _find(character, sources)
        if found is None:
            unplaced.append(character)
        else:
            by_source.setdefault(found[0], []).append((character, found[1]))
    out: list[Diagnostic] = []
    for index in sorted(by_source)[:MAX_REPORTED]:
        source = sources[index]
        found = sorted(by_source[index], key=lambda pair: source.text.index(pair[1]))
        (first, written), characters = found[0], [character for character, _ in found]
        font = lacking[first]
        spelled = f", written as '{written}'," if written != first else ""
        out.append(error(GLYPH_PROBLEM, f"the font {font} cannot draw {_name(first)}{spelled}"
                         f"{_others(characters)} of this text (language '{source.language}'): "
                         f"{'they' if len(characters) > 1 else 'it'} would print as "
                         f"{'blanks' if len(characters) > 1 else 'a blank'}",
                         character_position(source, written, lines), _help(font)))
    if unplaced:
        font = lacking[unplaced[0]]
        out.append(error(GLYPH_PROBLEM, f"the font {font} cannot draw {_name(unplaced[0])}"
                         f"{_others(unplaced)}, which the templates print",
                         help=_help(font, template=True)).with_file("templates"))
    return out


_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _find(character: str, sources: list[SourceText]) -> tuple[int, str] | None:
    """The first spec text that holds ``character``, and how it is written there.

    Markdown turns character references into characters (``&#x10D0;`` into a
    Georgian letter, ``&#0;`` into U+FFFD), so a character is looked for as one
    of those too.
    """
    for index, source in enumerate(sources):
        if character in source.text:
            return index, character
    for index, source in enumerate(sources):
        for entity in _ENTITY.findall(source.text) if "&" in source.text else ():
            if html.unescape(entity) == character:
                return index, entity
    return None


def _name(character: str) -> str:
    return f"'{character}' (U+{ord(character):04X} {unicodedata.name(character, 'unnamed character')})"


def _others(characters: list[str]) -> str:
    rest = characters[1:]
    if not rest:
        return ""
    shown = " ".join(rest[:8]) + (" …" if len(rest) > 8 else "")
    return f" and {len(rest)} other character{'s' if len(rest) > 1 else ''} ({shown})"


def _help(font: str, template: bool = False) -> str:
    from .fonts import ARABIC_FAMILY, FAMILY

    where = "change the template" if template else "write the text without that character"
    shipped = (f"; {FAMILY} covers Latin and Cyrillic, {ARABIC_FAMILY} Arabic (no shipped font "
               "has Hebrew yet)" if font in (FAMILY, ARABIC_FAMILY) else "")
    return (f"{where}, or name a font that has it in the templates folder's theme.yaml "
            f"(see 'A house font' in templates/README.md){shipped}")


__all__ = ["Fonts", "SourceText", "check", "refuse_missing_glyphs", "coverage", "missing", "printed_text", "spec_texts"]
