"""What the PDF keeps together: a heading with its first table rows, a last clause with its initials."""

from __future__ import annotations

from . import reportlab_patches  # noqa: F401  (before any platypus import: see its docstring)
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, Table

from ... import doctree
from .paragraph import Paragraph


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
    """A heading kept with the first rows of the table under it, not with the whole table.

    reportlab keeps a kept-with-next heading together with the entire next
    flowable, so a table that would start at the foot of a page and run on
    moves whole to the next page, leaving the foot empty (a brief then runs
    to a third page). A conditional page break asks only for room for the
    heading and the table's first rows.
    """
    result: list[Flowable] = []
    for index, flowable in enumerate(out):
        following = out[index + 1] if index + 1 < len(out) else None
        if (isinstance(following, Table) and isinstance(flowable, Paragraph)
                and getattr(flowable.style, "keepWithNext", 0)
                and flowable.style.name != "signature-heading"):  # that one is kept whole
            _, needed = flowable.wrap(width, height)
            # A short table (the brief's essentials) moves whole; a long one needs two rows.
            values = following._cellvalues
            first = values if len(values) <= 5 else values[:2]
            rows = sum(tallest(row, following._colWidths) + 8 for row in first)
            result.append(CondPageBreak(needed + flowable.style.spaceBefore + rows + 8))
            flowable.style = ParagraphStyle("kept-by-break", parent=flowable.style, keepWithNext=0)
        result.append(flowable)
    return result


def tallest(cells: list, widths: list[float]) -> float:
    """The height of the tallest paragraph among ``cells`` wrapped at ``widths``."""
    heights = [cell.wrap(width, 1e9)[1] for cell, width in zip(cells, widths) if isinstance(cell, Paragraph)]
    return max(heights, default=0.0)
