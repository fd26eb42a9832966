"""Paragraph markup -> reportlab fragments, parsing each shape of markup once.

reportlab parses a paragraph's markup with a Python HTML parser: about a fifth
of the time of a term sheet's PDF. Yet a document's paragraphs come in few
shapes: plain text, a bold cell, a clause with its attribution beneath. Here
the markup is cleaned exactly as reportlab cleans it, its text runs are
replaced by placeholders (as are link targets and anchor names, which differ
from note to note), and that skeleton is parsed once for each set of the style
values the parser reads; each paragraph then gets copies of the skeleton's
fragments with its own text put back. Formatting, links and anchors are still
made by reportlab's parser, so they come out exactly as it makes them.

The parsed skeletons are kept in a dict stored on the styles (a style made from
a parent copies it), so they live as long as one document's styles.
"""

from __future__ import annotations

import html
import re

from . import reportlab_patches  # noqa: F401  (before any platypus import: see its docstring)
from reportlab.lib.abag import ABag
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser

# Every tag of the markup pdf_markup writes; attribute values are quoted and escaped,
# so they hold no ">".
_TAG = re.compile(r"(<[^>]*>)")
# Placeholders of private-use characters: not whitespace, kept as they are by the parser.
# Only the skeleton (tags and placeholders) is parsed, so a text holding them is harmless.
_OPEN, _CLOSE = "\ue000", "\ue001"
_CACHE = "_fk_skeletons"
# What reportlab's ParaParser reads of a style: the same skeleton parses alike in two
# styles that agree on these, whatever their indents, spacing or alignment.
_PARSED_FROM_STYLE = (
    "fontName", "fontSize", "textColor", "bulletFontName", "bulletFontSize", "bulletColor",
    "linkUnderline", "underlineWidth", "underlineColor", "underlineOffset", "underlineGap",
    "strikeWidth", "strikeColor", "strikeOffset", "strikeGap",
)


class MarkupError(ValueError):
    """The markup is not well-formed (a bug in the writer, never in a spec)."""


def fragments(markup: str, style: ParagraphStyle) -> list:
    """The fragments reportlab's parser makes of ``markup`` in ``style``."""
    values: list[str] = []

    def placeholder(value: str) -> str:
        values.append(value)
        return f"{_OPEN}{len(values) - 1}{_CLOSE}"

    skeleton = []
    for index, part in enumerate(_TAG.split(cleanBlockQuotedText(markup))):
        if index % 2:  # a tag: link targets and anchor names vary, the rest is shape
            part = _ADDRESS.sub(lambda found: f'{found.group(1)}="{placeholder(_attribute(found.group(2)))}"',
                                part)
        elif part:
            part = placeholder(html.unescape(part))
        skeleton.append(part)
    skeleton_text = "".join(skeleton)
    cache = style.__dict__.setdefault(_CACHE, {})
    key = (skeleton_text, *(getattr(style, name, None) for name in _PARSED_FROM_STYLE))
    parsed = cache.get(key)
    if parsed is None:
        parsed = cache[key] = [(frag, [name for name, value in frag.__dict__.items() if _holds(value)])
                               for frag in _parse(skeleton_text, style)]
    # A new copy of each fragment for each paragraph: layout sets attributes on them.
    out = [frag.clone(**{name: _filled(frag.__dict__[name], values) for name in names})
           for frag, names in parsed]
    textTransformFrags(out, style)
    return out


# A link's target or an anchor's name, in double quotes (pdf_markup.quoted escapes any in it).
_ADDRESS = re.compile(r'\b(href|name)="([^"]*)"')
_PLACEHOLDER = re.compile(f"{_OPEN}(\\d+){_CLOSE}")


def _attribute(value: str) -> str:
    # As the parser reads an attribute: entities resolved, then stripped (as it strips targets).
    return html.unescape(value).strip()


def _holds(value) -> bool:
    """Whether ``value`` holds a placeholder, in a string or anything that contains strings."""
    if isinstance(value, str):
        return _OPEN in value
    if isinstance(value, (list, tuple)):
        return any(_holds(item) for item in value)
    if isinstance(value, ABag):  # an anchor's definition
        return any(_holds(item) for item in value.__dict__.values())
    return False


def _filled(value, values: list[str]):
    """A copy of ``value`` with every placeholder replaced by its value."""
    if isinstance(value, str):
        return _PLACEHOLDER.sub(lambda found: values[int(found.group(1))], value)
    if isinstance(value, list):
        return [_filled(item, values) for item in value]
    if isinstance(value, tuple):
        return tuple(_filled(item, values) for item in value)
    if isinstance(value, ABag):
        return value.clone(**{name: _filled(item, values) for name, item in value.__dict__.items()})
    return value


def share_parses(styles) -> None:
    """Let paragraphs in ``styles``, and in styles later made from them, share parsed skeletons."""
    shared: dict = {}
    for style in styles:
        style.__dict__[_CACHE] = shared


def _parse(skeleton: str, style: ParagraphStyle) -> list:
    parser = ParaParser()
    parser.caseSensitive = 1
    _, frags, _ = parser.parse(skeleton, style)
    if frags is None:
        raise MarkupError(f"reportlab could not parse the paragraph markup: {parser.errors[0]}")
    return frags
