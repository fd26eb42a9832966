"""Document-tree inlines and blocks back into vocabulary markup, for the ``markdown`` filters.

Every piece of text is escaped; the markup is what :mod:`.vocabulary` reads.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from . import doctree as dt


def inline_markup(items: list[dt.Inline]) -> Markup:
    """Inlines -> vocabulary markup, every piece of text escaped."""
    return Markup("".join(_inline(item) for item in items))


def _inline(item: dt.Inline) -> str:
    if isinstance(item, dt.Text):
        return str(escape(item.text))
    if isinstance(item, dt.LineBreak):
        return "<br/>"
    inner = "".join(_inline(child) for child in item.children)
    if isinstance(item, dt.Strong):
        return f"<b>{inner}</b>"
    if isinstance(item, dt.Emph):
        return f"<i>{inner}</i>"
    if isinstance(item, dt.Link):
        return f'<a href="{escape(item.href)}">{inner}</a>'
    return f"<note>{inner}</note>"


def block_markup(blocks: list[dt.Block]) -> Markup:
    """Paragraphs, lists and rules -> vocabulary markup (what Markdown produces)."""
    out = []
    for block in blocks:
        if isinstance(block, dt.Paragraph):
            out.append(f'<p style="{block.style}">{inline_markup(block.children)}</p>')
        elif isinstance(block, dt.ListBlock):
            items = "".join(f"<item>{block_markup(item)}</item>" for item in block.items)
            out.append(f'<list ordered="{int(block.ordered)}">{items}</list>')
        elif isinstance(block, dt.Rule):
            out.append("<rule/>")
        else:  # Markdown yields nothing else; a new kind must be added here on purpose
            raise TypeError(f"no markup for {type(block).__name__}")
    return Markup("".join(out))
