"""The typed design: what a spec means, once its YAML has been checked.

Each record class declares fields that carry their spec type
(:func:`spec_field`). That one declaration drives validation with positions
(S002-S004), the JSON Schema printed by ``kit schema``, and the objects the rules
and the renderer read. Every record also remembers where it stood in the file:
``span`` (its first key) and ``spans`` (each key's value).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from ..diagnostics import Span
from ..documents import DOCUMENTS, KINDS
from .records import Obj, SpecField, Version, spec_field
from .types import LANGUAGE_PATTERN, Bool, Date, Enum, Id, Int, ListOf, OneOf, Ref, Str

TOPICS = (
    "territory", "security", "economy", "sanctions", "energy", "humanitarian",
    "accountability", "reconstruction", "arms-control", "cyber", "osce-reform",
    "strategic-stability",
)
STATUSES = ("draft", "for-consultation", "agreed-ad-referendum", "final")
DEFAULT_MARKING = "DRAFT — FOR DISCUSSION ONLY"
UNTIL_COMPLETION = "completion-of-negotiations"
# Sections that become table rows, and tables that each become a term sheet: the PDF lays
# out a long table in time that grows with the square of its rows, so these bound a render.
MAX_ENTRIES = 1_000
MAX_TABLES = 100
# Each language is a version of every document: the European Union works in 24.
MAX_LANGUAGES = 24


class Record:
    """A mapping of the spec: its declared fields, and where it stood in the file.

    ``span`` is its first key, ``spans`` each key's value, ``key_spans`` each key,
    ``item_spans`` each list entry. A subclass declares its fields with
    :func:`spec_field`. Unlike a dataclass, building the class runs no generated
    code: fourteen dataclasses cost ``kit check`` about 6 ms of start-up.
    """

    spec_fields: ClassVar[dict[str, SpecField]] = {}

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        own = {name: value for name, value in vars(cls).items() if isinstance(value, SpecField)}
        cls.spec_fields = {**cls.spec_fields, **own}

    def __init__(self, **values) -> None:
        for name in values.keys() - self.spec_fields.keys():
            raise TypeError(f"{type(self).__name__} has no field '{name}'")
        for name, spec in self.spec_fields.items():
            if name in values:
                setattr(self, name, values[name])
            elif spec.required:
                raise TypeError(f"{type(self).__name__} needs '{name}'")
            else:
                setattr(self, name, spec.initial())
        self.span = Span()
        self.spans: dict[str, Span] = {}
        self.key_spans: dict[str, Span] = {}
        self.item_spans: dict[str, list[Span]] = {}

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.spec_fields)
        return f"{type(self).__name__}({values})"

    def at(self, key: str) -> Span:
        """The position of ``key``'s value, or of the record when it is absent."""
        return self.spans.get(key, self.span)

    def item_at(self, key: str, index: int) -> Span:
        """The position of entry ``index`` of the list under ``key``."""
        items = self.item_spans.get(key, [])
        return items[index] if index < len(items) else self.at(key)

    def key_at(self, key: str) -> Span:
        """The position of ``key`` itself (a section's heading line)."""
        return self.key_spans.get(key, self.span)


_LANGUAGE_TAG = Str(pattern=LANGUAGE_PATTERN, pattern_help="write a language tag such as en, uk or fr-CH")


class Process(Record):
    """The ``process`` section: title, date, status and the furniture every page prints."""

    title: str = spec_field(Str(), required=True, doc="the design's title")
    short_title: str | None = spec_field(Str(), doc="used in file names; default: the title")
    reference: str | None = spec_field(Str(), doc="document reference, e.g. TS-2026-014")
    version: str = spec_field(Str(), default="0.1", doc="draft version, printed on every page")
    date: dt.date = spec_field(Date(), required=True, doc="date of the draft")
    status: str = spec_field(Enum(*STATUSES), default="draft")
    marking: str | None = spec_field(
        Str(), doc=f"header marking and watermark (no watermark when final); default: {DEFAULT_MARKING}, "
                   "none when status is final")
    prepared_by: str | None = spec_field(Str(), doc="drafting office")
    language: str = spec_field(_LANGUAGE_TAG, default="en", doc="BCP-47 language tag of plain text fields")
    languages: list = spec_field(ListOf(_LANGUAGE_TAG, min_items=1, max_items=MAX_LANGUAGES), default=[],
                                 doc="the language versions to render; plain text is in the first")
    authentic: list = spec_field(ListOf(_LANGUAGE_TAG, min_items=1), default=[],
                                 doc="the equally authentic texts; default: all of languages")
    summary: str | None = spec_field(Str(markdown=True), doc="opening paragraph of the brief (Markdown)")
    principles: list = spec_field(ListOf(Str(markdown=True)), default=[],
                                  doc="guiding principles, printed in every term sheet")

    @property
    def file_title(self) -> str:
        return self.short_title or self.title

    @property
    def marking_text(self) -> str:
        """The marking to print: the spec's, else the default; a final text has no default."""
        if self.marking is not None:
            return self.marking
        return "" if self.status == "final" else DEFAULT_MARKING


class Participant(Record):
    """One entry of ``participants``: a state or organisation and its role."""

    id: str = spec_field(Id(), required=True)
    name: str = spec_field(Str(), required=True, doc="any script")
    kind: str = spec_field(Enum("state", "union", "alliance", "organization", "other"), required=True)
    role: str = spec_field(
        Enum("belligerent", "mediator", "guarantor", "observer", "third-party", "participant"),
        default="participant")
    neighbour: bool = spec_field(Bool(), default=False, doc="a regional neighbour of the belligerents")
    represented_by: str | None = spec_field(Str(), doc="delegation head or office")

    @property
    def is_belligerent(self) -> bool:
        return self.role == "belligerent"


class Clause(Record):
    """A provision of a table's agenda item: its text, and options when it is not agreed."""

    text: str = spec_field(Str(markdown=True), required=True)
    status: str = spec_field(Enum("agreed", "proposed", "bracketed"), default="proposed")
    proposed_by: str | None = spec_field(Ref("participants"))
    options: list = spec_field(ListOf(Str(markdown=True)), default=[],
                               doc="alternative texts, rendered as bracketed options")
    note: str | None = spec_field(Str(markdown=True), doc="drafter's note (footnote or comment)")
    id: str | None = spec_field(Id(), doc="1.1: unique within its agenda item; lets kit diff follow "
                                "the clause from version to version")


class AgendaItem(Record):
    """One item on a table's agenda."""

    id: str | None = spec_field(Id())
    title: str = spec_field(Str(), required=True)
    topics: list = spec_field(ListOf(Str(translatable=False)), default=[], doc="free tags; known: " + ", ".join(TOPICS))
    terms: list = spec_field(ListOf(Obj(Clause)), default=[])


class Table(Record):
    """One negotiating table: who sits at it, what it discusses, how it is mediated."""

    id: str = spec_field(Id(), required=True)
    name: str = spec_field(Str(), required=True)
    level: str = spec_field(Enum("bilateral", "regional", "strategic", "other"), required=True)
    parties: list = spec_field(ListOf(Ref("participants"), min_items=2), required=True)
    facilitators: list = spec_field(ListOf(Ref("participants")), default=[])
    observers: list = spec_field(ListOf(Ref("participants")), default=[])
    opens: dt.date | None = spec_field(Date(), doc="planned opening")
    starts_after: list = spec_field(ListOf(Ref("tables")), default=[],
                                    doc="this table opens only once those tables conclude")
    agenda: list = spec_field(ListOf(Obj(AgendaItem)), default=[])

    def seats(self) -> dict[str, str]:
        """participant id -> capacity (party, facilitator or observer)."""
        out: dict[str, str] = {}
        for capacity, ids in (("observer", self.observers), ("facilitator", self.facilitators),
                              ("party", self.parties)):
            for pid in ids or []:
                out[pid] = capacity
        return out

    def clauses(self):
        for item in self.agenda:
            yield from item.terms


class Linkage(Record):
    """A dependency between tables: what one must settle before, or with, another."""

    id: str | None = spec_field(Id())
    tables: list = spec_field(ListOf(Ref("tables"), min_items=2), required=True)
    kind: str = spec_field(Enum("interlocking", "conditional", "sequential"), required=True)
    text: str | None = spec_field(Str(markdown=True), doc="the linkage clause")


class Territory(Record):
    """An area whose status is at stake, and what the design says about that status."""

    id: str = spec_field(Id(), required=True)
    name: str = spec_field(Str(), required=True)
    status: str = spec_field(
        Enum("undetermined", "returned", "annexed", "ceded", "disputed"), required=True)
    description: str | None = spec_field(Str(markdown=True))
    held_by: str | None = spec_field(Ref("participants"), doc="de facto control")
    claimed_by: str | None = spec_field(Ref("participants"))


class Peacekeeping(Record):
    """The mission deployed in the buffer zone."""

    name: str | None = spec_field(Str())
    mandated_by: str | None = spec_field(Ref("participants"))
    contributors: list = spec_field(ListOf(Str()), default=[], doc="free text, not ids")
    strength: int | None = spec_field(Int(minimum=1))
    tasks: list = spec_field(ListOf(Str(markdown=True)), default=[])


class WithdrawalPhase(Record):
    """One step of the withdrawal schedule inside the buffer zone."""

    phase: str = spec_field(Str(), required=True, doc="a name or number")
    text: str = spec_field(Str(markdown=True), required=True)


class BufferZone(Record):
    """The ``buffer_zone`` section: what it covers, who runs it, its peacekeepers."""

    covers: list = spec_field(ListOf(Ref("territories")), required=True)
    administered_by: list = spec_field(ListOf(Ref("participants"), min_items=1), required=True)
    status_clause: str | None = spec_field(Str(markdown=True))
    until: object = spec_field(OneOf(Enum(UNTIL_COMPLETION), Date()), default=UNTIL_COMPLETION)
    peacekeeping: Peacekeeping | None = spec_field(Obj(Peacekeeping))
    withdrawal: list = spec_field(ListOf(Obj(WithdrawalPhase), max_items=MAX_ENTRIES), default=[])


class ConfidenceBuildingMeasure(Record):
    """One confidence-building measure and the tables it supports."""

    id: str = spec_field(Id(), required=True)
    title: str = spec_field(Str(), required=True)
    category: str | None = spec_field(Enum(
        "military", "humanitarian", "economic", "political", "information", "nuclear-safety",
        "other"))
    parties: list = spec_field(ListOf(Ref("participants")), default=[])
    table: str | None = spec_field(Ref("tables"))
    timing: str | None = spec_field(Str())
    verification: str | None = spec_field(Str(), doc="free text: who verifies and how")
    description: str | None = spec_field(Str(markdown=True))


class Checks(Record):
    """The ``checks`` section: rule codes the drafters knowingly waive."""

    ignore: list = spec_field(ListOf(Str(translatable=False)), default=[], doc="E/W codes knowingly waived")


class Design(Record):
    """A whole spec."""

    kit: int = spec_field(Version(), required=True, doc="format version; must be 1")
    process: Process = spec_field(Obj(Process), required=True)
    participants: list = spec_field(ListOf(Obj(Participant), max_items=MAX_ENTRIES), required=True)
    tables: list = spec_field(ListOf(Obj(Table), max_items=MAX_TABLES), required=True)
    linkages: list = spec_field(ListOf(Obj(Linkage), max_items=MAX_ENTRIES), default=[])
    territories: list = spec_field(ListOf(Obj(Territory), max_items=MAX_ENTRIES), default=[])
    buffer_zone: BufferZone | None = spec_field(Obj(BufferZone))
    confidence_building_measures: list = spec_field(ListOf(Obj(ConfidenceBuildingMeasure), max_items=MAX_ENTRIES),
                                                    default=[])
    documents: list | None = spec_field(ListOf(Enum(*DOCUMENTS)), doc="default: all that apply")
    checks: Checks | None = spec_field(Obj(Checks))

    # --- lookups the rules and the renderer share -------------------------------
    def participant(self, pid: str) -> Participant | None:
        return next((p for p in self.participants if p.id == pid), None)

    def table(self, tid: str) -> Table | None:
        return next((t for t in self.tables if t.id == tid), None)

    def name_of(self, pid: str) -> str:
        p = self.participant(pid)
        return p.name if p else pid

    @property
    def belligerents(self) -> list[Participant]:
        return [p for p in self.participants if p.is_belligerent]

    @property
    def waived(self) -> list[str]:
        return list(self.checks.ignore) if self.checks else []

    def documents_to_render(self) -> list[str]:
        """The documents named in ``documents``, or all whose section is present."""
        if self.documents is not None:
            return list(dict.fromkeys(self.documents))
        return [kind.name for kind in KINDS
                if not kind.section or getattr(self, kind.section) not in (None, [])]


DESIGN = Obj(Design)
