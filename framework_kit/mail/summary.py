"""The text of the mail: a short summary of the brief, as plain text and as HTML.

Both bodies are written from one :class:`Summary`, so they always say the
same thing. Every value from the spec is escaped in the HTML: a participant
called ``<script>`` is shown as text, never run.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from ..render.view import long_date

FORMAT_LABELS = {"pdf": "PDF", "docx": "Word document"}
CAPACITIES = (("parties", "Parties"), ("facilitators", "Facilitators"), ("observers", "Observers"))
# The assessment's status of an essential, as the mail words it.
ESSENTIAL_VERDICTS = {"met": "met", "not met": "not met", "waived": "not met; waived by the drafters"}
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


def _part_title(part_id: str, fallback: str) -> str:
    from ..framework import part

    try:
        entry = part(part_id)
    except Exception:  # the seed file is optional here: the mail still names the part
        entry = None
    return entry["title"] if entry else fallback


def _verdict_details(verdict) -> list[str]:
    details = [f"{code} {summary} (open)" for code, summary in verdict.failing]
    details += [f"{code} {summary} (waived by the drafters)" for code, summary in verdict.waived]
    details += [f"{u.code} not checked: it needs {', '.join(u.requires)} to pass"
                for u in verdict.unchecked]
    return details


def _essentials(design, assessment) -> list[Part]:
    """Essentials 1 and 2 and the further advice, as the assessment judged them (the brief's verdicts)."""
    parts: list[Part] = []
    for number, part_id in ((1, "essential-1"), (2, "essential-2")):
        verdict = assessment.verdict(part_id)
        details = _verdict_details(verdict)
        if part_id == "essential-1":
            for level, ids in assessment.levels.items():
                names = ", ".join(design.table(tid).name for tid in ids) or "no table"
                details.append(f"{level.capitalize()} level: {names}")
        parts.append(Part(f"Essential {number}: {_part_title(part_id, f'essential {number}')}",
                          ESSENTIAL_VERDICTS[verdict.status], details))
    advice = assessment.verdict("advice")
    open_points = len(advice.failing)
    wording = {"followed": "all followed", "waived": "not followed; waived by the drafters",
               "open": f"{open_points} point{'s' if open_points != 1 else ''} not followed"}
    parts.append(Part(_part_title("advice", "The article's further advice"), wording[advice.status],
                      _verdict_details(advice)))
    return parts


def summarise(design, assessment, files) -> Summary:
    """Collect what the mail reports: the brief's facts, tables, essentials and attachments."""
    process = design.process
    facts = [("Reference", process.reference or ""),
             ("Version", f"{process.version} of {long_date(process.date)}"),
             ("Status", STATUS_LABELS.get(process.status, process.status)),
             ("Marking", "" if process.status == "final" else process.marking_text),
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
                      _essentials(design, assessment), attachments)
    if len(files) > 1:
        summary.opening = "Please find attached the brief and the other draft documents of this design."
    elif not files:
        summary.opening = "This message summarises the brief on this design; the documents are not attached."
    return summary


def _closing(summary: Summary) -> str:
    marked = any(label == "Marking" for label, _ in summary.facts)
    documents = "the attached documents" if summary.attachments else "the design's documents"
    return ("Prepared with framework-kit from a design checked against the framework. "
            + (f"{documents.capitalize()} are drafts; the marking above applies to them."
               if marked else f"The status above applies to {documents}."))


def plain_body(design, assessment, files) -> str:
    """The plain-text body."""
    summary = summarise(design, assessment, files)
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
    if summary.attachments:
        lines += ["", "Attached"]
        lines += [f"- {item}" for item in summary.attachments]
    lines += ["", _closing(summary)]
    return "\n".join(lines) + "\n"


def html_body(design, assessment, files) -> str:
    """The HTML alternative: the same summary, every spec value escaped."""
    e = html.escape
    summary = summarise(design, assessment, files)
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
    out.append("</ul>")
    if summary.attachments:
        out += ['<h2 style="font-size: 1.1em">Attached</h2>', "<ul>"]
        out += [f"<li>{e(item)}</li>" for item in summary.attachments]
        out.append("</ul>")
    out += [f'<p style="color: #555; font-size: 0.9em">{e(_closing(summary))}</p>',
            "</body></html>"]
    return "\n".join(out) + "\n"
