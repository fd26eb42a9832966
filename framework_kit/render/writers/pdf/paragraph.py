"""reportlab's Paragraph, parsing its markup by shape and breaking its lines once per width.

Layout is the costly part of a PDF. reportlab asks a paragraph for its size
again and again at the same width, and breaks the rest of a paragraph into
lines anew on every page it continues on; here the lines are kept, so a
paragraph costs time in proportion to its length, however many pages it takes.
"""

from __future__ import annotations

from . import reportlab_patches  # noqa: F401  (before any platypus import: see its docstring)
from reportlab.platypus import Paragraph as _Paragraph
from reportlab.platypus.paragraph import (
    _InjectedFrag,
    _SHYWord,
    _SHYWordHS,
    _SplitFragHY,
    _SplitFragLL,
)

from .frags import fragments


class Paragraph(_Paragraph):
    """reportlab's Paragraph, parsing its markup by shape and breaking its lines once per width.

    Layout asks a paragraph for its size again and again at the same width
    (keep-with-next groups, table rows, the footnote frame's retries): half of
    the calls in a term sheet. The lines depend on the width alone.
    """

    _wrapped: tuple | None = None

    def __init__(self, text, style=None, bulletText=None, frags=None, **kwargs):
        # reportlab's own split() passes fragments, and text None.
        if frags is None and text is not None:
            frags = _in_two(fragments(text, style))
        super().__init__(text, style, bulletText, frags, **kwargs)

    def wrap(self, availWidth, availHeight):
        # Lines are kept per width; without them (a paragraph never wrapped) break them.
        if self._wrapped is not None and self._wrapped[0] == availWidth and "blPara" in self.__dict__:
            return self._wrapped[1]
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        self._first_word = 0  # the new lines count their words from this paragraph's own
        return size

    def split(self, availWidth, availHeight):
        """reportlab's split, with the rest keeping the lines already broken.

        reportlab breaks the rest of a paragraph into lines again on every page it
        continues on, so a paragraph of many pages cost the square of its length
        (5,000 hard line breaks: 14 s). Greedy line breaking gives the rest the
        same lines at the same width, so they are handed on instead.
        """
        broken = self.__dict__.get("blPara")
        parts = super().split(availWidth, availHeight)
        if not parts and broken is not None:
            # Too little room here: reportlab drops the lines, yet the next page
            # has the same width, so the same lines.
            self.blPara = broken
        if len(parts) != 2 or broken is None or self._wrapped is None:
            return parts
        first, rest = parts
        if getattr(rest.style, "autoLeading", "") not in ("", "off", None):
            return parts
        width = self._wrapped[0]
        # reportlab gives the first part its lines (though always as the kind of
        # several fonts); asked for its size, it broke them again, from fragments
        # that can hold the next line's start.
        done = len(first.blPara.lines)
        first.blPara = broken.clone(lines=broken.lines[:done])
        first._wrapped = (width, (width, first.height))
        lines = broken.lines[done:]
        rest.blPara = broken.clone(lines=lines)
        rest.width, rest.height = width, len(lines) * rest.style.leading
        rest._wrapped = (width, (width, rest.height))
        # Lines of processed fragments locate their words by index in the first
        # paragraph's fragments; the rest's fragments start at its first line's.
        rest._first_word = getattr(lines[0], "sFW", 0)
        return parts

    _first_word = 0

    def _split_blParaProcessed(self, blPara, start, stop):
        """reportlab's own, for lines whose word indices start at ``_first_word``."""
        if not stop:
            return []
        lines, base = blPara.lines, self._first_word
        end = lines[stop].sFW - base if stop != len(lines) else len(self.frags)
        words = self.frags[lines[start].sFW - base:end]
        while words and isinstance(words[-1], _InjectedFrag):
            del words[-1]
        if isinstance(words[-1], _SplitFragHY):
            words[-1].__class__ = _SHYWordHS if isinstance(words[-1], _SHYWord) else _SplitFragLL
        return words


# Longer than any one text of a spec (20,000 characters): only a template's own paragraphs.
_LONG_FRAGMENT = 30_000


def _in_two(frags: list) -> list:
    """One very long fragment cut in two at a space, the same text in the same formatting.

    reportlab breaks a paragraph of one fragment by taking its words from the front
    of a list (``pop(0)``), in time that grows with the square of its length; a
    paragraph of several goes through the words that ``reportlab_patches.WordQueue``
    hands out in constant time.
    """
    if len(frags) != 1 or len(getattr(frags[0], "text", "")) <= _LONG_FRAGMENT:
        return frags
    text = frags[0].text
    cut = text.find(" ", len(text) // 2) + 1
    if cut <= 0:
        return frags
    return [frags[0].clone(text=text[:cut]), frags[0].clone(text=text[cut:])]


__all__ = ["Paragraph"]


class RuledParagraph(Paragraph):
    """A paragraph with a rule in the left margin beside it (text under discussion).

    reportlab makes the parts of a split paragraph with the paragraph's own class,
    so each part on each page keeps its rule.
    """

    def __init__(self, text, style=None, bulletText=None, frags=None, rule=None, **kwargs):
        super().__init__(text, style, bulletText, frags, **kwargs)
        self.rule = rule

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.rule = self.rule
        return parts

    def draw(self):
        super().draw()
        if self.rule is not None:
            self.canv.saveState()
            self.canv.setStrokeColor(self.rule)
            self.canv.setLineWidth(1.5)
            self.canv.line(-6, 0, -6, self.height)
            self.canv.restoreState()
