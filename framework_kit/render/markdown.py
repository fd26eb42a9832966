"""Markdown text from the spec -> document-tree inlines and blocks.

Spec fields documented as Markdown (summary, principles, clause text, options and
notes, descriptions, tasks, the status clause, withdrawal and linkage text) go
through markdown-it-py's CommonMark parser, never through regular expressions.
Raw HTML is switched off, so ``<font size=500>`` or ``a<b`` stay literal text;
only http(s) and mailto links survive as links, any other target is kept as its
words. The result is document-tree nodes: the templates receive them as
vocabulary markup through the ``markdown`` filters (see
:mod:`framework_kit.render.vocabulary`).
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from . import doctree as dt



@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # CommonMark with raw HTML off: spec text is data, not markup to trust.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _tree(text: str) -> SyntaxTreeNode:
    return SyntaxTreeNode(_parser().parse(text or ""))


def blocks(text: str | None) -> list[dt.Block]:
    """Markdown -> paragraphs and lists (for fields that may run to several paragraphs)."""
    out: list[dt.Block] = []
    for node in _tree(text or "").children:
        out.extend(_block(node))
    return out


def inlines(text: str | None) -> list[dt.Inline]:
    """Markdown -> one run of inlines, for a clause, a table cell or a list item.

    Paragraphs are separated by a line break; list items start a new line with
    their bullet or number, so nothing the drafter wrote is lost.
    """
    return _merge_text(flatten(blocks(text)))


def flatten(block_list: list[dt.Block]) -> list[dt.Inline]:
    """Blocks -> inlines, one line per paragraph or list item."""
    out: list[dt.Inline] = []
    for block in block_list:
        if isinstance(block, dt.ListBlock):
            for index, item in enumerate(block.items):
                marker = f"{index + 1}. " if block.ordered else "• "
                for paragraph_index, line in enumerate(_lines(item)):
                    _new_line(out)
                    out.extend(([dt.Text(marker)] if paragraph_index == 0 else []) + line)
        elif isinstance(block, dt.Paragraph):
            _new_line(out)
            out.extend(block.children)
    return out


def _lines(item: list[dt.Block]) -> list[list[dt.Inline]]:
    lines: list[list[dt.Inline]] = []
    for block in item:
        if isinstance(block, dt.Paragraph):
            lines.append(list(block.children))
        else:
            flat = flatten([block])
            if flat and isinstance(flat[0], dt.LineBreak):
                flat = flat[1:]
            lines.append(flat)
    return lines


def _new_line(out: list[dt.Inline]) -> None:
    if out:
        out.append(dt.LineBreak())


def _block(node: SyntaxTreeNode) -> list[dt.Block]:
    kind = node.type
    if kind == "paragraph":
        return [dt.Paragraph(_inline_children(node))]
    if kind == "heading":
        # A heading inside a field is emphasis, not document structure.
        return [dt.Paragraph([dt.Strong(_inline_children(node))])]
    if kind in ("bullet_list", "ordered_list"):
        # A list that starts at another number is numbered from 1: the tree keeps
        # lists simple, and clause numbering is the template's business.
        items = []
        for item in node.children:
            item_blocks: list[dt.Block] = []
            for child in item.children:
                item_blocks.extend(_block(child))
            items.append(item_blocks or [dt.Paragraph([])])
        return [dt.ListBlock(items, ordered=kind == "ordered_list")]
    if kind == "blockquote":
        out = []
        for child in node.children:
            for block in _block(child):
                if isinstance(block, dt.Paragraph):
                    block.style = "quote"
                out.append(block)
        return out
    if kind in ("code_block", "fence"):
        lines = node.content.rstrip("\n").split("\n")
        children: list[dt.Inline] = []
        for index, line in enumerate(lines):
            if index:
                children.append(dt.LineBreak())
            children.append(dt.Text(line))
        return [dt.Paragraph(children)]
    if kind == "hr":
        return [dt.Rule()]
    if kind == "html_block":  # unreachable with html off; kept literal all the same
        return [dt.Paragraph([dt.Text(node.content.strip())])]
    return []


def _inline_children(node: SyntaxTreeNode) -> list[dt.Inline]:
    out: list[dt.Inline] = []
    for child in node.children:
        if child.type == "inline":
            out.extend(_inlines(child.children))
    return _merge_text(out)


def _inlines(nodes: list[SyntaxTreeNode]) -> list[dt.Inline]:
    out: list[dt.Inline] = []
    for node in nodes:
        kind = node.type
        if kind == "text":
            out.append(dt.Text(node.content))
        elif kind == "code_inline":
            out.append(dt.Text(node.content))
        elif kind == "softbreak":
            out.append(dt.Text(" "))
        elif kind == "hardbreak":
            out.append(dt.LineBreak())
        elif kind == "strong":
            out.append(dt.Strong(_merge_text(_inlines(node.children))))
        elif kind == "em":
            out.append(dt.Emph(_merge_text(_inlines(node.children))))
        elif kind == "link":
            children = _merge_text(_inlines(node.children))
            href = str(node.attrs.get("href", ""))
            if _allowed(href):
                out.append(dt.Link(href, children))
            else:
                out.extend(children)
        elif kind == "image":
            # No pictures from the spec: keep the description the drafter wrote.
            out.extend(_inlines(node.children))
        else:  # html_inline cannot occur with html off; anything new stays literal
            out.append(dt.Text(node.content))
    return out


def _allowed(href: str) -> bool:
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return False
    return scheme in dt.LINK_SCHEMES


def _merge_text(items: list[dt.Inline]) -> list[dt.Inline]:
    out: list[dt.Inline] = []
    for item in items:
        if isinstance(item, dt.Text) and out and isinstance(out[-1], dt.Text):
            out[-1] = dt.Text(out[-1].text + item.text)
        elif isinstance(item, dt.Text) and not item.text:
            continue
        else:
            out.append(item)
    return out
