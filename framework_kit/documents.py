"""The kinds of document a design yields, in one table that every stage reads.

The spec names them in ``documents`` (validated by :mod:`framework_kit.spec`),
the renderer picks each one's template, title and file key from here, and the
command line lists them in its help. Adding a document means adding a row here
and a template in ``templates/``. This module imports nothing of the project.
"""

from __future__ import annotations

from typing import NamedTuple


class DocumentKind(NamedTuple):
    """One kind of document, as the spec, the templates and the file names know it."""

    name: str  # as the spec's ``documents`` and ``--only`` name it: "term-sheets"
    section: str  # the spec section it renders; absent section, no document ("" = always)
    template: str  # its template in templates/
    kind: str  # the document tree's ``meta.document``, and the key of a single document
    title: str  # its title; {process} is the process title, {table} the table's name
    label: str  # how a list of files names it
    per_table: bool = False  # one document per negotiating table


KINDS: tuple[DocumentKind, ...] = (
    DocumentKind("brief", "", "brief.xml", "brief", "Brief — {process}", "Brief"),
    DocumentKind("term-sheets", "tables", "term-sheet.xml", "term-sheet", "Term Sheet — {table}",
                 "Term sheet", per_table=True),
    DocumentKind("buffer-zone-annex", "buffer_zone", "buffer-zone-annex.xml", "buffer-zone-annex",
                 "Annex A — Buffer Zone", "Buffer-zone annex"),
    DocumentKind("cbm-schedule", "confidence_building_measures", "cbm-schedule.xml", "cbm-schedule",
                 "Schedule of Confidence-Building Measures", "Schedule of CBMs"),
)
BY_NAME = {kind.name: kind for kind in KINDS}
DOCUMENTS = tuple(BY_NAME)


def document_key(kind: DocumentKind, table_id: str | None = None) -> str:
    """The key that names one document in file names and ``--only``: brief, term-sheet-<table-id> …"""
    return f"{kind.kind}-{table_id}" if kind.per_table else kind.kind


def documents_of(design) -> list[tuple[str, str, str]]:
    """``(name, key, title)`` of every document a checked design yields, in order, building none."""
    out = []
    for name in design.documents_to_render():
        kind = BY_NAME[name]
        tables = design.tables if kind.per_table else [None]
        out += [(name, document_key(kind, table.id if table else None),
                 kind.title.format(process=design.process.title, table=table.name if table else ""))
                for table in tables]
    return out


def kinds_and_keys(names: list[str]) -> tuple[list[str], list[str]]:
    """``names`` split into kinds and keys that name one table's document (``term-sheet-table-a``)."""
    keys = [name for name in names if any(kind.per_table and name.startswith(kind.kind + "-")
                                          and len(name) > len(kind.kind) + 1 for kind in KINDS)]
    return [name for name in names if name not in keys], keys


class RenderedFile(NamedTuple):
    """One rendered file, in memory."""

    document: str  # the kind's name: brief | term-sheets | buffer-zone-annex | cbm-schedule
    key: str  # brief | term-sheet-<table-id> | buffer-zone-annex | cbm-schedule
    title: str  # e.g. "Term Sheet — Table A: Bilateral Negotiations"
    filename: str  # safe file name, e.g. "ukraine-three-level-process_v0.3_brief.pdf"
    format: str  # pdf | docx
    data: bytes
    pages: int | None  # known where the writer lays out pages (PDF); None for DOCX
    language: str = ""  # the language version's tag; "" when the process has one language
