"""The text of the mail: a short summary of the brief, as plain text and as HTML.

Both bodies are written from one :class:`Summary`, so they always say the
same thing. Every value from the spec is escaped in the HTML: a participant
called ``<script>`` is shown as text, never run.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from .render.view import long_date

FORMAT_LABELS = {"pdf": "PDF", "docx": "Word document"}
CAPACITIES = (("parties", "Parties"), ("facilitators", "Facilitators"), ("observers", "Observers"))
STATUS_LABELS = {
    "draft": "draft",
    "for-consultation": "for consultation",
    "agreed-ad-referendum": "agreed ad referendum",
    "final": "final",
}


@dataclass
class Part:
    """One essential (or the further advice) and how the design stands on it."""

    heading: str
    verdict: str
    details: list[str] = field(default_factory=list)


@dataclass
class Summary:
    """What the mail says about the brief, independent of plain text or HTML."""

    title: str
    facts: list[tuple[str, str]]
    tables: list[tuple[str, list[tuple[str, str]]]]
    parts: list[Part]
    attachments: list[str]
    opening: str = "Please find attached the brief on this design."


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _rules():
    from .rules.registry import all_rules

    return all_rules()


def _part_title(part_id: str, fallback: str) -> str:
    from .framework import part

    try:
        entry = part(part_id)
    except Exception:  # the seed file is optional here: the mail still names the part
        entry = None
    return entry["title"] if entry else fallback


def _essentials(design, result) -> list[Part]:
    """Essentials 1 and 2 and the further advice: met, or which rules failed and whether waived."""
    from .rules.levels import LEVELS, qualifying_tables

    rules = _rules()
    failed = set(result.failed or ())
    waived = dict(result.waived or {})
    parts: list[Part] = []
    for number, part_id in ((1, "essential-1"), (2, "essential-2")):
        title = _part_title(part_id, f"essential {number}")
        codes = [c for c, r in rules.items() if r.essential == part_id]
        broken = [c for c in codes if c in failed]
        unchecked = [c for c, r in rules.items()
                     if r.essential == part_id and c not in failed and set(r.requires) & failed]
        details = [f"{c} {rules[c].summary} ({'waived by the drafters' if c in waived else 'open'})"
                   for c in broken]
        details += [f"{c} not checked: it needs {', '.join(rules[c].requires)} to pass"
                    for c in unchecked]
        if part_id == "essential-1":
            carried = qualifying_tables(design)
            for level in LEVELS:
                names = ", ".join(t.name for t in carried[level]) or "no table"
                details.append(f"{level.capitalize()} level: {names}")
        verdict = "met" if not broken else (
            "not met; waived by the drafters" if all(c in waived for c in broken) else "not met")
        parts.append(Part(f"Essential {number}: {title}", verdict, details))
    advice = [c for c, r in rules.items() if r.essential == "advice" and c in failed]
    details = [f"{c} {rules[c].summary} ({'waived' if c in waived else 'open'})" for c in advice]
    verdict = "all followed" if not advice else (
        f"{len(advice)} point{'s' if len(advice) > 1 else ''} not followed")
    parts.append(Part(_part_title("advice", "The article's further advice"), verdict, details))
    return parts


def summarise(design, result, files) -> Summary:
    """Collect what the mail reports: the brief's facts, tables, essentials and attachments."""
    process = design.process
    facts = [("Reference", process.reference or ""),
             ("Version", f"{process.version} of {long_date(process.date)}"),
             ("Status", STATUS_LABELS.get(process.status, process.status)),
             ("Marking", "" if process.status == "final" else process.marking),
             ("Prepared by", process.prepared_by or "")]
    tables = []
    for table in design.tables:
        heading = f"{table.name} ({table.level} level"
        heading += f", opens {long_date(table.opens)})" if table.opens else ")"
        seats = [(label, ", ".join(design.name_of(pid) for pid in getattr(table, attribute)))
                 for attribute, label in CAPACITIES if getattr(table, attribute)]
        tables.append((heading, seats))
    attachments = []
    for rendered in files:
        kind = FORMAT_LABELS.get(rendered.format, rendered.format.upper())
        pages = f", {rendered.pages} page{'s' if rendered.pages != 1 else ''}" if rendered.pages else ""
        attachments.append(f"{rendered.filename}: {rendered.title} ({kind}{pages}, "
                           f"{_size(len(rendered.data))})")
    summary = Summary(process.title, [(k, v) for k, v in facts if v], tables,
                      _essentials(design, result), attachments)
    if len(files) > 1:
        summary.opening = "Please find attached the brief and the other draft documents of this design."
    return summary


def _closing(summary: Summary) -> str:
    marked = any(label == "Marking" for label, _ in summary.facts)
    return ("Prepared with framework-kit from a design checked against the framework. "
            + ("The attached documents are drafts; the marking above applies to them."
               if marked else "The status above applies to the attached documents."))


def plain_body(design, result, files) -> str:
    """The plain-text body."""
    summary = summarise(design, result, files)
    lines = [summary.title, "", summary.opening, ""]
    width = max(len(label) for label, _ in summary.facts) + 2
    lines += [f"{label + ':':<{width}}{value}" for label, value in summary.facts]
    lines += ["", "The tables"]
    for heading, seats in summary.tables:
        lines.append(f"- {heading}")
        lines += [f"    {label}: {names}" for label, names in seats]
    lines += ["", "The framework's essentials"]
    for part in summary.parts:
        lines.append(f"- {part.heading}: {part.verdict}")
        lines += [f"    {detail}" for detail in part.details]
    lines += ["", "Attached"]
    lines += [f"- {item}" for item in summary.attachments] or ["- nothing"]
    lines += ["", _closing(summary)]
    return "\n".join(lines) + "\n"


def html_body(design, result, files) -> str:
    """The HTML alternative: the same summary, every spec value escaped."""
    e = html.escape
    summary = summarise(design, result, files)
    out = ['<!DOCTYPE html>', '<html><head><meta charset="utf-8">',
           f"<title>{e(summary.title)}</title></head>",
           '<body style="font-family: Georgia, serif; color: #1a1a1a; max-width: 44em">',
           f'<h1 style="font-size: 1.3em">{e(summary.title)}</h1>',
           f"<p>{e(summary.opening)}</p>",
           '<table style="border-collapse: collapse">']
    out += [f'<tr><th style="text-align: left; padding-right: 1em">{e(label)}</th>'
            f"<td>{e(value)}</td></tr>" for label, value in summary.facts]
    out += ["</table>", '<h2 style="font-size: 1.1em">The tables</h2>', "<ul>"]
    for heading, seats in summary.tables:
        rows = "".join(f"<br>{e(label)}: {e(names)}" for label, names in seats)
        out.append(f"<li><strong>{e(heading)}</strong>{rows}</li>")
    out += ["</ul>", '<h2 style="font-size: 1.1em">The framework\'s essentials</h2>', "<ul>"]
    for part in summary.parts:
        details = "".join(f"<li>{e(d)}</li>" for d in part.details)
        out.append(f"<li><strong>{e(part.heading)}</strong>: {e(part.verdict)}"
                   + (f"<ul>{details}</ul>" if details else "") + "</li>")
    out += ["</ul>", '<h2 style="font-size: 1.1em">Attached</h2>', "<ul>"]
    out += [f"<li>{e(item)}</li>" for item in summary.attachments] or ["<li>nothing</li>"]
    out += ["</ul>", f'<p style="color: #555; font-size: 0.9em">{e(_closing(summary))}</p>',
            "</body></html>"]
    return "\n".join(out) + "\n"
