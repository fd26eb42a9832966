"""Design-level comparison: two checked designs -> the list of changes between them.

Participants, tables, agenda items, territories and CBMs are matched by id;
clauses by their ``id`` where both versions give one, then by text similarity
within their agenda item, then (moved) by id or identical text anywhere in the
design. Paths name items by ids, or by 1-based position in the NEW version (the
OLD one for what was removed), as the contract says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .matching import Moves, longest_increasing, match_clauses, match_items

ADDED, REMOVED, CHANGED, STATUS, MOVED = "added", "removed", "changed", "status-changed", "moved"
KINDS = (ADDED, REMOVED, CHANGED, STATUS, MOVED)
# Clause fields whose change makes the clause "changed" (status has its own kind).
CLAUSE_FIELDS = ("text", "options", "note", "proposed_by")
_SECTIONS = (("participants", "participant"), ("territories", "territory"),
             ("confidence_building_measures", "confidence-building measure"))
# The version and date always differ between versions: they head the report instead.
_PROCESS_SKIP = ("version", "date")


@dataclass
class Change:
    kind: str
    path: str
    old: object = None
    new: object = None
    table: str = ""  # the table id the change belongs to ("" for the design as a whole)
    label: str = ""  # plain language, e.g. "1.3 Türkiye's proposal, bracketed → agreed"

    def as_json(self) -> dict:
        return {"kind": self.kind, "path": self.path, "old": self.old, "new": self.new}


@dataclass
class Comparison:
    old: object  # Design
    new: object
    changes: list[Change] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for c in self.changes if c.kind == kind) for kind in KINDS}


def compare(old, new) -> Comparison:
    """Every change from design ``old`` to design ``new``, in reading order of NEW."""
    out = Comparison(old, new)
    add = out.changes.append
    _process(old, new, add)
    for section, noun in _SECTIONS:
        _records(getattr(old, section), getattr(new, section), section, noun, add, old, new)
    _linkages(old, new, add)
    _buffer_zone(old, new, add)
    _tables(old, new, add)
    return out


# ------------------------------------------------------------------ values


def plain(value):
    """A spec value as JSON data: dates as ISO strings, records as mappings."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if hasattr(value, "spec_fields"):
        return {name: plain(getattr(value, name)) for name in value.spec_fields
                if getattr(value, name) not in (None, [], "")}
    return value


def _fields(record, skip=()) -> dict:
    return {name: plain(getattr(record, name)) for name in record.spec_fields if name not in skip}


def _field_changes(old, new, skip=()) -> tuple[dict, dict]:
    a, b = _fields(old, skip), _fields(new, skip)
    names = [n for n in a if a[n] != b.get(n)]
    return {n: a[n] for n in names}, {n: b[n] for n in names}


# ------------------------------------------------------------- sections


def _process(old, new, add) -> None:
    before, after = _field_changes(old.process, new.process, _PROCESS_SKIP)
    for name in before:
        add(Change(CHANGED, f"process.{name}", before[name], after[name],
                   label=f"process {name.replace('_', ' ')}: {_short(before[name])} → {_short(after[name])}"))


def _records(old_list, new_list, section, noun, add, old, new, skip=()) -> None:
    olds = {r.id: r for r in old_list or []}
    news = {r.id: r for r in new_list or []}
    for rid, record in news.items():
        name = _name_of(record)
        if rid not in olds:
            add(Change(ADDED, f"{section}.{rid}", None, plain(record), label=f"{noun} {name} added"))
            continue
        before, after = _field_changes(olds[rid], record, skip)
        if before:
            add(Change(CHANGED, f"{section}.{rid}", before, after,
                       label=f"{noun} {name}: {fields_text(before, after, new)}"))
    for rid, record in olds.items():
        if rid not in news:
            add(Change(REMOVED, f"{section}.{rid}", plain(record), None,
                       label=f"{noun} {_name_of(record)} removed"))


def _linkages(old, new, add) -> None:
    def key(index, link):
        return link.id or str(index)

    olds = {key(i, l): l for i, l in enumerate(old.linkages or [], 1)}
    news = {key(i, l): l for i, l in enumerate(new.linkages or [], 1)}
    for k, link in news.items():
        if k not in olds:
            add(Change(ADDED, f"linkages.{k}", None, plain(link), label=f"linkage {k} added"))
        else:
            before, after = _field_changes(olds[k], link)
            if before:
                add(Change(CHANGED, f"linkages.{k}", before, after, label=f"linkage {k} changed"))
    for k, link in olds.items():
        if k not in news:
            add(Change(REMOVED, f"linkages.{k}", plain(link), None, label=f"linkage {k} removed"))


def _buffer_zone(old, new, add) -> None:
    a, b = old.buffer_zone, new.buffer_zone
    if a is None and b is None:
        return
    if a is None or b is None:
        kind = ADDED if a is None else REMOVED
        add(Change(kind, "buffer_zone", plain(a), plain(b), label=f"buffer zone {kind}"))
        return
    before, after = _field_changes(a, b)
    if before:
        add(Change(CHANGED, "buffer_zone", before, after,
                   label="buffer zone: " + ", ".join(k.replace("_", " ") for k in before) + " changed"))


def _tables(old, new, add) -> None:
    olds = {t.id: t for t in old.tables}
    news = {t.id: t for t in new.tables}
    moves = Moves(old, new)
    for tid, table in news.items():
        path = f"tables.{tid}"
        if tid not in olds:
            add(Change(ADDED, path, None, plain(table), tid, f"table {table.name} added"))
            continue
        before, after = _field_changes(olds[tid], table, ("agenda",))
        if before:
            add(Change(CHANGED, path, before, after, tid, fields_text(before, after, new)))
        _agenda(olds[tid], table, path, add, moves, old, new)
    for tid, table in olds.items():
        if tid not in news:
            add(Change(REMOVED, f"tables.{tid}", plain(table), None, tid, f"table {table.name} removed"))


def _agenda(old_table, new_table, path, add, moves, old, new) -> None:
    pairs, added, removed = match_items(old_table.agenda, new_table.agenda)
    for j, item in enumerate(new_table.agenda):
        ipath = f"{path}.agenda.{item_key(item, j)}"
        i = next((i for i, jj in pairs if jj == j), None)
        if i is None:
            add(Change(ADDED, ipath, None, plain(item), new_table.id, f"{j + 1} {item.title}: item added"))
            _moved_in(item, j, ipath, new_table.id, add, moves, old, new)
            continue
        before, after = _field_changes(old_table.agenda[i], item, ("terms",))
        if before:
            add(Change(CHANGED, ipath, before, after, new_table.id,
                       f"{j + 1} {item.title}: " + ", ".join(before) + " changed"))
        _clauses(old_table, i, new_table, j, ipath, add, moves, old, new)
    for i in removed:
        item = old_table.agenda[i]
        add(Change(REMOVED, f"{path}.agenda.{item_key(item, i)}", plain(item), None, new_table.id,
                   f"{i + 1} {item.title}: item removed"))


def item_key(item, index: int) -> str:
    return item.id or str(index + 1)


def clause_key(clause, index: int) -> str:
    return clause.id or str(index + 1)


# ---------------------------------------------------------------- clauses


def _clauses(old_table, i, new_table, j, ipath, add, moves, old, new) -> None:
    old_terms, new_terms = old_table.agenda[i].terms, new_table.agenda[j].terms
    pairs, added, removed = match_clauses(old_terms, new_terms)
    # A clause that changed its place among its item's clauses (not just its number) moved:
    # those outside the longest run that kept their order.
    kept = longest_increasing([b for _, b in pairs], [a for a, _ in pairs])
    tid = new_table.id
    for a, b in pairs:
        clause, before = new_terms[b], old_terms[a]
        path = f"{ipath}.terms.{clause_key(clause, b)}"
        number, old_number = f"{j + 1}.{b + 1}", f"{i + 1}.{a + 1}"
        if (a, b) not in kept:
            add(Change(MOVED, path, f"{_item_path(old, old_table.id, i)}.terms.{clause_key(before, a)}", path,
                       tid, f"{number} {describe(clause, new)} moved from {old_number}"))
        _clause_change(before, clause, path, number, tid, add, new)
    for b in added:
        clause = new_terms[b]
        path = f"{ipath}.terms.{clause_key(clause, b)}"
        number = f"{j + 1}.{b + 1}"
        source = moves.moved_to(tid, j, b)
        if source is not None:
            otid, k, c = source
            before = old.table(otid).agenda[k].terms[c]
            add(Change(MOVED, path, f"{_item_path(old, otid, k)}.terms.{clause_key(before, c)}", path, tid,
                       f"{number} {describe(clause, new)} moved from {_where(old, new, otid, k, c, tid)}"))
            _clause_change(before, clause, path, number, tid, add, new)
            continue
        add(Change(ADDED, path, None, plain(clause), tid, f"{number} added{_proposed(clause, new)}"))
    for a in removed:
        if moves.moved_from(old_table.id, i, a) is not None:
            continue  # reported where it went
        clause = old_terms[a]
        path = f"{_item_path(old, old_table.id, i)}.terms.{clause_key(clause, a)}"
        add(Change(REMOVED, path, plain(clause), None, tid,
                   f"{i + 1}.{a + 1} removed ({describe(clause, old)}, {clause.status})"))


def _moved_in(item, j, ipath, tid, add, moves, old, new) -> None:
    """The clauses of an added item that came from elsewhere (the rest are part of the item)."""
    for b, clause in enumerate(item.terms):
        source = moves.moved_to(tid, j, b)
        if source is None:
            continue
        otid, k, c = source
        before = old.table(otid).agenda[k].terms[c]
        path = f"{ipath}.terms.{clause_key(clause, b)}"
        number = f"{j + 1}.{b + 1}"
        add(Change(MOVED, path, f"{_item_path(old, otid, k)}.terms.{clause_key(before, c)}", path, tid,
                   f"{number} {describe(clause, new)} moved from {_where(old, new, otid, k, c, tid)}"))
        _clause_change(before, clause, path, number, tid, add, new)


def _clause_change(before, clause, path, number, tid, add, new) -> None:
    if before.status != clause.status:
        who = f"{new.name_of(clause.proposed_by)}'s proposal, " if clause.proposed_by else ""
        add(Change(STATUS, path, before.status, clause.status, tid,
                   f"{number} {who}{before.status} → {clause.status}"))
    a = {k: plain(getattr(before, k)) for k in CLAUSE_FIELDS}
    b = {k: plain(getattr(clause, k)) for k in CLAUSE_FIELDS}
    names = [k for k in CLAUSE_FIELDS if a[k] != b[k]]
    if names:
        what = "; ".join(_clause_field(n, a[n], b[n], new) for n in names)
        add(Change(CHANGED, path, {k: a[k] for k in names}, {k: b[k] for k in names}, tid,
                   f"{number} {describe(clause, new)}: {what}"))


def _clause_field(name: str, before, after, design) -> str:
    if name == "text":
        return "text " + word_changes(before, after)
    if name == "options":
        return f"options {_list_change(before or [], after or [])}"
    if name == "proposed_by":
        return (f"proposer {design.name_of(before) if before else 'none'} → "
                f"{design.name_of(after) if after else 'none'}")
    return f"{name} {'added' if not before else 'removed' if not after else 'changed'}"


def word_changes(before: str, after: str, limit: int = 3) -> str:
    """'+“and civilian detainees”, −“all”': the words added and dropped, the first few."""
    a, b = (before or "").split(), (after or "").split()
    parts = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            parts.append(f"−“{_short(' '.join(a[i1:i2]), 40)}”")
        if tag in ("insert", "replace"):
            parts.append(f"+“{_short(' '.join(b[j1:j2]), 40)}”")
    more = f" and {len(parts) - limit} more" if len(parts) > limit else ""
    return ", ".join(parts[:limit]) + more if parts else "reformatted"


def _list_change(before: list, after: list) -> str:
    dropped = [x for x in before if x not in after]
    added = [x for x in after if x not in before]
    parts = [f"−“{_short(x, 40)}”" for x in dropped] + [f"+“{_short(x, 40)}”" for x in added]
    return ", ".join(parts) if parts else "reordered"


def _item_path(design, tid, index) -> str:
    item = design.table(tid).agenda[index]
    return f"tables.{tid}.agenda.{item_key(item, index)}"


def _where(old, new, otid, k, c, tid) -> str:
    number = f"{k + 1}.{c + 1}"
    if otid == tid:
        return number
    return f"{number} of {old.table(otid).name}"


def describe(clause, design) -> str:
    """"Ukraine's proposal", "the agreed text": who the clause belongs to, for a drafter."""
    if clause.proposed_by:
        return f"{design.name_of(clause.proposed_by)}'s proposal"
    return f"{clause.status} text"


def _proposed(clause, design) -> str:
    return f", proposed by {design.name_of(clause.proposed_by)}" if clause.proposed_by else ""


_REFERENCE_LISTS = ("parties", "facilitators", "observers", "administered_by")


def fields_text(before: dict, after: dict, design) -> str:
    """"observers +România (Romania); opens 2027-01-15 → 2027-02-01"."""
    parts = []
    for name in before:
        label = name.replace("_", " ")
        a, b = before[name], after[name]
        if name in _REFERENCE_LISTS and isinstance(a, list) and isinstance(b, list):
            change = ", ".join([f"+{design.name_of(x)}" for x in b if x not in a]
                               + [f"−{x}" for x in a if x not in b]) or "reordered"
            parts.append(f"{label} {change}")
        else:
            parts.append(f"{label} {_short(a)} → {_short(b)}")
    return "; ".join(parts)


def _name_of(record) -> str:
    return getattr(record, "name", None) or getattr(record, "title", None) or record.id


def _short(value, limit: int = 60) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else ("—" if value is None else str(value))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
