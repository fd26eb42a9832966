"""The PDF writer: document tree -> laid-out pages, with reportlab."""

from __future__ import annotations

from ..base import Settings, Written
from ..base import PageLimit
from .writer import PdfError, write_pdf


def write(document, settings: Settings) -> Written:
    """The PDF of ``document`` and its number of pages (at most ``settings.max_pages``)."""
    return Written(*write_pdf(document, settings.theme, settings.max_pages))


__all__ = ["PageLimit", "PdfError", "write"]
