"""``kit explain``: what a code checks, why, an example and the fix.

The text comes from the rules' own docstrings (E and W codes), the schema-code
table (S codes) and, for the "Why", the seed framework's passages with the
article's citation. Kept light: no rendering libraries are imported here.
"""

from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass

from . import framework as seeds
from .diagnostics import Severity

WIDTH = 88
_INDENT = "    "
HEADINGS = (("Checks", "What it checks"), ("Why", "Why"), ("Example", "Example"),
            ("Fix", "How to fix"))


class UnknownCode(Exception):
    """The code is not an S, E or W code of this tool."""


@dataclass(frozen=True)
class Entry:
    """One explainable code, whether a schema code or a rule."""

    code: str
    severity: Severity
    summary: str
    explanation: dict
    part: str | None = None  # essential-1, essential-2 or advice; None for schema codes


def entries() -> dict[str, Entry]:
    """Every code, S first, then E and W, each with its explanation."""
    from .rules.registry import all_rules
    from .rules.schema_codes import SCHEMA_CODES

    from .render.codes import render_codes

    out = {c.code: Entry(c.code, c.severity, c.summary, c.explanation)
           for c in SCHEMA_CODES.values()}
    for code, r in all_rules().items():
        out[code] = Entry(code, r.severity, r.summary, r.explanation, r.essential)
    for c in render_codes().values():
        out[c.code] = Entry(c.code, c.severity, c.summary, c.explanation, "render")
    return out


def explain_text(code: str | None = None) -> str:
    """The explanation of ``code``, or a list of every code with its summary when None."""
    known = entries()
    if code is None:
        return _listing(known)
    wanted = code.strip().upper()
    entry = known.get(wanted)
    if entry is None:
        raise UnknownCode(_unknown(code, list(known)))
    return _explanation(entry)


def _unknown(code: str, codes: list[str]) -> str:
    close = difflib.get_close_matches(code.strip().upper(), codes, 4, 0.5)
    hint = (f"did you mean {', '.join(close)}?" if close
            else "codes are S001-S008, E100-E105, E201-E206, W101-W107, T001, T002 and R001-R004")
    return f"unknown code '{code}'; {hint} Run 'kit explain' to list every code."


def _fill(text: str) -> str:
    return textwrap.fill(" ".join(text.split()), WIDTH, initial_indent=_INDENT,
                         subsequent_indent=_INDENT)


def _why(entry: Entry) -> str:
    out = [textwrap.indent(entry.explanation.get("Why", ""), _INDENT)]
    passages = seeds.passages_for(entry.code)
    if passages:
        out.append(f"{_INDENT}What the article argues (in this project's words):")
        for passage in passages:
            out.append(_fill(f"{passage['text']} [{passage['where']}]"))
        out.append(_fill(f"Source: {seeds.citation()}."))
    return "\n\n".join(out)


def _explanation(entry: Entry) -> str:
    lines = [f"{entry.code} ({entry.severity.value}): {entry.summary}"]
    if entry.part and entry.part != "render":
        part = seeds.part(entry.part)
        lines.append(_part_title(part))
    for key, heading in HEADINGS:
        body = _why(entry) if key == "Why" else textwrap.indent(entry.explanation.get(key, ""),
                                                                _INDENT)
        lines += ["", heading, body]
    return "\n".join(lines)


def _part_title(part: dict) -> str:
    if part.get("number"):
        return f"Essential {part['number']}: {part['title']}"
    return part["title"][0].upper() + part["title"][1:]


def _listing(known: dict[str, Entry]) -> str:
    groups: dict[str, list[Entry]] = {}
    for entry in known.values():
        groups.setdefault(entry.part or "schema", []).append(entry)
    lines = ["Every code 'kit check' and 'kit render' can report. For the full explanation: "
             "kit explain CODE"]
    for group, members in groups.items():
        if group == "schema":
            title = "Schema: the file must be readable and follow the format (errors)"
        elif group == "render":
            title = "Rendering: templates, theme, reference document and output (errors; R005 a warning)"
        else:
            kind = "warnings" if members[0].severity is Severity.WARNING else "errors"
            title = f"{_part_title(seeds.part(group))} ({kind})"
        lines += ["", title]
        lines += [f"  {e.code}  {e.summary}" for e in members]
    return "\n".join(lines)


__all__ = ["Entry", "UnknownCode", "entries", "explain_text"]
