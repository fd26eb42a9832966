"""The parallel edition: the language versions of one document side by side.

Every language version is built from the same template, so its blocks come in the
same order: block *n* of each version is the same heading, clause or table in its
own language. The parallel edition is one table with a column per language and a
row per block, so that clause 1.2 stands level with clause 1.2 across the page
whatever the length of each translation. It is a document tree like any other:
both writers print it. Figures are left out (the versions print them); drafters'
notes stay footnotes, marked in each column.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import zip_longest

from . import doctree as dt

MAX_COLUMNS = 3  # more languages than three do not fit a page side by side


def parallel_tree(trees: list[dt.Document], headings: list[str]) -> dt.Document:
    """One document: ``trees`` (the same document in each language) side by side, under
    ``headings`` (each language's name in itself). Each column's cells carry its language."""
    trees = trees[:MAX_COLUMNS]
    languages = [tree.meta.language for tree in trees]
    rows = []
    for blocks in zip_longest(*(tree.blocks for tree in trees)):
        # A table's rows each get a row of their own, so that they stay level too.
        for cells in zip_longest(*(_cells(block) for block in blocks), fillvalue=dt.Cell([])):
            if any(cell.children for cell in cells):
                rows.append([replace(cell, language=tag) for cell, tag in zip(cells, languages)])
    first = trees[0].meta
    meta = replace(first, title=" / ".join(dict.fromkeys(tree.meta.title for tree in trees)),
                   keywords=list(dict.fromkeys(k for tree in trees for k in tree.meta.keywords)))
    table = dt.Table(header=[dt.Cell([dt.Text(h)], language=tag) for h, tag in zip(headings, languages)],
                     rows=rows, widths=[round(1 / len(trees), 4)] * len(trees))
    return dt.Document(meta, [table])


def _cells(block) -> list[dt.Cell]:
    """A block of one version as the content of its cells: one per row of a table."""
    if isinstance(block, dt.Table) and block.style != "fields" and block.header:
        labels = block.header
        return [dt.Cell(_described(row, labels)) for row in block.rows]
    return [_cell(block)]


def _described(row: list[dt.Cell], labels: list[dt.Cell]) -> list:
    """A row of a table as words: its first cell in bold, then each other cell after its
    column's heading ("Ukraine — Capacity: Party; Represented by: …"); empty cells left out."""
    out: list = [dt.Strong(list(row[0].children))] if row and row[0].children else []
    for cell, label in zip(row[1:], labels[1:]):
        if not cell.children or dt.plain_text(cell.children).strip() in ("", "—"):
            continue
        out += [dt.Text(" — " if len(out) == 1 else "; ")] + list(label.children) + [dt.Text(": ")]
        out += list(cell.children)
    return out


def _cell(block) -> dt.Cell:
    """A block of one version as the content of its cell."""
    if block is None:
        return dt.Cell([])
    if isinstance(block, dt.Heading):
        number = [dt.Text(f"{block.number} ")] if block.number else []
        return dt.Cell([dt.Strong(number + list(block.children))])
    if isinstance(block, dt.Clause):
        words: list = [dt.Strong([dt.Text(f"{block.number} ")])] + list(block.children)
        if block.attribution:
            words += [dt.LineBreak(), dt.Emph([dt.Text(block.attribution)])]
        return dt.Cell(words)
    if isinstance(block, dt.Paragraph):
        inlines = list(block.children)
        return dt.Cell([dt.Emph(inlines)] if block.style in ("lead", "legend", "small") else inlines)
    if isinstance(block, dt.ListBlock):
        return dt.Cell(_lines([[dt.Text("• ")] + _inlines(item) for item in block.items]))
    if isinstance(block, dt.Table):
        rows = ([block.header] if block.header and block.style != "fields" else []) + block.rows
        return dt.Cell(_lines([_joined(row, ": " if block.style == "fields" else " · ") for row in rows]))
    if isinstance(block, dt.SignatureBlock):
        return dt.Cell(_lines([[dt.Strong([dt.Text(block.heading)])]]
                              + [[dt.Text(s.party + (f" ({s.name})" if s.name else ""))]
                                 for s in block.signatories]))
    return dt.Cell([])  # figures, page breaks and rules have no words to set side by side


def _inlines(blocks: list) -> list:
    out: list = []
    for block in blocks:
        out += _cell(block).children
    return out


def _joined(cells: list[dt.Cell], separator: str) -> list:
    out: list = []
    for cell in cells:
        if cell.children:
            if out:
                out.append(dt.Text(separator))
            out += list(cell.children)
    return out


def _lines(lines: list[list]) -> list:
    out: list = []
    for line in lines:
        if line:
            if out:
                out.append(dt.LineBreak())
            out += line
    return out


__all__ = ["MAX_COLUMNS", "parallel_tree"]
