"""Helpers for hostile-input tests: a spec with every text field filled, and reading outputs back.

The text fields are found from the model (``framework_kit.spec.model``), not listed by
hand, so a field added to the format is covered without anyone remembering to add it.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from framework_kit.spec.model import DESIGN
from framework_kit.spec.records import Obj
from framework_kit.spec.types import Id, ListOf, OneOf, Str
from framework_kit.api import starter_spec
STARTER = starter_spec()

# Values the schema restricts beyond "text": a code list and a language tag.
NOT_FREE_TEXT = {("Checks", "ignore"), ("Process", "language")}

# Fields the starter leaves out, so that a filled spec holds every text field of the model.
EXTRA_FIELDS = {
    "process": {"marking": "DRAFT", "reference": "TS-1"},
    "participant": {"represented_by": "The delegation"},
    "clause": {"options": ["Option one.", "Option two."], "note": "A drafter's note."},
    "territory": {"description": "The area."},
    "peacekeeping": {"name": "The mission", "contributors": ["A contributor"],
                     "tasks": ["Patrol the line."]},
    "withdrawal": [{"phase": "1", "text": "Heavy weapons withdraw."}],
    "cbm": {"timing": "D+30", "description": "Open a line."},
}


def full_design() -> dict:
    """The starter spec as a dict, with every optional text field of the model present."""
    design = yaml.safe_load(STARTER)
    design["process"].update(EXTRA_FIELDS["process"])
    for participant in design["participants"]:
        participant.update(EXTRA_FIELDS["participant"])
    for table in design["tables"]:
        for item in table["agenda"]:
            for clause in item.get("terms", []):
                clause.update(EXTRA_FIELDS["clause"])
    for territory in design["territories"]:
        territory.update(EXTRA_FIELDS["territory"])
    design["buffer_zone"]["peacekeeping"].update(EXTRA_FIELDS["peacekeeping"])
    design["buffer_zone"]["withdrawal"] = [dict(p) for p in EXTRA_FIELDS["withdrawal"]]
    for cbm in design["confidence_building_measures"]:
        cbm.update(EXTRA_FIELDS["cbm"])
        cbm["description"] = "Open a line."
    return design


def _text_type(type_) -> bool:
    return isinstance(type_, Str) and not isinstance(type_, Id) and type_.pattern is None


def text_fields(design: dict, record=DESIGN, where: str = "") -> list[tuple[str, object, object]]:
    """Every free-text value in ``design``: (path, container, key-or-index), guided by the model."""
    out = []
    for spec in record.fields():
        name, type_ = spec.name, spec.type
        if name not in design or (record.cls.__name__, name) in NOT_FREE_TEXT:
            continue
        path = f"{where}.{name}" if where else name
        value = design[name]
        if isinstance(type_, OneOf):
            continue  # only `until`: an enum or a date
        if _text_type(type_):
            out.append((path, design, name))
        elif isinstance(type_, Obj):
            out += text_fields(value, type_, path)
        elif isinstance(type_, ListOf):
            for index, item in enumerate(value):
                if _text_type(type_.item):
                    out.append((f"{path}[{index}]", value, index))
                elif isinstance(type_.item, Obj):
                    out += text_fields(item, type_.item, f"{path}[{index}]")
    return out


def model_text_fields(record=DESIGN, seen=None) -> set[tuple[str, str]]:
    """(record class, field) for every free-text field the model declares."""
    seen = set() if seen is None else seen
    out = set()
    for spec in record.fields():
        type_ = spec.type
        item = type_.item if isinstance(type_, ListOf) else type_
        if (record.cls.__name__, spec.name) in NOT_FREE_TEXT:
            continue
        if _text_type(item):
            out.add((record.cls.__name__, spec.name))
        elif isinstance(item, Obj) and item.cls not in seen:
            seen.add(item.cls)
            out |= model_text_fields(item, seen)
    return out


def covered_fields(design: dict, record=DESIGN) -> set[tuple[str, str]]:
    """(record class, field) of the text fields ``design`` fills."""
    out = set()
    for spec in record.fields():
        name, type_ = spec.name, spec.type
        if name not in design:
            continue
        item = type_.item if isinstance(type_, ListOf) else type_
        if _text_type(item) and (record.cls.__name__, name) not in NOT_FREE_TEXT:
            out.add((record.cls.__name__, name))
        elif isinstance(item, Obj):
            for value in design[name] if isinstance(type_, ListOf) else [design[name]]:
                out |= covered_fields(value, item)
    return out


def dump(design: dict) -> str:
    """YAML text of a design, every string quoted so that no scalar changes meaning."""
    return yaml.safe_dump(design, allow_unicode=True, sort_keys=False, width=10**9,
                          default_style=None)


# ---------------------------------------------------------------- reading outputs back


def pdf_text(path: Path) -> str:
    """The running text of a PDF as pypdf extracts it, without the furniture of pages 2 onwards.

    The header lines every page repeats and the "Page N of M" footer are dropped
    after page 1, so that a paragraph running across a page break reads as one.
    """
    from pypdf import PdfReader

    pages = [(page.extract_text() or "").splitlines() for page in PdfReader(path).pages]
    pages = [lines[:-1] if lines and re.fullmatch(r"Page \d+ of \d+", lines[-1]) else lines
             for lines in pages]
    header = 0
    while len(pages) > 1 and all(len(p) > header and p[header] == pages[0][header] for p in pages):
        header += 1
    return "\n".join("\n".join(lines if i == 0 else lines[header:]) for i, lines in enumerate(pages))


def docx_text(path: Path) -> str:
    """The text of a DOCX: body paragraphs, table cells, headers, footers and footnotes."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = [name for name in archive.namelist()
                 if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes|comments)\.xml", name)]
        xml = {name: archive.read(name).decode("utf-8") for name in parts}
    import docx

    document = docx.Document(path)
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    # Headers, footers and notes: python-docx has no reader for notes, so join their runs.
    for name, body in xml.items():
        if name != "word/document.xml":
            for paragraph in re.findall(r"<w:p[ >].*?</w:p>", body, flags=re.S):
                runs = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", paragraph)
                texts.append(_unescape("".join(runs)))
    return "\n".join(texts)


def _unescape(text: str) -> str:
    from xml.sax.saxutils import unescape

    return unescape(text, {"&quot;": '"', "&apos;": "'"})


def flat(text: str) -> str:
    """Whitespace collapsed, so that a line break in a PDF does not split a phrase."""
    return " ".join(text.split())
