"""reportlab's platypus imported without paying for a pattern the writer never uses.

At import, ``reportlab.platypus.paragraph`` compiles a case-insensitive URL
pattern over the whole Basic Multilingual Plane: a third of the cost of
importing platypus (about 30 ms), for a pattern used only to hyphenate long
URLs. Imported first by the PDF writer's modules, this compiles that one
pattern when it is first used instead; every other pattern is compiled as usual.
"""

from __future__ import annotations

import re
import sys

_URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"


class _CompiledOnFirstUse:
    """Stands for ``re.compile(pattern, flags)`` and compiles it when first used."""

    def __init__(self, pattern: str, flags):
        self._arguments = (pattern, flags)
        self._compiled = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(*self._arguments)
        return getattr(self._compiled, name)


def _import_paragraph() -> None:
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    compile_now = re.compile

    def compile_lazily(pattern, flags=0):
        if isinstance(pattern, str) and pattern.startswith(_URI_PATTERN_START):
            return _CompiledOnFirstUse(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compile_lazily
    try:
        import reportlab.platypus.paragraph  # noqa: F401
    finally:
        re.compile = compile_now


_import_paragraph()
