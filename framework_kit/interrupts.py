"""Ctrl-C handled by the program for a while, instead of raising KeyboardInterrupt wherever it lands.

A handler, not a signal mask: the signal may be delivered to any thread, but
Python runs handlers in the main thread, so only there can a stretch of work be
shielded; elsewhere (and in an interpreter without signals) nothing changes.
Imports nothing of the project.
"""

from __future__ import annotations

import signal
import threading


class ctrl_c_handled:
    """``on_ctrl_c()`` is called on Ctrl-C for the duration; the previous handler comes back after."""

    def __init__(self, on_ctrl_c) -> None:
        self.on_ctrl_c, self.previous = on_ctrl_c, None

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            try:
                self.previous = signal.signal(signal.SIGINT, lambda *_: self.on_ctrl_c())
            except (ValueError, OSError):  # no signals here (an embedded interpreter)
                self.previous = None
        return self

    def __exit__(self, *_exc) -> bool:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        return False
