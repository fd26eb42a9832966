"""Pages of the PDF: the frame that makes room for footnotes, the canvas that numbers pages.

Footnotes. A paragraph that carries note references is only placed on a page
if the page can also hold those notes at its foot: :class:`NoteFrame` raises
its bottom edge by the height of the notes while it tries the paragraph, and
keeps it raised once the paragraph is placed. When a paragraph is split
across pages, the first part is cut so that it fits together with the notes
it carries. The notes are drawn below the text when the page ends; notes that
cannot fit even on an otherwise empty page continue on the next one.

"Page X of Y". :class:`DeferredCanvas` holds every finished page until the
document is complete, then writes the page numbers with the total known, in
one layout pass.
"""

from __future__ import annotations

import copy

from . import reportlab_patches  # noqa: F401  (before any platypus import: see its docstring)
from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table
from reportlab.platypus.doctemplate import ActionFlowable

from ..base import PageLimit
from .archive import ArchivalCanvas
from .markup import NOTE_LINK

NOTE_GAP = 10.0  # space between the text and the footnote rule
NOTE_RULE = 4.0  # space between the rule and the first note


def note_numbers(flowable) -> list[int]:
    """The note numbers referenced in a flowable, in order, looking inside tables and groups."""
    # Asked of the same flowable at every try to place it; a split makes new flowables.
    known = flowable.__dict__.get("_fk_notes")
    if known is None:
        known = []
        _collect(flowable, known)
        flowable.__dict__["_fk_notes"] = known
    return known


def _collect(item, found: list[int]) -> None:
    if isinstance(item, Paragraph):
        _collect_frags(item.frags, found)
    elif isinstance(item, Table):
        for row in item._cellvalues:
            for cell in row:
                _collect(cell, found)
    elif isinstance(item, (list, tuple)):
        for part in item:
            _collect(part, found)
    else:
        content = getattr(item, "_content", None)
        if content:
            _collect(content, found)


def _collect_frags(frags, found: list[int]) -> None:
    # Before wrapping a paragraph holds fragments; after a split, lists of words
    # whose items are (fragment, text) pairs. Both are walked.
    for frag in frags:
        if isinstance(frag, (list, tuple)):
            _collect_frags(frag, found)
            continue
        for link in getattr(frag, "link", None) or ():
            target = link[1] if isinstance(link, tuple) and len(link) > 1 else link
            if isinstance(target, str) and target.startswith(NOTE_LINK):
                number = int(target[len(NOTE_LINK):])
                if number not in found:
                    found.append(number)


class FootnoteArea:
    """The notes of one document and which of them are already placed."""

    def __init__(self, paragraphs: dict[int, Paragraph], width: float, rule_colour: str):
        self.paragraphs = paragraphs
        self.width = width
        self.rule_colour = rule_colour
        self.placed: set[int] = set()
        self._heights: dict[int, float] = {}

    def pending(self, flowable) -> list[int]:
        # Walking a long table on every page would make the layout quadratic: once every
        # footnote is placed (or there are none) there is nothing to look for.
        if len(self.placed) >= len(self.paragraphs):
            return []
        return [n for n in note_numbers(flowable) if n in self.paragraphs and n not in self.placed]

    def height(self, numbers: list[int], first_on_page: bool) -> float:
        total = NOTE_GAP + NOTE_RULE if first_on_page and numbers else 0.0
        for number in numbers:
            if number not in self._heights:
                paragraph = self.paragraphs[number]
                _, height = paragraph.wrap(self.width, 10_000)
                self._heights[number] = height + paragraph.style.spaceAfter
            total += self._heights[number]
        return total

    def draw(self, canvas: Canvas, numbers: list[int], x: float, bottom: float) -> None:
        """Draw the notes upward from ``bottom``, under a short rule."""
        y = bottom + self.height(numbers, first_on_page=True) - NOTE_GAP
        canvas.saveState()
        canvas.setStrokeColor(HexColor(self.rule_colour))
        canvas.setLineWidth(0.5)
        canvas.line(x, y, x + min(self.width / 3, 120), y)
        canvas.restoreState()
        y -= NOTE_RULE
        for number in numbers:
            paragraph = self.paragraphs[number]
            _, height = paragraph.wrap(self.width, 10_000)
            paragraph.drawOn(canvas, x, y - height)
            y -= height + paragraph.style.spaceAfter


class NoteFrame(Frame):
    """A frame that keeps room at its foot for the notes of what it holds.

    When a page cannot hold a flowable together with all its notes even on its
    own, the notes that do not fit are carried to the foot of the next page(s),
    as books do with long footnotes; :class:`FlushNotes` at the end of the
    story adds pages while any are left.
    """

    def __init__(self, *args, notes: FootnoteArea, **kwargs):
        self.notes = notes
        self.page_notes: list[int] = []
        self.carried: list[int] = []
        super().__init__(*args, **kwargs)

    def __deepcopy__(self, memo):
        # reportlab copies the frame to measure kept-together groups; the notes
        # are shared, read-only there, and too costly to copy each time.
        twin = copy.copy(self)
        twin.page_notes = list(self.page_notes)
        twin.carried = list(self.carried)
        return twin

    def _reset(self):
        super()._reset()
        self.page_notes = []
        self._y1p = self._y1 + self._bottomPadding
        if self.carried:
            # Every note is at most a third of a page, so at least one always fits.
            now = self._prefix_that_fits(self.carried, self._aH * 0.9) or self.carried[:1]
            self.carried = self.carried[len(now):]
            self._y1p += self._reserve(now)
            self.page_notes = now

    def _reserve(self, numbers: list[int]) -> float:
        return self.notes.height(numbers, first_on_page=not self.page_notes)

    def _prefix_that_fits(self, numbers: list[int], room: float) -> list[int]:
        count = len(numbers)
        while count and self._reserve(numbers[:count]) > room:
            count -= 1
        return numbers[:count]

    def add(self, flowable, canv, trySplit=0):
        numbers = self.notes.pending(flowable)
        if not numbers:
            return super().add(flowable, canv, trySplit)
        # On a page that holds nothing yet, fewer notes are tried before giving up:
        # the page after would be no better, and the rest are carried over.
        counts = range(len(numbers), -1, -1) if self._atTop and not self.carried else (len(numbers),)
        bottom = self._y1p
        for count in counts:
            self._y1p = bottom + self._reserve(numbers[:count])
            if super().add(flowable, canv, trySplit if count == len(numbers) else 0):
                self.page_notes.extend(numbers[:count])
                self.carried.extend(numbers[count:])
                self.notes.placed.update(numbers)
                return 1
            self._y1p = bottom
        return 0

    def split(self, flowable, canv):
        if not self.notes.pending(flowable):
            return super().split(flowable, canv)
        bottom = self._y1p
        reserve = 0.0
        # A smaller first part carries fewer notes, so the second try always fits.
        for _ in range(3):
            parts = self._split_above(flowable, canv, bottom + reserve)
            if not parts:
                break
            need = self._reserve(self.notes.pending(parts[0]))
            if need <= reserve:
                return parts
            reserve = need
        if self._atTop and not self.carried:
            # Not even one line fits with its notes: split as if they were not
            # there; add() then carries the notes that do not fit.
            return self._split_above(flowable, canv, bottom)
        return []

    def _split_above(self, flowable, canv, bottom: float) -> list:
        saved, self._y1p = self._y1p, bottom
        try:
            return super().split(flowable, canv)
        finally:
            self._y1p = saved

    def draw_notes(self, canvas: Canvas) -> None:
        if self.page_notes:
            self.notes.draw(canvas, self.page_notes, self._x1 + self._leftPadding,
                            self._y1 + self._bottomPadding)


class FlushNotes(ActionFlowable):
    """At the end of the story: a new page while notes are still waiting for room."""

    def __init__(self, frame: NoteFrame):
        super().__init__()
        self.frame = frame

    def apply(self, document):
        if self.frame.carried:
            document.handle_pageBreak()

    @staticmethod
    def for_frame(frame: NoteFrame, notes: int) -> list:
        # Each page takes at least one waiting note, so one flush per note is
        # always enough; the spacer opens the page the last flush asked for.
        return [FlushNotes(frame) for _ in range(notes)] + [Spacer(0, 0)] if notes else []


class DeferredCanvas(ArchivalCanvas):
    """A canvas (PDF/A) that writes "Page X of Y" on every page once Y is known."""

    def __init__(self, *args, stamp=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._stamp = stamp
        self._held: list[dict] = []

    def showPage(self):
        self._held.append(dict(self.__dict__))
        # Links, footnote anchors and outline entries name their page by the
        # document's page counter: advance it as if the page had been written.
        self._doc.pageCounter += 1
        self._doc.inObject = None
        self._startPage()

    def save(self):
        total = len(self._held)
        self._doc.pageCounter = 1
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            if self._stamp is not None:
                self._stamp(self, number, total)
            super().showPage()
            page = self._doc.Pages.pages[-1]
            self._compress_without_a85(page)
            # reportlab gives every page an empty /Trans (no transition): a key that means
            # nothing, and that pikepdf's PDF/A validator declines to check.
            page.Trans = None
        super().save()

    @staticmethod
    def _compress_without_a85(page) -> None:
        """Give the page a Flate-only content stream, as reportlab would with useA85 off.

        ASCII85 makes the file a quarter larger and slower to write, for the sake of
        7-bit channels nobody sends PDFs through any more. Setting the stream here,
        page by page, leaves reportlab's process-wide ``rl_config`` alone, so other
        threads and other reportlab users in the process are unaffected.
        """
        stream = pdfdoc.PDFStream(content=page.stream, filters=[pdfdoc.PDFZCompress])
        stream.__Comment__ = "page stream"
        page.Contents = stream

    @property
    def page_count(self) -> int:
        return len(self._held)


def _plain_text(flowable) -> str:
    try:
        return flowable.getPlainText() if flowable is not None else ""
    except Exception:  # noqa: BLE001 - only a hint for the message; any flowable may come here
        return ""


class DocTemplate(BaseDocTemplate):
    """One page template with a note frame; headings go to the PDF outline."""

    def __init__(self, target, *, frame: NoteFrame, on_page, max_pages: int | None = None, **kwargs):
        super().__init__(target, **kwargs)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page,
                                            onPageEnd=self._end_page, pagesize=self.pagesize)])
        self._outline_level = -1
        self.max_pages = max_pages
        self._current = None
        self.stopped_at = ""

    def handle_flowable(self, flowables):
        if flowables and isinstance(flowables[0], Paragraph):
            self._current = flowables[0]
        super().handle_flowable(flowables)

    def handle_pageBegin(self):
        # Counted as the pages are laid out, so a bound stops the work, not its result.
        if self.max_pages is not None and self.page >= self.max_pages:
            # reportlab rebuilds an exception raised in a page action from its message,
            # so the text stays here for write() to take.
            self.stopped_at = _plain_text(self._current)
            raise PageLimit(self.stopped_at)
        super().handle_pageBegin()

    @staticmethod
    def _end_page(canvas, document):
        document.frame.draw_notes(canvas)

    def afterFlowable(self, flowable):
        entry = getattr(flowable, "outline", None)
        if entry is None:
            return
        title, level, key = entry
        # The outline may not skip a level: a sub-section without a section sits one below the last.
        level = max(0, min(level, self._outline_level + 1))
        self._outline_level = level
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)
