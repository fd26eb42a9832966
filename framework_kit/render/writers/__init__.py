"""The writers, by format: one signature for all, imported only when their format is asked for.

``write(format, document, settings)`` returns a :class:`Written` (bytes and page
count). Adding a format means adding a package here with a
``write(document, settings) -> Written`` function and a row in ``WRITERS``.
"""

from __future__ import annotations

import importlib

from .base import PageLimit, Settings, UnknownNode, WriterError, Written

# format -> the module that writes it; imported on first use, so a DOCX-only render
# never loads reportlab and ``kit check`` loads no writer at all.
WRITERS = {"docx": "framework_kit.render.writers.docx", "pdf": "framework_kit.render.writers.pdf"}
FORMATS = tuple(WRITERS)


def write(format: str, document, settings: Settings) -> Written:
    """Write ``document`` (a doctree ``Document``) as ``format``; raises ``WriterError``."""
    return importlib.import_module(WRITERS[format]).write(document, settings)


__all__ = ["FORMATS", "PageLimit", "Settings", "UnknownNode", "WRITERS", "Written", "WriterError", "write"]
