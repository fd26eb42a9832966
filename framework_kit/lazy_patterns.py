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


def defer_import(name: str) -> None:
    """Let ``import name`` succeed at once and load the module when an attribute is first used.

    reportlab imports uharfbuzz (45 ms) whenever it is installed, to shape text; only
    right-to-left text is shaped here, so a Latin or Cyrillic document never loads it.
    (The standard library's LazyLoader does not do: an import statement reads the
    module's ``__spec__``, which loads it.)
    """
    import importlib.util

    with _SWAP:
        if name in sys.modules:
            return
        spec = importlib.util.find_spec(name)
        if spec is not None:
            sys.modules[name] = stand_in = _Deferred(name, spec)
            parent, _, child = name.rpartition(".")
            if parent:  # ``import PIL.Image`` then reads ``PIL.Image``: an import sets it, so must this
                setattr(sys.modules[parent], child, stand_in)


# What reportlab imports whenever it is installed, and most documents never use: uharfbuzz
# (45 ms; only right-to-left text is shaped) and Pillow's Image module (6 ms; the PDFs hold no
# bitmap, and only the DOCX's figure is painted as one, in the process that writes it).
REPORTLAB_EXTRAS = ("uharfbuzz", "PIL.Image")


def before_reportlab() -> None:
    """Defer :data:`REPORTLAB_EXTRAS`; called by each module of ours before it imports reportlab."""
    for name in REPORTLAB_EXTRAS:
        defer_import(name)


class _Deferred(ModuleType):
    """Stands for a module in ``sys.modules`` until one of its attributes is asked for."""

    def __init__(self, name: str, spec) -> None:
        super().__init__(name)
        self.__spec__ = spec

    def __getattr__(self, attribute: str):  # only for what the stand-in lacks: the module's own
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        name = self.__name__
        with _SWAP:
            if sys.modules.get(name) is self:
                del sys.modules[name]
                try:
                    real = importlib.import_module(name)
                except BaseException:
                    sys.modules[name] = self
                    raise
            else:
                real = sys.modules[name]
            self.__dict__.update(real.__dict__)
        return getattr(real, attribute)
