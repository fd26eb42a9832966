"""The DOCX writer: document tree -> Word package, styled by a reference document."""

from __future__ import annotations

from ..base import Settings, Written
from .reference import ReferenceDocError
from .writer import write_docx


def write(document, settings: Settings) -> Written:
    """The DOCX of ``document``; Word lays out pages, so the page count is unknown (None)."""
    return Written(write_docx(document, settings.theme, settings.reference), None)


__all__ = ["ReferenceDocError", "write"]
