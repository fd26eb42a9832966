"""Inlines of the document tree as reportlab paragraph markup.

Every piece of text is escaped here, and only here, so that ``AT&T``, ``a<b``
or ``<font size=500>`` in a spec print as written. Notes become superscript
numbers that link to their text; :class:`NoteBook` keeps the texts, numbered
in reading order, for the footnotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from ... import doctree
from ..base import UnknownNode

NOTE_LINK = "#fk-note-"
# Control characters other than tab and newline have no glyph and upset the PDF text operators.
# Blackline marks: insertions underlined in blue, deletions struck through in red.
INSERTED_COLOUR = "#1c4fa8"
DELETED_COLOUR = "#b3261e"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def quoted(value: str) -> str:
    """An attribute value, quoted and escaped (quotes included)."""
    return f'"{escape(value)}"'


def text_markup(text: str) -> str:
    """Plain text as markup that prints exactly that text."""
    return escape(_CONTROL.sub("", text), quote=False).replace("\n", "<br/>")


@dataclass
class NoteBook:
    """The notes of one document: their markup by number, in reading order."""

    texts: dict[int, str] = field(default_factory=dict)

    def add(self, markup: str) -> int:
        number = len(self.texts) + 1
        self.texts[number] = markup
        return number


class InlineMarkup:
    """Turns inlines into markup, sending notes to a :class:`NoteBook`."""

    def __init__(self, notes: NoteBook, link_colour: str, note_colour: str):
        self.notes = notes
        self.link_colour = link_colour
        self.note_colour = note_colour

    def markup(self, inlines: list[doctree.Inline]) -> str:
        """The markup of a run of inlines; notes are numbered as they are met."""
        deferred: list[str] = []
        text = self._run(inlines, deferred, in_link=False)
        return text + "".join(deferred)

    def _run(self, inlines, deferred: list[str], in_link: bool) -> str:
        out = []
        previous = None
        for node in inlines:
            if isinstance(node, doctree.Note) and isinstance(previous, doctree.Note) and not in_link:
                out.append("<super>,</super>")  # 1,2 rather than 12
            previous = node
            if isinstance(node, doctree.Text):
                out.append(text_markup(node.text))
            elif isinstance(node, doctree.Strong):
                out.append(f"<b>{self._run(node.children, deferred, in_link)}</b>")
            elif isinstance(node, doctree.Emph):
                out.append(f"<i>{self._run(node.children, deferred, in_link)}</i>")
            elif isinstance(node, doctree.Link):
                out.append(self._link(node, deferred, in_link))
            elif isinstance(node, doctree.Note):
                reference = self._note(node)
                # A reference is itself a link, and links do not nest: inside one
                # it waits until the outer link is closed.
                (deferred if in_link else out).append(reference)
            elif isinstance(node, doctree.LineBreak):
                out.append("<br/>")
            elif isinstance(node, doctree.Inserted):
                out.append(f"<u><font color={quoted(INSERTED_COLOUR)}>"
                           f"{self._run(node.children, deferred, in_link)}</font></u>")
            elif isinstance(node, doctree.Deleted):
                out.append(f"<strike><font color={quoted(DELETED_COLOUR)}>"
                           f"{self._run(node.children, deferred, in_link)}</font></strike>")
            else:
                raise UnknownNode("PDF", node)
        return "".join(out)

    def _link(self, node: doctree.Link, deferred: list[str], in_link: bool) -> str:
        inner_deferred: list[str] = []
        inner = self._run(node.children, inner_deferred, in_link=True) or text_markup(node.href)
        href = node.href.strip()
        if in_link or not href.lower().startswith(doctree.LINK_PREFIXES):
            # Only web and mail addresses become links; anything else stays readable text.
            deferred.extend(inner_deferred)
            return inner
        deferred.extend(inner_deferred)
        return f"<a href={quoted(href)} color={quoted(self.link_colour)}><u>{inner}</u></a>"

    def _note(self, node: doctree.Note) -> str:
        # A note inside a note has nowhere to go but its parent's text.
        text = _flatten_notes(node.children)
        number = self.notes.add(self._run(text, [], in_link=False))
        return (f'<a href="{NOTE_LINK}{number}" color={quoted(self.note_colour)}>'
                f"<super>{number}</super></a>")


def _flatten_notes(inlines: list[doctree.Inline]) -> list[doctree.Inline]:
    out: list[doctree.Inline] = []
    for node in inlines:
        if isinstance(node, doctree.Note):
            out.append(doctree.Text(" ("))
            out.extend(_flatten_notes(node.children))
            out.append(doctree.Text(")"))
        else:
            out.append(node)
    return out
