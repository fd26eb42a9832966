"""A forked child per call, its answer handed back in memory: how the edges use a second core.

The command line writes one format in a child while it writes another; the
studio renders its first preview in a child while it starts.

``concurrent.futures.ProcessPoolExecutor`` does the same job with a manager
thread, queues and a worker that is sent its arguments by pickle: about 60 ms
of a cold ``kit render`` (importing it, starting it, pickling the document
trees), a tenth of the whole. Here the child is forked when the call is
submitted, so it already holds the function's arguments; only its answer
comes back, pickled into a file that lives in memory. Only the edges use this (the library
never forks), and only on Linux (see ``cli/render.side_by_side``).

The answer is read by ``result()``, as from a ``concurrent.futures.Future``;
a child that dies without answering (killed, out of memory) raises
``BrokenExecutor``, after which the caller redoes the work itself.
"""

from __future__ import annotations

import os
import pickle
import signal
from concurrent.futures import BrokenExecutor


class ForkedCall:
    """``fn(*args)`` running in a forked child; ``result()`` waits for its answer."""

    def __init__(self, fn, args) -> None:
        # The answer goes into a file in memory, not a pipe: a pipe holds 64 KB, so a child
        # answering with megabytes (six DOCX files) would wait for the parent to read, and
        # the parent reads only once it has done its own share; this way the child
        # finishes and leaves, and the parent reads the answer whole in one go.
        answer_file = os.memfd_create("kit-answer", os.MFD_CLOEXEC)
        pid = os.fork()
        if pid == 0:  # the child: answer into the file, then leave without cleaning up the parent's state
            code = 0
            try:
                try:
                    answer = pickle.dumps((True, fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException as exc:  # noqa: BLE001  (the parent raises it)
                    answer = pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(answer_file, "wb") as file:
                    file.write(answer)
            except BaseException:  # noqa: BLE001  (an answer that cannot be sent: the parent redoes the work)
                code = 1
            finally:
                os._exit(code)
        self._pid, self._file, self._answer = pid, answer_file, None

    def result(self):
        if self._answer is None:
            self._reap()
            with os.fdopen(self._file, "rb") as file:
                file.seek(0)  # the child's writing moved the offset it shares with this process
                data = file.read()
            try:
                self._answer = pickle.loads(data)
            except Exception:  # nothing, or half an answer: the child died
                self._answer = (False, BrokenExecutor("the worker process ended without an answer"))
        ok, value = self._answer
        if ok:
            return value
        raise value

    def stop(self) -> None:
        """Kill the child if it still runs; a thread waiting in ``result()`` then gets ``BrokenExecutor``."""
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def abandon(self) -> None:
        """Stop the child if it is still running, when nothing will ask for its answer."""
        if self._pid:
            self.stop()
            self._reap()
            os.close(self._file)

    def _reap(self) -> None:
        try:
            os.waitpid(self._pid, 0)
        except ChildProcessError:
            pass
        self._pid = 0


class ForkPerCall:
    """The one method of an executor the library uses, ``submit``, with each call in its own child."""

    def __init__(self) -> None:
        self._calls: list[ForkedCall] = []

    def submit(self, fn, /, *args) -> ForkedCall:
        call = ForkedCall(fn, args)
        self._calls.append(call)
        return call

    def close(self) -> None:
        for call in self._calls:
            call.abandon()
        self._calls.clear()
