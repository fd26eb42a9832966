"""Import a library without compiling, at import time, regular expressions we may never use.

Some libraries compile large patterns when they are imported: PyYAML's pure-Python
reader and resolver (about 7 ms, half of ``import yaml``; ``kit check`` parses with
libyaml and never uses them) and reportlab's URL pattern over the whole Basic
Multilingual Plane (about 30 ms; used only to hyphenate long URLs). Imported
through :func:`import_module`, such a pattern is compiled when it is first used.
"""

from __future__ import annotations

import importlib
import re
import sys
import threading
from collections.abc import Callable
from types import ModuleType


class _CompiledOnFirstUse:
    """Stands for ``re.compile(pattern, flags)`` and compiles it when first used."""

    def __init__(self, pattern: str, flags):
        self._arguments = (pattern, flags)
        self._compiled = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(*self._arguments)
        return getattr(self._compiled, name)


def import_module(name: str, defer: Callable[[str], bool] = lambda pattern: True) -> ModuleType:
    """Import ``name``, deferring each ``re.compile`` of a str pattern that ``defer`` picks.

    Patterns are only deferred while ``name`` is first imported, and only in the
    importing thread: ``re.compile`` is swapped for the duration of the import, but
    another thread compiling meanwhile gets a real pattern, and one swap at a time
    is made (a lock), so the real function is always what is put back.
    """
    with _SWAP:
        if name in sys.modules:
            return sys.modules[name]
        compile_now = re.compile
        importer = threading.get_ident()

        def compile_lazily(pattern, flags=0):
            if threading.get_ident() == importer and isinstance(pattern, str) and defer(pattern):
                return _CompiledOnFirstUse(pattern, flags)
            return compile_now(pattern, flags)

        re.compile = compile_lazily
        try:
            return importlib.import_module(name)
        finally:
            re.compile = compile_now


_SWAP = threading.RLock()
