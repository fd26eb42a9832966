"""What the DOCX keeps together, as the PDF does (pdf/keeping.py), from doctree's decisions:
a table with its heading and lead-in, an initialling block with the last clause."""

from __future__ import annotations

from ... import doctree as dt
from . import ooxml
from .ooxml import w


def write_blocks(writer, blocks: list[dt.Block]) -> None:
    """Write the document's top-level ``blocks``, then mark with keepNext what stays together."""
    spans: list[tuple[int, int]] = []
    body = writer.body
    for index, block in enumerate(blocks):
        if isinstance(block, dt.SignatureBlock):  # with the last clause (doctree.kept_with_signatures)
            for kept in dt.kept_with_signatures(blocks, index):
                for element in body[spans[kept][0]:spans[kept][1]]:
                    _keep(element)
        start = len(body)
        writer.block(block, depth=0)
        spans.append((start, len(body)))
        # A table stays with its heading and lead-in (doctree.introduced_table).
        if dt.leads_into_table(blocks, index) and body[-1].tag == w("p"):
            ooxml.keep_with_next(body[-1])
        elif dt.introduced_table(blocks, index) and body[-1].tag == w("tbl"):
            rows = body[-1].findall(w("tr"))
            for row in rows[:-1] if len(rows) <= dt.TABLE_KEPT_WHOLE else rows[:dt.TABLE_KEPT_ROWS - 1]:
                _keep(row)


def _keep(element) -> None:
    for paragraph in element.iter(w("p")):
        ooxml.keep_with_next(paragraph)
