"""PyYAML's parse errors -> an S001 message a drafter can act on.

The parser speaks of scanners, block mappings and indicators; a drafter wrote a
title in Markdown italics, a colon in a sentence, a quote or bracket left open, or a
key indented one space too far. Each common case is recognised from the parser's
problem, the position it stopped at and the source line, and explained with the
fix written out for that line. The position stays where the parser stopped (the
contract), except for a quote or bracket left open: that points where it opened,
and the message says where the parser gave up.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Sequence

from ..diagnostics import Span
from ..lazy_patterns import import_module

yaml = import_module("yaml")

_KEY = re.compile(r"(\s*)(-\s+)*([^\s#'\"\[\]{}:][^:#]*?)\s*:(\s|$)")
_ITEM = re.compile(r"\s*-\s+")
_WORD = re.compile(r"[A-Za-z_][\w-]*")
_SIGILS = {
    "*": "a reference to an anchor (a YAML alias), as in *name",
    "&": "an anchor name (&name)",
    "!": "a type tag (!tag)",
    "`": "a character reserved for future use",
    "@": "a character reserved for future use",
    "%": "a directive",
    "|": "the start of a block of lines",
    ">": "the start of a folded block",
}


class Explained(NamedTuple):
    message: str
    span: Span
    help: str


def _mark(mark) -> Span:
    return Span(mark.line + 1, mark.column + 1)


def _line(lines: Sequence[str], span: Span) -> str:
    return lines[span.line - 1] if 0 < span.line <= len(lines) else ""


def _quoted(line: str) -> str:
    """The line with its value in double quotes: the fix for most value mistakes."""
    found = _KEY.match(line)
    if found is None or not _WORD.fullmatch(found.group(3)):
        # "- Phase 1: ceasefire, and more: x" is a text in a list, not a key "Phase 1".
        found = _ITEM.match(line) or found
    if not found:
        return ""
    # A " #" starts a comment (the starter spec has one on most lines): it is no part of the text.
    value = re.split(r"\s#", line[found.end():], maxsplit=1)[0].strip()
    if not value:
        return ""
    value = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{line[:found.end()].rstrip()} "{value}"'


def _key_column(line: str) -> int | None:
    """1-based column where a line's key (or list item's first key) starts."""
    found = _KEY.match(line)
    return found.start(3) + 1 if found else None


def _previous_key_line(lines: Sequence[str], before: int) -> tuple[int, str] | None:
    for number in range(before - 1, 0, -1):
        text = lines[number - 1]
        if text.strip() and not text.lstrip().startswith("#"):
            return number, text
    return None


def quote_hint(line: str) -> str:
    """Help: the line rewritten with its value in quotes."""
    fixed = _quoted(line)
    return f"put the whole text in quotes: {fixed.strip()}" if fixed else "put the whole text in double quotes"


def _runaway_quote(text: str, stop) -> tuple[Span, Span] | None:
    """A quoted text that ran on from an earlier line and ended just before the parser stopped.

    A quote left open in the middle of a file is closed by the next quote of the
    same kind, often lines below (the opening quote of another text), and the
    parser stops only after it. Returns where the quoted text opened and where it
    ended, or None. The text is scanned again, up to the error, only when it could
    not be parsed.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    last = None
    try:
        while True:
            token = loader.get_token()
            if token is None or (token.start_mark.line, token.start_mark.column) > (stop.line, stop.column):
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                last = token
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    if last is None or last.end_mark.line != stop.line or last.start_mark.line == stop.line:
        return None
    return _mark(last.start_mark), _mark(last.end_mark)


def explain(exc, lines: Sequence[str], text: str | None = None) -> Explained:
    """What went wrong, where, and how to fix it, for one PyYAML error.

    ``text`` (the whole source) lets a quote left open mid-file be found where it opened.
    """
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    span = _mark(problem_mark or context_mark) if (problem_mark or context_mark) else Span()
    opened = _mark(context_mark) if context_mark is not None else None
    line = _line(lines, span)
    rest = line[span.column - 1:] if line else ""

    if context.startswith(("while scanning an alias", "while scanning an anchor", "while scanning a tag")):
        start = _line(lines, opened or span)[(opened or span).column - 1:][:1] or "*"
        return Explained(
            f"a text that starts with '{start}' must be in quotes: YAML reads '{start}' as "
            f"{_SIGILS.get(start, 'markup')}"
            + (" (Markdown italics and bold need quotes too)" if start == "*" else ""),
            span, quote_hint(_line(lines, opened or span)))
    if "cannot start any token" in problem:
        sigil = rest[:1]
        return Explained(f"a text that starts with '{sigil}' must be in quotes: YAML reads "
                         f"'{sigil}' as {_SIGILS.get(sigil, 'markup')}", span, quote_hint(line))
    if "while scanning a quoted scalar" in context and opened is not None:
        quote = _line(lines, opened)[opened.column - 1:][:1] or '"'
        return Explained(
            f"this {quote} is never closed (the file ends inside the quoted text)"
            if span.line > len(lines) else
            f"this {quote} is never closed: the quoted text runs on to line {span.line}",
            opened, f"add the closing {quote} at the end of that text"
            + (" (an apostrophe inside '…' is written twice: 'it''s')" if quote == "'" else ""))
    if "while parsing a flow" in context and opened is not None:
        bracket = _line(lines, opened)[opened.column - 1:][:1] or "["
        closing = {"[": "]", "{": "}"}.get(bracket, "]")
        return Explained(
            f"this {bracket} is never closed: on line {span.line}, column {span.column} the "
            f"{'list' if bracket == '[' else 'group'} still has no {closing}",
            opened, f"add the closing {closing} at the end of that list, and separate its entries "
            "with commas")
    if "escape" in problem:
        start = line.rfind("\\", 0, span.column)
        escape = line[start:start + 6] if start >= 0 and line[start + 1:start + 2] == "u" else line[start:start + 2]
        return Explained(
            f"the escape {escape} in this quoted text " + ("is not a valid Unicode character"
                                                          if "Unicode" in problem else "is not one YAML knows"),
            span, "write the character itself, or write a backslash as \\\\ inside \"…\", or "
            "use single quotes, where a backslash is an ordinary character")
    runaway = _runaway_quote(text, problem_mark) if text is not None and problem_mark else None
    if runaway is not None:
        opening, closing = runaway
        quote = _line(lines, opening)[opening.column - 1:][:1] or '"'
        return Explained(
            f"this {quote} is never closed on its line: the quoted text runs on to line "
            f"{closing.line}, where the next {quote} ends it",
            opening, f"add the closing {quote} at the end of that text"
            + (" (an apostrophe inside '…' is written twice: 'it''s')" if quote == "'" else ""))
    if "mapping values are not allowed" in problem:
        return _colon(lines, span, line)
    if rest[:1] in ("]", "}"):
        return Explained(f"this '{rest[0]}' closes nothing: there is no matching "
                         f"'{'[' if rest[0] == ']' else '{'}' before it", span,
                         f"remove the extra '{rest[0]}'")
    if "did not find expected key" in problem or "expected '-' indicator" in problem \
            or "could not find expected ':'" in problem:
        return _structure(lines, span, line, opened)
    if "found unexpected end of stream" in problem:
        return Explained("the file ends inside an unfinished text or list", span,
                         "check that every opening quote or [ { has its closing partner")
    return Explained("the YAML cannot be read from this point on", span,
                     "check the indentation and quoting of this line and the one before it")


def _colon(lines: Sequence[str], span: Span, line: str) -> Explained:
    """A ': ' where YAML does not expect a key: an over-indented key, or a colon in a text."""
    key_column = _key_column(line)
    if key_column is not None and line.index(":", key_column - 1) + 1 == span.column:
        before = _previous_key_line(lines, span.line)
        if before is not None and _key_column(before[1]) not in (None, key_column):
            return _indented(line, key_column, before, span)
    return Explained("a text containing ': ' is read as a new key", span, quote_hint(line))


def _indented(line: str, key_column: int, before: tuple[int, str], span: Span) -> Explained:
    number, text = before
    other = _key_column(text)
    key = _KEY.match(line).group(3)
    previous = _KEY.match(text).group(3)
    return Explained(
        f"'{key}' starts in column {key_column}, but '{previous}' on line {number} starts in "
        f"column {other}: keys of one block must start in the same column",
        Span(span.line, key_column), f"indent '{key}' by {other - 1} spaces, like '{previous}'"
        if other and other > 1 else f"align '{key}' with '{previous}'")


def _structure(lines: Sequence[str], span: Span, line: str, opened: Span | None) -> Explained:
    """A line that does not fit its block: usually indentation, sometimes a stray quote."""
    stripped = line.strip()
    value = line.split(":", 1)[1].strip() if ":" in line else ""
    if value[:1] in ("'", '"') and span.column - 1 > line.find(value) + 1:
        quote = value[0]
        return Explained(
            f"the text in {quote}…{quote} ends at the second {quote}; what follows it cannot be read",
            span, "write an apostrophe inside '…' twice ('it''s'), or put the text in double quotes"
            if quote == "'" else "write a \" inside \"…\" as \\\", or put the text in single quotes")
    key_column = _key_column(line)
    before = _previous_key_line(lines, span.line)
    if key_column is not None and before is not None and _key_column(before[1]) not in (None, key_column):
        return _indented(line, key_column, before, span)
    if stripped and ":" not in stripped and not stripped.startswith("- "):
        return Explained("this line is neither 'key: value' nor a list item '- …'", span,
                         "add the key and a colon, or join the line to the text above it")
    return Explained("this line's indentation does not fit the block it is in", span,
                     "indent each key of a block by the same number of spaces, and every '- ' "
                     "of a list at the same column")
