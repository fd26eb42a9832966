"""Do one piece of work in a forked copy of this process while this process does another.

Once the document trees are built, the PDF writer (reportlab's pure-Python
layout) and the DOCX writer (lxml and zip) share nothing. On a machine with
more than one core, a forked child writes the DOCX files while this process
lays out the PDFs: a cold ``kit render`` of the example is about a fifth
shorter.

The child sends back only a successful result. If it fails in any way (an
error in a document, a signal, no memory), the work is done again here, where
the error is raised with its usual diagnostics: the outcome, and every byte
written, is the same as doing the work in this process.

The work stays in this process where forking is not safe or not useful: other
than on Linux (Windows has no fork; macOS's system libraries are not fork-safe),
on one core, while other threads run, or with ``KIT_SERIAL=1`` in the
environment.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    return (sys.platform == "linux" and hasattr(os, "fork") and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1 and os.environ.get("KIT_SERIAL", "") in ("", "0"))


class Job(Generic[T]):
    """``work`` started now in a child process, or later in this one; ``result()`` has its value."""

    def __init__(self, work: Callable[[], T], *, fork: bool = True):
        self._work = work
        self._pid = 0
        self._reader = -1
        if fork and can_fork():
            self._start()

    def _start(self) -> None:
        reader, writer = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no memory or process slots for a child: work here instead
            os.close(reader)
            os.close(writer)
            return
        if pid == 0:  # the child: never returns into the caller's code
            try:
                os.close(reader)
                _answer(writer, self._work)
            finally:
                os._exit(0)
        os.close(writer)
        self._pid, self._reader = pid, reader

    def result(self) -> T:
        """The work's value; its exception if it fails (raised by doing it here)."""
        if self._pid:
            answer = self._collect()
            if answer is not None:
                return answer[0]
        return self._work()

    def cancel(self) -> None:
        """Stop the child, if one still runs (the caller failed and will not ask for the result)."""
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._collect()

    def _collect(self):
        pid, self._pid = self._pid, 0
        with os.fdopen(self._reader, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        try:
            return pickle.loads(data) if data else None
        except Exception:  # a truncated answer: the child died while sending it
            return None


def _answer(writer: int, work: Callable) -> None:
    """In the child: do the work, and send its value if it succeeds; send nothing otherwise."""
    try:
        data = pickle.dumps((work(),), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # done again by the parent, which reports it properly
        return
    with os.fdopen(writer, "wb") as pipe:
        pipe.write(data)
