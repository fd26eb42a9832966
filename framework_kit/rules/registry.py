"""The rule registry: every rule by code, run together on a design.

It applies the waivers in ``checks.ignore`` and honours "checked only when"
dependencies between rules. Importing the rule modules registers their rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..spec.model import Design
from . import advice, essential1, essential2  # noqa: F401  (registration side effect)
from .rule import RULES, Finding, Rule, rule  # noqa: F401  (re-exported)


def all_rules() -> dict[str, Rule]:
    """Every E and W rule, by code, in code order."""
    return dict(sorted(RULES.items()))


@dataclass
class Outcome:
    diagnostics: list[Diagnostic]
    failed: set[str]  # codes that found something, waived or not
    waived: dict[str, int]  # code -> how many findings the waiver hid


def run_rules(design: Design) -> Outcome:
    """Run every E and W rule on a schema-valid design."""
    rules = all_rules()
    waived = set(design.waived)
    failed: set[str] = set()
    shown: list[Diagnostic] = []
    hidden: dict[str, int] = {}
    for code, r in rules.items():
        if any(dep in failed for dep in r.requires):
            continue
        found = r.run(design)
        if not found:
            continue
        failed.add(code)
        if code in waived:
            hidden[code] = len(found)
        else:
            shown.extend(found)
    return Outcome(shown, failed, hidden)
