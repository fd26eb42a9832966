"""The view model: a checked design as plain data for the templates.

Templates run in a sandbox and see only dicts, lists, strings, numbers and
booleans built here, never model objects. Everything a drafter would otherwise
compute in a template (clause numbers, option letters, who proposed what, the
status of each essential) is settled here once, so a customised template only
has to arrange and word it. ``templates/README.md`` documents every key.
"""

from __future__ import annotations

import datetime as dt
import re
import string

from ..spec.model import DEFAULT_MARKING, UNTIL_COMPLETION
from ..text import plain_list
from .furniture import CURRENT, gettext as _

# The English words are message ids: the furniture of the version translates them.
STATUS_TEXT = {"draft": "Draft", "for-consultation": "For consultation",
               "agreed-ad-referendum": "Agreed ad referendum", "final": "Final"}
MATRIX_MAX_TABLES = 6
# The brief fits two A4 pages by design up to these sizes (tests/designs holds such designs).
BRIEF_MAX_PARTICIPANTS = 20
BRIEF_MAX_MEASURES = 12
_SHORT_HEADER = 12  # characters: a table name that short heads its own column
CAPACITY_TEXT = {"party": "Party", "facilitator": "Facilitator", "observer": "Observer"}
LEVEL_TEXT = {"bilateral": "Bilateral", "regional": "Regional", "strategic": "Strategic",
              "other": "Other"}
CATEGORY_TEXT = {"military": "Military", "humanitarian": "Humanitarian", "economic": "Economic",
                 "political": "Political", "information": "Information",
                 "nuclear-safety": "Nuclear safety", "other": "Other"}
TERRITORY_STATUS_TEXT = {"undetermined": "Undetermined", "returned": "Returned", "annexed": "Annexed",
                         "ceded": "Ceded", "disputed": "Disputed"}


def long_date(value: dt.date | None) -> str:
    """25 November 2026, in the form of the language of the version being built."""
    return CURRENT.get().date(value)


def _and_list(names: list[str]) -> str:
    return plain_list(names, _("and"), _(", "))


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def view_model(design, assessment) -> dict:
    """The context every document template receives (see templates/README.md).

    ``assessment`` is the rules' judgement of the design
    (:class:`framework_kit.rules.assessment.Assessment`), read, never recomputed.
    """
    process = design.process
    participants = {p.id: _participant(p) for p in design.participants}
    person = participants.get
    tables = [_table(design, t, person) for t in design.tables]
    by_id = {t["id"]: t for t in tables}
    linkages = [_linkage(link, by_id) for link in design.linkages]
    for table in tables:
        bound = [link for link in linkages if table["id"] in [t["id"] for t in link["tables"]]]
        table["linkages"] = bound
        table["linkage_number"] = str(len(table["agenda"]) + 1)
    essentials, waived = _essentials(design, assessment)
    return {
        "process": {
            "title": process.title, "short_title": process.file_title,
            "reference": process.reference or "", "version": process.version,
            "date": _iso(process.date), "date_text": long_date(process.date),
            "status": process.status, "status_text": _(STATUS_TEXT.get(process.status, process.status)),
            "marking": _marking(process), "final": process.status == "final",
            "prepared_by": process.prepared_by or "", "language": CURRENT.get().language,
            "summary": process.summary or "", "principles": list(process.principles or []),
            "languages": list(process.languages or []), "authentic": list(process.authentic or []),
            "authentic_clause": _authentic_clause(process),
        },
        "participants": list(participants.values()),
        "tables": tables,
        "linkages": linkages,
        "territories": [_territory(t, person) for t in design.territories],
        "buffer_zone": _buffer_zone(design, person),
        "measures": [_measure(m, person, by_id) for m in design.confidence_building_measures],
        "matrix": _matrix(design, tables),
        "brief": {"max_measures": BRIEF_MAX_MEASURES, "overflow": brief_overflow(design)},
        "essentials": essentials,
        "waived": waived,
        "text_state": _text_state(tables),
        "framework": {"citation": _citation()},
    }


def _marking(process) -> str:
    """The marking the spec gives, else the default one in the version's language."""
    marking = process.marking_text
    return _(marking) if marking == DEFAULT_MARKING and process.marking is None else marking


def _authentic_clause(process) -> str:
    """The final clause naming the equally authentic texts; "" for a text in one language."""
    authentic = list(process.authentic or [])
    if len(authentic) < 2:
        return ""
    words = CURRENT.get()
    return _("Done at {place} on {date}, in the {languages} languages, all texts being equally authentic.",
             place="…………………", date="…………………",
             languages=_and_list([words.language_name(tag) for tag in authentic]))


def _participant(p) -> dict:
    return {"id": p.id, "name": p.name, "kind": p.kind, "role": p.role,
            "neighbour": bool(p.neighbour), "represented_by": p.represented_by or ""}


def _names(ids, person) -> list[dict]:
    return [person(pid) or {"id": pid, "name": pid, "represented_by": ""} for pid in ids or []]


def _short_table_name(name: str) -> str:
    # "Table A: Bilateral Negotiations" -> "Table A", for narrow columns.
    head = name.split(":", 1)[0].strip()
    return head if ":" in name and 0 < len(head) <= 20 else name


def _table(design, table, person) -> dict:
    agenda = []
    counts = {"agreed": 0, "proposed": 0, "bracketed": 0}
    for section, item in enumerate(table.agenda or [], start=1):
        clauses = []
        for index, clause in enumerate(item.terms or [], start=1):
            counts[clause.status] = counts.get(clause.status, 0) + 1
            clauses.append(_clause(clause, f"{section}.{index}", person))
        agenda.append({"id": item.id or "", "number": str(section), "title": item.title,
                       "topics": list(item.topics or []), "clauses": clauses})
    return {
        "id": table.id, "name": table.name, "short_name": _short_table_name(table.name),
        "level": table.level, "level_text": _(LEVEL_TEXT.get(table.level, table.level)),
        "parties": _names(table.parties, person),
        "facilitators": _names(table.facilitators, person),
        "observers": _names(table.observers, person),
        "opens": _iso(table.opens), "opens_text": long_date(table.opens),
        "starts_after": [_short_table_name(t.name) for t in map(design.table, table.starts_after or [])
                         if t is not None],
        "agenda": agenda,
        "counts": dict(counts, total=sum(counts.values())),
    }


def _clause(clause, number: str, person) -> dict:
    proposer = person(clause.proposed_by) if clause.proposed_by else None
    if proposer and clause.status == "bracketed":
        attribution = _("Proposed by {name}; under discussion", name=proposer["name"])
    elif proposer and clause.status == "proposed":
        attribution = _("Proposed by {name}", name=proposer["name"])
    else:
        attribution = ""
    # The option letters in the language's own alphabet where its catalogue gives one (أ ب ج …).
    letters = _(string.ascii_uppercase) or string.ascii_uppercase
    options = [{"letter": letters[i] if i < len(letters) else str(i + 1), "text": text}
               for i, text in enumerate(clause.options or [])]
    return {"number": number, "text": clause.text, "status": clause.status,
            "proposed_by": proposer, "attribution": attribution, "options": options,
            "note": clause.note or ""}


_LINKAGE_TEXT = {
    "interlocking": "The negotiations at {all} are interlocking and interdependent.",
    # The first table listed is the condition; the others wait on it (the contract, 1.1).
    "conditional": "Agreement at {rest} is conditional on progress at {first}.",
    "sequential": "The negotiations at {all} proceed in sequence, in that order.",
}


_WAITS, _WAIT = ("Conditional linkage: {tables} waits on {first}", "Conditional linkage: {tables} wait on {first}")


def _linkage(link, by_id) -> dict:
    tables = [{"id": t["id"], "name": t["name"], "short_name": t["short_name"]}
              for t in (by_id.get(tid) for tid in link.tables or []) if t is not None]
    names = [t["short_name"] for t in tables]
    default = _(_LINKAGE_TEXT[link.kind], all=_and_list(names), first=names[0] if names else "",
                rest=_and_list(names[1:]))
    if link.kind == "conditional" and len(names) > 1:
        wording = _WAITS if len(names) == 2 else _WAIT
        summary = _(wording, tables=_and_list(names[1:]), first=names[0])
    elif link.kind == "sequential":
        summary = _("Sequential linkage: {tables}", tables=_(", then ").join(names))
    else:
        summary = _(link.kind.capitalize() + " linkage: {tables}", tables=_and_list(names))
    return {"id": link.id or "", "kind": link.kind, "tables": tables,
            "text": link.text or default, "table_names": _and_list(names), "summary": summary}


def _territory(territory, person) -> dict:
    held, claimed = person(territory.held_by), person(territory.claimed_by)
    return {"id": territory.id, "name": territory.name, "status": territory.status,
            "status_text": _(TERRITORY_STATUS_TEXT.get(territory.status, territory.status)), "description": territory.description or "",
            "held_by": held["name"] if held else "", "claimed_by": claimed["name"] if claimed else ""}


def _buffer_zone(design, person) -> dict | None:
    zone = design.buffer_zone
    if zone is None:
        return None
    covered = {t.id: t for t in design.territories}
    mission = zone.peacekeeping
    until_completion = zone.until == UNTIL_COMPLETION
    return {
        "covers": [_territory(covered[tid], person) for tid in zone.covers or [] if tid in covered],
        "administered_by": _names(zone.administered_by, person),
        "status_clause": zone.status_clause or "",
        "until_completion": until_completion,
        "until": "" if until_completion else _iso(zone.until),
        "until_text": (_("until the negotiations at all tables are complete") if until_completion
                       else _("until {date}", date=long_date(zone.until))),
        "peacekeeping": None if mission is None else {
            "name": mission.name or "",
            "mandated_by": (person(mission.mandated_by) or {}).get("name", "") if mission.mandated_by else "",
            "contributors": [named(c, person) for c in mission.contributors or []],
            "strength": mission.strength or 0,
            "strength_text": _("{number} personnel", number=CURRENT.get().number(mission.strength))
            if mission.strength else "",
            "tasks": list(mission.tasks or []),
        },
        "withdrawal": [{"number": str(i), "phase": str(p.phase), "text": p.text}
                       for i, p in enumerate(zone.withdrawal or [], start=1)],
    }


_LIST_SEPARATOR = re.compile(r"(\s*,\s*|\s*;\s*|\s+and\s+)")


def named(text: str, person) -> str:
    """A free-text field with each listed participant id replaced by the name.

    ``verification: icrc, iaea`` means the two declared participants: the reader
    must see their names. Only a whole list entry that is exactly an id is
    replaced; prose that happens to contain one ("the un-armed monitors") is not.
    """
    parts = _LIST_SEPARATOR.split(text)
    for index in range(0, len(parts), 2):
        found = person(parts[index].strip())
        if found:
            parts[index] = found["name"]
    return "".join(parts)


def _measure(measure, person, tables_by_id) -> dict:
    table = tables_by_id.get(measure.table) if measure.table else None
    category = measure.category or ""
    return {"id": measure.id, "title": measure.title, "category": category,
            "category_text": _(CATEGORY_TEXT.get(category, category)),
            "parties": _names(measure.parties, person),
            "table": table["short_name"] if table else "",
            "timing": measure.timing or "", "verification": named(measure.verification or "", person),
            "description": measure.description or ""}


def _matrix(design, tables: list[dict]) -> dict:
    # Participants x tables grows with the square of the design, and more columns than
    # MATRIX_MAX_TABLES do not fit a page.
    # Only participants who sit at a table get a row (a row of dashes says nothing); the
    # others are named in one line, and at most BRIEF_MAX_PARTICIPANTS rows are shown.
    # More tables than that: the first ones are shown and the brief says the rest are not.
    shown = design.tables[:MATRIX_MAX_TABLES]
    tables = tables[:MATRIX_MAX_TABLES]
    seats = [table.seats() for table in shown]
    seated = [p for p in design.participants if any(p.id in seat for seat in seats)]
    rows = [{"name": participant.name,
             "cells": [_(CAPACITY_TEXT[seat[participant.id]]) if participant.id in seat else ""
                       for seat in seats]}
            for participant in seated]
    headers = _column_headers(tables)
    # "Table A" names its table (the diagram gives the whole name); a level or "T3" needs the key.
    key = [{"label": label, "name": t["name"]} for label, t in zip(headers, tables) if label != t["short_name"]]
    return {"columns": [t["short_name"] for t in tables], "headers": headers, "key": key,
            "rows": rows[:BRIEF_MAX_PARTICIPANTS], "hidden": max(len(rows) - BRIEF_MAX_PARTICIPANTS, 0),
            "unseated": [p.name for p in design.participants if p not in seated],
            "hidden_tables": len(design.tables) - len(shown)}


def _column_headers(tables: list[dict]) -> list[str]:
    """Headers short enough for a narrow column: "Table A", else the level, else T1, T2 ..."""
    levels = [t["level"] for t in tables]
    headers = []
    for number, table in enumerate(tables, start=1):
        if table["short_name"] != table["name"] or len(table["name"]) <= _SHORT_HEADER:
            headers.append(table["short_name"])
        elif levels.count(table["level"]) == 1 and table["level"] != "other":
            headers.append(table["level_text"])
        else:
            headers.append(f"T{number}")
    return headers


def brief_overflow(design) -> list[str]:
    """What of ``design`` the brief cannot hold on its two pages (empty when it all fits).

    The brief is designed for up to BRIEF_MAX_PARTICIPANTS seated participants,
    MATRIX_MAX_TABLES tables and BRIEF_MAX_MEASURES CBMs; beyond that it shows
    the first ones and says where the rest is.
    """
    seated = {pid for table in design.tables for pid in table.seats()}
    out = []
    if len(design.tables) > MATRIX_MAX_TABLES:
        out.append(f"{len(design.tables)} tables (the brief's matrix holds {MATRIX_MAX_TABLES})")
    if len(seated) > BRIEF_MAX_PARTICIPANTS:
        out.append(f"{len(seated)} participants at the tables (the brief holds {BRIEF_MAX_PARTICIPANTS})")
    measures = len(design.confidence_building_measures)
    if measures > BRIEF_MAX_MEASURES:
        out.append(f"{measures} confidence-building measures (the brief lists {BRIEF_MAX_MEASURES})")
    return out


def _text_state(tables: list[dict]) -> dict:
    total = {"agreed": 0, "proposed": 0, "bracketed": 0, "total": 0}
    for table in tables:
        for key in total:
            total[key] += table["counts"][key]
    return {"tables": [{"name": t["short_name"], **t["counts"]} for t in tables], "total": total}


def _essentials(design, assessment) -> tuple[list[dict], list[dict]]:
    """The assessment's verdicts, worded for the brief (templates/README.md lists the keys)."""
    from ..framework import part

    names = {t.id: _short_table_name(t.name) for t in design.tables}
    essentials = []
    for verdict in assessment.verdicts:
        seed = part(verdict.part)
        essentials.append({
            "id": verdict.part, "number": str(seed.get("number") or ""), "title": _(seed["title"]),
            "summary": " ".join(str(seed.get("summary", "")).split()),
            "status": verdict.status, "codes": list(verdict.codes),
            "code_range": _code_range(list(verdict.codes)),
            "failing": [{"code": c, "summary": summary} for c, summary in verdict.failing],
            "waived": [{"code": c, "summary": summary} for c, summary in verdict.waived],
            "unchecked": [{"code": u.code, "summary": u.summary, "requires": list(u.requires)}
                          for u in verdict.unchecked],
            "levels": [{"level": level, "level_text": _(LEVEL_TEXT[level]),
                        "tables": [names[tid] for tid in ids]}
                       for level, ids in assessment.levels.items()] if verdict.part == "essential-1" else [],
        })
    waived = [{"code": rule.code, "summary": rule.summary, "findings": count}
              for rule, count in assessment.waived]
    return essentials, waived


def _code_range(codes: list[str]) -> str:
    if len(codes) > 2:
        return f"{codes[0]}–{codes[-1]}"
    return ", ".join(codes)


def _citation() -> str:
    from ..framework import citation

    return citation()
