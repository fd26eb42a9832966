"""The bound on layout work: pages, estimated before the layout and counted during it (R003).

The PDF of a spec costs time in proportion to its pages: about 15 ms each. A spec
within the loader's limits can still ask for tens of thousands of pages (a clause
of 5,000 hard line breaks is a hundred pages, and 260 aliases of it are 26,000).
So the pages of all the documents of one spec are bounded by :data:`MAX_PAGES`:
first by an estimate from the document trees that never overestimates ordinary
text, so the answer comes before any layout; then by counting pages as they are
laid out. Either way the diagnostic points at the spec text that makes the most
lines.
"""

from __future__ import annotations

import html
import re

from ..diagnostics import Diagnostic, Span, error
from . import doctree
from .codes import OUTPUT_PROBLEM

# 2,000 pages: four times a long treaty with all its annexes; about 30 s of layout.
MAX_PAGES = 2_000
# The estimate assumes more characters on a line and more lines on a page than any
# theme within theme.yaml's limits fits, so it errs towards fewer pages.
_CHARS_PER_LINE = 130
_LINES_PER_PAGE = 80
_MARKDOWN = re.compile(r"[*_`\\]+")
_SPACES = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")


def estimated_pages(tree: doctree.Document) -> tuple[float, str]:
    """At least how many pages ``tree`` needs, and the text of its block with the most lines."""
    total = 0
    longest, longest_lines = "", -1
    for block in tree.blocks:
        lines, text = _lines(block)
        total += lines
        if lines > longest_lines:
            longest, longest_lines = text, lines
    return total / _LINES_PER_PAGE, longest


def _lines(block) -> tuple[int, str]:
    """At least how many lines ``block`` takes, and its text."""
    if isinstance(block, (doctree.Paragraph, doctree.Clause, doctree.Heading)):
        text = doctree.plain_text(block.children)
        return _text_lines(text), text
    if isinstance(block, doctree.ListBlock):
        items = [_lines(item) for blocks in block.items for item in blocks]
        return sum(n for n, _ in items), max(items, default=(0, ""))[1]
    if isinstance(block, doctree.Table):
        cells = [[doctree.plain_text(cell.children) for cell in row] for row in block.rows]
        rows = [max((_text_lines(text) for text in row), default=1) for row in cells]
        return sum(rows), max((text for row in cells for text in row), key=len, default="")
    return 1, ""


def _text_lines(text: str) -> int:
    return sum(len(part) // _CHARS_PER_LINE + 1 for part in text.split("\n"))


def refuse_too_many_pages(design, built: list) -> None:
    """``RenderError`` with R003, before any layout, when the PDFs would certainly exceed the bound."""
    from ..diagnostics import RenderError

    total, worst = 0.0, (-1.0, "", "")
    for item in built:
        pages, text = estimated_pages(item.tree)
        total += pages
        worst = max(worst, (pages, item.title, text), key=lambda entry: entry[0])
    if total > MAX_PAGES:
        raise RenderError([too_many_pages(worst[1], worst[2], design, design.process.language,
                                          counted=False)])


def too_many_pages(document_title: str, text: str, design, language: str, *, counted: bool) -> Diagnostic:
    """R003 at the spec text that ``text`` (a paragraph of the document) comes from."""
    how = "have reached" if counted else "would take more than"
    return error(OUTPUT_PROBLEM, f"{document_title}: the documents of this spec {how} {MAX_PAGES:,} "
                 "pages, more than can be laid out in reasonable time; this text makes the most "
                 f"lines: {_shorten(text)!r}", locate(text, design, language),
                 "shorten the text, or replace its many line breaks by separate clauses or items; "
                 "split a very long design into several specs")


def too_large_output(document_title: str, output: str, design, language: str) -> Diagnostic | None:
    """R003 at the spec text that fills a document whose template output passed its bound
    (``output``: what was written by then), or None when no spec text is found in it.

    260 aliases of a long clause stopped the term sheet's template at its 4 MB bound: a
    T001 at the template's first line, which said nothing of the spec's 260 aliases.
    """
    from .glyphs import spec_texts
    from .sandbox import MAX_OUTPUT_CHARS

    flat = _flat(html.unescape(_TAG.sub(" ", output[:400_000])))
    share, span = 0, Span()
    for source in spec_texts(design, language):
        candidate = _flat(source.text)
        if len(candidate) >= 3 and len(candidate) * flat.count(candidate) > share:
            share, span = len(candidate) * flat.count(candidate), source.span
    if share < len(flat) / 2:  # the template's own doing, not a spec text's
        return None
    return error(OUTPUT_PROBLEM, f"{document_title}: the document would hold more than "
                 f"{MAX_OUTPUT_CHARS // 1_000_000} MB of text, more than can be laid out in reasonable "
                 "time; most of it is this text of the spec, repeated", span,
                 "shorten the text, or repeat it fewer times (each alias prints it again); "
                 "split a very long design into several specs")


def locate(text: str, design, language: str) -> Span:
    """Where the spec text that makes up most of ``text`` (a paragraph's plain text) begins.

    Markdown marks and spacing differ between the two, so both are compared
    without them; the longest spec text found inside the paragraph wins, or that
    holds its start (the rest of a paragraph split over pages).
    """
    from .glyphs import spec_texts

    flat = _flat(text[:400_000])
    start = flat[:100] if len(flat) >= 20 else None  # a page's part of a longer text
    best: tuple[int, Span] | None = None
    for source in spec_texts(design, language):
        candidate = _flat(source.text)
        if len(candidate) < 3 or (best is not None and len(candidate) <= best[0]):
            continue
        if candidate in flat or (start is not None and start in candidate):
            best = (len(candidate), source.span)
    return best[1] if best else Span()


def _flat(text: str) -> str:
    """Without Markdown marks and without any space: reportlab's plain text drops line breaks."""
    return _SPACES.sub("", _MARKDOWN.sub("", text))


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


__all__ = ["MAX_PAGES", "estimated_pages", "locate", "refuse_too_many_pages", "too_large_output",
           "too_many_pages"]
