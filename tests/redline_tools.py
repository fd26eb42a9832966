"""Helpers for the kit diff tests: accept or reject every change of a redline tree, read tracked changes."""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from framework_kit.render import doctree as dt

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NUMBER = re.compile(r"^\d+(\.\d+)*\t")


def resolve(blocks: list, accept: bool) -> list[str]:
    """The text lines of a redline tree once every change is accepted (or rejected)."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, dt.Revision):
            kept = {"inserted": accept, "moved-to": accept, "deleted": not accept,
                    "moved-from": not accept, "changed": True}[block.kind]
            if kept:
                lines += _lines(block.block, accept, block)
        else:
            lines += _lines(block, accept, None)
    return lines


def document_lines(document: dt.Document) -> list[str]:
    return resolve(document.blocks, True)


def _lines(block, accept: bool, revision) -> list[str]:
    if isinstance(block, (dt.Heading, dt.Paragraph)):
        return [text(block.children, accept)]
    if isinstance(block, dt.Clause):
        out = [text(block.children, accept)]
        attribution = block.attribution
        if revision is not None and revision.attribution is not None:
            attribution = text(revision.attribution, accept)
        return out + ([attribution] if attribution else [])
    if isinstance(block, dt.Table):
        kinds = revision.rows if revision is not None and revision.rows else [""] * len(block.rows)
        rows = [row for row, kind in zip(block.rows, kinds)
                if not kind or (kind == "inserted") == accept]
        return [" | ".join(text(c.children, accept) for c in row) for row in [block.header] + rows]
    if isinstance(block, dt.ListBlock):
        return [line for item in block.items for child in item for line in _lines(child, accept, None)]
    return [repr(block)]


def text(inlines: list, accept: bool) -> str:
    out = []
    for node in inlines:
        if isinstance(node, dt.Text):
            out.append(node.text)
        elif isinstance(node, dt.LineBreak):
            out.append("\n")
        elif isinstance(node, dt.Note):
            out.append(f"[note: {text(node.children, accept)}]")
        elif isinstance(node, dt.Inserted):
            out.append(text(node.children, accept) if accept else "")
        elif isinstance(node, dt.Deleted):
            out.append("" if accept else text(node.children, accept))
        else:
            out.append(text(node.children, accept))
    return "".join(out)


def document_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


REVISION_TAGS = ("ins", "del", "moveFrom", "moveTo", "pPrChange", "rPrChange")


def revisions(root: etree._Element) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and e.tag[len(W):] in REVISION_TAGS
            and e.tag.startswith(W)]


def without_numbers(lines: list[str]) -> list[str]:
    """Lines with a leading clause or heading number (1.2<tab>) taken off: numbering is not a change."""
    return [NUMBER.sub("", line) for line in lines]
