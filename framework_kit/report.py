"""Diagnostics -> text for a terminal (with the source line) or JSON."""

from __future__ import annotations

from typing import Iterable, Sequence

from .diagnostics import Diagnostic, undeclared_id

_COLOURS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "help": "\x1b[36m",
            "bold": "\x1b[1m", "dim": "\x1b[2m"}
_RESET = "\x1b[0m"
_EXCERPT = 100


def _paint(text: str, style: str, colour: bool) -> str:
    return f"{_COLOURS[style]}{text}{_RESET}" if colour else text


def printable(text: str) -> str:
    """Text safe to print on a terminal: control characters are shown as ⟨U+XXXX⟩."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() or ch == " " else
        ("    " if ch == "\t" else f"⟨U+{ord(ch):04X}⟩")
        for ch in text
    )


def read_source_lines(path: str, limit: int = 1_000_000) -> list[str]:
    """The lines of a file to quote in an excerpt (e.g. a template); none if unreadable.

    None either for a symbolic link leading out of its folder: a theme or template refused
    for being one had the first line of its target (any file on the machine) quoted.
    """
    import os

    folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    if os.path.commonpath([os.path.realpath(path), folder]) != folder:
        return []
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read(limit).splitlines()
    except OSError:
        return []


def _excerpt(line: str, column: int) -> tuple[str, int]:
    """Cut a long source line to a window around ``column`` (1-based)."""
    if len(line) <= _EXCERPT:
        return line, column
    start = max(0, min(column - 1 - _EXCERPT // 2, len(line) - _EXCERPT))
    piece = line[start:start + _EXCERPT]
    prefix = "…" if start else ""
    suffix = "…" if start + _EXCERPT < len(line) else ""
    return prefix + piece + suffix, column - start + len(prefix)


def format_text(diagnostic: Diagnostic, lines: Sequence[str] = (), colour: bool = False) -> str:
    """One diagnostic in the contract's text form, with its source line and a caret."""
    d = diagnostic
    head = (
        f"{_paint(f'{d.file}:{d.span.line}:{d.span.column}:', 'bold', colour)} "
        f"{_paint(f'{d.severity.value} {d.code}', d.severity.value, colour)} {printable(d.message)}"
    )
    out = [head]
    if 1 <= d.span.line <= len(lines):
        source, column = _excerpt(lines[d.span.line - 1].replace("\t", " "), d.span.column)
        source = printable(source)
        gutter = str(d.span.line)
        pad = " " * len(gutter)
        out.append(_paint(f" {gutter} | ", "dim", colour) + source)
        out.append(_paint(f" {pad} | ", "dim", colour) + " " * _width(source[:max(column - 1, 0)]) + "^")
    if d.help:
        out.append(f"  {_paint('help:', 'help', colour)} {printable(d.help)}")
    return "\n".join(out)


def _width(text: str) -> int:
    """Terminal columns of ``text``: a CJK character or an emoji takes two, a combining mark none."""
    if text.isascii():
        return len(text)
    from wcwidth import wcswidth  # only a line with non-ASCII text before the caret pays for it

    width = wcswidth(text)
    return width if width >= 0 else len(text)


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    """'2 errors, 1 warning' or 'no problems'."""
    diagnostics = list(diagnostics)
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    if not diagnostics:
        return "no problems"
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts) + _repeated_references(diagnostics)


def _repeated_references(diagnostics: list[Diagnostic]) -> str:
    """'; 5 references to the undeclared id 'state-a'': one renamed id, not five mistakes."""
    from collections import Counter

    counts = Counter(rid for d in diagnostics if (rid := undeclared_id(d)) is not None)
    repeated = [f"{n} references to the undeclared id '{rid}'"
                for rid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n > 1]
    if not repeated:
        return ""
    more = len(repeated) - 3
    return "; " + ", ".join(repeated[:3]) + (f" and {more} more undeclared ids" if more > 0 else "")


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    """The diagnostics as the contract's JSON list."""
    import json  # only for --format json: kit check's start-up is measured

    return json.dumps([d.as_dict() for d in diagnostics], ensure_ascii=False, indent=2)
