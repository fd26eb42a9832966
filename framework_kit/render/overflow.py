"""R005: a brief that cannot hold the whole design on its two pages.

The brief is designed to fit two A4 pages up to the sizes in
:mod:`framework_kit.render.view` (20 participants at the tables, 6 tables,
12 CBMs); beyond them it shows the first ones and its last line says where
the rest is. Either way the drafter is told, never left with a silent
third page: this module turns what happened into a warning for ``kit render``.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, warning
from .codes import BRIEF_OVERFLOW

BRIEF_PAGES = 2


def brief_warnings(design, files, spec_file: str = "") -> list[Diagnostic]:
    """A warning (in ``spec_file``) when the rendered brief is longer than two pages or leaves
    part of the design out."""
    from .view import brief_overflow

    # A parallel edition (language 'en+uk+ru') sets the versions side by side: it is longer by design.
    briefs = [f for f in files if f.document == "brief" and "+" not in f.language]
    if not briefs:
        return []
    out = []
    left_out = brief_overflow(design)
    if left_out:
        out.append(warning(
            BRIEF_OVERFLOW, "the design is larger than the brief holds (" + "; ".join(left_out)
            + "): the brief shows the first ones and its last line points to the term sheets "
            "and the schedule of CBMs for the rest",
            help="attach the term sheets and the schedule of confidence-building measures to the "
                 "brief, or split the design into smaller processes"))
    pages = max((f.pages or 0 for f in briefs if f.format == "pdf"), default=0)
    if pages > BRIEF_PAGES:
        out.append(warning(
            BRIEF_OVERFLOW, f"the brief runs to {pages} pages, not {BRIEF_PAGES}",
            help="shorten the summary or the longest names and titles; the term sheets carry the detail"))
    return [d.with_file(spec_file) for d in out]
