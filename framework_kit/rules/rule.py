"""What a rule is: one code, one function, its explanation beside it.

A rule is a function decorated with :func:`rule`. Its docstring holds the
explanation in fixed sections (``Checks:``, ``Why:``, ``Example:``, ``Fix:``),
which ``kit explain CODE`` prints. The function yields ``Finding``s; the
registry (:mod:`.registry`) runs them.
"""

from __future__ import annotations

import functools
import inspect
import re
import textwrap
from dataclasses import dataclass
from typing import Callable, Iterable, NamedTuple

from ..diagnostics import Diagnostic, Severity, Span
from ..spec.model import Design

SECTIONS = ("Checks", "Why", "Example", "Fix")


class Finding(NamedTuple):
    """One place where a rule fails."""

    message: str
    span: Span
    help: str = ""


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str
    essential: str  # key into the seed framework: "essential-1", "essential-2" or "advice"
    function: Callable[[Design], Iterable[Finding]]
    requires: tuple[str, ...] = ()

    @functools.cached_property
    def explanation(self) -> dict[str, str]:
        """The docstring's sections; parsed when first asked for, not at start-up."""
        return _sections(self.function.__doc__)

    def run(self, design: Design) -> list[Diagnostic]:
        return [
            Diagnostic(self.code, self.severity, f.message, f.span, f.help or self.short_fix)
            for f in self.function(design)
        ]

    @property
    def short_fix(self) -> str:
        fix = self.explanation.get("Fix", "")
        return fix.split("\n\n")[0].replace("\n", " ").strip()


RULES: dict[str, Rule] = {}


def _sections(doc: str) -> dict[str, str]:
    doc = inspect.cleandoc(doc or "")
    parts = re.split(r"^(" + "|".join(SECTIONS) + r"):[ \t]*\n?", doc, flags=re.M)
    out = {}
    for name, body in zip(parts[1::2], parts[2::2]):
        # dedent, not cleandoc: cleandoc strips the first line apart from the rest,
        # which breaks the indentation of a YAML example.
        out[name] = textwrap.dedent(body).strip()
    return out


def rule(code: str, summary: str, *, essential: str, requires: tuple[str, ...] = ()):
    """Register a rule function under ``code``; E is an error, W a warning."""

    def register(function):
        if code in RULES:
            raise ValueError(f"rule code {code} registered twice")
        severity = Severity.ERROR if code.startswith(("E", "S")) else Severity.WARNING
        RULES[code] = Rule(code, severity, summary, essential, function, requires)
        return function

    return register
