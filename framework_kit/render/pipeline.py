"""Design -> rendered files in memory: templates, document tree, writers.

Writing to disk is :mod:`framework_kit.render.files`; this module returns bytes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderedFile:
    """One output file, in memory."""

    document: str  # brief | term-sheets | buffer-zone-annex | cbm-schedule
    key: str  # brief | term-sheet-<table-id> | buffer-zone-annex | cbm-schedule
    title: str  # human title, e.g. "Term Sheet — Table A: Bilateral Negotiations"
    filename: str  # safe file name, e.g. "ukraine-three-level-process_v0.3_brief.pdf"
    format: str  # pdf | docx
    data: bytes
    pages: int | None  # known for PDF; for DOCX the PDF twin's count when rendered


def render_design(design, result, *, formats=("docx", "pdf"), only=None, templates_dir=None,
                  reference_doc=None) -> list[RenderedFile]:
    """Render a checked design (``result`` is its CheckResult, for waivers and rule outcomes).

    Raises ``RenderError`` (with diagnostics) on template problems.
    """
    raise NotImplementedError("being built")


class RenderError(Exception):
    """Rendering failed in a way the user can fix (a template error, a bad theme)."""

    def __init__(self, diagnostics):
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics
