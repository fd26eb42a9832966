"""Rendering for the studio: off the event loop, the newest edit first, stale work dropped.

Each browser tab keeps one *slot* for its preview. Every preview request takes a
ticket from its slot; a render that has not started when a newer ticket is
issued is never started, and one that finishes after a newer ticket exists is
thrown away (:class:`Superseded`), so the page never receives output older than
what it last asked for. Previews run one at a time (two cores are shared with
the editor's checks and the user's other programs); downloads run beside them.

The preview is the PDF itself, drawn page by page into images with pdfium:
what the drafter sees is what ``kit render`` writes, furniture, watermark and
diagram included.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import threading
from dataclasses import dataclass
from pathlib import Path

PREVIEW_SCALE = 1.5  # 108 dpi: sharp at the panel's width on a 1920-pixel screen
MAX_PREVIEW_PAGES = 40  # a longer document shows its first pages and says how many remain


class Superseded(Exception):
    """A newer request of the same slot exists; this one's output is not wanted."""


@dataclass
class Preview:
    """The pages of one document, ready for the page: JPEG images as data URLs."""

    key: str
    title: str
    pages: list[str]
    page_count: int


class Tickets:
    """The latest ticket of each slot (thread-safe)."""

    def __init__(self) -> None:
        self._latest: dict[str, int] = {}
        self._lock = threading.Lock()

    def take(self, slot: str) -> int:
        with self._lock:
            ticket = self._latest.get(slot, 0) + 1
            self._latest[slot] = ticket
            if len(self._latest) > 1000:  # tabs come and go; forget the oldest
                self._latest.pop(next(iter(self._latest)))
            return ticket

    def check(self, slot: str, ticket: int) -> None:
        """Raise :class:`Superseded` if a newer ticket of ``slot`` was taken."""
        with self._lock:
            if self._latest.get(slot) != ticket:
                raise Superseded(slot)


class Renderer:
    """Renders specs given as bytes with the studio's templates; remembers the last result.

    The memory holds one render (the spec's digest, what was asked for and the
    templates folder's state as its key), so the preview that follows the
    start-up warm-up, or a download right after a preview, costs nothing; a
    request for a render already under way waits for it instead of repeating it.
    """

    def __init__(self, templates_dir=None, reference_doc=None) -> None:
        self.templates_dir = templates_dir
        self.reference_doc = reference_doc
        self.tickets = Tickets()
        self._memory: tuple[tuple, object] | None = None
        self._memory_lock = threading.Lock()
        self._running: dict[tuple, threading.Event] = {}  # renders under way, by key
        self._pdfium_lock = threading.Lock()  # pdfium is not safe to call from two threads at once
        self._pages_memory: tuple[bytes, tuple[list[str], int]] | None = None

    def render(self, data: bytes, file: str, *, formats=("docx", "pdf"), only=None):
        """``api.render_bytes`` with the studio's templates, remembered for the next identical call."""
        from .. import api

        key = self._key(data, file, formats, only)
        while True:
            with self._memory_lock:
                if self._memory is not None and self._memory[0] == key:
                    return self._memory[1]
                running = self._running.get(key)
                if running is None:  # nobody renders this yet: this thread does
                    running = self._running[key] = threading.Event()
                    break
            running.wait()  # the same render is under way (the warm-up): share its result
        result = None
        try:
            result = api.render_bytes(data, file, formats=formats, only=only,
                                      templates_dir=self.templates_dir, reference_doc=self.reference_doc)
        finally:
            self._finish(key, running, result)
        return result

    def expect(self, data: bytes, file: str, *, formats, only):
        """Mark this render as under way elsewhere (another process); the function that delivers it.

        Until delivered, an identical :meth:`render` waits instead of starting its own.
        Deliver ``(result, pages)`` (``pages`` as :meth:`pages` gives them, or None) to
        remember both, or ``(None, None)`` when it failed: the waiters then render here.
        """
        key = self._key(data, file, formats, only)
        running = threading.Event()
        with self._memory_lock:
            self._running[key] = running

        def deliver(result, pages) -> None:
            if result is not None and pages is not None:
                pdf = next(f.data for f in result.files if f.format == "pdf")
                with self._pdfium_lock:
                    self._pages_memory = (hashlib.sha256(pdf).digest(), pages)
            self._finish(key, running, result)

        return deliver

    def _key(self, data: bytes, file: str, formats, only) -> tuple:
        return (hashlib.sha256(data).digest(), file, tuple(formats), tuple(only or ()),
                self._templates_state())

    def _finish(self, key: tuple, running: threading.Event, result) -> None:
        """Remember ``result`` (unless None) and wake whoever waited for it."""
        with self._memory_lock:
            if result is not None:
                self._memory = (key, result)
            del self._running[key]
        running.set()

    def preview(self, data: bytes, file: str, document: str, slot: str, ticket: int):
        """The RenderResult of ``document`` as PDF, and its :class:`Preview` when it rendered.

        Runs in a worker thread. Raises :class:`Superseded` as soon as a newer
        request of ``slot`` is known: before rendering and before drawing the pages.
        """
        self.tickets.check(slot, ticket)
        result = self.render(data, file, formats=("pdf",), only=(document,))
        if not result.ok:
            return result, None
        self.tickets.check(slot, ticket)
        rendered = next(f for f in result.files if f.format == "pdf")
        pages, count = self.pages(rendered.data)
        return result, Preview(rendered.key, rendered.title, pages, count)

    def pages(self, pdf: bytes) -> tuple[list[str], int]:
        """The pages of ``pdf`` as JPEG data URLs (at most :data:`MAX_PREVIEW_PAGES`) and their count.

        The last answer is remembered, so the warm-up's pages serve the first preview.
        """
        digest = hashlib.sha256(pdf).digest()
        with self._pdfium_lock:
            if self._pages_memory is not None and self._pages_memory[0] == digest:
                return self._pages_memory[1]
            out, count = _draw(pdf)
            self._pages_memory = (digest, (out, count))
        return out, count

    def warm(self, data: bytes, file: str) -> None:
        """Render and draw the brief once, remembering nothing: reportlab, the fonts and pdfium loaded."""
        from .. import api

        result = api.render_bytes(data, file, formats=("pdf",), only=("brief",),
                                  templates_dir=self.templates_dir, reference_doc=self.reference_doc)
        if result.ok:
            with self._pdfium_lock:
                _draw(result.files[0].data)

    def _templates_state(self) -> tuple:
        """What identifies the templates folder's content cheaply: names, sizes, times."""
        if self.templates_dir is None and self.reference_doc is None:
            return ()
        state = []
        for folder in filter(None, (self.templates_dir,)):
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                return (os.urandom(8),)  # unreadable: never reuse
            state += [(e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries if e.is_file()]
        if self.reference_doc is not None:
            try:
                info = Path(self.reference_doc).stat()
                state.append((info.st_size, info.st_mtime_ns))
            except OSError:
                return (os.urandom(8),)
        return tuple(state)


def _draw(pdf: bytes) -> tuple[list[str], int]:
    """The pages of ``pdf`` as JPEG data URLs and their count (the caller holds the pdfium lock)."""
    import pypdfium2

    out = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        count = len(document)
        for index in range(min(count, MAX_PREVIEW_PAGES)):
            page = document[index]
            image = page.render(scale=PREVIEW_SCALE).to_pil()
            page.close()
            buffer = io.BytesIO()
            # JPEG, full colour resolution (no chroma subsampling, which blurs red and
            # blue type): 7 ms a page where PNG takes 75 ms even at its fastest level.
            image.save(buffer, "JPEG", quality=90, subsampling=0)
            out.append("data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"))
    finally:
        document.close()
    return out, count
