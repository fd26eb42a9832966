"""The DOCX writer: document tree -> Word package, styled by a reference document.

The writer and lxml are imported on the first write: choosing the reference
document (:mod:`.reference_choice`) is done where no DOCX is written.
"""

from __future__ import annotations

from ..base import Settings, Written
from .reference_choice import ReferenceDocError


def write(document, settings: Settings) -> Written:
    """The DOCX of ``document``; Word lays out pages, so the page count is unknown (None)."""
    from .writer import write_docx

    return Written(write_docx(document, settings.theme, settings.reference), None)


__all__ = ["ReferenceDocError", "write"]
