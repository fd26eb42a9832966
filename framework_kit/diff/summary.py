"""The comparison document (``…_changes.pdf/.docx``): versions, state of the text, every change.

A document tree like any other, so both writers print it as they print a brief.
"""

from __future__ import annotations

from ..render import doctree as dt
from ..render.view import STATUS_TEXT, long_date
from .design import ADDED, CHANGED, KINDS, MOVED, REMOVED, STATUS, Comparison

KIND_TEXT = {ADDED: "Added", REMOVED: "Removed", CHANGED: "Changed", STATUS: "Status", MOVED: "Moved"}
_STATES = ("agreed", "proposed", "bracketed")


def summary_line(comparison: Comparison) -> str:
    """"12 changes: 4 added, 1 removed, 5 changed, 2 status", or "no changes"."""
    total = len(comparison.changes)
    if not total:
        return "no changes"
    counts = comparison.counts()
    names = {STATUS: "status"}
    parts = [f"{counts[k]} {names.get(k, k)}" for k in KINDS if counts[k]]
    return f"{total} change{'s' if total != 1 else ''}: " + ", ".join(parts)


def changes_document(comparison: Comparison, *, author: str) -> dt.Document:
    old, new = comparison.old.process, comparison.new.process
    footer = " · ".join(filter(None, (f"Changes v{old.version} → v{new.version}", long_date(new.date),
                                      STATUS_TEXT.get(new.status, new.status))))
    meta = dt.Meta(title=f"Changes — {new.title}", subject=new.title, author=author,
                   keywords=[new.file_title, "changes", f"v{old.version}", f"v{new.version}"],
                   reference=new.reference or "", version=new.version, date=new.date.isoformat(),
                   marking=new.marking_text, watermark="" if new.status == "final" else new.marking_text,
                   language=new.language, document="changes", footer=footer)
    blocks: list = [
        dt.Heading(1, [dt.Text(f"Changes from version {old.version} to version {new.version}")]),
        dt.Paragraph([dt.Text(new.title)], "lead"),
        dt.Table([dt.Cell([dt.Text("")]), dt.Cell([dt.Text("")])], [
            _row("Old version", f"{old.version} of {long_date(old.date)} ({STATUS_TEXT.get(old.status)})"),
            _row("New version", f"{new.version} of {long_date(new.date)} ({STATUS_TEXT.get(new.status)})"),
            _row("Changes marked by", author),
            _row("Summary", summary_line(comparison)),
        ], widths=[0.3, 0.7], style="fields"),
    ]
    if old.title != new.title:
        blocks.append(dt.Paragraph([dt.Strong([dt.Text("The two versions have different titles")]),
                                    dt.Text(f": “{old.title}” and “{new.title}”. They may be two "
                                            "different processes.")], "legend"))
    blocks += _state_of_text(comparison)
    general = [c for c in comparison.changes if not c.table]
    if general:
        blocks.append(dt.Heading(2, [dt.Text("The design as a whole")]))
        blocks.append(_change_table(general))
    tables = {t.id: t.name for t in comparison.old.tables}
    tables.update({t.id: t.name for t in comparison.new.tables})
    for tid, name in tables.items():
        mine = [c for c in comparison.changes if c.table == tid]
        if mine:
            blocks.append(dt.Heading(2, [dt.Text(name)]))
            blocks.append(_change_table(mine))
    if not comparison.changes:
        blocks.append(dt.Paragraph([dt.Text("The two versions do not differ: no changes.")]))
    return dt.Document(meta, blocks)


def _row(label: str, value: str) -> list[dt.Cell]:
    return [dt.Cell([dt.Text(label)], bold=True), dt.Cell([dt.Text(value)])]


def _counts(design) -> dict[str, dict[str, int]]:
    out = {}
    for table in design.tables:
        counts = dict.fromkeys(_STATES, 0)
        for clause in table.clauses():
            counts[clause.status] += 1
        out[table.id] = counts
    return out


def _state_of_text(comparison: Comparison) -> list:
    before, after = _counts(comparison.old), _counts(comparison.new)
    names = {t.id: t.name for t in comparison.old.tables}
    names.update({t.id: t.name for t in comparison.new.tables})
    header = [dt.Cell([dt.Text("Table")])] + [dt.Cell([dt.Text(s.capitalize())], align="center")
                                              for s in _STATES]
    rows = []
    for tid, name in names.items():
        a, b = before.get(tid), after.get(tid)
        row = [dt.Cell([dt.Text(name)])]
        for state in _STATES:
            x = "—" if a is None else str(a[state])
            y = "—" if b is None else str(b[state])
            row.append(dt.Cell([dt.Text(x if x == y else f"{x} → {y}")], bold=x != y, align="center"))
        rows.append(row)
    return [dt.Heading(2, [dt.Text("State of the text")]),
            dt.Paragraph([dt.Text("Clauses by status in each table, before → after.")], "small"),
            dt.Table(header, rows, widths=[0.46, 0.18, 0.18, 0.18])]


def _change_table(changes) -> dt.Table:
    rows = [[dt.Cell([dt.Text(KIND_TEXT[c.kind])], bold=True), dt.Cell([dt.Text(c.label[:1].upper() + c.label[1:])])]
            for c in changes]
    return dt.Table([dt.Cell([dt.Text("Kind")]), dt.Cell([dt.Text("Change")])], rows,
                    widths=[0.18, 0.82])
