"""What ``kit diff`` prints: one line per change and a summary, or the contract's JSON list."""

from __future__ import annotations

import json

from .summary import summary_line


def changes_json(comparison) -> str:
    """The changes as a JSON list of {kind, path, old, new}."""
    return json.dumps([c.as_json() for c in comparison.changes], ensure_ascii=False, indent=2)


def short_name(name: str) -> str:
    """"Table A: Bilateral Negotiations" -> "Table A"."""
    head = name.split(":", 1)[0].strip()
    return head if ":" in name and 0 < len(head) <= 20 else name


def changes_text(comparison) -> list[str]:
    """A heading line, one line per change, and the summary."""
    old, new = comparison.old.process, comparison.new.process
    lines = [f"{new.title}: version {old.version} ({old.date.isoformat()}) → "
             f"version {new.version} ({new.date.isoformat()})"]
    width = max((len(c.kind) for c in comparison.changes), default=0)
    names = {t.id: t.name for t in comparison.old.tables}
    names.update({t.id: t.name for t in comparison.new.tables})
    for change in comparison.changes:
        where = f"{short_name(names[change.table])} " if change.table else ""
        lines.append(f"  {change.kind:<{width}}  {where}{change.label}  [{change.path}]")
    lines.append(summary_line(comparison))
    return lines
