"""The PDF writer: document tree -> laid-out pages, with reportlab."""

from __future__ import annotations

from ..base import Settings, Written
from .writer import PdfError, write_pdf


def write(document, settings: Settings) -> Written:
    """The PDF of ``document`` and its number of pages."""
    return Written(*write_pdf(document, settings.theme))


__all__ = ["PdfError", "write"]
