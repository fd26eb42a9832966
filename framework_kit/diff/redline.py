"""Two document trees -> one redline tree, paragraph by paragraph and word by word.

Blocks are aligned by their words, numbers left out: a clause renumbered
because another was inserted before it is the same clause, and it prints with
its NEW number. Blocks that differ are paired by likeness; what is left is
inserted or deleted, and a deleted clause whose words reappear elsewhere has
moved. Inside a paired block the words are compared (:mod:`.inlines`).
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher

from ..render import doctree as dt
from . import inlines as words
from .matching import MAX_PAIRS

_PAIRABLE = 0.5  # how alike two blocks must be to be shown as one block edited


def redline(old: dt.Document | None, new: dt.Document | None, *, author: str, date: str,
            compared_with: str) -> dt.Document:
    """The merged tree of ``old`` and ``new`` (either may be None: a document added or dropped)."""
    meta = replace((new or old).meta, revised_by=author, revised_on=date, compared_with=compared_with)
    if old is None:
        return dt.Document(meta, [dt.Revision("inserted", b) for b in new.blocks])
    if new is None:
        return dt.Document(meta, [dt.Revision("deleted", b) for b in old.blocks])
    return dt.Document(meta, _moves(merge(old.blocks, new.blocks)))


def has_changes(document: dt.Document) -> bool:
    return any(isinstance(b, dt.Revision) for b in document.blocks)


def merge(old: list, new: list) -> list:
    sa, sb = [signature(b) for b in old], [signature(b) for b in new]
    out: list = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, sa, sb, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [pair(a, b) for a, b in zip(old[i1:i2], new[j1:j2])]
        else:
            out += _replace(old[i1:i2], new[j1:j2])
    return out


def _replace(old: list, new: list) -> list:
    """Pair blocks of one kind that are alike, in order; the rest are deleted or inserted."""
    pairs: list[tuple[int, int]] = []
    start = 0
    # Each new block looks ahead at most this far: a bound on the comparisons (see MAX_PAIRS).
    window = max(1, MAX_PAIRS // max(1, len(new)))
    for j, b in enumerate(new):
        best, best_ratio = None, _PAIRABLE
        for i in range(start, min(len(old), start + window)):
            ratio = likeness(old[i], b)
            if ratio >= best_ratio and (best is None or ratio > best_ratio):
                best, best_ratio = i, ratio
        if best is not None:
            pairs.append((best, j))
            start = best + 1
    out: list = []
    i = j = 0
    for a_index, b_index in pairs + [(len(old), len(new))]:
        out += [dt.Revision("deleted", block) for block in old[i:a_index]]
        out += [dt.Revision("inserted", block) for block in new[j:b_index]]
        if a_index < len(old):
            out.append(pair(old[a_index], new[b_index]))
        i, j = a_index + 1, b_index + 1
    return out


def signature(block) -> tuple:
    """What a block says, its number left out."""
    if isinstance(block, (dt.Heading, dt.Paragraph, dt.Clause)):
        style = getattr(block, "style", getattr(block, "level", ""))
        return (type(block).__name__, style, words.signature(block.children))
    if isinstance(block, dt.Table):
        return ("Table", block.caption, _cells(block.header), tuple(_cells(r) for r in block.rows))
    return (type(block).__name__, repr(block))


def _cells(cells) -> tuple:
    return tuple(words.signature(c.children) for c in cells)


def likeness(a, b) -> float:
    if type(a) is not type(b):
        return 0.0
    if isinstance(a, (dt.Heading, dt.Paragraph, dt.Clause)):
        ka, kb = words.signature(a.children), words.signature(b.children)
    elif isinstance(a, dt.Table):
        if not _same_shape(a, b):
            return 0.0
        # Two tables with one caption and header are one table whose rows changed.
        ka, kb = [_cells(r) for r in a.rows], [_cells(r) for r in b.rows]
        return max(_PAIRABLE, SequenceMatcher(None, ka, kb, autojunk=False).ratio())
    else:
        return 0.0
    return SequenceMatcher(None, ka, kb, autojunk=False).ratio()


def pair(a, b):
    """One block of both versions: itself when nothing but its number changed."""
    if isinstance(b, (dt.Clause, dt.Heading)) and type(a) is type(b) and a.number != b.number:
        # Not a change, but the DOCX numbers it for both versions (accept and reject all).
        b = replace(b, old_number=a.number)
    if isinstance(b, dt.Clause):
        return _clause(a, b)
    if isinstance(b, (dt.Heading, dt.Paragraph)) and type(a) is type(b):
        children, changed = words.compare(a.children, b.children)
        return dt.Revision("changed", replace(b, children=children)) if changed else b
    if isinstance(a, dt.Table) and isinstance(b, dt.Table) and _same_shape(a, b):
        return _table(a, b)
    if signature(a) == signature(b):
        return b
    return _Both(a, b)


def _clause(a: dt.Clause, b: dt.Clause):
    children, changed = words.compare(a.children, b.children)
    attribution = None
    if a.attribution != b.attribution:
        attribution, _ = words.compare(_text(a.attribution), _text(b.attribution))
    old_status = a.status if a.status != b.status else ""
    if not (changed or attribution is not None or old_status):
        return b
    return dt.Revision("changed", replace(b, children=children), old_status=old_status,
                       attribution=attribution)


def _text(value: str) -> list:
    return [dt.Text(value)] if value else []


def _table(a: dt.Table, b: dt.Table):
    ka, kb = [_cells(r) for r in a.rows], [_cells(r) for r in b.rows]
    rows: list[list[dt.Cell]] = []
    kinds: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += b.rows[j1:j2]
            kinds += [""] * (j2 - j1)
            continue
        olds, news = a.rows[i1:i2], b.rows[j1:j2]
        common = min(len(olds), len(news)) if tag == "replace" else 0
        for old_row, new_row in zip(olds[:common], news[:common]):
            if len(old_row) != len(new_row):
                rows += [_mark_row(old_row, words.DEL), _mark_row(new_row, words.INS)]
                kinds += ["deleted", "inserted"]
                continue
            merged = []
            for x, y in zip(old_row, new_row):
                children, _ = words.compare(x.children, y.children)
                merged.append(replace(y, children=children))
            rows.append(merged)
            kinds.append("")
        for old_row in olds[common:]:
            rows.append(_mark_row(old_row, words.DEL))
            kinds.append("deleted")
        for new_row in news[common:]:
            rows.append(_mark_row(new_row, words.INS))
            kinds.append("inserted")
    merged_table = replace(b, rows=rows)
    if merged_table == b and not any(kinds):
        return b
    return dt.Revision("changed", merged_table, rows=kinds)


def _same_shape(a: dt.Table, b: dt.Table) -> bool:
    return (a.caption, a.style, _cells(a.header)) == (b.caption, b.style, _cells(b.header))


def _mark_row(row, mark) -> list:
    return [replace(cell, children=words.marked(cell.children, mark)) for cell in row]


class _Both:
    """A block that cannot be compared word by word (a figure): the old one out, the new one in."""

    def __init__(self, a, b):
        self.blocks = [dt.Revision("deleted", a), dt.Revision("inserted", b)]


def _moves(blocks: list) -> list:
    """Flatten, then turn a deleted clause whose words were inserted elsewhere into a move."""
    flat: list = []
    for block in blocks:
        flat += block.blocks if isinstance(block, _Both) else [block]
    deleted = _clauses_of(flat, "deleted")
    inserted = _clauses_of(flat, "inserted")
    for key, (i, old) in deleted.items():
        if key in inserted:
            j, new = inserted[key]
            flat[i] = dt.Revision("moved-from", old.block, moved=new.block.number)
            flat[j] = dt.Revision("moved-to", new.block, moved=old.block.number)
    return flat


def _clauses_of(blocks: list, kind: str) -> dict:
    found: dict = {}
    twice = set()
    for index, block in enumerate(blocks):
        if isinstance(block, dt.Revision) and block.kind == kind and isinstance(block.block, dt.Clause):
            key = (words.signature(block.block.children), block.block.status, block.block.attribution)
            if key in found:
                twice.add(key)
            found[key] = (index, block)
    return {k: v for k, v in found.items() if k not in twice}
