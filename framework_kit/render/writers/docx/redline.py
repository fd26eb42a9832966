"""Tracked changes in the DOCX writer: the Revision blocks and Inserted/Deleted inlines of a redline.

Each change is a real WordprocessingML revision (``w:ins``, ``w:del`` with
``w:delText``, ``w:moveFrom``/``w:moveTo`` between range markers, ``w:pPrChange``
where a clause's status changes its style), stamped with the redline's author
and date and a unique id. Element order follows the OOXML schema, which Word
enforces: a paragraph mark's revision is the first child of its ``w:rPr``, which
is the last property of ``w:pPr`` before ``w:pPrChange``.
"""

from __future__ import annotations

import copy

from lxml import etree

from ... import doctree as dt
from ..base import UnknownNode
from .ooxml import w

_MARKS = {"inserted": "ins", "deleted": "del", "moved-to": "moveTo", "moved-from": "moveFrom"}
_RANGES = {"moveTo": "moveToRange", "moveFrom": "moveFromRange"}
_CLAUSE_STYLES = {"agreed": "Clause Agreed", "bracketed": "Clause Bracketed", "proposed": "Clause"}
# Properties that follow w:rPr in a w:pPr (CT_PPr): a paragraph mark's w:rPr goes before them.
_AFTER_RPR = (w("sectPr"), w("pPrChange"))
_RUN_LEVEL = (w("r"),)
_NOON, _FIVE_PAST_NOON = "T12:00:00Z", "T12:05:00Z"


class Tracker:
    """The author, date and next id of every revision in one document."""

    def __init__(self, meta: dt.Meta):
        self.author = meta.revised_by or meta.author or "framework-kit"
        day = (meta.revised_on or meta.date or "").strip()[:10]
        # Noon UTC: Word shows a change's time in the reader's zone, and midnight would be
        # the day before anywhere west of Greenwich.
        self.date = f"{day}{_NOON}" if len(day) == 10 else ""
        self.next_id = 1

    def stamp(self, element: etree._Element, dated: bool = True) -> etree._Element:
        element.set(w("id"), str(self.next_id))
        self.next_id += 1
        if dated:
            element.set(w("author"), self.author)
            if self.date:
                element.set(w("date"), self.date)
        return element


def tracker(writer) -> Tracker:
    found = writer.__dict__.get("_tracker")
    if found is None:
        found = writer.__dict__["_tracker"] = Tracker(writer.document.meta)
        if hasattr(writer, "outline"):
            writer.outline.renumbered = lambda old, new: _renumbered(found, old, new)
    return found


def part_at_paragraph_marks(body: etree._Element) -> None:
    """Keep a change from reaching across a paragraph mark that did not change.

    LibreOffice joins two changes of one kind and author, stamped at most a minute apart,
    when the first ends a paragraph and the second begins the next one (words inserted at
    the end of a clause, then an inserted clause), and rejecting (or accepting) the joined
    change then takes the untouched paragraph mark between them with it: the clause runs
    on into the next heading. So the stamp's time alternates between 12:00 and 12:05 (the
    day stays the version's) at every paragraph mark that is not itself changed;
    paragraphs joined by changed marks (an inserted item) keep one time.
    """
    minute = 0
    for paragraph in body.iter(w("p")):
        if minute:
            for element in paragraph.iter(*_STAMPED):
                stamp = element.get(w("date"))
                if stamp and stamp.endswith(_NOON):
                    element.set(w("date"), stamp[:-len(_NOON)] + _FIVE_PAST_NOON)
        mark = paragraph.find(f"{w('pPr')}/{w('rPr')}")
        if mark is None or not any(child.tag in _STAMPED for child in mark):
            minute = 1 - minute


_STAMPED = tuple(w(tag) for tag in ("ins", "del", "moveFrom", "moveTo"))


def _renumbered(track: Tracker, old: str, new: str) -> list:
    """A number that Word cannot count in both versions, as text: the old deleted, the new inserted."""
    from .parts import text_run

    deleted, inserted = track.stamp(etree.Element(w("del"))), track.stamp(etree.Element(w("ins")))
    deleted.append(text_run(old))
    inserted.append(text_run(new))
    _deleted_text(deleted)
    return [deleted, inserted]


# ------------------------------------------------------------------ inlines


def inline(writer, paragraph: etree._Element, node, bold: bool, italic: bool, link: bool) -> None:
    """An Inserted or Deleted inline: its runs inside one ``w:ins`` or ``w:del``."""
    tag = "ins" if isinstance(node, dt.Inserted) else "del"
    wrapper = tracker(writer).stamp(etree.SubElement(paragraph, w(tag)))
    writer.inlines(wrapper, node.children, bold, italic, link)
    if not len(wrapper):
        paragraph.remove(wrapper)
    elif tag == "del":
        _deleted_text(wrapper)


def _deleted_text(element: etree._Element) -> None:
    for text in element.iter(w("t")):
        text.tag = w("delText")
    for code in element.iter(w("instrText")):
        code.tag = w("delInstrText")


# ------------------------------------------------------------------- blocks


def block(writer, revision: dt.Revision, depth: int) -> None:
    """Write the revised block, then mark what it wrote as the revision says."""
    body = writer.body
    start = len(body)
    mark = _MARKS.get(revision.kind)
    track = tracker(writer)
    outline = getattr(writer, "outline", None)
    if outline is None:
        writer.block(revision.block, depth)
    else:
        # An inserted block is numbered in the new version only, a deleted one in the old.
        # A clause whose status changed keeps its number as text: rejecting a paragraph's
        # change of properties, LibreOffice (7.4) restores its list but not its level.
        outline.reading = {"ins": "new", "moveTo": "new", "del": "old", "moveFrom": "old"}.get(mark, "both")
        outline.typed_only = bool(revision.old_status)
        try:
            writer.block(revision.block, depth)
        finally:
            outline.reading, outline.typed_only = "both", False
    made = list(body)[start:]
    if mark in _RANGES:
        # Word pairs the two ends of a move by name: name it by the clause's new number.
        new_number = revision.moved if mark == "moveFrom" else getattr(revision.block, "number", "")
        _move(made, mark, track, f"move{new_number or track.next_id}")
    elif mark:
        if mark == "ins" and len(made) > 1 and _is_separator(made[0]) and made[1].tag == w("tbl"):
            # The writer parts two adjacent tables with an empty paragraph; here the table
            # before is a deleted one, and once it is gone the separator must go too.
            paragraph_mark(made.pop(0), "del", track)
        _mark(made, mark, track)
    elif revision.kind == "changed":
        if revision.old_status and made:
            _style_change(writer, made[0], revision.old_status, track)
        if revision.attribution is not None:
            _attribution(writer, revision, made, track)
        if revision.rows:
            _rows(made, revision, track)
    else:
        raise UnknownNode("DOCX", revision, f"the revision kind '{revision.kind}'")


def _is_separator(element: etree._Element) -> bool:
    return element.tag == w("p") and element.find(f".//{w('r')}") is None


def _mark(elements: list, mark: str, track: Tracker) -> None:
    """Every run and paragraph mark of ``elements`` inserted, deleted or moved."""
    for element in elements:
        for paragraph in list(element.iter(w("p"))):
            _wrap_runs(paragraph, mark, track)
            in_cell = any(a.tag == w("tc") for a in paragraph.iterancestors())
            if not in_cell:  # a cell's paragraph goes with its row
                paragraph_mark(paragraph, mark, track)
        if mark in ("ins", "del"):
            for row in element.iter(w("tr")):
                _row_mark(row, mark, track)
        else:  # a table row cannot be marked moved: its rows are inserted/deleted
            for row in element.iter(w("tr")):
                _row_mark(row, "ins" if mark == "moveTo" else "del", track)


def _wrap_runs(container: etree._Element, mark: str, track: Tracker) -> None:
    """Consecutive runs of ``container`` (and of its hyperlinks) into one revision element."""
    group: etree._Element | None = None
    for child in list(container):
        if child.tag == w("hyperlink"):
            _wrap_runs(child, mark, track)
            group = None
        elif child.tag in _RUN_LEVEL:
            if group is None:
                group = track.stamp(etree.Element(w(mark)))
                child.addprevious(group)
            group.append(child)
        else:
            group = None
    if mark == "del":
        _deleted_text(container)


def paragraph_mark(paragraph: etree._Element, mark: str, track: Tracker) -> None:
    """Mark the paragraph's own mark (its end), so accepting or rejecting removes the paragraph."""
    properties = paragraph.find(w("pPr"))
    if properties is None:
        properties = etree.Element(w("pPr"))
        paragraph.insert(0, properties)
    run_properties = properties.find(w("rPr"))
    if run_properties is None:
        run_properties = etree.Element(w("rPr"))
        later = next((c for c in properties if c.tag in _AFTER_RPR), None)
        if later is not None:
            later.addprevious(run_properties)
        else:
            properties.append(run_properties)
    run_properties.insert(0, track.stamp(etree.Element(w(mark))))


def _row_mark(row: etree._Element, mark: str, track: Tracker) -> None:
    properties = row.find(w("trPr"))
    if properties is None:
        properties = etree.Element(w("trPr"))
        later = next((c for c in row if c.tag != w("tblPrEx")), None)
        later.addprevious(properties) if later is not None else row.append(properties)
    # CT_TrPr: the row's properties, then ins, del, trPrChange.
    change = properties.find(w("trPrChange"))
    node = track.stamp(etree.Element(w(mark)))
    change.addprevious(node) if change is not None else properties.append(node)


def _move(made: list, mark: str, track: Tracker, name: str) -> None:
    """A moved block between ``w:moveFromRangeStart``/``End`` (or moveTo) markers."""
    if not made:
        return
    begin = track.stamp(etree.Element(w(_RANGES[mark] + "Start")))
    begin.set(w("name"), name)
    made[0].addprevious(begin)
    _mark(made, mark, track)
    end = etree.Element(w(_RANGES[mark] + "End"))
    end.set(w("id"), begin.get(w("id")))
    made[-1].addnext(end)


def _style_change(writer, paragraph: etree._Element, old_status: str, track: Tracker) -> None:
    """A ``w:pPrChange`` holding the paragraph's properties with its old clause style."""
    if paragraph.tag != w("p"):
        return
    properties = paragraph.find(w("pPr"))
    old = copy.deepcopy(properties)
    for child in list(old):
        if child.tag in (w("rPr"), w("sectPr"), w("pPrChange")):
            old.remove(child)
    style = old.find(w("pStyle"))
    if style is not None:
        style.set(w("val"), writer.styles.get(_CLAUSE_STYLES[old_status]) or style.get(w("val")))
    change = track.stamp(etree.SubElement(properties, w("pPrChange")))
    change.append(old)


def _attribution(writer, revision: dt.Revision, made: list, track: Tracker) -> None:
    """The clause's attribution line ("Proposed by …"), its changed words tracked."""
    old_empty = all(isinstance(node, dt.Inserted) for node in revision.attribution)
    if revision.block.attribution:
        paragraph = made[-1]
        for child in list(paragraph):
            if child.tag != w("pPr"):
                paragraph.remove(child)
        writer.inlines(paragraph, revision.attribution)
        if old_empty:
            paragraph_mark(paragraph, "ins", track)
    else:  # the new version has none: the old line, deleted
        paragraph = writer.paragraph("Clause Attribution")
        writer.inlines(paragraph, revision.attribution)
        paragraph_mark(paragraph, "del", track)


def _rows(made: list, revision: dt.Revision, track: Tracker) -> None:
    table = next((e for e in made if e.tag == w("tbl")), None)
    if table is None:
        return
    rows = table.findall(w("tr"))
    shown_header = revision.block.style != "fields" and bool(revision.block.header)
    body_rows = rows[1:] if shown_header else rows
    kept = [row for row in revision.block.rows if row]  # the writer skips empty rows
    kinds = [k for k, row in zip(revision.rows, revision.block.rows) if row]
    for row, kind in zip(body_rows, kinds[:len(kept)]):
        if kind:
            _row_mark(row, "ins" if kind == "inserted" else "del", track)
