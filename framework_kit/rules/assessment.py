"""How a checked design stands on each essential: the one judgement every document shares.

The brief, the email and any later consumer (the studio, redlines) read the
verdicts from here instead of working them out again, so they cannot disagree.
The assessment is plain data: rendering receives it and never imports the rules.
"""

from __future__ import annotations

from typing import NamedTuple

from ..spec.model import Design
from .levels import LEVELS, qualifying_tables
from .registry import Outcome, all_rules

PARTS = ("essential-1", "essential-2", "advice")


class RuleNote(NamedTuple):
    """A rule named in a verdict: its code and one-line summary."""

    code: str
    summary: str


class Unchecked(NamedTuple):
    """A rule that did not run because a rule it depends on failed."""

    code: str
    summary: str
    requires: tuple[str, ...]


class Verdict(NamedTuple):
    """One essential (or the further advice) and how the design stands on it."""

    part: str  # essential-1 | essential-2 | advice
    status: str  # met | not met | waived (essentials); followed | open | waived (advice)
    codes: tuple[str, ...]  # every rule of this part, in code order
    failing: tuple[RuleNote, ...]  # failed and not waived
    waived: tuple[RuleNote, ...]  # failed, and waived in checks.ignore
    unchecked: tuple[Unchecked, ...]  # not run: a rule it needs failed (waived or not)


class Assessment(NamedTuple):
    """Every verdict, the waivers with their hidden findings, and essential 1's levels."""

    verdicts: tuple[Verdict, ...]
    waived: tuple[tuple[RuleNote, int], ...]  # (rule, findings the waiver hid), in code order
    levels: dict[str, tuple[str, ...]]  # bilateral|regional|strategic -> qualifying table ids

    def verdict(self, part: str) -> Verdict:
        return next(v for v in self.verdicts if v.part == part)


def assess(design: Design, outcome: Outcome) -> Assessment:
    """Judge ``design`` from the rules' ``outcome`` (which codes failed, which were waived)."""
    rules = all_rules()
    failed, hidden = set(outcome.failed), dict(outcome.waived)
    verdicts = []
    for part in PARTS:
        codes = tuple(code for code, r in rules.items() if r.essential == part)
        failing = tuple(RuleNote(c, rules[c].summary) for c in codes if c in failed and c not in hidden)
        waived = tuple(RuleNote(c, rules[c].summary) for c in codes if c in failed and c in hidden)
        unchecked = tuple(Unchecked(c, rules[c].summary, rules[c].requires) for c in codes
                          if c not in failed and set(rules[c].requires) & failed)
        if failing:
            status = "open" if part == "advice" else "not met"
        elif waived:
            status = "waived"
        else:
            status = "followed" if part == "advice" else "met"
        verdicts.append(Verdict(part, status, codes, failing, waived, unchecked))
    waivers = tuple((RuleNote(code, rules[code].summary if code in rules else ""), count)
                    for code, count in sorted(hidden.items()))
    qualifying = qualifying_tables(design)
    levels = {level: tuple(t.id for t in qualifying[level]) for level in LEVELS}
    return Assessment(tuple(verdicts), waivers, levels)


__all__ = ["Assessment", "PARTS", "RuleNote", "Unchecked", "Verdict", "assess"]
