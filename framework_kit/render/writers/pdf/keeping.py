"""What the PDF keeps together: a heading with its first table rows, a last clause with its initials."""

from __future__ import annotations

from . import reportlab_patches  # noqa: F401  (before any platypus import: see its docstring)
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, Table

from ... import doctree
from .paragraph import Paragraph


def keep_as_the_tree_says(blocks: list[doctree.Block], made: list[list[Flowable]]) -> None:
    """Keep with what follows, as the DOCX does, the flowables ``made`` of each block that
    doctree says stays with the next: a lead-in with its table, the last clause (and what
    stands between) with the initialling block."""
    for index, block in enumerate(blocks):
        if doctree.leads_into_table(blocks, index):
            _keep_with_next(made[index], "leads-in")
        if isinstance(block, doctree.SignatureBlock):
            for kept in doctree.kept_with_signatures(blocks, index):
                _keep_with_next(made[kept], "kept-with-signatures")


def _keep_with_next(flowables: list[Flowable], name: str) -> None:
    for flowable in flowables:
        if isinstance(flowable, Paragraph):
            flowable.style = ParagraphStyle(name, parent=flowable.style, keepWithNext=1)


def keep_with_signatures(blocks: list[doctree.Block], out: list[Flowable]) -> None:
    """The initialling block stays on the page of the last clause it authenticates."""
    if not any(isinstance(block, doctree.SignatureBlock) for block in blocks):
        return
    for index, flowable in enumerate(out):
        following = out[index + 1] if index + 1 < len(out) else None
        if (isinstance(following, Paragraph) and following.style is not None
                and following.style.name == "signature-heading" and isinstance(flowable, Paragraph)):
            flowable.style = ParagraphStyle("kept-with-signatures", parent=flowable.style, keepWithNext=1)

def keep_with_tables(out: list[Flowable], width: float, height: float) -> list[Flowable]:
    """A heading (and a short paragraph leading into the table, doctree.leads_into_table)
    kept with the first rows of the table under it, not with the whole table.

    reportlab keeps a kept-with-next heading together with the entire next
    flowable, so a table that would start at the foot of a page and run on
    moves whole to the next page, leaving the foot empty (a brief then runs
    to a third page). A conditional page break asks only for room for the
    heading, its lead-in and the table's first rows (doctree.TABLE_KEPT_ROWS), or
    the whole of a short table (doctree.TABLE_KEPT_WHOLE), as the DOCX keeps them.
    """
    breaks: dict[int, float] = {}
    for index, flowable in enumerate(out):
        if not isinstance(flowable, Table):
            continue
        first = index
        while first > 0 and _kept(out[first - 1]):
            first -= 1
        if first == index:
            continue
        needed = 0.0
        for position in range(first, index):
            kept = out[position]
            needed += kept.wrap(width, height)[1] + kept.style.spaceBefore
            if position < index - 1:
                needed += kept.style.spaceAfter
            kept.style = ParagraphStyle("kept-by-break", parent=kept.style, keepWithNext=0)
        values = flowable._cellvalues
        rows = values if len(values) <= doctree.TABLE_KEPT_WHOLE else values[:doctree.TABLE_KEPT_ROWS]
        needed += sum(tallest(row, [width - cell.leftPadding - cell.rightPadding
                                    for width, cell in zip(flowable._colWidths, styles)]) + 8
                      for row, styles in zip(rows, flowable._cellStyles))
        breaks[first] = needed + 8
    result: list[Flowable] = []
    for index, flowable in enumerate(out):
        if index in breaks:
            result.append(CondPageBreak(breaks[index]))
        result.append(flowable)
    return result


def _kept(flowable: Flowable) -> bool:
    return (isinstance(flowable, Paragraph) and bool(getattr(flowable.style, "keepWithNext", 0))
            and flowable.style.name != "signature-heading")  # that one is kept whole


def tallest(cells: list, widths: list[float]) -> float:
    """The height of the tallest paragraph among ``cells`` wrapped at ``widths``.

    Give the widths the table wraps its cells at (a column less the cell's left and right
    padding, reckoned as reportlab reckons them): a paragraph keeps its lines per width, so
    the table then lays the row out again from the lines found here.
    """
    heights = [cell.wrap(width, 1e9)[1] for cell, width in zip(cells, widths) if isinstance(cell, Paragraph)]
    return max(heights, default=0.0)
