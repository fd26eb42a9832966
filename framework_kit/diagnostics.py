"""Diagnostics: one problem found in a spec, as plain data.

Printing lives in :mod:`framework_kit.report`; this module imports nothing of the
project so that every stage (loading, schema, rules, templates) can produce them.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


# Span and Diagnostic are named tuples, not frozen dataclasses: the same immutable
# values, without the generated methods that cost every ``kit check`` start-up.
class Span(NamedTuple):
    """A 1-based position in a source file."""

    line: int = 1
    column: int = 1


class Diagnostic(NamedTuple):
    """One problem: which rule, where, what is wrong and how to fix it."""

    code: str
    severity: Severity
    message: str
    span: Span = Span()
    help: str = ""
    file: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def with_file(self, file: str) -> "Diagnostic":
        return Diagnostic(self.code, self.severity, self.message, self.span, self.help, file)

    def as_dict(self) -> dict:
        """The contract's JSON shape."""
        return {
            "file": self.file,
            "line": self.span.line,
            "column": self.span.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "help": self.help,
        }


def error(code: str, message: str, span: Span | None = None, help: str = "") -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, span or Span(), help)


def warning(code: str, message: str, span: Span | None = None, help: str = "") -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, message, span or Span(), help)


class Unreadable(Exception):
    """The file cannot be read or parsed as YAML at all (exit status 2)."""

    def __init__(self, diagnostic: Diagnostic, lines: list[str] | None = None):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
        self.lines = lines or []  # the source, when it could be decoded: the excerpt quotes it


class RenderError(Exception):
    """Rendering failed in a way the user can fix (a template, theme or reference document)."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


def did_you_mean(word: str, choices, otherwise: str, cutoff: float = 0.6) -> str:
    """A help text: "did you mean 'x'?" for the closest choice, else ``otherwise``."""
    import difflib  # only a spec with a mistake pays for it

    close = difflib.get_close_matches(word, list(choices), 1, cutoff)
    return f"did you mean '{close[0]}'?" if close else otherwise


def undeclared(where: str, rid: str, section: str) -> str:
    """The S005 message; :func:`undeclared_id` reads the id back for the summary line."""
    return f"{where} names '{rid}', which is not declared in {section}"


def undeclared_id(d: Diagnostic) -> str | None:
    """The id an S005 diagnostic names, or None for any other diagnostic."""
    if d.code != "S005" or "', which is not declared in " not in d.message:
        return None
    return d.message.split(" names '", 1)[1].split("', which is not declared in ", 1)[0]


def sort_key(d: Diagnostic) -> tuple:
    return (d.file, d.span.line, d.span.column, d.code)
