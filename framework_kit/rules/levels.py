"""Which tables carry which level of essential 1 (E101-E103).

The rules E101-E105 and W102 and the brief's process description all ask the
same question: does this table seat the actors its level needs? The answer
lives here once. Everything works on roles and kinds, never on names.
"""

from __future__ import annotations

from ..diagnostics import Span
from ..spec.model import Design, Table
from ..text import plain_list

LEVELS = ("bilateral", "regional", "strategic")
LEVEL_RULES = {"bilateral": "E101", "regional": "E102", "strategic": "E103"}


def quoted(ids) -> str:
    """'a', 'b' and 'c': ids as a user reads them in a message."""
    return plain_list(f"'{i}'" for i in ids)


def section_at(design: Design, *sections: str) -> Span:
    """The heading line of the first of ``sections`` present in the spec."""
    for section in sections:
        if section in design.key_spans:
            return design.key_at(section)
    return design.span


def belligerent_ids(design: Design) -> list[str]:
    """Ids of every participant with ``role: belligerent``, in declaration order."""
    return [p.id for p in design.belligerents]


def holding_belligerents(design: Design) -> list[str]:
    """Belligerents that a territory's ``held_by`` names (those holding contested ground)."""
    belligerents = set(belligerent_ids(design))
    held = [t.held_by for t in design.territories if t.held_by in belligerents]
    return list(dict.fromkeys(held))


def _kind(design: Design, pid: str) -> str | None:
    participant = design.participant(pid)
    return participant.kind if participant else None


def shortfalls(design: Design, table: Table, level: str) -> list[str]:
    """What a table of ``level`` lacks to qualify for it, in plain words; empty when it qualifies.

    Each phrase reads after "the table has", e.g. "no party of kind union".
    """
    missing: list[str] = []
    parties = list(table.parties or [])
    belligerents = belligerent_ids(design)
    if level in ("bilateral", "regional"):
        absent = [b for b in belligerents if b not in parties]
        if absent:
            missing.append(f"the belligerent{'s' if len(absent) > 1 else ''} {quoted(absent)} "
                           "not among its parties")
    if level == "regional" and not any(_kind(design, p) == "union" for p in parties):
        missing.append("no party of kind union")
    if level == "strategic":
        holders = holding_belligerents(design)
        if holders:
            if not any(p in holders for p in parties):
                missing.append(f"no party that holds contested territory ({quoted(holders)})")
        elif not any(p in belligerents for p in parties):
            missing.append("no belligerent among its parties")
        if not any(_kind(design, p) == "alliance" for p in parties):
            missing.append("no party of kind alliance")
        if not any(_kind(design, p) == "state" and p not in belligerents for p in parties):
            missing.append("no party that is a state and not a belligerent")
    return missing


def level_of(design: Design, table: Table) -> str | None:
    """The level ``table`` qualifies for (bilateral, regional, strategic), or None."""
    if table.level in LEVELS and not shortfalls(design, table, table.level):
        return table.level
    return None


def qualifying_tables(design: Design) -> dict[str, list[Table]]:
    """level -> the tables that qualify for it (E101, E102, E103), in spec order."""
    out: dict[str, list[Table]] = {level: [] for level in LEVELS}
    for table in design.tables:
        level = level_of(design, table)
        if level is not None:
            out[level].append(table)
    return out
