"""The blackline: Revision blocks of a redline as flowables, with change bars and a legend.

Inserted words are underlined in blue, deleted words struck through in red
(:mod:`.pdf_markup`); every changed block carries a bar in the left margin,
which splits with its paragraph or table so that each page of it has its own
bar, and a small margin note where the change has a name ("moved from 2.3").
"""

from __future__ import annotations

from dataclasses import replace

from . import reportlab_patches  # noqa: F401  (before any platypus import: see its docstring)
from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from ... import doctree as dt
from ..base import UnknownNode
from .rtl import make_paragraph
from .markup import DELETED_COLOUR, INSERTED_COLOUR, text_markup

_BAR_GAP = 9.0  # points between the text's left edge and the change bar
_BAR_WIDTH = 1.6
_LABEL_SIZE = 6.5
_MARK = {"inserted": dt.Inserted, "moved-to": dt.Inserted, "deleted": dt.Deleted, "moved-from": dt.Deleted}


def revision(builder, block: dt.Revision) -> list:
    """The flowables of a revised block, each with a change bar."""
    mark = _MARK.get(block.kind)
    inner = block.block
    if mark is not None:
        flowables = _whole(builder, inner, mark)
    elif block.kind == "changed":
        if isinstance(inner, dt.Clause) and block.attribution is not None:
            flowables = [builder.clause(inner, builder.inline.markup(block.attribution))]
        else:
            flowables = builder.block(inner)
    else:
        raise UnknownNode("PDF", block, f"the revision kind '{block.kind}'")
    label = _label(block)
    out = []
    for flowable in flowables:
        if isinstance(flowable, KeepTogether):  # a figure: its drawing and caption get the bar
            parts = []
            for part in flowable._content:
                parts.append(_barred(part, builder.s, label))
                label = "" if isinstance(parts[-1], ChangeBar) else label
            flowable._content = parts
        else:
            flowable = _barred(flowable, builder.s, label)
        if isinstance(flowable, (ChangeBar, KeepTogether)):
            label = ""
        out.append(flowable)
    return out


def _barred(flowable, styles, label: str):
    if isinstance(flowable, (Spacer, PageBreak, CondPageBreak, KeepTogether)):
        return flowable
    return ChangeBar(flowable, styles, label)


def _label(block: dt.Revision) -> str:
    if block.kind == "moved-to":
        return f"moved from {block.moved}"
    if block.kind == "moved-from":
        return f"moved to {block.moved}"
    if block.kind == "changed" and block.old_status:
        return f"was {block.old_status}"
    if isinstance(block.block, dt.Figure):
        return {"inserted": "new figure", "deleted": "replaced"}.get(block.kind, "")
    return {"inserted": "added", "deleted": "deleted"}.get(block.kind, "")


def _whole(builder, block, mark) -> list:
    """A wholly inserted or deleted block: every word of it marked."""
    if isinstance(block, dt.Clause):
        attribution = builder.inline.markup([mark([dt.Text(block.attribution)])]) if block.attribution else ""
        return [builder.clause(marked(block, mark), attribution)]
    if isinstance(block, (dt.Heading, dt.Paragraph, dt.ListBlock, dt.Table)):
        return builder.block(marked(block, mark))
    if mark is dt.Deleted and not isinstance(block, (dt.PageBreak, dt.Rule)):
        # A figure or signature block of the old version: named, struck through.
        words = getattr(block, "caption", "") or getattr(block, "heading", "") or ""
        what = "figure" if isinstance(block, dt.Figure) else "signature block"
        text = (f'<strike><font color="{DELETED_COLOUR}">[The {what} of the earlier version'
                f'{": " + text_markup(words) if words else ""}]</font></strike>')
        return [make_paragraph(text, builder.s.small)]
    return builder.block(block)


def marked(block, mark):
    """``block`` with all its words inside one ``mark`` (Inserted or Deleted) inline."""
    if isinstance(block, (dt.Heading, dt.Paragraph, dt.Clause)):
        return replace(block, children=[mark(block.children)])
    if isinstance(block, dt.ListBlock):
        return replace(block, items=[[marked(child, mark) for child in item] for item in block.items])
    if isinstance(block, dt.Table):
        def cells(row):
            return [replace(cell, children=[mark(cell.children)]) for cell in row]

        return replace(block, header=cells(block.header), rows=[cells(row) for row in block.rows])
    return block


class ChangeBar(Flowable):
    """A flowable with a bar beside it in the left margin, on every page it reaches."""

    def __init__(self, inner, styles, label: str = ""):
        super().__init__()
        self.inner = inner
        self.styles = styles
        self.label = label
        self._content = [inner]  # where the footnote frame looks for note references
        self.hAlign = getattr(inner, "hAlign", "LEFT")

    def wrap(self, available_width, available_height):
        self.width, self.height = self.inner.wrap(available_width, available_height)
        return self.width, self.height

    def split(self, available_width, available_height):
        parts = self.inner.split(available_width, available_height)
        return [ChangeBar(part, self.styles, self.label if index == 0 else "")
                for index, part in enumerate(parts)]

    def getSpaceBefore(self):
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self):
        return self.inner.getSpaceAfter()

    def getKeepWithNext(self):
        return self.inner.getKeepWithNext()

    def identity(self, maxLen=None):
        return f"ChangeBar({self.inner.identity(maxLen)})"

    def draw(self):
        canvas = self.canv
        self.inner.drawOn(canvas, 0, 0)
        canvas.saveState()
        canvas.setStrokeColor(HexColor(self.styles.theme.colour("ink")))
        canvas.setLineWidth(_BAR_WIDTH)
        for bottom, top in self._spans():
            canvas.line(-_BAR_GAP, bottom, -_BAR_GAP, top)
        if self.label:
            canvas.setFillColor(HexColor(self.styles.theme.colour("muted")))
            canvas.setFont(self.styles.fonts.italic, _LABEL_SIZE)
            canvas.drawRightString(-_BAR_GAP - 4, self.height - _LABEL_SIZE - 1, self.label)
        canvas.restoreState()


    def _spans(self) -> list[tuple[float, float]]:
        """Where the bar runs: beside the changed rows of a table, else the whole height."""
        rows = getattr(self.inner, "_cellvalues", None)
        positions = getattr(self.inner, "_rowpositions", None)
        if not rows or not positions:
            return [(0, self.height)]
        spans = [(positions[index + 1], positions[index]) for index, row in enumerate(rows)
                 if any(_is_marked(cell) for cell in row)]
        return spans or [(0, self.height)]


def _is_marked(cell) -> bool:
    if isinstance(cell, (list, tuple)):  # reportlab keeps a cell's flowables as a tuple
        return any(_is_marked(part) for part in cell)
    text = getattr(cell, "text", "")
    return isinstance(text, str) and (INSERTED_COLOUR in text or DELETED_COLOUR in text)


def legend(styles, meta: dt.Meta) -> list:
    """What the marks mean, and which versions they compare: under the title of a blackline."""
    style = ParagraphStyle("blackline-legend", parent=styles.legend)
    text = (f"<b>Blackline.</b> Changes from {text_markup(meta.compared_with)} to this version, "
            f"marked by {text_markup(meta.revised_by)}: "
            f'<u><font color="{INSERTED_COLOUR}">inserted text</font></u>, '
            f'<strike><font color="{DELETED_COLOUR}">deleted text</font></strike>; '
            "a bar in the left margin marks every changed paragraph, with a note where a clause "
            "was added, deleted or moved, or its status changed. Clause numbers are those of this version.")
    return [make_paragraph(text, style)]


__all__ = ["revision", "legend", "ChangeBar", "marked"]
