"""The first preview, rendered in a forked process while the studio starts.

A cold render imports reportlab and pdfium and loads the fonts: most of a second
of CPU. Done in a thread of the studio, it holds the GIL that the event loop
needs to serve the page, its script and the first checks; done in a child
forked before the web stack is imported, it runs on another core, and the
page's first preview finds it remembered (or waits for it). The studio's own
process warms its renderer only once that preview was sent, so that the
drafter's first edit does not pay the cold start either.

The library never forks (``tests/test_api.py``); forking is the serve edge's
doing (:mod:`framework_kit.forking`, which the command line's side-by-side
writer uses too). Where fork is not the
platform's way (Windows, macOS), the warm-up runs in a thread as before.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

SPARE_SECONDS = 5  # without a page asking for its preview by then, warm up anyway


class FirstPreview:
    """The child rendering the first spec's brief, and the thread that collects its answer."""

    def __init__(self, workspace, sock, templates_dir, reference_doc) -> None:
        self.name = workspace.default()
        self.child = None
        self._collecting = False
        self._data = b""
        if self.name is None:
            return
        try:
            self._data = workspace.read(self.name)
        except Exception:  # the page will ask and show what went wrong
            self.name = None
            return
        if sys.platform != "linux":
            return
        from ..forking import ForkedCall

        self.child = ForkedCall(_render_in_child, (sock, self._data, self.name, templates_dir, reference_doc))

    def deliver_to(self, studio) -> None:
        """Hand the child's answer to ``studio``'s renderer, then warm this process after the page's preview."""
        if self.name is None:
            return
        renderer = studio.renderer
        if self.child is None:
            threading.Thread(target=self._warm_here, args=(renderer,), daemon=True).start()
            return
        deliver = renderer.expect(self._data, self.name, formats=("pdf",), only=("brief",))

        def collect() -> None:
            try:
                result, pages = self.child.result()
            except Exception:  # the child died or was stopped: the page's request renders here
                result = pages = None
            deliver(result, pages)
            studio.previewed.wait(SPARE_SECONDS)
            self._warm_here(renderer)

        self._collecting = True
        threading.Thread(target=collect, name="kit serve: first preview", daemon=True).start()

    def stop(self) -> None:
        """End the child if it still renders (Ctrl-C during start-up); leave no process behind."""
        if self.child is None:
            return
        if self._collecting:  # the collecting thread's wait for the child ends; it reaps the child
            self.child.stop()
        else:
            self.child.abandon()

    def _warm_here(self, renderer) -> None:
        try:
            renderer.warm(self._data, self.name)
        except Exception:  # the next render will say what went wrong
            pass


def _render_in_child(sock, data: bytes, name: str, templates_dir, reference_doc):
    """In the child: render and draw the brief; ``(result, pages)``, or ``(None, None)``."""
    parent = os.getppid()
    _end_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends this child
    sock.close()  # the studio's listening socket is the parent's alone
    if os.getppid() != parent:  # the parent died before the line above could notice
        return None, None
    from .renders import Renderer

    renderer = Renderer(templates_dir, reference_doc)
    try:
        result = renderer.render(data, name, formats=("pdf",), only=("brief",))
        return result, (renderer.pages(result.files[0].data) if result.ok else None)
    except Exception:
        return None, None


def _end_with_parent() -> None:
    """Have Linux stop this process when its parent dies, however it dies (SIGKILL included)."""
    import ctypes

    PR_SET_PDEATHSIG = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # no prctl: the child still ends after its render
        pass
