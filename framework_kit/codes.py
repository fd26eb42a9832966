"""A code that is not a registry rule (S, R and T codes), explained like one.

Shared by the schema codes (:mod:`framework_kit.rules.schema_codes`) and the
rendering codes (:mod:`framework_kit.render.codes`), so ``kit explain`` prints
every code alike. This module imports nothing of the project but the diagnostics.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from .diagnostics import Severity


@dataclass(frozen=True)
class SchemaCode:
    code: str
    summary: str
    explanation: dict
    severity: Severity = Severity.ERROR


def describe(code: str, summary: str, checks: str, why: str, example: str, fix: str,
             severity: Severity = Severity.ERROR) -> SchemaCode:
    """A code that is not a registry rule, explained in the rules' four sections."""
    sections = {"Checks": checks, "Why": why, "Example": example, "Fix": fix}
    explanation = {name: textwrap.dedent(text).strip() for name, text in sections.items()}
    return SchemaCode(code, summary, explanation, severity)
